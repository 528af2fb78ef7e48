package redact

// Tests of both lines of defence: secret values found however a server
// escaped them, and the values of secret keys replaced in JSON bodies.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quoteJSON returns v as encoding/json writes it inside a string.
func quoteJSON(t *testing.T, v string) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b[1 : len(b)-1])
}

func TestScrubberFindsEveryEscaping(t *testing.T) {
	t.Parallel()
	const secret = `Kq3+vZ/9wX=<"é\😀`
	s := NewScrubber(secret)
	forms := map[string]string{
		"raw":                         secret,
		"Go":                          quoteJSON(t, secret),
		"Go, quoted twice":            quoteJSON(t, quoteJSON(t, secret)),
		"Python (ensure_ascii)":       `Kq3+vZ/9wX=<\"\u00e9\\\ud83d\ude00`,
		"upper-case hex (.NET, Java)": `Kq3\u002BvZ\u002F9wX\u003D\u003C\u0022\u00E9\u005C\uD83D\uDE00`,
		"PHP (\\/ for /)":             `Kq3+vZ\/9wX=<\"\u00e9\\\ud83d\ude00`,
		"PHP, quoted twice":           `Kq3+vZ\\\/9wX=<\\\"\\u00e9\\\\\\ud83d\\ude00`,
		"every character escaped":     `\u004b\u0071\u0033\u002b\u0076\u005a\u002f\u0039\u0077\u0058\u003d\u003c\u0022\u00e9\u005c\ud83d\ude00`,
	}
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			text := `{"detail":"the key ` + form + ` is refused"}`
			got := s.String(text)
			assert.Equal(t, `{"detail":"the key [REDACTED] is refused"}`, got)
			assert.Equal(t, got, string(s.Bytes([]byte(text))))
		})
	}
}

func TestScrubberLeavesTheRestAlone(t *testing.T) {
	t.Parallel()
	s := NewScrubber("secret-1234")
	for _, text := range []string{
		"",
		"nothing here",
		"secret-123",               // a part is not the secret
		`secret\u002d123`,          // nor escaped
		`secret-12\u0033`[:14],     // an escape cut short
		`\\\\\\\\\\\\\\\\\\\\\\\\`, // backslashes alone
		`\u12`,
		`\ud83d`, // a lone surrogate
	} {
		assert.Equal(t, text, s.String(text))
	}
	in := []byte("a secret-1234 b")
	out := s.Bytes(in)
	assert.Equal(t, "a [REDACTED] b", string(out))
	assert.Equal(t, "a secret-1234 b", string(in), "the input is not modified")
}

func TestScrubberOverlappingSecrets(t *testing.T) {
	t.Parallel()
	s := NewScrubber("abcdef", "defghi", "cd")
	assert.Equal(t, "x[REDACTED]y", s.String("xabcdefghiy"))
	assert.Equal(t, "[REDACTED] [REDACTED]", s.String("abcdef defghi"))
	assert.Equal(t, "[REDACTED][REDACTED]", s.String("abcdefabcdef"), "adjacent finds stay apart")
}

func TestScrubberWith(t *testing.T) {
	t.Parallel()
	var none *Scrubber
	assert.True(t, none.Empty())
	assert.Equal(t, "a secret", none.String("a secret"))
	assert.True(t, NewScrubber("", "").Empty())

	base := NewScrubber("first-secret")
	more := base.With("second-secret", "")
	assert.Equal(t, "[REDACTED] [REDACTED]", more.String("first-secret second-secret"))
	assert.Equal(t, "[REDACTED] second-secret", base.String("first-secret second-secret"), "With leaves its receiver as it was")
	assert.Same(t, base, base.With(), "nothing to add")
	assert.Same(t, base, base.With("first-secret"), "nothing new to add")
	assert.Equal(t, "[REDACTED]", none.With("x-secret").String("x-secret"))
}

func TestScrubberPrintsNoSecret(t *testing.T) {
	t.Parallel()
	holder := struct{ S *Scrubber }{NewScrubber("the-secret-value")}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		assert.NotContains(t, fmt.Sprintf(verb, holder), "the-secret-value", verb)
		assert.NotContains(t, fmt.Sprintf(verb, *holder.S), "the-secret-value", verb)
	}
}

// A long text with many near misses is scrubbed in one pass.
func TestScrubberLongText(t *testing.T) {
	t.Parallel()
	s := NewScrubber(strings.Repeat("k", 64))
	text := strings.Repeat(strings.Repeat("k", 63)+`\`, 1<<10) + strings.Repeat("k", 64)
	got := s.String(text)
	assert.True(t, strings.HasSuffix(got, `\`+Placeholder))
	assert.Equal(t, 1, strings.Count(got, Placeholder))
}

func TestSensitive(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"pre_shared_key", "preSharedKey", "pre-shared-key", "PRE_SHARED_KEY", "psk", "PSK",
		"secret_key", "secretKey", "password", "signature", "Scp-Signature"[4:], "token", "auth_token", "X-Auth-Token"} {
		assert.True(t, Sensitive(k), k)
	}
	for _, k := range []string{"key", "name", "pre_shared", "description", "tokens", "passwords"} {
		assert.False(t, Sensitive(k), k)
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		``:      ``,
		" \n\t": ``,
		`{"phase1":{"pre_shared_key":"abc","ike_version":2},"list":[{"psk":"x"},{"token":{"a":1}}],"name":"n"}`: `{"list":[{"psk":"[REDACTED]"},{"token":"[REDACTED]"}],"name":"n","phase1":{"ike_version":2,"pre_shared_key":"[REDACTED]"}}`,
		`[{"loc":["body"],"input":"x","preSharedKey":"k"}]`:                                                     `[{"input":"x","loc":["body"],"preSharedKey":"[REDACTED]"}]`,
		`{"n":12345678901234567890}`: `{"n":12345678901234567890}`,
		`not json`:                   `[body of 8 bytes that is not JSON]`,
		`{"a":1`:                     `[body of 6 bytes that is not JSON]`,
	}
	for in, want := range cases {
		assert.Equal(t, want, JSON([]byte(in)), in)
	}
}

func TestSecretsIn(t *testing.T) {
	t.Parallel()
	body := []byte(`{"phase1":{"pre_shared_key":"k1","psk":""},"list":[{"preSharedKey":"k2"},{"token":7}],"name":"key"}`)
	assert.ElementsMatch(t, []string{"k1", "k2"}, SecretsIn(body))
	assert.Nil(t, SecretsIn(nil))
	assert.Nil(t, SecretsIn([]byte(`{"name":"n"}`)), "no name that can hold a secret")
	assert.Nil(t, SecretsIn([]byte(`{"pre_shared_key":`)), "not JSON")
	assert.True(t, bytes.Contains(body, []byte("k1")), "the body is not modified")
}
