package scpvpn_test

// Review 4 (low severity): All from the last page an int can number. The
// third review's checks compute the places before a page as page*size
// (resource.go listPage: n*each+k > count; walk: yielded+len > count,
// yielded++ and n++), none guarded against overflow. Asked All(Page:
// math.MaxInt, Size: 1), a server that says it holds math.MaxInt gateways
// and answers each page asked with one gateway has its page taken (the
// sum wraps negative and passes the count), after which the walk's page
// number wraps too, and the SDK asks for page -9223372036854775808: a
// request Validate would refuse ("page must be 0 or more"), sent on the
// SDK's own decision.

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"

	"github.com/scpsdk/scpvpn"
)

func TestReview4AllNeverAsksForANegativePage(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	var mu sync.Mutex
	var pages []string
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(req *http.Request) (*http.Response, error) {
		asked := req.URL.Query().Get("page")
		mu.Lock()
		pages = append(pages, asked)
		mu.Unlock()
		page, _ := strconv.Atoi(asked)
		item := map[string]any{"id": "gw" + asked, "state": "ACTIVE", "created_at": "2024-05-17T00:23:17Z"}
		body, _ := json.Marshal(map[string]any{"count": math.MaxInt, "page": page, "size": 1, "vpn_gateways": []any{item}})
		return httpmockResponse(http.StatusOK, string(body)), nil
	})
	c := newClient(t, mock)
	n := 0
	for _, err := range c.V1Dot1.Gateways.All(context.Background(), &scpvpn.GatewayListOptions{Page: math.MaxInt, Size: 1}) {
		if n++; err != nil || n == 3 {
			break
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range pages {
		v, err := strconv.Atoi(p)
		assert.True(t, err == nil && v >= 0, "the SDK asked for page %q", p)
	}
}
