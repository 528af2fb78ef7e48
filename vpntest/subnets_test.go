package vpntest

// This file holds the tests of the subnet availability endpoint.

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// availability asks whether subnet is free on gateway gw, and checks the
// answer's shape against the schema.
func (h *harness) availability(version, gw, subnet string) string {
	h.t.Helper()
	q := url.Values{"vpn_gateway_id": {gw}, "remote_subnet": {subnet}}
	r := h.do("GET", version, "/v1/vpn-tunnels/vpn-tunnel-subnet-availabilities?"+q.Encode(), nil)
	require.Equal(h.t, http.StatusOK, r.status, "%s", r.raw)
	require.Equal(h.t, []string{"vpn_tunnel_subnet_availability"}, keys(r.body), "%s", r.raw)
	a := r.body["vpn_tunnel_subnet_availability"].(map[string]any)
	require.ElementsMatch(h.t, []string{"vpn_gateway_id", "remote_subnet", "availability"}, keys(a))
	assert.Equal(h.t, gw, a["vpn_gateway_id"])
	assert.Equal(h.t, subnet, a["remote_subnet"], "answered as given")
	return a["availability"].(string)
}

func TestSubnetAvailability(t *testing.T) {
	for _, version := range []string{v10, v11} {
		t.Run(version, func(t *testing.T) {
			h := newHarness(t, Options{TunnelQuota: 10})
			gw := h.createGateway("gw1")
			other := h.createGateway("gw2")
			assert.Equal(t, "AVAILABLE", h.availability(version, gw, "10.1.0.0/16"), "no tunnels yet")

			// One tunnel with one subnet, one with three (as version 1.1
			// creates them), one on another gateway.
			_, err := h.srv.AddTunnel(TunnelSeed{VPNGatewayID: gw, RemoteSubnets: []string{"10.1.0.0/16"}})
			require.NoError(t, err)
			tun, err := h.srv.AddTunnel(TunnelSeed{VPNGatewayID: gw, RemoteSubnets: []string{"192.168.1.0/24", "192.168.3.0/24", "2001:db8::/48"}})
			require.NoError(t, err)
			_, err = h.srv.AddTunnel(TunnelSeed{VPNGatewayID: other, RemoteSubnets: []string{"172.16.0.0/12"}})
			require.NoError(t, err)

			tests := []struct{ subnet, want string }{
				{"10.1.0.0/16", "DUPLICATE"},        // equal
				{"10.0.0.0/8", "DUPLICATE"},         // contains it
				{"10.1.2.0/24", "DUPLICATE"},        // inside it
				{"10.1.255.255/32", "DUPLICATE"},    // its last address
				{"10.1.2.3/16", "DUPLICATE"},        // host bits: 10.1.0.0/16
				{"010.001.000.000/16", "DUPLICATE"}, // leading zeros
				{"192.168.3.128/25", "DUPLICATE"},   // the second subnet of a tunnel
				{"192.168.0.0/16", "DUPLICATE"},     // covers two of them
				{"0.0.0.0/0", "DUPLICATE"},          // everything
				{"2001:db8:0:1::/64", "DUPLICATE"},  // IPv6 too
				{"10.2.0.0/16", "AVAILABLE"},        // next to it
				{"10.0.255.0/24", "AVAILABLE"},      // just before it
				{"192.168.2.0/24", "AVAILABLE"},     // between two
				{"172.16.0.0/12", "AVAILABLE"},      // another gateway's
				{"::/0", "DUPLICATE"},               // every IPv6 address
				{"2001:db9::/48", "AVAILABLE"},
				{"10.1.0.0", "INVALID"}, // no prefix length
				{"10.1.0.0/33", "INVALID"},
				{"10.1.0.256/24", "INVALID"},
				{"0010.1.0.0/16", "INVALID"},
				{"10.1.0.0/16 ", "INVALID"},
				{"not a network", "INVALID"},
				{"fe80::/10%eth0", "INVALID"},
			}
			for _, tt := range tests {
				assert.Equal(t, tt.want, h.availability(version, gw, tt.subnet), tt.subnet)
			}

			// A tunnel being deleted still holds its subnets; once gone, or
			// forced to DELETED, it does not.
			require.Equal(t, http.StatusAccepted, h.do("DELETE", version, "/v1/vpn-tunnels/"+tun, nil).status)
			assert.Equal(t, "DUPLICATE", h.availability(version, gw, "192.168.1.0/24"))
			h.clock.Advance(time.Second)
			assert.Equal(t, "AVAILABLE", h.availability(version, gw, "192.168.1.0/24"))
			seeded, err := h.srv.AddTunnel(TunnelSeed{VPNGatewayID: gw, RemoteSubnets: []string{"192.168.1.0/24"}})
			require.NoError(t, err)
			assert.Equal(t, "DUPLICATE", h.availability(version, gw, "192.168.1.0/24"))
			require.NoError(t, h.srv.ForceState(seeded, "DELETED"))
			assert.Equal(t, "AVAILABLE", h.availability(version, gw, "192.168.1.0/24"))

			// A subnet taken through the API, with host bits, counts as
			// its network.
			b := tunnelBody(t, version, gw, "tun9")
			if version == v10 {
				b["phase2"].(map[string]any)["remote_subnet"] = "10.50.7.7/16"
			} else {
				b["phase2"].(map[string]any)["remote_subnets"] = []string{"10.50.7.7/16"}
			}
			require.Equal(t, http.StatusAccepted, h.do("POST", version, "/v1/vpn-tunnels", b).status)
			assert.Equal(t, "DUPLICATE", h.availability(version, gw, "10.50.0.0/24"))
		})
	}
}

func TestSubnetAvailabilityRefusals(t *testing.T) {
	h := newHarness(t, Options{})
	gw := h.createGateway("gw1")
	tests := []struct {
		query   string
		status  int
		details []string
	}{
		{"", 400, []string{"query.vpn_gateway_id: field required", "query.remote_subnet: field required"}},
		{"vpn_gateway_id=" + gw, 400, []string{"query.remote_subnet: field required"}},
		{"vpn_gateway_id=" + gw + "&remote_subnet=", 400, []string{"query.remote_subnet: field required"}},
		{"remote_subnet=10.1.0.0%2F16", 400, []string{"query.vpn_gateway_id: field required"}},
		// The parameters are checked before the gateway is looked up.
		{"vpn_gateway_id=0fdd87aab8cb46f59b7c1f81ed03fb3e", 400, []string{"query.remote_subnet: field required"}},
		{"vpn_gateway_id=0fdd87aab8cb46f59b7c1f81ed03fb3e&remote_subnet=10.1.0.0%2F16", 404, []string{`VPN gateway "0fdd87aab8cb46f59b7c1f81ed03fb3e" not found`}},
		// An unknown gateway is a 404 even for a subnet that is not one.
		{"vpn_gateway_id=0fdd87aab8cb46f59b7c1f81ed03fb3e&remote_subnet=x", 404, []string{"not found"}},
	}
	for _, version := range []string{v10, v11} {
		for _, tt := range tests {
			r := h.do("GET", version, "/v1/vpn-tunnels/vpn-tunnel-subnet-availabilities?"+tt.query, nil)
			require.Equal(t, tt.status, r.status, "%s: %s", tt.query, r.raw)
			require.Len(t, r.errorDetails(), len(tt.details), "%s", r.raw)
			for _, d := range tt.details {
				assertDetail(t, r, d)
			}
			if tt.status == 400 {
				// A list of ValidationErrorModel, as the documents declare.
				require.NotEmpty(t, r.list, "%s", r.raw)
				for _, v := range r.list {
					assert.Equal(t, "value_error.missing", v.Type)
				}
			} else {
				assert.Equal(t, codeNotFound, r.errorCode())
			}
		}
	}
}
