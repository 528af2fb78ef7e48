package scpvpn_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// The fake is as strict as the service is documented to be, and no
// stricter: what the service refuses, it refuses, and the SDK reports each
// refusal as the right error; what no document refuses, it accepts.

// e2eCall is one operation of the API, called on existing resources.
type e2eCall struct {
	name string
	call func(ctx context.Context, c *scpvpn.Client) error
}

// e2eEveryOperation lists the twenty operations (ten endpoints in two
// versions), on the gateway gw and the tunnel tun.
func e2eEveryOperation(gw, tun string) []e2eCall {
	tunnel10 := func() *scpvpn.TunnelCreateRequest {
		r := tunnelCreateRequest()
		r.VPNGatewayID = gw
		return r
	}
	tunnel11 := func() *scpvpn.TunnelCreateRequestV1Dot1 {
		r := tunnelCreateRequestV1Dot1()
		r.VPNGatewayID = gw
		return r
	}
	var calls []e2eCall
	for _, v := range []struct {
		name string
		gws  func(c *scpvpn.Client) *scpvpn.GatewayService
	}{
		{"v1.0", func(c *scpvpn.Client) *scpvpn.GatewayService { return c.V1Dot0.Gateways }},
		{"v1.1", func(c *scpvpn.Client) *scpvpn.GatewayService { return c.V1Dot1.Gateways }},
	} {
		calls = append(calls,
			e2eCall{v.name + " gateway create", func(ctx context.Context, c *scpvpn.Client) error {
				_, err := v.gws(c).Create(ctx, gatewayCreateRequest())
				return err
			}},
			e2eCall{v.name + " gateway get", func(ctx context.Context, c *scpvpn.Client) error {
				_, err := v.gws(c).Get(ctx, gw)
				return err
			}},
			e2eCall{v.name + " gateway list", func(ctx context.Context, c *scpvpn.Client) error {
				_, err := v.gws(c).List(ctx, &scpvpn.GatewayListOptions{Size: 5, Sort: "name:asc", Name: "Gw"})
				return err
			}},
			e2eCall{v.name + " gateway set", func(ctx context.Context, c *scpvpn.Client) error {
				_, err := v.gws(c).Set(ctx, gw, &scpvpn.GatewaySetRequest{Description: ptr("x")})
				return err
			}},
			e2eCall{v.name + " gateway delete", func(ctx context.Context, c *scpvpn.Client) error {
				return v.gws(c).Delete(ctx, gw)
			}},
		)
	}
	return append(calls,
		e2eCall{"v1.0 tunnel create", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot0.Tunnels.Create(ctx, tunnel10())
			return err
		}},
		e2eCall{"v1.0 tunnel get", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot0.Tunnels.Get(ctx, tun)
			return err
		}},
		e2eCall{"v1.0 tunnel list", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot0.Tunnels.List(ctx, &scpvpn.TunnelListOptions{VPNGatewayID: gw, RemoteSubnet: "10.1.0.0/16"})
			return err
		}},
		e2eCall{"v1.0 tunnel set", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot0.Tunnels.Set(ctx, tun, &scpvpn.TunnelSetRequest{Phase2: &scpvpn.TunnelPhase2SetRequest{RemoteSubnet: "10.2.0.0/16"}})
			return err
		}},
		e2eCall{"v1.0 tunnel delete", func(ctx context.Context, c *scpvpn.Client) error {
			return c.V1Dot0.Tunnels.Delete(ctx, tun)
		}},
		e2eCall{"v1.1 tunnel create", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot1.Tunnels.Create(ctx, tunnel11())
			return err
		}},
		e2eCall{"v1.1 tunnel get", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot1.Tunnels.Get(ctx, tun)
			return err
		}},
		e2eCall{"v1.1 tunnel list", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot1.Tunnels.List(ctx, &scpvpn.TunnelListOptionsV1Dot1{Page: 1, Size: 2})
			return err
		}},
		e2eCall{"v1.1 tunnel set", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot1.Tunnels.Set(ctx, tun, &scpvpn.TunnelSetRequestV1Dot1{Phase1: &scpvpn.TunnelPhase1SetRequest{PreSharedKey: "AnotherKey1"}})
			return err
		}},
		e2eCall{"v1.1 tunnel delete", func(ctx context.Context, c *scpvpn.Client) error {
			return c.V1Dot1.Tunnels.Delete(ctx, tun)
		}},
	)
}

// e2eSeedOne seeds an ACTIVE gateway with one ACTIVE tunnel.
func e2eSeedOne(t testing.TB, srv *vpntest.Server) (gw, tun string) {
	t.Helper()
	gw, err := srv.AddGateway(vpntest.GatewaySeed{Name: "GwSeed"})
	require.NoError(t, err)
	tun, err = srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw, Name: "TunSeed", PreSharedKey: "SeededKey1"})
	require.NoError(t, err)
	return gw, tun
}

// e2eUntouched checks that the seeded resources are as they were, in the
// fake and, unless the server's clock is off, through a client with the
// right credentials.
func e2eUntouched(ctx context.Context, t testing.TB, srv *vpntest.Server, gw, tun string, clockOff bool) {
	t.Helper()
	for _, id := range []string{gw, tun} {
		state, err := srv.State(id)
		require.NoError(t, err)
		assert.Equal(t, "ACTIVE", state)
	}
	psk, err := srv.PreSharedKey(tun)
	require.NoError(t, err)
	assert.Equal(t, "SeededKey1", psk)
	if clockOff {
		return
	}
	good := newClient(t, srv)
	l, err := good.V1Dot1.Gateways.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, l.Count, "nothing was created")
	g, err := good.V1Dot1.Gateways.Get(ctx, gw)
	require.NoError(t, err)
	assert.Empty(t, g.Description, "nothing was set")
	tl, err := good.V1Dot1.Tunnels.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 1, tl.Count, "nothing was created")
	assert.Equal(t, []string{"10.1.0.0/16"}, tl.Tunnels[0].Phase2.RemoteSubnets, "nothing was set")
}

// e2eRefusedEverywhere calls every operation through c and checks that
// each is refused with status and sentinel, details holding want, without
// a retry and without any effect.
func e2eRefusedEverywhere(t *testing.T, srv *vpntest.Server, c *scpvpn.Client, clockOff bool, status int, sentinel error, want ...string) {
	t.Helper()
	ctx := e2eCtx(t)
	gw, tun := e2eSeedOne(t, srv)
	calls := e2eEveryOperation(gw, tun)
	require.Len(t, calls, 20)
	for _, op := range calls {
		srv.ClearRequests()
		err := op.call(ctx, c)
		require.ErrorIs(t, err, sentinel, op.name)
		apiErr := e2eAPIError(t, err)
		assert.Equal(t, status, apiErr.StatusCode, op.name)
		assert.Equal(t, 1, apiErr.Attempts, "%s: a %d is not retried", op.name, status)
		assert.NotEmpty(t, apiErr.RequestID, op.name)
		details := strings.Join(apiErr.Details, "\n")
		for _, w := range want {
			assert.Contains(t, details, w, op.name)
		}
		reqs := srv.Requests()
		if assert.Len(t, reqs, 1, op.name) {
			assert.Equal(t, status, reqs[0].Status, op.name)
		}
	}
	e2eUntouched(ctx, t, srv, gw, tun, clockOff)
}

func TestE2EBadSignatureIsRefused(t *testing.T) {
	t.Parallel()
	srv := e2eServer(t, e2eImmediate)
	// The right access key, signed with a wrong secret key.
	c := newClient(t, srv, scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey+"x"))
	e2eRefusedEverywhere(t, srv, c, false, http.StatusUnauthorized, scpvpn.ErrUnauthorized, "HmacValidFail")
}

func TestE2EBadSignatureWithAnAccountIDIsRefused(t *testing.T) {
	t.Parallel()
	ctx := e2eCtx(t)
	srv := e2eServer(t, e2eImmediate)
	// Scp-AccountId is signed: with it, the right keys still verify...
	good := newClient(t, srv, scpvpn.WithAccountID("0e3dffc50eb247a1adf4f2e5c82c4f99"))
	_, err := good.V1Dot1.Gateways.List(ctx, nil)
	require.NoError(t, err)
	// ...and a header changed after signing does not.
	base := e2eTransport(t)
	tampered := newClient(t, srv, scpvpn.WithAccountID("0e3dffc50eb247a1adf4f2e5c82c4f99"),
		scpvpn.WithTransport(e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
			r = r.Clone(r.Context())
			r.Header.Set(scpvpn.HeaderAccountID, "ffffffffffffffffffffffffffffffff")
			return base.RoundTrip(r)
		})))
	_, err = tampered.V1Dot1.Gateways.List(ctx, nil)
	require.ErrorIs(t, err, scpvpn.ErrUnauthorized)
	assert.Contains(t, e2eDetails(t, err), "HmacValidFail")
}

func TestE2EWrongAccessKeyIsRefused(t *testing.T) {
	t.Parallel()
	srv := e2eServer(t, e2eImmediate)
	c := newClient(t, srv, scpvpn.WithCredentials("notTheAccessKey", srv.SecretKey))
	e2eRefusedEverywhere(t, srv, c, false, http.StatusUnauthorized, scpvpn.ErrUnauthorized, "InvalidAccessKey", "notTheAccessKey")
}

func TestE2EStaleTimestampIsRefused(t *testing.T) {
	t.Parallel()
	for name, skew := range map[string]time.Duration{
		"client 20 minutes ahead":  -20 * time.Minute, // the server's clock is behind
		"client 20 minutes behind": 20 * time.Minute,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := e2eServer(t, vpntest.Options{TransitionDelay: -1, Now: func() time.Time { return time.Now().Add(skew) }})
			e2eRefusedEverywhere(t, srv, newClient(t, srv), true, http.StatusUnauthorized, scpvpn.ErrUnauthorized, "TimestampExpired")
		})
	}

	// Within the allowed skew, the same client is served.
	t.Run("client 5 minutes off", func(t *testing.T) {
		t.Parallel()
		ctx := e2eCtx(t)
		srv := e2eServer(t, vpntest.Options{TransitionDelay: -1, Now: func() time.Time { return time.Now().Add(5 * time.Minute) }})
		c := newClient(t, srv)
		gw, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
		require.NoError(t, err)
		_, err = c.V1Dot1.Gateways.WaitUntilActive(ctx, gw.ID)
		require.NoError(t, err)
	})
}

func TestE2EUnknownAPIVersionIsRefused(t *testing.T) {
	t.Parallel()
	srv := e2eServer(t, e2eImmediate)
	base := e2eTransport(t)
	// Scp-Api-Version is not signed: rewriting it after signing leaves the
	// signature good, so what the server refuses is the version.
	rewrite := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.Header.Set(scpvpn.HeaderAPIVersion, "vpn 9.9")
		return base.RoundTrip(r)
	})
	c := newClient(t, srv, scpvpn.WithTransport(rewrite))
	e2eRefusedEverywhere(t, srv, c, false, http.StatusBadRequest, scpvpn.ErrBadRequest,
		`"vpn 9.9"`, `supported versions: "vpn 1.0", "vpn 1.1"`)
	for _, r := range srv.Requests() {
		if r.Status == http.StatusBadRequest {
			assert.Equal(t, "vpn 9.9", r.Header.Get(scpvpn.HeaderAPIVersion))
		}
	}
}

// Each service sends its own version, and the fake answers in it.
func TestE2EEachServiceSendsItsVersion(t *testing.T) {
	t.Parallel()
	ctx := e2eCtx(t)
	srv := e2eServer(t, e2eImmediate)
	c := newClient(t, srv)
	gw, tun := e2eSeedOne(t, srv)
	for _, op := range e2eEveryOperation(gw, tun) {
		srv.ClearRequests()
		_ = op.call(ctx, c) // some conflict (the gateway has a tunnel), which is fine here
		reqs := srv.Requests()
		require.Len(t, reqs, 1, op.name)
		want := "vpn 1.1"
		if strings.HasPrefix(op.name, "v1.0") {
			want = "vpn 1.0"
		}
		assert.Equal(t, []string{want}, reqs[0].Header.Values(scpvpn.HeaderAPIVersion), op.name)
		assert.NotEqual(t, http.StatusUnauthorized, reqs[0].Status, op.name)
		assert.NotEqual(t, http.StatusBadRequest, reqs[0].Status, op.name)
	}
}

// e2eBadRequest is a request that breaks the API's field rules: the
// SDK's validation refuses it before sending, and with validation off, the
// fake refuses it with a 400 naming each bad field.
type e2eBadRequest struct {
	name   string
	call   func(ctx context.Context, c *scpvpn.Client, gw, tun string) error
	fields []string // as both the SDK and the fake name them
	secret string   // a value that no message may repeat
}

func e2eBadRequests() []e2eBadRequest {
	tunnel10 := func(gw string, edit func(r *scpvpn.TunnelCreateRequest)) *scpvpn.TunnelCreateRequest {
		r := tunnelCreateRequest()
		r.VPNGatewayID = gw
		edit(r)
		return r
	}
	tunnel11 := func(gw string, edit func(r *scpvpn.TunnelCreateRequestV1Dot1)) *scpvpn.TunnelCreateRequestV1Dot1 {
		r := tunnelCreateRequestV1Dot1()
		r.VPNGatewayID = gw
		edit(r)
		return r
	}
	gateway := func(edit func(r *scpvpn.GatewayCreateRequest)) *scpvpn.GatewayCreateRequest {
		r := gatewayCreateRequest()
		edit(r)
		return r
	}
	return []e2eBadRequest{
		{
			name: "gateway: invalid IP", fields: []string{"ip_address"},
			call: func(ctx context.Context, c *scpvpn.Client, _, _ string) error {
				_, err := c.V1Dot1.Gateways.Create(ctx, gateway(func(r *scpvpn.GatewayCreateRequest) { r.IPAddress = "123.0.0.256" }))
				return err
			},
		},
		{
			name: "gateway: empty name", fields: []string{"name"},
			call: func(ctx context.Context, c *scpvpn.Client, _, _ string) error {
				_, err := c.V1Dot0.Gateways.Create(ctx, gateway(func(r *scpvpn.GatewayCreateRequest) { r.Name = "" }))
				return err
			},
		},
		{
			name: "gateway: name with a dash, no VPC", fields: []string{"name", "vpc_id"},
			call: func(ctx context.Context, c *scpvpn.Client, _, _ string) error {
				_, err := c.V1Dot1.Gateways.Create(ctx, gateway(func(r *scpvpn.GatewayCreateRequest) { r.Name, r.VPCID = "My-Gateway", "" }))
				return err
			},
		},
		{
			name: "v1.0 tunnel: invalid CIDR", fields: []string{"phase2.remote_subnet"},
			call: func(ctx context.Context, c *scpvpn.Client, gw, _ string) error {
				_, err := c.V1Dot0.Tunnels.Create(ctx, tunnel10(gw, func(r *scpvpn.TunnelCreateRequest) { r.Phase2.RemoteSubnet = "10.1.0.0/33" }))
				return err
			},
		},
		{
			name: "v1.1 tunnel: invalid CIDR in the list", fields: []string{"phase2.remote_subnets[1]"},
			call: func(ctx context.Context, c *scpvpn.Client, gw, _ string) error {
				_, err := c.V1Dot1.Tunnels.Create(ctx, tunnel11(gw, func(r *scpvpn.TunnelCreateRequestV1Dot1) {
					r.Phase2.RemoteSubnets = []string{"10.1.1.0/24", "10.1.2"}
				}))
				return err
			},
		},
		{
			name: "v1.1 tunnel: invalid peer IP", fields: []string{"phase1.peer_gateway_ip"},
			call: func(ctx context.Context, c *scpvpn.Client, gw, _ string) error {
				_, err := c.V1Dot1.Tunnels.Create(ctx, tunnel11(gw, func(r *scpvpn.TunnelCreateRequestV1Dot1) { r.Phase1.PeerGatewayIP = "peer.example.com" }))
				return err
			},
		},
		{
			name: "v1.1 tunnel: nil phase 1 groups", fields: []string{"phase1.phase1_diffie_hellman_groups"},
			call: func(ctx context.Context, c *scpvpn.Client, gw, _ string) error {
				_, err := c.V1Dot1.Tunnels.Create(ctx, tunnel11(gw, func(r *scpvpn.TunnelCreateRequestV1Dot1) { r.Phase1.DiffieHellmanGroups = nil }))
				return err
			},
		},
		{
			name: "v1.0 tunnel: nil phase 2 proposals", fields: []string{"phase2.phase2_encryptions"},
			call: func(ctx context.Context, c *scpvpn.Client, gw, _ string) error {
				_, err := c.V1Dot0.Tunnels.Create(ctx, tunnel10(gw, func(r *scpvpn.TunnelCreateRequest) { r.Phase2.Encryptions = nil }))
				return err
			},
		},
		{
			name: "v1.1 tunnel: IKE version 3", fields: []string{"phase1.ike_version"},
			call: func(ctx context.Context, c *scpvpn.Client, gw, _ string) error {
				_, err := c.V1Dot1.Tunnels.Create(ctx, tunnel11(gw, func(r *scpvpn.TunnelCreateRequestV1Dot1) { r.Phase1.IKEVersion = 3 }))
				return err
			},
		},
		{
			name: "v1.0 tunnel: every bad field reported", fields: []string{"name", "phase1.ike_version", "phase1.phase1_life_time", "phase2.perfect_forward_secrecy", "phase2.remote_subnet"},
			call: func(ctx context.Context, c *scpvpn.Client, gw, _ string) error {
				_, err := c.V1Dot0.Tunnels.Create(ctx, tunnel10(gw, func(r *scpvpn.TunnelCreateRequest) {
					r.Name = "x-1"
					r.Phase1.IKEVersion = 3
					r.Phase1.LifeTime = 60
					r.Phase2.PerfectForwardSecrecy = "MAYBE"
					r.Phase2.RemoteSubnet = ""
				}))
				return err
			},
		},
		{
			name: "v1.1 tunnel: short pre-shared key", fields: []string{"phase1.pre_shared_key"}, secret: "Short7!",
			call: func(ctx context.Context, c *scpvpn.Client, gw, _ string) error {
				_, err := c.V1Dot1.Tunnels.Create(ctx, tunnel11(gw, func(r *scpvpn.TunnelCreateRequestV1Dot1) { r.Phase1.PreSharedKey = "Short7!" }))
				return err
			},
		},
		{
			name: "v1.0 tunnel set: IKE version 3", fields: []string{"phase1.ike_version"},
			call: func(ctx context.Context, c *scpvpn.Client, _, tun string) error {
				_, err := c.V1Dot0.Tunnels.Set(ctx, tun, &scpvpn.TunnelSetRequest{Phase1: &scpvpn.TunnelPhase1SetRequest{IKEVersion: 3}})
				return err
			},
		},
		{
			name: "v1.1 tunnel set: invalid CIDR and DH group", fields: []string{"phase2.remote_subnets[0]", "phase2.phase2_diffie_hellman_groups"},
			call: func(ctx context.Context, c *scpvpn.Client, _, tun string) error {
				_, err := c.V1Dot1.Tunnels.Set(ctx, tun, &scpvpn.TunnelSetRequestV1Dot1{Phase2: &scpvpn.TunnelPhase2SetRequestV1Dot1{
					RemoteSubnets: []string{"10.1.0.0"}, DiffieHellmanGroups: []int{3},
				}})
				return err
			},
		},
	}
}

func TestE2EMalformedBodiesAreRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range e2eBadRequests() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := e2eCtx(t)
			srv := e2eServer(t, e2eImmediate)
			gw, tun := e2eSeedOne(t, srv)

			// The SDK's validation refuses it: nothing is sent.
			err := tc.call(ctx, newClient(t, srv), gw, tun)
			var vErr *scpvpn.ValidationError
			require.ErrorAs(t, err, &vErr)
			var fields []string
			for _, f := range vErr.Fields {
				fields = append(fields, f.Field)
			}
			for _, f := range tc.fields {
				assert.Contains(t, fields, f)
				assert.Contains(t, err.Error(), f)
			}
			assert.Zero(t, srv.CountRequests("", "*"), "a refused request was sent")

			// Without validation, the fake refuses it, naming each field.
			err = tc.call(ctx, newClient(t, srv, scpvpn.WithoutValidation()), gw, tun)
			require.ErrorIs(t, err, scpvpn.ErrBadRequest)
			apiErr := e2eAPIError(t, err)
			assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
			assert.Equal(t, 1, apiErr.Attempts)
			assert.GreaterOrEqual(t, len(apiErr.Details), len(tc.fields), "one detail per bad field")
			for _, f := range tc.fields {
				found := false
				for _, d := range apiErr.Details {
					found = found || strings.Contains(d, f+":")
				}
				assert.True(t, found, "no detail names %s: %q", f, apiErr.Details)
			}
			assert.Equal(t, 1, srv.CountRequests("", "*"))
			if tc.secret != "" {
				assert.NotContains(t, vErr.Error(), tc.secret)
				assert.NotContains(t, err.Error(), tc.secret)
				assert.NotContains(t, string(apiErr.Body), tc.secret)
			}
			e2eUntouched(ctx, t, srv, gw, tun, false)
		})
	}
}

// e2eRelaxedRequest is a request that breaks no documented rule, only a
// rule clients and fakes used to invent: the service may accept it, so
// the fake does.
type e2eRelaxedRequest struct {
	name string
	call func(ctx context.Context, c *scpvpn.Client, gw, tun string) error
}

func e2eRelaxedRequests() []e2eRelaxedRequest {
	tunnel10 := func(gw string, edit func(r *scpvpn.TunnelCreateRequest)) *scpvpn.TunnelCreateRequest {
		r := tunnelCreateRequest()
		r.VPNGatewayID = gw
		edit(r)
		return r
	}
	tunnel11 := func(gw string, edit func(r *scpvpn.TunnelCreateRequestV1Dot1)) *scpvpn.TunnelCreateRequestV1Dot1 {
		r := tunnelCreateRequestV1Dot1()
		r.VPNGatewayID = gw
		edit(r)
		return r
	}
	gateway := func(edit func(r *scpvpn.GatewayCreateRequest)) *scpvpn.GatewayCreateRequest {
		r := gatewayCreateRequest()
		edit(r)
		return r
	}
	return []e2eRelaxedRequest{
		{"gateway: one-character name", func(ctx context.Context, c *scpvpn.Client, _, _ string) error {
			_, err := c.V1Dot0.Gateways.Create(ctx, gateway(func(r *scpvpn.GatewayCreateRequest) { r.Name = "G" }))
			return err
		}},
		{"gateway: empty tag key", func(ctx context.Context, c *scpvpn.Client, _, _ string) error {
			_, err := c.V1Dot1.Gateways.Create(ctx, gateway(func(r *scpvpn.GatewayCreateRequest) { r.Tags = []scpvpn.Tag{{Key: "", Value: "v"}} }))
			return err
		}},
		{"gateway: IPv4 address with leading zeros", func(ctx context.Context, c *scpvpn.Client, _, _ string) error {
			_, err := c.V1Dot1.Gateways.Create(ctx, gateway(func(r *scpvpn.GatewayCreateRequest) { r.IPAddress = "010.001.002.003" }))
			return err
		}},
		{"v1.0 tunnel: two-character name", func(ctx context.Context, c *scpvpn.Client, gw, _ string) error {
			_, err := c.V1Dot0.Tunnels.Create(ctx, tunnel10(gw, func(r *scpvpn.TunnelCreateRequest) { r.Name = "T2" }))
			return err
		}},
		{"v1.0 tunnel: remote subnet with host bits", func(ctx context.Context, c *scpvpn.Client, gw, _ string) error {
			_, err := c.V1Dot0.Tunnels.Create(ctx, tunnel10(gw, func(r *scpvpn.TunnelCreateRequest) { r.Phase2.RemoteSubnet = "10.1.2.3/16" }))
			return err
		}},
		{"v1.0 tunnel: repeated Diffie-Hellman groups", func(ctx context.Context, c *scpvpn.Client, gw, _ string) error {
			_, err := c.V1Dot0.Tunnels.Create(ctx, tunnel10(gw, func(r *scpvpn.TunnelCreateRequest) {
				r.Phase1.DiffieHellmanGroups = []int{19, 19}
				r.Phase2.DiffieHellmanGroups = []int{14, 14, 14}
			}))
			return err
		}},
		{"v1.1 tunnel: repeated and overlapping remote subnets with host bits", func(ctx context.Context, c *scpvpn.Client, gw, _ string) error {
			_, err := c.V1Dot1.Tunnels.Create(ctx, tunnel11(gw, func(r *scpvpn.TunnelCreateRequestV1Dot1) {
				r.Phase2.RemoteSubnets = []string{"10.1.1.0/24", "10.1.1.0/24", "10.1.1.7/16"}
			}))
			return err
		}},
		{"v1.1 tunnel: repeated proposals", func(ctx context.Context, c *scpvpn.Client, gw, _ string) error {
			_, err := c.V1Dot1.Tunnels.Create(ctx, tunnel11(gw, func(r *scpvpn.TunnelCreateRequestV1Dot1) {
				r.Phase1.Encryptions = []string{"aes256-sha256", "aes256-sha256"}
				r.Phase2.Encryptions = []string{"aes128gcm", "aes128gcm"}
			}))
			return err
		}},
		{"v1.1 tunnel: peer address with leading zeros, empty tag key", func(ctx context.Context, c *scpvpn.Client, gw, _ string) error {
			_, err := c.V1Dot1.Tunnels.Create(ctx, tunnel11(gw, func(r *scpvpn.TunnelCreateRequestV1Dot1) {
				r.Phase1.PeerGatewayIP = "123.000.000.002"
				r.Tags = []scpvpn.Tag{{Key: "", Value: ""}}
			}))
			return err
		}},
		{"v1.0 tunnel set: remote subnet with host bits", func(ctx context.Context, c *scpvpn.Client, _, tun string) error {
			_, err := c.V1Dot0.Tunnels.Set(ctx, tun, &scpvpn.TunnelSetRequest{Phase2: &scpvpn.TunnelPhase2SetRequest{RemoteSubnet: "192.168.7.1/24"}})
			return err
		}},
		{"v1.1 tunnel set: repeated groups and subnets", func(ctx context.Context, c *scpvpn.Client, _, tun string) error {
			_, err := c.V1Dot1.Tunnels.Set(ctx, tun, &scpvpn.TunnelSetRequestV1Dot1{Phase2: &scpvpn.TunnelPhase2SetRequestV1Dot1{
				DiffieHellmanGroups: []int{31, 31}, RemoteSubnets: []string{"10.9.0.0/16", "10.9.0.0/16"},
			}})
			return err
		}},
	}
}

// The SDK and the fake both accept what no document says the service
// refuses: with the SDK's checks on, each request reaches the fake, which
// accepts it.
func TestE2ERelaxedRulesAreAccepted(t *testing.T) {
	t.Parallel()
	for _, tc := range e2eRelaxedRequests() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := e2eCtx(t)
			srv := e2eServer(t, e2eImmediate)
			gw, tun := e2eSeedOne(t, srv)
			require.NoError(t, tc.call(ctx, newClient(t, srv), gw, tun))
			reqs := srv.Requests()
			require.Len(t, reqs, 1, "one request, accepted at once")
			assert.Contains(t, []int{http.StatusOK, http.StatusAccepted}, reqs[0].Status)
		})
	}
}

// A version 1.0 body sent as 1.1 (and the other way round) is refused: each
// version takes only its own remote subnet field.
func TestE2EBodyOfTheOtherVersionIsRefused(t *testing.T) {
	t.Parallel()
	ctx := e2eCtx(t)
	srv := e2eServer(t, e2eImmediate)
	gw, _ := e2eSeedOne(t, srv)
	swap := func(from, to string) scpvpn.Option {
		base := e2eTransport(t)
		return scpvpn.WithTransport(e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
			if r.Method == http.MethodPost && r.Header.Get(scpvpn.HeaderAPIVersion) == from {
				r = r.Clone(r.Context())
				r.Header.Set(scpvpn.HeaderAPIVersion, to)
			}
			return base.RoundTrip(r)
		}))
	}

	req11 := tunnelCreateRequestV1Dot1()
	req11.VPNGatewayID = gw
	_, err := newClient(t, srv, swap("vpn 1.1", "vpn 1.0")).V1Dot1.Tunnels.Create(ctx, req11)
	require.ErrorIs(t, err, scpvpn.ErrBadRequest)
	details := e2eDetails(t, err)
	assert.Contains(t, details, "phase2.remote_subnets: is not part of version vpn 1.0")
	assert.Contains(t, details, "phase2.remote_subnet: is required")

	req10 := tunnelCreateRequest()
	req10.VPNGatewayID = gw
	_, err = newClient(t, srv, swap("vpn 1.0", "vpn 1.1")).V1Dot0.Tunnels.Create(ctx, req10)
	require.ErrorIs(t, err, scpvpn.ErrBadRequest)
	details = e2eDetails(t, err)
	assert.Contains(t, details, "phase2.remote_subnet: is not part of version vpn 1.1")
	assert.Contains(t, details, "phase2.remote_subnets: is required")
}

// A 401 or 400 from the fake never becomes a success or a retry, even with
// a generous retry policy.
func TestE2ERefusalsAreNotRetried(t *testing.T) {
	t.Parallel()
	ctx := e2eCtx(t)
	srv := e2eServer(t, e2eImmediate)
	c := newClient(t, srv, scpvpn.WithCredentials(srv.AccessKey, "wrong"),
		scpvpn.WithRetryPolicy(scpvpn.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Millisecond}))
	_, err := c.V1Dot1.Gateways.List(ctx, nil)
	require.ErrorIs(t, err, scpvpn.ErrUnauthorized)
	assert.False(t, errors.Is(err, scpvpn.ErrBadRequest))
	assert.Equal(t, 1, srv.CountRequests("", "*"))
}

// Filters and ids with characters that need escaping reach the fake
// intact, under a signature over the URL exactly as sent.
func TestE2EEscapedURLsAreSignedAsSent(t *testing.T) {
	t.Parallel()
	ctx := e2eCtx(t)
	srv := e2eServer(t, e2eImmediate)
	c := newClient(t, srv)
	const odd = "a b+c&d=e/f%g?h#i ü"

	l, err := c.V1Dot1.Gateways.List(ctx, &scpvpn.GatewayListOptions{Name: odd, VPCName: odd, Sort: "name:desc,created_at:asc"})
	require.NoError(t, err)
	assert.Zero(t, l.Count)
	assert.Equal(t, []string{"name:desc", "created_at:asc"}, l.Sort)
	tl, err := c.V1Dot0.Tunnels.List(ctx, &scpvpn.TunnelListOptions{VPNGatewayName: odd, RemoteSubnet: odd})
	require.NoError(t, err)
	assert.Zero(t, tl.Count)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		q, err := url.ParseQuery(r.RawQuery)
		require.NoError(t, err)
		for k, vs := range q {
			if k != "sort" {
				assert.Equal(t, []string{odd}, vs, k)
			}
		}
	}

	// An id is escaped into one path segment: the fake looks it up as is.
	const oddID = "a b+c%d?e#f"
	_, err = c.V1Dot1.Gateways.Get(ctx, oddID)
	require.ErrorIs(t, err, scpvpn.ErrNotFound)
	assert.Contains(t, e2eDetails(t, err), `"`+oddID+`"`)
	err = c.V1Dot0.Tunnels.Delete(ctx, oddID)
	require.ErrorIs(t, err, scpvpn.ErrNotFound)
	assert.Contains(t, e2eDetails(t, err), `"`+oddID+`"`)
	// A slash cannot reach another endpoint either: the fake's router,
	// which reads it as a path of its own, routes it nowhere.
	_, err = c.V1Dot1.Tunnels.Get(ctx, "x/../../vpn-gateways")
	require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
	assert.Contains(t, err.Error(), "no such endpoint: /v1/vpn-tunnels/x/../../vpn-gateways")
	assert.NotErrorIs(t, err, scpvpn.ErrNotFound, "the router's 404 says nothing of a tunnel")
}
