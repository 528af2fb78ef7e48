package redact

// Tests of the spellings a Scrubber finds beyond JSON's escapes: URL
// encodings and base64, alone and inside JSON strings.

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lowerHex writes the hex digits of every %XX escape in s in lower case.
func lowerHex(s string) string {
	return regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(s, strings.ToLower)
}

// escapeAll percent-encodes every byte of s, in upper- or lower-case hex.
func escapeAll(s string, lower bool) string {
	const upperDigits, lowerDigits = "0123456789ABCDEF", "0123456789abcdef"
	digits := upperDigits
	if lower {
		digits = lowerDigits
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte('%')
		b.WriteByte(digits[s[i]>>4])
		b.WriteByte(digits[s[i]&15])
	}
	return b.String()
}

// goQuoted is s as encoding/json writes it inside a string, HTML
// characters (&, <, >) as \u escapes.
func goQuoted(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return string(b[1 : len(b)-1])
}

// TestScrubberFindsURLEncodings: a secret as url.QueryEscape and
// url.PathEscape write it, with upper- or lower-case hex, every byte
// escaped, and inside JSON strings (Go's writer escapes the & that
// PathEscape leaves), is found.
func TestScrubberFindsURLEncodings(t *testing.T) {
	t.Parallel()
	const secret = `Kq3 +vZ/9&w=X?é%41`
	s := NewScrubber(secret)
	query, path := url.QueryEscape(secret), url.PathEscape(secret)
	require.NotEqual(t, query, path, "the two escapings differ for this secret")
	require.Contains(t, path, "&", "which JSON writers escape")
	forms := map[string]string{
		"QueryEscape":                 query,
		"QueryEscape, lower-case hex": lowerHex(query),
		"PathEscape":                  path,
		"PathEscape, lower-case hex":  lowerHex(path),
		"every byte escaped":          escapeAll(secret, false),
		"every byte, lower-case hex":  escapeAll(secret, true),
		"QueryEscape in JSON":         goQuoted(t, query),
		"PathEscape in JSON":          goQuoted(t, path),
		"PathEscape in JSON, twice":   goQuoted(t, goQuoted(t, path)),
		"PathEscape, \\/ and \\u":     strings.ReplaceAll(strings.ReplaceAll(path, "&", `\u0026`), "%", `\u0025`),
	}
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			text := `{"location":"https://vpn.example/v1/x?psk=` + form + `&next=1"}`
			assert.Equal(t, `{"location":"https://vpn.example/v1/x?psk=[REDACTED]&next=1"}`, s.String(text))
		})
	}
}

// TestScrubberFindsBase64: a secret in base64, standard and URL alphabets,
// padded and raw, as it is, URL-encoded and inside JSON, is found whole,
// padding included.
func TestScrubberFindsBase64(t *testing.T) {
	t.Parallel()
	const secret = "PSK\xfb\xff\xbf-key>?~" // bytes that give + and / in base64
	s := NewScrubber(secret)
	std := base64.StdEncoding.EncodeToString([]byte(secret))
	require.Contains(t, std, "+")
	require.Contains(t, std, "/")
	require.Contains(t, std, "=")
	forms := map[string]string{
		"standard":                    std,
		"standard, raw":               base64.RawStdEncoding.EncodeToString([]byte(secret)),
		"URL alphabet":                base64.URLEncoding.EncodeToString([]byte(secret)),
		"URL alphabet, raw":           base64.RawURLEncoding.EncodeToString([]byte(secret)),
		"standard, query-escaped":     url.QueryEscape(std),
		"standard, lower-case escape": lowerHex(url.QueryEscape(std)),
		"standard, in PHP's JSON":     strings.ReplaceAll(std, "/", `\/`),
		"standard, in .NET's JSON":    strings.ReplaceAll(std, "+", `\u002B`),
	}
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, `{"detail":"key [REDACTED] refused"}`, s.String(`{"detail":"key `+form+` refused"}`))
		})
	}
}

// A short secret is not looked for in base64, whose few characters would
// be found in ordinary words; it is still found as it is and URL-encoded.
func TestScrubberShortSecretIsNotLookedForInBase64(t *testing.T) {
	t.Parallel()
	s := NewScrubber("ab c")
	enc := base64.RawStdEncoding.EncodeToString([]byte("ab c")) // YWIgYw
	assert.Equal(t, "word "+enc, s.String("word "+enc))
	assert.Equal(t, "[REDACTED] [REDACTED] [REDACTED]", s.String("ab c ab+c ab%20c"))
}

// URL-decoding does not make the rest of a text match: escapes that spell
// something else, broken escapes and a "+" where the secret has none stay.
func TestScrubberURLEncodingLeavesTheRestAlone(t *testing.T) {
	t.Parallel()
	s := NewScrubber("secret-1234")
	for _, text := range []string{
		"secret%2D123",   // a part
		"secret%2D123%3", // an escape cut short
		"secret%2G1234",  // not hex
		"secret+1234",    // a + is a space, not a -
		"%%%%%%%%%%%%%%",
		"%",
		// base64 cut short, before the core of the secret's 11 bytes
		// (c2VjcmV0LTEyMz, 14 characters, is that core: found).
		"c2VjcmV0LTEy",
	} {
		assert.Equal(t, text, s.String(text))
	}
}

// BenchmarkScrubberNothingToFind scrubs a 64 KiB error body that holds
// none of the secrets of a call: the secret key, a token, a pre-shared key
// and a signature, with their base64.
func BenchmarkScrubberNothingToFind(b *testing.B) {
	s := NewScrubber("Sk-9f8e7d6c5b4a-TopSecret", "Tok-abcdef-0123456789", "PSK-Only-The-Peers-Know-42",
		"q0u8m3ZlwZ9w2nHc8z8c5ZbqC8yWJm1rX0gqkqv0n9E=")
	text := strings.Repeat(`{"errors":[{"code":"InvalidParameter","detail":"vpn_gateway_id 3f2a-11 is not found (100%)"}]} `, 700)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if s.String(text) != text {
			b.Fatal("found a secret")
		}
	}
}
