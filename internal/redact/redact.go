// Package redact keeps secrets out of what the SDK logs and reports. It has
// two lines of defence: a Scrubber replaces every known secret value (the
// secret key, a token, the pre-shared keys a call sent) wherever it appears,
// and JSON replaces the values of keys whose names say they are secret,
// whatever their value.
package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
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
	// A server that echoes the value inside JSON escapes it, as Go, Python
	// or others do; one that quotes a JSON body inside a JSON string escapes
	// it twice.
	forms := []string{v}
	for depth := 0; depth < 2; depth++ {
		for _, f := range forms {
			forms = appendNew(forms, jsonEscape(f, true), jsonEscape(f, false), asciiEscape(f))
		}
	}
	all := *s.forms
	for _, f := range forms {
		all = appendNew(all, f)
	}
	// Longer forms first, so that a secret inside another is not left
	// half replaced.
	slices.SortStableFunc(all, func(a, b string) int { return len(b) - len(a) })
	*s.forms = all
}

// appendNew appends the values that are not empty and not in list yet.
func appendNew(list []string, values ...string) []string {
	for _, v := range values {
		if v != "" && !contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// jsonEscape returns v as encoding/json writes it inside a string.
func jsonEscape(v string, html bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	if enc.Encode(v) != nil {
		return ""
	}
	e := strings.TrimSuffix(b.String(), "\n")
	return e[1 : len(e)-1]
}

// asciiEscape returns v as Python's json.dumps writes it inside a string:
// quotes, backslashes and control characters escaped, and every character
// beyond ASCII as \uXXXX (surrogate pairs beyond the basic plane).
func asciiEscape(v string) string {
	var b strings.Builder
	for _, r := range v {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r > 0x7e && r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		case r >= 0x10000:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
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
