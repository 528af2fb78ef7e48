package main

// This file holds the tests of the configuration's messages where the SDK
// alone would mislead: without HOME, a value refused in a header, a file
// in UTF-16. Each names the flag, variable or file to look at.

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// Without HOME, and without --config-dir or SCP_CONFIG_DIR, no file is
// read: the messages say so, and name no config.json of the current
// folder.
func TestConfigWithoutHome(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	c.env = setEnv(setEnv(c.env, "HOME", ""), scpvpn.EnvConfigDir, "")
	c.env = setEnv(c.env, scpvpn.EnvEndpoint, "")

	r := c.run("gateways", "list")
	assert.Equal(t, exitUsage, r.code, r.stderr)
	assert.Contains(t, r.stderr, "missing configuration: endpoint")
	assert.Contains(t, r.stderr, "No config.json or credentials.json was read: HOME is not set, and neither --config-dir nor SCP_CONFIG_DIR names their folder.")

	r = c.run("gateways", "list", "--region", "kr-west1")
	assert.Equal(t, exitUsage, r.code, r.stderr)
	assert.Contains(t, r.stderr, "or put auth-url in config.json (in the folder of --config-dir or SCP_CONFIG_DIR: HOME is not set, so there is no ~/.scpconf)")

	// With --config-dir, its files are named and read.
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"endpoint-override": "`+c.srv.URL+`"}`), 0o600))
	c.ok("gateways", "list", "--config-dir", dir)
}

// A value that cannot go in a header (a token with a new line at its end,
// as an editor leaves it) is blamed on the variable or file it came from,
// which the SDK cannot tell.
func TestConfigHeaderValueNamesItsSource(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	c.env = setEnv(c.env, scpvpn.EnvAuthToken, "")
	const fileToken = "file-token-112233445566\n"
	c.secrets = append(c.secrets, fileToken[:len(fileToken)-1])
	dir := t.TempDir()
	credentials := filepath.Join(dir, "credentials.json")
	require.NoError(t, os.WriteFile(credentials, []byte(`{"auth-token": "file-token-112233445566\n"}`), 0o600))
	c.env = setEnv(c.env, scpvpn.EnvConfigDir, dir)

	r := c.run("gateways", "list")
	assert.Equal(t, exitUsage, r.code, r.stderr)
	assert.Contains(t, r.stderr, "scpvpn: the token (auth-token in "+credentials+"): the value cannot be sent in an HTTP header")
	assert.NotContains(t, r.stderr, scpvpn.EnvAuthToken)

	r = c.in(t).withEnv("SCP_TF_AUTH_TOKEN=tf-token-99887766\n").run("gateways", "list")
	assert.Contains(t, r.stderr, "scpvpn: the token (SCP_TF_AUTH_TOKEN): ", "the variable wins over the file")

	require.NoError(t, os.WriteFile(credentials, []byte(`{"access-key": " ak-with-a-space"}`), 0o600))
	c.env = setEnv(c.env, scpvpn.EnvAccessKey, "")
	r = c.run("gateways", "list")
	assert.Contains(t, r.stderr, "scpvpn: the access key (access-key in "+credentials+"): ")
	assert.Empty(t, c.srv.Requests())
}

// A configuration file saved as UTF-16 (as some Windows editors do) is
// refused with its encoding named, not as "not valid JSON (at byte 1)".
func TestConfigFileInUTF16(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	utf16LE := func(s string) []byte {
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	for name, tc := range map[string]struct {
		file    string
		content []byte
		want    string
	}{
		"BOM": {"config.json", append([]byte{0xff, 0xfe}, utf16LE(`{"default-region": "kr-west1"}`)...),
			"config.json is not UTF-8 text: it starts with a UTF-16 byte order mark; save it as UTF-8"},
		"big-endian BOM": {"credentials.json", []byte{0xfe, 0xff, 0, '{', 0, '}'},
			"credentials.json is not UTF-8 text: it starts with a UTF-16 byte order mark; save it as UTF-8"},
		"no BOM": {"credentials.json", utf16LE(`{"access-key": "ak"}`),
			"credentials.json is not UTF-8 text: it holds NUL bytes (UTF-16 text?); save it as UTF-8"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, tc.file), tc.content, 0o600))
			c := c.in(t)
			c.env = setEnv(c.env, scpvpn.EnvConfigDir, dir)
			r := c.run("gateways", "list")
			assert.Equal(t, exitUsage, r.code, r.stderr)
			assert.Contains(t, r.stderr, "scpvpn: "+filepath.Join(dir, tc.want))
		})
	}
	assert.Empty(t, c.srv.Requests())
}

// withEnv returns a copy of c whose command has the variables kv too.
func (c *cli) withEnv(kv ...string) *cli {
	d := *c
	d.env = append(c.env[:len(c.env):len(c.env)], kv...)
	return &d
}
