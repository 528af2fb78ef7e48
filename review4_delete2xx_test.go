package scpvpn_test

// Reviews 4 and 5: the API answers a Delete 202 Accepted, with no body
// (vpn-api-reference.txt, "Response 202"). Any other 2xx is not that
// answer, and each was taken as done while the gateway stayed ACTIVE (a
// false success; `scpvpn gateways delete` exited 0):
//   - review 4: JSON the API never gives to a Delete: a 200 holding the
//     API's own error body (a gateway that wraps errors in 200 answers), or
//     {"status":"UP"} (a health or default backend that answers every path);
//   - review 5: a body of white space that is not JSON's (RFC 8259: space,
//     tab, LF, CR), read with bytes.TrimSpace, which is Unicode's: a
//     no-break space (an "empty" HTML page's &nbsp;), a form feed, a
//     vertical tab;
//   - review 5: an empty 200 or 204, what a default backend or a
//     fixed-response rule gives (nginx's `return 200;`, a load balancer's
//     fixed response), none of which forwarded the call.
// Each must be settled by reading back: the gateway is ACTIVE, so the
// outcome is unknown.

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"

	"github.com/scpsdk/scpvpn"
)

func TestReview4DeleteAnsweredOtherwiseThanTheAPIsEmpty202IsNotDone(t *testing.T) {
	t.Parallel()
	const id = "0fdd87aab8cb46f59b7c1f81ed03fb3e"
	for name, tc := range map[string]struct {
		status int
		body   string
		why    string
	}{
		"the API's error body in a 200": {http.StatusOK, `{"errors":[{"code":"Conflict","detail":"the VPN gateway has VPN tunnels"}]}`, "nothing says the service saw the delete"},
		"a default backend's JSON":      {http.StatusOK, `{"status":"UP"}`, "nothing says the service saw the delete"},
		"a no-break space":              {http.StatusOK, "\u00a0", "a body that is not JSON white space is not the API's empty answer"},
		"a form feed":                   {http.StatusOK, "\f", "a body that is not JSON white space is not the API's empty answer"},
		"a vertical tab":                {http.StatusOK, "\v", "a body that is not JSON white space is not the API's empty answer"},
		"an empty 200":                  {http.StatusOK, "", "only the API's 202 says the service took the delete"},
		"a 204":                         {http.StatusNoContent, "", "only the API's 202 says the service took the delete"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			mock.RegisterResponder(http.MethodDelete, testEndpoint+"/v1/vpn-gateways/"+id, httpmock.NewStringResponder(tc.status, tc.body))
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+id,
				httpmock.NewStringResponder(http.StatusOK, fixture(t, "v1.1", "gateway_get_response")))
			c := newClient(t, mock, scpvpn.WithoutRetries())
			err := c.V1Dot1.Gateways.Delete(context.Background(), id)
			assert.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "the gateway is ACTIVE; %s", tc.why)
		})
	}
}
