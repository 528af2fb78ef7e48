package main

// This file holds the tests of delete: several ids, --wait for all of
// them, one exit status for all, and the question asked at a terminal
// unless --yes (pty_test.go runs the command on a pseudo-terminal).

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// Several ids are deleted, each once, without asking when standard input
// is no terminal; --wait waits until every one is gone.
func TestDeleteSeveral(t *testing.T) {
	t.Parallel()
	for _, version := range []string{version1Dot1, version1Dot0} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t, vpntest.Options{GatewayQuota: 10, TransitionDelay: 50 * time.Millisecond})
			ids := addGateways(t, c.srv, 4)
			r := c.ok("--api-version", version, "gateways", "delete", ids[0], ids[1], ids[0], ids[2], "--wait")
			assert.Empty(t, r.stdout)
			assert.NotContains(t, r.stderr, "[y/N]", "a script is not asked")
			for _, id := range ids[:3] {
				assert.Contains(t, r.stderr, "VPN gateway "+id+" deleted")
				assert.Equal(t, exitNotFound, c.run("gateways", "get", id).code, "gone: %s", id)
			}
			assert.Equal(t, 3, c.srv.CountRequests(http.MethodDelete, "/v1/vpn-gateways/*"), "an id given twice is deleted once")
			c.ok("gateways", "get", ids[3])

			r = c.ok("--api-version", version, "gateways", "delete", ids[3], "--yes", "-o", "json")
			assert.Empty(t, r.stdout)
			assert.NotContains(t, r.stderr, "being deleted", "-o json says nothing")
		})
	}
}

// A failure does not stop the others; the exit status is that of the
// failures: 3 when all that failed do not exist, 1 when they differ.
func TestDeleteSeveralWithFailures(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{GatewayQuota: 10})
	ids := addGateways(t, c.srv, 4)
	_, err := c.srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: ids[3]})
	require.NoError(t, err)

	r := c.run("gateways", "delete", ids[0], "nosuchgateway", ids[1], "--wait")
	assert.Equal(t, exitNotFound, r.code, r.stderr)
	assert.Contains(t, r.stderr, "DELETE /v1/vpn-gateways/nosuchgateway: 404 Not Found")
	assert.Contains(t, r.stderr, "scpvpn: 1 of 3 VPN gateways not deleted, or not seen gone: see above")
	assert.Contains(t, r.stderr, "VPN gateway "+ids[1]+" deleted", "the one after the failure too")
	assert.Empty(t, r.stdout)

	r = c.run("gateways", "delete", "nosuchgateway", ids[3], ids[2])
	assert.Equal(t, exitFailure, r.code, r.stderr)
	assert.Contains(t, r.stderr, "404 Not Found")
	assert.Contains(t, r.stderr, "409 Conflict")
	assert.Contains(t, r.stderr, "2 of 3 VPN gateways not deleted")
	assert.Contains(t, r.stderr, "VPN gateway "+ids[2]+" is being deleted")

	// One id: its own error, as before.
	r = c.run("tunnels", "delete", "nosuchtunnel")
	assert.Equal(t, exitNotFound, r.code)
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"), r.stderr)

	r = c.run("gateways", "delete")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "want ID..., got 0")
}

// Only a person at a terminal is asked, and --yes answers for them.
func TestMustConfirm(t *testing.T) {
	t.Parallel()
	assert.True(t, mustConfirm(false, true), "a terminal, no --yes")
	assert.False(t, mustConfirm(true, true), "--yes")
	assert.False(t, mustConfirm(false, false), "a script")
	assert.False(t, mustConfirm(true, false))
	assert.False(t, isTerminal(strings.NewReader("y\n")), "a reader is no terminal")
}

// The answer is yes for y or yes, in any case; anything else, or nothing,
// is no; an interruption ends the question.
func TestConfirm(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"y\n": true, "YES\n": true, " yes \r\n": true, "y": true,
		"n\n": false, "\n": false, "": false, "yess\n": false, "no\n": false,
	} {
		var out bytes.Buffer
		got, err := confirm(context.Background(), strings.NewReader(in), &out, "Delete it?")
		require.NoError(t, err)
		assert.Equal(t, want, got, "%q", in)
		assert.True(t, strings.HasPrefix(out.String(), "Delete it? [y/N] "), out.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	pr, pw := io.Pipe()
	defer pw.Close()
	_, err := confirm(ctx, pr, io.Discard, "Delete it?")
	assert.ErrorIs(t, err, context.Canceled)
}

// Every id is checked before any is sent: an empty one (an unset variable
// in a script) or a dot segment anywhere stops the command with status 2,
// and then nothing was sent, as status 2 says.
func TestDeleteChecksEveryIDFirst(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	ids := addGateways(t, c.srv, 2)
	for _, args := range [][]string{
		{ids[0], "", ids[1]},
		{ids[0], ids[1], ".."},
		{".", ids[0]},
		{""},
	} {
		r := c.run(append([]string{"gateways", "delete", "--yes"}, args...)...)
		assert.Equal(t, exitUsage, r.code, "%q: %s", args, r.stderr)
		assert.Contains(t, r.stderr, "scpvpn: invalid VPN gateway id: argument ", "%q", args)
		assert.Contains(t, r.stderr, "; nothing was deleted", "%q", args)
	}
	assert.Zero(t, c.srv.CountRequests(http.MethodDelete, "/v1/vpn-gateways/*"), "nothing sent")
	r := c.run("tunnels", "delete", "tn1", "", "..")
	assert.Contains(t, r.stderr, `invalid VPN tunnel id: argument 2 must not be empty (an unset variable?); argument 3 ("..") must not be a dot segment; nothing was deleted`)
	assert.Empty(t, c.srv.Requests())
}

// Should the SDK refuse an id the command let through, the status of
// several deletions is not 2 once some were sent.
func TestDeleteRefusedAfterSomeSent(t *testing.T) {
	t.Parallel()
	refused := &scpvpn.ValidationError{Request: "id", Fields: []scpvpn.FieldError{{Field: "id", Problem: "is refused"}}}
	for _, tc := range []struct {
		ids  []string
		want int
	}{
		{[]string{"sent", "refused"}, exitFailure},
		{[]string{"refused", "refused too"}, exitUsage},
	} {
		var stderr bytes.Buffer
		a := &app{stderr: &stderr, scrub: newScrubber(), output: formatJSON}
		k := &kind[scpvpn.Gateway, scpvpn.GatewayCreateRequest, scpvpn.GatewaySetRequest]{a: a, noun: "VPN gateway",
			delete: func(_ context.Context, id string, _ ...scpvpn.CallOption) error {
				if strings.HasPrefix(id, "refused") {
					return refused
				}
				return nil
			}}
		err := k.runDelete(t.Context(), tc.ids, false, false)
		require.Error(t, err)
		assert.Equal(t, tc.want, codeOf(err), "%q: %v", tc.ids, err)
	}
}
