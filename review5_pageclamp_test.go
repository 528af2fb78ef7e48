package scpvpn_test

// Review 5: the fourth review's page bound (review4 item 6) counts the
// pages before All's start page as start*k0, k0 the items of the first
// page walked, "which can only make the walk ask for one more page
// (answered empty)". Asked from page 1 of size 2 over 3 gateways, the
// first page walked (page 1) holds 1 gateway, so All now asks for page 2,
// which before it never did (its size-based count, 2 + 1 = 3, ended the
// walk). A service that clamps a page past the end to its last page (a
// common paginator: page 2 of 3 at size 2 is page 1's gateway again),
// echoing the page asked, now gets that gateway yielded twice. Review 3
// caught exactly this answer as a contradiction (page 2 of size 2 over a
// count of 3 lies beyond the count); the bound n*k + k <= count (2*1 + 1 =
// 3) lets it through. A clean-up loop over All deletes the gateway twice
// (its second Delete a 409 or a 404), and a count of what All yields
// (the CLI's list) shows 3 gateways of a page that has 1. A clamping
// service that echoes the page it gives (1) makes All end, after
// yielding every gateway, with ErrUnexpectedAnswer ("asked for page 2,
// the answer is page 1"): `scpvpn gateways list --all --page 1 --size 2`
// fails where it did not.

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"

	"github.com/scpsdk/scpvpn"
)

func TestReview5AllFromALaterPageYieldsNoGatewayTwice(t *testing.T) {
	t.Parallel()
	for name, echoClamped := range map[string]bool{"echoing the page asked": false, "echoing the page it gives": true} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			review5AllFromALaterPage(t, echoClamped)
		})
	}
}

// review5AllFromALaterPage walks All from page 1 of size 2 over 3 gateways
// on a service that answers a page past the end with its last page, and
// echoes the page asked or, when echoClamped, the page it gives. Either
// way All must yield gw2 once and end without error: before the fourth
// review's bound it never asked for page 2.
func review5AllFromALaterPage(t *testing.T, echoClamped bool) {
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	const total = 3
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(req *http.Request) (*http.Response, error) {
		q := req.URL.Query()
		page, _ := strconv.Atoi(q.Get("page"))
		size, _ := strconv.Atoi(q.Get("size"))
		last := (total - 1) / size
		from := min(page, last) * size // a page past the end is the last page
		items := []map[string]any{}
		for i := from; i < total && i < from+size; i++ {
			items = append(items, map[string]any{"id": "gw" + strconv.Itoa(i), "state": "ACTIVE", "created_at": "2024-05-17T00:23:17Z"})
		}
		echoed := page
		if echoClamped {
			echoed = min(page, last)
		}
		body, _ := json.Marshal(map[string]any{"count": total, "page": echoed, "size": size, "vpn_gateways": items})
		return httpmockResponse(http.StatusOK, string(body)), nil
	})
	var got []string
	for gw, err := range c.V1Dot1.Gateways.All(context.Background(), &scpvpn.GatewayListOptions{Page: 1, Size: 2}) {
		if err != nil {
			got = append(got, "error: "+err.Error())
			continue
		}
		got = append(got, gw.ID)
	}
	assert.Equal(t, []string{"gw2"}, got, "page 1 of size 2 over 3 gateways holds gw2 alone; All from it must yield it once")
}
