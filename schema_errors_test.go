package scpvpn_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/testkit/apischema"
	"github.com/scpsdk/scpvpn/vpntest"
)

// The schema judges the error answers: every refusal vpntest gives, each
// provoked on purpose (bad bodies and parameters, quotas, unknown ids,
// busy resources, a bad signature) in both versions, must be an answer
// the document of the version declares, or one that schemaDifferences
// lists. The requests of these tests are bad on purpose, so only the
// answers are judged.

// schemaCall is one request sent through Client.Do, which leaves the
// SDK's own checks out, and the status vpntest must answer.
type schemaCall struct {
	name   string
	method string
	path   string
	query  url.Values
	body   any
	status int
}

// schemaDo sends call in version through c and returns the status of the
// answer.
func schemaDo(ctx context.Context, t *testing.T, c *scpvpn.Client, version string, call schemaCall) int {
	t.Helper()
	err := c.Do(ctx, &scpvpn.Request{Method: call.method, Path: call.path, Query: call.query, APIVersion: version, Body: call.body}, nil)
	if err == nil {
		return http.StatusOK
	}
	var apiErr *scpvpn.APIError
	require.True(t, errors.As(err, &apiErr), "%s: %v", call.name, err)
	return apiErr.StatusCode
}

// schemaSignedGet sends a GET of rawURL as it is, signed with the server's
// keys, through the checker: for what Client.Do cannot send, such as a
// malformed query string.
func schemaSignedGet(ctx context.Context, t *testing.T, srv *vpntest.Server, checker *apischema.Checker, version, rawURL string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	require.NoError(t, err)
	req.Header.Set(scpvpn.HeaderAPIVersion, version)
	require.NoError(t, (&scpvpn.Signer{AccessKey: srv.AccessKey, SecretKey: srv.SecretKey}).Sign(req))
	resp, err := (&http.Client{Transport: checker.Transport(e2eTransport(t))}).Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// schemaRefusals are the refusals of one version, on the ACTIVE gateway
// gw with the ACTIVE tunnel tun, and the gateway busy, which is EDITING.
func schemaRefusals(version, gw, tun, busy string) []schemaCall {
	tunnelBody := func(gatewayID string) any {
		if version == "vpn 1.0" {
			r := tunnelCreateRequest()
			r.VPNGatewayID, r.Name = gatewayID, "Refused"
			return r
		}
		r := tunnelCreateRequestV1Dot1()
		r.VPNGatewayID, r.Name = gatewayID, "Refused"
		return r
	}
	q := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	return []schemaCall{
		{"gateway create, bad body", http.MethodPost, "/v1/vpn-gateways", nil, map[string]any{"name": "not a name!"}, http.StatusBadRequest},
		{"tunnel create, bad body", http.MethodPost, "/v1/vpn-tunnels", nil, map[string]any{"name": "T1", "vpn_gateway_id": gw, "phase1": map[string]any{}}, http.StatusBadRequest},
		{"gateway set, bad body", http.MethodPut, "/v1/vpn-gateways/" + gw, nil, map[string]any{"description": 5}, http.StatusBadRequest},
		{"tunnel set, bad body", http.MethodPut, "/v1/vpn-tunnels/" + tun, nil, map[string]any{"phase1": map[string]any{"ike_version": 3}}, http.StatusBadRequest},
		{"gateway list, bad sort", http.MethodGet, "/v1/vpn-gateways", q("sort", "name"), nil, http.StatusBadRequest},
		{"tunnel list, bad size", http.MethodGet, "/v1/vpn-tunnels", q("size", "-1"), nil, http.StatusBadRequest},
		{"subnet check, no subnet", http.MethodGet, "/v1/vpn-tunnels/vpn-tunnel-subnet-availabilities", q("vpn_gateway_id", gw), nil, http.StatusBadRequest},
		{"subnet check, nothing", http.MethodGet, "/v1/vpn-tunnels/vpn-tunnel-subnet-availabilities", nil, nil, http.StatusBadRequest},

		{"gateway get, unknown", http.MethodGet, "/v1/vpn-gateways/nope", nil, nil, http.StatusNotFound},
		{"gateway set, unknown", http.MethodPut, "/v1/vpn-gateways/nope", nil, map[string]any{"description": "x"}, http.StatusNotFound},
		{"gateway delete, unknown", http.MethodDelete, "/v1/vpn-gateways/nope", nil, nil, http.StatusNotFound},
		{"tunnel get, unknown", http.MethodGet, "/v1/vpn-tunnels/nope", nil, nil, http.StatusNotFound},
		{"tunnel set, unknown", http.MethodPut, "/v1/vpn-tunnels/nope", nil, map[string]any{"description": "x"}, http.StatusNotFound},
		{"tunnel delete, unknown", http.MethodDelete, "/v1/vpn-tunnels/nope", nil, nil, http.StatusNotFound},
		{"tunnel create, unknown gateway", http.MethodPost, "/v1/vpn-tunnels", nil, tunnelBody("nope"), http.StatusNotFound},
		{"tunnel quota, unknown gateway", http.MethodGet, "/v1/vpn-tunnels/metrics/quotas", q("vpn_gateway_id", "nope"), nil, http.StatusNotFound},
		{"subnet check, unknown gateway", http.MethodGet, "/v1/vpn-tunnels/vpn-tunnel-subnet-availabilities", q("vpn_gateway_id", "nope", "remote_subnet", "10.0.0.0/8"), nil, http.StatusNotFound},

		{"gateway delete, with a tunnel", http.MethodDelete, "/v1/vpn-gateways/" + gw, nil, nil, http.StatusConflict},
		{"gateway delete, busy", http.MethodDelete, "/v1/vpn-gateways/" + busy, nil, nil, http.StatusConflict},
		{"gateway set, busy", http.MethodPut, "/v1/vpn-gateways/" + busy, nil, map[string]any{"description": "x"}, http.StatusConflict},
		{"tunnel create, busy gateway", http.MethodPost, "/v1/vpn-tunnels", nil, tunnelBody(busy), http.StatusConflict},
	}
}

func TestSchemaErrorAnswers(t *testing.T) {
	t.Parallel()
	var all []apischema.Exchange
	for _, version := range []string{"vpn 1.0", "vpn 1.1"} {
		ctx := e2eCtx(t)
		srv, c, checker := schemaSetup(t)
		gw, tun := e2eSeedOne(t, srv)
		busy, err := srv.AddGateway(vpntest.GatewaySeed{Name: "Busy"})
		require.NoError(t, err)
		require.NoError(t, srv.ForceState(busy, scpvpn.StateEditing))

		for _, call := range schemaRefusals(version, gw, tun, busy) {
			assert.Equal(t, call.status, schemaDo(ctx, t, c, version, call), "%s %s", version, call.name)
		}
		// Malformed query strings, which no client builds.
		for _, path := range []string{"/v1/vpn-gateways/metrics/quotas?vpc_id=%zz", "/v1/vpn-tunnels/metrics/quotas?vpn_gateway_id=%zz"} {
			assert.Equal(t, http.StatusBadRequest, schemaSignedGet(ctx, t, srv, checker, version, srv.URL+path), "%s %s", version, path)
		}
		// A busy tunnel.
		require.NoError(t, srv.ForceState(tun, scpvpn.StateEditing))
		for _, call := range []schemaCall{
			{"tunnel set, busy", http.MethodPut, "/v1/vpn-tunnels/" + tun, nil, map[string]any{"description": "x"}, http.StatusConflict},
			{"tunnel delete, busy", http.MethodDelete, "/v1/vpn-tunnels/" + tun, nil, nil, http.StatusConflict},
		} {
			assert.Equal(t, call.status, schemaDo(ctx, t, c, version, call), "%s %s", version, call.name)
		}
		// The quotas, reached: one gateway in the account beside the two
		// there are, four tunnels on gw beside the one it has.
		_, err = srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		for range 4 {
			_, err = srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw})
			require.NoError(t, err)
		}
		tunnel := schemaRefusals(version, gw, tun, busy)[14].body // a good tunnel body, on gw
		for _, call := range []schemaCall{
			{"gateway create, quota", http.MethodPost, "/v1/vpn-gateways", nil, gatewayCreateRequest(), http.StatusBadRequest},
			{"tunnel create, quota", http.MethodPost, "/v1/vpn-tunnels", nil, json.RawMessage(mustJSON(t, tunnel, "vpn_gateway_id", gw)), http.StatusBadRequest},
		} {
			assert.Equal(t, call.status, schemaDo(ctx, t, c, version, call), "%s %s", version, call.name)
		}
		exchanges := checker.Exchanges()
		requireConforming(t, exchanges, false)
		for _, e := range exchanges {
			assert.GreaterOrEqual(t, e.Status, 400, "%s: an error was asked for", e)
		}
		all = append(all, exchanges...)
	}

	// A bad signature, on every operation of both versions.
	srv, _, checker := schemaSetup(t)
	gw, tun := e2eSeedOne(t, srv)
	bad := newClient(t, srv, scpvpn.WithCredentials(srv.AccessKey, "not-the-secret-key"), scpvpn.WithTransport(checker.Transport(e2eTransport(t))))
	ctx := e2eCtx(t)
	for _, op := range append(e2eEveryOperation(gw, tun), schemaQuotaAndSubnetCalls(gw)...) {
		err := op.call(ctx, bad)
		require.ErrorIs(t, err, scpvpn.ErrUnauthorized, op.name)
	}
	exchanges := checker.Exchanges()
	requireConforming(t, exchanges, true)
	seen := schemaSeen{}
	seen.add(exchanges)
	for _, version := range []string{"vpn 1.0", "vpn 1.1"} {
		for _, op := range schemaOperations {
			assert.True(t, seen.has(version, op.operation, http.StatusUnauthorized), "%s %s: no 401", version, op.operation)
		}
	}
	all = append(all, exchanges...)

	// Every difference listed happened: the list is exact.
	for _, d := range schemaDifferences {
		found := false
		for _, e := range all {
			if got, ok := schemaDifferenceOf(e); ok && got == d && len(e.ResponseErrors) > 0 {
				found = true
				break
			}
		}
		assert.True(t, found, "the listed difference %+v never showed", d)
	}
}

// schemaQuotaAndSubnetCalls are the quota and subnet calls of both
// versions, which e2eEveryOperation leaves out.
func schemaQuotaAndSubnetCalls(gw string) []e2eCall {
	return []e2eCall{
		{"v1.0 gateway quota", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot0.Gateways.Quota(ctx, nil)
			return err
		}},
		{"v1.1 gateway quota", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot1.Gateways.Quota(ctx, nil)
			return err
		}},
		{"v1.0 tunnel quota", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot0.Tunnels.Quota(ctx, &scpvpn.TunnelQuotaOptions{VPNGatewayID: gw})
			return err
		}},
		{"v1.1 tunnel quota", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot1.Tunnels.Quota(ctx, nil)
			return err
		}},
		{"v1.0 subnet check", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot0.Tunnels.CheckSubnet(ctx, gw, "10.9.0.0/16")
			return err
		}},
		{"v1.1 subnet check", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot1.Tunnels.CheckSubnet(ctx, gw, "10.9.0.0/16")
			return err
		}},
	}
}

// mustJSON encodes v with the field key set to value.
func mustJSON(t *testing.T, v any, key, value string) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	m[key] = value
	b, err = json.Marshal(m)
	require.NoError(t, err)
	return b
}
