package vpntest

// This file holds the tests of lists: paging, sorting, filters.

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// names returns the names of the items of a list answer.
func names(r *response, key string) []string {
	var out []string
	for _, item := range r.body[key].([]any) {
		out = append(out, item.(map[string]any)["name"].(string))
	}
	return out
}

func TestListGatewaysPagination(t *testing.T) {
	h := newHarness(t, Options{GatewayQuota: 10})
	for _, n := range []string{"gwC", "gwA", "gwB", "gwE", "gwD"} {
		h.createGateway(n)
	}
	tests := []struct {
		query          string
		page, size     int
		sort           string
		want           []string
		wantItemsEmpty bool
	}{
		{"", 0, 20, "created_at:asc", []string{"gwC", "gwA", "gwB", "gwE", "gwD"}, false},
		{"?page=0&size=2", 0, 2, "created_at:asc", []string{"gwC", "gwA"}, false},
		{"?page=1&size=2", 1, 2, "created_at:asc", []string{"gwB", "gwE"}, false},
		{"?page=2&size=2", 2, 2, "created_at:asc", []string{"gwD"}, false},
		{"?page=3&size=2", 3, 2, "created_at:asc", nil, true},
		{"?page=1000000000&size=2", 1000000000, 2, "created_at:asc", nil, true},
		{"?size=0", 0, 0, "created_at:asc", nil, true},
		{"?sort=created_at%3Adesc", 0, 20, "created_at:desc", []string{"gwD", "gwE", "gwB", "gwA", "gwC"}, false},
		{"?sort=name:asc", 0, 20, "name:asc", []string{"gwA", "gwB", "gwC", "gwD", "gwE"}, false},
		{"?sort=name:desc&size=3", 0, 3, "name:desc", []string{"gwE", "gwD", "gwC"}, false},
		{"?sort=state:asc,name:desc", 0, 20, "state:asc", []string{"gwE", "gwD", "gwC", "gwB", "gwA"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := h.do("GET", v11, "/v1/vpn-gateways"+tt.query, nil)
			require.Equal(t, http.StatusOK, r.status, "%s", r.raw)
			assert.EqualValues(t, 5, r.body["count"])
			assert.EqualValues(t, tt.page, r.body["page"])
			assert.EqualValues(t, tt.size, r.body["size"])
			assert.Equal(t, tt.sort, r.body["sort"].([]any)[0])
			if tt.wantItemsEmpty {
				assert.Equal(t, []any{}, r.body["vpn_gateways"])
				return
			}
			assert.Equal(t, tt.want, names(r, "vpn_gateways"))
		})
	}
}

func TestListSortByTime(t *testing.T) {
	h := newHarness(t, Options{GatewayQuota: 10})
	a := h.createGateway("gwA")
	h.createGateway("gwB")
	// Modify the first: it becomes the most recently modified.
	h.clock.Advance(time.Hour)
	require.Equal(t, http.StatusOK, h.do("PUT", v11, "/v1/vpn-gateways/"+a, map[string]any{"description": "x"}).status)
	r := h.do("GET", v11, "/v1/vpn-gateways?sort=modified_at:desc", nil)
	assert.Equal(t, []string{"gwA", "gwB"}, names(r, "vpn_gateways"))
	r = h.do("GET", v11, "/v1/vpn-gateways?sort=modified_at:asc", nil)
	assert.Equal(t, []string{"gwB", "gwA"}, names(r, "vpn_gateways"))
}

func TestListSortTiesKeepCreationOrder(t *testing.T) {
	// With the clock standing still every created_at is the same.
	h := newHarness(t, Options{GatewayQuota: 10, TransitionDelay: -1})
	for _, n := range []string{"gw3", "gw1", "gw2"} {
		require.Equal(t, http.StatusAccepted, h.do("POST", v11, "/v1/vpn-gateways", gatewayBody(n)).status)
	}
	r := h.do("GET", v11, "/v1/vpn-gateways", nil)
	assert.Equal(t, []string{"gw3", "gw1", "gw2"}, names(r, "vpn_gateways"))
	r = h.do("GET", v11, "/v1/vpn-gateways?sort=created_at:desc", nil)
	assert.Equal(t, []string{"gw2", "gw1", "gw3"}, names(r, "vpn_gateways"))
}

func TestListBadQuery(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct{ query, detail string }{
		{"page=-1", "page: must not be negative"},
		{"page=x", `page: must be an integer, got "x"`},
		{"page=", `page: must be an integer, got ""`},
		{"size=1.5", `size: must be an integer, got "1.5"`},
		{"size=-2", "size: must not be negative"},
		{"size=10001", "size: must be at most 10000"},
		{"sort=name", `sort: "name" must be of the form field:asc or field:desc`},
		{"sort=name:up", `sort: "name:up" must be of the form`},
		{"sort=bogus:asc", `sort: cannot sort on unknown field "bogus"`},
		{"sort=phase1:asc", `unknown field "phase1"`},
		{"name=%zz", "malformed query string"},
	}
	for _, tt := range tests {
		for _, path := range []string{"/v1/vpn-gateways", "/v1/vpn-tunnels"} {
			r := h.do("GET", v10, path+"?"+tt.query, nil)
			require.Equal(t, http.StatusBadRequest, r.status, "%s %s", tt.query, r.raw)
			assert.Equal(t, codeInvalidParameter, r.errorCode())
			assertDetail(t, r, tt.detail)
		}
	}
}

func TestListGatewayFilters(t *testing.T) {
	h := newHarness(t, Options{GatewayQuota: 10})
	h.createGateway("alphaGW")
	b := gatewayBody("betaGW")
	b["ip_address"] = "123.0.0.9"
	b["vpc_id"] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	require.Equal(t, http.StatusAccepted, h.do("POST", v11, "/v1/vpn-gateways", b).status)
	h.createGateway("alphaGW2")

	tests := []struct {
		query string
		want  []string
	}{
		{"name=alpha", []string{"alphaGW", "alphaGW2"}},
		{"name=GW2", []string{"alphaGW2"}},
		{"name=ALPHA", nil},
		{"ip_address=123.0.0.9", []string{"betaGW"}},
		{"ip_address=123.0.0", nil},
		{"vpc_id=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", []string{"betaGW"}},
		{"vpc_name=VPC-aaaa", []string{"betaGW"}},
		{"vpc_name=VPC-ceb44ea5&name=alphaGW2", []string{"alphaGW2"}},
		{"unknown=1", []string{"alphaGW", "betaGW", "alphaGW2"}},
	}
	for _, tt := range tests {
		for _, version := range []string{v10, v11} {
			r := h.do("GET", version, "/v1/vpn-gateways?"+tt.query, nil)
			require.Equal(t, http.StatusOK, r.status)
			assert.Equal(t, tt.want, names(r, "vpn_gateways"), tt.query)
			assert.EqualValues(t, len(tt.want), r.body["count"], tt.query)
		}
	}
}

func TestListTunnelFilters(t *testing.T) {
	h := newHarness(t, Options{})
	gw1 := h.createGateway("firstGW")
	gw2 := h.createGateway("secondGW")
	h.createTunnel(v10, gw1, "tunA")
	b := tunnelBody(t, v11, gw1, "tunB")
	b["phase1"].(map[string]any)["peer_gateway_ip"] = "123.0.0.3"
	require.Equal(t, http.StatusAccepted, h.do("POST", v11, "/v1/vpn-tunnels", b).status)
	h.createTunnel(v11, gw2, "otherTun")
	h.clock.Advance(time.Second)

	tests := []struct {
		query   string
		version string
		want    []string
	}{
		{"name=tun", v11, []string{"tunA", "tunB"}},
		{"name=Tun", v11, []string{"otherTun"}},
		{"vpn_gateway_id=" + gw1, v11, []string{"tunA", "tunB"}},
		{"vpn_gateway_id=" + gw2, v10, []string{"otherTun"}},
		{"vpn_gateway_name=second", v10, []string{"otherTun"}},
		{"vpn_gateway_name=GW", v11, []string{"tunA", "tunB", "otherTun"}},
		{"peer_gateway_ip=123.0.0.3", v10, []string{"tunB"}},
		{"remote_subnet=" + url.QueryEscape("10.1.0.0/16"), v10, []string{"tunA"}},
		{"remote_subnet=" + url.QueryEscape("10.1.2.0/24"), v10, []string{"tunB", "otherTun"}},
		// Version 1.1 does not define these two and ignores them.
		{"peer_gateway_ip=123.0.0.3", v11, []string{"tunA", "tunB", "otherTun"}},
		{"remote_subnet=" + url.QueryEscape("10.1.0.0/16"), v11, []string{"tunA", "tunB", "otherTun"}},
		{"sort=vpn_gateway_name:desc,name:asc", v11, []string{"otherTun", "tunA", "tunB"}},
	}
	for _, tt := range tests {
		r := h.do("GET", tt.version, "/v1/vpn-tunnels?"+tt.query, nil)
		require.Equal(t, http.StatusOK, r.status, "%s", r.raw)
		assert.Equal(t, tt.want, names(r, "vpn_tunnels"), "%s %s", tt.version, tt.query)
		assert.EqualValues(t, len(tt.want), r.body["count"])
	}

	// A tunnel's list item has the lighter phases of its version.
	r := h.do("GET", v10, "/v1/vpn-tunnels?name=tunB", nil)
	item := r.body["vpn_tunnels"].([]any)[0].(map[string]any)
	assert.ElementsMatch(t, []string{"dpd_retry_interval", "ike_version", "life_time", "peer_gateway_ip"}, keys(item["phase1"].(map[string]any)))
	assert.Equal(t, map[string]any{"life_time": 43200.0, "perfect_forward_secrecy": "ENABLE", "remote_subnet": "10.1.1.0/24"}, item["phase2"])
	assert.NotContains(t, item, "status")
}
