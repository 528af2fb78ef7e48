package scpvpn_test

// Review 4 (a hole in the third review's fix, lower confidence): Delete's
// answer is "empty or any JSON" (resource.go noContent). The API answers
// 202 with no body (vpn-api-reference.txt, "Response 202"); the fix
// refuses a proxy's HTML page but takes any JSON as the service's word.
// Two JSON answers the API never gives to a Delete, each taken as done
// while the gateway stays ACTIVE:
//   - a 200 holding the API's own error body, as a gateway that wraps
//     errors in 200 answers (the delete was refused: it says so);
//   - a 200 {"status":"UP"}, a health or default backend that answers
//     every path (a route being reloaded, a wrong path prefix).
// Either should be settled by reading back (the gateway is ACTIVE: the
// outcome is unknown), as the HTML page now is.

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"

	"github.com/scpsdk/scpvpn"
)

func TestReview4DeleteAnsweredWithJSONThatIsNotTheAPIsIsNotDone(t *testing.T) {
	t.Parallel()
	const id = "0fdd87aab8cb46f59b7c1f81ed03fb3e"
	for name, body := range map[string]string{
		"the API's error body in a 200": `{"errors":[{"code":"Conflict","detail":"the VPN gateway has VPN tunnels"}]}`,
		"a default backend's JSON":      `{"status":"UP"}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			mock.RegisterResponder(http.MethodDelete, testEndpoint+"/v1/vpn-gateways/"+id, httpmock.NewStringResponder(http.StatusOK, body))
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+id,
				httpmock.NewStringResponder(http.StatusOK, fixture(t, "v1.1", "gateway_get_response")))
			c := newClient(t, mock, scpvpn.WithoutRetries())
			err := c.V1Dot1.Gateways.Delete(context.Background(), id)
			assert.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "the gateway is ACTIVE; nothing says the service saw the delete")
		})
	}
}
