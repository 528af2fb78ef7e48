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

// A Scrubber replaces known secret values in text. The zero value, or nil,
// replaces nothing.
type Scrubber struct {
	// forms holds each secret as it may appear: raw and JSON-escaped. It is
	// behind a pointer so that fmt, printing a struct that holds a Scrubber,
	// shows an address rather than the secrets.
	forms *[]string
}

// NewScrubber returns a Scrubber of the non-empty secrets given.
func NewScrubber(secrets ...string) *Scrubber {
	s := &Scrubber{forms: new([]string)}
	for _, v := range secrets {
		s.add(v)
	}
	return s
}

func (s *Scrubber) add(v string) {
	if v == "" {
		return
	}
	forms := []string{v}
	// A server that echoes the value inside JSON escapes it; both of
	// encoding/json's escapings, and the plain one, are looked for.
	for _, html := range []bool{true, false} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		if enc.Encode(v) == nil {
			e := strings.TrimSuffix(b.String(), "\n")
			forms = append(forms, e[1:len(e)-1])
		}
	}
	all := *s.forms
	for _, f := range forms {
		if f != "" && !contains(all, f) {
			all = append(all, f)
		}
	}
	// Longer forms first, so that a secret inside another is not left
	// half replaced.
	for i := 1; i < len(all); i++ {
		for j := i; j > 0 && len(all[j]) > len(all[j-1]); j-- {
			all[j], all[j-1] = all[j-1], all[j]
		}
	}
	*s.forms = all
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// With returns a Scrubber of s's secrets and more.
func (s *Scrubber) With(secrets ...string) *Scrubber {
	if len(secrets) == 0 {
		return s
	}
	out := &Scrubber{forms: new([]string)}
	if !s.Empty() {
		*out.forms = append(*out.forms, *s.forms...)
	}
	for _, v := range secrets {
		out.add(v)
	}
	return out
}

// Empty reports whether s replaces nothing.
func (s *Scrubber) Empty() bool { return s == nil || s.forms == nil || len(*s.forms) == 0 }

// String returns v with every secret replaced by Placeholder.
func (s *Scrubber) String(v string) string {
	if s.Empty() {
		return v
	}
	for _, f := range *s.forms {
		if strings.Contains(v, f) {
			v = strings.ReplaceAll(v, f, Placeholder)
		}
	}
	return v
}

// Bytes returns b with every secret replaced by Placeholder; b itself is
// not modified.
func (s *Scrubber) Bytes(b []byte) []byte {
	if s.Empty() {
		return b
	}
	for _, f := range *s.forms {
		if bytes.Contains(b, []byte(f)) {
			b = bytes.ReplaceAll(b, []byte(f), []byte(Placeholder))
		}
	}
	return b
}
