package scpvpn_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/sigverify"
)

// Fuzz tests: decoding never panics and what decodes re-encodes stably; a
// client fed any answer returns a value or an error; any id addresses
// exactly one path segment; any filter stays in the query.
//
// Run one with: go test -run=^$ -fuzz=FuzzID -fuzztime=30s .

// seedModels adds the reference's answers and some awkward inputs.
func seedModels(f *testing.F, names ...string) {
	for _, version := range []string{"v1.0", "v1.1"} {
		for _, name := range names {
			f.Add([]byte(fixture(f, version, name)))
		}
	}
	for _, s := range []string{
		``, `null`, `{}`, `[]`, `"x"`, `{"created_at":null}`, `{"created_at":"2024-05-17T00:23:17"}`,
		`{"created_at":"2024-05-17 00:23:17.123456+09:00"}`, `{"created_at":"0000-01-01T00:00:00-23:59"}`,
		`{"created_at":"9999-12-31T23:59:59.999999999+23:59"}`, `{"modified_at":"2024-05-17T00:23:17\u005a"}`,
		`{"phase1":{"diffie_hellman_groups":[1e300]}}`, `{"count":-1,"vpn_gateways":[null]}`, `{"vpn_tunnels":[{}]}`,
		`{"name":"\ud800"}`, "{\"name\":\"\xff\"}",
	} {
		f.Add([]byte(s))
	}
}

// roundTrip decodes b into a new T and, when that works, checks that
// encoding and decoding again gives the same encoding.
func roundTrip[T any](t *testing.T, b []byte) {
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return
	}
	first, err := json.Marshal(&v)
	if err != nil {
		t.Fatalf("%T decoded from %q does not encode: %v", v, b, err)
	}
	var again T
	if err := json.Unmarshal(first, &again); err != nil {
		t.Fatalf("%T does not decode its own encoding %s: %v", v, first, err)
	}
	second, err := json.Marshal(&again)
	if err != nil {
		t.Fatal(err)
	}
	if string(first) != string(second) {
		t.Fatalf("%T is not stable:\n%s\n%s", v, first, second)
	}
}

func FuzzDecodeGateway(f *testing.F) {
	seedModels(f, "gateway_get_response", "gateway_list_response")
	f.Add([]byte(`{"id":"x","created_at":"2024-05-17T00:23:17.5Z","state":"ACTIVE"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip[scpvpn.Gateway](t, b)
		roundTrip[scpvpn.GatewayList](t, b)
	})
}

func FuzzDecodeTunnel(f *testing.F) {
	seedModels(f, "tunnel_get_response", "tunnel_list_response", "tunnel_create_response")
	f.Add([]byte(`{"phase1":{"ike_version":2},"phase2":{"remote_subnet":"10.0.0.0/8","remote_subnets":["10.0.0.0/8"]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip[scpvpn.Tunnel](t, b)
		roundTrip[scpvpn.TunnelV1Dot1](t, b)
		roundTrip[scpvpn.TunnelList](t, b)
		roundTrip[scpvpn.TunnelListV1Dot1](t, b)
	})
}

// FuzzClientAnswer feeds any status and body to every read of the client:
// it returns a value or an error, never both, never neither, never a panic;
// an answer that is not 2xx is an *APIError with a bounded body.
func FuzzClientAnswer(f *testing.F) {
	for _, name := range []string{"gateway_get_response", "tunnel_get_response", "gateway_list_response", "tunnel_list_response"} {
		f.Add(200, fixture(f, "v1.1", name))
	}
	f.Add(404, `{"errors":[{"detail":"not found"}]}`)
	f.Add(400, `[{"loc":["body","name"],"msg":"bad","type_":"x"}]`)
	f.Add(500, `{"errors":[{"detail":["a","b"],"code":"ContactAdminForAssistance"}]}`)
	f.Add(401, `{"errors":[{"code":"HmacValidFail"}]}`)
	f.Add(302, ``)
	f.Add(204, ``)
	f.Add(200, `{"vpn_gateway":{"id":1}}`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock, scpvpn.WithoutRetries())
		mock.RegisterNoResponder(httpmock.NewStringResponder(status, body))
		ctx := context.Background()
		checks := []func() (any, error){
			func() (any, error) { return c.V1Dot1.Gateways.Get(ctx, gatewayID) },
			func() (any, error) { return c.V1Dot1.Tunnels.Get(ctx, tunnelID) },
			func() (any, error) { return c.V1Dot0.Tunnels.Get(ctx, tunnelID) },
			func() (any, error) { return c.V1Dot1.Gateways.List(ctx, nil) },
			func() (any, error) { return c.V1Dot1.Tunnels.List(ctx, nil) },
			func() (any, error) { return c.V1Dot0.Tunnels.List(ctx, nil) },
			func() (any, error) { return nil, c.V1Dot1.Gateways.Delete(ctx, gatewayID) },
		}
		for i, call := range checks {
			v, err := call()
			hasValue := v != nil && !isNilPointer(v)
			if hasValue && err != nil {
				t.Fatalf("call %d: a value and an error: %v", i, err)
			}
			if status >= 300 {
				var apiErr *scpvpn.APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("call %d: status %d gave %v", i, status, err)
				}
				if apiErr.StatusCode != status || len(apiErr.Body) > 1<<20 || apiErr.Attempts != 1 {
					t.Fatalf("call %d: %+v", i, apiErr)
				}
				_ = apiErr.Error()
				continue
			}
			if i < 6 && !hasValue && err == nil {
				t.Fatalf("call %d: neither a value nor an error", i)
			}
			if err != nil {
				_ = err.Error()
			}
		}
	})
}

// FuzzID: any id is either refused before sending, or sent as exactly one
// request whose path is the collection and one escaped segment that decodes
// back to the id, with no query, to the endpoint's host, signed as sent.
func FuzzID(f *testing.F) {
	for _, id := range []string{
		gatewayID, "", ".", "..", "../../v1/vpn-tunnels", "a/b", "a?b=c", "a#frag", "%2e%2e", "%2F", "a b",
		"?", "#", ";", "{id}", "..%2f..", "\x00", "\xff\xfe", "ü", "..;", "//host.example/x", "\\..\\", "a%", "%zz",
		strings.Repeat("x", 256), strings.Repeat("x", 257), "http://evil.example/", "@evil.example",
	} {
		f.Add(id)
	}
	host, _ := url.Parse(testEndpoint)
	f.Fuzz(func(t *testing.T, id string) {
		type idCall struct {
			collection string
			call       func(context.Context, *scpvpn.Client) error
		}
		calls := []idCall{
			{"/v1/vpn-gateways/", func(ctx context.Context, c *scpvpn.Client) error {
				_, err := c.V1Dot1.Gateways.Get(ctx, id)
				return err
			}},
			{"/v1/vpn-gateways/", func(ctx context.Context, c *scpvpn.Client) error { return c.V1Dot0.Gateways.Delete(ctx, id) }},
			{"/v1/vpn-gateways/", func(ctx context.Context, c *scpvpn.Client) error {
				_, err := c.V1Dot1.Gateways.Set(ctx, id, &scpvpn.GatewaySetRequest{})
				return err
			}},
			{"/v1/vpn-tunnels/", func(ctx context.Context, c *scpvpn.Client) error { _, err := c.V1Dot1.Tunnels.Get(ctx, id); return err }},
			{"/v1/vpn-tunnels/", func(ctx context.Context, c *scpvpn.Client) error {
				_, err := c.V1Dot0.Tunnels.Set(ctx, id, &scpvpn.TunnelSetRequest{})
				return err
			}},
		}
		for i, ic := range calls {
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock, scpvpn.WithoutRetries())
			var rec recorder
			mock.RegisterNoResponder(rec.respond(http.StatusOK, anyResource))
			err := ic.call(context.Background(), c)
			sent := rec.all()
			var vErr *scpvpn.ValidationError
			if errors.As(err, &vErr) {
				if len(sent) != 0 {
					t.Fatalf("call %d: id %q refused, yet %d requests went out", i, id, len(sent))
				}
				continue
			}
			if len(sent) != 1 {
				t.Fatalf("call %d: id %q: %d requests, error %v", i, id, len(sent), err)
			}
			u := sent[0].Request.URL
			p := u.EscapedPath()
			seg, ok := strings.CutPrefix(p, ic.collection)
			switch {
			case !ok:
				t.Fatalf("call %d: id %q left the collection: %s", i, id, p)
			case seg == "" || strings.Contains(seg, "/"):
				t.Fatalf("call %d: id %q is not one segment: %s", i, id, p)
			case seg == "." || seg == "..":
				t.Fatalf("call %d: id %q is a dot segment: %s", i, id, p)
			case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
				t.Fatalf("call %d: id %q added a query or fragment: %s", i, id, u)
			case u.Host != host.Host || u.Scheme != host.Scheme || u.User != nil:
				t.Fatalf("call %d: id %q changed the host: %s", i, id, u)
			}
			if back, err := url.PathUnescape(seg); err != nil || back != id {
				t.Fatalf("call %d: id %q arrived as %q (%q, %v)", i, id, seg, back, err)
			}
			if err := sigverify.Verify(sent[0].Request, testSecretKey); err != nil {
				t.Fatalf("call %d: id %q: %v", i, id, err)
			}
		}
	})
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
		mock.RegisterNoResponder(rec.respond(http.StatusOK, `{"count":0}`))
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
