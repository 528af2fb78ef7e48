package scpvpn_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// End to end, against vpntest: a gateway and a tunnel through their whole
// life in each version, every list filter on the way, pre-shared keys that
// go out and never come back, and resources seen through both versions.

// e2eCapture keeps the body of every answer.
type e2eCapture struct {
	base   http.RoundTripper
	mu     sync.Mutex
	bodies [][]byte
}

func (c *e2eCapture) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	b, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	c.mu.Lock()
	c.bodies = append(c.bodies, b)
	c.mu.Unlock()
	return resp, nil
}

func (c *e2eCapture) all() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.bodies)
}

// e2eCheckTime checks a timestamp the fake stamped: set, in UTC, and
// between since (to the second, the API's precision) and now.
func e2eCheckTime(t testing.TB, what string, ts, since time.Time) {
	t.Helper()
	assert.False(t, ts.IsZero(), "%s is zero", what)
	assert.Equal(t, time.UTC, ts.Location(), "%s is not UTC", what)
	assert.False(t, ts.Before(since.Truncate(time.Second)), "%s %v is before %v", what, ts, since)
	assert.False(t, ts.After(time.Now().Add(time.Second)), "%s %v is in the future", what, ts)
}

// e2eCheckGateway checks every field of a gateway created from req.
func e2eCheckGateway(t testing.TB, srv *vpntest.Server, g *scpvpn.Gateway, req *scpvpn.GatewayCreateRequest, since time.Time) {
	t.Helper()
	assert.Regexp(t, `^[0-9a-f]{32}$`, g.ID)
	assert.Equal(t, srv.AccountID, g.AccountID)
	assert.Equal(t, req.Name, g.Name)
	assert.Equal(t, req.Description, g.Description)
	assert.Equal(t, req.IPAddress, g.IPAddress)
	assert.Equal(t, req.IPID, g.IPID)
	assert.Equal(t, req.IPType, g.IPType)
	assert.Equal(t, req.VPCID, g.VPCID)
	assert.NotEmpty(t, g.VPCName)
	assert.NotEmpty(t, g.CreatedBy)
	assert.NotEmpty(t, g.ModifiedBy)
	e2eCheckTime(t, "created_at", g.CreatedAt, since)
	e2eCheckTime(t, "modified_at", g.ModifiedAt, since)
	assert.False(t, g.ModifiedAt.Before(g.CreatedAt), "modified before created")
}

// e2eCheckTunnelCommon checks the fields every tunnel view shares, against
// its gateway.
func e2eCheckTunnelCommon(t testing.TB, srv *vpntest.Server, gw *scpvpn.Gateway, id, accountID, vpcID, vpcName, gwID, gwIP, gwName string, createdAt, modifiedAt, since time.Time) {
	t.Helper()
	assert.Regexp(t, `^[0-9a-f]{32}$`, id)
	assert.Equal(t, srv.AccountID, accountID)
	assert.Equal(t, gw.VPCID, vpcID)
	assert.Equal(t, gw.VPCName, vpcName)
	assert.Equal(t, gw.ID, gwID)
	assert.Equal(t, gw.IPAddress, gwIP)
	assert.Equal(t, gw.Name, gwName)
	e2eCheckTime(t, "created_at", createdAt, since)
	e2eCheckTime(t, "modified_at", modifiedAt, since)
}

// e2eGatewayUp creates a gateway through gws, next to two seeded ones,
// and takes it through Get, every list filter and Set, until it is ACTIVE
// again. It returns it and the ids of the seeded gateways.
func e2eGatewayUp(ctx context.Context, t *testing.T, srv *vpntest.Server, gws *scpvpn.GatewayService) (*scpvpn.Gateway, []string) {
	t.Helper()
	since := time.Now()
	other1, err := srv.AddGateway(vpntest.GatewaySeed{Name: "OtherGw1", IPAddress: "192.0.2.10", VPCID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
	require.NoError(t, err)
	other2, err := srv.AddGateway(vpntest.GatewaySeed{Name: "OtherGw2", IPAddress: "192.0.2.11", VPCID: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"})
	require.NoError(t, err)

	req := gatewayCreateRequest()
	created, err := gws.Create(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateCreating, created.State)
	e2eCheckGateway(t, srv, created, req, since)

	active, err := gws.WaitUntilActive(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateActive, active.State)

	got, err := gws.Get(ctx, created.ID)
	require.NoError(t, err)
	e2eCheckGateway(t, srv, got, req, since)
	assert.Equal(t, scpvpn.StateActive, got.State)
	assert.Equal(t, created.ID, got.ID)
	assert.Equal(t, created.CreatedAt, got.CreatedAt)

	// Unfiltered: the three gateways, with the API's defaults.
	l, err := gws.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, l.Count)
	assert.Equal(t, 0, l.Page)
	assert.Equal(t, 20, l.Size)
	assert.Equal(t, []string{"created_at:asc"}, l.Sort)
	require.Len(t, l.Gateways, 3)
	assert.Equal(t, []string{other1, other2, got.ID}, []string{l.Gateways[0].ID, l.Gateways[1].ID, l.Gateways[2].ID})

	// Each filter alone keeps only the new gateway, as Get shows it.
	for name, opts := range map[string]*scpvpn.GatewayListOptions{
		"name":       {Name: "ExampleVpn"}, // a substring
		"ip_address": {IPAddress: req.IPAddress},
		"vpc_id":     {VPCID: req.VPCID},
		"vpc_name":   {VPCName: got.VPCName},
		"all four":   {Name: got.Name, IPAddress: got.IPAddress, VPCID: got.VPCID, VPCName: got.VPCName},
	} {
		l, err := gws.List(ctx, opts)
		require.NoError(t, err, name)
		assert.Equal(t, 1, l.Count, name)
		if assert.Len(t, l.Gateways, 1, name) {
			assert.Equal(t, *got, l.Gateways[0], name)
		}
	}
	// Filters that match another gateway, and nothing.
	l, err = gws.List(ctx, &scpvpn.GatewayListOptions{IPAddress: "192.0.2.11"})
	require.NoError(t, err)
	require.Len(t, l.Gateways, 1)
	assert.Equal(t, other2, l.Gateways[0].ID)
	l, err = gws.List(ctx, &scpvpn.GatewayListOptions{Name: got.Name, VPCID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
	require.NoError(t, err)
	assert.Equal(t, 0, l.Count)
	assert.Empty(t, l.Gateways)

	// Set: EDITING, then ACTIVE with the new description.
	desc := "Changed by the e2e test"
	set, err := gws.Set(ctx, got.ID, &scpvpn.GatewaySetRequest{Description: &desc})
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateEditing, set.State)
	assert.Equal(t, desc, set.Description)
	assert.Equal(t, got.Name, set.Name)
	active, err = gws.WaitUntilActive(ctx, got.ID)
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateActive, active.State)
	assert.Equal(t, desc, active.Description)
	assert.False(t, active.ModifiedAt.Before(got.ModifiedAt))
	return active, []string{other1, other2}
}

// e2eGatewayDown deletes the gateway id and waits until it is gone.
func e2eGatewayDown(ctx context.Context, t *testing.T, srv *vpntest.Server, gws *scpvpn.GatewayService, id string) {
	t.Helper()
	require.NoError(t, gws.Delete(ctx, id))
	require.NoError(t, gws.WaitUntilDeleted(ctx, id))
	_, err := gws.Get(ctx, id)
	require.ErrorIs(t, err, scpvpn.ErrNotFound)
	assert.Equal(t, http.StatusNotFound, e2eAPIError(t, err).StatusCode)
	_, err = srv.State(id)
	assert.Error(t, err, "the fake still has the gateway")
	l, err := gws.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, l.Count)
	for _, g := range l.Gateways {
		assert.NotEqual(t, id, g.ID)
	}
}

// e2eNoSecretIn checks that no answer carried one of the secrets.
func e2eNoSecretIn(t testing.TB, capture *e2eCapture, secrets ...string) {
	t.Helper()
	bodies := capture.all()
	require.NotEmpty(t, bodies)
	for _, b := range bodies {
		assert.NotContains(t, string(b), "pre_shared_key")
		for _, s := range secrets {
			assert.NotContains(t, string(b), s)
		}
	}
}

// e2eSentBodies returns the bodies of the requests sent to path by method,
// to show what went on the wire.
func e2eSentBodies(srv *vpntest.Server, method, path string) []string {
	var out []string
	for _, r := range srv.Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, string(r.Body))
		}
	}
	return out
}

func TestE2ELifecycleV1Dot1(t *testing.T) {
	t.Parallel()
	ctx := e2eCtx(t)
	srv := e2eServer(t, e2eImmediate)
	capture := &e2eCapture{base: e2eTransport(t)}
	c := newClient(t, srv, scpvpn.WithTransport(capture))
	since := time.Now()

	gw, others := e2eGatewayUp(ctx, t, srv, c.V1Dot1.Gateways)
	otherTunnel, err := srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: others[0], Name: "OtherTun1", PeerGatewayIP: "198.51.100.7", RemoteSubnets: []string{"10.9.0.0/16"}})
	require.NoError(t, err)

	tunnels := c.V1Dot1.Tunnels
	const psk = "e2eSecretKey11"
	req := tunnelCreateRequestV1Dot1()
	req.VPNGatewayID = gw.ID
	req.Phase1.PreSharedKey = psk
	created, err := tunnels.Create(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateCreating, created.State)
	assert.Empty(t, created.Status, "only Get reports a status")
	e2eCheckTunnelCommon(t, srv, gw, created.ID, created.AccountID, created.VPCID, created.VPCName,
		created.VPNGatewayID, created.VPNGatewayIPAddress, created.VPNGatewayName, created.CreatedAt, created.ModifiedAt, since)
	assert.Equal(t, req.Name, created.Name)
	assert.Equal(t, req.Description, created.Description)
	wantPhase1 := scpvpn.TunnelPhase1{
		DiffieHellmanGroups: req.Phase1.DiffieHellmanGroups, DPDRetryInterval: req.Phase1.DPDRetryInterval,
		Encryptions: req.Phase1.Encryptions, IKEVersion: req.Phase1.IKEVersion, LifeTime: req.Phase1.LifeTime,
		PeerGatewayIP: req.Phase1.PeerGatewayIP,
	}
	wantPhase2 := scpvpn.TunnelPhase2V1Dot1{
		DiffieHellmanGroups: req.Phase2.DiffieHellmanGroups, Encryptions: req.Phase2.Encryptions,
		LifeTime: req.Phase2.LifeTime, PerfectForwardSecrecy: req.Phase2.PerfectForwardSecrecy,
		RemoteSubnets: req.Phase2.RemoteSubnets,
	}
	assert.Equal(t, wantPhase1, created.Phase1)
	assert.Equal(t, wantPhase2, created.Phase2)

	// The key was stored as sent, and sent for real.
	stored, err := srv.PreSharedKey(created.ID)
	require.NoError(t, err)
	assert.Equal(t, psk, stored)
	sent := e2eSentBodies(srv, http.MethodPost, "/v1/vpn-tunnels")
	require.Len(t, sent, 1)
	assert.Contains(t, sent[0], `"pre_shared_key":"`+psk+`"`)

	active, err := tunnels.WaitUntilActive(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateActive, active.State)

	got, err := tunnels.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateActive, got.State)
	assert.Equal(t, scpvpn.TunnelStatusUp, got.Status)
	assert.Equal(t, wantPhase1, got.Phase1)
	assert.Equal(t, wantPhase2, got.Phase2)
	assert.Equal(t, created.CreatedAt, got.CreatedAt)

	// List: lighter phases, no status; every filter.
	light := *got
	light.Status = ""
	light.Phase1.DiffieHellmanGroups, light.Phase1.Encryptions = nil, nil
	light.Phase2.DiffieHellmanGroups, light.Phase2.Encryptions = nil, nil
	all, err := tunnels.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, all.Count)
	for name, opts := range map[string]*scpvpn.TunnelListOptionsV1Dot1{
		"name":             {Name: "ExampleVpn"},
		"vpn_gateway_id":   {VPNGatewayID: gw.ID},
		"vpn_gateway_name": {VPNGatewayName: gw.Name},
	} {
		l, err := tunnels.List(ctx, opts)
		require.NoError(t, err, name)
		assert.Equal(t, 1, l.Count, name)
		if assert.Len(t, l.Tunnels, 1, name) {
			assert.Equal(t, light, l.Tunnels[0], name)
		}
	}
	l, err := tunnels.List(ctx, &scpvpn.TunnelListOptionsV1Dot1{VPNGatewayID: others[0]})
	require.NoError(t, err)
	require.Len(t, l.Tunnels, 1)
	assert.Equal(t, otherTunnel, l.Tunnels[0].ID)
	l, err = tunnels.List(ctx, &scpvpn.TunnelListOptionsV1Dot1{Name: "ExampleVpn", VPNGatewayID: others[0]})
	require.NoError(t, err)
	assert.Zero(t, l.Count)
	assert.Empty(t, l.Tunnels)

	// Set both phases and the description: EDITING, then ACTIVE.
	const newPSK = "e2eNewSecret11"
	desc := "Tunnel changed"
	set, err := tunnels.Set(ctx, got.ID, &scpvpn.TunnelSetRequestV1Dot1{
		Description: &desc,
		Phase1:      &scpvpn.TunnelPhase1SetRequest{LifeTime: 3600, PreSharedKey: newPSK},
		Phase2:      &scpvpn.TunnelPhase2SetRequestV1Dot1{PerfectForwardSecrecy: scpvpn.PFSDisable, RemoteSubnets: []string{"10.5.0.0/16", "10.6.0.0/16"}},
	})
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateEditing, set.State)
	wantPhase1.LifeTime = 3600
	wantPhase2.PerfectForwardSecrecy = scpvpn.PFSDisable
	wantPhase2.RemoteSubnets = []string{"10.5.0.0/16", "10.6.0.0/16"}
	assert.Equal(t, wantPhase1, set.Phase1, "only what was set changes")
	assert.Equal(t, wantPhase2, set.Phase2, "only what was set changes")
	assert.Equal(t, desc, set.Description)
	active, err = tunnels.WaitUntilActive(ctx, got.ID)
	require.NoError(t, err)
	assert.Equal(t, wantPhase1, active.Phase1)
	assert.Equal(t, wantPhase2, active.Phase2)
	assert.Equal(t, desc, active.Description)
	stored, err = srv.PreSharedKey(got.ID)
	require.NoError(t, err)
	assert.Equal(t, newPSK, stored)

	// Delete the tunnel, then the gateway.
	require.NoError(t, tunnels.Delete(ctx, got.ID))
	require.NoError(t, tunnels.WaitUntilDeleted(ctx, got.ID))
	_, err = tunnels.Get(ctx, got.ID)
	require.ErrorIs(t, err, scpvpn.ErrNotFound)
	e2eGatewayDown(ctx, t, srv, c.V1Dot1.Gateways, gw.ID)

	// No answer ever carried a pre-shared key.
	seeded, err := srv.PreSharedKey(otherTunnel)
	require.NoError(t, err)
	e2eNoSecretIn(t, capture, psk, newPSK, seeded)
}

func TestE2ELifecycleV1Dot0(t *testing.T) {
	t.Parallel()
	ctx := e2eCtx(t)
	srv := e2eServer(t, e2eImmediate)
	capture := &e2eCapture{base: e2eTransport(t)}
	c := newClient(t, srv, scpvpn.WithTransport(capture))
	since := time.Now()

	gw, others := e2eGatewayUp(ctx, t, srv, c.V1Dot0.Gateways)
	otherTunnel, err := srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: others[0], Name: "OtherTun1", PeerGatewayIP: "198.51.100.7", RemoteSubnets: []string{"10.9.0.0/16"}})
	require.NoError(t, err)

	tunnels := c.V1Dot0.Tunnels
	const psk = "e2eSecretKey10"
	req := tunnelCreateRequest()
	req.VPNGatewayID = gw.ID
	req.Phase1.PreSharedKey = psk
	created, err := tunnels.Create(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateCreating, created.State)
	assert.Empty(t, created.Status, "only Get reports a status")
	e2eCheckTunnelCommon(t, srv, gw, created.ID, created.AccountID, created.VPCID, created.VPCName,
		created.VPNGatewayID, created.VPNGatewayIPAddress, created.VPNGatewayName, created.CreatedAt, created.ModifiedAt, since)
	assert.Equal(t, req.Name, created.Name)
	assert.Equal(t, req.Description, created.Description)
	wantPhase1 := scpvpn.TunnelPhase1{
		DiffieHellmanGroups: req.Phase1.DiffieHellmanGroups, DPDRetryInterval: req.Phase1.DPDRetryInterval,
		Encryptions: req.Phase1.Encryptions, IKEVersion: req.Phase1.IKEVersion, LifeTime: req.Phase1.LifeTime,
		PeerGatewayIP: req.Phase1.PeerGatewayIP,
	}
	wantPhase2 := scpvpn.TunnelPhase2{
		DiffieHellmanGroups: req.Phase2.DiffieHellmanGroups, Encryptions: req.Phase2.Encryptions,
		LifeTime: req.Phase2.LifeTime, PerfectForwardSecrecy: req.Phase2.PerfectForwardSecrecy,
		RemoteSubnet: req.Phase2.RemoteSubnet,
	}
	assert.Equal(t, wantPhase1, created.Phase1)
	assert.Equal(t, wantPhase2, created.Phase2)

	stored, err := srv.PreSharedKey(created.ID)
	require.NoError(t, err)
	assert.Equal(t, psk, stored)
	sent := e2eSentBodies(srv, http.MethodPost, "/v1/vpn-tunnels")
	require.Len(t, sent, 1)
	assert.Contains(t, sent[0], `"pre_shared_key":"`+psk+`"`)
	assert.Contains(t, sent[0], `"remote_subnet":"10.1.0.0/16"`)
	assert.NotContains(t, sent[0], `remote_subnets`)

	active, err := tunnels.WaitUntilActive(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateActive, active.State)

	got, err := tunnels.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateActive, got.State)
	assert.Equal(t, scpvpn.TunnelStatusUp, got.Status)
	assert.Equal(t, wantPhase1, got.Phase1)
	assert.Equal(t, wantPhase2, got.Phase2)

	light := *got
	light.Status = ""
	light.Phase1.DiffieHellmanGroups, light.Phase1.Encryptions = nil, nil
	light.Phase2.DiffieHellmanGroups, light.Phase2.Encryptions = nil, nil
	all, err := tunnels.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, all.Count)
	for name, opts := range map[string]*scpvpn.TunnelListOptions{
		"name":             {Name: "ExampleVpn"},
		"vpn_gateway_id":   {VPNGatewayID: gw.ID},
		"vpn_gateway_name": {VPNGatewayName: gw.Name},
		"peer_gateway_ip":  {PeerGatewayIP: req.Phase1.PeerGatewayIP},
		"remote_subnet":    {RemoteSubnet: "10.1.0.0/16"},
	} {
		l, err := tunnels.List(ctx, opts)
		require.NoError(t, err, name)
		assert.Equal(t, 1, l.Count, name)
		if assert.Len(t, l.Tunnels, 1, name) {
			assert.Equal(t, light, l.Tunnels[0], name)
		}
	}
	for name, opts := range map[string]*scpvpn.TunnelListOptions{
		"peer_gateway_ip": {PeerGatewayIP: "198.51.100.7"},
		"remote_subnet":   {RemoteSubnet: "10.9.0.0/16"},
	} {
		l, err := tunnels.List(ctx, opts)
		require.NoError(t, err, name)
		if assert.Len(t, l.Tunnels, 1, name) {
			assert.Equal(t, otherTunnel, l.Tunnels[0].ID, name)
		}
	}
	l, err := tunnels.List(ctx, &scpvpn.TunnelListOptions{RemoteSubnet: "10.1.0.0/16", PeerGatewayIP: "198.51.100.7"})
	require.NoError(t, err)
	assert.Zero(t, l.Count)

	const newPSK = "e2eNewSecret10"
	desc := "Tunnel changed"
	set, err := tunnels.Set(ctx, got.ID, &scpvpn.TunnelSetRequest{
		Description: &desc,
		Phase1:      &scpvpn.TunnelPhase1SetRequest{DPDRetryInterval: 30, IKEVersion: 1, PreSharedKey: newPSK},
		Phase2:      &scpvpn.TunnelPhase2SetRequest{LifeTime: 7200, RemoteSubnet: "10.2.0.0/16"},
	})
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateEditing, set.State)
	wantPhase1.DPDRetryInterval, wantPhase1.IKEVersion = 30, 1
	wantPhase2.LifeTime, wantPhase2.RemoteSubnet = 7200, "10.2.0.0/16"
	assert.Equal(t, wantPhase1, set.Phase1, "only what was set changes")
	assert.Equal(t, wantPhase2, set.Phase2, "only what was set changes")
	active, err = tunnels.WaitUntilActive(ctx, got.ID)
	require.NoError(t, err)
	assert.Equal(t, wantPhase1, active.Phase1)
	assert.Equal(t, wantPhase2, active.Phase2)
	assert.Equal(t, desc, active.Description)
	stored, err = srv.PreSharedKey(got.ID)
	require.NoError(t, err)
	assert.Equal(t, newPSK, stored)
	l, err = tunnels.List(ctx, &scpvpn.TunnelListOptions{RemoteSubnet: "10.2.0.0/16"})
	require.NoError(t, err)
	assert.Equal(t, 1, l.Count, "the filter sees the new subnet")

	require.NoError(t, tunnels.Delete(ctx, got.ID))
	require.NoError(t, tunnels.WaitUntilDeleted(ctx, got.ID))
	_, err = tunnels.Get(ctx, got.ID)
	require.ErrorIs(t, err, scpvpn.ErrNotFound)
	e2eGatewayDown(ctx, t, srv, c.V1Dot0.Gateways, gw.ID)

	seeded, err := srv.PreSharedKey(otherTunnel)
	require.NoError(t, err)
	e2eNoSecretIn(t, capture, psk, newPSK, seeded)
}

// Both versions see the same resources: a 1.1 tunnel with several subnets
// shows its first through 1.0, a 1.0 tunnel its one subnet as a list of one.
func TestE2ECrossVersion(t *testing.T) {
	t.Parallel()
	ctx := e2eCtx(t)
	srv := e2eServer(t, e2eImmediate)
	c := newClient(t, srv)

	gw10, err := c.V1Dot0.Gateways.Create(ctx, gatewayCreateRequest())
	require.NoError(t, err)
	gw, err := c.V1Dot1.Gateways.WaitUntilActive(ctx, gw10.ID)
	require.NoError(t, err)
	gw10.State = scpvpn.StateActive
	assert.Equal(t, gw10, gw, "a gateway is the same in both versions")

	// Created in 1.1 with three subnets.
	req11 := tunnelCreateRequestV1Dot1()
	req11.VPNGatewayID = gw.ID
	t11, err := c.V1Dot1.Tunnels.Create(ctx, req11)
	require.NoError(t, err)
	_, err = c.V1Dot1.Tunnels.WaitUntilActive(ctx, t11.ID)
	require.NoError(t, err)
	seen10, err := c.V1Dot0.Tunnels.Get(ctx, t11.ID)
	require.NoError(t, err)
	assert.Equal(t, req11.Phase2.RemoteSubnets[0], seen10.Phase2.RemoteSubnet)
	assert.Equal(t, t11.Name, seen10.Name)
	assert.Equal(t, t11.Phase1, seen10.Phase1)
	assert.Equal(t, scpvpn.TunnelStatusUp, seen10.Status)
	// 1.0's remote_subnet filter matches any of the tunnel's subnets.
	for _, subnet := range req11.Phase2.RemoteSubnets {
		l, err := c.V1Dot0.Tunnels.List(ctx, &scpvpn.TunnelListOptions{RemoteSubnet: subnet})
		require.NoError(t, err)
		if assert.Len(t, l.Tunnels, 1, subnet) {
			assert.Equal(t, t11.ID, l.Tunnels[0].ID)
			assert.Equal(t, req11.Phase2.RemoteSubnets[0], l.Tunnels[0].Phase2.RemoteSubnet)
		}
	}

	// A 1.0 Set that leaves phase 2 alone keeps the three subnets.
	_, err = c.V1Dot0.Tunnels.Set(ctx, t11.ID, &scpvpn.TunnelSetRequest{Description: ptr("set through 1.0")})
	require.NoError(t, err)
	after, err := c.V1Dot1.Tunnels.WaitUntilActive(ctx, t11.ID)
	require.NoError(t, err)
	assert.Equal(t, req11.Phase2.RemoteSubnets, after.Phase2.RemoteSubnets)
	assert.Equal(t, "set through 1.0", after.Description)

	// Created in 1.0 with one subnet.
	req10 := tunnelCreateRequest()
	req10.Name = "Tunnel10"
	req10.VPNGatewayID = gw.ID
	req10.Phase2.RemoteSubnet = "172.16.0.0/12"
	t10, err := c.V1Dot0.Tunnels.Create(ctx, req10)
	require.NoError(t, err)
	_, err = c.V1Dot0.Tunnels.WaitUntilActive(ctx, t10.ID)
	require.NoError(t, err)
	seen11, err := c.V1Dot1.Tunnels.Get(ctx, t10.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"172.16.0.0/12"}, seen11.Phase2.RemoteSubnets)
	assert.Equal(t, t10.Phase1, seen11.Phase1)

	// A 1.0 Set of the subnet replaces the list with that one subnet.
	_, err = c.V1Dot0.Tunnels.Set(ctx, t11.ID, &scpvpn.TunnelSetRequest{Phase2: &scpvpn.TunnelPhase2SetRequest{RemoteSubnet: "10.7.0.0/16"}})
	require.NoError(t, err)
	after, err = c.V1Dot1.Tunnels.WaitUntilActive(ctx, t11.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"10.7.0.0/16"}, after.Phase2.RemoteSubnets)

	l, err := c.V1Dot1.Tunnels.List(ctx, &scpvpn.TunnelListOptionsV1Dot1{VPNGatewayID: gw.ID, Sort: "name:asc"})
	require.NoError(t, err)
	require.Len(t, l.Tunnels, 2)
	assert.Equal(t, []string{t11.ID, t10.ID}, []string{l.Tunnels[0].ID, l.Tunnels[1].ID})
}
