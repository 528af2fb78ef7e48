package main

// This file holds the harness of the tests: the command is built once, and
// each test runs it as a child process against its own vpntest server,
// configured only through the child's environment, with every output
// checked for secrets.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn/vpntest"
)

// binary is the command built by TestMain.
var binary string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

// buildAndRun builds the command into a temporary folder, with the race
// detector when the tests have it, and runs the tests.
func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "scpvpn-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "scpvpn")
	args := []string{"build", "-o", binary}
	if raceEnabled {
		args = append(args, "-race")
	}
	if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the command: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// Secrets every test configures: none may ever appear in an output.
const (
	testToken = "tok-9f8e7d6c5b4a39281706"
	testPSK   = "psk-Sup3r-s3cret-<&>-value"
)

// cli runs the built command against one vpntest server.
type cli struct {
	t   *testing.T
	srv *vpntest.Server
	env []string
	// secrets are checked absent from every output.
	secrets []string
}

// newCLI starts a server for the test and a command line configured for
// it through the environment: its URL, its keys and a token. HOME and
// SCP_CONFIG_DIR are empty temporary folders, so that the developer's
// ~/.scpconf is never read.
func newCLI(t *testing.T, opts vpntest.Options) *cli {
	t.Helper()
	if opts.TransitionDelay == 0 {
		opts.TransitionDelay = -1 // immediate: the next request sees the final state
	}
	srv := vpntest.NewServer(opts)
	t.Cleanup(srv.Close)
	home := t.TempDir()
	return &cli{
		t:   t,
		srv: srv,
		env: []string{
			"HOME=" + home,
			"SCP_CONFIG_DIR=" + filepath.Join(home, ".scpconf"),
			"SCP_VPN_ENDPOINT=" + srv.URL,
			"SCP_ACCESS_KEY=" + srv.AccessKey,
			"SCP_SECRET_KEY=" + srv.SecretKey,
			"SCP_AUTH_TOKEN=" + testToken,
		},
		secrets: []string{srv.SecretKey, testToken, testPSK},
	}
}

// in returns c for a subtest t, whose failures must be its own.
func (c *cli) in(t *testing.T) *cli {
	d := *c
	d.t = t
	return &d
}

// result is what one run of the command did.
type result struct {
	stdout, stderr string
	code           int
	signal         syscall.Signal // that killed the command; 0 if none did
}

// run runs the command with args (and a fast wait policy) and returns what
// it did, checking that no secret appears in its output.
func (c *cli) run(args ...string) result {
	c.t.Helper()
	return c.runWith("", args...)
}

// runWith runs the command with stdin as its standard input.
func (c *cli) runWith(stdin string, args ...string) result {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, append([]string{"--poll-interval=1ms"}, args...)...)
	// A command built with the race detector would otherwise sleep a
	// second before it exits.
	cmd.Env = append(c.env[:len(c.env):len(c.env)], "GORACE=atexit_sleep_ms=0")
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		require.NoError(c.t, err, "running %q", args)
	}
	r := result{stdout: stdout.String(), stderr: stderr.String(), code: cmd.ProcessState.ExitCode()}
	c.noSecrets(r, args)
	return r
}

// noSecrets checks that no secret, nor its JSON-escaped form, is in r.
func (c *cli) noSecrets(r result, args []string) {
	c.t.Helper()
	for _, s := range c.secrets {
		for _, form := range jsonForms(s) {
			assert.NotContains(c.t, r.stdout, string(form), "a secret on standard output of %q", args)
			assert.NotContains(c.t, r.stderr, string(form), "a secret on standard error of %q", args)
		}
	}
}

// ok runs the command and requires it to succeed.
func (c *cli) ok(args ...string) result {
	c.t.Helper()
	r := c.run(args...)
	require.Equal(c.t, exitOK, r.code, "%q failed:\n%s", args, r.stderr)
	return r
}

// jsonOK runs the command with -o json, requires it to succeed, and
// decodes its standard output, which must be exactly one JSON value, into
// v.
func (c *cli) jsonOK(v any, args ...string) result {
	c.t.Helper()
	r := c.ok(append(args, "-o", "json")...)
	decodeOnly(c.t, r.stdout, v)
	return r
}

// decodeOnly decodes s, which must hold one JSON value and nothing else,
// into v.
func decodeOnly(t *testing.T, s string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	require.NoError(t, dec.Decode(v), "standard output is not JSON:\n%s", s)
	_, err := dec.Token()
	require.ErrorIs(t, err, io.EOF, "standard output holds more than one JSON value:\n%s", s)
}

// writeFile writes content into a new file of the test and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// jsonForms returns secret as it is, and as it appears inside a JSON
// string with and without HTML escaping: the forms a leak would take.
func jsonForms(secret string) [][]byte {
	forms := [][]byte{[]byte(secret)}
	for _, html := range []bool{true, false} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		_ = enc.Encode(secret) // a string always encodes
		quoted := bytes.TrimSpace(b.Bytes())
		forms = append(forms, quoted[1:len(quoted)-1])
	}
	return forms
}
