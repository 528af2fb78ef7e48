package main

// This file holds the tests of the configuration flags (--region,
// --environment, --auth-url, --config-dir) and of configuration messages
// in the operator's words: flags, variables and files, never the SDK's Go
// option names.

import (
	"bufio"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// goOptionName matches an option of the SDK, such as WithCredentials,
// which an operator cannot give.
var goOptionName = regexp.MustCompile(`\bWith[A-Z]`)

// --auth-url finds the endpoint in the fake's IAM catalog, in --region;
// --region alone takes the auth URL of the variables or of config.json.
func TestCatalogFlags(t *testing.T) {
	t.Parallel()
	// A second region, where nothing listens: the one asked for is taken.
	c := newCLI(t, vpntest.Options{Region: "kr-west1", Catalog: []vpntest.CatalogEntry{
		{Region: "kr-east1", ServiceType: "scp-vpn", ServiceName: "vpn", URL: "http://127.0.0.1:1"}}})
	id := addGateways(t, c.srv, 1)[0]
	c.env = setEnv(c.env, scpvpn.EnvEndpoint, "")

	r := c.ok("gateways", "get", id, "--auth-url", c.srv.AuthURL, "--region", "kr-west1")
	assert.Contains(t, r.stdout, id)

	// No region, and the catalog lists two: the error says how to choose.
	r = c.run("gateways", "get", id, "--auth-url", c.srv.AuthURL)
	assert.Equal(t, exitFailure, r.code, r.stderr)
	assert.Contains(t, r.stderr, "--region")
	assert.NotRegexp(t, goOptionName, r.stderr)

	// A region the catalog does not list is an error that lists those it
	// does, in flags and variables.
	r = c.run("gateways", "get", id, "--auth-url", c.srv.AuthURL, "--region", "kr-east9")
	assert.Equal(t, exitFailure, r.code, r.stderr)
	assert.Contains(t, r.stderr, "kr-east9")
	assert.Contains(t, r.stderr, "kr-west1")
	assert.NotRegexp(t, goOptionName, r.stderr)

	withVar := c.in(t)
	withVar.env = setEnv(withVar.env, scpvpn.EnvAuthURL, c.srv.AuthURL)
	r = withVar.ok("gateways", "get", id, "--region", "kr-west1")
	assert.Contains(t, r.stdout, id)

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"auth-url": "`+c.srv.AuthURL+`"}`), 0o600))
	r = c.ok("gateways", "get", id, "--region", "kr-west1", "--config-dir", dir)
	assert.Contains(t, r.stdout, id)
}

// --region with --environment, or with SCP_ENVIRONMENT, calls
// https://vpn.{region}.{environment}.samsungsdscloud.com: seen through a
// local proxy that answers nothing, so that nothing leaves the machine.
func TestRegionAndEnvironment(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	c.env = setEnv(c.env, scpvpn.EnvEndpoint, "")
	proxy := newConnectRecorder(t)
	c.env = append(c.env, "HTTPS_PROXY=http://"+proxy.addr, "NO_PROXY=")

	r := c.run("gateways", "list", "--region", "kr-west1", "--environment", "e", "--timeout", "20s")
	assert.Equal(t, exitFailure, r.code, r.stderr)
	assert.Contains(t, proxy.hosts(), "vpn.kr-west1.e.samsungsdscloud.com:443")

	env := c.in(t)
	env.env = append(env.env, scpvpn.EnvEnvironment+"=s")
	r = env.run("gateways", "list", "--region", "kr-east1", "--timeout", "20s")
	assert.Equal(t, exitFailure, r.code, r.stderr)
	assert.Contains(t, proxy.hosts(), "vpn.kr-east1.s.samsungsdscloud.com:443")

	// --region over SCP_REGION and an explicit endpoint of the variables.
	over := c.in(t)
	over.env = append(over.env, scpvpn.EnvEndpoint+"="+c.srv.URL, scpvpn.EnvRegion+"=kr-west1", scpvpn.EnvEnvironment+"=e")
	r = over.run("gateways", "list", "--region", "kr-south2", "--timeout", "20s")
	assert.Equal(t, exitFailure, r.code, r.stderr)
	assert.Contains(t, proxy.hosts(), "vpn.kr-south2.e.samsungsdscloud.com:443")
	assert.Empty(t, c.srv.Requests(), "nothing went to the endpoint of the variables")
}

// connectRecorder is a proxy that records the host of each CONNECT and
// closes the connection.
type connectRecorder struct {
	addr string
	mu   sync.Mutex
	seen []string
}

func newConnectRecorder(t *testing.T) *connectRecorder {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	p := &connectRecorder{addr: l.Addr().String()}
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			line, _ := bufio.NewReader(conn).ReadString('\n')
			if host, ok := strings.CutPrefix(line, "CONNECT "); ok {
				p.mu.Lock()
				p.seen = append(p.seen, strings.Fields(host)[0])
				p.mu.Unlock()
			}
			_ = conn.Close()
		}
	}()
	return p
}

func (p *connectRecorder) hosts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

// What cannot configure the command is a usage error, before anything is
// sent, whose message names flags, variables and files, never an option of
// the SDK.
func TestConfigurationInTheOperatorsWords(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	noEndpoint := setEnv(c.env, scpvpn.EnvEndpoint, "")
	with := func(env []string, kv string) []string { return append(env[:len(env):len(env)], kv) }
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		want []string
	}{
		{"SCP_REGION without SCP_ENVIRONMENT", with(noEndpoint, scpvpn.EnvRegion+"=kr-west1"), nil,
			[]string{"SCP_REGION is set (kr-west1) but SCP_ENVIRONMENT is not", "--environment"}},
		{"SCP_ENVIRONMENT without SCP_REGION", with(noEndpoint, scpvpn.EnvEnvironment+"=e"), nil,
			[]string{"SCP_ENVIRONMENT is set (e) but SCP_REGION is not", "--region"}},
		{"--environment without a region", noEndpoint, []string{"--environment", "e"},
			[]string{"--environment e needs a region: give --region, or set SCP_REGION"}},
		{"--region without an environment or catalog", noEndpoint, []string{"--region", "kr-west1"},
			[]string{"--region kr-west1 needs an environment or an IAM catalog", "SCP_ENVIRONMENT", "--auth-url", "config.json"}},
		{"--endpoint with --region", c.env, []string{"--endpoint", c.srv.URL, "--region", "kr-west1"},
			[]string{"--endpoint gives the endpoint itself"}},
		{"--auth-url with --environment", c.env, []string{"--auth-url", c.srv.AuthURL, "--environment", "e"},
			[]string{"--auth-url finds the endpoint in the IAM catalog"}},
		{"a region that is no DNS label", noEndpoint, []string{"--region", "kr west1", "--environment", "e"},
			[]string{`region "kr west1"`}},
		{"an endpoint with a password", c.env, []string{"--endpoint", "http://user:hunter22@127.0.0.1:1"},
			[]string{"must not hold credentials", "SCP_ACCESS_KEY and SCP_SECRET_KEY"}},
		{"an access key no header can carry", setEnv(c.env, scpvpn.EnvAccessKey, "ak\x01"), nil,
			[]string{"the access key (SCP_ACCESS_KEY)", "cannot be sent in an HTTP header"}},
		{"a token no header can carry", setEnv(c.env, scpvpn.EnvAuthToken, testToken+" "), nil,
			[]string{"the token (SCP_AUTH_TOKEN)", "cannot be sent in an HTTP header"}},
		{"an account id no header can carry", with(c.env, scpvpn.EnvAccountID+"=a\x01"), nil,
			[]string{"the account id (SCP_ACCOUNT_ID)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c.in(t)
			c.env = tc.env
			r := c.run(append([]string{"gateways", "list"}, tc.args...)...)
			assert.Equal(t, exitUsage, r.code, r.stderr)
			for _, want := range tc.want {
				assert.Contains(t, r.stderr, want)
			}
			assert.NotRegexp(t, goOptionName, r.stderr)
			assert.NotContains(t, r.stderr, "hunter22")
			assert.NotContains(t, r.stderr, "Run 'scpvpn gateways list --help'", "a configuration, not a usage of flags")
			assert.Contains(t, r.stderr, "'scpvpn --help' lists the flags, variables and files")
			assert.Empty(t, r.stdout)
		})
	}
	assert.Empty(t, c.srv.Requests())
}

// --config-dir is the folder of config.json and credentials.json, over
// SCP_CONFIG_DIR; the secrets of its credentials.json are never printed.
func TestConfigDir(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{SecretKey: "dir-secret-key-1234567890"})
	id := addGateways(t, c.srv, 1)[0]
	const token = "dir-token-0987654321abcdef"
	c.secrets = append(c.secrets, token)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"endpoint-override": "`+c.srv.URL+`"}`), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "credentials.json"), []byte(`{"access-key": "`+c.srv.AccessKey+
		`", "secret-key": "`+c.srv.SecretKey+`", "auth-token": "`+token+`"}`), 0o600))
	for _, name := range []string{scpvpn.EnvEndpoint, scpvpn.EnvAccessKey, scpvpn.EnvSecretKey, scpvpn.EnvAuthToken} {
		c.env = setEnv(c.env, name, "")
	}
	// SCP_CONFIG_DIR names an empty folder: the flag wins.
	r := c.run("gateways", "get", id)
	assert.NotEqual(t, exitOK, r.code)

	// The server echoes the token of the file: it is scrubbed.
	c.srv.Script("GET", "/v1/vpn-gateways/*", vpntest.Step{Status: 200,
		Body: `{"vpn_gateway": {"id": "` + id + `", "name": "gw", "state": "ACTIVE", "created_at": "2024-05-17T00:23:17Z", "description": "token ` + token + `"}}`})
	r = c.ok("gateways", "get", id, "--config-dir", dir, "-o", "json")
	assert.Contains(t, r.stdout, `"description": "token [REDACTED]"`)
	reqs := c.srv.Requests()
	require.NotEmpty(t, reqs)
	assert.Equal(t, token, reqs[len(reqs)-1].Header.Get("X-Auth-Token"), "the token of the folder's file is sent")
}
