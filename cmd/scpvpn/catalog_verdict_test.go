package main

// The command line's verdicts when the IAM catalog fails: the catalog's
// 404 says nothing of a gateway (no call reached the VPN service), so a
// wait for its deletion never prints "deleted" nor exits 0, and a delete
// never exits 3 ("does not exist"); its 401 is the key pair's, status 4.

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

func TestACatalogFailureIsNoVerdictOnAGateway(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	gw, err := c.srv.AddGateway(vpntest.GatewaySeed{})
	require.NoError(t, err)
	for status, want := range map[int]int{http.StatusNotFound: exitFailure, http.StatusUnauthorized: exitAuth} {
		iam := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"errors":[{"code":"NotFound","detail":"The requested resource was not found"}]}`))
		}))
		t.Cleanup(iam.Close)
		viaIAM := c.in(t)
		viaIAM.env = setEnv(viaIAM.env, scpvpn.EnvEndpoint, "")
		catalog := []string{"--auth-url", iam.URL + "/v1", "--region", "kr-west1", "--timeout", "30s"}

		r := viaIAM.run(append([]string{"gateways", "wait", gw, "--deleted"}, catalog...)...)
		assert.Equal(t, want, r.code, "the catalog's %d:\n%s", status, r.stderr)
		assert.NotContains(t, r.stderr, "deleted\n", "it says the gateway was deleted")
		assert.Contains(t, r.stderr, "IAM catalog")

		r = viaIAM.run(append([]string{"gateways", "delete", gw, "--yes", "--wait"}, catalog...)...)
		assert.Equal(t, want, r.code, "the catalog's %d:\n%s", status, r.stderr)

		r = viaIAM.run(append([]string{"gateways", "get", gw}, catalog...)...)
		assert.Equal(t, want, r.code, "the catalog's %d:\n%s", status, r.stderr)
	}
	r := c.ok("gateways", "get", gw)
	assert.Contains(t, r.stdout, "ACTIVE", "all the while")
}
