package main

// This file holds the test of the built command: run in the background as
// a shell would, its variables evaluated, called, and stopped by a signal.

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// buildVpnfake builds the command into a temporary folder.
func buildVpnfake(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the command")
	}
	if runtime.GOOS == "windows" {
		t.Skip("stops on SIGTERM, which Windows cannot send")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build with")
	}
	bin := filepath.Join(t.TempDir(), "vpnfake")
	out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

// The built command prints its variables, serves, and exits with status 0
// on SIGTERM and on SIGINT, run directly or in the background of a shell.
func TestBuiltCommand(t *testing.T) {
	bin := buildVpnfake(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run("stops on "+sig.String(), func(t *testing.T) { stopsCleanly(t, bin, sig) })
	}
	t.Run("in the background of a shell", func(t *testing.T) { inTheBackground(t, bin) })
}

// stopsCleanly runs bin, evaluates its variables, calls it and stops it
// with sig.
func stopsCleanly(t *testing.T, bin string, sig syscall.Signal) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// A secret key a shell would misread unquoted.
	cmd := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0", "-delay", "-1ns", "-secret-key", `it's a $ecret; "x"`)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr syncBuffer // written by the command's goroutine while the test reads
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill() }() // in case the test fails early

	var lines []string
	sc := bufio.NewScanner(stdout)
	for len(lines) < 4 && sc.Scan() {
		lines = append(lines, sc.Text())
	}
	require.Len(t, lines, 4, "stderr: %s", stderr.String())
	vars := parseExports(t, strings.Join(lines, "\n")+"\n")
	require.Len(t, vars, 4)
	assert.Equal(t, `it's a $ecret; "x"`, vars["SCP_SECRET_KEY"])

	// A shell's eval reads the same values.
	if sh, err := exec.LookPath("sh"); err == nil {
		script := `eval "$1"; printf '%s\n%s\n%s' "$SCP_VPN_ENDPOINT" "$SCP_ACCESS_KEY" "$SCP_SECRET_KEY"`
		out, err := exec.CommandContext(ctx, sh, "-c", script, "sh", strings.Join(lines, "\n")).Output()
		require.NoError(t, err)
		assert.Equal(t, []string{vars["SCP_VPN_ENDPOINT"], vars["SCP_ACCESS_KEY"], vars["SCP_SECRET_KEY"]}, strings.Split(string(out), "\n"))
	}

	// The SDK, configured from the variables, is served.
	c, err := scpvpn.NewClient(
		scpvpn.WithEndpoint(vars["SCP_VPN_ENDPOINT"]),
		scpvpn.WithCredentials(vars["SCP_ACCESS_KEY"], vars["SCP_SECRET_KEY"]),
	)
	require.NoError(t, err)
	l, err := c.V1Dot1.Gateways.List(ctx, nil)
	require.NoError(t, err)
	assert.Zero(t, l.Count)
	c.CloseIdleConnections()

	// And configured from its IAM catalog, as SCP's tools find endpoints.
	c, err = scpvpn.NewClient(
		scpvpn.WithCatalog(vars["SCP_AUTH_URL"], ""),
		scpvpn.WithCredentials(vars["SCP_ACCESS_KEY"], vars["SCP_SECRET_KEY"]),
	)
	require.NoError(t, err)
	_, err = c.V1Dot1.Gateways.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, vars["SCP_VPN_ENDPOINT"], c.Endpoint(), "the catalog lists the fake itself")
	c.CloseIdleConnections()

	require.NoError(t, cmd.Process.Signal(sig))
	rest := new(strings.Builder)
	for sc.Scan() {
		rest.WriteString(sc.Text())
	}
	err = cmd.Wait()
	require.NoError(t, err, "exit status 0 after %s; stderr: %s", sig, stderr.String())
	assert.Equal(t, 0, cmd.ProcessState.ExitCode())
	assert.Empty(t, rest.String(), "nothing else on stdout")
	assert.Contains(t, stderr.String(), "stopping")
}

// inTheBackground runs bin in the background of a shell, its variables
// written to a file and sourced, then stops it with kill, as the README
// shows.
func inTheBackground(t *testing.T, bin string) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no shell")
	}
	env := filepath.Join(t.TempDir(), "vpnfake.env")
	script := `
"$1" -addr 127.0.0.1:0 >"$2" 2>/dev/null &
pid=$!
i=0
until [ "$(wc -l <"$2")" -ge 4 ]; do
  i=$((i+1)); [ "$i" -lt 200 ] || exit 3
  sleep 0.05
done
. "$2"
[ -n "$SCP_VPN_ENDPOINT" ] && [ -n "$SCP_AUTH_URL" ] && [ -n "$SCP_ACCESS_KEY" ] && [ -n "$SCP_SECRET_KEY" ] || exit 4
kill "$pid"
wait "$pid"
`
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, sh, "-c", script, "sh", bin, env).CombinedOutput()
	require.NoError(t, err, "the server's exit status is the script's: %s", out)
	raw, err := os.ReadFile(env)
	require.NoError(t, err)
	assert.Len(t, parseExports(t, string(raw)), 4)
}
