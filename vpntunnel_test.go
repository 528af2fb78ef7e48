package scpvpn_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// TunnelService (version 1.0) and TunnelServiceV1Dot1: each operation on
// the wire.

// tunnelOperations are the five tunnel endpoints in both versions, with
// the reference's examples.
func tunnelOperations() []operation {
	return []operation{
		// Version 1.1.
		{
			name: "tunnel create", version: "v1.1", method: http.MethodPost, path: "/v1/vpn-tunnels",
			reqBody: "tunnel_create_request", status: http.StatusAccepted, respBody: "tunnel_create_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot1.Tunnels.Create(ctx, tunnelCreateRequestV1Dot1())
			},
			want: wantTunnelV1Dot1(true, ""),
		},
		{
			name: "tunnel get", version: "v1.1", method: http.MethodGet, path: "/v1/vpn-tunnels/" + tunnelID,
			status: http.StatusOK, respBody: "tunnel_get_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot1.Tunnels.Get(ctx, tunnelID)
			},
			want: wantTunnelV1Dot1(true, scpvpn.TunnelStatusUp),
		},
		{
			name: "tunnel list", version: "v1.1", method: http.MethodGet, path: "/v1/vpn-tunnels",
			rawQuery: "name=ExampleVpnTunnel1&page=2&size=20&sort=created_at%3Adesc&vpn_gateway_id=b156740b6335468d8354eb9ef8eddf5a&vpn_gateway_name=ExampleVpnGW1",
			status:   http.StatusOK, respBody: "tunnel_list_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot1.Tunnels.List(ctx, &scpvpn.TunnelListOptionsV1Dot1{
					Page: 2, Size: 20, Sort: "created_at:desc", Name: "ExampleVpnTunnel1",
					VPNGatewayID: "b156740b6335468d8354eb9ef8eddf5a", VPNGatewayName: "ExampleVpnGW1",
				})
			},
			want: &scpvpn.TunnelListV1Dot1{Count: 20, Page: 0, Size: 20, Sort: []string{"created_at:asc"}, Tunnels: []scpvpn.TunnelV1Dot1{*wantTunnelV1Dot1(false, "")}},
		},
		{
			name: "tunnel set", version: "v1.1", method: http.MethodPut, path: "/v1/vpn-tunnels/" + tunnelID,
			reqBody: "tunnel_set_request", status: http.StatusAccepted, respBody: "tunnel_set_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot1.Tunnels.Set(ctx, tunnelID, &scpvpn.TunnelSetRequestV1Dot1{
					Description: ptr("Example Description for VPN Tunnel"),
					Phase1:      phase1SetRequest(),
					Phase2: &scpvpn.TunnelPhase2SetRequestV1Dot1{
						PerfectForwardSecrecy: scpvpn.PFSEnable,
						DiffieHellmanGroups:   []int{30, 31, 32},
						Encryptions:           []string{"null-md5", "aes128gcm", "chacha20poly1305"},
						LifeTime:              43200,
						RemoteSubnets:         []string{"10.1.1.0/24", "10.1.2.0/24", "10.1.3.0/24"},
					},
				})
			},
			want: wantTunnelV1Dot1(true, ""),
		},
		{
			name: "tunnel delete", version: "v1.1", method: http.MethodDelete, path: "/v1/vpn-tunnels/" + tunnelID,
			status: http.StatusAccepted,
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return nil, c.V1Dot1.Tunnels.Delete(ctx, tunnelID)
			},
			wantNoErr: true,
		},

		// Version 1.0.
		{
			name: "tunnel create", version: "v1.0", method: http.MethodPost, path: "/v1/vpn-tunnels",
			reqBody: "tunnel_create_request", status: http.StatusAccepted, respBody: "tunnel_create_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot0.Tunnels.Create(ctx, tunnelCreateRequest())
			},
			want: wantTunnel(true, ""),
		},
		{
			name: "tunnel get", version: "v1.0", method: http.MethodGet, path: "/v1/vpn-tunnels/" + tunnelID,
			status: http.StatusOK, respBody: "tunnel_get_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot0.Tunnels.Get(ctx, tunnelID)
			},
			want: wantTunnel(true, scpvpn.TunnelStatusUp),
		},
		{
			name: "tunnel list", version: "v1.0", method: http.MethodGet, path: "/v1/vpn-tunnels",
			rawQuery: "name=ExampleVpnTunnel1&peer_gateway_ip=123.0.0.2&remote_subnet=10.1.0.0%2F16&size=5&sort=name%3Aasc&vpn_gateway_id=b156740b6335468d8354eb9ef8eddf5a&vpn_gateway_name=ExampleVpnGW1",
			status:   http.StatusOK, respBody: "tunnel_list_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot0.Tunnels.List(ctx, &scpvpn.TunnelListOptions{
					Size: 5, Sort: "name:asc", Name: "ExampleVpnTunnel1",
					VPNGatewayID: "b156740b6335468d8354eb9ef8eddf5a", VPNGatewayName: "ExampleVpnGW1",
					PeerGatewayIP: "123.0.0.2", RemoteSubnet: "10.1.0.0/16",
				})
			},
			want: &scpvpn.TunnelList{Count: 20, Page: 0, Size: 20, Sort: []string{"created_at:asc"}, Tunnels: []scpvpn.Tunnel{*wantTunnel(false, "")}},
		},
		{
			name: "tunnel set", version: "v1.0", method: http.MethodPut, path: "/v1/vpn-tunnels/" + tunnelID,
			reqBody: "tunnel_set_request", status: http.StatusAccepted, respBody: "tunnel_set_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot0.Tunnels.Set(ctx, tunnelID, &scpvpn.TunnelSetRequest{
					Description: ptr("Example Description for VPN Tunnel"),
					Phase1:      phase1SetRequest(),
					Phase2: &scpvpn.TunnelPhase2SetRequest{
						PerfectForwardSecrecy: scpvpn.PFSEnable,
						DiffieHellmanGroups:   []int{30, 31, 32},
						Encryptions:           []string{"null-md5", "aes128gcm", "chacha20poly1305"},
						LifeTime:              43200,
						RemoteSubnet:          "10.1.0.0/16",
					},
				})
			},
			want: wantTunnel(true, ""),
		},
		{
			name: "tunnel delete", version: "v1.0", method: http.MethodDelete, path: "/v1/vpn-tunnels/" + tunnelID,
			status: http.StatusAccepted,
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return nil, c.V1Dot0.Tunnels.Delete(ctx, tunnelID)
			},
			wantNoErr: true,
		},
	}
}

func TestTunnelOperations(t *testing.T) {
	t.Parallel()
	ops := tunnelOperations()
	require.Len(t, ops, 10, "five endpoints in two versions")
	testOperations(t, ops)
}
