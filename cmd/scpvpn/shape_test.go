package main

// This file holds the tests of the shaped outputs: --jq, --template,
// -o yaml and --no-header, each on the JSON that -o json prints; and of
// the characters unsafe for a terminal in every output.

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/scpsdk/scpvpn/vpntest"
)

// --jq runs a jq expression on the JSON of -o json: strings come out as
// they are, other values as compact JSON, one a line.
func TestJQ(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{GatewayQuota: 100})
	ids := addGateways(t, c.srv, 23)
	var all []map[string]any
	c.jsonOK(&all, "gateways", "list")

	r := c.ok("gateways", "list", "--jq", ".[].id")
	assert.Equal(t, strings.Join(ids, "\n")+"\n", r.stdout, "every page, strings as they are")
	assert.Empty(t, r.stderr, "no progress notes")

	r = c.ok("gateways", "list", "--jq", "length")
	assert.Equal(t, "23\n", r.stdout)

	r = c.ok("gateways", "list", "--jq", ".[0]")
	var first map[string]any
	decodeOnly(t, r.stdout, &first)
	assert.Equal(t, all[0], first, "the value -o json prints")
	assert.Equal(t, 1, strings.Count(r.stdout, "\n"), "compact JSON: one line")

	r = c.ok("gateways", "list", "--limit", "2", "--jq", `.[] | {id, state}`)
	assert.Equal(t, `{"id":"`+ids[0]+`","state":"ACTIVE"}`+"\n"+`{"id":"`+ids[1]+`","state":"ACTIVE"}`+"\n", r.stdout)

	r = c.ok("gateways", "get", ids[3], "--jq", ".name")
	assert.Equal(t, all[3]["name"].(string)+"\n", r.stdout)
	r = c.ok("gateways", "quota", "--jq", ".vpn_gateway_used_quota")
	assert.Equal(t, "23\n", r.stdout)
	r = c.ok("gateways", "list", "--jq", "empty")
	assert.Empty(t, r.stdout)

	// A mistake in the expression is found before anything is sent.
	before := len(c.srv.Requests())
	r = c.run("gateways", "list", "--jq", ".[")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "--jq: ")
	assert.Len(t, c.srv.Requests(), before, "nothing sent")
	// One the data trips on fails the command.
	r = c.run("gateways", "list", "--jq", ".[] | .name | tonumber")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "--jq: ")
	// The environment, where the secret key is, is out of its reach.
	r = c.run("gateways", "quota", "--jq", "$ENV.SCP_SECRET_KEY")
	assert.NotContains(t, r.stdout, "[REDACTED]")
}

// --template runs a Go template over the JSON of -o json.
func TestTemplate(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{GatewayQuota: 100})
	ids := addGateways(t, c.srv, 22)

	r := c.ok("gateways", "list", "--template", `{{range .}}{{.id}} {{.state}}{{"\n"}}{{end}}`)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 22, "every page")
	for i, id := range ids {
		assert.Equal(t, id+" ACTIVE", lines[i])
	}
	assert.Empty(t, r.stderr)
	r = c.ok("gateways", "get", ids[0], "--template", `{{.id}}:{{.ip_type}}`)
	assert.Equal(t, ids[0]+":PUBLIC", r.stdout)
	r = c.ok("gateways", "quota", "--template", `{{.vpn_gateway_used_quota}} of {{.vpn_gateway_max_quota}}`)
	assert.Equal(t, "22 of 100", r.stdout, "numbers as they are written")

	before := len(c.srv.Requests())
	r = c.run("gateways", "list", "--template", `{{range .}`)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "--template")
	assert.Len(t, c.srv.Requests(), before, "nothing sent")
	r = c.run("gateways", "get", ids[0], "--template", `{{index .name 99}}`)
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "--template")
}

// -o yaml prints the JSON of -o json as YAML, keys in the same order.
func TestYAML(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	ids := addGateways(t, c.srv, 2)
	c.ok("gateways", "set", ids[1], "--description", "multi\nline: true")

	var fromJSON []any
	c.jsonOK(&fromJSON, "gateways", "list")
	r := c.ok("gateways", "list", "-o", "yaml")
	assert.Empty(t, r.stderr)
	var fromYAML []any
	require.NoError(t, yaml.Unmarshal([]byte(r.stdout), &fromYAML), r.stdout)
	assert.Equal(t, normalize(t, fromJSON), normalize(t, fromYAML))
	assert.True(t, strings.HasPrefix(r.stdout, "- account_id: "), "the API's order, not sorted:\n%s", r.stdout)
	assert.Less(t, strings.Index(r.stdout, "  name: "), strings.Index(r.stdout, "  state: "))

	r = c.ok("gateways", "get", ids[0], "-o", "yaml")
	var one map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(r.stdout), &one))
	assert.Equal(t, ids[0], one["id"])
	r = c.ok("tunnels", "list", "-o", "yaml")
	assert.Equal(t, "[]\n", r.stdout)
	r = c.ok("gateways", "quota", "-o", "yaml")
	assert.Equal(t, "vpn_gateway_max_quota: 3\nvpn_gateway_used_quota: 2\n", r.stdout)
}

// normalize returns v as JSON reads it back, so that YAML's integers and
// JSON's float64s compare.
func normalize(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// --no-header drops the table's heading; output flags that contradict
// each other are usage errors.
func TestOutputFlags(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	ids := addGateways(t, c.srv, 2)
	r := c.ok("gateways", "list", "--no-header")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 2)
	assert.True(t, strings.HasPrefix(lines[0], ids[0]+" "))
	r = c.ok("gateways", "quota", "--no-header")
	assert.Regexp(t, `^3 +2\n$`, r.stdout)
	r = c.ok("tunnels", "list", "--no-header")
	assert.Empty(t, r.stdout)

	for _, args := range [][]string{
		{"--no-header", "-o", "json"},
		{"--no-header", "--jq", "."},
		{"--jq", ".", "--template", "x"},
		{"--jq", ".", "-o", "yaml"},
	} {
		r := c.run(append([]string{"gateways", "list"}, args...)...)
		assert.Equal(t, exitUsage, r.code, "%q", args)
		assert.Empty(t, r.stdout)
	}
}

// hostileName holds a C1 control (U+009B, a one-byte CSI), a bidi
// override (U+202E), an isolate (U+2066), a mark (U+200F), ESC and DEL.
const hostileName = "gw\u009b31m\u202eexe.txt\u2066\u200f\u001b[2J\u007f"

// -o json, and every output after it, escapes what would act on a
// terminal: JSON keeps its value (as a \u escape), and reads back the same.
func TestUnsafeCharactersEscaped(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	body, err := json.Marshal(hostileName)
	require.NoError(t, err)
	gw := `{"id": "gw1", "name": ` + string(body) + `, "state": "ACTIVE", "created_at": "2024-05-17T00:23:17Z"}`
	serve := func() {
		c.srv.Script(http.MethodGet, "/v1/vpn-gateways/*", vpntest.Step{Status: http.StatusOK, Body: `{"vpn_gateway": ` + gw + `}`})
		c.srv.Script(http.MethodGet, "/v1/vpn-gateways", vpntest.Step{Status: http.StatusOK,
			Body: `{"count": 1, "page": 0, "size": 20, "vpn_gateways": [` + gw + `]}`})
	}
	const asJSON, asYAML, asText = "json", "yaml", "text"
	for _, tc := range []struct {
		args []string
		kind string
	}{
		{[]string{"gateways", "get", "gw1", "-o", "json"}, asJSON},
		{[]string{"gateways", "list", "-o", "json"}, asJSON},
		{[]string{"gateways", "list", "--jq", ".[0]"}, asJSON},
		{[]string{"gateways", "list", "-o", "yaml"}, asYAML},
		{[]string{"gateways", "list", "--jq", ".[0].name"}, asText},
		{[]string{"gateways", "list", "--template", "{{range .}}{{.name}}{{end}}"}, asText},
		{[]string{"gateways", "list"}, asText},
	} {
		serve()
		r := c.ok(tc.args...)
		noUnsafe(t, r.stdout, tc.args)
		switch tc.kind {
		case asJSON:
			assert.Contains(t, r.stdout, `gw\u009b31m\u202eexe.txt\u2066\u200f\u001b[2J\u007f`, "%q", tc.args)
			var v any
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &v), "%q: valid JSON", tc.args)
			if m, ok := v.(map[string]any); ok {
				assert.Equal(t, hostileName, m["name"], "the same value")
			} else {
				assert.Equal(t, hostileName, v.([]any)[0].(map[string]any)["name"], "the same value")
			}
		case asYAML:
			var v []map[string]string
			require.NoError(t, yaml.Unmarshal([]byte(r.stdout), &v), r.stdout)
			assert.Equal(t, hostileName, v[0]["name"], "the same value")
		case asText: // as it is, without them
			assert.Contains(t, r.stdout, "gw31mexe.txt[2J", "%q", tc.args)
		}
	}
}

// noUnsafe checks that s holds none of the characters that act on a
// terminal.
func noUnsafe(t *testing.T, s string, args []string) {
	t.Helper()
	for _, r := range s {
		if unsafeRune(r) {
			assert.Failf(t, "an unsafe character reaches the terminal", "%U in the output of %q:\n%q", r, args, s)
			return
		}
	}
}

// Shaped outputs read the JSON with its secrets replaced: a token the
// server echoes is not printed by --jq, --template or -o yaml either.
func TestShapedOutputsShowNoSecret(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	for _, args := range [][]string{
		{"--jq", ".description"},
		{"--template", "{{.description}}"},
		{"-o", "yaml"},
	} {
		c.srv.Script(http.MethodGet, "/v1/vpn-gateways/*", vpntest.Step{Status: http.StatusOK,
			Body: `{"vpn_gateway": {"id": "gw1", "name": "gw", "state": "ACTIVE", "created_at": "2024-05-17T00:23:17Z", "description": "token ` + testToken + `"}}`})
		r := c.ok(append([]string{"gateways", "get", "gw1"}, args...)...) // the harness checks that no secret is in r
		assert.Contains(t, r.stdout, "token [REDACTED]", "%q", args)
	}
}
