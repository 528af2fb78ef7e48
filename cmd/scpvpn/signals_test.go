package main

// This file holds the tests of signals: SIGINT (Ctrl-C) and SIGTERM stop
// the command promptly, whatever it is waiting for, and it dies by the
// signal, as a shell expects.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net/http"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn/vpntest"
)

// A signal stops a wait, and the reading of a request from a standard
// input that does not end (an operator who forgot to pipe a file in). The
// command says why on standard error, then dies by the signal: a shell
// that runs it in a loop (while read -r id; do scpvpn tunnels delete
// "$id" --wait; done) stops the loop only for a command that did, and
// would otherwise go on to delete the next tunnel.
func TestSignals(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("sends SIGINT and SIGTERM")
	}
	c := newCLI(t, vpntest.Options{TransitionDelay: time.Hour})
	gw, err := c.srv.AddGateway(vpntest.GatewaySeed{})
	require.NoError(t, err)
	require.NoError(t, c.srv.ForceState(gw, "CREATING"))
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		for _, tc := range []struct {
			name  string
			args  []string
			ready string // on standard error once the command waits
		}{
			{"wait", []string{"gateways", "wait", gw}, "waiting for VPN gateway"},
			{"create --wait", []string{"gateways", "create", "-f", writeFile(t, "gw.json", gatewayFile("gw1")), "--wait"}, "waiting for VPN gateway"},
			// The warning of version 1.0 comes before the request is read.
			{"standard input", []string{"--api-version", "1.0", "gateways", "create", "-f", "-"}, "deprecated"},
		} {
			t.Run(sig.String()+" "+tc.name, func(t *testing.T) {
				if signal.Ignored(sig) {
					t.Skip("ignored here, and so in the command, which then only stops")
				}
				posts := c.srv.CountRequests(http.MethodPost, "/v1/vpn-gateways")
				r := c.in(t).interrupt(sig, tc.ready, tc.args...)
				assert.Equal(t, sig, r.signal, "killed by the signal; status %d: %s", r.code, r.stderr)
				assert.Contains(t, r.stderr, "context canceled")
				assert.NotContains(t, r.stderr, "goroutine ")
				assert.Empty(t, r.stdout)
				if tc.name == "standard input" {
					assert.Equal(t, posts, c.srv.CountRequests(http.MethodPost, "/v1/vpn-gateways"), "no request was read, none was sent")
				}
			})
		}
	}
}

// --timeout bounds the reading of the request too.
func TestTimeoutReadingStandardInput(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	r := c.interrupt(0, "", "gateways", "create", "-f", "-", "--timeout", "100ms")
	assert.Equal(t, exitFailure, r.code, r.stderr)
	assert.Contains(t, r.stderr, "deadline exceeded")
	assert.Empty(t, r.stdout)
	assert.Empty(t, c.srv.Requests())
}

// interrupt starts the command with args, its standard input a pipe that
// stays open, waits for a line of standard error holding ready, sends it
// sig and returns what it did. With sig 0 it only waits for the command.
func (c *cli) interrupt(sig syscall.Signal, ready string, args ...string) result {
	c.t.Helper()
	// The command is killed when this runs out: it did not stop.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, append([]string{"--poll-interval=1ms"}, args...)...)
	cmd.Env = append(c.env[:len(c.env):len(c.env)], "GORACE=atexit_sleep_ms=0")
	stdin, err := cmd.StdinPipe()
	require.NoError(c.t, err)
	defer stdin.Close()
	stderr, err := cmd.StderrPipe()
	require.NoError(c.t, err)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	require.NoError(c.t, cmd.Start())
	defer func() { _ = cmd.Process.Kill() }() // in case the test fails early

	var errOut strings.Builder
	sc := bufio.NewScanner(stderr)
	if sig != 0 {
		for sc.Scan() {
			errOut.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), ready) {
				break
			}
		}
		require.Contains(c.t, errOut.String(), ready, "the command never got ready")
		require.NoError(c.t, cmd.Process.Signal(sig))
	}
	for sc.Scan() {
		errOut.WriteString(sc.Text() + "\n")
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		require.NoError(c.t, err, "running %q", args)
	}
	r := result{stdout: stdout.String(), stderr: errOut.String(), code: cmd.ProcessState.ExitCode()}
	c.noSecrets(r, args)
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		r.signal = ws.Signal()
	}
	return r
}
