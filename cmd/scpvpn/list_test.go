package main

// This file holds the tests of list's pages: every page by default,
// --limit N stopping after N items (and asking no page beyond them),
// --page and --size showing one page, --all every page from --page on.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// idsOf returns the ids of gateways.
func idsOf(gateways []scpvpn.Gateway) []string {
	ids := make([]string, len(gateways))
	for i, g := range gateways {
		ids[i] = g.ID
	}
	return ids
}

// 23 gateways, more than the API's page of 20: every one is listed by
// default, in both formats and both versions; --limit, --page, --size and
// --all list what they say, asking only the pages they need.
func TestListPages(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{GatewayQuota: 100})
	ids := addGateways(t, c.srv, 23)
	pages := func() int { return c.srv.CountRequests(http.MethodGet, "/v1/vpn-gateways") }

	for _, tc := range []struct {
		name  string
		args  []string
		want  []string
		pages int // asked of the API
	}{
		{"every page by default", nil, ids, 2},
		{"every page, 1.0", []string{"--api-version", "1.0"}, ids, 2},
		{"--limit within the first page", []string{"--limit", "5"}, ids[:5], 1},
		{"--limit on the second page", []string{"--limit", "21"}, ids[:21], 2},
		{"--limit beyond the list", []string{"--limit", "100"}, ids, 2},
		{"--limit with --size", []string{"--limit", "7", "--size", "3", "--all"}, ids[:7], 3},
		{"--page alone", []string{"--page", "1"}, ids[20:], 1},
		{"--size alone", []string{"--size", "5"}, ids[:5], 1},
		{"--page and --size", []string{"--page", "1", "--size", "10"}, ids[10:20], 1},
		{"--page, --size and --limit", []string{"--page", "1", "--size", "10", "--limit", "4"}, ids[10:14], 1},
		// The SDK counts the pages before --page at least as full as the
		// first it reads (3 each, a lower bound: a service may cap its
		// pages below --size), so it asks for page 3 too, which is empty.
		{"--all from --page", []string{"--all", "--page", "2", "--size", "10"}, ids[20:], 2},
		{"--all by --size", []string{"--all", "--size", "5"}, ids, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c.in(t)
			before := pages()
			var got []scpvpn.Gateway
			c.jsonOK(&got, append([]string{"gateways", "list"}, tc.args...)...)
			assert.Equal(t, tc.want, idsOf(got))
			assert.Equal(t, tc.pages, pages()-before, "pages asked")

			r := c.ok(append([]string{"gateways", "list", "--no-header"}, tc.args...)...)
			lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
			require.Len(t, lines, len(tc.want), r.stdout)
			for i, id := range tc.want {
				assert.True(t, strings.HasPrefix(lines[i], id+" "), "row %d: %q", i, lines[i])
			}
		})
	}

	r := c.run("gateways", "list", "--limit", "-1")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "invalid --limit -1")
	// A negative page or size is told by its flag, not by the SDK's Go type.
	before := len(c.srv.Requests())
	for _, args := range [][]string{
		{"gateways", "list", "--page", "-1"},
		{"tunnels", "list", "--size", "-5", "--all"},
		{"--api-version", "1.0", "tunnels", "list", "--page", "-2"},
	} {
		r := c.run(args...)
		assert.Equal(t, exitUsage, r.code, "%q", args)
		assert.Regexp(t, `^scpvpn: invalid --(page -1|size -5|page -2): want `, r.stderr, "%q", args)
		assert.NotContains(t, r.stderr, "Options", "%q", args)
	}
	assert.Len(t, c.srv.Requests(), before, "nothing sent")
}

// Tunnels are listed over every page too, filtered.
func TestListTunnelPages(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{GatewayQuota: 100, TunnelQuota: 100})
	gw := addGateways(t, c.srv, 2)
	var want []string
	for i := range 25 {
		id, err := c.srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw[i%2]})
		require.NoError(t, err)
		if i%2 == 0 {
			want = append(want, id)
		}
	}
	var got []tunnelJSON
	c.jsonOK(&got, "tunnels", "list", "--vpn-gateway-id", gw[0], "--size", "4", "--all")
	require.Len(t, got, len(want))
	for i, tn := range got {
		assert.Equal(t, want[i], tn.ID)
	}
	got = nil
	c.jsonOK(&got, "tunnels", "list")
	assert.Len(t, got, 25)
}
