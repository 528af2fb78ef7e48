package scpvpn_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// End to end, against vpntest: faults injected by the fake (5xx, 429,
// dropped connections, Retry-After, latency) through the SDK's whole
// request path, and which calls are retried.

// Faults injected by the fake, through the SDK's whole request path.
func TestE2EFaults(t *testing.T) {
	t.Parallel()
	fast := scpvpn.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 20 * time.Millisecond}

	t.Run("GET retried after two 503", func(t *testing.T) {
		t.Parallel()
		ctx := e2eCtx(t)
		srv := e2eServer(t, e2eImmediate)
		c := newClient(t, srv, scpvpn.WithRetryPolicy(fast))
		gw, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		tun, err := srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw})
		require.NoError(t, err)

		srv.Script(http.MethodGet, "/v1/vpn-gateways/*", vpntest.Respond(503), vpntest.Respond(503))
		g, err := c.V1Dot1.Gateways.Get(ctx, gw)
		require.NoError(t, err)
		assert.Equal(t, gw, g.ID)
		assert.Equal(t, 3, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways/*"))

		srv.Script(http.MethodGet, "/v1/vpn-tunnels/*", vpntest.Respond(502), vpntest.Respond(504))
		tt, err := c.V1Dot0.Tunnels.Get(ctx, tun)
		require.NoError(t, err)
		assert.Equal(t, tun, tt.ID)
		assert.Equal(t, 3, srv.CountRequests(http.MethodGet, "/v1/vpn-tunnels/*"))
	})

	t.Run("GET gives up after MaxAttempts", func(t *testing.T) {
		t.Parallel()
		ctx := e2eCtx(t)
		srv := e2eServer(t, e2eImmediate)
		c := newClient(t, srv, scpvpn.WithRetryPolicy(fast))
		srv.Script(http.MethodGet, "/v1/vpn-gateways", vpntest.Respond(503), vpntest.Respond(503), vpntest.Respond(503), vpntest.Respond(503))
		_, err := c.V1Dot1.Gateways.List(ctx, nil)
		apiErr := e2eAPIError(t, err)
		assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
		assert.Equal(t, 4, apiErr.Attempts)
		assert.Contains(t, strings.Join(apiErr.Details, " "), "injected by vpntest")
		assert.Equal(t, 4, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways"))
	})

	// A 503 that is not the service's own (a proxy's, after forwarding the
	// request, as Envoy answers an upstream reset) may have acted: the
	// create is never sent again, and is read back.
	t.Run("POST not retried on a proxy's 503", func(t *testing.T) {
		t.Parallel()
		ctx := e2eCtx(t)
		srv := e2eServer(t, e2eImmediate)
		c := newClient(t, srv, scpvpn.WithRetryPolicy(fast))
		srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Step{Status: http.StatusServiceUnavailable,
			Body:   "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
			Header: http.Header{"Content-Type": {"text/plain"}, "X-Request-Id": {"envoy-1"}}})
		_, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
		apiErr := e2eAPIError(t, err)
		assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
		assert.Equal(t, 1, apiErr.Attempts)
		assert.Equal(t, http.MethodPost, apiErr.Method)
		assert.Equal(t, "envoy-1", apiErr.RequestID)
		assert.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "read back, nothing found")
		assert.Equal(t, 1, srv.CountRequests(http.MethodPost, "/v1/vpn-gateways"))
		assert.Equal(t, 1, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways"), "read back")

		gw, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		srv.Script(http.MethodPost, "/v1/vpn-tunnels", vpntest.Respond(502))
		req := tunnelCreateRequest()
		req.VPNGatewayID = gw
		_, err = c.V1Dot0.Tunnels.Create(ctx, req)
		assert.Equal(t, 1, e2eAPIError(t, err).Attempts)
		assert.Equal(t, 1, srv.CountRequests(http.MethodPost, "/v1/vpn-tunnels"))

		l, err := c.V1Dot1.Gateways.List(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, 1, l.Count, "only the seeded gateway")
		tl, err := c.V1Dot1.Tunnels.List(ctx, nil)
		require.NoError(t, err)
		assert.Zero(t, tl.Count)
	})

	// The service's own 503 (its error body) says it did not act: a create
	// is sent again, as after a 429.
	t.Run("POST retried on the service's 503", func(t *testing.T) {
		t.Parallel()
		ctx := e2eCtx(t)
		srv := e2eServer(t, e2eImmediate)
		c := newClient(t, srv, scpvpn.WithRetryPolicy(fast))
		srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Respond(503))
		var resp scpvpn.Response
		gw, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest(), scpvpn.WithResponse(&resp))
		require.NoError(t, err)
		assert.Equal(t, 2, resp.Attempts)
		assert.False(t, resp.Settled, "the second attempt's answer says what was made")
		assert.Equal(t, 2, srv.CountRequests(http.MethodPost, "/v1/vpn-gateways"))
		assert.Zero(t, srv.CountRequests(http.MethodGet, "*"), "nothing read back")
		l, err := c.V1Dot1.Gateways.List(ctx, nil)
		require.NoError(t, err)
		require.Equal(t, 1, l.Count)
		assert.Equal(t, gw.ID, l.Gateways[0].ID)
	})

	t.Run("POST retried on 429", func(t *testing.T) {
		t.Parallel()
		ctx := e2eCtx(t)
		srv := e2eServer(t, e2eImmediate)
		c := newClient(t, srv, scpvpn.WithRetryPolicy(fast))
		srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Respond(429))
		_, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
		require.NoError(t, err)
		assert.Equal(t, 2, srv.CountRequests(http.MethodPost, "/v1/vpn-gateways"))
		l, err := c.V1Dot1.Gateways.List(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, 1, l.Count, "created once")
	})

	t.Run("dropped POST not retried", func(t *testing.T) {
		t.Parallel()
		ctx := e2eCtx(t)
		srv := e2eServer(t, e2eImmediate)
		c := newClient(t, srv, scpvpn.WithRetryPolicy(fast))
		srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Drop())
		_, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
		require.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "dropped after it was sent: it may have been made")
		var apiErr *scpvpn.APIError
		assert.False(t, errors.As(err, &apiErr), "no answer came, so no APIError: %v", err)
		reqs := srv.Requests()
		require.Len(t, reqs, 2, "one create, one read-back")
		assert.Equal(t, http.MethodPost, reqs[0].Method)
		assert.Zero(t, reqs[0].Status, "dropped without an answer")
		assert.Equal(t, http.MethodGet, reqs[1].Method)
		l, err := c.V1Dot1.Gateways.List(ctx, nil)
		require.NoError(t, err)
		assert.Zero(t, l.Count)
	})

	t.Run("dropped GET retried", func(t *testing.T) {
		t.Parallel()
		ctx := e2eCtx(t)
		srv := e2eServer(t, e2eImmediate)
		c := newClient(t, srv, scpvpn.WithRetryPolicy(fast))
		srv.Script(http.MethodGet, "/v1/vpn-tunnels", vpntest.Drop())
		_, err := c.V1Dot1.Tunnels.List(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, 2, srv.CountRequests(http.MethodGet, "/v1/vpn-tunnels"))
	})

	t.Run("Retry-After capped by MaxRetryAfter", func(t *testing.T) {
		t.Parallel()
		ctx := e2eCtx(t)
		srv := e2eServer(t, e2eImmediate)
		c := newClient(t, srv, scpvpn.WithRetryPolicy(fast))
		gw, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		// Uncapped, the wait would be an hour, and the test's context (a
		// minute) would end the call: no timing of the machine's decides.
		srv.Script(http.MethodGet, "/v1/vpn-gateways/*", vpntest.Respond(503, "Retry-After", "3600"))
		start := time.Now()
		_, err = c.V1Dot1.Gateways.Get(ctx, gw)
		elapsed := time.Since(start)
		require.NoError(t, err, "Retry-After: 3600 was not capped")
		assert.Equal(t, 2, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways/*"))
		// Backoff alone is at most 1ms here: the wait was Retry-After's, capped.
		assert.GreaterOrEqual(t, elapsed, fast.MaxRetryAfter)
	})

	t.Run("latency beyond the context", func(t *testing.T) {
		t.Parallel()
		srv := e2eServer(t, e2eImmediate)
		c := newClient(t, srv, scpvpn.WithRetryPolicy(fast))
		srv.SetLatency(http.MethodGet, "*", time.Hour)
		// The deadline passes once the fake has the request: a deadline of
		// milliseconds could pass before it was sent on a loaded machine.
		ctx, pass := deadlineOnCue(t)
		go func() {
			for srv.CountRequests(http.MethodGet, "/v1/vpn-gateways") == 0 && ctx.Err() == nil {
				time.Sleep(time.Millisecond)
			}
			pass()
		}()
		start := time.Now()
		_, err := c.V1Dot1.Gateways.List(ctx, nil)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 30*time.Second, "the call outlived its context (and the answer's hour)")
		assert.Equal(t, 1, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways"), "no retry once the context is over")
	})
}
