// This file holds the sixth review's test of HasNext on a service that
// caps its pages below the size asked and echoes the size asked, when the
// echoed size happens to place a page exactly at the count.
package scpvpn_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// TestReview6HasNextOnACappedServiceWhosePageLandsOnTheCount: asked for 20
// a page, a service that holds its pages to 10 (and echoes 20) with 30
// gateways answers page 1 with 10 items; 1*20 + 10 == 30, so hasNext takes
// it for the last page "as the size echoed places it", while page 2 still
// holds 10 gateways. A List loop guided by HasNext loses them silently.
func TestReview6HasNextOnACappedServiceWhosePageLandsOnTheCount(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	const total, capped, asked = 30, 10, 20
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", cappedGatewayPages(total, capped))
	got := idsByHasNext(t, c, asked)
	var all []string
	for gw, err := range c.V1Dot1.Gateways.All(context.Background(), &scpvpn.GatewayListOptions{Size: asked}) {
		require.NoError(t, err)
		all = append(all, gw.ID)
	}
	require.Len(t, all, total, "All reaches every gateway")
	assert.Len(t, got, total, "a List loop guided by HasNext must reach every gateway All reaches; got %v", got)
}
