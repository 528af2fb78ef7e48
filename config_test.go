package scpvpn_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/sigverify"
)

// NewClientFromEnv: each value from the first place that has it (options,
// SCP_*, SCP_TF_*, the files), the endpoint's own order, the files in
// SCP_CONFIG_DIR or ~/.scpconf, a broken file, and everything missing named
// at once. These tests change the process's environment (t.Setenv), so
// none of them runs in parallel.

// cleanConfig clears every SCP_* variable, SCP_TF_* among them, and gives
// the test an empty HOME, so that neither the machine's environment nor its
// ~/.scpconf reaches it. It returns the folder of the files, ~/.scpconf.
func cleanConfig(t *testing.T) string {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "SCP_") {
			t.Setenv(k, "") // restored when the test ends
			require.NoError(t, os.Unsetenv(k))
		}
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	return filepath.Join(home, ".scpconf")
}

// writeConfig writes a file of SCP's tools into dir.
func writeConfig(t *testing.T, dir, name, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600))
}

// configMock answers the catalog at any auth URL, listing a VPN endpoint
// https://vpn-{region}.example for each region given, and every other
// request with 202; it records every request.
func configMock(rec *recorder, regions ...string) *httpmock.MockTransport {
	var entries []catalogEntry
	for _, r := range regions {
		entries = append(entries, catalogEntry{r, "scp-vpn", "https://vpn-" + r + ".example"})
	}
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		if strings.HasSuffix(req.URL.Path, "/endpoints") {
			return rec.respond(http.StatusOK, catalogBody(entries...))(req)
		}
		return rec.respond(http.StatusAccepted, "")(req)
	})
	return mock
}

// configLevels are the places of a value, first first.
var configLevels = []string{"option", "env", "tf", "file"}

// configValue is one value NewClientFromEnv reads, the places it reads it
// from, and how to see which one it took.
type configValue struct {
	name    string
	value   func(level string) string
	option  func(v string) scpvpn.Option
	env, tf string
	file    string // config.json or credentials.json
	key     string
	base    map[string]string // the other values a working client needs
	// observe returns the value in use, from the client and what it sent
	// (the API call last).
	observe func(t *testing.T, c *scpvpn.Client, sent []recorded) string
}

func configValues() []configValue {
	creds := map[string]string{scpvpn.EnvAccessKey: testAccessKey, scpvpn.EnvSecretKey: testSecretKey}
	withEndpoint := map[string]string{scpvpn.EnvAccessKey: testAccessKey, scpvpn.EnvSecretKey: testSecretKey, scpvpn.EnvEndpoint: testEndpoint}
	header := func(name string) func(*testing.T, *scpvpn.Client, []recorded) string {
		return func(_ *testing.T, _ *scpvpn.Client, sent []recorded) string {
			return sent[len(sent)-1].Request.Header.Get(name)
		}
	}
	return []configValue{
		{
			name: "access key", value: func(l string) string { return l + "-access-key" },
			option: func(v string) scpvpn.Option { return scpvpn.WithCredentials(v, testSecretKey) },
			env:    scpvpn.EnvAccessKey, tf: "SCP_TF_ACCESS_KEY", file: "credentials.json", key: "access-key",
			base:    map[string]string{scpvpn.EnvSecretKey: testSecretKey, scpvpn.EnvEndpoint: testEndpoint},
			observe: header("Scp-Accesskey"),
		},
		{
			name: "secret key", value: func(l string) string { return l + "-secret-key" },
			option: func(v string) scpvpn.Option { return scpvpn.WithCredentials(testAccessKey, v) },
			env:    scpvpn.EnvSecretKey, tf: "SCP_TF_SECRET_KEY", file: "credentials.json", key: "secret-key",
			base: map[string]string{scpvpn.EnvAccessKey: testAccessKey, scpvpn.EnvEndpoint: testEndpoint},
			observe: func(t *testing.T, _ *scpvpn.Client, sent []recorded) string {
				for _, l := range configLevels {
					if sigverify.Verify(sent[len(sent)-1].Request, l+"-secret-key") == nil {
						return l + "-secret-key"
					}
				}
				t.Error("no secret key of the test verifies the signature")
				return ""
			},
		},
		{
			name: "token", value: func(l string) string { return l + "-token" },
			option: scpvpn.WithAuthToken, env: scpvpn.EnvAuthToken, tf: "SCP_TF_AUTH_TOKEN", file: "credentials.json", key: "auth-token",
			base: withEndpoint, observe: header("X-Auth-Token"),
		},
		{
			name: "account id", value: func(l string) string { return l + "-account" },
			option: scpvpn.WithAccountID, env: scpvpn.EnvAccountID, tf: "SCP_TF_ACCOUNT_ID", file: "config.json", key: "account-id",
			base: withEndpoint, observe: header("Scp-AccountId"),
		},
		{
			name: "endpoint", value: func(l string) string { return "https://vpn-" + l + ".example" },
			option: scpvpn.WithEndpoint, env: scpvpn.EnvEndpoint, tf: "SCP_TF_ENDPOINT_OVERRIDE", file: "config.json", key: "endpoint-override",
			base: creds,
			observe: func(_ *testing.T, c *scpvpn.Client, _ []recorded) string {
				return c.Endpoint()
			},
		},
		{
			name: "auth URL", value: func(l string) string { return "https://iam-" + l + ".example/v1" },
			option: func(v string) scpvpn.Option { return scpvpn.WithCatalog(v, "") },
			env:    scpvpn.EnvAuthURL, tf: "SCP_TF_AUTH_URL", file: "config.json", key: "auth-url",
			base: map[string]string{scpvpn.EnvAccessKey: testAccessKey, scpvpn.EnvSecretKey: testSecretKey, scpvpn.EnvDefaultRegion: "env-region"},
			observe: func(t *testing.T, _ *scpvpn.Client, sent []recorded) string {
				require.GreaterOrEqual(t, len(sent), 2, "the catalog, then the call")
				return strings.TrimSuffix(sent[0].Request.URL.String(), "/endpoints")
			},
		},
		{
			name: "default region", value: func(l string) string { return l + "-region" },
			option: func(v string) scpvpn.Option { return scpvpn.WithCatalog(testAuthURL, v) },
			env:    scpvpn.EnvDefaultRegion, tf: "SCP_TF_DEFAULT_REGION", file: "config.json", key: "default-region",
			base: map[string]string{scpvpn.EnvAccessKey: testAccessKey, scpvpn.EnvSecretKey: testSecretKey, scpvpn.EnvAuthURL: testAuthURL},
			observe: func(_ *testing.T, c *scpvpn.Client, _ []recorded) string {
				return strings.TrimSuffix(strings.TrimPrefix(c.Endpoint(), "https://vpn-"), ".example")
			},
		},
	}
}

// TestConfigPrecedence: each value comes from the first place that has it:
// an option, the SCP_* variable, the SCP_TF_* variable, then the file.
func TestConfigPrecedence(t *testing.T) {
	for _, v := range configValues() {
		for from, level := range configLevels {
			t.Run(v.name+" from "+level, func(t *testing.T) {
				dir := cleanConfig(t)
				for name, value := range v.base {
					t.Setenv(name, value)
				}
				var rec recorder
				regions := make([]string, len(configLevels))
				for i, l := range configLevels {
					regions[i] = l + "-region"
				}
				opts := []scpvpn.Option{scpvpn.WithTransport(configMock(&rec, regions...))}
				if from <= 0 {
					opts = append(opts, v.option(v.value("option")))
				}
				if from <= 1 {
					t.Setenv(v.env, v.value("env"))
				}
				if from <= 2 {
					t.Setenv(v.tf, v.value("tf"))
				}
				writeConfig(t, dir, v.file, `{"`+v.key+`": "`+v.value("file")+`", "max-remain-days": 30}`)

				c, err := scpvpn.NewClientFromEnv(opts...)
				require.NoError(t, err)
				require.NoError(t, c.V1Dot1.Gateways.Delete(context.Background(), "g1"))
				assert.Equal(t, v.value(level), v.observe(t, c, rec.all()))
			})
		}
	}
}

// TestConfigEmptyOptionsGiveNothing: an option given an empty value, such
// as a command line flag left unset, has no value to give, and the next
// place is read.
func TestConfigEmptyOptionsGiveNothing(t *testing.T) {
	cleanConfig(t)
	t.Setenv(scpvpn.EnvAccessKey, "env-ak")
	t.Setenv(scpvpn.EnvSecretKey, logSecretKey)
	t.Setenv(scpvpn.EnvAuthToken, "env-token")
	t.Setenv(scpvpn.EnvAccountID, "env-acct")
	t.Setenv(scpvpn.EnvEndpoint, "https://env.example")
	var rec recorder
	c, err := scpvpn.NewClientFromEnv(scpvpn.WithTransport(configMock(&rec)),
		scpvpn.WithCredentials("", ""), scpvpn.WithAuthToken(""), scpvpn.WithAccountID(""), scpvpn.WithEndpoint(""))
	require.NoError(t, err)
	assert.Equal(t, "https://env.example", c.Endpoint())
	require.NoError(t, c.V1Dot1.Gateways.Delete(context.Background(), "g1"))
	req := rec.only(t).Request
	assert.Equal(t, "env-ak", req.Header.Get("Scp-Accesskey"))
	assert.Equal(t, "env-token", req.Header.Get("X-Auth-Token"))
	assert.Equal(t, "env-acct", req.Header.Get("Scp-AccountId"))
	assert.NoError(t, sigverify.Verify(req, logSecretKey))

	// One half of a pair given as an option, the other from the environment.
	c, err = scpvpn.NewClientFromEnv(scpvpn.WithTransport(configMock(&rec)), scpvpn.WithCredentials("opt-ak", ""))
	require.NoError(t, err)
	require.NoError(t, c.V1Dot1.Gateways.Delete(context.Background(), "g1"))
	sent := rec.all()
	assert.Equal(t, "opt-ak", sent[len(sent)-1].Request.Header.Get("Scp-Accesskey"))
	assert.NoError(t, sigverify.Verify(sent[len(sent)-1].Request, logSecretKey))
}

// TestConfigRegionFallsBack: the default region is SCP_DEFAULT_REGION, then
// SCP_REGION, then the provider's.
func TestConfigRegionFallsBack(t *testing.T) {
	cleanConfig(t)
	t.Setenv(scpvpn.EnvAccessKey, testAccessKey)
	t.Setenv(scpvpn.EnvSecretKey, testSecretKey)
	t.Setenv(scpvpn.EnvAuthURL, testAuthURL)
	t.Setenv(scpvpn.EnvRegion, "region-region")
	t.Setenv("SCP_TF_DEFAULT_REGION", "tf-region")
	var rec recorder
	c, err := scpvpn.NewClientFromEnv(scpvpn.WithTransport(configMock(&rec, "region-region", "tf-region")))
	require.NoError(t, err)
	require.NoError(t, c.V1Dot1.Gateways.Delete(context.Background(), "g1"))
	assert.Equal(t, "https://vpn-region-region.example", c.Endpoint())
}

// TestConfigEndpointOrder: an explicit URL first, wherever it is given,
// then the catalog, then region and environment; an endpoint option wins
// over all of them.
func TestConfigEndpointOrder(t *testing.T) {
	const (
		explicit = "https://explicit.example"
		authURL  = "https://iam-env.example/v1"
	)
	tests := []struct {
		name  string
		env   map[string]string
		file  string // config.json
		opts  []scpvpn.Option
		want  string
		asked bool // the catalog was asked
	}{
		{"an explicit URL over the catalog and the region", map[string]string{scpvpn.EnvEndpoint: explicit, scpvpn.EnvAuthURL: authURL, scpvpn.EnvRegion: "kr-west1", scpvpn.EnvEnvironment: "e"}, "", nil, explicit, false},
		{"the provider's explicit URL over the catalog", map[string]string{"SCP_TF_ENDPOINT_OVERRIDE": explicit, scpvpn.EnvAuthURL: authURL}, "", nil, explicit, false},
		{"the file's explicit URL over the environment's catalog", map[string]string{scpvpn.EnvAuthURL: authURL, scpvpn.EnvRegion: "kr-west1", scpvpn.EnvEnvironment: "e"}, `{"endpoint-override": "` + explicit + `"}`, nil, explicit, false},
		{"the catalog over the region", map[string]string{scpvpn.EnvRegion: "kr-west1", scpvpn.EnvEnvironment: "e", scpvpn.EnvDefaultRegion: "kr-west1"}, `{"auth-url": "` + authURL + `"}`, nil, "https://vpn-kr-west1.example", true},
		{"region and environment", map[string]string{scpvpn.EnvRegion: "kr-south3", scpvpn.EnvEnvironment: "g"}, "", nil, "https://vpn.kr-south3.g.samsungsdscloud.com", false},
		{"the environment with the default region", map[string]string{scpvpn.EnvEnvironment: "s"}, `{"default-region": "kr-east1"}`, nil, "https://vpn.kr-east1.s.samsungsdscloud.com", false},
		{"WithRegion over an explicit URL", map[string]string{scpvpn.EnvEndpoint: explicit}, "", []scpvpn.Option{scpvpn.WithRegion("kr-east1", "s")}, "https://vpn.kr-east1.s.samsungsdscloud.com", false},
		{"WithCatalog over an explicit URL", map[string]string{scpvpn.EnvEndpoint: explicit, scpvpn.EnvDefaultRegion: "kr-west1"}, `{"endpoint-override": "https://file.example"}`, []scpvpn.Option{scpvpn.WithCatalog(authURL, "")}, "https://vpn-kr-west1.example", true},
		{"WithEndpoint over the catalog", map[string]string{scpvpn.EnvAuthURL: authURL}, "", []scpvpn.Option{scpvpn.WithEndpoint("https://option.example")}, "https://option.example", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := cleanConfig(t)
			t.Setenv(scpvpn.EnvAccessKey, testAccessKey)
			t.Setenv(scpvpn.EnvSecretKey, testSecretKey)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			if tt.file != "" {
				writeConfig(t, dir, "config.json", tt.file)
			}
			var rec recorder
			c, err := scpvpn.NewClientFromEnv(append([]scpvpn.Option{scpvpn.WithTransport(configMock(&rec, "kr-west1", "kr-east1"))}, tt.opts...)...)
			require.NoError(t, err)
			require.NoError(t, c.V1Dot1.Gateways.Delete(context.Background(), "g1"))
			assert.Equal(t, tt.want, c.Endpoint())
			sent := rec.all()
			assert.Equal(t, tt.asked, len(sent) == 2, "the catalog asked")
			assert.True(t, strings.HasPrefix(sent[len(sent)-1].Request.URL.String(), tt.want+"/v1/"), "the call went to %s", tt.want)
		})
	}
}

// TestConfigFolder: the files are read from SCP_CONFIG_DIR, or ~/.scpconf
// when it is unset; a missing file or folder is empty, as is an empty file.
func TestConfigFolder(t *testing.T) {
	home := cleanConfig(t)
	writeConfig(t, home, "credentials.json", `{"access-key": "home-ak", "secret-key": "home-sk"}`)
	writeConfig(t, home, "config.json", `{"endpoint-override": "https://home.example", "account-id": "home-acct"}`)

	c, err := scpvpn.NewClientFromEnv()
	require.NoError(t, err, "~/.scpconf when SCP_CONFIG_DIR is unset")
	assert.Equal(t, "https://home.example", c.Endpoint())
	assert.Contains(t, c.String(), "home-ak")

	dir := t.TempDir()
	t.Setenv(scpvpn.EnvConfigDir, dir)
	writeConfig(t, dir, "credentials.json", `{"access-key": "dir-ak", "secret-key": "dir-sk"}`)
	writeConfig(t, dir, "config.json", "  \n")
	t.Setenv(scpvpn.EnvEndpoint, "https://env.example")
	c, err = scpvpn.NewClientFromEnv()
	require.NoError(t, err, "an empty file is empty")
	assert.Equal(t, "https://env.example", c.Endpoint(), "~/.scpconf is not read when SCP_CONFIG_DIR is set")
	assert.Contains(t, c.String(), "dir-ak")

	t.Setenv(scpvpn.EnvConfigDir, filepath.Join(dir, "missing"))
	t.Setenv(scpvpn.EnvAccessKey, "env-ak")
	t.Setenv(scpvpn.EnvSecretKey, "env-sk")
	c, err = scpvpn.NewClientFromEnv()
	require.NoError(t, err, "a missing folder is empty")
	assert.Contains(t, c.String(), "env-ak")

	t.Setenv(scpvpn.EnvConfigDir, "")
	t.Setenv("HOME", "")
	c, err = scpvpn.NewClientFromEnv()
	require.NoError(t, err, "no home, no files")
	assert.Equal(t, "https://env.example", c.Endpoint())
}

// TestConfigBrokenFile: a file that does not parse is an error that names
// the file and shows nothing of its content, which holds a secret key.
func TestConfigBrokenFile(t *testing.T) {
	const secret = logSecretKey
	for name, tt := range map[string]struct{ content, says string }{
		"truncated":           {`{"access-key": "ak", "secret-key": "` + secret, "is not valid JSON"},
		"not JSON":            {`access-key=ak secret-key=` + secret, "is not valid JSON (at byte 1)"},
		"a trailing comma":    {`{"secret-key": "` + secret + `",}`, "is not valid JSON"},
		"two objects":         {`{"secret-key": "x"} {"secret-key": "` + secret + `"}`, "is not valid JSON"},
		"a number for a key":  {`{"access-key": 12345, "secret-key": "` + secret + `"}`, `"access-key" must be a string`},
		"a list for a key":    {`{"secret-key": ["` + secret + `"]}`, `"secret-key" must be a string`},
		"an object for a key": {`{"secret-key": {"value": "` + secret + `"}}`, `"secret-key" must be a string`},
		"a list":              {`["` + secret + `"]`, "must hold a JSON object"},
		"a string":            {`"` + secret + `"`, "must hold a JSON object"},
		"a number":            {`12345`, "must hold a JSON object"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := cleanConfig(t)
			t.Setenv(scpvpn.EnvEndpoint, testEndpoint)
			writeConfig(t, dir, "credentials.json", tt.content)
			c, err := scpvpn.NewClientFromEnv(scpvpn.WithCredentials(testAccessKey, testSecretKey))
			assert.Nil(t, c)
			require.Error(t, err)
			assert.Contains(t, err.Error(), filepath.Join(dir, "credentials.json"), "the error names the file")
			assert.Contains(t, err.Error(), tt.says)
			assertNoSecret(t, err.Error(), secret)
			assert.NotContains(t, err.Error(), "12345")
		})
	}

	// The configuration file too, and a folder where a file should be.
	dir := cleanConfig(t)
	writeConfig(t, dir, "config.json", `{"auth-url": "https://iam.example/v1"`)
	_, err := scpvpn.NewClientFromEnv()
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, "config.json"))
	require.NoError(t, os.Remove(filepath.Join(dir, "config.json")))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "config.json"), 0o700))
	_, err = scpvpn.NewClientFromEnv()
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, "config.json"))
}

// TestConfigNamesEverythingMissing: one error names every value missing
// and every place it could be given, and matches both sentinels.
func TestConfigNamesEverythingMissing(t *testing.T) {
	dir := cleanConfig(t)
	_, err := scpvpn.NewClientFromEnv()
	require.ErrorIs(t, err, scpvpn.ErrNoCredentials)
	require.ErrorIs(t, err, scpvpn.ErrNoEndpoint)
	creds, config := filepath.Join(dir, "credentials.json"), filepath.Join(dir, "config.json")
	assert.Equal(t, "scpvpn: missing configuration: "+
		"access key (give it with WithCredentials, set SCP_ACCESS_KEY or SCP_TF_ACCESS_KEY, or put access-key in "+creds+"); "+
		"secret key (give it with WithCredentials, set SCP_SECRET_KEY or SCP_TF_SECRET_KEY, or put secret-key in "+creds+"); "+
		"endpoint (give it with WithEndpoint, WithCatalog or WithRegion, set SCP_VPN_ENDPOINT, SCP_AUTH_URL, SCP_REGION with SCP_ENVIRONMENT, SCP_TF_ENDPOINT_OVERRIDE or SCP_TF_AUTH_URL, or put endpoint-override or auth-url in "+config+")",
		err.Error())

	// Only what is missing is named.
	writeConfig(t, dir, "credentials.json", `{"access-key": "ak"}`)
	t.Setenv("SCP_TF_AUTH_URL", testAuthURL)
	_, err = scpvpn.NewClientFromEnv()
	require.ErrorIs(t, err, scpvpn.ErrNoCredentials)
	assert.NotErrorIs(t, err, scpvpn.ErrNoEndpoint)
	assert.Equal(t, "scpvpn: missing configuration: secret key (give it with WithCredentials, set SCP_SECRET_KEY or SCP_TF_SECRET_KEY, or put secret-key in "+creds+")", err.Error())
}

// TestConfigTokenOnTheWire: a token from any place is sent as X-Auth-Token
// on every request, the catalog's included, and is kept out of what the
// client shows.
func TestConfigTokenOnTheWire(t *testing.T) {
	dir := cleanConfig(t)
	const token = "Tok-from-the-credentials-file-77"
	writeConfig(t, dir, "credentials.json", `{"access-key": "ak", "secret-key": "`+logSecretKey+`", "auth-token": "`+token+`"}`)
	t.Setenv(scpvpn.EnvAuthURL, "https://iam.example/v1")
	var rec recorder
	c, err := scpvpn.NewClientFromEnv(scpvpn.WithTransport(configMock(&rec, "kr-west1")))
	require.NoError(t, err)
	require.NoError(t, c.V1Dot1.Gateways.Delete(context.Background(), "g1"))
	sent := rec.all()
	require.Len(t, sent, 2)
	for _, s := range sent {
		assert.Equal(t, []string{token}, s.Request.Header.Values("X-Auth-Token"), s.Request.URL.String())
		assert.NoError(t, sigverify.Verify(s.Request, logSecretKey))
	}
	for _, verb := range fmtVerbs {
		assertNoSecret(t, sprintf(verb, c), token, logSecretKey)
	}
}

// TestNewClientFromEnv: the SCP_* variables alone make a client that signs
// with them, and options override them.
func TestNewClientFromEnv(t *testing.T) {
	cleanConfig(t)
	t.Setenv(scpvpn.EnvAccessKey, "env-ak")
	t.Setenv(scpvpn.EnvSecretKey, "env-sk")
	t.Setenv(scpvpn.EnvAccountID, "env-acct")
	t.Setenv(scpvpn.EnvRegion, "kr-south3")
	t.Setenv(scpvpn.EnvEnvironment, "g")

	mock := httpmock.NewMockTransport()
	c, err := scpvpn.NewClientFromEnv(scpvpn.WithTransport(mock))
	require.NoError(t, err)
	assert.Equal(t, "https://vpn.kr-south3.g.samsungsdscloud.com", c.Endpoint())

	var rec recorder
	mock.RegisterNoResponder(rec.respond(http.StatusAccepted, ""))
	require.NoError(t, c.V1Dot1.Tunnels.Delete(context.Background(), "t1"))
	req := rec.only(t).Request
	assert.Equal(t, "env-ak", req.Header.Get("Scp-Accesskey"))
	assert.Equal(t, "env-acct", req.Header.Get("Scp-AccountId"))
	assert.NoError(t, sigverify.Verify(req, "env-sk"), "the environment's secret signs, and the account id is signed")

	t.Setenv(scpvpn.EnvEndpoint, "http://127.0.0.1:9999")
	c, err = scpvpn.NewClientFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:9999", c.Endpoint(), "SCP_VPN_ENDPOINT wins over region and environment")

	c, err = scpvpn.NewClientFromEnv(scpvpn.WithEndpoint("https://option.example"), scpvpn.WithCredentials("opt-ak", "opt-sk"))
	require.NoError(t, err)
	assert.Equal(t, "https://option.example", c.Endpoint(), "options override the environment")
	assert.NotContains(t, sprintf("%+v", c), "opt-sk")

	c, err = scpvpn.NewClient(scpvpn.WithEndpoint("https://first.example"), scpvpn.WithRegion("kr-east1", "s"), scpvpn.WithCredentials("a", "s"))
	require.NoError(t, err)
	assert.Equal(t, "https://vpn.kr-east1.s.samsungsdscloud.com", c.Endpoint(), "the later of WithEndpoint and WithRegion wins")

	t.Setenv(scpvpn.EnvSecretKey, "")
	_, err = scpvpn.NewClientFromEnv()
	require.ErrorIs(t, err, scpvpn.ErrNoCredentials)
}

// TestConfigAuthURLIsChecked: an auth URL from the environment is checked
// like one given as an option.
func TestConfigAuthURLIsChecked(t *testing.T) {
	cleanConfig(t)
	t.Setenv(scpvpn.EnvAccessKey, "ak")
	t.Setenv(scpvpn.EnvSecretKey, "sk")
	t.Setenv("SCP_TF_AUTH_URL", "https://user:"+logSecretKey+"@iam.example/v1")
	_, err := scpvpn.NewClientFromEnv()
	require.ErrorIs(t, err, scpvpn.ErrInvalidEndpoint)
	assertNoSecret(t, err.Error(), logSecretKey)
	u, _ := url.Parse("https://iam.example/v1")
	assert.Contains(t, err.Error(), u.Host)
}
