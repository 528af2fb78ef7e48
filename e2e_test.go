package scpvpn_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// End-to-end tests: the SDK against vpntest, the strict fake of the API, in
// both API versions. Every test has its own server. Transitions are
// immediate (TransitionDelay -1) or last a few milliseconds, and the
// waiters poll every few milliseconds, except where a test is about time.

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

// e2eCollect drains an All iterator into the ids it yielded.
func e2eCollect[T any](t testing.TB, seq iter.Seq2[*T, error], id func(*T) string) []string {
	t.Helper()
	var ids []string
	for item, err := range seq {
		require.NoError(t, err)
		require.NotNil(t, item)
		ids = append(ids, id(item))
	}
	return ids
}

// e2ePages returns the page parameters of the list requests recorded on
// path, after checking that each asked for size. Page 0 is not sent (zero
// values are not): its parameter is "".
func e2ePages(t testing.TB, srv *vpntest.Server, path string, size int) []string {
	t.Helper()
	var pages []string
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet || r.Path != path {
			continue
		}
		q, err := url.ParseQuery(r.RawQuery)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprint(size), q.Get("size"))
		pages = append(pages, q.Get("page"))
	}
	return pages
}

// e2eSeed is a server holding 7 gateways and 23 tunnels on the first 3,
// whose names are not in creation order.
type e2eSeed struct {
	srv            *vpntest.Server
	gateways       []string          // ids, in creation order
	tunnels        []string          // ids, in creation order
	names          map[string]string // name of each id
	tunnelsOf      map[string][]string
	gatewayNames   []string // names of the gateways, in creation order
	tunnelNamesAsc []string
}

func e2eSeedPages(t testing.TB) *e2eSeed {
	t.Helper()
	srv := e2eServer(t, vpntest.Options{TransitionDelay: -1, GatewayQuota: 50, TunnelQuota: 50})
	s := &e2eSeed{srv: srv, names: map[string]string{}, tunnelsOf: map[string][]string{}}
	for i := range 7 {
		name := fmt.Sprintf("Gw%02d", (i*3)%7) // a permutation of 0..6
		id, err := srv.AddGateway(vpntest.GatewaySeed{Name: name})
		require.NoError(t, err)
		s.gateways = append(s.gateways, id)
		s.gatewayNames = append(s.gatewayNames, name)
		s.names[id] = name
	}
	for i := range 23 {
		name := fmt.Sprintf("Tun%02d", (i*7)%23) // a permutation of 0..22
		gw := s.gateways[i%3]
		id, err := srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw, Name: name})
		require.NoError(t, err)
		s.tunnels = append(s.tunnels, id)
		s.names[id] = name
		s.tunnelsOf[gw] = append(s.tunnelsOf[gw], id)
		s.tunnelNamesAsc = append(s.tunnelNamesAsc, name)
	}
	sort.Strings(s.tunnelNamesAsc)
	return s
}

func (s *e2eSeed) namesOf(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = s.names[id]
	}
	return out
}

// e2ePageParam is the page parameter the SDK sends for page p.
func e2ePageParam(p int) string {
	if p == 0 {
		return ""
	}
	return fmt.Sprint(p)
}

func e2eReversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

func TestE2EAllAcrossPages(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"1.0", "1.1"} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			ctx := e2eCtx(t)
			s := e2eSeedPages(t)
			srv := s.srv
			c := newClient(t, srv)

			// tunnelsAll walks the tunnels of this version with opts.
			type opts struct {
				Page, Size   int
				Sort, GwID   string
				stopAfter    int
				wantRequests int
			}
			tunnelsAll := func(t *testing.T, o opts) []string {
				t.Helper()
				srv.ClearRequests()
				var ids []string
				if version == "1.0" {
					lo := &scpvpn.TunnelListOptions{Page: o.Page, Size: o.Size, Sort: o.Sort, VPNGatewayID: o.GwID}
					before := *lo
					for tun, err := range c.V1Dot0.Tunnels.All(ctx, lo) {
						require.NoError(t, err)
						ids = append(ids, tun.ID)
						assert.Empty(t, tun.Phase1.Encryptions, "list items are lighter")
						if len(ids) == o.stopAfter {
							break
						}
					}
					assert.Equal(t, before, *lo, "All changed the caller's options")
				} else {
					lo := &scpvpn.TunnelListOptionsV1Dot1{Page: o.Page, Size: o.Size, Sort: o.Sort, VPNGatewayID: o.GwID}
					before := *lo
					for tun, err := range c.V1Dot1.Tunnels.All(ctx, lo) {
						require.NoError(t, err)
						ids = append(ids, tun.ID)
						assert.Empty(t, tun.Phase1.Encryptions, "list items are lighter")
						if len(ids) == o.stopAfter {
							break
						}
					}
					assert.Equal(t, before, *lo, "All changed the caller's options")
				}
				var wantPages []string
				for p := o.Page; p < o.Page+o.wantRequests; p++ {
					wantPages = append(wantPages, e2ePageParam(p))
				}
				assert.Equal(t, wantPages, e2ePages(t, srv, "/v1/vpn-tunnels", o.Size), "pages requested")
				assert.Equal(t, o.wantRequests, srv.CountRequests(http.MethodGet, "/v1/vpn-tunnels"))
				return ids
			}

			t.Run("every tunnel once, in creation order", func(t *testing.T) {
				ids := tunnelsAll(t, opts{Size: 5, wantRequests: 5}) // 5+5+5+5+3
				assert.Equal(t, s.tunnels, ids)
			})
			t.Run("created_at asc and desc", func(t *testing.T) {
				assert.Equal(t, s.tunnels, tunnelsAll(t, opts{Size: 5, Sort: "created_at:asc", wantRequests: 5}))
				assert.Equal(t, e2eReversed(s.tunnels), tunnelsAll(t, opts{Size: 5, Sort: "created_at:desc", wantRequests: 5}))
			})
			t.Run("name asc and desc", func(t *testing.T) {
				asc := tunnelsAll(t, opts{Size: 5, Sort: "name:asc", wantRequests: 5})
				assert.Len(t, asc, 23)
				assert.Equal(t, s.tunnelNamesAsc, s.namesOf(asc))
				desc := tunnelsAll(t, opts{Size: 5, Sort: "name:desc", wantRequests: 5})
				assert.Equal(t, e2eReversed(s.tunnelNamesAsc), s.namesOf(desc))
			})
			t.Run("from a later page", func(t *testing.T) {
				// Pages 2, 3 and 4 hold 13 of the 23 matches, so All asks for
				// page 5 too and stops at its emptiness (API.md's rule counts
				// what was yielded from the start page on).
				ids := tunnelsAll(t, opts{Page: 2, Size: 5, wantRequests: 4})
				assert.Equal(t, s.tunnels[10:], ids)
			})
			t.Run("a size that divides the count", func(t *testing.T) {
				// The filter keeps the 8 tunnels of the first gateway: two
				// full pages, and no third request.
				ids := tunnelsAll(t, opts{Size: 4, GwID: s.gateways[0], wantRequests: 2})
				assert.Equal(t, s.tunnelsOf[s.gateways[0]], ids)
			})
			t.Run("filter and sort", func(t *testing.T) {
				gw := s.gateways[2]
				ids := tunnelsAll(t, opts{Size: 3, GwID: gw, Sort: "name:desc", wantRequests: 3}) // 7 tunnels
				want := s.namesOf(s.tunnelsOf[gw])
				sort.Sort(sort.Reverse(sort.StringSlice(want)))
				assert.Equal(t, want, s.namesOf(ids))
			})
			t.Run("one page holds all", func(t *testing.T) {
				assert.Equal(t, s.tunnels, tunnelsAll(t, opts{Size: 100, wantRequests: 1}))
			})
			t.Run("several sort keys", func(t *testing.T) {
				ids := tunnelsAll(t, opts{Size: 5, Sort: "vpn_gateway_name:asc,name:desc", wantRequests: 5})
				var want []string
				byName := func(gw string) []string {
					names := s.namesOf(s.tunnelsOf[gw])
					sort.Sort(sort.Reverse(sort.StringSlice(names)))
					return names
				}
				gws := slices.Clone(s.gateways[:3])
				sort.Slice(gws, func(i, j int) bool { return s.names[gws[i]] < s.names[gws[j]] })
				for _, gw := range gws {
					want = append(want, byName(gw)...)
				}
				assert.Equal(t, want, s.namesOf(ids))
			})
			t.Run("a start page past the end", func(t *testing.T) {
				assert.Empty(t, tunnelsAll(t, opts{Page: 9, Size: 5, wantRequests: 1}))
			})
			t.Run("the caller stops early", func(t *testing.T) {
				ids := tunnelsAll(t, opts{Size: 5, stopAfter: 7, wantRequests: 2})
				assert.Equal(t, s.tunnels[:7], ids)
			})

			t.Run("gateways", func(t *testing.T) {
				gws := c.V1Dot1.Gateways
				if version == "1.0" {
					gws = c.V1Dot0.Gateways
				}
				srv.ClearRequests()
				o := &scpvpn.GatewayListOptions{Size: 3}
				ids := e2eCollect(t, gws.All(ctx, o), func(g *scpvpn.Gateway) string { return g.ID })
				assert.Equal(t, s.gateways, ids)
				assert.Equal(t, []string{"", "1", "2"}, e2ePages(t, srv, "/v1/vpn-gateways", 3))
				assert.Equal(t, scpvpn.GatewayListOptions{Size: 3}, *o)

				srv.ClearRequests()
				ids = e2eCollect(t, gws.All(ctx, &scpvpn.GatewayListOptions{Size: 2, Sort: "name:asc"}), func(g *scpvpn.Gateway) string { return g.Name })
				want := slices.Clone(s.gatewayNames)
				sort.Strings(want)
				assert.Equal(t, want, ids)
				assert.Equal(t, 4, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways"))

				srv.ClearRequests()
				ids = e2eCollect(t, gws.All(ctx, &scpvpn.GatewayListOptions{Page: 1, Size: 2, Sort: "created_at:desc"}), func(g *scpvpn.Gateway) string { return g.ID })
				assert.Equal(t, e2eReversed(s.gateways)[2:], ids)
				// From page 1, fewer than count remain: the walk ends at the
				// empty page 4.
				assert.Equal(t, []string{"1", "2", "3", "4"}, e2ePages(t, srv, "/v1/vpn-gateways", 2))

				// A filter that matches nothing: one request, nothing yielded.
				srv.ClearRequests()
				ids = e2eCollect(t, gws.All(ctx, &scpvpn.GatewayListOptions{Size: 2, Name: "NoSuchName"}), func(g *scpvpn.Gateway) string { return g.ID })
				assert.Empty(t, ids)
				assert.Equal(t, 1, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways"))
			})
		})
	}
}

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
	deleteTunnel func(ctx context.Context, id string) error
	waitActive   func(ctx context.Context, id string) (scpvpn.State, error)
	waitDeleted  func(ctx context.Context, id string) error
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

// e2eWaiter is one waiter of one service, over a resource it creates.
type e2eWaiter struct {
	name    string
	path    string // the resource's collection
	create  func(ctx context.Context, t *testing.T, srv *vpntest.Server, c *scpvpn.Client) string
	active  func(ctx context.Context, c *scpvpn.Client, id string) (any, scpvpn.State, error)
	deleted func(ctx context.Context, c *scpvpn.Client, id string) error
	remove  func(ctx context.Context, c *scpvpn.Client, id string) error
}

func e2eWaiters() []e2eWaiter {
	createGateway := func(ctx context.Context, t *testing.T, _ *vpntest.Server, c *scpvpn.Client) string {
		gw, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
		require.NoError(t, err)
		return gw.ID
	}
	seedGateway := func(t *testing.T, srv *vpntest.Server) string {
		gw, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		return gw
	}
	return []e2eWaiter{
		{
			name: "gateway v1.1", path: "/v1/vpn-gateways", create: createGateway,
			active: func(ctx context.Context, c *scpvpn.Client, id string) (any, scpvpn.State, error) {
				g, err := c.V1Dot1.Gateways.WaitUntilActive(ctx, id)
				if g == nil {
					return nil, "", err
				}
				return g, g.State, err
			},
			deleted: func(ctx context.Context, c *scpvpn.Client, id string) error {
				return c.V1Dot1.Gateways.WaitUntilDeleted(ctx, id)
			},
			remove: func(ctx context.Context, c *scpvpn.Client, id string) error { return c.V1Dot1.Gateways.Delete(ctx, id) },
		},
		{
			name: "gateway v1.0", path: "/v1/vpn-gateways", create: createGateway,
			active: func(ctx context.Context, c *scpvpn.Client, id string) (any, scpvpn.State, error) {
				g, err := c.V1Dot0.Gateways.WaitUntilActive(ctx, id)
				if g == nil {
					return nil, "", err
				}
				return g, g.State, err
			},
			deleted: func(ctx context.Context, c *scpvpn.Client, id string) error {
				return c.V1Dot0.Gateways.WaitUntilDeleted(ctx, id)
			},
			remove: func(ctx context.Context, c *scpvpn.Client, id string) error { return c.V1Dot0.Gateways.Delete(ctx, id) },
		},
		{
			name: "tunnel v1.1", path: "/v1/vpn-tunnels",
			create: func(ctx context.Context, t *testing.T, srv *vpntest.Server, c *scpvpn.Client) string {
				req := tunnelCreateRequestV1Dot1()
				req.VPNGatewayID = seedGateway(t, srv)
				tun, err := c.V1Dot1.Tunnels.Create(ctx, req)
				require.NoError(t, err)
				return tun.ID
			},
			active: func(ctx context.Context, c *scpvpn.Client, id string) (any, scpvpn.State, error) {
				tun, err := c.V1Dot1.Tunnels.WaitUntilActive(ctx, id)
				if tun == nil {
					return nil, "", err
				}
				return tun, tun.State, err
			},
			deleted: func(ctx context.Context, c *scpvpn.Client, id string) error {
				return c.V1Dot1.Tunnels.WaitUntilDeleted(ctx, id)
			},
			remove: func(ctx context.Context, c *scpvpn.Client, id string) error { return c.V1Dot1.Tunnels.Delete(ctx, id) },
		},
		{
			name: "tunnel v1.0", path: "/v1/vpn-tunnels",
			create: func(ctx context.Context, t *testing.T, srv *vpntest.Server, c *scpvpn.Client) string {
				req := tunnelCreateRequest()
				req.VPNGatewayID = seedGateway(t, srv)
				tun, err := c.V1Dot0.Tunnels.Create(ctx, req)
				require.NoError(t, err)
				return tun.ID
			},
			active: func(ctx context.Context, c *scpvpn.Client, id string) (any, scpvpn.State, error) {
				tun, err := c.V1Dot0.Tunnels.WaitUntilActive(ctx, id)
				if tun == nil {
					return nil, "", err
				}
				return tun, tun.State, err
			},
			deleted: func(ctx context.Context, c *scpvpn.Client, id string) error {
				return c.V1Dot0.Tunnels.WaitUntilDeleted(ctx, id)
			},
			remove: func(ctx context.Context, c *scpvpn.Client, id string) error { return c.V1Dot0.Tunnels.Delete(ctx, id) },
		},
	}
}

// The waiters poll a resource that stays CREATING until the fake is told
// it failed, and report ErrResourceFailed with the resource.
func TestE2EWaitUntilActiveSeesTheResourceFail(t *testing.T) {
	t.Parallel()
	for _, w := range e2eWaiters() {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			ctx := e2eCtx(t)
			srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Hour})
			c := newClient(t, srv)
			id := w.create(ctx, t, srv, c)

			type result struct {
				resource any
				state    scpvpn.State
				err      error
			}
			done := make(chan result, 1)
			go func() {
				r, s, err := w.active(ctx, c, id)
				done <- result{r, s, err}
			}()
			// Fail it once the waiter has seen it CREATING twice.
			require.Eventually(t, func() bool { return srv.CountRequests(http.MethodGet, w.path+"/"+id) >= 2 },
				5*time.Second, time.Millisecond)
			require.NoError(t, srv.ForceState(id, "ERROR"))
			res := <-done

			require.ErrorIs(t, res.err, scpvpn.ErrResourceFailed)
			var failed *scpvpn.ResourceFailedError
			require.ErrorAs(t, res.err, &failed)
			assert.Equal(t, id, failed.ID)
			require.NotNil(t, failed.Resource)
			assert.Equal(t, res.resource, failed.Resource, "the error holds the resource last read")
			assert.Equal(t, scpvpn.StateError, res.state)
			assert.Contains(t, res.err.Error(), id)
		})
	}
}

// e2eClock is a server clock that a test moves forward: transitions of
// the fake then end exactly when the test says. It runs at real speed from
// an offset, so that the requests' timestamps stay within the allowed
// skew.
type e2eClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *e2eClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *e2eClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// e2ePolls counts the GETs of the resource at path answered with status.
func e2ePolls(srv *vpntest.Server, path string, status int) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && r.Path == path && r.Status == status {
			n++
		}
	}
	return n
}

// e2eAwaitPolls waits until the server has answered n GETs of the
// resource at path with status.
func e2eAwaitPolls(t testing.TB, srv *vpntest.Server, path string, status, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return e2ePolls(srv, path, status) >= n }, 5*time.Second, time.Millisecond)
}

// WaitUntilActive polls while the resource is CREATING and returns it once
// the transition is over.
func TestE2EWaitUntilActiveFollowsTheTransition(t *testing.T) {
	t.Parallel()
	for _, w := range e2eWaiters() {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			ctx := e2eCtx(t)
			clock := &e2eClock{}
			srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Minute, Now: clock.Now})
			c := newClient(t, srv)
			id := w.create(ctx, t, srv, c)

			type result struct {
				state scpvpn.State
				err   error
			}
			done := make(chan result, 1)
			go func() {
				_, state, err := w.active(ctx, c, id)
				done <- result{state, err}
			}()
			e2eAwaitPolls(t, srv, w.path+"/"+id, http.StatusOK, 3)
			select {
			case r := <-done:
				t.Fatalf("the waiter returned while the resource was CREATING: %v, %v", r.state, r.err)
			default:
			}
			clock.Advance(time.Minute)
			r := <-done
			require.NoError(t, r.err)
			assert.Equal(t, scpvpn.StateActive, r.state)
		})
	}
}

// WaitUntilDeleted polls while the resource is DELETING and ends at the
// 404 of a resource gone.
func TestE2EWaitUntilDeletedEndsAtTheNotFound(t *testing.T) {
	t.Parallel()
	for _, w := range e2eWaiters() {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			ctx := e2eCtx(t)
			clock := &e2eClock{}
			srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Minute, Now: clock.Now})
			c := newClient(t, srv)
			id := w.create(ctx, t, srv, c)
			require.NoError(t, srv.ForceState(id, "ACTIVE"))
			require.NoError(t, w.remove(ctx, c, id))
			state, err := srv.State(id)
			require.NoError(t, err)
			require.Equal(t, "DELETING", state)

			done := make(chan error, 1)
			go func() { done <- w.deleted(ctx, c, id) }()
			e2eAwaitPolls(t, srv, w.path+"/"+id, http.StatusOK, 3) // DELETING
			select {
			case err := <-done:
				t.Fatalf("the waiter returned while the resource was DELETING: %v", err)
			default:
			}
			clock.Advance(time.Minute)
			require.NoError(t, <-done)
			reqs := srv.Requests()
			last := reqs[len(reqs)-1]
			assert.Equal(t, http.MethodGet, last.Method)
			assert.Equal(t, http.StatusNotFound, last.Status, "the waiter ends at the 404")
			_, err = srv.State(id)
			assert.Error(t, err, "gone from the fake")

			// A resource that never was is deleted already: one request.
			srv.ClearRequests()
			require.NoError(t, w.deleted(ctx, c, "0123456789abcdef0123456789abcdef"))
			assert.Len(t, srv.Requests(), 1)
		})
	}
}

// The same, in real time: the fake's transitions take their delay.
func TestE2EWaitersInRealTime(t *testing.T) {
	t.Parallel()
	ctx := e2eCtx(t)
	const delay = 30 * time.Millisecond
	srv := e2eServer(t, vpntest.Options{TransitionDelay: delay})
	c := newClient(t, srv)
	start := time.Now()
	gw, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
	require.NoError(t, err)
	active, err := c.V1Dot1.Gateways.WaitUntilActive(ctx, gw.ID)
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateActive, active.State)
	assert.GreaterOrEqual(t, time.Since(start), delay)

	start = time.Now()
	require.NoError(t, c.V1Dot1.Gateways.Delete(ctx, gw.ID))
	require.NoError(t, c.V1Dot1.Gateways.WaitUntilDeleted(ctx, gw.ID))
	assert.GreaterOrEqual(t, time.Since(start), delay)
	_, err = c.V1Dot1.Gateways.Get(ctx, gw.ID)
	require.ErrorIs(t, err, scpvpn.ErrNotFound)
}

// A waiter gives up when its context ends, and says what it waited for.
func TestE2EWaitersRespectTheContextDeadline(t *testing.T) {
	t.Parallel()
	for _, w := range e2eWaiters() {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Hour})
			c := newClient(t, srv)
			id := w.create(e2eCtx(t), t, srv, c)

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
			defer cancel()
			start := time.Now()
			r, state, err := w.active(ctx, c, id)
			elapsed := time.Since(start)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Contains(t, err.Error(), id)
			assert.Less(t, elapsed, 2*time.Second, "the wait outlived its context")
			if r != nil { // nil only if the deadline cut the first poll short, on a loaded machine
				assert.Equal(t, scpvpn.StateCreating, state)
			}

			// Canceled once it has polled: it returns what it last read.
			ctx1, cancel1 := context.WithCancel(context.Background())
			defer cancel1()
			srv.ClearRequests()
			go func() {
				defer cancel1()
				for e2ePolls(srv, w.path+"/"+id, http.StatusOK) < 2 && ctx1.Err() == nil {
					time.Sleep(time.Millisecond)
				}
			}()
			r, state, err = w.active(ctx1, c, id)
			require.ErrorIs(t, err, context.Canceled)
			assert.NotNil(t, r, "the last state read is returned")
			assert.Equal(t, scpvpn.StateCreating, state)

			// Deleting, for an hour.
			require.NoError(t, srv.ForceState(id, "ACTIVE"))
			require.NoError(t, w.remove(e2eCtx(t), c, id))
			ctx2, cancel2 := context.WithTimeout(context.Background(), 30*time.Millisecond)
			defer cancel2()
			start = time.Now()
			err = w.deleted(ctx2, c, id)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, time.Since(start), 2*time.Second, "the wait outlived its context")
			state2, err := srv.State(id)
			require.NoError(t, err)
			assert.Equal(t, "DELETING", state2)
		})
	}
}

// The waiters read the states the fake is forced into: DELETED ends
// WaitUntilDeleted, and WaitUntilActive gives up on a resource being
// deleted.
func TestE2EWaitersOnForcedStates(t *testing.T) {
	t.Parallel()
	for _, w := range e2eWaiters() {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			ctx := e2eCtx(t)
			srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Hour})
			c := newClient(t, srv)
			id := w.create(ctx, t, srv, c)

			require.NoError(t, srv.ForceState(id, "DELETING"))
			_, state, err := w.active(ctx, c, id)
			require.Error(t, err)
			assert.NotErrorIs(t, err, scpvpn.ErrResourceFailed)
			assert.Contains(t, err.Error(), "DELETING")
			assert.Equal(t, scpvpn.StateDeleting, state)

			require.NoError(t, srv.ForceState(id, "DELETED"))
			srv.ClearRequests()
			require.NoError(t, w.deleted(ctx, c, id))
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, http.StatusOK, reqs[0].Status, "DELETED, still visible, is done")

			require.NoError(t, srv.ForceState(id, "ERROR"))
			err = w.deleted(ctx, c, id)
			require.ErrorIs(t, err, scpvpn.ErrResourceFailed)
		})
	}
}

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

	t.Run("POST not retried on 503", func(t *testing.T) {
		t.Parallel()
		ctx := e2eCtx(t)
		srv := e2eServer(t, e2eImmediate)
		c := newClient(t, srv, scpvpn.WithRetryPolicy(fast))
		srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Respond(503))
		_, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
		apiErr := e2eAPIError(t, err)
		assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
		assert.Equal(t, 1, apiErr.Attempts)
		assert.Equal(t, http.MethodPost, apiErr.Method)
		assert.NotEmpty(t, apiErr.RequestID)
		assert.Equal(t, 1, srv.CountRequests(http.MethodPost, "/v1/vpn-gateways"))

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
		require.Error(t, err)
		var apiErr *scpvpn.APIError
		assert.False(t, errors.As(err, &apiErr), "no answer came, so no APIError: %v", err)
		reqs := srv.Requests()
		require.Len(t, reqs, 1, "exactly one request")
		assert.Equal(t, http.MethodPost, reqs[0].Method)
		assert.Zero(t, reqs[0].Status, "dropped without an answer")
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
		srv.Script(http.MethodGet, "/v1/vpn-gateways/*", vpntest.Respond(503, "Retry-After", "1"))
		start := time.Now()
		_, err = c.V1Dot1.Gateways.Get(ctx, gw)
		elapsed := time.Since(start)
		require.NoError(t, err)
		assert.Equal(t, 2, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways/*"))
		// Uncapped, the wait alone would be a second.
		assert.Less(t, elapsed, time.Second, "Retry-After: 1 was not capped")
		// Backoff alone is at most 1ms here: the wait was Retry-After's, capped.
		assert.GreaterOrEqual(t, elapsed, fast.MaxRetryAfter)
	})

	t.Run("latency beyond the context", func(t *testing.T) {
		t.Parallel()
		srv := e2eServer(t, e2eImmediate)
		c := newClient(t, srv, scpvpn.WithRetryPolicy(fast))
		srv.SetLatency(http.MethodGet, "*", 5*time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.V1Dot1.Gateways.List(ctx, nil)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 2*time.Second, "the call outlived its context")
		assert.Equal(t, 1, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways"), "no retry once the context is over")
	})
}
