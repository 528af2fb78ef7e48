package vpntest

// This file holds the tests of Client and of ForceState as the SDK sees it.

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// testCtx bounds a test, so that a hung call fails it rather than the run.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// sdkHarness is a harness whose clock starts at the real time, so that
// the SDK's timestamps, taken from the real clock, are good.
func sdkHarness(t *testing.T, opts Options) *harness {
	clk := &clock{t: time.Now()}
	opts.Now = clk.Now
	h := newHarness(t, opts)
	h.clock = clk
	return h
}

// A client of the server talks to it, signed with its credentials.
func TestClient(t *testing.T) {
	h := sdkHarness(t, Options{TransitionDelay: -1})
	c, err := h.srv.Client()
	require.NoError(t, err)
	ctx := testCtx(t)
	gw, err := c.V1Dot1.Gateways.Create(ctx, &scpvpn.GatewayCreateRequest{
		IPAddress: "123.0.0.1", IPID: "fcde872f75c145a0893d656cc698f13e", IPType: scpvpn.IPTypePublic,
		Name: "ExampleVpnGW1", VPCID: "ceb44ea5ecb34a49b16495f9a63b0718",
	})
	require.NoError(t, err)
	l, err := c.V1Dot0.Gateways.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 1, l.Count)
	assert.Equal(t, gw.ID, l.Gateways[0].ID)
	reqs := h.srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, h.srv.AccessKey, reqs[0].Header.Get("Scp-Accesskey"))
}

// The client's waiters poll every few milliseconds: a waiter polls again
// and again while the clock stands still, and returns once it moves on.
// With the SDK's default policy (2 s, then up to 30 s) the third poll
// alone would take 6 s, the fifth 20 s.
func TestClientWaitsFast(t *testing.T) {
	h := sdkHarness(t, Options{TransitionDelay: time.Minute})
	c, err := h.srv.Client()
	require.NoError(t, err)
	r := h.do("POST", v11, "/v1/vpn-gateways", gatewayBody("gw1"))
	require.Equal(t, http.StatusAccepted, r.status)
	id := r.body["vpn_gateway"].(map[string]any)["id"].(string)

	done := make(chan error, 1)
	go func() {
		_, err := c.V1Dot1.Gateways.WaitUntilActive(testCtx(t), id)
		done <- err
	}()
	require.Eventually(t, func() bool { return h.srv.CountRequests("GET", "/v1/vpn-gateways/*") >= 5 },
		15*time.Second, time.Millisecond, "the waiter polls fast")
	h.clock.Advance(time.Minute)
	require.NoError(t, <-done)
}

// The client's retries back off for milliseconds: a Retry-After of a
// minute is cut to 50 ms, where the SDK's default honours it in full.
func TestClientRetriesFast(t *testing.T) {
	h := sdkHarness(t, Options{})
	c, err := h.srv.Client()
	require.NoError(t, err)
	h.srv.Script("GET", "/v1/vpn-gateways", Respond(http.StatusServiceUnavailable, "Retry-After", "60"), Respond(http.StatusBadGateway))
	l, err := c.V1Dot1.Gateways.List(testCtx(t), nil)
	require.NoError(t, err, "served on the third attempt, within the test's 30 s (the SDK's default would wait the minute)")
	assert.Zero(t, l.Count)
	assert.Equal(t, 3, h.srv.CountRequests("GET", "/v1/vpn-gateways"))
}

// Options given to Client come last and win.
func TestClientOptionsOverride(t *testing.T) {
	h := sdkHarness(t, Options{})
	ctx := testCtx(t)

	c, err := h.srv.Client(scpvpn.WithCredentials(h.srv.AccessKey, "notTheSecretKey"))
	require.NoError(t, err)
	_, err = c.V1Dot1.Gateways.List(ctx, nil)
	require.ErrorIs(t, err, scpvpn.ErrUnauthorized)

	c, err = h.srv.Client(scpvpn.WithoutRetries())
	require.NoError(t, err)
	h.srv.Script("GET", "/v1/vpn-gateways", Respond(http.StatusServiceUnavailable))
	_, err = c.V1Dot1.Gateways.List(ctx, nil)
	var apiErr *scpvpn.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
	assert.Equal(t, 1, apiErr.Attempts)

	other := NewServer(Options{})
	defer other.Close()
	c, err = h.srv.Client(scpvpn.WithEndpoint(other.URL), scpvpn.WithCredentials(other.AccessKey, other.SecretKey))
	require.NoError(t, err)
	_, err = c.V1Dot1.Gateways.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, other.CountRequests("", "*"))

	_, err = h.srv.Client(scpvpn.WithCredentials("", ""))
	assert.ErrorIs(t, err, scpvpn.ErrNoCredentials)
}

// ForceState takes the SDK's states, and a waiter sees them.
func TestForceStateTyped(t *testing.T) {
	h := sdkHarness(t, Options{})
	c, err := h.srv.Client()
	require.NoError(t, err)
	id, err := h.srv.AddGateway(GatewaySeed{})
	require.NoError(t, err)
	require.NoError(t, h.srv.ForceState(id, scpvpn.StateError))
	_, err = c.V1Dot1.Gateways.WaitUntilActive(testCtx(t), id)
	require.ErrorIs(t, err, scpvpn.ErrResourceFailed)

	require.NoError(t, h.srv.ForceState(id, scpvpn.StateDeleted))
	require.NoError(t, c.V1Dot1.Gateways.WaitUntilDeleted(testCtx(t), id))

	err = h.srv.ForceState(id, scpvpn.State("BROKEN"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"BROKEN"`)
	assert.False(t, errors.Is(err, scpvpn.ErrNotFound))
}
