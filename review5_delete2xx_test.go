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
