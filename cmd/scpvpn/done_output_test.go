package main

// This file holds the tests of a write that was done but whose output
// failed: status 6, never 1 ("failed") or 2 ("nothing was sent"), and the
// id of what was done on standard error, so that a script does not do it
// twice.

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// A --jq or --template that fails at run time on the answer of a create
// or a set, or runs out of --timeout, ends the command with status 6; the
// message names what was done, and the hint says not to do it again.
func TestWriteDoneOutputFailed(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{GatewayQuota: 10})
	gateways := func(name string) []string {
		var ids []string
		for g, err := range c.review2Client().V1Dot1.Gateways.All(t.Context(), &scpvpn.GatewayListOptions{Name: name}) {
			require.NoError(t, err)
			ids = append(ids, g.ID)
		}
		return ids
	}
	for _, tc := range []struct {
		name  string
		args  []string
		cause string
	}{
		{"template", []string{"--template", "{{.id.x}}"}, "--template: template: "},
		{"jq", []string{"--jq", ".id, (.id | tonumber)"}, "--jq: tonumber cannot be applied"},
		// The command's bound, not the machine's speed: the create is
		// answered at once, and the template never ends.
		{"timeout", []string{"--template", "{{range 100000}}{{range 100000}}{{end}}{{end}}", "--timeout", "5s"}, "--template: stopped: context deadline exceeded: gave up after --timeout 5s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c.in(t)
			r := c.run(append([]string{"gateways", "create", "-f", writeFile(t, "gw.json", gatewayFile("out"+tc.name))}, tc.args...)...)
			made := gateways("out" + tc.name)
			require.Len(t, made, 1, "the create was done, once")
			assert.Equal(t, exitOutputFailed, r.code, r.stderr)
			assert.Contains(t, r.stderr, "scpvpn: created VPN gateway "+made[0]+", but its output failed: "+tc.cause)
			assert.Contains(t, r.stderr, "It was done: check VPN gateway "+made[0]+" before running the command again.")
		})
	}

	id := addGateways(t, c.srv, 1)[0]
	r := c.run("gateways", "set", id, "--description", "changed", "--jq", ".description | tonumber")
	assert.Equal(t, exitOutputFailed, r.code, r.stderr)
	assert.Contains(t, r.stderr, "scpvpn: changed VPN gateway "+id+", but its output failed: --jq: ")
	r = c.ok("gateways", "get", id, "--jq", ".description")
	assert.Equal(t, "changed\n", r.stdout, "the change was done")

	// A read whose output fails is a failure, as before: nothing was done.
	r = c.run("gateways", "get", id, "--jq", ".id | tonumber")
	assert.Equal(t, exitFailure, r.code, r.stderr)
	assert.NotContains(t, r.stderr, "but its output failed")
}

// An answer that cannot be written (standard output closed for writing)
// is an output that failed too: the id reaches standard error.
func TestWriteDoneStdoutUnwritable(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	readOnly, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer readOnly.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "gateways", "create", "-f", writeFile(t, "gw.json", gatewayFile("gw1")))
	cmd.Env = append(c.env[:len(c.env):len(c.env)], "GORACE=atexit_sleep_ms=0")
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = readOnly, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit), "%v", err)
	assert.Equal(t, exitOutputFailed, exit.ExitCode(), stderr.String())
	require.Equal(t, 1, c.srv.CountRequests(http.MethodPost, "/v1/vpn-gateways"))
	assert.Regexp(t, `^scpvpn: created VPN gateway [0-9a-f]+, but its output failed: writing the output: `, stderr.String())
}
