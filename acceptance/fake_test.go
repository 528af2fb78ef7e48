package acceptance

// The suite's own tests, against vpntest, in every go test ./... : the
// life cycle passes and leaves nothing; a run that fails or is
// interrupted deletes what it created; the sweeper deletes what runs made
// and nothing else; the variables are read as documented.

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/testkit/apischema"
	"github.com/scpsdk/scpvpn/vpntest"
)

// testConfig is a run's configuration against the fake, which accepts
// any VPC and IP ids.
func testConfig(t *testing.T) config {
	t.Helper()
	env := map[string]string{envVPCID: "vpcacceptance", envIPID: "ipacceptance", envIPAddress: "192.0.2.10"}
	cfg, err := configFromEnv(func(k string) string { return env[k] })
	require.NoError(t, err)
	return cfg
}

// tickingClock is a server clock that moves on by step each time it is
// read, so that transitions end after a known number of requests, however
// slow the machine.
func tickingClock(step time.Duration) func() time.Time {
	var mu sync.Mutex
	now := time.Now()
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(step)
		return now
	}
}

// fakeServer starts a fake whose resources stay CREATING, EDITING and
// DELETING for about transitions requests each.
func fakeServer(t *testing.T, transitions int) *vpntest.Server {
	t.Helper()
	const tick = 100 * time.Millisecond
	// Room for the many gateways of the sweeper's test.
	srv := vpntest.NewServer(vpntest.Options{TransitionDelay: time.Duration(transitions) * tick, Now: tickingClock(tick), GatewayQuota: 10})
	t.Cleanup(srv.Close)
	return srv
}

// fakeClient is a client of srv, with fast waits, over the SDK's default
// transport; over the suite's (suiteTransport), whose exchanges checker
// judges, when checker is not nil.
func fakeClient(t *testing.T, srv *vpntest.Server, checker *apischema.Checker) *scpvpn.Client {
	t.Helper()
	var opts []scpvpn.Option
	if checker != nil {
		opts = append(opts, scpvpn.WithTransport(suiteTransport(checker)))
	}
	c, err := srv.Client(opts...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// left lists the names of the gateways and tunnels the fake holds.
func left(t *testing.T, c *scpvpn.Client) []string {
	t.Helper()
	ctx := t.Context()
	var out []string
	for g, err := range c.V1Dot1.Gateways.All(ctx, nil) {
		require.NoError(t, err)
		out = append(out, g.Name)
	}
	for tn, err := range c.V1Dot1.Tunnels.All(ctx, nil) {
		require.NoError(t, err)
		out = append(out, tn.Name)
	}
	slices.Sort(out)
	return out
}

func TestLifecycleAgainstTheFake(t *testing.T) {
	srv := fakeServer(t, 3)
	checker, err := apischema.New(documents(".."))
	require.NoError(t, err)
	c := fakeClient(t, srv, checker)
	r := newRun(c, testConfig(t), t.Logf)

	require.NoError(t, r.lifecycle(t.Context()))
	require.NoError(t, r.cleanup(t.Context()), "nothing left to clean")
	assert.Empty(t, left(t, c))

	summary := r.summary()
	t.Log(summary)
	assert.Equal(t, 3, strings.Count(summary, " deleted\n"), "a gateway and two tunnels, deleted")
	assert.NotContains(t, summary, "LEFT BEHIND")
	for _, name := range []string{r.names.gateway, r.names.tunnel10, r.names.tunnel11} {
		assert.Contains(t, summary, name)
		assert.LessOrEqual(t, len(name), maxName)
		assert.True(t, strings.HasPrefix(name, defaultPrefix+r.id), name)
	}
	assert.Len(t, r.steps, 16)

	// Every operation of both versions, each conforming to its document;
	// the one gateway is created in 1.1 and deleted in 1.0.
	seen := map[string]bool{}
	for _, e := range checker.Exchanges() {
		assert.Empty(t, e.NotJudged, "%s", e)
		assert.Empty(t, e.RequestErrors, "%s", e)
		assert.Empty(t, e.ResponseErrors, "%s", e)
		seen[e.Version+" "+e.Operation] = true
	}
	for _, version := range []string{"vpn 1.0", "vpn 1.1"} {
		for _, op := range []string{"listVpnGateways", "showVpnGateway", "setVpnGateway", "getVpnGatewayQuotas",
			"listVpnTunnels", "createVpnTunnel", "showVpnTunnel", "setVpnTunnel", "deleteVpnTunnel", "getVpnTunnelQuotas",
			"checkVpnTunnelSubnetAvailabilities"} {
			assert.True(t, seen[version+" "+op], "%s %s never called", version, op)
		}
	}
	assert.True(t, seen["vpn 1.1 createVpnGateway"])
	assert.True(t, seen["vpn 1.0 deleteVpnGateway"])
}

func TestFailedRunCleansUp(t *testing.T) {
	srv := fakeServer(t, 3)
	c := fakeClient(t, srv, nil)
	r := newRun(c, testConfig(t), t.Logf)
	// Both tunnels exist when the first Set fails.
	srv.Script(http.MethodPut, "/v1/vpn-tunnels/*", vpntest.Respond(http.StatusBadRequest))

	err := r.lifecycle(t.Context())
	require.ErrorContains(t, err, "tunnel set (1.1, 1.0) and wait")
	require.ErrorIs(t, err, scpvpn.ErrBadRequest)
	assert.Equal(t, []string{r.names.gateway, r.names.tunnel10, r.names.tunnel11}, left(t, c))

	require.NoError(t, r.cleanup(t.Context()))
	assert.Empty(t, left(t, c))
	assert.NotContains(t, r.summary(), "LEFT BEHIND")
	assert.Contains(t, r.summary(), "FAILED")
}

func TestInterruptedRunCleansUp(t *testing.T) {
	srv := fakeServer(t, 3)
	c := fakeClient(t, srv, nil)
	sig := make(chan os.Signal, 2)
	runCtx, cleanupCtx := interruptible(t, sig)
	// Interrupted as soon as the first tunnel exists.
	r := newRun(c, testConfig(t), func(format string, args ...any) {
		t.Logf(format, args...)
		if strings.HasPrefix(format, "created") && args[0] == "tunnel (vpn 1.1)" {
			sig <- syscall.SIGINT
		}
	})

	err := r.lifecycle(runCtx)
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, cleanupCtx.Err(), "one interrupt leaves the clean-up running")
	require.Equal(t, []string{r.names.gateway, r.names.tunnel11}, left(t, c))

	require.NoError(t, r.cleanup(cleanupCtx))
	assert.Empty(t, left(t, c))

	// A second interrupt ends the clean-up too.
	sig <- syscall.SIGINT
	select {
	case <-cleanupCtx.Done():
	case <-time.After(time.Minute):
		t.Fatal("a second interrupt did not end the clean-up")
	}
}

// The sweeper deletes what runs left and nothing else. (Its name does not
// match the sweep command's -run TestSweep, whose log it would clutter.)
func TestOnlyWhatRunsMadeIsSwept(t *testing.T) {
	srv := fakeServer(t, 3)
	c := fakeClient(t, srv, nil)
	ctx := t.Context()
	seedGateway := func(name string) string {
		id, err := srv.AddGateway(vpntest.GatewaySeed{Name: name})
		require.NoError(t, err)
		return id
	}
	seedTunnel := func(gw, name string) {
		_, err := srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw, Name: name})
		require.NoError(t, err)
	}
	// What runs left: a gateway with its two tunnels; a gateway in ERROR;
	// one just created; one whose deletion has begun (last, below, so that
	// it is still DELETING when the sweep begins).
	ours := seedGateway("scpvpnaccaaaaaagw")
	seedTunnel(ours, "scpvpnaccaaaaaat11")
	seedTunnel(ours, "scpvpnaccaaaaaat10")
	failed := seedGateway("scpvpnaccccccccgw")
	require.NoError(t, srv.ForceState(failed, scpvpn.StateError))
	creating, err := c.V1Dot1.Gateways.Create(ctx, &scpvpn.GatewayCreateRequest{
		Name: "scpvpnaccddddddgw", VPCID: "vpc1", IPID: "ip1", IPAddress: "192.0.2.99", IPType: scpvpn.IPTypePublic,
	})
	require.NoError(t, err)
	require.Equal(t, scpvpn.StateCreating, creating.State)
	// What is not ours: other names, names that start with the prefix but
	// have not a run's shape, a tunnel of a run's shape on a gateway no run
	// made, and on a run's gateway of another id, and a tunnel of another
	// name on a gateway of ours (whose deletion the service refuses).
	theirs := seedGateway("ProdGateway")
	seedTunnel(theirs, "ProdTunnel")
	seedTunnel(theirs, "scpvpnaccbbbbbbt10")
	seedTunnel(theirs, "scpvpnaccess1")
	for _, name := range []string{"myscpvpnacc1", "scpvpnaccounts", "scpvpnaccaaaaaagw2", "scpvpnaccAAAAAAgw", "scpvpnaccaaaaaaagw", "scpvpnaccaaaaaat10"} {
		seedGateway(name)
	}
	shared := seedGateway("scpvpnacceeeeeegw")
	seedTunnel(shared, "SomeonesTunnel")
	mixed := seedGateway("scpvpnaccgggggggw")
	seedTunnel(mixed, "scpvpnacchhhhhht11")
	deleting := seedGateway("scpvpnaccffffffgw")
	require.NoError(t, c.V1Dot1.Gateways.Delete(ctx, deleting))

	var logged []string
	done, err := sweep(ctx, c, defaultPrefix, func(format string, args ...any) {
		logged = append(logged, fmt.Sprintf(format, args...))
		t.Logf(format, args...)
	})
	require.Error(t, err, "gateways of ours with a tunnel that is not")
	assert.ErrorIs(t, err, scpvpn.ErrConflict)
	assert.Contains(t, err.Error(), "scpvpnacceeeeeegw")
	assert.Contains(t, err.Error(), "scpvpnaccgggggggw")

	var names []string
	for _, s := range done {
		names = append(names, s.name)
	}
	assert.Equal(t, []string{"scpvpnaccaaaaaat11", "scpvpnaccaaaaaat10", "scpvpnaccaaaaaagw", "scpvpnaccccccccgw", "scpvpnaccddddddgw", "scpvpnaccffffffgw"},
		names, "tunnels first, then gateways, in the order listed")
	assert.Equal(t, []string{"ProdGateway", "ProdTunnel", "SomeonesTunnel", "myscpvpnacc1", "scpvpnaccAAAAAAgw", "scpvpnaccaaaaaaagw",
		"scpvpnaccaaaaaagw2", "scpvpnaccaaaaaat10", "scpvpnaccbbbbbbt10", "scpvpnacceeeeeegw", "scpvpnaccess1", "scpvpnaccgggggggw",
		"scpvpnacchhhhhht11", "scpvpnaccounts"}, left(t, c))
	joined := strings.Join(logged, "\n")
	assert.Contains(t, joined, "left sweep: tunnel scpvpnaccbbbbbbt10", "a tunnel of a run's shape that is left is said so")
	assert.Contains(t, joined, "left sweep: tunnel scpvpnacchhhhhht11")

	// Nothing of ours is left to sweep but what cannot be.
	done, err = sweep(ctx, c, defaultPrefix, t.Logf)
	require.Error(t, err)
	assert.Empty(t, done)

	_, err = sweep(ctx, c, "not-it", t.Logf)
	require.ErrorContains(t, err, "ASCII letters and digits")
}

func TestConfigFromEnv(t *testing.T) {
	_, err := configFromEnv(func(string) string { return "" })
	require.Error(t, err)
	for _, v := range []string{envVPCID, envIPID, envIPAddress} {
		assert.Contains(t, err.Error(), v+" is not set")
	}

	cfg := testConfig(t)
	assert.Equal(t, defaultPrefix, cfg.prefix)
	assert.Equal(t, [2]string{"203.0.113.10", "203.0.113.11"}, cfg.peerIPs)
	assert.Equal(t, [4]string{"10.251.1.0/24", "10.251.2.0/24", "10.251.3.0/24", "10.251.4.0/24"}, cfg.subnets)

	env := map[string]string{
		envVPCID: "v", envIPID: "i", envIPAddress: "192.0.2.1",
		envPrefix: "mine", envPeerIPs: "198.51.100.1, 198.51.100.2", envRemoteNet: "172.30.0.0/16",
	}
	cfg, err = configFromEnv(func(k string) string { return env[k] })
	require.NoError(t, err)
	assert.Equal(t, "mine", cfg.prefix)
	assert.Equal(t, [2]string{"198.51.100.1", "198.51.100.2"}, cfg.peerIPs)
	assert.Equal(t, "172.30.4.0/24", cfg.subnets[3])
	n := cfg.names(newRunID())
	assert.Regexp(t, `^mine[a-z0-9]{6}gw$`, n.gateway)

	for name, bad := range map[string]map[string]string{
		"a prefix with a dash":            {envPrefix: "scp-vpn"},
		"a prefix too long for a name":    {envPrefix: "abcdefghijkl"},
		"one peer":                        {envPeerIPs: "198.51.100.1"},
		"a peer that is no address":       {envPeerIPs: "198.51.100.1,peer"},
		"a remote network not a /16":      {envRemoteNet: "10.0.0.0/8"},
		"a remote network with host bits": {envRemoteNet: "10.1.2.0/16"},
	} {
		bad[envVPCID], bad[envIPID], bad[envIPAddress] = "v", "i", "192.0.2.1"
		_, err := configFromEnv(func(k string) string { return bad[k] })
		assert.Error(t, err, name)
	}
	for range 100 {
		assert.Regexp(t, `^[A-Za-z0-9]{8,64}$`, newPreSharedKey())
	}
}

// runName takes the names a run gives, and no other.
func TestRunName(t *testing.T) {
	cfg := testConfig(t)
	for range 100 {
		id := newRunID()
		n := cfg.names(id)
		for name, suffix := range map[string]string{n.gateway: "gw", n.tunnel10: "t10", n.tunnel11: "t11"} {
			gotID, gotSuffix, ok := runName(defaultPrefix, name)
			require.True(t, ok, name)
			assert.Equal(t, id, gotID)
			assert.Equal(t, suffix, gotSuffix)
		}
	}
	for _, name := range []string{
		"scpvpnaccounts", "scpvpnaccess1", "scpvpnaccess2gw", // start with the prefix, as an operator's may
		"scpvpnacc", "scpvpnaccgw", "scpvpnacc12345gw", "scpvpnacc1234567gw", // an id too short or too long
		"scpvpnaccABCDEFgw", "scpvpnaccabc-efgw", "scpvpnaccabcdéfgw", // an id not of a run's alphabet
		"scpvpnaccabcdefg", "scpvpnaccabcdeft1", "scpvpnaccabcdeft12", "scpvpnaccabcdefgw2", "scpvpnaccabcdefGW", // another suffix
		"SCPVPNACCabcdefgw", "xscpvpnaccabcdefgw", "", // another prefix
	} {
		_, _, ok := runName(defaultPrefix, name)
		assert.False(t, ok, name)
	}
	_, _, ok := runName("prod", "prodvpn1")
	assert.False(t, ok, "a prefix of the operator's choice")
	_, _, ok = runName("prod", "prodweb001gw")
	assert.True(t, ok, "but a name of a run's shape is a run's: choose a prefix none of yours starts with")
}

// The remover deletes a resource whatever its state: it waits for one
// being created or changed (the service would refuse with 409), only
// waits for one being deleted, deletes one in ERROR, and takes one gone
// for done.
func TestRemoverWhateverTheState(t *testing.T) {
	srv := fakeServer(t, 50) // transitions outlast what each case sends before remove
	c := fakeClient(t, srv, nil)
	ctx := t.Context()
	gws := c.V1Dot1.Gateways
	newGateway := func(name string) string {
		gw, err := gws.Create(ctx, &scpvpn.GatewayCreateRequest{Name: name, VPCID: "vpc1", IPID: "ip1", IPAddress: "192.0.2.7", IPType: scpvpn.IPTypePublic})
		require.NoError(t, err)
		return gw.ID
	}
	active := func(name string) string {
		id, err := srv.AddGateway(vpntest.GatewaySeed{Name: name})
		require.NoError(t, err)
		return id
	}
	tests := []struct {
		name    string
		prepare func() string
		deletes int // DELETE requests the remover sends
	}{
		{"CREATING", func() string { return newGateway("Creating1") }, 1},
		{"EDITING", func() string {
			id := active("Editing1")
			_, err := gws.Set(ctx, id, &scpvpn.GatewaySetRequest{Description: scpvpn.Ptr("x")})
			require.NoError(t, err)
			return id
		}, 1},
		{"DELETING", func() string {
			id := active("Deleting1")
			require.NoError(t, gws.Delete(ctx, id))
			return id
		}, 0},
		{"ERROR", func() string {
			id := active("Error1")
			require.NoError(t, srv.ForceState(id, scpvpn.StateError))
			return id
		}, 1},
		{"ACTIVE", func() string { return active("Active1") }, 1},
		{"gone", func() string { return "0fdd87aab8cb46f59b7c1f81ed03fb3e" }, 0},
	}
	for _, tt := range tests {
		id := tt.prepare()
		state, _ := srv.State(id)
		if tt.name != "gone" {
			require.Equal(t, tt.name, state, "the state the remover meets")
		}
		srv.ClearRequests()
		require.NoError(t, gatewayRemover(c).remove(ctx, id), tt.name)
		_, err := gws.Get(ctx, id)
		require.ErrorIs(t, err, scpvpn.ErrNotFound, tt.name)
		assert.Equal(t, tt.deletes, srv.CountRequests(http.MethodDelete, "/v1/vpn-gateways/*"), tt.name)
		for _, r := range srv.Requests() {
			assert.NotEqual(t, http.StatusConflict, r.Status, "%s: %s %s", tt.name, r.Method, r.Path)
		}
	}

	// A gateway with a tunnel is refused, and the refusal reported.
	id := active("Busy1")
	_, err := srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: id})
	require.NoError(t, err)
	require.ErrorIs(t, gatewayRemover(c).remove(ctx, id), scpvpn.ErrConflict)
}
