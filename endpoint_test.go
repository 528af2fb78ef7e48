package scpvpn_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// The IAM auth URL is checked like an endpoint, except that it ends in /v1
// as SCP writes it: the catalog is asked below it, at /endpoints.

func TestAuthURLIsChecked(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		authURL, says string
	}{
		{" https://iam.example/v1", "white space"},
		{"iam.s.samsungsdscloud.com/v1", `did you mean "https://iam.s.samsungsdscloud.com/v1"?`},
		{"ftp://iam.example/v1", "must start with https://"},
		{"https://user:" + logSecretKey + "@iam.example/v1", `"https://xxxxx:xxxxx@iam.example/v1" must not hold credentials`},
		// A token given as the user name is hidden as a password is.
		{"https://" + logSecretKey + "@iam.example/v1", `"https://xxxxx@iam.example/v1" must not hold credentials`},
		{"https://" + logSecretKey + "@iam.example:port/v1", `"https://xxxxx@iam.example:port/v1" is not a valid URL`},
		{"https://iam.example/v1?x=1", "must not hold a query"},
		{"https://", "has no host"},
	} {
		c, err := scpvpn.NewClient(scpvpn.WithCatalog(tt.authURL, ""), scpvpn.WithCredentials(testAccessKey, testSecretKey))
		assert.Nil(t, c)
		require.ErrorIs(t, err, scpvpn.ErrInvalidEndpoint, "%q", tt.authURL)
		assert.Contains(t, err.Error(), "IAM auth URL")
		assert.Contains(t, err.Error(), tt.says)
		assertNoSecret(t, err.Error(), logSecretKey)
	}
	_, err := scpvpn.NewClient(scpvpn.WithCatalog("", "kr-west1"), scpvpn.WithCredentials(testAccessKey, testSecretKey))
	require.ErrorIs(t, err, scpvpn.ErrNoEndpoint, "an empty auth URL is none")
}

func TestAuthURLKeepsItsPath(t *testing.T) {
	t.Parallel()
	for authURL, catalog := range map[string]string{
		"https://iam.s.samsungsdscloud.com/v1":  "https://iam.s.samsungsdscloud.com/v1/endpoints",
		"https://iam.s.samsungsdscloud.com/v1/": "https://iam.s.samsungsdscloud.com/v1/endpoints",
		"http://127.0.0.1:8080/iam/v1":          "http://127.0.0.1:8080/iam/v1/endpoints",
	} {
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock, scpvpn.WithCatalog(authURL, ""))
		var rec recorder
		mock.RegisterResponder(http.MethodGet, catalog, rec.respond(http.StatusOK, catalogBody(catalogEntry{"kr-west1", "scp-vpn", "https://vpn.example"})))
		mock.RegisterResponder(http.MethodDelete, "https://vpn.example/v1/vpn-gateways/g1", httpmock.NewStringResponder(http.StatusAccepted, ""))
		require.NoError(t, deleteGateway(context.Background(), c), authURL)
		assert.Equal(t, catalog, rec.only(t).Request.URL.String())
	}
}

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
