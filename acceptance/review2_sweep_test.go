package acceptance

// Review 2 (hostile review of issue 20): the sweeper and the README's
// commands. The sweeper deletes any resource whose name merely starts with
// the prefix, though a run's names have an exact shape (prefix, a run id
// of six lower-case letters and digits, then gw, t10 or t11); and the
// README's commands are cached by go test, so a second sweep (or a second
// proof of the account) with the same variables does nothing and replays
// the first one's log and PASS.

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// TestReview2SweeperDeletesOnlyWhatARunNames: names that start with the
// prefix but that no run gives (a run's are prefix + 6 of [a-z0-9] + gw,
// t10 or t11) are an operator's own: scpvpnaccess1, scpvpnaccounts. The
// sweeper deletes them, a tunnel on a production gateway included. With a
// prefix of the operator's choice (SCPVPN_ACCEPTANCE_PREFIX=prod, which
// checkPrefix accepts) it deletes every gateway named prod...
func TestReview2SweeperDeletesOnlyWhatARunNames(t *testing.T) {
	srv := fakeServer(t, 3)
	c := fakeClient(t, srv, nil)
	ctx := t.Context()
	seedGateway := func(name string) string {
		id, err := srv.AddGateway(vpntest.GatewaySeed{Name: name})
		require.NoError(t, err)
		return id
	}
	prod := seedGateway("ProdGateway")
	_, err := srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: prod, Name: "scpvpnaccess1"})
	require.NoError(t, err)
	seedGateway("scpvpnaccounts")
	seedGateway("scpvpnaccess2gw")
	ours := seedGateway("scpvpnacck3x9q2gw") // the shape of a run's gateway

	done, err := sweep(ctx, c, defaultPrefix, t.Logf)
	require.NoError(t, err)
	var names []string
	for _, s := range done {
		names = append(names, s.name)
	}
	assert.Equal(t, []string{"scpvpnacck3x9q2gw"}, names, "only what a run names is the sweeper's")
	assert.Equal(t, []string{"ProdGateway", "scpvpnaccess1", "scpvpnaccess2gw", "scpvpnaccounts"}, left(t, c),
		"an operator's resources whose names start with the prefix are gone")
	_, err = c.V1Dot1.Gateways.Get(ctx, ours)
	require.ErrorIs(t, err, scpvpn.ErrNotFound)

	// A prefix of the operator's choice.
	require.NoError(t, checkPrefix("prod"), "a prefix the suite accepts")
	seedGateway("prodvpn1")
	_, err = sweep(ctx, c, "prod", t.Logf)
	require.NoError(t, err)
	assert.Contains(t, left(t, c), "prodvpn1", "SCPVPN_ACCEPTANCE_PREFIX=prod sweeps every gateway named prod...")
}

// TestReview2SweepCommandIsNotCached runs the README's sweep command
// (SCPVPN_SWEEP=1 go test -v -run TestSweep ./acceptance) twice, with the
// same variables, as an operator does after a second killed run. go test
// caches a passing run whose flags are all cacheable (-v, -run, -timeout)
// and whose variables and files are unchanged; the network is not an
// input. The second sweep is "(cached)": it replays the first one's log
// ("deleted gateway ...", "swept 1 resources", ok) and deletes nothing, so
// the gateway the second run left stays, billed. The acceptance suite's own
// command has the same flaw: a second proof of the account is a replay.
func TestReview2SweepCommandIsNotCached(t *testing.T) {
	goTool, err := exec.LookPath("go")
	require.NoError(t, err, "the go command runs the README's command")
	srv := fakeServer(t, 1)
	c := fakeClient(t, srv, nil)
	home := t.TempDir()
	env := append(os.Environ(),
		"SCP_CONFIG_DIR="+filepath.Join(home, ".scpconf"), // HOME stays: the go command's caches are there
		"SCP_VPN_ENDPOINT="+srv.URL,
		"SCP_ACCESS_KEY="+srv.AccessKey,
		"SCP_SECRET_KEY="+srv.SecretKey,
		envSweep+"=1",
		"GOFLAGS=", // the command as the README writes it, nothing added
	)
	sweepOnce := func(leftBehind string) string {
		t.Helper()
		_, err := srv.AddGateway(vpntest.GatewaySeed{Name: leftBehind})
		require.NoError(t, err)
		cmd := exec.CommandContext(t.Context(), goTool, "test", "-v", "-run", "TestSweep", ".")
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		require.NoError(t, cmd.Run(), "the sweep command:\n%s", out.String())
		return out.String()
	}
	first := sweepOnce("scpvpnacc111111gw")
	require.Contains(t, first, "deleted gateway scpvpnacc111111gw", first)
	require.NotContains(t, left(t, c), "scpvpnacc111111gw")

	second := sweepOnce("scpvpnacc222222gw")
	assert.NotContains(t, second, "(cached)", "the second sweep is a replay of the first:\n%s", second)
	assert.NotContains(t, left(t, c), "scpvpnacc222222gw", "what the second killed run left is still there")
	assert.True(t, strings.Contains(second, "scpvpnacc222222gw"), "the second sweep's log does not name what it should have deleted:\n%s", second)
}
