package redact

// This file holds the Scrubber: the secret values a call knows, replaced
// wherever they appear in text, in every spelling a server may echo them
// in.

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A Scrubber replaces known secret values in text, wherever they appear,
// in every spelling a server may echo them in:
//
//   - as they are, or inside a JSON string however its writer escaped them
//     (any character as \uXXXX in either case, "/" as \/, and the short
//     escapes), or inside a JSON string quoted within another, twice over;
//   - URL-encoded, as url.QueryEscape or url.PathEscape write them (or any
//     other choice of characters percent-encoded, in either case of hex),
//     as they are or inside a JSON string;
//   - in base64, standard and URL alphabets, padded and raw, in each of
//     the above (for a secret of at least minEncoded bytes: the base64 of
//     a shorter one would be found in ordinary words).
//
// The zero value, or nil, replaces nothing.
type Scrubber struct {
	// set is behind a pointer so that fmt, printing a struct that holds a
	// Scrubber, shows an address rather than the secrets.
	set *secretSet
}

// secretSet is what a Scrubber looks for.
type secretSet struct {
	secrets []string // as given
	forms   []string // what is looked for: each secret, and its base64
	// starts holds the bytes a find can start with: the first byte of a
	// form, or an escape (\ of JSON, % of a URL, + for a space). Most
	// bytes of most texts are not among them, which keeps a text without
	// secrets cheap to scrub.
	starts [256]bool
}

// maxDepth is how many times over a secret may have been quoted in JSON:
// a server that quotes a JSON body inside a JSON string escapes it twice.
const maxDepth = 2

// minEncoded is the length from which a secret is also looked for in
// base64: 6 bytes encode to 8 characters.
const minEncoded = 6

// NewScrubber returns a Scrubber of the non-empty secrets given.
func NewScrubber(secrets ...string) *Scrubber {
	return (&Scrubber{}).With(secrets...)
}

// With returns a Scrubber of s's secrets and more.
func (s *Scrubber) With(secrets ...string) *Scrubber {
	var old []string
	if !s.Empty() {
		old = s.set.secrets
	}
	var added []string
	for _, v := range secrets {
		if v != "" && !slices.Contains(old, v) && !slices.Contains(added, v) {
			added = append(added, v)
		}
	}
	if len(added) == 0 && !s.Empty() {
		return s
	}
	set := &secretSet{secrets: append(slices.Clip(old), added...)}
	if !s.Empty() {
		set.forms, set.starts = slices.Clip(s.set.forms), s.set.starts
	}
	set.starts['\\'], set.starts['%'] = true, true
	for _, v := range added {
		for _, f := range spellings(v) {
			if !slices.Contains(set.forms, f) {
				set.forms = append(set.forms, f)
				set.starts[f[0]] = true
				if f[0] == ' ' {
					set.starts['+'] = true // a space in a query
				}
			}
		}
	}
	return &Scrubber{set: set}
}

// spellings returns secret and, when it is long enough, its base64 forms.
func spellings(secret string) []string {
	out := []string{secret}
	if len(secret) < minEncoded {
		return out
	}
	b := []byte(secret)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if f := enc.EncodeToString(b); !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// Format prints how many secrets s holds, never what they are, under
// every verb.
func (s Scrubber) Format(f fmt.State, _ rune) {
	n := 0
	if s.set != nil {
		n = len(s.set.secrets)
	}
	_, _ = fmt.Fprintf(f, "redact.Scrubber{%d secrets}", n)
}

// Empty reports whether s replaces nothing.
func (s *Scrubber) Empty() bool { return s == nil || s.set == nil || len(s.set.secrets) == 0 }

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
	set := s.set
	var spans []span
	for i := 0; i < len(text); i++ {
		c := text[i]
		if !set.starts[c] {
			continue
		}
		// A byte that is no escape stands for itself in every spelling,
		// and so does the next: the forms whose first two bytes differ
		// cannot start here, which rules out nearly all of them. An
		// escape is decoded once, for the first bytes it may stand for.
		escape := c == '\\' || c == '%' || c == '+'
		var firsts []byte
		var firstsBuf [2 * (maxDepth + 1)]byte
		if escape {
			if firsts = firstBytes(firstsBuf[:0], text, i); len(firsts) == 0 {
				continue
			}
		}
		var next byte
		if i+1 < len(text) {
			next = text[i+1]
		}
		nextEscape := next == '\\' || next == '%' || next == '+'
		end := -1
		for _, form := range set.forms {
			switch {
			case escape:
				if bytes.IndexByte(firsts, form[0]) < 0 {
					continue
				}
			case c != form[0] || len(form) > 1 && next != form[1] && !nextEscape:
				continue
			}
			for depth := 0; depth <= maxDepth; depth++ {
				if e, ok := match(text, i, form, depth); ok && e > end {
					end = e
				}
				if e, ok := matchURL(text, i, form, depth); ok && e > end {
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

// firstBytes appends to out the bytes that the character at text[i] may
// stand for, in every spelling looked for: the first byte of what it
// decodes to in JSON quoted 0 to maxDepth times, and of what that decodes
// to in a URL.
func firstBytes(out []byte, text string, i int) []byte {
	for depth := 0; depth <= maxDepth; depth++ {
		r, n := decode(text, i, depth)
		if n == 0 {
			continue
		}
		var buf [utf8.UTFMax]byte
		utf8.EncodeRune(buf[:], r)
		out = append(out, buf[0])
		switch r {
		case '%':
			if hi, m := hexDigit(text, i+n, depth); m > 0 {
				if lo, m2 := hexDigit(text, i+n+m, depth); m2 > 0 {
					out = append(out, hi<<4|lo)
				}
			}
		case '+':
			out = append(out, ' ')
		}
	}
	return out
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

// matchURL reports whether secret, URL-encoded and then quoted depth times
// in JSON, starts at text[i], and where it ends. Any byte may be
// percent-encoded, in either case of hex, and a space may be a "+".
func matchURL(text string, i int, secret string, depth int) (int, bool) {
	for j := 0; j < len(secret); {
		r, n := decode(text, i, depth)
		switch {
		case n == 0:
			return 0, false
		case r == '%':
			hi, m := hexDigit(text, i+n, depth)
			if m == 0 {
				return 0, false
			}
			lo, m2 := hexDigit(text, i+n+m, depth)
			if m2 == 0 || hi<<4|lo != secret[j] {
				return 0, false
			}
			i, j = i+n+m+m2, j+1
		case r == '+' && secret[j] == ' ':
			i, j = i+n, j+1
		default:
			var buf [utf8.UTFMax]byte
			w := utf8.EncodeRune(buf[:], r)
			if !strings.HasPrefix(secret[j:], string(buf[:w])) {
				return 0, false
			}
			i, j = i+n, j+w
		}
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
		d, m := hexDigit(text, i+n, depth)
		if m == 0 {
			return 0, 0
		}
		n += m
		u = u<<4 | rune(d)
	}
	return u, n
}

// hexDigit reads one hex digit, of either case, of a string quoted depth
// times in JSON, and returns its value.
func hexDigit(text string, i, depth int) (byte, int) {
	c, n := decode(text, i, depth)
	switch {
	case n == 0:
		return 0, 0
	case '0' <= c && c <= '9':
		return byte(c - '0'), n
	case 'a' <= c && c <= 'f':
		return byte(c - 'a' + 10), n
	case 'A' <= c && c <= 'F':
		return byte(c - 'A' + 10), n
	}
	return 0, 0
}
