package main

// This file holds the tests of what the command prints: the table, the
// JSON array that --all streams, flags in any position, completion.

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// addGateways puts n gateways into the server and returns their ids, in
// the order the API lists them.
func addGateways(t *testing.T, srv *vpntest.Server, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		var err error
		ids[i], err = srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
	}
	return ids
}

// The table has a heading and a row per resource, its columns aligned;
// what the server sends cannot break it or reach the terminal.
func TestTable(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	ids := addGateways(t, c.srv, 2)
	c.ok("gateways", "set", ids[1], "--description", "two\twords\nand \x1b[31mred\u202e")

	r := c.ok("gateways", "list")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 3, r.stdout)
	assert.Regexp(t, `^ID +NAME +STATE +IP ADDRESS +VPC ID +VPC NAME +DESCRIPTION$`, lines[0])
	col := strings.Index(lines[0], "STATE")
	for i, id := range ids {
		assert.True(t, strings.HasPrefix(lines[i+1], id+" "), lines[i+1])
		assert.Equal(t, "ACTIVE", lines[i+1][col:col+len("ACTIVE")], "aligned: %q", lines[i+1])
	}
	assert.True(t, strings.HasSuffix(lines[1], " -"), "an empty cell is -: %q", lines[1])
	assert.True(t, strings.HasSuffix(lines[2], " two words and [31mred"), "white space is a space, control characters go: %q", lines[2])

	r = c.ok("gateways", "quota")
	assert.Regexp(t, `^MAX +USED\n3 +2\n$`, r.stdout)
	r = c.ok("tunnels", "list")
	assert.Regexp(t, `^ID +NAME +STATE +STATUS +GATEWAY ID +PEER IP +REMOTE SUBNETS\n$`, r.stdout, "an empty list is its heading")

	var none []scpvpn.Gateway
	r = c.jsonOK(&none, "gateways", "list", "--page", "5")
	assert.Equal(t, "[]\n", r.stdout, "an empty list is an empty array")
	assert.NotNil(t, none)
}

// What a server sends that the command puts in a message on standard
// error, its error's code and details or the id of what it created, is
// made safe for a terminal as the table is: no escape sequence reaches it,
// and a new line cannot forge a line of its own.
func TestHostileTextOnStandardError(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	hostile := `\u001b]0;owned\u0007\u001b[2J\u009b31m\nscpvpn: VPN gateway deleted`
	c.srv.Script(http.MethodGet, "/v1/vpn-gateways/*", vpntest.Step{Status: http.StatusBadRequest,
		Body: `{"errors": [{"code": "Bad` + hostile + `", "detail": "detail` + hostile + `"}]}`})
	r := c.run("gateways", "get", "gw1")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "400 Bad Request: Bad")
	terminalSafe(t, r.stderr, 1)

	c.srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Step{Status: http.StatusAccepted,
		Body: createdGateway("gw"+hostile, "gw1")})
	// Its id is not found: no grace period, that the test need not wait.
	r = c.run("gateways", "create", "-f", writeFile(t, "gw.json", gatewayFile("gw1")), "--wait", "--not-found-grace=0")
	assert.NotEqual(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "waiting for VPN gateway gw")
	terminalSafe(t, r.stderr, 3) // the note, the error and what to do
}

// terminalSafe checks that s holds lines lines and no control character
// but their ends.
func terminalSafe(t *testing.T, s string, lines int) {
	t.Helper()
	assert.Equal(t, lines, strings.Count(s, "\n"), "one line a message:\n%s", s)
	for _, r := range s {
		if r != '\n' && unicode.IsControl(r) {
			assert.Failf(t, "a control character reaches the terminal", "%U in %q", r, s)
			return
		}
	}
}

// Completion prints what the server lists, ids and names, as the table
// does: without a secret the server echoes, nor a control character that
// the shell would show.
func TestCompletionFromAHostileServer(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	c.srv.Script(http.MethodGet, "/v1/vpn-gateways", vpntest.Step{Status: http.StatusOK,
		Body: `{"count": 1, "page": 0, "size": 100, "vpn_gateways": [{"id": "gw1", "name": "token ` + testToken +
			` \u001b]0;owned\u0007\u001b[2J", "state": "ACTIVE"}]}`})
	r := c.ok("__complete", "gateways", "get", "") // the harness checks that no secret is in r
	assert.Contains(t, r.stdout, "gw1\ttoken [REDACTED]")
	for _, ch := range r.stdout {
		if ch != '\n' && ch != '\t' && unicode.IsControl(ch) {
			assert.Failf(t, "a control character reaches the shell", "%U in %q", ch, r.stdout)
			break
		}
	}
}

// Flags may come before or after the command and its arguments.
func TestFlagPositions(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	id := addGateways(t, c.srv, 1)[0]
	want := c.ok("gateways", "get", id, "-o", "json").stdout
	for _, args := range [][]string{
		{"-o", "json", "gateways", "get", id},
		{"--output=json", "gateways", "get", id},
		{"gateways", "-o", "json", "get", id},
		{"gateways", "get", "-o", "json", id},
		{"--api-version", "1.1", "gw", "get", id, "--output", "json"},
	} {
		r := c.ok(args...)
		assert.Equal(t, want, r.stdout, "%q", args)
	}
}

// With --all and -o json, the array's elements are printed as the pages
// come: the first page is on standard output while the second is still
// awaited.
func TestAllStreams(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	ids := addGateways(t, c.srv, 3)
	// The second page is answered only once the server closes.
	c.srv.Script(http.MethodGet, "/v1/vpn-gateways", vpntest.Pass(), vpntest.Delay(time.Hour))

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "gateways", "list", "--all", "--size", "2", "-o", "json")
	cmd.Env = c.env
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer func() { _ = cmd.Wait() }()
	defer func() { _ = cmd.Process.Kill() }()

	var seen []string
	sc := bufio.NewScanner(stdout)
	for len(seen) < 2 && sc.Scan() {
		if id, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), `"id": `); ok {
			seen = append(seen, strings.Trim(id, `",`))
		}
	}
	require.NoError(t, sc.Err())
	assert.Equal(t, ids[:2], seen, "the first page, before the second is answered")
}

// --all over many pages prints one JSON array of every element, in order,
// that jq can read; an empty list is an empty array; the table has a row
// for each.
func TestAllManyPages(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{GatewayQuota: 100})
	ids := addGateways(t, c.srv, 45)
	var all []scpvpn.Gateway
	c.jsonOK(&all, "gateways", "list", "--all", "--size", "7")
	require.Len(t, all, len(ids))
	for i, g := range all {
		assert.Equal(t, ids[i], g.ID)
	}
	assert.Equal(t, 7, c.srv.CountRequests(http.MethodGet, "/v1/vpn-gateways"), "seven pages")

	r := c.ok("gateways", "list", "--all", "--size", "7")
	assert.Equal(t, len(ids)+1, strings.Count(r.stdout, "\n"), r.stdout)

	var none []tunnelJSON
	r = c.jsonOK(&none, "tunnels", "list", "--all")
	assert.Equal(t, "[]\n", r.stdout)
}

// A list that fails after some pages leaves its JSON array open: a partial
// list cannot pass for a whole one.
func TestAllFailsMidway(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	addGateways(t, c.srv, 3)
	c.srv.Script(http.MethodGet, "/v1/vpn-gateways", vpntest.Pass(), vpntest.Respond(http.StatusBadRequest))

	r := c.run("gateways", "list", "--all", "--size", "2", "-o", "json")
	assert.Equal(t, exitFailure, r.code)
	assert.True(t, strings.HasPrefix(r.stdout, "[\n  {"), r.stdout)
	assert.False(t, json.Valid([]byte(r.stdout)), "not a valid JSON document:\n%s", r.stdout)
	assert.Contains(t, r.stderr, "400 Bad Request")

	r = c.run("gateways", "list", "--all", "--size", "2")
	assert.Equal(t, exitOK, r.code, "the script is used up")
}

// The shell completion scripts are generated, and ids are completed from
// the API.
func TestCompletion(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	for _, shell := range []string{"bash", "zsh", "fish"} {
		r := c.ok("completion", shell)
		assert.Contains(t, r.stdout, "scpvpn", shell)
	}
	ids := addGateways(t, c.srv, 2)
	tn, err := c.srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: ids[0]})
	require.NoError(t, err)
	r := c.ok("__complete", "gateways", "get", "")
	assert.Contains(t, r.stdout, ids[0]+"\t")
	r = c.ok("__complete", "gateways", "list", "-o", "")
	assert.Contains(t, r.stdout, "yaml\n")

	// Everywhere an id is taken: every id of delete, but those given; the
	// gateway of check-subnet, of tunnel filters and quotas.
	r = c.ok("__complete", "gateways", "delete", ids[0], "")
	assert.Contains(t, r.stdout, ids[1]+"\t")
	assert.NotContains(t, r.stdout, ids[0]+"\t", "already given")
	r = c.ok("__complete", "tunnels", "delete", "")
	assert.Contains(t, r.stdout, tn+"\t")
	for _, args := range [][]string{
		{"tunnels", "check-subnet", ""},
		{"tunnels", "list", "--vpn-gateway-id", ""},
		{"tunnels", "quota", "--vpn-gateway-id", ""},
	} {
		r = c.ok(append([]string{"__complete"}, args...)...)
		assert.Contains(t, r.stdout, ids[0]+"\t", "%q", args)
		assert.Contains(t, r.stdout, ids[1]+"\t", "%q", args)
		assert.NotContains(t, r.stdout, tn, "%q: gateways, not tunnels", args)
	}
	r = c.ok("__complete", "tunnels", "check-subnet", ids[0], "")
	assert.NotContains(t, r.stdout, ids[1], "a CIDR is not an id")
}
