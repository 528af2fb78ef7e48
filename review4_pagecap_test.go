package scpvpn_test

// Review 4: a service that caps the size of a page (asked 500, it gives
// 2 a page) and echoes the size asked for. Release 0.2 walked such a
// service to the end on purpose (TestAllStopsAtCountWhatEverThePageSize:
// "All must neither trust that size nor stop early"); the third review's
// page check (resource.go listPage: n > count/each, each the smaller of
// the size asked and echoed) now refuses its page 1 as "beyond its count",
// while it still takes its page 0 (2 of 5 where the size says all 5: "a
// shorter page is taken") and walks on to page 1 because of it. All ends
// with ErrUnexpectedAnswer after 2 of 5 gateways; a clean-up loop over All
// leaves 3. The page answered is the one asked, holds only items of the
// count, and lies within it by the service's own page size: it contradicts
// nothing but a size echo the SDK already declines to trust on page 0.

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"

	"github.com/scpsdk/scpvpn"
)

func TestReview4AServiceThatCapsItsPagesIsWalkedToTheEnd(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	const total, capped = 5, 2
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", cappedGatewayPages(total, capped))
	var got []string
	var errs []error
	for gw, err := range c.V1Dot1.Gateways.All(context.Background(), &scpvpn.GatewayListOptions{Size: 500}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, gw.ID)
	}
	assert.Empty(t, errs)
	assert.Equal(t, []string{"gw0", "gw1", "gw2", "gw3", "gw4"}, got)
}
