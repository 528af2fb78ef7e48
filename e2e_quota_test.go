package scpvpn_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// End to end, against vpntest, in each version: the quotas follow the
// fake's state as resources come and go, and the subnet check answers
// AVAILABLE, DUPLICATE (any overlap, within the gateway) or INVALID.

// e2eChecks returns the tunnel service of a version as tunnelChecks.
func e2eChecks(c *scpvpn.Client, v1Dot0 bool) tunnelChecks {
	if v1Dot0 {
		return tunnelChecksOf(c, "v1.0")
	}
	return tunnelChecksOf(c, "v1.1")
}

func TestE2EGatewayQuotaFollowsTheState(t *testing.T) {
	t.Parallel()
	e2eVersions(t, e2eImmediate, func(t *testing.T, ctx context.Context, srv *vpntest.Server, c *scpvpn.Client, v1Dot0 bool) {
		gws := e2eServicesOf(c, v1Dot0).gateways
		quota := func() scpvpn.GatewayQuota {
			t.Helper()
			q, err := gws.Quota(ctx, nil)
			require.NoError(t, err)
			inVPC, err := gws.Quota(ctx, &scpvpn.GatewayQuotaOptions{VPCID: gatewayCreateRequest().VPCID})
			require.NoError(t, err)
			assert.Equal(t, q, inVPC, "the quota is the account's")
			return *q
		}
		assert.Equal(t, scpvpn.GatewayQuota{Max: 3, Used: 0}, quota())

		var ids []string
		for i := range 2 {
			req := gatewayCreateRequest()
			req.Name = fmt.Sprintf("Gateway%d", i)
			gw, err := gws.Create(ctx, req)
			require.NoError(t, err)
			ids = append(ids, gw.ID)
			assert.Equal(t, scpvpn.GatewayQuota{Max: 3, Used: i + 1}, quota(), "a gateway being created counts")
		}

		_, err := gws.WaitUntilActive(ctx, ids[0])
		require.NoError(t, err)
		require.NoError(t, gws.Delete(ctx, ids[0]))
		require.NoError(t, gws.WaitUntilDeleted(ctx, ids[0]))
		assert.Equal(t, scpvpn.GatewayQuota{Max: 3, Used: 1}, quota(), "a deleted gateway no longer counts")
	})
}

func TestE2EGatewayQuotaIsTheServersOwn(t *testing.T) {
	t.Parallel()
	e2eVersions(t, vpntest.Options{TransitionDelay: -1, GatewayQuota: 7}, func(t *testing.T, ctx context.Context, _ *vpntest.Server, c *scpvpn.Client, v1Dot0 bool) {
		q, err := e2eServicesOf(c, v1Dot0).gateways.Quota(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, &scpvpn.GatewayQuota{Max: 7, Used: 0}, q)
	})
}

func TestE2ETunnelQuotaFollowsTheState(t *testing.T) {
	t.Parallel()
	e2eVersions(t, e2eImmediate, func(t *testing.T, ctx context.Context, srv *vpntest.Server, c *scpvpn.Client, v1Dot0 bool) {
		s, checks := e2eServicesOf(c, v1Dot0), e2eChecks(c, v1Dot0)
		quota := func(gatewayID string) scpvpn.TunnelQuota {
			t.Helper()
			var opts *scpvpn.TunnelQuotaOptions
			if gatewayID != "" {
				opts = &scpvpn.TunnelQuotaOptions{VPNGatewayID: gatewayID}
			}
			q, err := checks.Quota(ctx, opts)
			require.NoError(t, err)
			return *q
		}
		gw, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		other, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		assert.Equal(t, scpvpn.TunnelQuota{Max: 5, Used: 0}, quota(gw))
		assert.Equal(t, scpvpn.TunnelQuota{Max: 15, Used: 0}, quota(""), "the account's: per gateway times the gateway quota")

		id, _, err := s.createTunnel(ctx, gw, "Tunnel1")
		require.NoError(t, err)
		_, _, err = s.createTunnel(ctx, gw, "Tunnel2")
		require.NoError(t, err)
		_, _, err = s.createTunnel(ctx, other, "Tunnel3")
		require.NoError(t, err)
		assert.Equal(t, scpvpn.TunnelQuota{Max: 5, Used: 2}, quota(gw))
		assert.Equal(t, scpvpn.TunnelQuota{Max: 5, Used: 1}, quota(other))
		assert.Equal(t, scpvpn.TunnelQuota{Max: 15, Used: 3}, quota(""))

		_, err = s.waitActive(ctx, id)
		require.NoError(t, err)
		require.NoError(t, s.deleteTunnel(ctx, id))
		require.NoError(t, s.waitDeleted(ctx, id))
		assert.Equal(t, scpvpn.TunnelQuota{Max: 5, Used: 1}, quota(gw))

		_, err = checks.Quota(ctx, &scpvpn.TunnelQuotaOptions{VPNGatewayID: "0123456789abcdef0123456789abcdef"})
		require.ErrorIs(t, err, scpvpn.ErrNotFound, "the quota of a gateway that does not exist")
	})
}

func TestE2ECheckSubnet(t *testing.T) {
	t.Parallel()
	e2eVersions(t, e2eImmediate, func(t *testing.T, ctx context.Context, srv *vpntest.Server, c *scpvpn.Client, v1Dot0 bool) {
		checks := e2eChecks(c, v1Dot0)
		gw, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		other, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		tunnel, err := srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw, RemoteSubnets: []string{"10.1.0.0/16"}})
		require.NoError(t, err)

		check := func(gatewayID, subnet string) scpvpn.SubnetAvailabilityStatus {
			t.Helper()
			got, err := checks.CheckSubnet(ctx, gatewayID, subnet)
			require.NoError(t, err, subnet)
			assert.Equal(t, gatewayID, got.VPNGatewayID)
			assert.Equal(t, subnet, got.RemoteSubnet)
			return got.Availability
		}
		for subnet, want := range map[string]scpvpn.SubnetAvailabilityStatus{
			"10.2.0.0/16":   scpvpn.SubnetAvailable,
			"192.0.2.0/24":  scpvpn.SubnetAvailable,
			"10.1.0.0/16":   scpvpn.SubnetDuplicate, // the same
			"10.1.200.0/24": scpvpn.SubnetDuplicate, // within
			"10.0.0.0/8":    scpvpn.SubnetDuplicate, // around
			"not-a-cidr":    scpvpn.SubnetInvalid,
			"10.1.0.0":      scpvpn.SubnetInvalid,
			"10.1.0.0/33":   scpvpn.SubnetInvalid,
		} {
			assert.Equal(t, want, check(gw, subnet), subnet)
		}
		assert.Equal(t, scpvpn.SubnetAvailable, check(other, "10.1.0.0/16"), "only the gateway's own tunnels count")

		// A tunnel created through the API counts as well, and a deleted
		// one no longer does.
		s := e2eServicesOf(c, v1Dot0)
		created, _, err := s.createTunnel(ctx, other, "Tunnel9")
		require.NoError(t, err)
		if v1Dot0 {
			assert.Equal(t, scpvpn.SubnetDuplicate, check(other, tunnelCreateRequest().Phase2.RemoteSubnet))
		} else {
			for _, subnet := range tunnelCreateRequestV1Dot1().Phase2.RemoteSubnets {
				assert.Equal(t, scpvpn.SubnetDuplicate, check(other, subnet))
			}
		}
		_, err = s.waitActive(ctx, created)
		require.NoError(t, err)
		require.NoError(t, s.deleteTunnel(ctx, tunnel))
		require.NoError(t, s.waitDeleted(ctx, tunnel))
		assert.Equal(t, scpvpn.SubnetAvailable, check(gw, "10.1.0.0/16"))

		_, err = checks.CheckSubnet(ctx, "0123456789abcdef0123456789abcdef", "10.1.0.0/16")
		require.ErrorIs(t, err, scpvpn.ErrNotFound, "a gateway that does not exist")
	})
}
