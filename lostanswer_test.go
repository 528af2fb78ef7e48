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
