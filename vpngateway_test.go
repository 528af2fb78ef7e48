package scpvpn_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/sigverify"
)

// GatewayService in both versions: each operation on the wire, and any list
// filter kept in the query.

// gatewayOperations are the five gateway endpoints in both versions, with
// the reference's examples.
func gatewayOperations() []operation {
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
	}
}

func TestGatewayOperations(t *testing.T) {
	t.Parallel()
	ops := gatewayOperations()
	require.Len(t, ops, 10, "five endpoints in two versions")
	testOperations(t, ops)
}

// gatewayQuotaOperations are Quota in both versions, for the account and
// for a VPC, answered with the OpenAPI's example, whose integers are quoted.
func gatewayQuotaOperations() []operation {
	var ops []operation
	for _, version := range []string{"v1.0", "v1.1"} {
		service := func(c *scpvpn.Client) *scpvpn.GatewayService {
			if version == "v1.0" {
				return c.V1Dot0.Gateways
			}
			return c.V1Dot1.Gateways
		}
		for _, tt := range []struct {
			name     string
			opts     *scpvpn.GatewayQuotaOptions
			rawQuery string
		}{
			{"gateway quota, nil options", nil, ""},
			{"gateway quota, no VPC", &scpvpn.GatewayQuotaOptions{}, ""},
			{"gateway quota of a VPC", &scpvpn.GatewayQuotaOptions{VPCID: "ceb44ea5ecb34a49b16495f9a63b0718"}, "vpc_id=ceb44ea5ecb34a49b16495f9a63b0718"},
		} {
			ops = append(ops, operation{
				name: tt.name, version: version, method: http.MethodGet, path: "/v1/vpn-gateways/metrics/quotas", rawQuery: tt.rawQuery,
				status: http.StatusOK, respBody: "gateway_quota_response",
				call: func(ctx context.Context, c *scpvpn.Client) (any, error) {
					return service(c).Quota(ctx, tt.opts)
				},
				want: &scpvpn.GatewayQuota{Max: 3, Used: 1},
			})
		}
	}
	return ops
}

// A quota the API does not give (no counts, null, a count missing or
// negative) is an error, not a quota of 0 that reads as "reached".
func TestGatewayQuotaRefusesAnswersTheAPIDoesNotGive(t *testing.T) {
	t.Parallel()
	for body, problem := range map[string]string{
		`{}`:                            "vpn_gateway_max_quota is missing",
		`null`:                          "the answer is null",
		`{"vpn_gateway_used_quota": 1}`: "vpn_gateway_max_quota is missing",
		`{"vpn_gateway_max_quota": 3, "vpn_gateway_used_quota": -1}`:   "vpn_gateway_used_quota is negative",
		`{"vpn_gateway_max_quota": "-3", "vpn_gateway_used_quota": 1}`: "vpn_gateway_max_quota is negative",
	} {
		for _, c := range []func(*scpvpn.Client) *scpvpn.GatewayService{
			func(c *scpvpn.Client) *scpvpn.GatewayService { return c.V1Dot0.Gateways },
			func(c *scpvpn.Client) *scpvpn.GatewayService { return c.V1Dot1.Gateways },
		} {
			mock := httpmock.NewMockTransport()
			var rec recorder
			mock.RegisterNoResponder(rec.respond(http.StatusOK, body))
			got, err := c(newClient(t, mock)).Quota(context.Background(), nil)
			assert.Nil(t, got, body)
			require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer, body)
			assert.Contains(t, err.Error(), problem)
			rec.only(t)
		}
	}
}

func TestGatewayQuota(t *testing.T) {
	t.Parallel()
	testOperations(t, gatewayQuotaOperations())
}

// FuzzListQuery: any filter values go into the query, never into the path,
// and come back unchanged through url.ParseQuery; what is signed is what is
// sent.
func FuzzListQuery(f *testing.F) {
	f.Add(0, 20, "created_at:desc", "ExampleVpnGW1", "123.0.0.1", "vpc&id=1", "10.1.0.0/16")
	f.Add(-1, 0, "", "", "", "", "")
	f.Add(3, 5, "name:asc?x=1#y", "a/../../b", "%zz", "+ +", "\xff")
	f.Add(1<<31, -1<<31, "/v1/vpn-tunnels", "a\x00b", ";", "=", "&&")
	f.Fuzz(func(t *testing.T, page, size int, sort, name, ip, vpc, subnet string) {
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock, scpvpn.WithoutRetries())
		var rec recorder
		mock.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
			// An empty page, the one asked for.
			asked := req.URL.Query().Get("page")
			if asked == "" {
				asked = "0"
			}
			return rec.respond(http.StatusOK, `{"count":0,"page":`+asked+`,"size":20,"vpn_gateways":[],"vpn_tunnels":[]}`)(req)
		})
		ctx := context.Background()

		type list struct {
			path string
			call func() error
			want map[string]string
		}
		ints := func(m map[string]string) map[string]string {
			if page != 0 {
				m["page"] = itoa(page)
			}
			if size != 0 {
				m["size"] = itoa(size)
			}
			return m
		}
		lists := []list{
			{"/v1/vpn-gateways", func() error {
				_, err := c.V1Dot1.Gateways.List(ctx, &scpvpn.GatewayListOptions{Page: page, Size: size, Sort: sort, Name: name, IPAddress: ip, VPCID: vpc, VPCName: subnet})
				return err
			}, ints(map[string]string{"sort": sort, "name": name, "ip_address": ip, "vpc_id": vpc, "vpc_name": subnet})},
			{"/v1/vpn-tunnels", func() error {
				_, err := c.V1Dot0.Tunnels.List(ctx, &scpvpn.TunnelListOptions{Page: page, Size: size, Sort: sort, Name: name, VPNGatewayID: vpc, VPNGatewayName: subnet, PeerGatewayIP: ip, RemoteSubnet: subnet})
				return err
			}, ints(map[string]string{"sort": sort, "name": name, "vpn_gateway_id": vpc, "vpn_gateway_name": subnet, "peer_gateway_ip": ip, "remote_subnet": subnet})},
			{"/v1/vpn-tunnels", func() error {
				_, err := c.V1Dot1.Tunnels.List(ctx, &scpvpn.TunnelListOptionsV1Dot1{Page: page, Size: size, Sort: sort, Name: name, VPNGatewayID: vpc, VPNGatewayName: ip})
				return err
			}, ints(map[string]string{"sort": sort, "name": name, "vpn_gateway_id": vpc, "vpn_gateway_name": ip})},
		}
		for i, l := range lists {
			before := len(rec.all())
			if err := l.call(); err != nil {
				var vErr *scpvpn.ValidationError
				if (page < 0 || size < 0) && errors.As(err, &vErr) && len(rec.all()) == before {
					continue // a negative page or size is refused, and nothing is sent
				}
				t.Fatalf("list %d: %v", i, err)
			}
			if page < 0 || size < 0 {
				t.Fatalf("list %d: a negative page or size was sent", i)
			}
			sent := rec.all()
			if len(sent) != before+1 {
				t.Fatalf("list %d: %d requests", i, len(sent)-before)
			}
			req := sent[len(sent)-1].Request
			if req.URL.EscapedPath() != l.path || req.URL.Host != "vpn.kr-west1.e.samsungsdscloud.com" || req.URL.Fragment != "" {
				t.Fatalf("list %d: the filters changed the URL: %s", i, req.URL)
			}
			got, err := url.ParseQuery(req.URL.RawQuery)
			if err != nil {
				t.Fatalf("list %d: query %q does not parse: %v", i, req.URL.RawQuery, err)
			}
			for k, want := range l.want {
				if want == "" {
					if _, ok := got[k]; ok {
						t.Fatalf("list %d: empty %s was sent: %q", i, k, req.URL.RawQuery)
					}
					continue
				}
				if vs := got[k]; len(vs) != 1 || vs[0] != want {
					t.Fatalf("list %d: %s = %q, want %q (query %q)", i, k, vs, want, req.URL.RawQuery)
				}
			}
			for k := range got {
				if _, ok := l.want[k]; !ok {
					t.Fatalf("list %d: unexpected parameter %q in %q", i, k, req.URL.RawQuery)
				}
			}
			if err := sigverify.Verify(req, testSecretKey); err != nil {
				t.Fatalf("list %d: %v", i, err)
			}
		}
	})
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
