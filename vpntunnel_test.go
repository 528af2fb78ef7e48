package scpvpn_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// TunnelService (version 1.0) and TunnelServiceV1Dot1: each operation on
// the wire, Quota and CheckSubnet among them.

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
			rawQuery: "name=ExampleVpnTunnel1&size=20&sort=created_at%3Adesc&vpn_gateway_id=b156740b6335468d8354eb9ef8eddf5a&vpn_gateway_name=ExampleVpnGW1",
			status:   http.StatusOK, respBody: "tunnel_list_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				// Page 0, as the answer (the API reference's example) says.
				return c.V1Dot1.Tunnels.List(ctx, &scpvpn.TunnelListOptionsV1Dot1{
					Size: 20, Sort: "created_at:desc", Name: "ExampleVpnTunnel1",
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

// tunnelChecks are the calls that tell about tunnels before one is made,
// the same in both versions.
type tunnelChecks interface {
	Quota(ctx context.Context, opts *scpvpn.TunnelQuotaOptions, o ...scpvpn.CallOption) (*scpvpn.TunnelQuota, error)
	CheckSubnet(ctx context.Context, gatewayID, remoteSubnet string, o ...scpvpn.CallOption) (*scpvpn.SubnetAvailability, error)
}

// tunnelChecksOf returns the tunnel service of a version: "v1.0" or "v1.1".
func tunnelChecksOf(c *scpvpn.Client, version string) tunnelChecks {
	if version == "v1.0" {
		return c.V1Dot0.Tunnels
	}
	return c.V1Dot1.Tunnels
}

// tunnelCheckOperations are Quota and CheckSubnet in both versions,
// answered with the OpenAPI's examples, whose integers are quoted.
func tunnelCheckOperations() []operation {
	const exampleGateway = "b156740b6335468d8354eb9ef8eddf5a"
	var ops []operation
	for _, version := range []string{"v1.0", "v1.1"} {
		for _, tt := range []struct {
			name     string
			opts     *scpvpn.TunnelQuotaOptions
			rawQuery string
		}{
			{"tunnel quota, nil options", nil, ""},
			{"tunnel quota, no gateway", &scpvpn.TunnelQuotaOptions{}, ""},
			{"tunnel quota of a gateway", &scpvpn.TunnelQuotaOptions{VPNGatewayID: exampleGateway}, "vpn_gateway_id=" + exampleGateway},
		} {
			ops = append(ops, operation{
				name: tt.name, version: version, method: http.MethodGet, path: "/v1/vpn-tunnels/metrics/quotas", rawQuery: tt.rawQuery,
				status: http.StatusOK, respBody: "tunnel_quota_response",
				call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
					return tunnelChecksOf(c, version).Quota(ctx, tt.opts)
				},
				want: &scpvpn.TunnelQuota{Max: 5, Used: 2},
			})
		}
		ops = append(ops, operation{
			name: "tunnel subnet check", version: version, method: http.MethodGet, path: "/v1/vpn-tunnels/vpn-tunnel-subnet-availabilities",
			rawQuery: "remote_subnet=10.1.0.0%2F16&vpn_gateway_id=" + exampleGateway,
			status:   http.StatusOK, respBody: "tunnel_subnet_availability_response",
			call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
				return tunnelChecksOf(c, version).CheckSubnet(ctx, exampleGateway, "10.1.0.0/16")
			},
			want: &scpvpn.SubnetAvailability{VPNGatewayID: exampleGateway, RemoteSubnet: "10.1.0.0/16", Availability: scpvpn.SubnetAvailable},
		})
	}
	return ops
}

func TestTunnelQuotaAndSubnetCheck(t *testing.T) {
	t.Parallel()
	testOperations(t, tunnelCheckOperations())
}

// TestCheckSubnetRefusesMissingArguments: without a gateway or a subnet
// there is nothing to ask, and nothing is sent. A subnet that is not a CIDR
// is the service's to judge (INVALID), so it is sent.
func TestCheckSubnetRefusesMissingArguments(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"v1.0", "v1.1"} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock)
			var rec recorder
			mock.RegisterNoResponder(rec.respond(http.StatusOK, `{"vpn_tunnel_subnet_availability":{"vpn_gateway_id":"g1","remote_subnet":"not a subnet","availability":"INVALID"}}`))
			s := tunnelChecksOf(c, version)
			for _, tt := range []struct{ gateway, subnet, field string }{
				{"", "10.1.0.0/16", "vpn_gateway_id"},
				{"g1", "", "remote_subnet"},
				{"", "", "vpn_gateway_id"},
			} {
				got, err := s.CheckSubnet(context.Background(), tt.gateway, tt.subnet)
				assert.Nil(t, got)
				var vErr *scpvpn.ValidationError
				require.True(t, errors.As(err, &vErr), "%q %q: %v", tt.gateway, tt.subnet, err)
				assert.Equal(t, tt.field, vErr.Fields[0].Field)
			}
			assert.Empty(t, rec.all(), "nothing is sent")

			got, err := s.CheckSubnet(context.Background(), "g1", "not a subnet")
			require.NoError(t, err)
			assert.Equal(t, scpvpn.SubnetInvalid, got.Availability)
			assert.Equal(t, "remote_subnet=not+a+subnet&vpn_gateway_id=g1", rec.only(t).Request.URL.RawQuery)
		})
	}
}

// TestCheckSubnetNeedsItsAnswer: a 200 without the availability is an
// error, not a zero answer that reads as neither yes nor no.
func TestCheckSubnetNeedsItsAnswer(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{}`, `{"vpn_tunnel_subnet_availability":null}`} {
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock)
		mock.RegisterNoResponder(httpmock.NewStringResponder(http.StatusOK, body))
		got, err := c.V1Dot1.Tunnels.CheckSubnet(context.Background(), "g1", "10.1.0.0/16")
		assert.Nil(t, got)
		require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer, body)
		assert.Contains(t, err.Error(), "no vpn_tunnel_subnet_availability")
	}
}

// An availability the API does not give (empty, unknown, in another case)
// or an answer without the fields its schema requires is an error, not an
// answer that reads as neither yes nor no. The value is not repeated.
func TestCheckSubnetRefusesAnswersTheAPIDoesNotGive(t *testing.T) {
	t.Parallel()
	for body, problem := range map[string]string{
		`{"vpn_gateway_id":"g1","remote_subnet":"10.1.0.0/16","availability":""}`:          "has no availability",
		`{"vpn_gateway_id":"g1","remote_subnet":"10.1.0.0/16","availability":null}`:        "has no availability",
		`{"vpn_gateway_id":"g1","remote_subnet":"10.1.0.0/16"}`:                            "has no availability",
		`{"vpn_gateway_id":"g1","remote_subnet":"10.1.0.0/16","availability":"MAYBE"}`:     "none of AVAILABLE, DUPLICATE and INVALID",
		`{"vpn_gateway_id":"g1","remote_subnet":"10.1.0.0/16","availability":"available"}`: "none of AVAILABLE, DUPLICATE and INVALID",
		`{"remote_subnet":"10.1.0.0/16","availability":"AVAILABLE"}`:                       "has no vpn_gateway_id",
		`{"vpn_gateway_id":"g1","availability":"AVAILABLE"}`:                               "has no remote_subnet",
	} {
		for _, version := range []string{"v1.0", "v1.1"} {
			t.Run(version+" "+body, func(t *testing.T) {
				t.Parallel()
				mock := httpmock.NewMockTransport()
				c := newClient(t, mock)
				var rec recorder
				mock.RegisterNoResponder(rec.respond(http.StatusOK, `{"vpn_tunnel_subnet_availability":`+body+`}`))
				got, err := tunnelChecksOf(c, version).CheckSubnet(context.Background(), "g1", "10.1.0.0/16")
				assert.Nil(t, got)
				require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
				assert.Contains(t, err.Error(), problem)
				assert.NotContains(t, err.Error(), "MAYBE")
				rec.only(t)
			})
		}
	}
}

// A quota the API does not give (no counts, null, a count missing or
// negative) is an error, not a quota of 0 that reads as "reached".
func TestTunnelQuotaRefusesAnswersTheAPIDoesNotGive(t *testing.T) {
	t.Parallel()
	for body, problem := range map[string]string{
		`{}`:                          "vpn_tunnel_max_quota is missing",
		`null`:                        "the answer is null",
		`{"vpn_tunnel_max_quota": 5}`: "vpn_tunnel_used_quota is missing",
		`{"vpn_tunnel_max_quota": 5, "vpn_tunnel_used_quota": null}`: "vpn_tunnel_used_quota is missing",
		`{"vpn_tunnel_max_quota": -1, "vpn_tunnel_used_quota": 0}`:   "vpn_tunnel_max_quota is negative",
		`{"vpn_tunnel_max_quota": 5, "vpn_tunnel_used_quota": "-2"}`: "vpn_tunnel_used_quota is negative",
		`<html>quota</html>`: "could not be decoded",
	} {
		for _, version := range []string{"v1.0", "v1.1"} {
			t.Run(version+" "+body, func(t *testing.T) {
				t.Parallel()
				mock := httpmock.NewMockTransport()
				c := newClient(t, mock)
				var rec recorder
				mock.RegisterNoResponder(rec.respond(http.StatusOK, body))
				got, err := tunnelChecksOf(c, version).Quota(context.Background(), nil)
				assert.Nil(t, got)
				require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
				assert.Contains(t, err.Error(), problem)
				rec.only(t)
			})
		}
	}
}

// A tunnel Set with nothing to change (no description, phases nil or
// holding only zero values and empty lists, which are not sent) is refused
// before sending, as the gateway's is: it would only make the tunnel
// EDITING for nothing. A description set to "" is a change.
func TestEmptyTunnelSetIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	empty10 := map[string]*scpvpn.TunnelSetRequest{
		"nothing":        {},
		"empty phases":   {Phase1: &scpvpn.TunnelPhase1SetRequest{}, Phase2: &scpvpn.TunnelPhase2SetRequest{}},
		"an empty phase": {Phase2: &scpvpn.TunnelPhase2SetRequest{DiffieHellmanGroups: []int{}, Encryptions: []string{}}},
	}
	empty11 := map[string]*scpvpn.TunnelSetRequestV1Dot1{
		"nothing":      {},
		"empty phases": {Phase1: &scpvpn.TunnelPhase1SetRequest{DiffieHellmanGroups: []int{}}, Phase2: &scpvpn.TunnelPhase2SetRequestV1Dot1{}},
		"empty lists":  {Phase2: &scpvpn.TunnelPhase2SetRequestV1Dot1{RemoteSubnets: []string{}, Encryptions: []string{}}},
	}
	mock := anyCallMock()
	c := newClient(t, mock)
	check := func(name string, err error) {
		t.Helper()
		var vErr *scpvpn.ValidationError
		require.ErrorAs(t, err, &vErr, name)
		require.Len(t, vErr.Fields, 1, name)
		assert.Equal(t, "request", vErr.Fields[0].Field, name)
		assert.Contains(t, err.Error(), "nothing to change", name)
	}
	for name, req := range empty10 {
		_, err := c.V1Dot0.Tunnels.Set(ctx, tunnelID, req)
		check("v1.0 "+name, err)
	}
	for name, req := range empty11 {
		_, err := c.V1Dot1.Tunnels.Set(ctx, tunnelID, req)
		check("v1.1 "+name, err)
	}
	assert.Zero(t, mock.GetTotalCallCount(), "nothing was sent")

	var rec recorder
	mock.RegisterResponder(http.MethodPut, testEndpoint+"/v1/vpn-tunnels/"+tunnelID, rec.respond(http.StatusAccepted, fixture(t, "v1.1", "tunnel_set_response")))
	_, err := c.V1Dot1.Tunnels.Set(ctx, tunnelID, &scpvpn.TunnelSetRequestV1Dot1{Description: scpvpn.Ptr(""), Phase1: &scpvpn.TunnelPhase1SetRequest{}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"description": "", "phase1": {}}`, string(rec.only(t).Body), "clearing the description is a change")
	_, err = c.V1Dot0.Tunnels.Set(ctx, tunnelID, &scpvpn.TunnelSetRequest{Phase2: &scpvpn.TunnelPhase2SetRequest{LifeTime: 3600}})
	require.NoError(t, err)
	assert.Len(t, rec.all(), 2)
}
