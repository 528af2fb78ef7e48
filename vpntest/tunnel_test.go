package vpntest

// This file holds the tests of the VPN tunnel endpoints and of seeds.

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTunnelLifecycle(t *testing.T) {
	for _, version := range []string{v10, v11} {
		t.Run(version, func(t *testing.T) {
			h := newHarness(t, Options{})
			suffix := "1_1"
			if version == v10 {
				suffix = "1_0"
			}
			gw := h.createGateway("ExampleVpnGW1")

			body := tunnelBody(t, version, gw, "ExampleVpnTunnel1")
			create := h.do("POST", version, "/v1/vpn-tunnels", body)
			require.Equal(t, http.StatusAccepted, create.status, "%s", create.raw)
			requireSameShape(t, fixture(t, "tunnel_create_"+suffix+"_response.json"), create.body, "")
			tun := create.body["vpn_tunnel"].(map[string]any)
			id := tun["id"].(string)
			assert.Regexp(t, hexID, id)
			assert.Equal(t, "CREATING", tun["state"])
			assert.Equal(t, gw, tun["vpn_gateway_id"])
			assert.Equal(t, "ExampleVpnGW1", tun["vpn_gateway_name"])
			assert.Equal(t, "123.0.0.1", tun["vpn_gateway_ip_address"])
			assert.Equal(t, "VPC-ceb44ea5", tun["vpc_name"])
			assert.NotContains(t, string(create.raw), "PreSharedKey1")
			assert.NotContains(t, string(create.raw), "tags")
			p1 := tun["phase1"].(map[string]any)
			assert.Equal(t, []any{30.0, 31.0, 32.0}, p1["diffie_hellman_groups"])
			assert.Equal(t, []any{"des-md5", "chacha20poly1305-prfsha256"}, p1["encryptions"])
			assert.EqualValues(t, 86400, p1["life_time"])
			assert.Equal(t, "123.0.0.2", p1["peer_gateway_ip"])
			p2 := tun["phase2"].(map[string]any)
			if version == v10 {
				assert.Equal(t, "10.1.0.0/16", p2["remote_subnet"])
			} else {
				assert.Equal(t, []any{"10.1.1.0/24", "10.1.2.0/24", "10.1.3.0/24"}, p2["remote_subnets"])
			}
			psk, err := h.srv.PreSharedKey(id)
			require.NoError(t, err)
			assert.Equal(t, "PreSharedKey1", psk)

			// Show has status: DOWN until ACTIVE, then UP.
			show := h.do("GET", version, "/v1/vpn-tunnels/"+id, nil)
			require.Equal(t, http.StatusOK, show.status)
			assert.Equal(t, "DOWN", show.body["vpn_tunnel"].(map[string]any)["status"])
			h.clock.Advance(DefaultTransitionDelay)
			show = h.do("GET", version, "/v1/vpn-tunnels/"+id, nil)
			requireSameShape(t, fixture(t, "tunnel_show_"+suffix+"_response.json"), show.body, "")
			assert.Equal(t, "UP", show.body["vpn_tunnel"].(map[string]any)["status"])
			assert.Equal(t, "ACTIVE", show.body["vpn_tunnel"].(map[string]any)["state"])

			// List: lighter phases, no status.
			list := h.do("GET", version, "/v1/vpn-tunnels", nil)
			require.Equal(t, http.StatusOK, list.status)
			requireSameShape(t, fixture(t, "tunnel_list_"+suffix+"_response.json"), list.body, "")
			assert.Equal(t, []any{"created_at:asc"}, list.body["sort"])

			// Set: 202, EDITING, with the reference's set body.
			h.clock.Advance(time.Minute)
			set := h.do("PUT", version, "/v1/vpn-tunnels/"+id, fixture(t, "tunnel_set_"+suffix+"_request.json"))
			require.Equal(t, http.StatusAccepted, set.status, "%s", set.raw)
			requireSameShape(t, fixture(t, "tunnel_set_"+suffix+"_response.json"), set.body, "")
			assert.Equal(t, "EDITING", set.body["vpn_tunnel"].(map[string]any)["state"])
			assert.NotEqual(t, tun["modified_at"], set.body["vpn_tunnel"].(map[string]any)["modified_at"])
			assert.Equal(t, http.StatusConflict, h.do("PUT", version, "/v1/vpn-tunnels/"+id, map[string]any{"description": "x"}).status)
			assert.Equal(t, http.StatusConflict, h.do("DELETE", version, "/v1/vpn-tunnels/"+id, nil).status)
			h.clock.Advance(DefaultTransitionDelay)

			// The gateway cannot go while it has the tunnel.
			del := h.do("DELETE", version, "/v1/vpn-gateways/"+gw, nil)
			require.Equal(t, http.StatusConflict, del.status)
			assert.Contains(t, del.errorDetails()[0], "tunnel")

			require.Equal(t, http.StatusAccepted, h.do("DELETE", version, "/v1/vpn-tunnels/"+id, nil).status)
			show = h.do("GET", version, "/v1/vpn-tunnels/"+id, nil)
			assert.Equal(t, "DELETING", show.body["vpn_tunnel"].(map[string]any)["state"])
			assert.Equal(t, "DOWN", show.body["vpn_tunnel"].(map[string]any)["status"])
			// Nor while the tunnel is being deleted.
			assert.Equal(t, http.StatusConflict, h.do("DELETE", version, "/v1/vpn-gateways/"+gw, nil).status)
			h.clock.Advance(DefaultTransitionDelay)
			assert.Equal(t, http.StatusNotFound, h.do("GET", version, "/v1/vpn-tunnels/"+id, nil).status)
			assert.Equal(t, http.StatusAccepted, h.do("DELETE", version, "/v1/vpn-gateways/"+gw, nil).status)
		})
	}
}

func TestTunnelSetPartial(t *testing.T) {
	h := newHarness(t, Options{})
	gw := h.createGateway("gw1")
	id := h.createTunnel(v11, gw, "tun1")

	r := h.do("PUT", v11, "/v1/vpn-tunnels/"+id, map[string]any{
		"phase1": map[string]any{"ike_version": 1, "pre_shared_key": "AnotherKey99"},
		"phase2": map[string]any{"remote_subnets": []string{"192.168.0.0/24"}},
	})
	require.Equal(t, http.StatusAccepted, r.status, "%s", r.raw)
	tun := r.body["vpn_tunnel"].(map[string]any)
	p1 := tun["phase1"].(map[string]any)
	assert.EqualValues(t, 1, p1["ike_version"])
	assert.EqualValues(t, 60, p1["dpd_retry_interval"], "untouched")
	assert.Equal(t, []any{"192.168.0.0/24"}, tun["phase2"].(map[string]any)["remote_subnets"])
	assert.Equal(t, "Example Description for VPN Tunnel", tun["description"], "untouched")
	assert.NotContains(t, string(r.raw), "AnotherKey99")
	psk, err := h.srv.PreSharedKey(id)
	require.NoError(t, err)
	assert.Equal(t, "AnotherKey99", psk)

	// Version 1.0 sees the first subnet of a tunnel made in 1.1.
	h.clock.Advance(time.Second)
	show := h.do("GET", v10, "/v1/vpn-tunnels/"+id, nil)
	assert.Equal(t, "192.168.0.0/24", show.body["vpn_tunnel"].(map[string]any)["phase2"].(map[string]any)["remote_subnet"])
}

func TestTunnelSetInvalidLeavesTunnelUntouched(t *testing.T) {
	h := newHarness(t, Options{})
	gw := h.createGateway("gw1")
	id := h.createTunnel(v11, gw, "tun1")
	r := h.do("PUT", v11, "/v1/vpn-tunnels/"+id, map[string]any{
		"description": "new",
		"phase1":      map[string]any{"ike_version": 3},
	})
	require.Equal(t, http.StatusBadRequest, r.status)
	show := h.do("GET", v11, "/v1/vpn-tunnels/"+id, nil)
	tun := show.body["vpn_tunnel"].(map[string]any)
	assert.Equal(t, "ACTIVE", tun["state"])
	assert.Equal(t, "Example Description for VPN Tunnel", tun["description"])
	assert.EqualValues(t, 2, tun["phase1"].(map[string]any)["ike_version"])
}

func TestTunnelCreateNeedsActiveGateway(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.do("POST", v11, "/v1/vpn-tunnels", tunnelBody(t, v11, "0fdd87aab8cb46f59b7c1f81ed03fb3e", "tun1"))
	require.Equal(t, http.StatusNotFound, r.status)
	assert.Contains(t, r.errorDetails()[0], "0fdd87aab8cb46f59b7c1f81ed03fb3e")

	g := h.do("POST", v11, "/v1/vpn-gateways", gatewayBody("gw1"))
	gw := g.body["vpn_gateway"].(map[string]any)["id"].(string)
	r = h.do("POST", v11, "/v1/vpn-tunnels", tunnelBody(t, v11, gw, "tun1"))
	require.Equal(t, http.StatusConflict, r.status)
	assert.Contains(t, r.errorDetails()[0], "CREATING")
}

func TestTunnelQuota(t *testing.T) {
	h := newHarness(t, Options{TunnelQuota: 2})
	gw := h.createGateway("gw1")
	other := h.createGateway("gw2")
	h.createTunnel(v11, gw, "tun1")
	h.createTunnel(v10, gw, "tun2")
	r := h.do("POST", v11, "/v1/vpn-tunnels", tunnelBody(t, v11, gw, "tun3"))
	require.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, codeQuotaExceeded, r.errorCode())
	assert.Contains(t, r.errorDetails()[0], "quota")
	// The quota is per gateway.
	h.createTunnel(v11, other, "tun3")
}

func TestTunnelNotFound(t *testing.T) {
	h := newHarness(t, Options{})
	for _, method := range []string{"GET", "PUT", "DELETE"} {
		var body any
		if method == "PUT" {
			body = map[string]any{"description": "x"}
		}
		r := h.do(method, v10, "/v1/vpn-tunnels/2ade2919287040bc92e557fbbe6709c1", body)
		assert.Equal(t, http.StatusNotFound, r.status, method)
	}
	_, err := h.srv.PreSharedKey("2ade2919287040bc92e557fbbe6709c1")
	assert.Error(t, err)
}

func TestTunnelForceState(t *testing.T) {
	h := newHarness(t, Options{})
	gw := h.createGateway("gw1")
	id := h.createTunnel(v11, gw, "tun1")
	require.NoError(t, h.srv.ForceState(id, "ERROR"))
	show := h.do("GET", v11, "/v1/vpn-tunnels/"+id, nil)
	assert.Equal(t, "ERROR", show.body["vpn_tunnel"].(map[string]any)["state"])
	assert.Equal(t, "DOWN", show.body["vpn_tunnel"].(map[string]any)["status"])
	assert.Equal(t, http.StatusConflict, h.do("PUT", v11, "/v1/vpn-tunnels/"+id, map[string]any{"description": "x"}).status)
	assert.Equal(t, http.StatusAccepted, h.do("DELETE", v11, "/v1/vpn-tunnels/"+id, nil).status)
}

func TestSeeds(t *testing.T) {
	h := newHarness(t, Options{})
	gw, err := h.srv.AddGateway(GatewaySeed{Name: "Seeded1", VPCID: "ceb44ea5ecb34a49b16495f9a63b0718"})
	require.NoError(t, err)
	show := h.do("GET", v11, "/v1/vpn-gateways/"+gw, nil)
	require.Equal(t, http.StatusOK, show.status)
	g := show.body["vpn_gateway"].(map[string]any)
	assert.Equal(t, "ACTIVE", g["state"])
	assert.Equal(t, "Seeded1", g["name"])
	assert.Equal(t, "VPC-ceb44ea5", g["vpc_name"])
	assert.Nil(t, g["description"])

	tun, err := h.srv.AddTunnel(TunnelSeed{VPNGatewayID: gw, RemoteSubnets: []string{"10.2.0.0/16", "10.3.0.0/16"}})
	require.NoError(t, err)
	ts := h.do("GET", v11, "/v1/vpn-tunnels/"+tun, nil)
	require.Equal(t, http.StatusOK, ts.status)
	requireSameShape(t, fixture(t, "tunnel_show_1_1_response.json"), ts.body, "")
	assert.Equal(t, "UP", ts.body["vpn_tunnel"].(map[string]any)["status"])

	_, err = h.srv.AddGateway(GatewaySeed{Name: "no spaces allowed"})
	assert.ErrorContains(t, err, "name")
	_, err = h.srv.AddTunnel(TunnelSeed{VPNGatewayID: "nope"})
	assert.ErrorContains(t, err, "nope")
	_, err = h.srv.AddTunnel(TunnelSeed{VPNGatewayID: gw, RemoteSubnets: []string{"10.2.0.0"}})
	assert.ErrorContains(t, err, "remote_subnets[0]")
	// As lenient as the API: host bits are fine.
	_, err = h.srv.AddTunnel(TunnelSeed{VPNGatewayID: gw, RemoteSubnets: []string{"10.2.0.1/16"}})
	assert.NoError(t, err)
}
