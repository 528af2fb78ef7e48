package scpvpn_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/testkit/apischema"
	"github.com/scpsdk/scpvpn/vpntest"
)

// The schema judges the happy paths: a whole life cycle through the SDK in
// each version, every operation, pages, quotas and the subnet check. Every
// request the SDK sends and every answer vpntest gives must conform to the
// document of its version.

// schemaGatewayUp creates, waits for, reads, lists, pages through and sets
// a gateway, with the quotas before and after, and returns it. A second
// gateway, seeded, makes the lists more than one page long.
func schemaGatewayUp(ctx context.Context, t *testing.T, srv *vpntest.Server, gws *scpvpn.GatewayService) *scpvpn.Gateway {
	t.Helper()
	_, err := gws.Quota(ctx, nil)
	require.NoError(t, err)
	req := gatewayCreateRequest()
	req.Tags = []scpvpn.Tag{{Key: "team", Value: "net"}}
	gw, err := gws.Create(ctx, req)
	require.NoError(t, err)
	gw, err = gws.WaitUntilActive(ctx, gw.ID)
	require.NoError(t, err)
	_, err = gws.Quota(ctx, &scpvpn.GatewayQuotaOptions{VPCID: gw.VPCID})
	require.NoError(t, err)

	_, err = srv.AddGateway(vpntest.GatewaySeed{Name: "Seeded1"})
	require.NoError(t, err)
	list, err := gws.List(ctx, &scpvpn.GatewayListOptions{
		Page: 0, Size: 1, Sort: "name:desc",
		Name: gw.Name, IPAddress: gw.IPAddress, VPCID: gw.VPCID, VPCName: gw.VPCName,
	})
	require.NoError(t, err)
	require.Len(t, list.Gateways, 1)
	empty, err := gws.List(ctx, &scpvpn.GatewayListOptions{Page: 7, Size: 5})
	require.NoError(t, err)
	assert.Empty(t, empty.Gateways, "a page past the end")
	n := 0
	for _, err := range gws.All(ctx, &scpvpn.GatewayListOptions{Size: 1, Sort: "created_at:asc"}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 2, n, "gateways across pages of one")

	_, err = gws.Set(ctx, gw.ID, &scpvpn.GatewaySetRequest{Description: scpvpn.Ptr("changed")})
	require.NoError(t, err)
	gw, err = gws.WaitUntilActive(ctx, gw.ID)
	require.NoError(t, err)
	_, err = gws.Get(ctx, gw.ID)
	require.NoError(t, err)
	return gw
}

// schemaGatewayDown deletes the gateway and waits until it is gone, which
// the waiter learns from a 404.
func schemaGatewayDown(ctx context.Context, t *testing.T, gws *scpvpn.GatewayService, id string) {
	t.Helper()
	require.NoError(t, gws.Delete(ctx, id))
	require.NoError(t, gws.WaitUntilDeleted(ctx, id))
}

// schemaSubnets checks a free, a taken and an invalid remote subnet.
func schemaSubnets(ctx context.Context, t *testing.T, check func(ctx context.Context, gatewayID, remoteSubnet string, o ...scpvpn.CallOption) (*scpvpn.SubnetAvailability, error), gatewayID, taken string) {
	t.Helper()
	for subnet, want := range map[string]scpvpn.SubnetAvailabilityStatus{
		"172.31.0.0/16": scpvpn.SubnetAvailable,
		taken:           scpvpn.SubnetDuplicate,
		"10.1.0.0/33":   scpvpn.SubnetInvalid,
	} {
		got, err := check(ctx, gatewayID, subnet)
		require.NoError(t, err, subnet)
		assert.Equal(t, want, got.Availability, subnet)
	}
}

// requireEveryOperation fails unless each of the thirteen operations of
// version answered its success.
func requireEveryOperation(t *testing.T, version string, exchanges []apischema.Exchange) {
	t.Helper()
	seen := schemaSeen{}
	seen.add(exchanges)
	for _, op := range schemaOperations {
		assert.True(t, seen.has(version, op.operation, op.status), "%s %s never answered %d", version, op.operation, op.status)
	}
	assert.True(t, seen.has(version, "showVpnTunnel", http.StatusNotFound), "the waiter's 404")
}

func TestSchemaLifecycleV1Dot1(t *testing.T) {
	t.Parallel()
	ctx := e2eCtx(t)
	srv, c, checker := schemaSetup(t)
	gws, ts := c.V1Dot1.Gateways, c.V1Dot1.Tunnels

	gw := schemaGatewayUp(ctx, t, srv, gws)
	_, err := ts.Quota(ctx, nil)
	require.NoError(t, err)
	req := tunnelCreateRequestV1Dot1()
	req.VPNGatewayID = gw.ID
	req.Tags = []scpvpn.Tag{{Key: "team", Value: "net"}}
	tn, err := ts.Create(ctx, req)
	require.NoError(t, err)
	tn, err = ts.WaitUntilActive(ctx, tn.ID)
	require.NoError(t, err)
	_, err = ts.Quota(ctx, &scpvpn.TunnelQuotaOptions{VPNGatewayID: gw.ID})
	require.NoError(t, err)
	schemaSubnets(ctx, t, ts.CheckSubnet, gw.ID, tn.Phase2.RemoteSubnets[1])

	_, err = srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw.ID, Name: "Seeded2", RemoteSubnets: []string{"10.7.0.0/16", "10.8.0.0/16"}})
	require.NoError(t, err)
	list, err := ts.List(ctx, &scpvpn.TunnelListOptionsV1Dot1{
		Page: 0, Size: 1, Sort: "name:asc", Name: tn.Name, VPNGatewayID: gw.ID, VPNGatewayName: gw.Name,
	})
	require.NoError(t, err)
	require.Len(t, list.Tunnels, 1)
	var ids []string
	for tun, err := range ts.All(ctx, &scpvpn.TunnelListOptionsV1Dot1{Size: 1, VPNGatewayID: gw.ID}) {
		require.NoError(t, err)
		ids = append(ids, tun.ID)
	}
	require.Len(t, ids, 2, "tunnels across pages of one")

	_, err = ts.Set(ctx, tn.ID, &scpvpn.TunnelSetRequestV1Dot1{
		Description: scpvpn.Ptr("changed"),
		Phase1:      phase1SetRequest(),
		Phase2: &scpvpn.TunnelPhase2SetRequestV1Dot1{
			PerfectForwardSecrecy: scpvpn.PFSDisable, DiffieHellmanGroups: []int{19}, Encryptions: []string{"aes256gcm"},
			LifeTime: 3600, RemoteSubnets: []string{"10.5.0.0/16", "10.6.0.0/16"},
		},
	})
	require.NoError(t, err)
	_, err = ts.WaitUntilActive(ctx, tn.ID)
	require.NoError(t, err)
	_, err = ts.Get(ctx, tn.ID)
	require.NoError(t, err)

	for _, id := range ids {
		require.NoError(t, ts.Delete(ctx, id))
		require.NoError(t, ts.WaitUntilDeleted(ctx, id))
	}
	schemaGatewayDown(ctx, t, gws, gw.ID)

	exchanges := checker.Exchanges()
	requireConforming(t, exchanges, true)
	requireEveryOperation(t, "vpn 1.1", exchanges)
}

func TestSchemaLifecycleV1Dot0(t *testing.T) {
	t.Parallel()
	ctx := e2eCtx(t)
	srv, c, checker := schemaSetup(t)
	gws, ts := c.V1Dot0.Gateways, c.V1Dot0.Tunnels

	gw := schemaGatewayUp(ctx, t, srv, gws)
	_, err := ts.Quota(ctx, nil)
	require.NoError(t, err)
	req := tunnelCreateRequest()
	req.VPNGatewayID = gw.ID
	tn, err := ts.Create(ctx, req)
	require.NoError(t, err)
	tn, err = ts.WaitUntilActive(ctx, tn.ID)
	require.NoError(t, err)
	_, err = ts.Quota(ctx, &scpvpn.TunnelQuotaOptions{VPNGatewayID: gw.ID})
	require.NoError(t, err)
	schemaSubnets(ctx, t, ts.CheckSubnet, gw.ID, "10.1.2.0/24")

	_, err = srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw.ID, Name: "Seeded2", RemoteSubnets: []string{"10.7.0.0/16"}})
	require.NoError(t, err)
	list, err := ts.List(ctx, &scpvpn.TunnelListOptions{
		Page: 0, Size: 1, Sort: "created_at:desc", Name: tn.Name, VPNGatewayID: gw.ID, VPNGatewayName: gw.Name,
		PeerGatewayIP: tn.Phase1.PeerGatewayIP, RemoteSubnet: tn.Phase2.RemoteSubnet,
	})
	require.NoError(t, err)
	require.Len(t, list.Tunnels, 1)
	var ids []string
	for tun, err := range ts.All(ctx, &scpvpn.TunnelListOptions{Size: 1, VPNGatewayID: gw.ID}) {
		require.NoError(t, err)
		ids = append(ids, tun.ID)
	}
	require.Len(t, ids, 2, "tunnels across pages of one")

	_, err = ts.Set(ctx, tn.ID, &scpvpn.TunnelSetRequest{
		Description: scpvpn.Ptr("changed"),
		Phase1:      phase1SetRequest(),
		Phase2: &scpvpn.TunnelPhase2SetRequest{
			PerfectForwardSecrecy: scpvpn.PFSDisable, DiffieHellmanGroups: []int{19}, Encryptions: []string{"aes256gcm"},
			LifeTime: 3600, RemoteSubnet: "10.5.0.0/16",
		},
	})
	require.NoError(t, err)
	_, err = ts.WaitUntilActive(ctx, tn.ID)
	require.NoError(t, err)
	_, err = ts.Get(ctx, tn.ID)
	require.NoError(t, err)

	for _, id := range ids {
		require.NoError(t, ts.Delete(ctx, id))
		require.NoError(t, ts.WaitUntilDeleted(ctx, id))
	}
	schemaGatewayDown(ctx, t, gws, gw.ID)

	exchanges := checker.Exchanges()
	requireConforming(t, exchanges, true)
	requireEveryOperation(t, "vpn 1.0", exchanges)
}
