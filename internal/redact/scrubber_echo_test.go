package redact

// Tests of the spellings of a secret that a page or a gateway echoes: HTML
// character references, alone, inside JSON and around it, and the secret
// inside the base64 of a longer text (a request body echoed in base64).

import (
	"encoding/base64"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// numericRefs writes every character of s as an HTML numeric character
// reference, decimal or hex.
func numericRefs(s string, hex bool) string {
	var b strings.Builder
	for _, r := range s {
		if hex {
			b.WriteString("&#x" + strings.ToUpper(strings.TrimLeft(sprintHex(r), "0")) + ";")
		} else {
			b.WriteString("&#" + sprintDec(r) + ";")
		}
	}
	return b.String()
}

func sprintHex(r rune) string {
	const digits = "0123456789abcdef"
	out := ""
	for ; r > 0; r >>= 4 {
		out = string(digits[r&15]) + out
	}
	return out
}

func sprintDec(r rune) string {
	out := ""
	for ; r > 0; r /= 10 {
		out = string(rune('0'+r%10)) + out
	}
	return out
}

// TestScrubberFindsHTMLEscapes: a secret HTML-escaped, as html.EscapeString
// and other escapers write it, alone, inside a JSON string (a detail
// written by a template), and around one (a page quoting a JSON body), is
// found.
func TestScrubberFindsHTMLEscapes(t *testing.T) {
	t.Parallel()
	const secret = `Kq3<vZ>9&wX"y'-4711`
	s := NewScrubber(secret)
	forms := map[string]string{
		"html.EscapeString":                   html.EscapeString(secret),
		"named references":                    `Kq3&lt;vZ&gt;9&amp;wX&quot;y&apos;-4711`,
		"named references, upper case":        `Kq3&LT;vZ&GT;9&AMP;wX&QUOT;y'-4711`,
		"every character, decimal":            numericRefs(secret, false),
		"every character, hex":                numericRefs(secret, true),
		"escaped, in a JSON string":           quoteJSON(t, html.EscapeString(secret)),
		"escaped, in a JSON string, twice":    quoteJSON(t, quoteJSON(t, html.EscapeString(secret))),
		"a JSON string, escaped":              html.EscapeString(quoteJSON(t, secret)),
		"a JSON string, escaped, then quoted": quoteJSON(t, html.EscapeString(quoteJSON(t, secret))),
		"a JSON string twice, escaped":        html.EscapeString(quoteJSON(t, quoteJSON(t, secret))),
	}
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, `<pre>key [REDACTED] refused</pre>`, s.String(`<pre>key `+form+` refused</pre>`))
		})
	}
}

// HTML-decoding does not make the rest of a text match: references that
// are broken, unknown or spell something else stay as they are.
func TestScrubberHTMLLeavesTheRestAlone(t *testing.T) {
	t.Parallel()
	s := NewScrubber("a<b&c-secret")
	for _, text := range []string{
		"a&lt;b&amp;c-secre",       // a part
		"a&lt b&amp;c-secret",      // no ;
		"a&lg;b&amp;c-secret",      // unknown
		"a&#60b&amp;c-secret",      // no ;
		"a&#x3G;b&amp;c-secret",    // not hex
		"a&#6000000000;b&c-secret", // beyond Unicode
		"a&gt;b&amp;c-secret",      // another character
		"&&&&&&&&&&&&&&&&&&&&&&&&&",
		"&#;&#x;&;",
	} {
		assert.Equal(t, text, s.String(text))
	}
}

// base64Run finds runs of base64.
var base64Run = regexp.MustCompile(`[A-Za-z0-9+/_-]{8,}=*`)

// TestScrubberFindsASecretInsideTheBase64OfALongerText: a secret inside a
// longer text that is echoed in base64 (in each of the three places a
// byte can have in a group of three, both alphabets, padded or not) is
// replaced by base64 of the same length: the text still decodes, to
// stars where the secret was, and the rest as it was.
func TestScrubberFindsASecretInsideTheBase64OfALongerText(t *testing.T) {
	t.Parallel()
	const secret = "PSK\xfb\xff\xbf-key>?~+/" // bytes that give + and / in base64
	s := NewScrubber(secret)
	encodings := map[string]*base64.Encoding{
		"standard": base64.StdEncoding, "standard, raw": base64.RawStdEncoding,
		"URL": base64.URLEncoding, "URL, raw": base64.RawURLEncoding,
	}
	for name, enc := range encodings {
		for _, before := range []string{"", "{", `{"`, `{"psk":"`, `{"psk": "`, `{"psk":  "`} {
			after := `","name":"gw"}`
			text := before + secret + after
			echoed := enc.EncodeToString([]byte(text))
			t.Run(name+"/"+before, func(t *testing.T) {
				t.Parallel()
				got := s.String(`{"detail":"refused body ` + echoed + `"}`)
				run := base64Run.FindString(strings.TrimPrefix(got, `{"detail":"refused body `))
				require.Len(t, run, len(echoed), "the same length: %s", got)
				decoded, err := enc.DecodeString(run)
				require.NoError(t, err, "it still decodes")
				assert.NotContains(t, string(decoded), secret)
				assert.Contains(t, string(decoded), strings.Repeat("*", len(secret)-2), "stars where the secret was, but for bits of its ends")
				assert.True(t, strings.HasPrefix(string(decoded), before), "the rest decodes as it was: %q", decoded)
				assert.True(t, strings.HasSuffix(string(decoded), after), "the rest decodes as it was: %q", decoded)
			})
		}
	}
}

// A secret is found inside the base64 of a JSON body as the body carried
// it: escaped as encoding/json escapes a string.
func TestScrubberFindsAQuotedSecretInsideBase64(t *testing.T) {
	t.Parallel()
	const secret = `Rv2<&>"psk'-0042`
	s := NewScrubber(secret)
	body := `{"phase1":{"pre_shared_key":"` + quoteJSON(t, secret) + `"}}`
	echoed := base64.StdEncoding.EncodeToString([]byte(body))
	got := s.String(echoed)
	decoded, err := base64.StdEncoding.DecodeString(got)
	require.NoError(t, err)
	assert.NotContains(t, string(decoded), quoteJSON(t, secret))
	assert.Contains(t, string(decoded), `{"phase1":{"pre_shared_key":"`)
}

// Only a secret of minCore bytes or more is looked for inside a longer
// base64, where a shorter one's few characters would match by chance.
func TestScrubberShortSecretIsNotLookedForInsideBase64(t *testing.T) {
	t.Parallel()
	short, long := "Kq3vZ9w", "Kq3vZ9wX"
	require.Len(t, long, minCore)
	for _, before := range []string{"x", "xy"} { // not where its own base64 starts
		echoed := base64.StdEncoding.EncodeToString([]byte(before + short + "yz"))
		assert.Equal(t, echoed, NewScrubber(short).String(echoed))
		echoed = base64.StdEncoding.EncodeToString([]byte(before + long + "yz"))
		assert.NotEqual(t, echoed, NewScrubber(long).String(echoed))
	}
}
