package main

// This file holds the tests of the exit statuses 1 to 3: 2 for what the
// command refuses before sending anything, 3 for what does not exist, 1
// for the other failures; and what goes to standard error with them.
// status_test.go has 4 and 5.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn/vpntest"
)

// Bad flags, arguments, request files and requests are usage errors:
// status 2, a message and a hint on standard error, nothing on standard
// output, and nothing sent to the API.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	gw, err := c.srv.AddGateway(vpntest.GatewaySeed{})
	require.NoError(t, err)
	tooLong := writeFile(t, "gw.json", gatewayFile("aNameOfMoreThan20Characters"))
	huge := writeFile(t, "huge.json", `{"description": "`+strings.Repeat("x", 2<<20)+`"}`)
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		want  string // in the message
	}{
		{"unknown flag", []string{"gateways", "list", "--bogus"}, "", "unknown flag: --bogus"},
		{"flag without its value", []string{"gateways", "list", "--size"}, "", "--size"},
		{"flag of the wrong type", []string{"gateways", "list", "--size", "many"}, "", "--size"},
		{"missing argument", []string{"gateways", "get"}, "", "want ID, got 0"},
		{"extra argument", []string{"tunnels", "get", "a", "b"}, "", "want ID, got 2"},
		{"one argument of two", []string{"tunnels", "check-subnet", gw}, "", "want GATEWAY_ID CIDR, got 1"},
		{"argument where none is taken", []string{"gateways", "list", "x"}, "", `unknown command "x"`},
		{"unknown command", []string{"frobnicate"}, "", `unknown command "frobnicate"`},
		{"unknown subcommand", []string{"gateways", "frobnicate"}, "", `unknown command "frobnicate" for "scpvpn gateways"`},
		{"bad -o", []string{"gateways", "list", "-o", "xml"}, "", `invalid --output "xml"`},
		{"bad --api-version", []string{"--api-version", "2.0", "gateways", "list"}, "", `invalid --api-version "2.0"`},
		{"bad -o without a command", []string{"-o", "xml"}, "", `invalid --output "xml"`},
		{"bad --api-version without a command", []string{"--api-version", "2.0"}, "", `invalid --api-version "2.0"`},
		{"negative --timeout", []string{"gateways", "list", "--timeout", "-1s"}, "", "invalid --timeout"},
		{"create without -f", []string{"gateways", "create"}, "", `required flag(s) "file" not set`},
		{"set without changes", []string{"gateways", "set", gw}, "", "nothing to set"},
		{"missing file", []string{"gateways", "create", "-f", "/nonexistent/gw.json"}, "", "no such file"},
		{"empty request", []string{"gateways", "create", "-f", "-"}, "", "standard input: empty"},
		{"not JSON", []string{"gateways", "create", "-f", "-"}, "{name: gw1}", "not valid JSON (line 1, column 2)"},
		{"not an object", []string{"gateways", "create", "-f", "-"}, `["gw1"]`, "as a JSON object, not a JSON array"},
		{"two objects", []string{"gateways", "create", "-f", "-"}, `{} {}`, "more follows the JSON object"},
		{"wrong type", []string{"gateways", "create", "-f", "-"}, `{"name": 1}`, `"name" cannot be a JSON number`},
		{"unknown field", []string{"gateways", "create", "-f", "-"}, `{"name": "gw1", "vpc": "v"}`, `unknown field "vpc": a VPN gateway create request has no such field`},
		{"unknown nested field", []string{"tunnels", "set", "tn", "-f", "-"}, `{"phase1": {"preshared_key": "x"}}`, `unknown field "preshared_key"`},
		{"field of the other version", []string{"tunnels", "create", "-f", "-"}, `{"phase2": {"remote_subnet": "10.0.0.0/8"}}`,
			`unknown field "remote_subnet": a VPN tunnel create request of API version 1.1 has no such field`},
		{"field of the other version, 1.0", []string{"--api-version", "1.0", "tunnels", "set", "tn", "-f", "-"}, `{"phase2": {"remote_subnets": ["10.0.0.0/8"]}}`,
			`unknown field "remote_subnets": a VPN tunnel set request of API version 1.0 has no such field`},
		{"filter of version 1.0 in 1.1", []string{"tunnels", "list", "--remote-subnet", "10.0.0.0/8"}, "", "only with --api-version 1.0"},
		{"a directory", []string{"gateways", "create", "-f", t.TempDir()}, "", "is a directory"},
		{"a huge file", []string{"gateways", "set", gw, "-f", huge}, "", "longer than 1048576 bytes"},
		{"a byte order mark", []string{"gateways", "create", "-f", "-"}, "\ufeff{}", "not valid JSON (line 1, column 1)"},
		{"broken JSON around a key", []string{"tunnels", "set", "tn", "-f", "-"}, `{"phase1": {"pre_shared_key": "` + testPSK + `" "x"}}`, "not valid JSON"},
		{"a key of the wrong type", []string{"tunnels", "set", "tn", "-f", "-"}, `{"phase1": {"pre_shared_key": ["` + testPSK + `"]}}`, `"phase1.pre_shared_key" cannot be a JSON array`},
		{"a field twice", []string{"gateways", "set", gw, "-f", "-"}, `{"description": "a", "description": "b"}`, `standard input: field "description" given twice; give each field once`},
		{"a nested field twice, in another case", []string{"tunnels", "create", "-f", "-"}, `{"phase1": {"pre_shared_key": "` + testPSK + `", "Pre_Shared_Key": "` + testPSK + `x"}}`,
			`field "phase1.pre_shared_key" given twice, as "pre_shared_key" and "Pre_Shared_Key"`},
		{"request the SDK refuses", []string{"gateways", "create", "-f", tooLong}, "", "name"},
		{"list options the SDK refuses", []string{"gateways", "list", "--size", "-1"}, "", "size"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(c.srv.Requests())
			r := c.in(t).runWith(tc.stdin, tc.args...)
			assert.Equal(t, exitUsage, r.code, r.stderr)
			assert.Contains(t, r.stderr, tc.want)
			assert.Regexp(t, `^scpvpn: `, r.stderr)
			assert.Empty(t, r.stdout)
			assert.Len(t, c.srv.Requests(), before, "nothing is sent")
		})
	}
}

// What does not exist is status 3, whatever the command.
func TestNotFound(t *testing.T) {
	t.Parallel()
	for _, version := range []string{version1Dot1, version1Dot0} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t, vpntest.Options{})
			for _, args := range [][]string{
				{"gateways", "get", "nosuchgateway"},
				{"gateways", "delete", "nosuchgateway"},
				{"gateways", "delete", "nosuchgateway", "--wait"},
				{"gateways", "set", "nosuchgateway", "--description", "x"},
				{"gateways", "wait", "nosuchgateway"},
				{"tunnels", "get", "nosuchtunnel"},
				{"tunnels", "delete", "nosuchtunnel"},
				{"tunnels", "set", "nosuchtunnel", "--description", "x"},
				{"tunnels", "wait", "nosuchtunnel"},
				{"tunnels", "quota", "--vpn-gateway-id", "nosuchgateway"},
				{"tunnels", "check-subnet", "nosuchgateway", "10.0.0.0/8"},
			} {
				for _, output := range []string{formatTable, formatJSON} {
					r := c.run(append([]string{"--api-version", version, "-o", output}, args...)...)
					assert.Equal(t, exitNotFound, r.code, "%q: %s", args, r.stderr)
					assert.Contains(t, r.stderr, "404 Not Found", "%q", args)
					assert.Contains(t, r.stderr, "request id ", "%q", args)
					assert.Empty(t, r.stdout, "%q", args)
				}
			}
			// Waiting for a resource to be gone succeeds when it is.
			c.ok("--api-version", version, "tunnels", "wait", "nosuchtunnel", "--deleted")
		})
	}
}

// Other failures are status 1, with the API's message, code and request
// id on standard error.
func TestFailures(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	gw, err := c.srv.AddGateway(vpntest.GatewaySeed{})
	require.NoError(t, err)

	c.srv.Script(http.MethodGet, "/v1/vpn-gateways/*", vpntest.Step{
		Status: http.StatusForbidden,
		Body:   `{"errors": [{"code": "scp-iam.permission-denied", "detail": "the key may not read VPN gateways"}]}`,
		Header: http.Header{"X-Request-Id": {"req-4c0ffee"}},
	})
	r := c.run("gateways", "get", gw)
	assert.Equal(t, exitAuth, r.code)
	assert.Equal(t, "scpvpn: GET /v1/vpn-gateways/"+gw+": 403 Forbidden: scp-iam.permission-denied: the key may not read VPN gateways (request id req-4c0ffee)\n", r.stderr)
	assert.Empty(t, r.stdout)

	// A code that the details do not show is added.
	c.srv.Script(http.MethodGet, "/v1/vpn-gateways/*", vpntest.Step{
		Status: http.StatusConflict,
		Body:   `{"errors": [{"code": "Busy", "title": "try later"}, {"code": "Other", "detail": "and this"}]}`,
	})
	r = c.run("gateways", "get", gw)
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "409 Conflict")
	assert.Contains(t, r.stderr, "Busy")

	// A resource that reaches ERROR fails the wait.
	require.NoError(t, c.srv.ForceState(gw, "ERROR"))
	r = c.run("gateways", "wait", gw)
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "reached state ERROR")

	// --timeout bounds a wait that does not end.
	require.NoError(t, c.srv.ForceState(gw, "CREATING"))
	r = c.run("gateways", "wait", gw, "--timeout", "50ms")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "deadline exceeded")
	assert.Contains(t, r.stderr, ": gave up after --timeout 50ms (give a longer --timeout, or --timeout 0 for no limit)\n")

	// A create whose wait fails names what it created.
	c.srv.Script(http.MethodGet, "/v1/vpn-gateways/*", vpntest.Respond(http.StatusInternalServerError), vpntest.Respond(http.StatusInternalServerError), vpntest.Respond(http.StatusInternalServerError))
	r = c.run("gateways", "create", "-f", writeFile(t, "gw.json", gatewayFile("gw2")), "--wait", "-o", "json")
	assert.Equal(t, exitOutputFailed, r.code, "done: running it again would make another")
	assert.Regexp(t, `^scpvpn: created VPN gateway [0-9a-f]+, but waiting for it failed: .*500 Internal Server Error`, r.stderr)
	assert.Empty(t, r.stdout)

	// An endpoint where nothing listens.
	r = c.run("gateways", "list", "--endpoint", "http://127.0.0.1:1", "--timeout", "2s")
	assert.Equal(t, exitFailure, r.code)
	assert.Empty(t, r.stdout)
}

// Status 2 says that nothing was sent: a create that was sent, whose wait
// the SDK then refuses (the server gave an id it cannot ask for), is done
// and its wait failed, status 6, which names what was created. (An answer with no id
// at all holds no resource: the SDK settles that create by reading back.)
func TestCreatedThenRefused(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	file := writeFile(t, "gw.json", gatewayFile("gw1"))
	for _, id := range []string{".", ".."} {
		for _, output := range []string{formatTable, formatJSON} {
			c.srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Step{Status: http.StatusAccepted,
				Body: createdGateway(id, "gw1")})
			r := c.run("gateways", "create", "-f", file, "--wait", "-o", output)
			assert.Equal(t, exitOutputFailed, r.code, "id %q: %s", id, r.stderr)
			assert.Contains(t, r.stderr, "created VPN gateway "+id+", but waiting for it failed", "id %q", id)
			assert.NotContains(t, r.stderr, "--help", "id %q: not a usage error", id)
			assert.Empty(t, r.stdout)
		}
	}
	assert.Equal(t, 4, c.srv.CountRequests(http.MethodPost, "/v1/vpn-gateways"), "every create was sent")
}

// A server that fails, a connection that drops and a resource that fails
// are status 1, with nothing on standard output, in
// both versions and both formats.
func TestServerFailures(t *testing.T) {
	t.Parallel()
	for _, version := range []string{version1Dot1, version1Dot0} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t, vpntest.Options{GatewayQuota: 100})
			for _, output := range []string{formatTable, formatJSON} {
				gw, err := c.srv.AddGateway(vpntest.GatewaySeed{})
				require.NoError(t, err)
				tn, err := c.srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw})
				require.NoError(t, err)
				for _, tc := range []struct {
					name  string
					setUp func()
					args  []string
					want  string
				}{
					{"500 every attempt", func() {
						c.srv.Script(http.MethodGet, "/v1/vpn-gateways/*", vpntest.Respond(500), vpntest.Respond(500), vpntest.Respond(500))
					}, []string{"gateways", "get", gw}, "500 Internal Server Error"},
					{"dropped every attempt", func() {
						c.srv.Script(http.MethodGet, "/v1/vpn-tunnels", vpntest.Drop(), vpntest.Drop(), vpntest.Drop())
					}, []string{"tunnels", "list"}, "3 attempts"},
					{"tunnel in ERROR", func() { require.NoError(t, c.srv.ForceState(tn, "ERROR")) },
						[]string{"tunnels", "wait", tn}, "reached state ERROR"},
					{"ERROR while deleting", func() {
						c.srv.Script(http.MethodGet, "/v1/vpn-tunnels/*", vpntest.Step{Status: http.StatusOK,
							Body: `{"vpn_tunnel": {"id": "` + tn + `", "name": "tn", "state": "ERROR", "created_at": "2024-05-17T00:23:17Z"}}`})
					}, []string{"tunnels", "delete", tn, "--wait"}, "reached state ERROR"},
				} {
					tc.setUp()
					r := c.in(t).run(append([]string{"--api-version", version, "-o", output}, tc.args...)...)
					assert.Equal(t, exitFailure, r.code, "%s: %s", tc.name, r.stderr)
					assert.Contains(t, r.stderr, tc.want, tc.name)
					assert.Empty(t, r.stdout, tc.name)
					c.srv.ResetFaults()
				}
			}
		})
	}
}

// Help is success, on standard output.
func TestHelp(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	for _, args := range [][]string{{"--help"}, {}, {"gateways"}, {"tunnels", "--help"}, {"tunnels", "create", "-h"}, {"help", "gateways", "list"}} {
		r := c.ok(args...)
		assert.Contains(t, r.stdout, "Usage:", "%q", args)
		assert.Empty(t, r.stderr, "%q", args)
	}
	r := c.ok("tunnels", "create", "--help")
	assert.Contains(t, r.stdout, `"pre_shared_key"`, "the help shows a request")
	r = c.ok("--help")
	assert.Contains(t, r.stdout, "SCP_ACCESS_KEY", "the help names the configuration")
	for _, flag := range []string{"--region", "--environment", "--auth-url", "--config-dir", "--jq", "--template", "--no-header"} {
		assert.Contains(t, r.stdout, flag)
	}
	assert.Contains(t, r.stdout, "Exit status:\n  0  done\n  1  failed")
	for code := exitOK; code <= exitOutputFailed; code++ {
		assert.Regexp(t, fmt.Sprintf(`\n  %d  \w`, code), r.stdout, "status %d is in the table", code)
	}
	assert.Contains(t, r.stdout, "5  outcome unknown")
	assert.Contains(t, r.stdout, "6  done, but what followed failed")
	r = c.ok("--version")
	assert.Regexp(t, `^scpvpn \d+\.\d+\.\d+\n$`, r.stdout)
}
