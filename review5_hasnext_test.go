package scpvpn_test

// Review 5: HasNext after the fourth review's capped pages. The lead's
// decision (review4 item 6) is that a service may cap its pages below the
// size asked and echo the size asked; All now walks such a service to the
// end. HasNext, the documented way to page with List ("HasNext tells
// whether another page may follow"), still counts the pages before by the
// size echoed (resource.go hasNext: page*size + n < count), so on such a
// service it says "no next page" on page 1 while page 2 holds the fifth
// gateway: a List loop stops early and silently loses it.

import (
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
)

func TestReview5HasNextOnAServiceThatCapsItsPagesWalksToTheEnd(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	const total, capped = 5, 2
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", cappedGatewayPages(total, capped))
	got := idsByHasNext(t, c, 500)
	assert.Equal(t, []string{"gw0", "gw1", "gw2", "gw3", "gw4"}, got, "a List loop guided by HasNext must reach every gateway All reaches")
}
