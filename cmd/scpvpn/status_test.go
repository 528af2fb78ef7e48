package main

// This file holds the tests of exit statuses 4 (not authenticated or not
// allowed) and 5 (outcome unknown), of the bound on waits, and of the
// grace a resource just created gets before a 404 means it is gone.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// A key refused (401), a key not allowed (403), a key pair missing and a
// signature that does not verify are status 4, with nothing on standard
// output.
func TestNotAuthenticated(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	gw := addGateways(t, c.srv, 1)[0]
	for _, output := range []string{formatTable, formatJSON} {
		for _, tc := range []struct {
			name  string
			setUp func(c *cli)
			args  []string
			want  string
		}{
			{"401 to a list", func(c *cli) {
				c.srv.Script(http.MethodGet, "/v1/vpn-gateways", vpntest.Respond(http.StatusUnauthorized))
			}, []string{"gateways", "list"}, "401 Unauthorized"},
			{"403 to a create", func(c *cli) {
				c.srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Respond(http.StatusForbidden))
			}, []string{"gateways", "create", "-f", writeFile(t, "gw.json", gatewayFile("gw1"))}, "403 Forbidden"},
			{"403 to a delete of several", func(c *cli) {
				c.srv.Script(http.MethodDelete, "/v1/vpn-gateways/*", vpntest.Respond(http.StatusForbidden), vpntest.Respond(http.StatusForbidden))
			}, []string{"gateways", "delete", gw, "other"}, "403 Forbidden"},
			{"a wrong secret key", func(c *cli) {
				c.env = setEnv(c.env, scpvpn.EnvSecretKey, "not-the-secret-key")
			}, []string{"gateways", "get", gw}, "401 Unauthorized"},
			{"401 from the IAM catalog", func(c *cli) {
				c.env = setEnv(c.env, scpvpn.EnvEndpoint, "")
				c.srv.Script(http.MethodGet, "/iam/v1/endpoints", vpntest.Respond(http.StatusUnauthorized))
			}, []string{"gateways", "get", gw, "--auth-url", c.srv.AuthURL}, "401 Unauthorized"},
			{"no key pair", func(c *cli) {
				c.env = setEnv(setEnv(c.env, scpvpn.EnvAccessKey, ""), scpvpn.EnvSecretKey, "")
				c.env = setEnv(c.env, scpvpn.EnvConfigDir, filepath.Join(t.TempDir(), "none"))
			}, []string{"gateways", "get", gw}, "missing configuration: access key"},
		} {
			t.Run(output+" "+tc.name, func(t *testing.T) {
				c := c.in(t)
				tc.setUp(c)
				r := c.run(append(tc.args, "-o", output)...)
				assert.Equal(t, exitAuth, r.code, r.stderr)
				assert.Contains(t, r.stderr, tc.want)
				assert.Empty(t, r.stdout)
				c.srv.ResetFaults()
			})
		}
	}
}

// An OutcomeUnknownError is status 5 wherever it is wrapped, before what
// else it matches (the 502 or 404 of the call): it may have been done.
func TestOutcomeUnknownIsStatus5(t *testing.T) {
	t.Parallel()
	bad := &scpvpn.APIError{StatusCode: http.StatusBadGateway, Method: http.MethodPost, URL: "https://vpn.example/v1/vpn-gateways"}
	gone := &scpvpn.APIError{StatusCode: http.StatusNotFound, Method: http.MethodPost, URL: "https://vpn.example/v1/vpn-gateways",
		Body: []byte(`{"errors":[{"detail":"not found"}]}`)} // the API's own 404
	for _, err := range []error{
		&scpvpn.OutcomeUnknownError{Op: "create VPN gateway gw1", Err: bad},
		&scpvpn.OutcomeUnknownError{Op: "create VPN gateway gw1", Err: gone},
		&scpvpn.OutcomeUnknownError{Op: "create VPN gateway gw1", Err: context.DeadlineExceeded},
		&exitError{code: exitUnknown, err: &scpvpn.OutcomeUnknownError{Op: "x"}},
	} {
		assert.Equal(t, exitUnknown, exitCode(err), "%v", err)
		assert.Equal(t, exitUnknown, codeOf(err), "%v", err)
		wrapped := action(func(*cobra.Command, []string) error { return err })(nil, nil)
		assert.Equal(t, exitUnknown, codeOf(wrapped), "%v", err)
	}
	assert.Equal(t, exitUnknown, combinedCode([]error{gone, &scpvpn.OutcomeUnknownError{Op: "x"}, bad}))
	assert.Equal(t, exitNotFound, combinedCode([]error{gone, gone}))
	assert.Equal(t, exitFailure, combinedCode([]error{gone, bad}))
}

// testApp returns an app whose standard error is the buffer returned, for
// the tests of what report prints.
func testApp() (*app, *bytes.Buffer) {
	var stderr bytes.Buffer
	s := newScrubber(testToken)
	return &app{stderr: &scrubWriter{w: &stderr, s: s}, scrub: s, output: formatTable}, &stderr
}

// Status 5 prints what the read-back found, made safe for a terminal, and
// says to check before retrying; with nothing found, it says so.
func TestOutcomeUnknownReport(t *testing.T) {
	t.Parallel()
	created := time.Date(2026, 12, 6, 2, 39, 0, 0, time.UTC)
	bad := &scpvpn.APIError{StatusCode: http.StatusBadGateway, Method: http.MethodPost, URL: "https://vpn.example/v1/vpn-gateways"}
	unknown := &scpvpn.OutcomeUnknownError{Op: "create VPN gateway gw1", Err: bad, Candidates: []any{
		&scpvpn.Gateway{ID: "a1", Name: "gw1", State: scpvpn.StateCreating, CreatedAt: created},
		&scpvpn.Gateway{ID: "b2", Name: "gw1\u202e\x1b[2J " + testToken, State: scpvpn.StateActive, CreatedAt: created.Add(time.Second)},
	}}
	a, stderr := testApp()
	code := a.report(nil, &exitError{code: exitCode(unknown), err: fmt.Errorf("creating: %w", unknown)})
	assert.Equal(t, exitUnknown, code)
	assert.Equal(t, "scpvpn: creating: scpvpn: create VPN gateway gw1: outcome unknown, it may have been done: "+
		"POST /v1/vpn-gateways: 502 Bad Gateway; check before retrying\n"+
		"scpvpn: reading back found 2 VPN gateways that may be its doing:\n"+
		"ID   NAME                STATE      CREATED\n"+
		"a1   gw1                 CREATING   2026-12-06T02:39:00Z\n"+
		"b2   gw1[2J [REDACTED]   ACTIVE     2026-12-06T02:39:01Z\n"+
		"Check them (get ID) before retrying: a retry may do it twice.\n", stderr.String())

	a, stderr = testApp()
	code = a.report(nil, &exitError{code: exitUnknown, err: &scpvpn.OutcomeUnknownError{Op: "create VPN tunnel tn1", Err: errors.New("EOF"), Candidates: []any{
		&scpvpn.TunnelV1Dot1{ID: "t1", Name: "tn1", State: scpvpn.StateCreating},
	}}})
	assert.Equal(t, exitUnknown, code)
	assert.Contains(t, stderr.String(), "found 1 VPN tunnel that may be its doing:\nID   NAME   STATE      CREATED\nt1   tn1    CREATING   -\n")

	a, stderr = testApp()
	a.report(nil, &exitError{code: exitUnknown, err: &scpvpn.OutcomeUnknownError{Op: "create VPN tunnel tn1", Candidates: []any{
		&scpvpn.Tunnel{ID: "t1", Name: "tn1", State: scpvpn.StateActive, CreatedAt: created},
		&scpvpn.Tunnel{ID: "t2", Name: "tn1", State: scpvpn.StateActive, CreatedAt: created},
	}}})
	assert.Contains(t, stderr.String(), "found 2 VPN tunnels that may be its doing:")
	assert.Contains(t, stderr.String(), "t2   tn1    ACTIVE   2026-12-06T02:39:00Z\n")

	a, stderr = testApp()
	a.report(nil, &exitError{code: exitUnknown, err: &scpvpn.OutcomeUnknownError{Op: "create VPN gateway gw1", Err: bad}})
	assert.Contains(t, stderr.String(), "reading back found nothing that may be its doing; it may still have been done")
	assert.Contains(t, stderr.String(), "Check before retrying")
}

// settlesCreates reports whether the SDK settles a create whose answer
// confirmed nothing (issue 17, item 4): a 502 to a create is then an
// error matching ErrOutcomeUnknown, where without it it is a plain
// APIError.
func settlesCreates(t *testing.T) bool {
	t.Helper()
	srv := vpntest.NewServer(vpntest.Options{})
	defer srv.Close()
	c, err := srv.Client()
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Respond(http.StatusBadGateway))
	_, err = c.V1Dot1.Gateways.Create(context.Background(), &scpvpn.GatewayCreateRequest{
		Name: "gw1", VPCID: "vpc0a1b2c3d", IPID: "ip0a1b2c3d", IPAddress: "192.0.2.10", IPType: scpvpn.IPTypePublic})
	return errors.Is(err, scpvpn.ErrOutcomeUnknown)
}

// A create answered 502, which may have been done, is status 5 through
// the built command: with nothing read back, and with two gateways of its
// name and VPC that may each be its doing, listed by id; with one, it is
// settled and done. It needs the
// SDK's create settling, another helper's work of release 0.3; the test
// says so and skips while the SDK lacks it.
func TestOutcomeUnknownThroughTheCommand(t *testing.T) {
	t.Parallel()
	if !settlesCreates(t) {
		t.Skip("needs the SDK's settling of creates (issue 17, item 4: a 502 to a create matches ErrOutcomeUnknown), not on this branch yet")
	}
	c := newCLI(t, vpntest.Options{GatewayQuota: 10})
	file := writeFile(t, "gw.json", gatewayFile("gw1"))
	for _, output := range []string{formatTable, formatJSON} {
		c.srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Respond(http.StatusBadGateway))
		r := c.run("gateways", "create", "-f", file, "--wait", "-o", output)
		assert.Equal(t, exitUnknown, r.code, r.stderr)
		assert.Contains(t, r.stderr, "outcome unknown, it may have been done")
		assert.Contains(t, r.stderr, "Check before retrying")
		assert.Empty(t, r.stdout)
	}

	var seeds []string
	for range 2 {
		id, err := c.srv.AddGateway(vpntest.GatewaySeed{Name: "gw1", VPCID: "vpc0a1b2c3d", IPID: "ip0a1b2c3d",
			IPAddress: "192.0.2.10", Description: "to the data centre"})
		require.NoError(t, err)
		seeds = append(seeds, id)
	}
	c.srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Respond(http.StatusBadGateway))
	r := c.run("gateways", "create", "-f", file)
	assert.Equal(t, exitUnknown, r.code, r.stderr)
	assert.Contains(t, r.stderr, "found 2 VPN gateways that may be its doing")
	for _, id := range seeds {
		assert.Regexp(t, "\n"+id+" +gw1 +ACTIVE +20", r.stderr)
	}
	assert.True(t, strings.HasSuffix(r.stderr, "Check them (get ID) before retrying: a retry may do it twice.\n"), r.stderr)
	assert.Empty(t, r.stdout)

	// One left: the read-back settles the create, which succeeds and says
	// how it knows.
	c.ok("gateways", "delete", seeds[1], "--wait")
	c.srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Respond(http.StatusBadGateway))
	r = c.ok("gateways", "create", "-f", file)
	assert.Contains(t, r.stderr, "the answer to the create was lost; reading back found VPN gateway "+seeds[0]+", which it made")
	assert.Contains(t, r.stdout, seeds[0])
}

// Waits are bounded by --timeout, 30 minutes unless given: the note that
// starts a wait says so, and the error that ends one names the flag.
func TestWaitsAreBounded(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{TransitionDelay: time.Hour})
	gw := addGateways(t, c.srv, 1)[0]
	r := c.ok("gateways", "wait", gw)
	assert.Contains(t, r.stderr, "waiting for VPN gateway "+gw+" to be ACTIVE (at most 30m0s: --timeout changes it)")
	r = c.ok("gateways", "wait", gw, "--timeout", "5m")
	assert.Contains(t, r.stderr, "(at most 5m0s: --timeout changes it)")
	r = c.ok("gateways", "wait", gw, "--timeout", "0")
	assert.NotContains(t, r.stderr, "at most")

	// A create that stays CREATING: its wait runs out, and names the flag
	// and what was created. (The bound must leave the create itself,
	// answered at once, time on a loaded machine, where a stall of a
	// second or two happens: 10 s.)
	r = c.run("gateways", "create", "-f", writeFile(t, "gw.json", gatewayFile("gw1")), "--wait", "--timeout", "10s")
	assert.Equal(t, exitOutputFailed, r.code, r.stderr)
	assert.Regexp(t, `scpvpn: created VPN gateway [0-9a-f]+, but waiting for it failed: .*deadline exceeded.*: gave up after --timeout 10s \(give a longer --timeout, or --timeout 0 for no limit\)\nIt was done: check VPN gateway [0-9a-f]+ before running the command again.\n$`, r.stderr)
	assert.Equal(t, 1, strings.Count(r.stderr, "gave up"), "said once")
	r = c.run("gateways", "delete", gw, "--wait", "--timeout", "2s")
	assert.Equal(t, exitFailure, r.code, r.stderr)
	assert.Contains(t, r.stderr, "gave up after --timeout 2s")
}

// create --wait gives the resource it created a grace period: reads lag
// behind the create, and a 404 just after it means not yet, not gone.
func TestCreateWaitGrace(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{GatewayQuota: 10})
	file := writeFile(t, "gw.json", gatewayFile("gw1"))
	lag := []vpntest.Step{vpntest.Respond(http.StatusNotFound), vpntest.Respond(http.StatusNotFound)}

	c.srv.Script(http.MethodGet, "/v1/vpn-gateways/*", lag...)
	var gw scpvpn.Gateway
	c.jsonOK(&gw, "gateways", "create", "-f", file, "--wait")
	assert.Equal(t, scpvpn.StateActive, gw.State)
	assert.Equal(t, 3, c.srv.CountRequests(http.MethodGet, "/v1/vpn-gateways/"+gw.ID), "two 404s, then ACTIVE")

	// Past the grace period, the 404 is the service's verdict: status 3,
	// and the id of what was created.
	c.srv.Script(http.MethodGet, "/v1/vpn-gateways/*", lag...)
	r := c.run("gateways", "create", "-f", file, "--wait", "--not-found-grace", "0")
	assert.Equal(t, exitOutputFailed, r.code, "done, then not seen: %s", r.stderr)
	assert.Regexp(t, `(?m)^scpvpn: created VPN gateway [0-9a-f]+, but waiting for it failed: still not found 0s after it was created: .*404 Not Found`, r.stderr)

	// wait alone gives none: the resource was not just created.
	c.srv.ResetFaults()
	c.srv.Script(http.MethodGet, "/v1/vpn-gateways/*", lag...)
	r = c.run("gateways", "wait", gw.ID)
	assert.Equal(t, exitNotFound, r.code, r.stderr)
}
