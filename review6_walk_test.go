package scpvpn_test

// Review 6: All on a service that holds its pages to fewer items than the
// size it echoes (which the SDK supports since review 4) takes every page
// after the first for "speculative" (the first page is short), and ends
// quietly, with no error, at a page that repeats an id of the page before
// (resource.go walk: "a paginator that answers a page past the end with
// its last page"). A gateway created while All walks (newest first) shifts
// every later page by one, so page 1 begins with page 0's last gateway:
// All stops there, as if the list had ended, and the gateways of page 1
// on are silently never yielded. Before the fifth review the walk yielded
// the repeated gateway again and went on to the end. A clean-up that
// deletes what All yields leaves them behind, with no error to say so.

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

func TestReview6AllOnACappedServiceWithAGatewayCreatedMidWalkYieldsEveryOldGateway(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	const capped = 2
	var mu sync.Mutex
	ids := []string{"gw0", "gw1", "gw2", "gw3", "gw4"} // newest first
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		q := req.URL.Query()
		page, _ := strconv.Atoi(q.Get("page"))
		size, _ := strconv.Atoi(q.Get("size"))
		items := []map[string]any{}
		for i := page * capped; i < len(ids) && i < (page+1)*capped; i++ {
			items = append(items, map[string]any{"id": ids[i], "state": "ACTIVE", "created_at": "2024-05-17T00:23:17Z"})
		}
		body, _ := json.Marshal(map[string]any{"count": len(ids), "page": page, "size": size, "vpn_gateways": items})
		if page == 0 {
			ids = append([]string{"gwNew"}, ids...) // another client creates a gateway now
		}
		return httpmockResponse(http.StatusOK, string(body)), nil
	})
	seen := map[string]bool{}
	for gw, err := range c.V1Dot1.Gateways.All(context.Background(), &scpvpn.GatewayListOptions{Size: 500}) {
		if err != nil {
			break // an error is an honest answer; a quiet end is not
		}
		seen[gw.ID] = true
	}
	for _, id := range []string{"gw0", "gw1", "gw2", "gw3", "gw4"} {
		assert.True(t, seen[id], "%s existed for the whole walk and All ended without an error, yet never yielded it (saw %v)", id, seen)
	}
	require.NotEmpty(t, seen)
}
