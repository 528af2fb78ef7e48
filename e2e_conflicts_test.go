package scpvpn_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// End to end, against vpntest, in each version: what the service refuses
// because of a resource's state (conflicts) or its quotas, and that the
// refusal changes nothing.

// e2eVersions runs f for each API version, in parallel, each with its own
// server and client.
func e2eVersions(t *testing.T, opts vpntest.Options, f func(t *testing.T, ctx context.Context, srv *vpntest.Server, c *scpvpn.Client, v1Dot0 bool)) {
	t.Helper()
	for _, version := range []string{"1.0", "1.1"} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			srv := e2eServer(t, opts)
			f(t, e2eCtx(t), srv, newClient(t, srv), version == "1.0")
		})
	}
}

// e2eServices picks the services of one version. The tunnel calls take
// the parts of a request that tests vary.
type e2eServices struct {
	gateways     *scpvpn.GatewayService
	createTunnel func(ctx context.Context, gatewayID, name string) (string, scpvpn.State, error)
	setTunnel    func(ctx context.Context, id, description string) error
	deleteTunnel func(ctx context.Context, id string, opts ...scpvpn.CallOption) error
	waitActive   func(ctx context.Context, id string) (scpvpn.State, error)
	waitDeleted  func(ctx context.Context, id string, opts ...scpvpn.CallOption) error
}

func e2eServicesOf(c *scpvpn.Client, v1Dot0 bool) e2eServices {
	if v1Dot0 {
		ts := c.V1Dot0.Tunnels
		return e2eServices{
			gateways: c.V1Dot0.Gateways,
			createTunnel: func(ctx context.Context, gatewayID, name string) (string, scpvpn.State, error) {
				req := tunnelCreateRequest()
				req.VPNGatewayID, req.Name = gatewayID, name
				tun, err := ts.Create(ctx, req)
				if err != nil {
					return "", "", err
				}
				return tun.ID, tun.State, nil
			},
			setTunnel: func(ctx context.Context, id, description string) error {
				_, err := ts.Set(ctx, id, &scpvpn.TunnelSetRequest{Description: &description})
				return err
			},
			deleteTunnel: ts.Delete,
			waitActive: func(ctx context.Context, id string) (scpvpn.State, error) {
				tun, err := ts.WaitUntilActive(ctx, id)
				if tun == nil {
					return "", err
				}
				return tun.State, err
			},
			waitDeleted: ts.WaitUntilDeleted,
		}
	}
	ts := c.V1Dot1.Tunnels
	return e2eServices{
		gateways: c.V1Dot1.Gateways,
		createTunnel: func(ctx context.Context, gatewayID, name string) (string, scpvpn.State, error) {
			req := tunnelCreateRequestV1Dot1()
			req.VPNGatewayID, req.Name = gatewayID, name
			tun, err := ts.Create(ctx, req)
			if err != nil {
				return "", "", err
			}
			return tun.ID, tun.State, nil
		},
		setTunnel: func(ctx context.Context, id, description string) error {
			_, err := ts.Set(ctx, id, &scpvpn.TunnelSetRequestV1Dot1{Description: &description})
			return err
		},
		deleteTunnel: ts.Delete,
		waitActive: func(ctx context.Context, id string) (scpvpn.State, error) {
			tun, err := ts.WaitUntilActive(ctx, id)
			if tun == nil {
				return "", err
			}
			return tun.State, err
		},
		waitDeleted: ts.WaitUntilDeleted,
	}
}

func TestE2EDeletingAGatewayWithTunnelsIsAConflict(t *testing.T) {
	t.Parallel()
	e2eVersions(t, e2eImmediate, func(t *testing.T, ctx context.Context, srv *vpntest.Server, c *scpvpn.Client, v1Dot0 bool) {
		s := e2eServicesOf(c, v1Dot0)
		gw, err := s.gateways.Create(ctx, gatewayCreateRequest())
		require.NoError(t, err)
		_, err = s.gateways.WaitUntilActive(ctx, gw.ID)
		require.NoError(t, err)
		tunnelID, _, err := s.createTunnel(ctx, gw.ID, "Tunnel1")
		require.NoError(t, err)
		_, err = s.waitActive(ctx, tunnelID)
		require.NoError(t, err)

		err = s.gateways.Delete(ctx, gw.ID)
		require.ErrorIs(t, err, scpvpn.ErrConflict)
		apiErr := e2eAPIError(t, err)
		assert.Equal(t, http.StatusConflict, apiErr.StatusCode)
		assert.Equal(t, http.MethodDelete, apiErr.Method)
		assert.Equal(t, 1, apiErr.Attempts, "a 409 is not retried")
		assert.NotEmpty(t, apiErr.RequestID)
		assert.Contains(t, e2eDetails(t, err), "still has 1 VPN tunnel")
		assert.Contains(t, err.Error(), "409")
		state, err := srv.State(gw.ID)
		require.NoError(t, err)
		assert.Equal(t, "ACTIVE", state, "the refused delete changed nothing")

		// Without its tunnel, the gateway goes.
		require.NoError(t, s.deleteTunnel(ctx, tunnelID))
		require.NoError(t, s.waitDeleted(ctx, tunnelID))
		require.NoError(t, s.gateways.Delete(ctx, gw.ID))
		require.NoError(t, s.gateways.WaitUntilDeleted(ctx, gw.ID))
	})
}

func TestE2EChangingABusyResourceIsAConflict(t *testing.T) {
	t.Parallel()
	// Transitions last an hour: what is created stays CREATING.
	e2eVersions(t, vpntest.Options{TransitionDelay: time.Hour}, func(t *testing.T, ctx context.Context, srv *vpntest.Server, c *scpvpn.Client, v1Dot0 bool) {
		s := e2eServicesOf(c, v1Dot0)
		conflict := func(err error, words ...string) {
			t.Helper()
			require.ErrorIs(t, err, scpvpn.ErrConflict)
			details := e2eDetails(t, err)
			for _, w := range words {
				assert.Contains(t, details, w)
			}
		}

		creating, err := s.gateways.Create(ctx, gatewayCreateRequest())
		require.NoError(t, err)
		_, err = s.gateways.Set(ctx, creating.ID, &scpvpn.GatewaySetRequest{Description: ptr("x")})
		conflict(err, "CREATING", "only when ACTIVE")
		conflict(s.gateways.Delete(ctx, creating.ID), "CREATING")
		_, _, err = s.createTunnel(ctx, creating.ID, "Tunnel1")
		conflict(err, "CREATING", "only when it is ACTIVE")

		// A seeded gateway is ACTIVE at once; its new tunnel is CREATING.
		gw, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		tunnelID, state, err := s.createTunnel(ctx, gw, "Tunnel2")
		require.NoError(t, err)
		assert.Equal(t, scpvpn.StateCreating, state)
		conflict(s.setTunnel(ctx, tunnelID, "x"), "CREATING")
		conflict(s.deleteTunnel(ctx, tunnelID), "CREATING")

		// EDITING and DELETING are as busy.
		require.NoError(t, srv.ForceState(gw, "EDITING"))
		_, err = s.gateways.Set(ctx, gw, &scpvpn.GatewaySetRequest{Description: ptr("x")})
		conflict(err, "EDITING")
		require.NoError(t, srv.ForceState(tunnelID, "DELETING"))
		conflict(s.setTunnel(ctx, tunnelID, "x"), "DELETING")

		// A tunnel in ERROR can be deleted, and its gateway then too.
		require.NoError(t, srv.ForceState(tunnelID, "ERROR"))
		require.NoError(t, s.deleteTunnel(ctx, tunnelID))
		require.NoError(t, srv.ForceState(tunnelID, "DELETED"))
		require.NoError(t, srv.ForceState(gw, "ACTIVE"))
		require.NoError(t, s.gateways.Delete(ctx, gw))
	})
}

func TestE2EGatewayQuota(t *testing.T) {
	t.Parallel()
	e2eVersions(t, e2eImmediate, func(t *testing.T, ctx context.Context, srv *vpntest.Server, c *scpvpn.Client, v1Dot0 bool) {
		s := e2eServicesOf(c, v1Dot0)
		var ids []string
		for i := range 3 { // the service's default quota
			req := gatewayCreateRequest()
			req.Name = fmt.Sprintf("Gateway%d", i)
			gw, err := s.gateways.Create(ctx, req)
			require.NoError(t, err)
			ids = append(ids, gw.ID)
		}
		req := gatewayCreateRequest()
		req.Name = "Gateway4"
		_, err := s.gateways.Create(ctx, req)
		require.ErrorIs(t, err, scpvpn.ErrBadRequest)
		apiErr := e2eAPIError(t, err)
		assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
		assert.Equal(t, 1, apiErr.Attempts)
		details := e2eDetails(t, err)
		assert.Contains(t, details, "quota")
		assert.Contains(t, details, "at most 3 VPN gateways")
		assert.Equal(t, 4, srv.CountRequests(http.MethodPost, "/v1/vpn-gateways"))
		l, err := s.gateways.List(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, 3, l.Count, "the refused gateway was not created")

		// Once one is gone, there is room again.
		_, err = s.gateways.WaitUntilActive(ctx, ids[0])
		require.NoError(t, err)
		require.NoError(t, s.gateways.Delete(ctx, ids[0]))
		require.NoError(t, s.gateways.WaitUntilDeleted(ctx, ids[0]))
		_, err = s.gateways.Create(ctx, req)
		require.NoError(t, err)
	})
}

func TestE2ETunnelQuota(t *testing.T) {
	t.Parallel()
	e2eVersions(t, e2eImmediate, func(t *testing.T, ctx context.Context, srv *vpntest.Server, c *scpvpn.Client, v1Dot0 bool) {
		s := e2eServicesOf(c, v1Dot0)
		gw, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		for i := range 5 { // the service's default quota, per gateway
			_, _, err := s.createTunnel(ctx, gw, fmt.Sprintf("Tunnel%d", i))
			require.NoError(t, err)
		}
		_, _, err = s.createTunnel(ctx, gw, "Tunnel6")
		require.ErrorIs(t, err, scpvpn.ErrBadRequest)
		details := e2eDetails(t, err)
		assert.Contains(t, details, "quota")
		assert.Contains(t, details, "at most 5 VPN tunnels")
		assert.Equal(t, 6, srv.CountRequests(http.MethodPost, "/v1/vpn-tunnels"))

		// The quota is per gateway.
		other, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		_, _, err = s.createTunnel(ctx, other, "Tunnel6")
		require.NoError(t, err)
	})
}
