package main

// This file holds the tests of the configuration: that of
// scpvpn.NewClientFromEnv (variables, SCP's files, the IAM catalog), with
// --endpoint over it.

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// setEnv returns env with the variable name set to value, or unset when
// value is "".
func setEnv(env []string, name, value string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	if value != "" {
		out = append(out, name+"="+value)
	}
	return out
}

// The files of ~/.scpconf configure the command when the variables do
// not, and their secret key and token are never printed.
func TestConfigFiles(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{SecretKey: "file-secret-key-1234567890"})
	id := addGateways(t, c.srv, 1)[0]
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"endpoint-override": "`+c.srv.URL+`"}`), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "credentials.json"), []byte(`{"access-key": "`+c.srv.AccessKey+
		`", "secret-key": "`+c.srv.SecretKey+`", "auth-token": "file-token-0987654321"}`), 0o600))
	c.secrets = append(c.secrets, "file-token-0987654321")
	for _, name := range []string{scpvpn.EnvEndpoint, scpvpn.EnvAccessKey, scpvpn.EnvSecretKey, scpvpn.EnvAuthToken} {
		c.env = setEnv(c.env, name, "")
	}
	c.env = setEnv(c.env, scpvpn.EnvConfigDir, dir)

	r := c.ok("gateways", "get", id, "--debug")
	assert.Contains(t, r.stdout, id)
	assert.Contains(t, r.stderr, "http attempt")
	var tokens []string
	for _, req := range c.srv.Requests() {
		tokens = append(tokens, req.Header.Get("X-Auth-Token"))
	}
	assert.Contains(t, tokens, "file-token-0987654321", "the token of the file is sent")
}

// --endpoint wins over the variables; SCP_AUTH_URL finds the endpoint in
// the IAM catalog.
func TestEndpoint(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	id := addGateways(t, c.srv, 1)[0]
	url := c.srv.URL
	c.env = setEnv(c.env, scpvpn.EnvEndpoint, "http://127.0.0.1:1")
	r := c.ok("gateways", "get", id, "--endpoint", url)
	assert.Contains(t, r.stdout, id)

	c.env = setEnv(c.env, scpvpn.EnvEndpoint, "")
	c.env = setEnv(c.env, scpvpn.EnvAuthURL, c.srv.AuthURL)
	r = c.ok("gateways", "get", id)
	assert.Contains(t, r.stdout, id)

	// A malformed endpoint is a usage error: nothing was sent.
	before := len(c.srv.Requests())
	r = c.run("gateways", "get", id, "--endpoint", "ftp://example.com")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `endpoint "ftp://example.com" must start with https://`)
	assert.Len(t, c.srv.Requests(), before)
}

// Without configuration, the command says what is missing and where to
// give it, in flags, variables and files: status 4 without a key pair, as
// for a key refused; 2 with the endpoint alone missing.
func TestMissingConfiguration(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	dir := t.TempDir()
	c.env = []string{"HOME=" + t.TempDir(), "SCP_CONFIG_DIR=" + dir}
	r := c.run("gateways", "list", "-o", "json")
	assert.Equal(t, exitAuth, r.code)
	assert.Empty(t, r.stdout)
	for _, want := range []string{"missing configuration", scpvpn.EnvAccessKey, scpvpn.EnvSecretKey, scpvpn.EnvEndpoint,
		"--endpoint", "--auth-url", "--region with --environment", filepath.Join(dir, "credentials.json"), "'scpvpn --help' lists the flags, variables and files"} {
		assert.Contains(t, r.stderr, want)
	}
	assert.NotRegexp(t, goOptionName, r.stderr)

	c.env = append(c.env, scpvpn.EnvAccessKey+"=ak", scpvpn.EnvSecretKey+"=sk")
	r = c.run("gateways", "list")
	assert.Equal(t, exitUsage, r.code, r.stderr)
	assert.Contains(t, r.stderr, "missing configuration: endpoint")
	assert.NotContains(t, r.stderr, scpvpn.EnvAccessKey)
	assert.NotRegexp(t, goOptionName, r.stderr)
	assert.Empty(t, c.srv.Requests())
}

// The SCP_TF_* variables configure the command when the SCP_* ones do
// not, their token is sent and never printed, even when the server echoes
// it; SCP_* wins over SCP_TF_*.
func TestTerraformVariables(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	id := addGateways(t, c.srv, 1)[0]
	const tfToken = "tf-token-5566778899aabb"
	c.secrets = append(c.secrets, tfToken)
	c.env = setEnv(c.env, scpvpn.EnvAuthToken, "")
	c.env = setEnv(c.env, scpvpn.EnvSecretKey, "")
	c.env = setEnv(c.env, scpvpn.EnvEndpoint, "")
	c.env = append(c.env, "SCP_TF_AUTH_TOKEN="+tfToken, "SCP_TF_SECRET_KEY="+c.srv.SecretKey,
		"SCP_TF_ENDPOINT_OVERRIDE="+c.srv.URL, "SCP_TF_ACCESS_KEY=not-the-access-key")
	c.srv.Script(http.MethodGet, "/v1/vpn-gateways/*", vpntest.Step{Status: http.StatusOK,
		Body: `{"vpn_gateway": {"id": "` + id + `", "name": "gw", "state": "ACTIVE", "created_at": "2024-05-17T00:23:17Z", "description": "token ` + tfToken + `"}}`})
	r := c.ok("gateways", "get", id, "--debug")
	assert.Contains(t, r.stdout, "token [REDACTED]")
	reqs := c.srv.Requests()
	require.NotEmpty(t, reqs)
	assert.Equal(t, tfToken, reqs[len(reqs)-1].Header.Get("X-Auth-Token"))
}

// A configuration file that cannot be read is a usage error (nothing was
// sent) that names the file and never quotes it.
func TestBrokenConfigFiles(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	const secret = "broken-file-secret-123456"
	c.secrets = append(c.secrets, secret)
	c.env = setEnv(c.env, scpvpn.EnvSecretKey, "")
	for _, content := range []string{
		`{"secret-key": "` + secret + `",`,
		`{"secret-key": ["` + secret + `"]}`,
		`{"secret-key": "` + secret + `"} {"more": 1}`,
	} {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "credentials.json"), []byte(content), 0o600))
		c := c.in(t)
		c.env = setEnv(c.env, scpvpn.EnvConfigDir, dir)
		r := c.run("gateways", "list", "-o", "json")
		assert.Equal(t, exitUsage, r.code, r.stderr)
		assert.Contains(t, r.stderr, filepath.Join(dir, "credentials.json"))
		assert.Empty(t, r.stdout)
	}
	assert.Empty(t, c.srv.Requests())
}
