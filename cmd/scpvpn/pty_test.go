//go:build linux

package main

// This file holds the test of delete at a terminal: the command runs with
// a pseudo-terminal as its standard input, as it does in an operator's
// shell, and asks before deleting unless --yes.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/scpsdk/scpvpn/vpntest"
)

// openPTY returns the two ends of a new pseudo-terminal: the terminal the
// command reads, and the side that types into it.
func openPTY(t *testing.T) (terminal, keyboard *os.File) {
	t.Helper()
	keyboard, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { _ = keyboard.Close() })
	fd := int(keyboard.Fd()) //nolint:gosec // a file descriptor fits in an int
	require.NoError(t, unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0), "unlocking the terminal")
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	require.NoError(t, err)
	terminal, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	require.NoError(t, err)
	t.Cleanup(func() { _ = terminal.Close() })
	return terminal, keyboard
}

// atTerminal runs the command with a pseudo-terminal as its standard
// input; once the question is on standard error, answer is typed (none:
// no question is expected).
func (c *cli) atTerminal(answer string, args ...string) result {
	c.t.Helper()
	terminal, keyboard := openPTY(c.t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(c.env[:len(c.env):len(c.env)], "GORACE=atexit_sleep_ms=0")
	cmd.Stdin = terminal
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	require.NoError(c.t, err)
	require.NoError(c.t, cmd.Start())
	defer func() { _ = cmd.Process.Kill() }() // in case the test fails early

	var errOut strings.Builder
	rd := bufio.NewReader(stderr)
	if answer != "" {
		for !strings.Contains(errOut.String(), "[y/N] ") {
			b, err := rd.ReadByte()
			require.NoError(c.t, err, "no question; stderr: %s", errOut.String())
			errOut.WriteByte(b)
		}
		_, err := keyboard.WriteString(answer)
		require.NoError(c.t, err)
	}
	rest := new(bytes.Buffer)
	_, _ = rest.ReadFrom(rd)
	errOut.Write(rest.Bytes())
	err = cmd.Wait()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		require.NoError(c.t, err)
	}
	r := result{stdout: stdout.String(), stderr: errOut.String(), code: cmd.ProcessState.ExitCode()}
	c.noSecrets(r, args)
	return r
}

// At a terminal, delete asks first: no deletes nothing (status 2, nothing
// sent), yes deletes, --yes is not asked.
func TestDeleteAsksAtATerminal(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{GatewayQuota: 10})
	ids := addGateways(t, c.srv, 4)
	deletes := func() int { return c.srv.CountRequests(http.MethodDelete, "/v1/vpn-gateways/*") }

	r := c.atTerminal("n\n", "gateways", "delete", ids[0], ids[1])
	assert.Equal(t, exitUsage, r.code, r.stderr)
	assert.Contains(t, r.stderr, "Delete 2 VPN gateways ("+ids[0]+", "+ids[1]+")? [y/N] ")
	assert.Contains(t, r.stderr, "nothing deleted: not confirmed")
	assert.Contains(t, r.stderr, "Give --yes to delete without being asked.")
	assert.Zero(t, deletes(), "nothing sent")

	r = c.atTerminal("y\n", "gateways", "delete", ids[0], ids[1], "--wait")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, "VPN gateway "+ids[1]+" deleted")
	assert.Equal(t, 2, deletes())

	r = c.atTerminal("", "gateways", "delete", ids[2], "--yes")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.NotContains(t, r.stderr, "[y/N]")
	assert.Equal(t, 3, deletes())

	r = c.atTerminal("\n", "tunnels", "delete", "tn1")
	assert.Equal(t, exitUsage, r.code, "an empty answer is no")
	assert.Contains(t, r.stderr, "Delete VPN tunnel tn1? [y/N] ")
}
