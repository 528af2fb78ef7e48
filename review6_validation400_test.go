package scpvpn_test

// Review 6: the fifth review's isValidationList (internal/rest/rest.go)
// takes a bare 1.0 list for the service's word only when each entry holds
// nothing but ctx, loc, msg and type_, each null or of the JSON type the
// schema names. Before it, any entry with a loc array and a msg string was
// the service's. So a list the service writes as its own schema's example
// shows it (vpn-1.0.openapi.yaml, ValidationErrorModel's example:
// `ctx: '{}'`, a string), or as the framework behind it writes it (FastAPI
// and pydantic: "type", "input", "url" beside loc and msg), is now taken for
// a proxy's answer: the tunnel is read back, found ACTIVE, and Delete ends
// ErrOutcomeUnknown where the service said no (and 561b7b1 said so).

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

func TestReview6TunnelDeleteRefusedWithAValidationListOfAnotherShapeIsItsVerdict(t *testing.T) {
	t.Parallel()
	const id = "0fdd87aab8cb46f59b7c1f81ed03fb3e"
	for name, body := range map[string]string{
		"ctx as the schema's example, a string": `[{"ctx":"{}","loc":["body","name"],"msg":"the VPN tunnel cannot be deleted in its state","type_":"value_error"}]`,
		"FastAPI's type":                        `[{"loc":["path","id"],"msg":"the VPN tunnel cannot be deleted in its state","type":"value_error"}]`,
		"pydantic v2's input and url":           `[{"type":"value_error","loc":["path","id"],"msg":"the VPN tunnel cannot be deleted in its state","input":"x","url":"https://errors.pydantic.dev/2.5/v/value_error"}]`,
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
			assert.False(t, errors.Is(err, scpvpn.ErrOutcomeUnknown), "the service refused the delete with its 400 list; nothing may have been done: %v", err)
			var methods []string
			for _, r := range rec.all() {
				methods = append(methods, r.Request.Method)
			}
			assert.Equal(t, []string{http.MethodDelete}, methods, "the service's verdict needs no read-back")
		})
	}
}
