package scpvpn_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/sigverify"
)

// The twenty operations of the API (ten endpoints in two versions), each
// checked on the wire against the API reference's example: method, path,
// query, every SCP header, a signature verified independently of the SDK's
// signer, the JSON body, and every field of the decoded answer.

const (
	gatewayID = "0fdd87aab8cb46f59b7c1f81ed03fb3e"
	tunnelID  = "0fdd87aab8cb46f59b7c1f81ed03fb3e"
)

var exampleTime = time.Date(2024, 5, 17, 0, 23, 17, 0, time.UTC)

func wantGateway() *scpvpn.Gateway {
	return &scpvpn.Gateway{
		AccountID:   "0e3dffc50eb247a1adf4f2e5c82c4f99",
		CreatedAt:   exampleTime,
		CreatedBy:   "90dddfc2b1e04edba54ba2b41539a9ac",
		Description: "Example Description for VPN Gateway",
		ID:          "0fdd87aab8cb46f59b7c1f81ed03fb3e",
		IPAddress:   "123.0.0.1",
		IPID:        "fcde872f75c145a0893d656cc698f13e",
		IPType:      scpvpn.IPTypePublic,
		ModifiedAt:  exampleTime,
		ModifiedBy:  "90dddfc2b1e04edba54ba2b41539a9ac",
		Name:        "ExampleVpnGW1",
		State:       scpvpn.StateActive,
		VPCID:       "ceb44ea5ecb34a49b16495f9a63b0718",
		VPCName:     "ExampleVPC1",
	}
}

func wantGatewayList() *scpvpn.GatewayList {
	return &scpvpn.GatewayList{Count: 20, Page: 0, Size: 20, Sort: []string{"created_at:asc"}, Gateways: []scpvpn.Gateway{*wantGateway()}}
}

// wantPhase1 is phase 1 as Create, Get and Set report it; list says less.
func wantPhase1(full bool) scpvpn.TunnelPhase1 {
	p := scpvpn.TunnelPhase1{DPDRetryInterval: 60, IKEVersion: 2, LifeTime: 86400, PeerGatewayIP: "123.0.0.2"}
	if full {
		p.DiffieHellmanGroups = []int{30, 31, 32}
		p.Encryptions = []string{"des-md5", "chacha20poly1305-prfsha256"}
	}
	return p
}

func wantTunnel(full bool, status scpvpn.TunnelStatus) *scpvpn.Tunnel {
	t := &scpvpn.Tunnel{
		AccountID:   "0e3dffc50eb247a1adf4f2e5c82c4f99",
		CreatedAt:   exampleTime,
		CreatedBy:   "90dddfc2b1e04edba54ba2b41539a9ac",
		Description: "Example Description for VPN Tunnel",
		ID:          "0fdd87aab8cb46f59b7c1f81ed03fb3e",
		ModifiedAt:  exampleTime,
		ModifiedBy:  "90dddfc2b1e04edba54ba2b41539a9ac",
		Name:        "ExampleVpnTunnel1",
		Phase1:      wantPhase1(full),
		Phase2: scpvpn.TunnelPhase2{
			LifeTime: 43200, PerfectForwardSecrecy: scpvpn.PFSEnable, RemoteSubnet: "10.1.0.0/16",
		},
		State:               scpvpn.StateActive,
		Status:              status,
		VPCID:               "ceb44ea5ecb34a49b16495f9a63b0718",
		VPCName:             "ExampleVPC1",
		VPNGatewayID:        "b156740b6335468d8354eb9ef8eddf5a",
		VPNGatewayIPAddress: "123.0.0.1",
		VPNGatewayName:      "ExampleVpnGW1",
	}
	if full {
		t.Phase2.DiffieHellmanGroups = []int{30, 31, 32}
		t.Phase2.Encryptions = []string{"null-md5", "aes128gcm", "chacha20poly1305"}
	}
	return t
}

func wantTunnelV1Dot1(full bool, status scpvpn.TunnelStatus) *scpvpn.TunnelV1Dot1 {
	t := &scpvpn.TunnelV1Dot1{
		AccountID:   "0e3dffc50eb247a1adf4f2e5c82c4f99",
		CreatedAt:   exampleTime,
		CreatedBy:   "90dddfc2b1e04edba54ba2b41539a9ac",
		Description: "Example Description for VPN Tunnel",
		ID:          "0fdd87aab8cb46f59b7c1f81ed03fb3e",
		ModifiedAt:  exampleTime,
		ModifiedBy:  "90dddfc2b1e04edba54ba2b41539a9ac",
		Name:        "ExampleVpnTunnel1",
		Phase1:      wantPhase1(full),
		Phase2: scpvpn.TunnelPhase2V1Dot1{
			LifeTime: 43200, PerfectForwardSecrecy: scpvpn.PFSEnable,
			RemoteSubnets: []string{"10.1.1.0/24", "10.1.2.0/24", "10.1.3.0/24"},
		},
		State:               scpvpn.StateActive,
		Status:              status,
		VPCID:               "ceb44ea5ecb34a49b16495f9a63b0718",
		VPCName:             "ExampleVPC1",
		VPNGatewayID:        "b156740b6335468d8354eb9ef8eddf5a",
		VPNGatewayIPAddress: "123.0.0.1",
		VPNGatewayName:      "ExampleVpnGW1",
	}
	if full {
		t.Phase2.DiffieHellmanGroups = []int{30, 31, 32}
		t.Phase2.Encryptions = []string{"null-md5", "aes128gcm", "chacha20poly1305"}
	}
	return t
}

// The reference's example requests, as a user would write them.

func gatewayCreateRequest() *scpvpn.GatewayCreateRequest {
	return &scpvpn.GatewayCreateRequest{
		Description: "Example Description for VPN Gateway",
		IPAddress:   "123.0.0.1",
		IPID:        "fcde872f75c145a0893d656cc698f13e",
		IPType:      scpvpn.IPTypePublic,
		Name:        "ExampleVpnGW1",
		VPCID:       "ceb44ea5ecb34a49b16495f9a63b0718",
	}
}

func phase1CreateRequest() scpvpn.TunnelPhase1CreateRequest {
	return scpvpn.TunnelPhase1CreateRequest{
		DPDRetryInterval:    60,
		IKEVersion:          2,
		PeerGatewayIP:       "123.0.0.2",
		DiffieHellmanGroups: []int{30, 31, 32},
		Encryptions:         []string{"des-md5", "chacha20poly1305-prfsha256"},
		LifeTime:            86400,
		PreSharedKey:        "PreSharedKey1",
	}
}

func tunnelCreateRequest() *scpvpn.TunnelCreateRequest {
	return &scpvpn.TunnelCreateRequest{
		Description: "Example Description for VPN Tunnel",
		Name:        "ExampleVpnTunnel1",
		Phase1:      phase1CreateRequest(),
		Phase2: scpvpn.TunnelPhase2CreateRequest{
			PerfectForwardSecrecy: scpvpn.PFSEnable,
			DiffieHellmanGroups:   []int{30, 31, 32},
			Encryptions:           []string{"null-md5", "aes128gcm", "chacha20poly1305"},
			LifeTime:              43200,
			RemoteSubnet:          "10.1.0.0/16",
		},
		Tags:         []scpvpn.Tag{},
		VPNGatewayID: "b156740b6335468d8354eb9ef8eddf5a",
	}
}

func tunnelCreateRequestV1Dot1() *scpvpn.TunnelCreateRequestV1Dot1 {
	return &scpvpn.TunnelCreateRequestV1Dot1{
		Description: "Example Description for VPN Tunnel",
		Name:        "ExampleVpnTunnel1",
		Phase1:      phase1CreateRequest(),
		Phase2: scpvpn.TunnelPhase2CreateRequestV1Dot1{
			PerfectForwardSecrecy: scpvpn.PFSEnable,
			DiffieHellmanGroups:   []int{30, 31, 32},
			Encryptions:           []string{"null-md5", "aes128gcm", "chacha20poly1305"},
			LifeTime:              43200,
			RemoteSubnets:         []string{"10.1.1.0/24", "10.1.2.0/24", "10.1.3.0/24"},
		},
		VPNGatewayID: "b156740b6335468d8354eb9ef8eddf5a",
	}
}

func phase1SetRequest() *scpvpn.TunnelPhase1SetRequest {
	p := phase1CreateRequest()
	return &scpvpn.TunnelPhase1SetRequest{
		DPDRetryInterval: p.DPDRetryInterval, IKEVersion: p.IKEVersion, PeerGatewayIP: p.PeerGatewayIP,
		DiffieHellmanGroups: p.DiffieHellmanGroups, Encryptions: p.Encryptions, LifeTime: p.LifeTime,
		PreSharedKey: p.PreSharedKey,
	}
}

func ptr[T any](v T) *T { return &v }

// operation is one row of the table: how to call it, what must go on the
// wire, and what must come back.
type operation struct {
	name      string
	version   string // testdata folder and Scp-Api-Version suffix: "v1.0" or "v1.1"
	method    string
	path      string
	rawQuery  string
	reqBody   string // fixture name of the request body, "" for none
	status    int
	respBody  string // fixture name of the answer, "" for none
	call      func(context.Context, *scpvpn.Client) (any, error)
	want      any
	wantNoErr bool // for Delete: no value, just no error
}

func operations() []operation {
	gatewayListOpts := func() *scpvpn.GatewayListOptions {
		return &scpvpn.GatewayListOptions{
			Size: 20, Sort: "created_at:desc", Name: "ExampleVpnGW1", IPAddress: "123.0.0.1",
			VPCID: "ceb44ea5ecb34a49b16495f9a63b0718", VPCName: "ExampleVPC1",
		}
	}
	const gatewayListQuery = "ip_address=123.0.0.1&name=ExampleVpnGW1&size=20&sort=created_at%3Adesc&vpc_id=ceb44ea5ecb34a49b16495f9a63b0718&vpc_name=ExampleVPC1"
	return []operation{
		// Version 1.1.
		{
			name: "gateway create", version: "v1.1", method: http.MethodPost, path: "/v1/vpn-gateways",
			reqBody: "gateway_create_request", status: http.StatusAccepted, respBody: "gateway_create_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
			},
			want: wantGateway(),
		},
		{
			name: "gateway get", version: "v1.1", method: http.MethodGet, path: "/v1/vpn-gateways/" + gatewayID,
			status: http.StatusOK, respBody: "gateway_get_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot1.Gateways.Get(ctx, gatewayID)
			},
			want: wantGateway(),
		},
		{
			name: "gateway list", version: "v1.1", method: http.MethodGet, path: "/v1/vpn-gateways", rawQuery: gatewayListQuery,
			status: http.StatusOK, respBody: "gateway_list_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot1.Gateways.List(ctx, gatewayListOpts())
			},
			want: wantGatewayList(),
		},
		{
			name: "gateway set", version: "v1.1", method: http.MethodPut, path: "/v1/vpn-gateways/" + gatewayID,
			reqBody: "gateway_set_request", status: http.StatusOK, respBody: "gateway_set_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot1.Gateways.Set(ctx, gatewayID, &scpvpn.GatewaySetRequest{Description: ptr("Example Description for VPN Gateway")})
			},
			want: wantGateway(),
		},
		{
			name: "gateway delete", version: "v1.1", method: http.MethodDelete, path: "/v1/vpn-gateways/" + gatewayID,
			status: http.StatusAccepted,
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return nil, c.V1Dot1.Gateways.Delete(ctx, gatewayID)
			},
			wantNoErr: true,
		},
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
			name: "gateway create", version: "v1.0", method: http.MethodPost, path: "/v1/vpn-gateways",
			reqBody: "gateway_create_request", status: http.StatusAccepted, respBody: "gateway_create_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot0.Gateways.Create(ctx, gatewayCreateRequest())
			},
			want: wantGateway(),
		},
		{
			name: "gateway get", version: "v1.0", method: http.MethodGet, path: "/v1/vpn-gateways/" + gatewayID,
			status: http.StatusOK, respBody: "gateway_get_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot0.Gateways.Get(ctx, gatewayID)
			},
			want: wantGateway(),
		},
		{
			name: "gateway list", version: "v1.0", method: http.MethodGet, path: "/v1/vpn-gateways", rawQuery: gatewayListQuery,
			status: http.StatusOK, respBody: "gateway_list_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot0.Gateways.List(ctx, gatewayListOpts())
			},
			want: wantGatewayList(),
		},
		{
			name: "gateway set", version: "v1.0", method: http.MethodPut, path: "/v1/vpn-gateways/" + gatewayID,
			reqBody: "gateway_set_request", status: http.StatusOK, respBody: "gateway_set_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return c.V1Dot0.Gateways.Set(ctx, gatewayID, &scpvpn.GatewaySetRequest{Description: ptr("Example Description for VPN Gateway")})
			},
			want: wantGateway(),
		},
		{
			name: "gateway delete", version: "v1.0", method: http.MethodDelete, path: "/v1/vpn-gateways/" + gatewayID,
			status: http.StatusAccepted,
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return nil, c.V1Dot0.Gateways.Delete(ctx, gatewayID)
			},
			wantNoErr: true,
		},
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

func TestOperations(t *testing.T) {
	t.Parallel()
	ops := operations()
	require.Len(t, ops, 20, "ten endpoints in two versions")
	for _, op := range ops {
		t.Run(op.version+" "+op.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			var rec recorder
			answer := ""
			if op.respBody != "" {
				answer = fixture(t, op.version, op.respBody)
			}
			mock.RegisterResponder(op.method, testEndpoint+op.path, rec.respond(op.status, answer))

			before := time.Now()
			got, err := op.call(context.Background(), c)
			require.NoError(t, err)
			if op.wantNoErr {
				assert.Nil(t, got)
			} else {
				assert.Equal(t, op.want, got)
			}

			sent := rec.only(t)
			req := sent.Request
			assert.Equal(t, op.method, req.Method)
			assert.Equal(t, op.path, req.URL.EscapedPath())
			assert.Equal(t, op.rawQuery, req.URL.RawQuery)
			assertSCPHeaders(t, req, "vpn "+strings.TrimPrefix(op.version, "v"), before)
			if op.reqBody != "" {
				assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
				assert.JSONEq(t, fixture(t, op.version, op.reqBody), string(sent.Body))
			} else {
				assert.Empty(t, sent.Body)
			}
		})
	}
}

// assertSCPHeaders checks every header SCP expects and verifies the
// signature with the independent implementation in internal/sigverify.
func assertSCPHeaders(t *testing.T, req *http.Request, version string, before time.Time) {
	t.Helper()
	assert.Equal(t, version, req.Header.Get("Scp-Api-Version"))
	assert.Equal(t, testAccessKey, req.Header.Get("Scp-Accesskey"))
	assert.Equal(t, "Openapi", req.Header.Get("Scp-ClientType"))
	assert.Empty(t, req.Header.Values("Scp-AccountId"), "no account id was configured")
	assert.Equal(t, "en-US", req.Header.Get("Accept-Language"))
	assert.Equal(t, "application/json", req.Header.Get("Accept"))
	assert.Regexp(t, `^scpvpn-go/\d+\.\d+\.\d+ go/go\S+$`, req.Header.Get("User-Agent"))

	ts, err := strconv.ParseInt(req.Header.Get("Scp-Timestamp"), 10, 64)
	require.NoError(t, err, "Scp-Timestamp is milliseconds since the epoch")
	assert.GreaterOrEqual(t, ts, before.UnixMilli())
	assert.LessOrEqual(t, ts, time.Now().UnixMilli())

	assert.NoError(t, sigverify.Verify(req, testSecretKey), "signature verifies")
	assert.Error(t, sigverify.Verify(req, "another secret"), "a signature that any key verifies proves nothing")
}
