package redact

// The query of a URL: parameters named like secrets, in any spelling or
// escaping of their names, lose their values by name, and yield them by
// value; the rest of the URL stays as it is.

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestURLReplacesTheValuesOfSecretQueryParameters(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"https://h/v1/x?pre_shared_key=abc&name=n": "https://h/v1/x?pre_shared_key=[REDACTED]&name=n",
		"/v1/x?name=n&Pre-Shared-Key=a%2Fb+c":      "/v1/x?name=n&Pre-Shared-Key=[REDACTED]",
		"/v1/x?%70sk=abc&page=1":                   "/v1/x?%70sk=[REDACTED]&page=1",
		"/v1/x?token=t&token=u#frag":               "/v1/x?token=[REDACTED]&token=[REDACTED]#frag",
		"/v1/x?psk":                                "/v1/x?psk=[REDACTED]",
		"/v1/x?name=pre_shared_key&keyring=k":      "/v1/x?name=pre_shared_key&keyring=k",
		"/v1/x":                                    "/v1/x",
		"/v1/x?":                                   "/v1/x?",
	} {
		assert.Equal(t, want, URL(raw), "URL(%q)", raw)
	}
}

func TestSecretsInURLAreTheValuesOfSecretQueryParameters(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"a/b c", "t"}, SecretsInURL("/v1/x?name=n&Pre-Shared-Key=a%2Fb+c&%74oken=t&psk="))
	assert.Empty(t, SecretsInURL("/v1/x?name=secret&page=2"))
	assert.Empty(t, SecretsInURL("/v1/x"))
}
