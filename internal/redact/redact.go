// Package redact keeps secrets out of what the SDK logs and reports. It has
// two lines of defence: a Scrubber replaces every known secret value (the
// secret key, a token, the pre-shared keys a call sent) wherever it appears,
// and JSON replaces the values of keys whose names say they are secret,
// whatever their value.
package redact

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Placeholder replaces every secret.
const Placeholder = "[REDACTED]"

// sensitiveKeys are the names of JSON object keys whose values are secrets,
// folded by foldKey: pre_shared_key, preSharedKey and pre-shared-key are one.
var sensitiveKeys = map[string]bool{
	"presharedkey": true,
	"psk":          true,
	"secretkey":    true,
	"password":     true,
	"signature":    true,
	"token":        true,
	"authtoken":    true,
	"xauthtoken":   true,
}

// foldKey lower-cases a key and drops the separators that spellings of the
// same name differ by.
func foldKey(k string) string {
	var b strings.Builder
	b.Grow(len(k))
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c == '_' || c == '-' || c == ' ':
		case 'A' <= c && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Sensitive reports whether a JSON key names a secret.
func Sensitive(key string) bool { return sensitiveKeys[foldKey(key)] }

// JSON returns body with the value of every sensitive key, at any depth,
// replaced by Placeholder. A body that is not JSON is not shown at all,
// because nothing can tell what in it is secret.
func JSON(body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return ""
	}
	v, ok := parse(body)
	if !ok {
		return "[body of " + strconv.Itoa(len(body)) + " bytes that is not JSON]"
	}
	out, err := json.Marshal(scrubKeys(v))
	if err != nil {
		return "[body of " + strconv.Itoa(len(body)) + " bytes]"
	}
	return string(out)
}

func parse(body []byte) (any, bool) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

func scrubKeys(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if Sensitive(k) {
				v[k] = Placeholder
				continue
			}
			v[k] = scrubKeys(x)
		}
	case []any:
		for i, x := range v {
			v[i] = scrubKeys(x)
		}
	}
	return v
}

// SecretsIn returns the string values of the sensitive keys of a JSON body,
// at any depth: the pre-shared keys a request carries, say. A body that is
// not JSON has none that can be told apart.
func SecretsIn(body []byte) []string {
	if len(body) == 0 || !containsSensitiveName(body) {
		return nil
	}
	v, ok := parse(body)
	if !ok {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && Sensitive(k) && s != "" {
					out = append(out, s)
					continue
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return out
}

// containsSensitiveName is a cheap test that spares parsing the bodies that
// cannot hold a secret, which are most of them.
func containsSensitiveName(body []byte) bool {
	lower := bytes.ToLower(body)
	for _, s := range [...]string{"key", "psk", "password", "signature", "token"} {
		if bytes.Contains(lower, []byte(s)) {
			return true
		}
	}
	return false
}
