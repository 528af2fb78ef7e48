package main

// This file holds the tests of run: its output, its flags, its stop.

import (
	"bytes"
	"context"
	"flag"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-access-key", "ak", "-secret-key", "it's", "-delay", "-1ns", "-gateway-quota", "1"}, &stdout, &stderr)
	}()

	var vars map[string]string
	require.Eventually(t, func() bool {
		vars = parseExports(t, stdout.String())
		return len(vars) == 4
	}, time.Minute, 5*time.Millisecond) // only a hang takes this long
	assert.Equal(t, "ak", vars["SCP_ACCESS_KEY"])
	assert.Equal(t, "it's", vars["SCP_SECRET_KEY"])
	assert.Equal(t, "export SCP_SECRET_KEY='it'\\''s'\n", strings.Split(stdout.String(), "\n")[3]+"\n")
	endpoint := vars["SCP_VPN_ENDPOINT"]
	assert.Equal(t, endpoint+"/iam/v1", vars["SCP_AUTH_URL"], "the IAM catalog it serves")
	assert.Contains(t, stderr.String(), "serving the SCP VPN API on "+endpoint+" and its IAM catalog on "+vars["SCP_AUTH_URL"])

	// Unsigned: the server is up and strict.
	hc := &http.Client{Transport: &http.Transport{}}
	resp, err := hc.Get(endpoint + "/v1/vpn-gateways")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	hc.CloseIdleConnections()

	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, stderr.String(), "stopping")
	assert.Len(t, strings.Split(strings.TrimSpace(stdout.String()), "\n"), 4, "nothing else on stdout")
	_, err = hc.Get(endpoint + "/v1/vpn-gateways")
	assert.Error(t, err, "stopped listening")
}

// exportLine is one line of vpnfake's output: export NAME='value', the
// value single-quoted as shellQuote does it.
var exportLine = regexp.MustCompile(`^export ([A-Z_]+)='((?:[^']|'\\'')*)'$`)

// parseExports reads the complete lines of vpnfake's output as a shell
// would eval them, failing the test on any other line.
func parseExports(t *testing.T, out string) map[string]string {
	t.Helper()
	vars := map[string]string{}
	lines := strings.Split(out, "\n")
	for _, line := range lines[:len(lines)-1] { // the last is incomplete or empty
		m := exportLine.FindStringSubmatch(line)
		require.NotNil(t, m, "not an export line: %q", line)
		vars[m[1]] = strings.ReplaceAll(m[2], `'\''`, "'")
	}
	return vars
}

func TestRunBadFlags(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-nope"}, &out, &out)
	require.Error(t, err)
	err = run(context.Background(), []string{"-h"}, &out, &out)
	assert.ErrorIs(t, err, flag.ErrHelp)
	assert.Contains(t, out.String(), "-gateway-quota")
	err = run(context.Background(), []string{"extra"}, &out, &out)
	assert.ErrorContains(t, err, "unexpected arguments")
	err = run(context.Background(), []string{"-addr", "256.0.0.1:0"}, &out, &out)
	assert.ErrorContains(t, err, "listen")
}

// The export lines evaluate, in every shell at hand, to exactly the keys
// given, however hostile: quotes, expansions, back quotes, backslashes,
// globs, a leading dash, UTF-8. Nothing in them is run.
func TestExportsEvalInShells(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran")
	accessKey := `a b'c $(touch ` + marker + `) ` + "`touch " + marker + "`" + ` \"\\ %s ! * ~ é`
	secretKey := `-n '' ;touch ` + marker + `; '\''`
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-access-key", accessKey, "-secret-key", secretKey}, &stdout, &stderr)
	}()
	require.Eventually(t, func() bool { return strings.Count(stdout.String(), "\n") == 4 }, time.Minute, 5*time.Millisecond)
	cancel()
	require.NoError(t, <-done)
	exports := stdout.String()
	endpoint := parseExports(t, exports)["SCP_VPN_ENDPOINT"]

	shells := 0
	for _, name := range []string{"sh", "bash", "dash", "zsh", "ksh"} {
		sh, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		shells++
		script := `eval "$1"; printf '%s\n%s\n%s' "$SCP_VPN_ENDPOINT" "$SCP_ACCESS_KEY" "$SCP_SECRET_KEY"`
		out, err := exec.Command(sh, "-c", script, name, exports).Output()
		require.NoError(t, err, name)
		assert.Equal(t, []string{endpoint, accessKey, secretKey}, strings.Split(string(out), "\n"), name)
	}
	if shells == 0 {
		t.Skip("no shell")
	}
	assert.NoFileExists(t, marker, "a shell ran what a key holds")
}

// An address in use is an error that says so.
func TestAddressInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	var out bytes.Buffer
	err = run(context.Background(), []string{"-addr", l.Addr().String()}, &out, &out)
	assert.ErrorContains(t, err, "listen")
	assert.ErrorContains(t, err, l.Addr().String())
	assert.Empty(t, out.String(), "no export line for a server that does not serve")
}

// A key with a line break would add lines to the four a shell reads, and
// no header could carry it: refused before anything is served.
func TestUnsendableKeysAreRefused(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-addr", "127.0.0.1:0", "-access-key", "ak\nexport X=1"},
		{"-addr", "127.0.0.1:0", "-secret-key", " sk"},
		{"-addr", "127.0.0.1:0", "-account-id", "a\tb"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), args, &stdout, &stderr)
		require.Error(t, err, args)
		assert.Contains(t, err.Error(), "cannot be sent in a header")
		assert.Empty(t, stdout.String(), "no export line")
	}
}
