package scpvpn_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// pagedServer answers list calls from a fixed set of ids, page by page, as
// the API does, and keeps the queries it saw.
type pagedServer struct {
	key   string // "vpn_gateways" or "vpn_tunnels"
	ids   []string
	count int // reported count; defaults to len(ids)

	mu      sync.Mutex
	queries []string
	failAt  int // page that answers 503 when > 0
	capSize int // the most items a page holds, whatever size asks, when > 0
}

func (s *pagedServer) responder(req *http.Request) (*http.Response, error) {
	q := req.URL.Query()
	s.mu.Lock()
	s.queries = append(s.queries, req.URL.RawQuery)
	s.mu.Unlock()
	page, _ := strconv.Atoi(q.Get("page"))
	size, err := strconv.Atoi(q.Get("size"))
	if err != nil {
		size = 20
	}
	if s.failAt > 0 && page == s.failAt {
		return httpmockResponse(http.StatusBadRequest, `{"errors":[{"detail":"page refused"}]}`), nil
	}
	step := size
	if s.capSize > 0 {
		step = min(size, s.capSize)
	}
	items := []map[string]any{}
	for i := page * step; i < len(s.ids) && i < (page+1)*step; i++ {
		items = append(items, map[string]any{"id": s.ids[i], "state": "ACTIVE"})
	}
	count := s.count
	if count == 0 {
		count = len(s.ids)
	}
	body, _ := json.Marshal(map[string]any{"count": count, "page": page, "size": size, "sort": []string{"created_at:asc"}, s.key: items})
	return httpmockResponse(http.StatusOK, string(body)), nil
}

func (s *pagedServer) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.queries...)
}

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("id%02d", i)
	}
	return out
}

func TestGatewaysAllWalksEveryPage(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	srv := &pagedServer{key: "vpn_gateways", ids: ids(5)}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", srv.responder)

	opts := &scpvpn.GatewayListOptions{Size: 2, Name: "gw"}
	var got []string
	for gw, err := range c.V1Dot1.Gateways.All(context.Background(), opts) {
		require.NoError(t, err)
		got = append(got, gw.ID)
	}
	assert.Equal(t, ids(5), got)
	assert.Equal(t, []string{"name=gw&size=2", "name=gw&page=1&size=2", "name=gw&page=2&size=2"}, srv.seen(),
		"stops after the page that holds the last of count, without asking for an empty page")
	assert.Equal(t, &scpvpn.GatewayListOptions{Size: 2, Name: "gw"}, opts, "the caller's options are not changed")
}

func TestAllStartsAtTheCallersPage(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	srv := &pagedServer{key: "vpn_tunnels", ids: ids(7)}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-tunnels", srv.responder)

	var got []string
	for tn, err := range c.V1Dot1.Tunnels.All(context.Background(), &scpvpn.TunnelListOptionsV1Dot1{Page: 1, Size: 3}) {
		require.NoError(t, err)
		got = append(got, tn.ID)
	}
	assert.Equal(t, ids(7)[3:], got)
	assert.Equal(t, []string{"page=1&size=3", "page=2&size=3", "page=3&size=3"}, srv.seen(),
		"from a later page fewer than count remain, so the walk ends at an empty page")
}

func TestAllStopsAtAnEmptyPage(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	// The server claims more than it has: All must not loop forever.
	srv := &pagedServer{key: "vpn_tunnels", ids: ids(3), count: 100}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-tunnels", srv.responder)

	n := 0
	for tn, err := range c.V1Dot0.Tunnels.All(context.Background(), &scpvpn.TunnelListOptions{Size: 2, RemoteSubnet: "10.1.0.0/16"}) {
		require.NoError(t, err)
		require.NotNil(t, tn)
		n++
	}
	assert.Equal(t, 3, n)
	assert.Equal(t, []string{"remote_subnet=10.1.0.0%2F16&size=2", "page=1&remote_subnet=10.1.0.0%2F16&size=2", "page=2&remote_subnet=10.1.0.0%2F16&size=2"}, srv.seen())
}

func TestAllYieldsTheErrorAndStops(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	srv := &pagedServer{key: "vpn_gateways", ids: ids(10), failAt: 1}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", srv.responder)

	var got []string
	var errs []error
	for gw, err := range c.V1Dot0.Gateways.All(context.Background(), &scpvpn.GatewayListOptions{Size: 4}) {
		if err != nil {
			assert.Nil(t, gw)
			errs = append(errs, err)
			continue
		}
		got = append(got, gw.ID)
	}
	assert.Equal(t, ids(4), got)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], scpvpn.ErrBadRequest)
	assert.Len(t, srv.seen(), 2)
}

func TestAllStopsWhenTheCallerBreaks(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	srv := &pagedServer{key: "vpn_gateways", ids: ids(10)}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", srv.responder)

	for gw, err := range c.V1Dot1.Gateways.All(context.Background(), &scpvpn.GatewayListOptions{Size: 3}) {
		require.NoError(t, err)
		if gw.ID == "id04" {
			break
		}
	}
	assert.Len(t, srv.seen(), 2, "no page is fetched after the caller stops")
}

func TestAllStopsAtCountWhatEverThePageSize(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	// The server caps pages at 2 but echoes the size asked for; All must
	// neither trust that size nor stop early.
	srv := &pagedServer{key: "vpn_gateways", ids: ids(5), capSize: 2}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", srv.responder)
	var got []string
	for gw, err := range c.V1Dot1.Gateways.All(context.Background(), &scpvpn.GatewayListOptions{Size: 500}) {
		require.NoError(t, err)
		got = append(got, gw.ID)
	}
	assert.Equal(t, ids(5), got)
	assert.Len(t, srv.seen(), 3, "pages of 2, 2 and 1: count reached")
}

func TestAllWithNilOptionsUsesTheDefaults(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	srv := &pagedServer{key: "vpn_gateways", ids: ids(25)}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", srv.responder)
	n := 0
	for _, err := range c.V1Dot1.Gateways.All(context.Background(), nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 25, n)
	assert.Equal(t, []string{"", "page=1"}, srv.seen())
}

func TestNegativePagingIsRefused(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	ctx := context.Background()

	_, err := c.V1Dot1.Gateways.List(ctx, &scpvpn.GatewayListOptions{Page: -1, Size: -5})
	var vErr *scpvpn.ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.Equal(t, "scpvpn: invalid GatewayListOptions: page must be 0 or more; size must be 0 or more", err.Error())
	_, err = c.V1Dot0.Tunnels.List(ctx, &scpvpn.TunnelListOptions{Size: -1})
	require.ErrorAs(t, err, &vErr)

	n := 0
	for tn, err := range c.V1Dot1.Tunnels.All(ctx, &scpvpn.TunnelListOptionsV1Dot1{Page: -2}) {
		assert.Nil(t, tn)
		require.ErrorAs(t, err, &vErr)
		n++
	}
	assert.Equal(t, 1, n, "All yields the error once")
	assert.Zero(t, mock.GetTotalCallCount(), "nothing was sent")
}
