package scpvpn_test

// Review 5: Delete's empty-body rule (review4 item 7) takes a 2xx body of
// "white space" as the API's empty answer, but reads white space with
// bytes.TrimSpace, which is Unicode's: a form feed, a vertical tab, a
// no-break space (U+00A0, what an "empty" HTML page's &nbsp; is as UTF-8),
// NEL (U+0085) or an ideographic space are not JSON's white space (RFC
// 8259: space, tab, LF, CR) and no answer of the API. A proxy's body of
// them is taken as done: Delete returns nil, with no read-back, while the
// gateway stays ACTIVE. (Low severity: such a body is unusual; the rule
// should be the JSON one the rest of the SDK reads by.)

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"

	"github.com/scpsdk/scpvpn"
)

func TestReview5DeleteAnsweredWithUnicodeSpaceIsNotDone(t *testing.T) {
	t.Parallel()
	const id = "0fdd87aab8cb46f59b7c1f81ed03fb3e"
	for name, body := range map[string]string{
		"a no-break space": "\u00a0",
		"a form feed":      "\f",
		"a vertical tab":   "\v",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			mock.RegisterResponder(http.MethodDelete, testEndpoint+"/v1/vpn-gateways/"+id, httpmock.NewStringResponder(http.StatusOK, body))
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+id,
				httpmock.NewStringResponder(http.StatusOK, fixture(t, "v1.1", "gateway_get_response")))
			c := newClient(t, mock, scpvpn.WithoutRetries())
			err := c.V1Dot1.Gateways.Delete(context.Background(), id)
			assert.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "the gateway is ACTIVE; a body that is not JSON white space is not the API's empty answer")
		})
	}
}

// Review 5 (design call, same reasoning as review4 item 7): the API answers
// a Delete 202 Accepted, with no body. An empty 200 or 204 is not that
// answer: it is what a default backend or a fixed-response rule gives
// (nginx's `return 200;`, a load balancer's fixed response, a
// misrouted path), none of which forwarded the call. Delete takes any
// empty 2xx as done: nil, no read-back, while the gateway stays ACTIVE
// (a false success; `scpvpn gateways delete` exits 0).
func TestReview5DeleteAnsweredWithAnEmpty2xxOtherThan202IsNotDone(t *testing.T) {
	t.Parallel()
	const id = "0fdd87aab8cb46f59b7c1f81ed03fb3e"
	for name, status := range map[string]int{"an empty 200": http.StatusOK, "a 204": http.StatusNoContent} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			mock.RegisterResponder(http.MethodDelete, testEndpoint+"/v1/vpn-gateways/"+id, httpmock.NewStringResponder(status, ""))
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+id,
				httpmock.NewStringResponder(http.StatusOK, fixture(t, "v1.1", "gateway_get_response")))
			c := newClient(t, mock, scpvpn.WithoutRetries())
			err := c.V1Dot1.Gateways.Delete(context.Background(), id)
			assert.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "the gateway is ACTIVE; only the API's 202 says the service took the delete")
		})
	}
}
