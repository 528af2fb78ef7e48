package main

// Review 2 (hostile review of issue 19 and of issue 17's command-line
// parts): the command line run as an operator runs it. Each test fails on
// the code reviewed: a --template that runs long ignores --timeout,
// SIGINT and SIGTERM; delete of several ids exits 2 ("nothing was sent")
// after deleting some; wait --deleted reports a gateway deleted when the
// IAM catalog, not the VPN service, answered 404; and a create that was
// done exits 1 without its id when --jq or --template fails on its output.

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// review2Bound is how long a command is given to stop by itself before the
// test kills it: generous, it only catches a command that does not stop.
const review2Bound = 20 * time.Second

// review2Start starts the command with args and returns it with its
// outputs, and a function that waits for it (killing it after
// review2Bound) and says whether it ended by itself.
func (c *cli) review2Start(args ...string) (*exec.Cmd, *bytes.Buffer, func() bool) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), review2Bound)
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(c.env[:len(c.env):len(c.env)], "GORACE=atexit_sleep_ms=0")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(c.t, cmd.Start())
	return cmd, &out, func() bool {
		defer cancel()
		err := cmd.Wait()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			require.NoError(c.t, err)
		}
		return ctx.Err() == nil
	}
}

// A template is the operator's, but the README promises that every command
// gives up after --timeout and stops on Ctrl-C or SIGTERM. text/template
// runs without a context (range over an integer, Go 1.22's, loops as long
// as it is told) and builds its whole output in memory before anything is
// written: this one runs for minutes (1e10 iterations) and ignores both.
// --jq, run with the command's context, stops (checked: --jq 'reduce
// range(1e9) as $x (0; .+1)' --timeout 2s ends after 2 s).
func TestReview2TemplateIsBoundedLikeEveryCommand(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	addGateways(t, c.srv, 1)
	const long = `{{range 100000}}{{range 100000}}{{end}}{{end}}done`

	t.Run("--timeout", func(t *testing.T) {
		t.Parallel()
		cmd, out, wait := c.in(t).review2Start("gateways", "list", "--template", long, "--timeout", "1s")
		stopped := wait()
		require.True(t, stopped, "still running %s after --timeout 1s; killed. Output:\n%s", review2Bound, out)
		assert.Equal(t, exitFailure, cmd.ProcessState.ExitCode(), out.String())
		assert.Contains(t, out.String(), "--timeout")
	})
	t.Run("SIGTERM", func(t *testing.T) {
		t.Parallel()
		cmd, out, wait := c.in(t).review2Start("gateways", "list", "--template", long)
		// Not a timing assertion: the signal may come before or during the
		// template; either way the command must stop.
		time.Sleep(500 * time.Millisecond)
		require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
		stopped := wait()
		require.True(t, stopped, "still running %s after SIGTERM; killed. Output:\n%s", review2Bound, out)
		ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
		require.True(t, ok)
		assert.True(t, ws.Signaled() && ws.Signal() == syscall.SIGTERM, "dies by SIGTERM, as the README says; status %d: %s", cmd.ProcessState.ExitCode(), out)
	})
}

// Status 2 means "usage: ... nothing was sent" (README, --help). delete of
// several ids sends a DELETE for each id it can, then refuses an id that
// the SDK refuses ("" or a dot segment: an unset variable in
// `scpvpn gateways delete "$GW1" "$GW2" --yes` is the usual way), and the
// combined status of the failures is theirs: 2. The first gateway is being
// deleted, and a script told nothing was sent fixes its arguments and
// runs again, or concludes the first gateway still exists.
func TestReview2DeleteOfSeveralSaysNothingWasSentAfterSendingSome(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{TransitionDelay: time.Hour})
	gws := addGateways(t, c.srv, 2)
	for i, refused := range []string{"", ".."} {
		t.Run("id "+refused, func(t *testing.T) {
			c, gw := c.in(t), gws[i]
			before := c.srv.CountRequests(http.MethodDelete, "/v1/vpn-gateways/*")
			r := c.run("gateways", "delete", gw, refused, "--yes")
			sent := c.srv.CountRequests(http.MethodDelete, "/v1/vpn-gateways/*") - before
			if r.code == exitUsage {
				assert.Zero(t, sent, "status 2 says nothing was sent, yet %d DELETE went out:\n%s", sent, r.stderr)
			} else {
				assert.NotEqual(t, exitOK, r.code, r.stderr)
			}
		})
	}
}

// A command line's first call is a fresh client's first call: with
// --auth-url (or SCP_AUTH_URL) it asks the IAM catalog first. An IAM 404
// in SCP's error format (an auth URL without its /v1, a catalog route
// being reloaded) is wrapped by the SDK and matches ErrNotFound, so
// `wait --deleted` takes it for the VPN service saying the gateway is gone:
// it prints "deleted" and exits 0 while the gateway is ACTIVE, and `get`
// exits 3 ("does not exist"). Issue 17 (item 3) is that very false "gone".
func TestReview2CatalogNotFoundIsNotGone(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	gw := addGateways(t, c.srv, 1)[0]
	c.env = setEnv(c.env, scpvpn.EnvEndpoint, "")
	for _, args := range [][]string{
		{"gateways", "wait", gw, "--deleted"},
		{"gateways", "get", gw},
	} {
		c.srv.Script(http.MethodGet, "/iam/v1/endpoints", vpntest.Respond(http.StatusNotFound))
		r := c.run(append(args, "--auth-url", c.srv.AuthURL)...)
		assert.NotEqual(t, exitOK, r.code, "%q: the VPN service was never asked:\n%s", args, r.stderr)
		assert.NotEqual(t, exitNotFound, r.code, "%q: the VPN service was never asked:\n%s", args, r.stderr)
		// "deleted" at the end of a line is the verdict; the wait's own
		// note ("waiting for ... to be deleted (at most ...)") is not.
		assert.NotContains(t, r.stderr, "deleted\n", "%q", args)
		c.srv.ResetFaults()
	}
	state, err := c.srv.State(gw)
	require.NoError(t, err)
	assert.Equal(t, string(scpvpn.StateActive), state, "the gateway is there all along")
}

// A create that the service accepted, whose output --jq or --template then
// fails to shape (a runtime error of the operator's expression: tonumber
// on an id, a field of a string), exits 1, "failed" in the README's table,
// and the id of what was made is lost: the template's error does not name
// it, jq's quotes it cut short. create --wait already keeps the id when
// the wait fails ("the id must not be lost: the resource exists"); here a
// script that retries a failed create makes a second gateway.
func TestReview2CreateDoneButShapingFailedKeepsTheID(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{GatewayQuota: 10})
	for name, shape := range map[string][]string{
		"template": {"--template", "{{.id.x}}"},
		"jq":       {"--jq", ".id | tonumber"},
	} {
		t.Run(name, func(t *testing.T) {
			c := c.in(t)
			gwName := "shape" + name
			r := c.run(append([]string{"gateways", "create", "-f", writeFile(t, "gw.json", gatewayFile(gwName))}, shape...)...)
			var made []string
			for g, err := range c.review2Client().V1Dot1.Gateways.All(t.Context(), &scpvpn.GatewayListOptions{Name: gwName}) {
				require.NoError(t, err)
				made = append(made, g.ID)
			}
			require.Len(t, made, 1, "the service made the gateway")
			assert.Contains(t, r.stdout+r.stderr, made[0], "the id of the gateway made is lost (status %d):\n%s", r.code, r.stderr)
			assert.NotEqual(t, exitFailure, r.code, "status 1 says the create failed; it was done:\n%s", r.stderr)
		})
	}
}

// review2Client is a client of the test's server, to see what it holds.
func (c *cli) review2Client() *scpvpn.Client {
	c.t.Helper()
	client, err := c.srv.Client()
	require.NoError(c.t, err)
	return client
}
