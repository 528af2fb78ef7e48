package scpvpn_test

// Reviews 4 to 6: the API's own 400 of a version 1.0 tunnel delete is, by
// its document (vpn-1.0.openapi.yaml, DELETE /v1/vpn-tunnels/{vpn_tunnel_id}),
// a bare list of ValidationErrorModel ({ctx, loc, msg, type_}, each
// nullable, none required), not {"errors":[...]}. The SDK reads that list as
// the API's error body (errors.go: APIError.Details); the rule "a 4xx
// without the API's error body to a write may have acted"
// (internal/rest.IsErrorBody) must read it so too, or the service's refusal
// is taken for a proxy's answer after acting, the delete is settled by
// reading back, the tunnel is ACTIVE, and Delete ends ErrOutcomeUnknown
// ("it may have been done", exit status 5 on the command line) where the
// service said no. Review 4 found the list not read at all; review 5, a
// list with loc null or left out refused; review 6, a list as the schema's
// own example writes ctx (a string), or as FastAPI and pydantic write it
// (type, input, url beside loc and msg), refused.

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
	const id = "0fdd87aab8cb46f59b7c1f81ed03fb3e"
	for name, tc := range map[string]struct {
		body    string
		details []string // nil: not checked
	}{
		"the document's fields": {body: `[{"loc":["path","vpn_tunnel_id"],"msg":"invalid vpn tunnel id","type_":"value_error","ctx":null}]`,
			details: []string{"path.vpn_tunnel_id: invalid vpn tunnel id"}},
		"loc null":                              {body: `[{"ctx":null,"loc":null,"msg":"the VPN tunnel cannot be deleted in its state","type_":"value_error"}]`},
		"loc omitted":                           {body: `[{"msg":"the VPN tunnel cannot be deleted in its state","type_":"value_error"}]`},
		"ctx as the schema's example, a string": {body: `[{"ctx":"{}","loc":["body","name"],"msg":"the VPN tunnel cannot be deleted in its state","type_":"value_error"}]`},
		"FastAPI's type":                        {body: `[{"loc":["path","id"],"msg":"the VPN tunnel cannot be deleted in its state","type":"value_error"}]`},
		"pydantic v2's input and url":           {body: `[{"type":"value_error","loc":["path","id"],"msg":"the VPN tunnel cannot be deleted in its state","input":"x","url":"https://errors.pydantic.dev/2.5/v/value_error"}]`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			var rec recorder
			mock.RegisterResponder(http.MethodDelete, testEndpoint+"/v1/vpn-tunnels/"+id, rec.respond(http.StatusBadRequest, tc.body))
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-tunnels/"+id, rec.respond(http.StatusOK, fixture(t, "v1.0", "tunnel_get_response")))
			c := newClient(t, mock)

			err := c.V1Dot0.Tunnels.Delete(context.Background(), id)
			require.Error(t, err)
			assert.False(t, errors.Is(err, scpvpn.ErrOutcomeUnknown), "the service refused the delete with its documented 400; nothing may have been done: %v", err)
			var apiErr *scpvpn.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
			if tc.details != nil {
				assert.Equal(t, tc.details, apiErr.Details)
			}
			var methods []string
			for _, r := range rec.all() {
				methods = append(methods, r.Request.Method)
			}
			assert.Equal(t, []string{http.MethodDelete}, methods, "the service's verdict needs no read-back")
		})
	}
}
