package main

// Review 3: delete with several ids promises one exit status for all of
// them, 5 as soon as the outcome of any is unknown ("that must not be
// hidden", combinedCode). When --timeout ends the command later on, the
// status is that of the error met last (1), and the 5 of an earlier id,
// whose deletion may or may not have been done, is lost: a script that
// branches on 5 to check before retrying does not.

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn/vpntest"
)

func TestReview3DeleteSeveralKeepsUnknownWhenTimeoutEndsIt(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{GatewayQuota: 10, TransitionDelay: time.Hour})
	ids := addGateways(t, c.srv, 2)
	// The first id's DELETE is answered by a proxy's 502 every time: it
	// may have reached the service, and the gateway reads back ACTIVE (the
	// service is slow to start deleting): its outcome is unknown.
	steps := make([]vpntest.Step, 20)
	for i := range steps {
		steps[i] = vpntest.Respond(502)
	}
	c.srv.Script("DELETE", "/v1/vpn-gateways/"+ids[0], steps...)

	// Alone, the first id ends with status 5.
	r := c.run("gateways", "delete", ids[0], "--timeout", "60s")
	require.Equal(t, exitUnknown, r.code, "precondition: the first id's outcome is unknown on its own: %s", r.stderr)

	// With a second id that is never seen gone within --timeout.
	r = c.run("gateways", "delete", ids[0], ids[1], "--wait", "--timeout", "5s")
	assert.Contains(t, r.stderr, ids[0], "the first id's unknown outcome is reported")
	assert.Equal(t, exitUnknown, r.code,
		"delete %s %s --wait: the first deletion's outcome is unknown (status 5, printed above), then --timeout ended the wait for the second; the command exits %d, hiding the 5 that says to check before retrying:\n%s",
		ids[0], ids[1], r.code, r.stderr)
}
