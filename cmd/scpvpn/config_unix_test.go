//go:build unix

package main

// This file holds the tests of how the command reads configuration files
// for itself: never blocking on a named pipe, never reading a device, a
// byte order mark accepted, a symbolic link to nothing told.

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// A credentials.json that is a named pipe without a writer, or a link to
// /dev/zero, is not read (the SDK says what is wrong with it); a regular
// file is, even after a UTF-8 byte order mark.
func TestReadConfigViewReadsOnlyRegularFiles(t *testing.T) {
	for _, name := range []string{"SCP_AUTH_URL", "SCP_TF_AUTH_URL"} {
		t.Setenv(name, "") // the files' values, not the developer's
	}
	dir := t.TempDir()
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "credentials.json"), 0o600))
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(dir, "config.json")))
	done := make(chan *configView, 1)
	go func() { done <- readConfigView(dir) }()
	select {
	case view := <-done:
		assert.Equal(t, []string{"", ""}, view.secrets)
		assert.Empty(t, view.authURL)
	case <-time.After(time.Minute):
		t.Fatal("reading the configuration blocked on a named pipe, or read /dev/zero on")
	}

	dir = t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "credentials.json"), []byte("\ufeff{\"secret-key\": \"sk-123456\", \"auth-token\": \"tok-123456\"}"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"auth-url": "https://iam.example/v1", "default-region": "kr-west1"}`), 0o600))
	view := readConfigView(dir)
	assert.Equal(t, []string{"sk-123456", "tok-123456"}, view.secrets)
	assert.Equal(t, "https://iam.example/v1", view.authURL)
	assert.Equal(t, dir, view.dir)

	big := make([]byte, maxConfigFile+10)
	copy(big, `{"secret-key": "sk-123456"}`)
	for i := len(`{"secret-key": "sk-123456"}`); i < len(big); i++ {
		big[i] = ' '
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "credentials.json"), big, 0o600))
	assert.Equal(t, []string{"", ""}, readConfigView(dir).secrets, "larger than the bound")
}

// A credentials.json that is a symbolic link to nothing (a secret store
// not mounted) is read as missing, as the SDK does, but not in silence: a
// warning names the link, whether the rest of the configuration is
// complete or not.
func TestDanglingConfigLink(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	dir := t.TempDir()
	link, target := filepath.Join(dir, "credentials.json"), filepath.Join(dir, "mnt", "credentials.json")
	require.NoError(t, os.Symlink(target, link))
	c.env = setEnv(c.env, scpvpn.EnvConfigDir, dir)
	want := "scpvpn: warning: " + link + " is a symbolic link to " + target + ", which does not exist: read as a missing file\n"

	r := c.ok("gateways", "list", "-o", "json")
	assert.Equal(t, want, r.stderr)

	c.env = setEnv(setEnv(c.env, scpvpn.EnvAccessKey, ""), scpvpn.EnvSecretKey, "")
	r = c.run("gateways", "list")
	assert.Equal(t, exitAuth, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stderr, want), r.stderr)
	assert.Contains(t, r.stderr, "missing configuration: access key")
}
