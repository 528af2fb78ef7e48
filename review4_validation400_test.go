package scpvpn_test

// Review 4: the API's own 400 of a version 1.0 tunnel delete is, by its
// document (vpn-1.0.openapi.yaml, DELETE /v1/vpn-tunnels/{vpn_tunnel_id}),
// a bare list of ValidationErrorModel ({loc, msg, type_}), not
// {"errors":[...]}. The SDK reads that list as the API's error body
// (errors.go: APIError.Details), but the rule "a 4xx without the API's
// error body to a write may have acted" (internal/rest.IsErrorBody) knows
// only {"errors":[...]}: the service's refusal is taken for a proxy's
// answer after acting, and the delete is settled by reading back. The
// tunnel is ACTIVE, so Delete ends ErrOutcomeUnknown ("it may have been
// done", exit status 5 on the command line) where the service said no.

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

func TestReview4TunnelDeleteRefusedWithTheAPIsValidationListIsItsVerdict(t *testing.T) {
	t.Parallel()
	const body = `[{"loc":["path","vpn_tunnel_id"],"msg":"invalid vpn tunnel id","type_":"value_error","ctx":null}]`
	mock := httpmock.NewMockTransport()
	var rec recorder
	mock.RegisterResponder(http.MethodDelete, testEndpoint+"/v1/vpn-tunnels/0fdd87aab8cb46f59b7c1f81ed03fb3e", rec.respond(http.StatusBadRequest, body))
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-tunnels/0fdd87aab8cb46f59b7c1f81ed03fb3e", rec.respond(http.StatusOK, fixture(t, "v1.0", "tunnel_get_response")))
	c := newClient(t, mock)

	err := c.V1Dot0.Tunnels.Delete(context.Background(), "0fdd87aab8cb46f59b7c1f81ed03fb3e")
	require.Error(t, err)
	assert.False(t, errors.Is(err, scpvpn.ErrOutcomeUnknown), "the service refused the delete with its documented 400; nothing may have been done: %v", err)
	var apiErr *scpvpn.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Equal(t, []string{"path.vpn_tunnel_id: invalid vpn tunnel id"}, apiErr.Details)
	var methods []string
	for _, r := range rec.all() {
		methods = append(methods, r.Request.Method)
	}
	assert.Equal(t, []string{http.MethodDelete}, methods, "the service's verdict needs no read-back")
}
