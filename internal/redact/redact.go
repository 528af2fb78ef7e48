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
	"unicode/utf8"
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

// A Scrubber replaces known secret values in text, wherever they appear:
// as they are, or inside a JSON string however its writer escaped them
// (any character as \uXXXX in either case, "/" as \/, and the short
// escapes), or inside a JSON string quoted within another, twice over. The
// zero value, or nil, replaces nothing.
type Scrubber struct {
	// secrets is behind a pointer so that fmt, printing a struct that
	// holds a Scrubber, shows an address rather than the secrets.
	secrets *[]string
}

// maxDepth is how many times over a secret may have been quoted in JSON:
// a server that quotes a JSON body inside a JSON string escapes it twice.
const maxDepth = 2

// NewScrubber returns a Scrubber of the non-empty secrets given.
func NewScrubber(secrets ...string) *Scrubber {
	return (&Scrubber{}).With(secrets...)
}

// With returns a Scrubber of s's secrets and more.
func (s *Scrubber) With(secrets ...string) *Scrubber {
	var all []string
	if !s.Empty() {
		all = append(all, *s.secrets...)
	}
	for _, v := range secrets {
		if v != "" && !slices.Contains(all, v) {
			all = append(all, v)
		}
	}
	if !s.Empty() && len(all) == len(*s.secrets) {
		return s
	}
	return &Scrubber{secrets: &all}
}

// Format prints how many secrets s holds, never what they are, under
// every verb.
func (s Scrubber) Format(f fmt.State, _ rune) {
	n := 0
	if s.secrets != nil {
		n = len(*s.secrets)
	}
	_, _ = fmt.Fprintf(f, "redact.Scrubber{%d secrets}", n)
}

// Empty reports whether s replaces nothing.
func (s *Scrubber) Empty() bool { return s == nil || s.secrets == nil || len(*s.secrets) == 0 }

// String returns v with every secret replaced by Placeholder.
func (s *Scrubber) String(v string) string {
	spans := s.find(v)
	if len(spans) == 0 {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	at := 0
	for _, sp := range spans {
		b.WriteString(v[at:sp.from])
		b.WriteString(Placeholder)
		at = sp.to
	}
	b.WriteString(v[at:])
	return b.String()
}

// Bytes returns b with every secret replaced by Placeholder; b itself is
// not modified.
func (s *Scrubber) Bytes(b []byte) []byte {
	if s.Empty() || len(b) == 0 {
		return b
	}
	v := string(b)
	if out := s.String(v); out != v {
		return []byte(out)
	}
	return b
}

// span is where a secret was found in a text: text[from:to].
type span struct{ from, to int }

// find returns where the secrets appear in text, in order, overlapping
// finds merged.
func (s *Scrubber) find(text string) []span {
	if s.Empty() {
		return nil
	}
	var spans []span
	for i := 0; i < len(text); i++ {
		end := -1
		for _, secret := range *s.secrets {
			if text[i] != secret[0] && text[i] != '\\' {
				continue
			}
			for depth := 0; depth <= maxDepth; depth++ {
				if e, ok := match(text, i, secret, depth); ok && e > end {
					end = e
				}
			}
		}
		if end < 0 {
			continue
		}
		if n := len(spans); n > 0 && i < spans[n-1].to {
			spans[n-1].to = max(spans[n-1].to, end)
		} else {
			spans = append(spans, span{i, end})
		}
	}
	return spans
}

// match reports whether secret, quoted depth times in JSON, starts at
// text[i], and where it ends.
func match(text string, i int, secret string, depth int) (int, bool) {
	for _, want := range secret {
		r, n := decode(text, i, depth)
		if n == 0 || r != want {
			return 0, false
		}
		i += n
	}
	return i, true
}

// decode reads one character of a string quoted depth times in JSON from
// text[i:], and returns it and the bytes it took; 0 bytes at the end of
// text or where an escape is broken.
func decode(text string, i, depth int) (rune, int) {
	if i >= len(text) {
		return 0, 0
	}
	if depth == 0 {
		return utf8.DecodeRuneInString(text[i:])
	}
	c, n := decode(text, i, depth-1)
	if n == 0 || c != '\\' {
		return c, n
	}
	e, m := decode(text, i+n, depth-1)
	n += m
	switch e {
	case '"', '\\', '/', '\'':
		return e, n
	case 'b':
		return '\b', n
	case 'f':
		return '\f', n
	case 'n':
		return '\n', n
	case 'r':
		return '\r', n
	case 't':
		return '\t', n
	case 'u':
		u, m := hex4(text, i+n, depth-1)
		if m == 0 {
			return 0, 0
		}
		n += m
		if !utf16.IsSurrogate(u) {
			return u, n
		}
		// A character beyond the basic plane is a pair of escapes.
		if c, m := decode(text, i+n, depth-1); m > 0 && c == '\\' {
			if e, m2 := decode(text, i+n+m, depth-1); m2 > 0 && e == 'u' {
				if lo, m3 := hex4(text, i+n+m+m2, depth-1); m3 > 0 {
					if r := utf16.DecodeRune(u, lo); r != utf8.RuneError {
						return r, n + m + m2 + m3
					}
				}
			}
		}
		return utf8.RuneError, n
	}
	return 0, 0
}

// hex4 reads the four hex digits of a \u escape, of either case.
func hex4(text string, i, depth int) (rune, int) {
	var u rune
	n := 0
	for range 4 {
		c, m := decode(text, i+n, depth)
		if m == 0 {
			return 0, 0
		}
		n += m
		switch {
		case '0' <= c && c <= '9':
			u = u<<4 | (c - '0')
		case 'a' <= c && c <= 'f':
			u = u<<4 | (c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			u = u<<4 | (c - 'A' + 10)
		default:
			return 0, 0
		}
	}
	return u, n
}
