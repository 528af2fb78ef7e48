package scpvpn_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/sigverify"
)

// The twenty operations of the API (ten endpoints in two versions), each
// checked on the wire against the API reference's example: method, path,
// query, every SCP header, a signature verified independently of the SDK's
// signer, the JSON body, and every field of the decoded answer.

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
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock)
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
