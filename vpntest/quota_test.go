package vpntest

// This file holds the tests of the quota endpoints.

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quota reads a quota answer as its two numbers, checking its shape: the
// two keys of the schema, integers.
func quota(t *testing.T, r *response, kind string) (maxQuota, used int) {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, "%s", r.raw)
	require.Equal(t, "application/json", r.header.Get("Content-Type"))
	require.ElementsMatch(t, []string{"vpn_" + kind + "_max_quota", "vpn_" + kind + "_used_quota"}, keys(r.body), "%s", r.raw)
	maxF, ok := r.body["vpn_"+kind+"_max_quota"].(float64)
	require.True(t, ok, "%s", r.raw)
	usedF, ok := r.body["vpn_"+kind+"_used_quota"].(float64)
	require.True(t, ok, "%s", r.raw)
	return int(maxF), int(usedF)
}

func TestGatewayQuotaEndpoint(t *testing.T) {
	for _, version := range []string{v10, v11} {
		t.Run(version, func(t *testing.T) {
			h := newHarness(t, Options{GatewayQuota: 3})
			get := func(query string) (int, int) {
				t.Helper()
				return quota(t, h.do("GET", version, "/v1/vpn-gateways/metrics/quotas"+query, nil), "gateway")
			}
			maxQuota, used := get("")
			assert.Equal(t, 3, maxQuota)
			assert.Zero(t, used)

			first := h.createGateway("gw1")
			_, err := h.srv.AddGateway(GatewaySeed{})
			require.NoError(t, err)
			r := h.do("POST", version, "/v1/vpn-gateways", gatewayBody("gw3"))
			require.Equal(t, http.StatusAccepted, r.status)
			third := r.body["vpn_gateway"].(map[string]any)["id"].(string)
			_, used = get("")
			assert.Equal(t, 3, used, "CREATING counts, seeds count")

			// What the endpoint says is what creating finds.
			require.Equal(t, http.StatusBadRequest, h.do("POST", version, "/v1/vpn-gateways", gatewayBody("gw4")).status)

			// The quota is the account's: vpc_id changes nothing.
			maxQuota, used = get("?vpc_id=ceb44ea5ecb34a49b16495f9a63b0718")
			assert.Equal(t, 3, maxQuota)
			assert.Equal(t, 3, used)
			_, used = get("?vpc_id=00000000000000000000000000000000&unknown=1")
			assert.Equal(t, 3, used)

			// DELETING counts; gone, or forced to DELETED, does not.
			require.Equal(t, http.StatusAccepted, h.do("DELETE", version, "/v1/vpn-gateways/"+first, nil).status)
			_, used = get("")
			assert.Equal(t, 3, used)
			h.clock.Advance(time.Second)
			_, used = get("")
			assert.Equal(t, 2, used)
			require.NoError(t, h.srv.ForceState(third, "DELETED"))
			_, used = get("")
			assert.Equal(t, 1, used)
		})
	}
}

func TestTunnelQuotaEndpoint(t *testing.T) {
	for _, version := range []string{v10, v11} {
		t.Run(version, func(t *testing.T) {
			h := newHarness(t, Options{GatewayQuota: 4, TunnelQuota: 2})
			get := func(query string) (int, int) {
				t.Helper()
				return quota(t, h.do("GET", version, "/v1/vpn-tunnels/metrics/quotas"+query, nil), "tunnel")
			}
			gw1 := h.createGateway("gw1")
			gw2 := h.createGateway("gw2")
			maxQuota, used := get("?vpn_gateway_id=" + gw1)
			assert.Equal(t, 2, maxQuota)
			assert.Zero(t, used)

			tun := h.createTunnel(version, gw1, "tun1")
			_, err := h.srv.AddTunnel(TunnelSeed{VPNGatewayID: gw1})
			require.NoError(t, err)
			_, err = h.srv.AddTunnel(TunnelSeed{VPNGatewayID: gw2})
			require.NoError(t, err)

			maxQuota, used = get("?vpn_gateway_id=" + gw1)
			assert.Equal(t, 2, maxQuota)
			assert.Equal(t, 2, used)
			require.Equal(t, http.StatusBadRequest, h.do("POST", version, "/v1/vpn-tunnels", tunnelBody(t, version, gw1, "tun3")).status,
				"what the endpoint says is what creating finds")
			_, used = get("?vpn_gateway_id=" + gw2)
			assert.Equal(t, 1, used)

			// Without a gateway: the account's tunnels, against the most it
			// can hold.
			maxQuota, used = get("")
			assert.Equal(t, 8, maxQuota, "2 per gateway, 4 gateways")
			assert.Equal(t, 3, used)
			_, used = get("?vpn_gateway_id=")
			assert.Equal(t, 3, used, "an empty id is no id")

			require.NoError(t, h.srv.ForceState(tun, "DELETED"))
			_, used = get("?vpn_gateway_id=" + gw1)
			assert.Equal(t, 1, used)

			r := h.do("GET", version, "/v1/vpn-tunnels/metrics/quotas?vpn_gateway_id=0fdd87aab8cb46f59b7c1f81ed03fb3e", nil)
			require.Equal(t, http.StatusNotFound, r.status)
			assert.Equal(t, codeNotFound, r.errorCode())
			assert.Contains(t, r.errorDetails()[0], "0fdd87aab8cb46f59b7c1f81ed03fb3e")
		})
	}
}

// The endpoints beyond the ten are checked like the others: signed, with
// a version, a well-formed query, and faults applied to them.
func TestMoreEndpointsAreCheckedLikeTheOthers(t *testing.T) {
	h := newHarness(t, Options{})
	gw := h.createGateway("gw1")
	paths := []string{
		"/v1/vpn-gateways/metrics/quotas",
		"/v1/vpn-tunnels/metrics/quotas?vpn_gateway_id=" + gw,
		"/v1/vpn-tunnels/vpn-tunnel-subnet-availabilities?vpn_gateway_id=" + gw + "&remote_subnet=10.9.0.0%2F16",
	}
	for _, path := range paths {
		require.Equal(t, http.StatusOK, h.do("GET", v11, path, nil).status, path)

		r := h.signed("GET", v11, path, nil)
		r.Header.Set("Scp-Signature", "btYjyD8Kl78nwbLwr4Mu1Ld0W4iB0RRg02bZRs//gb4=")
		resp := h.send(r)
		require.Equal(t, http.StatusUnauthorized, resp.status, path)
		assert.Equal(t, codeHmacValidFail, resp.errorCode(), path)

		// Signed over another query than the one sent.
		r = h.signed("GET", v11, path, nil)
		r.URL.RawQuery += "&x=1"
		resp = h.send(r)
		require.Equal(t, http.StatusUnauthorized, resp.status, path)

		r = h.signed("GET", v11, path, nil)
		r.Header.Del("Scp-Accesskey")
		assert.Equal(t, http.StatusUnauthorized, h.send(r).status, path)

		resp = h.do("GET", "", path, nil)
		require.Equal(t, http.StatusBadRequest, resp.status, path)
		assert.Equal(t, codeUnsupportedVersion, resp.errorCode(), path)

		sep := "&"
		if !strings.Contains(path, "?") {
			sep = "?"
		}
		resp = h.do("GET", v10, path+sep+"bad=%zz", nil)
		require.Equal(t, http.StatusBadRequest, resp.status, path)
		assertDetail(t, resp, "query: malformed query string")
		// A list of ValidationErrorModel, as the documents declare.
		assert.Equal(t, []validationEntry{{Loc: []string{"query"}, Msg: `malformed query string: invalid URL escape "%zz"`, Type: "value_error"}}, resp.list, path)
	}

	// Scripted answers and latencies apply to them.
	h.srv.Script("GET", "/v1/vpn-gateways/metrics/quotas", Respond(http.StatusServiceUnavailable, "Retry-After", "1"))
	h.srv.Script("GET", "/v1/vpn-tunnels/*", Respond(http.StatusTooManyRequests), Respond(http.StatusBadGateway))
	h.srv.SetLatency("GET", "/v1/vpn-tunnels/metrics/quotas", 20*time.Millisecond)
	r := h.do("GET", v11, paths[0], nil)
	assert.Equal(t, http.StatusServiceUnavailable, r.status)
	assert.Equal(t, "1", r.header.Get("Retry-After"))
	start := time.Now()
	assert.Equal(t, http.StatusTooManyRequests, h.do("GET", v11, paths[1], nil).status)
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
	assert.Equal(t, http.StatusBadGateway, h.do("GET", v11, paths[2], nil).status)
	assert.Equal(t, http.StatusOK, h.do("GET", v11, paths[2], nil).status)
	assert.Equal(t, 2*6+3, h.srv.CountRequests("GET", "/v1/vpn-tunnels/*"), "six requests for each of two paths above, three here")
}
