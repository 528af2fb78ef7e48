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

// TestErrorMapping answers each status the reference lists (and the ones
// seen in the field) and checks what the caller gets.
func TestErrorMapping(t *testing.T) {
	t.Parallel()
	sentinels := []error{scpvpn.ErrBadRequest, scpvpn.ErrUnauthorized, scpvpn.ErrForbidden, scpvpn.ErrNotFound, scpvpn.ErrConflict, scpvpn.ErrRateLimited}
	tests := []struct {
		status  int
		body    string
		want    error // nil: no sentinel
		details []string
	}{
		{http.StatusBadRequest, `{"errors":[{"code":"scp-network.vpc-endpoint.subnet-not-found","detail":"subnet not found"}]}`,
			scpvpn.ErrBadRequest, []string{"scp-network.vpc-endpoint.subnet-not-found: subnet not found"}},
		{http.StatusBadRequest, `[{"loc":["body","phase1","ike_version"],"msg":"value is not a valid integer","type_":"type_error.integer"}]`,
			scpvpn.ErrBadRequest, []string{"body.phase1.ike_version: value is not a valid integer"}},
		{http.StatusUnauthorized, `{"errors":[{"code":"HmacValidFail","detail":"HmacValidFail"}]}`,
			scpvpn.ErrUnauthorized, []string{"HmacValidFail"}},
		{http.StatusUnauthorized, `{"errors":[{"detail":["rejected by gateway","catalog has not target"]}]}`,
			scpvpn.ErrUnauthorized, []string{"rejected by gateway", "catalog has not target"}},
		{http.StatusForbidden, `{"errors":[{"detail":"permission denied"}]}`, scpvpn.ErrForbidden, []string{"permission denied"}},
		{http.StatusNotFound, `{"errors":[{"detail":"vpn gateway not found"}]}`, scpvpn.ErrNotFound, []string{"vpn gateway not found"}},
		{http.StatusConflict, `{"errors":[{"detail":"vpn gateway has tunnels"}]}`, scpvpn.ErrConflict, []string{"vpn gateway has tunnels"}},
		{http.StatusTooManyRequests, ``, scpvpn.ErrRateLimited, nil},
		{http.StatusInternalServerError, `{"errors":[{"code":"ContactAdminForAssistance","title":"Internal error"}]}`,
			nil, []string{"ContactAdminForAssistance: Internal error"}},
		{http.StatusBadGateway, `<html>bad gateway</html>`, nil, nil},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock, scpvpn.WithoutRetries())
			var rec recorder
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/gw1", rec.respond(tt.status, tt.body, "X-Request-Id", "req-42"))

			gw, err := c.V1Dot1.Gateways.Get(context.Background(), "gw1")
			require.Error(t, err)
			assert.Nil(t, gw)

			var apiErr *scpvpn.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, http.MethodGet, apiErr.Method)
			assert.Equal(t, testEndpoint+"/v1/vpn-gateways/gw1", apiErr.URL)
			assert.Equal(t, tt.details, apiErr.Details)
			assert.Equal(t, tt.body, string(apiErr.Body))
			assert.Equal(t, "req-42", apiErr.RequestID)
			assert.Equal(t, 1, apiErr.Attempts)
			for _, s := range sentinels {
				assert.Equal(t, errors.Is(tt.want, s), errors.Is(err, s), "errors.Is(err, %v)", s)
			}

			msg := err.Error()
			assert.Contains(t, msg, "GET /v1/vpn-gateways/gw1")
			assert.Contains(t, msg, http.StatusText(tt.status))
			assert.Contains(t, msg, "request id req-42")
			for _, d := range tt.details {
				assert.Contains(t, msg, d)
			}
		})
	}
}

func TestAPIErrorMessage(t *testing.T) {
	t.Parallel()
	err := &scpvpn.APIError{
		StatusCode: 409, Method: "DELETE", URL: "https://vpn.example/v1/vpn-gateways/g1",
		Details: []string{"vpn gateway has tunnels", "delete them first"}, RequestID: "r1", Attempts: 2,
	}
	assert.Equal(t, "scpvpn: DELETE /v1/vpn-gateways/g1: 409 Conflict: vpn gateway has tunnels; delete them first (request id r1, 2 attempts)", err.Error())
	assert.Equal(t, "scpvpn: GET /v1/x: 418 I'm a teapot", (&scpvpn.APIError{StatusCode: 418, Method: "GET", URL: "http://h/v1/x"}).Error())
}

func TestValidationErrorMessage(t *testing.T) {
	t.Parallel()
	err := &scpvpn.ValidationError{Request: "TunnelCreateRequest", Fields: []scpvpn.FieldError{
		{Field: "name", Problem: "must be 3 to 20 letters and digits"},
		{Field: "phase1.pre_shared_key", Problem: "must be 8 to 64 characters"},
	}}
	assert.Equal(t, "scpvpn: invalid TunnelCreateRequest: name must be 3 to 20 letters and digits; phase1.pre_shared_key must be 8 to 64 characters", err.Error())
}

func TestEmptyIDIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	ctx := context.Background()
	calls := map[string]func() error{
		"gateway get":    func() error { _, err := c.V1Dot1.Gateways.Get(ctx, ""); return err },
		"gateway set":    func() error { _, err := c.V1Dot1.Gateways.Set(ctx, "", &scpvpn.GatewaySetRequest{}); return err },
		"gateway delete": func() error { return c.V1Dot0.Gateways.Delete(ctx, "") },
		"tunnel get":     func() error { _, err := c.V1Dot0.Tunnels.Get(ctx, ".."); return err },
		"tunnel set":     func() error { _, err := c.V1Dot1.Tunnels.Set(ctx, "", &scpvpn.TunnelSetRequestV1Dot1{}); return err },
		"tunnel delete":  func() error { return c.V1Dot1.Tunnels.Delete(ctx, ".") },
	}
	for name, call := range calls {
		err := call()
		var vErr *scpvpn.ValidationError
		require.ErrorAs(t, err, &vErr, name)
		assert.Equal(t, "id", vErr.Fields[0].Field, name)
		assert.Contains(t, err.Error(), "id must not be", name)
	}
	assert.Zero(t, mock.GetTotalCallCount(), "nothing was sent")
}

func TestIDsAreEscaped(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	var rec recorder
	mock.RegisterNoResponder(rec.respond(http.StatusNotFound, `{"errors":[{"detail":"no such gateway"}]}`))
	_, err := c.V1Dot1.Gateways.Get(context.Background(), "../vpn-tunnels/x?all=1#frag")
	require.ErrorIs(t, err, scpvpn.ErrNotFound)

	sent := rec.only(t).Request
	assert.Equal(t, "/v1/vpn-gateways/..%2Fvpn-tunnels%2Fx%3Fall=1%23frag", sent.URL.EscapedPath(), "one path segment, whatever the id holds")
	assert.Empty(t, sent.URL.RawQuery)
}

func TestNilRequestIsRefused(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithoutValidation())
	ctx := context.Background()
	_, err := c.V1Dot1.Gateways.Create(ctx, nil)
	var vErr *scpvpn.ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.Equal(t, "GatewayCreateRequest", vErr.Request)
	_, err = c.V1Dot1.Tunnels.Create(ctx, nil)
	require.ErrorAs(t, err, &vErr)
	_, err = c.V1Dot0.Tunnels.Set(ctx, "t1", nil)
	require.ErrorAs(t, err, &vErr)
	assert.Zero(t, mock.GetTotalCallCount())
}

func TestAnswerWithoutResource(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-tunnels/t1", rec.respond(http.StatusOK, `{"something_else": {}}`))
	tn, err := c.V1Dot1.Tunnels.Get(context.Background(), "t1")
	require.Error(t, err)
	assert.Nil(t, tn)
	assert.Contains(t, err.Error(), "holds no VPN tunnel")
}
