package main

// Review of release 0.3 (issue 17, item 3): the command line's teardown
// verdicts, for a client configured with a wrong path prefix in front of
// the project's own fake, whose router answers such paths with 404 and
// the API's error body. Fails on the code it was written against.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn/vpntest"
)

// TestReview1WrongPathPrefixIsNotDeleted is issue 17's headline: "scpvpn
// gateways wait --deleted prints "deleted" and exits 0" for a gateway that
// is ACTIVE, when the endpoint's path is wrong. Against vpnfake with
// SCP_VPN_ENDPOINT=<url>/vpn it still does; and "gateways delete --wait"
// exits 3 ("does not exist"), which a teardown script reads as "already
// gone".
func TestReview1WrongPathPrefixIsNotDeleted(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	gw, err := c.srv.AddGateway(vpntest.GatewaySeed{})
	require.NoError(t, err)
	wrong := c.in(t)
	wrong.env = append(wrong.env[:len(wrong.env):len(wrong.env)], "SCP_VPN_ENDPOINT="+c.srv.URL+"/vpn")

	r := wrong.run("gateways", "wait", gw, "--deleted", "--timeout", "30s")
	assert.NotEqual(t, exitOK, r.code, "the gateway is ACTIVE:\n%s", r.stderr)
	assert.NotContains(t, r.stderr, "deleted\n", "it says the gateway was deleted")

	r = wrong.run("gateways", "delete", gw, "--yes", "--wait", "--timeout", "30s")
	assert.NotEqual(t, exitOK, r.code, r.stderr)
	assert.NotEqual(t, exitNotFound, r.code, "status 3 says the gateway does not exist:\n%s", r.stderr)

	r = c.ok("gateways", "get", gw)
	assert.Contains(t, r.stdout, "ACTIVE", "all the while")
}
