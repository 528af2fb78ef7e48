package scpvpn_test

// Tests of the rule on lost answers: a Set is reported done only when the
// service holds it, a Delete of what never existed is not found. Each
// failed on the SDK before the rule was made one.

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// A Set retried after an answer that says the service did not act (503,
// 429), or after one that may hide an action (502) but whose values the
// resource does not hold, must not report success: the change was not made.
func TestSetNeverReportsAChangeTheServiceDoesNotHold(t *testing.T) {
	t.Parallel()
	for _, first := range []int{http.StatusServiceUnavailable, http.StatusTooManyRequests, http.StatusBadGateway, http.StatusGatewayTimeout} {
		t.Run("gateway/"+strconv.Itoa(first), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := vpntest.NewServer(vpntest.Options{TransitionDelay: time.Hour})
			t.Cleanup(srv.Close)
			id, err := srv.AddGateway(vpntest.GatewaySeed{Name: "gw1"})
			require.NoError(t, err)
			c := newClient(t, srv)

			_, err = c.V1Dot1.Gateways.Set(ctx, id, &scpvpn.GatewaySetRequest{Description: ptr("first")})
			require.NoError(t, err) // now EDITING, for an hour
			srv.Script(http.MethodPut, "/v1/vpn-gateways/*", vpntest.Respond(first))
			gw, err := c.V1Dot1.Gateways.Set(ctx, id, &scpvpn.GatewaySetRequest{Description: ptr("second")})
			require.ErrorIs(t, err, scpvpn.ErrConflict, "the service holds %q, not the change asked for", "first")
			assert.Nil(t, gw)

			held, err := c.V1Dot1.Gateways.Get(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, "first", held.Description)
		})
	}

	t.Run("tunnel v1.1 phase fields", func(t *testing.T) {
		t.Parallel()
		ctx := context.Background()
		srv := vpntest.NewServer(vpntest.Options{TransitionDelay: time.Hour})
		t.Cleanup(srv.Close)
		gw, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		id, err := srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw})
		require.NoError(t, err)
		c := newClient(t, srv)

		_, err = c.V1Dot1.Tunnels.Set(ctx, id, &scpvpn.TunnelSetRequestV1Dot1{Phase2: &scpvpn.TunnelPhase2SetRequestV1Dot1{LifeTime: 3600}})
		require.NoError(t, err)
		srv.Script(http.MethodPut, "/v1/vpn-tunnels/*", vpntest.Respond(http.StatusBadGateway))
		_, err = c.V1Dot1.Tunnels.Set(ctx, id, &scpvpn.TunnelSetRequestV1Dot1{Phase2: &scpvpn.TunnelPhase2SetRequestV1Dot1{LifeTime: 7200}})
		require.ErrorIs(t, err, scpvpn.ErrConflict)

		held, err := c.V1Dot1.Tunnels.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, 3600, held.Phase2.LifeTime)
	})

	// The service never returns a pre-shared key, so a Set that changes one
	// cannot be confirmed after a lost answer: a false conflict is safe.
	t.Run("a pre-shared key cannot be confirmed", func(t *testing.T) {
		t.Parallel()
		srv := vpntest.NewServer(vpntest.Options{TransitionDelay: time.Hour})
		t.Cleanup(srv.Close)
		gw, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		id, err := srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw})
		require.NoError(t, err)
		c := urlClient(t, lossyFront(t, srv, http.MethodPut).URL, scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey))

		_, err = c.V1Dot1.Tunnels.Set(context.Background(), id, &scpvpn.TunnelSetRequestV1Dot1{
			Phase1: &scpvpn.TunnelPhase1SetRequest{PreSharedKey: "a-new-key-1234"},
		})
		require.ErrorIs(t, err, scpvpn.ErrConflict)
	})
}

// A Delete of an id that never existed is ErrNotFound, even when its first
// attempt was answered 503: the service did not act, so the 404 is not the
// SDK's own doing.
func TestDeleteOfWhatNeverExistedIsNotFound(t *testing.T) {
	t.Parallel()
	for _, first := range []int{0, http.StatusServiceUnavailable, http.StatusTooManyRequests} {
		t.Run(strconv.Itoa(first), func(t *testing.T) {
			t.Parallel()
			srv := vpntest.NewServer(vpntest.Options{})
			t.Cleanup(srv.Close)
			c := newClient(t, srv)
			if first != 0 {
				srv.Script(http.MethodDelete, "*", vpntest.Respond(first))
			}
			err := c.V1Dot1.Gateways.Delete(context.Background(), "0fdd87aab8cb46f59b7c1f81ed03fb3e")
			require.ErrorIs(t, err, scpvpn.ErrNotFound)
			err = c.V1Dot0.Tunnels.Delete(context.Background(), "0fdd87aab8cb46f59b7c1f81ed03fb3e")
			require.ErrorIs(t, err, scpvpn.ErrNotFound)
		})
	}
}

// bare404 is a 404 that is not the service's: a proxy's page.
var bare404 = vpntest.Step{Status: http.StatusNotFound, Body: "<html><body>404 Not Found</body></html>", Header: http.Header{"Content-Type": {"text/html"}}}

// A Delete retried after a 502 whose retry meets a 404 that is not the
// service's is not done: the gateway is still there. Nor is one whose
// read-back meets such a 404.
func TestADeleteIsNotDoneByABare404(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		deletes []vpntest.Step // answers to the DELETEs
		gets    []vpntest.Step // answers to the read-back's GETs
		matches []error
	}{
		"the retry's 404": {
			deletes: []vpntest.Step{vpntest.Respond(http.StatusBadGateway), bare404},
			matches: []error{scpvpn.ErrOutcomeUnknown, scpvpn.ErrUnexpectedAnswer},
		},
		"the read-back's 404": {
			deletes: []vpntest.Step{vpntest.Respond(http.StatusBadGateway), vpntest.Respond(http.StatusConflict)},
			gets:    []vpntest.Step{bare404},
			matches: []error{scpvpn.ErrOutcomeUnknown, scpvpn.ErrConflict},
		},
		"the first attempt's 404": {
			deletes: []vpntest.Step{bare404},
			matches: []error{scpvpn.ErrUnexpectedAnswer},
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := e2eServer(t, e2eImmediate)
			id, err := srv.AddGateway(vpntest.GatewaySeed{})
			require.NoError(t, err)
			srv.Script(http.MethodDelete, "/v1/vpn-gateways/*", tc.deletes...)
			srv.Script(http.MethodGet, "/v1/vpn-gateways/*", tc.gets...)

			var resp scpvpn.Response
			err = newClient(t, srv).V1Dot1.Gateways.Delete(e2eCtx(t), id, scpvpn.WithResponse(&resp))
			for _, want := range tc.matches {
				assert.ErrorIs(t, err, want)
			}
			assert.NotErrorIs(t, err, scpvpn.ErrNotFound)
			assert.False(t, resp.Settled)
			state, err := srv.State(id)
			require.NoError(t, err)
			assert.Equal(t, "ACTIVE", state, "never deleted")
		})
	}
}

// A Set or Delete whose answers were all lost after the service acted on
// the first is settled by reading back, and says so.
func TestAWriteWhoseRetriesRanOutIsSettled(t *testing.T) {
	t.Parallel()
	for _, method := range []string{http.MethodPut, http.MethodDelete} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Hour})
			id, err := srv.AddGateway(vpntest.GatewaySeed{Description: "before"})
			require.NoError(t, err)
			c := frontClient(t, srv, actingFront(t, srv, method, lostAnswers["502 of a proxy"]))
			// The first, served by the fake behind the front, acts; the
			// retries are answered by a proxy.
			srv.Script(method, "/v1/vpn-gateways/*", vpntest.Pass(), vpntest.Respond(http.StatusBadGateway), vpntest.Respond(http.StatusGatewayTimeout))

			var resp scpvpn.Response
			if method == http.MethodPut {
				gw, err := c.V1Dot1.Gateways.Set(e2eCtx(t), id, &scpvpn.GatewaySetRequest{Description: ptr("after")}, scpvpn.WithResponse(&resp))
				require.NoError(t, err)
				assert.Equal(t, "after", gw.Description)
				assert.Equal(t, scpvpn.StateEditing, gw.State)
			} else {
				require.NoError(t, c.V1Dot1.Gateways.Delete(e2eCtx(t), id, scpvpn.WithResponse(&resp)))
			}
			assert.True(t, resp.Settled)
			assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode, "the call's own last answer")
			assert.Equal(t, 3, resp.Attempts)
			assert.Equal(t, 1, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways/*"), "one read-back")
		})
	}
}

// A Set or Delete that may have reached the service, whose outcome the
// read-back does not confirm, is unknown; errors.As still finds the answer.
func TestAWriteNotConfirmedIsUnknown(t *testing.T) {
	t.Parallel()
	for _, method := range []string{http.MethodPut, http.MethodDelete} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			srv := e2eServer(t, e2eImmediate)
			id, err := srv.AddGateway(vpntest.GatewaySeed{Description: "before"})
			require.NoError(t, err)
			srv.Script(method, "/v1/vpn-gateways/*", vpntest.Respond(http.StatusBadGateway), vpntest.Respond(http.StatusBadGateway), vpntest.Respond(http.StatusBadGateway))
			c := newClient(t, srv)

			var resp scpvpn.Response
			if method == http.MethodPut {
				_, err = c.V1Dot1.Gateways.Set(e2eCtx(t), id, &scpvpn.GatewaySetRequest{Description: ptr("after")}, scpvpn.WithResponse(&resp))
			} else {
				err = c.V1Dot1.Gateways.Delete(e2eCtx(t), id, scpvpn.WithResponse(&resp))
			}
			unknown := unknownOutcome(t, err)
			assert.Contains(t, unknown.Found, "is ACTIVE")
			assert.Equal(t, http.StatusBadGateway, e2eAPIError(t, err).StatusCode)
			assert.False(t, resp.Settled)
		})
	}
}

// What the service answered a first attempt (a 4xx) is its verdict:
// nothing is read back, and the outcome is not unknown. A 500 is not: the
// service failed, perhaps after acting, so the write is read back.
func TestAVerdictOnTheFirstAttemptIsNotSettled(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusBadRequest, http.StatusConflict} {
		for _, method := range []string{http.MethodPut, http.MethodDelete} {
			t.Run(method+" "+strconv.Itoa(status), func(t *testing.T) {
				t.Parallel()
				srv := e2eServer(t, e2eImmediate)
				id, err := srv.AddGateway(vpntest.GatewaySeed{})
				require.NoError(t, err)
				srv.Script(method, "/v1/vpn-gateways/*", vpntest.Respond(status))
				c := newClient(t, srv)
				if method == http.MethodPut {
					_, err = c.V1Dot1.Gateways.Set(e2eCtx(t), id, &scpvpn.GatewaySetRequest{Description: ptr("x")})
				} else {
					err = c.V1Dot1.Gateways.Delete(e2eCtx(t), id)
				}
				assert.Equal(t, status, e2eAPIError(t, err).StatusCode)
				assert.NotErrorIs(t, err, scpvpn.ErrOutcomeUnknown)
				assert.Zero(t, srv.CountRequests(http.MethodGet, "*"))
			})
		}
	}
	for _, method := range []string{http.MethodPut, http.MethodDelete} {
		t.Run(method+" 500", func(t *testing.T) {
			t.Parallel()
			srv := e2eServer(t, e2eImmediate)
			id, err := srv.AddGateway(vpntest.GatewaySeed{})
			require.NoError(t, err)
			srv.Script(method, "/v1/vpn-gateways/*", vpntest.Respond(http.StatusInternalServerError))
			c := newClient(t, srv)
			if method == http.MethodPut {
				_, err = c.V1Dot1.Gateways.Set(e2eCtx(t), id, &scpvpn.GatewaySetRequest{Description: ptr("x")})
			} else {
				err = c.V1Dot1.Gateways.Delete(e2eCtx(t), id)
			}
			assert.Equal(t, http.StatusInternalServerError, e2eAPIError(t, err).StatusCode)
			assert.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "the gateway, read back, is as it was")
			assert.EqualValues(t, 1, srv.CountRequests(http.MethodGet, "*"), "read back")
		})
	}
}

// The rule of a retry refused with 409 that was the first attempt's own
// doing: the call is settled, and its Response says so.
func TestALostAnswerSettledSaysSo(t *testing.T) {
	t.Parallel()
	for _, method := range []string{http.MethodPut, http.MethodDelete} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			_, c, id := lossySetup(t, method)
			var resp scpvpn.Response
			var err error
			if method == http.MethodPut {
				_, err = c.V1Dot1.Gateways.Set(context.Background(), id, &scpvpn.GatewaySetRequest{Description: ptr("x")}, scpvpn.WithResponse(&resp))
			} else {
				err = c.V1Dot1.Gateways.Delete(context.Background(), id, scpvpn.WithResponse(&resp))
			}
			require.NoError(t, err)
			assert.True(t, resp.Settled)
			assert.Equal(t, http.StatusConflict, resp.StatusCode)
		})
	}
}
