package scpvpn_test

// Tests of how an endpoint is checked: an unusable one is refused with a
// message that never shows its password and says what would work.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// A password that holds a character URLs reserve ("/", "#", "?") makes the
// URL unparsable; the message must still not show it.
func TestInvalidEndpointNeverShowsAPassword(t *testing.T) {
	t.Parallel()
	for _, endpoint := range []string{
		"https://user:pXq/ss-w0rd@proxy.example.com",
		"https://user:pXq#ss-w0rd@proxy.example.com",
		"https://user:pXq?ss-w0rd@proxy.example.com",
		"https://user:pXq%zzss-w0rd@proxy.example.com",
		"user:pXq/ss-w0rd@proxy.example.com",
		"https://user:pXq ss-w0rd@proxy.example.com",
	} {
		for _, opt := range []scpvpn.Option{scpvpn.WithEndpoint(endpoint), scpvpn.WithCatalog(endpoint, "")} {
			_, err := scpvpn.NewClient(opt, scpvpn.WithCredentials("ak", "sk"))
			require.ErrorIs(t, err, scpvpn.ErrInvalidEndpoint, endpoint)
			assert.NotContains(t, err.Error(), "ss-w0rd", endpoint)
			assert.NotContains(t, err.Error(), "pXq", endpoint)
		}
	}
}

// An endpoint that has a scheme but does not parse is not a URL "without
// its scheme": the message must not suggest adding one.
func TestInvalidEndpointAdvice(t *testing.T) {
	t.Parallel()
	for endpoint, want := range map[string]string{
		"https://vpn.example.com:abc":   "not a valid URL",
		"https://vpn.example.com/\x00":  "not a valid URL",
		"https://:443":                  "has no host",
		"https://vpn.example.com:0":     "port",
		"https://vpn.example.com:99999": "port",
		"https:vpn.example.com":         `did you mean "https://vpn.example.com"?`,
		"127.0.0.1:18080":               `did you mean "http://127.0.0.1:18080"?`,
	} {
		_, err := scpvpn.NewClient(scpvpn.WithEndpoint(endpoint), scpvpn.WithCredentials("ak", "sk"))
		require.ErrorIs(t, err, scpvpn.ErrInvalidEndpoint, endpoint)
		assert.Contains(t, err.Error(), want, endpoint)
		assert.NotContains(t, err.Error(), "https://https://", endpoint)
	}
	for _, endpoint := range []string{"https://vpn.example.com:443", "http://127.0.0.1:18080/proxy/vpn", "https://[::1]:8443"} {
		_, err := scpvpn.NewClient(scpvpn.WithEndpoint(endpoint), scpvpn.WithCredentials("ak", "sk"))
		require.NoError(t, err, endpoint)
	}
}
