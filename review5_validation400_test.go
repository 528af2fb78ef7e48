package scpvpn_test

// Review 5: review4 item 2's fix (internal/rest.IsErrorBody knows version
// 1.0's bare list of validation errors) accepts the list only when every
// entry holds a "loc" array and a "msg" string. The document the fix cites
// (vpn-1.0.openapi.yaml, ValidationErrorModel) requires neither: ctx, loc,
// msg and type_ are each "nullable: 'true'", and the schema has no
// "required". A refusal about no field in particular, loc null (or left
// out), is the service's documented 400 all the same; errors.go reads it
// as the API's body (APIError.Details holds its msg), but the "may have
// acted" rule takes it for a proxy's answer: the tunnel is read back,
// found ACTIVE, and Delete ends ErrOutcomeUnknown (exit status 5) where
// the service said no, the very outcome review4 item 2 was about.

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

func TestReview5TunnelDeleteRefusedWithAValidationListWithoutLocIsItsVerdict(t *testing.T) {
	t.Parallel()
	const id = "0fdd87aab8cb46f59b7c1f81ed03fb3e"
	for name, body := range map[string]string{
		"loc null":    `[{"ctx":null,"loc":null,"msg":"the VPN tunnel cannot be deleted in its state","type_":"value_error"}]`,
		"loc omitted": `[{"msg":"the VPN tunnel cannot be deleted in its state","type_":"value_error"}]`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			var rec recorder
			mock.RegisterResponder(http.MethodDelete, testEndpoint+"/v1/vpn-tunnels/"+id, rec.respond(http.StatusBadRequest, body))
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-tunnels/"+id, rec.respond(http.StatusOK, fixture(t, "v1.0", "tunnel_get_response")))
			c := newClient(t, mock)

			err := c.V1Dot0.Tunnels.Delete(context.Background(), id)
			require.Error(t, err)
			assert.False(t, errors.Is(err, scpvpn.ErrOutcomeUnknown), "the service refused the delete with its documented 400; nothing may have been done: %v", err)
			var apiErr *scpvpn.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
			var methods []string
			for _, r := range rec.all() {
				methods = append(methods, r.Request.Method)
			}
			assert.Equal(t, []string{http.MethodDelete}, methods, "the service's verdict needs no read-back")
		})
	}
}
