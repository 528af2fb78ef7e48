package scpvpn_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/sigverify"
)

// The resource calls every service makes: each operation on the wire
// against the API reference's example (the table's rows are in
// vpngateway_test.go and vpntunnel_test.go), ids that are checked and
// escaped, answers that are wrong or hostile, pages walked by All, and
// fuzzed ids.

// operation is one row of the table: how to call it, what must go on the
// wire, and what must come back.
type operation struct {
	name      string
	version   string // testdata folder and Scp-Api-Version suffix: "v1.0" or "v1.1"
	method    string
	path      string
	rawQuery  string
	reqBody   string // fixture name of the request body, "" for none
	status    int
	respBody  string // fixture name of the answer, "" for none
	call      func(context.Context, *scpvpn.Client) (any, error)
	want      any
	wantNoErr bool // for Delete: no value, just no error
}

// operations are the twenty operations of the API: ten endpoints in two
// versions.
func operations() []operation {
	return append(gatewayOperations(), tunnelOperations()...)
}

// testOperations checks each operation on the wire: method, path, query,
// every SCP header, a signature verified independently of the SDK's signer,
// the JSON body, and every field of the decoded answer.
func testOperations(t *testing.T, ops []operation) {
	t.Helper()
	for _, op := range ops {
		t.Run(op.version+" "+op.name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock)
			var rec recorder
			answer := ""
			if op.respBody != "" {
				answer = fixture(t, op.version, op.respBody)
			}
			mock.RegisterResponder(op.method, testEndpoint+op.path, rec.respond(op.status, answer))

			before := time.Now()
			got, err := op.call(context.Background(), c)
			require.NoError(t, err)
			if op.wantNoErr {
				assert.Nil(t, got)
			} else {
				assert.Equal(t, op.want, got)
			}

			sent := rec.only(t)
			req := sent.Request
			assert.Equal(t, op.method, req.Method)
			assert.Equal(t, op.path, req.URL.EscapedPath())
			assert.Equal(t, op.rawQuery, req.URL.RawQuery)
			assertSCPHeaders(t, req, "vpn "+strings.TrimPrefix(op.version, "v"), before)
			if op.reqBody != "" {
				assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
				assert.JSONEq(t, fixture(t, op.version, op.reqBody), string(sent.Body))
			} else {
				assert.Empty(t, sent.Body)
			}
		})
	}
}

// assertSCPHeaders checks every header SCP expects and verifies the
// signature with the independent implementation in internal/sigverify.
func assertSCPHeaders(t *testing.T, req *http.Request, version string, before time.Time) {
	t.Helper()
	assert.Equal(t, version, req.Header.Get("Scp-Api-Version"))
	assert.Equal(t, testAccessKey, req.Header.Get("Scp-Accesskey"))
	assert.Equal(t, "Openapi", req.Header.Get("Scp-ClientType"))
	assert.Empty(t, req.Header.Values("Scp-AccountId"), "no account id was configured")
	assert.Equal(t, "en-US", req.Header.Get("Accept-Language"))
	assert.Equal(t, "application/json", req.Header.Get("Accept"))
	assert.Regexp(t, `^scpvpn-go/\d+\.\d+\.\d+ go/go\S+$`, req.Header.Get("User-Agent"))

	ts, err := strconv.ParseInt(req.Header.Get("Scp-Timestamp"), 10, 64)
	require.NoError(t, err, "Scp-Timestamp is milliseconds since the epoch")
	assert.GreaterOrEqual(t, ts, before.UnixMilli())
	assert.LessOrEqual(t, ts, time.Now().UnixMilli())

	assert.NoError(t, sigverify.Verify(req, testSecretKey), "signature verifies")
	assert.Error(t, sigverify.Verify(req, "another secret"), "a signature that any key verifies proves nothing")
}

func TestEmptyIDIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	ctx := context.Background()
	calls := map[string]func() error{
		"gateway get":    func() error { _, err := c.V1Dot1.Gateways.Get(ctx, ""); return err },
		"gateway set":    func() error { _, err := c.V1Dot1.Gateways.Set(ctx, "", &scpvpn.GatewaySetRequest{}); return err },
		"gateway delete": func() error { return c.V1Dot0.Gateways.Delete(ctx, "") },
		"tunnel get":     func() error { _, err := c.V1Dot0.Tunnels.Get(ctx, ".."); return err },
		"tunnel set":     func() error { _, err := c.V1Dot1.Tunnels.Set(ctx, "", &scpvpn.TunnelSetRequestV1Dot1{}); return err },
		"tunnel delete":  func() error { return c.V1Dot1.Tunnels.Delete(ctx, ".") },
	}
	for name, call := range calls {
		err := call()
		var vErr *scpvpn.ValidationError
		require.ErrorAs(t, err, &vErr, name)
		assert.Equal(t, "id", vErr.Fields[0].Field, name)
		assert.Contains(t, err.Error(), "id must not be", name)
	}
	assert.Zero(t, mock.GetTotalCallCount(), "nothing was sent")
}

func TestIDsAreEscaped(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	var rec recorder
	mock.RegisterNoResponder(rec.respond(http.StatusNotFound, `{"errors":[{"detail":"no such gateway"}]}`))
	_, err := c.V1Dot1.Gateways.Get(context.Background(), "../vpn-tunnels/x?all=1#frag")
	require.ErrorIs(t, err, scpvpn.ErrNotFound)

	sent := rec.only(t).Request
	assert.Equal(t, "/v1/vpn-gateways/..%2Fvpn-tunnels%2Fx%3Fall=1%23frag", sent.URL.EscapedPath(), "one path segment, whatever the id holds")
	assert.Empty(t, sent.URL.RawQuery)
}

func TestNilRequestIsRefused(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithoutValidation())
	ctx := context.Background()
	_, err := c.V1Dot1.Gateways.Create(ctx, nil)
	var vErr *scpvpn.ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.Equal(t, "GatewayCreateRequest", vErr.Request)
	_, err = c.V1Dot1.Tunnels.Create(ctx, nil)
	require.ErrorAs(t, err, &vErr)
	_, err = c.V1Dot0.Tunnels.Set(ctx, "t1", nil)
	require.ErrorAs(t, err, &vErr)
	assert.Zero(t, mock.GetTotalCallCount())
}

func TestAnswerWithoutResource(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-tunnels/t1", rec.respond(http.StatusOK, `{"something_else": {}}`))
	tn, err := c.V1Dot1.Tunnels.Get(context.Background(), "t1")
	require.Error(t, err)
	assert.Nil(t, tn)
	assert.Contains(t, err.Error(), "holds no VPN tunnel")
}

// A gateway call reads only the gateway key of an answer, and a tunnel call
// only the tunnel key.
func TestAnswersOfTheOtherResourceAreRefused(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	var rec recorder
	tunnel := map[string]any{"vpn_tunnel": map[string]any{"id": "t1", "state": "ACTIVE"}}
	body, err := json.Marshal(tunnel)
	require.NoError(t, err)
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/g1", rec.respond(http.StatusOK, string(body)))
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", rec.respond(http.StatusOK, `{"count":1,"page":0,"size":20,"vpn_tunnels":[{"id":"t1"}]}`))

	gw, err := c.V1Dot1.Gateways.Get(context.Background(), "g1")
	require.Error(t, err)
	assert.Nil(t, gw)
	assert.Contains(t, err.Error(), "holds no VPN gateway")

	list, err := c.V1Dot1.Gateways.List(context.Background(), nil)
	require.Error(t, err, "a page without its items is not an empty page")
	assert.Nil(t, list)
	assert.Contains(t, err.Error(), "holds no vpn_gateways")
}

// TestBadJSON: answers whose JSON is wrong fail with an error that says what
// was asked and what went wrong, and that errors.As can take apart.
func TestBadJSON(t *testing.T) {
	t.Parallel()
	gwFixture := fixture(t, "v1.1", "gateway_get_response")
	cases := []struct {
		name  string
		body  string
		check func(t *testing.T, err error)
		words []string
	}{
		{"malformed", `{"vpn_gateway": {"id": }}`, func(t *testing.T, err error) {
			var syntax *json.SyntaxError
			assert.ErrorAs(t, err, &syntax)
		}, []string{"could not be decoded"}},
		{"not JSON", `<html><body>Service Temporarily Unavailable</body></html>`, func(t *testing.T, err error) {
			var syntax *json.SyntaxError
			assert.ErrorAs(t, err, &syntax)
		}, []string{"could not be decoded"}},
		{"truncated", gwFixture[:len(gwFixture)/2], func(t *testing.T, err error) {
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		}, []string{"could not be decoded"}},
		{"id is a number", `{"vpn_gateway": {"id": 42}}`, func(t *testing.T, err error) {
			var typeErr *json.UnmarshalTypeError
			require.ErrorAs(t, err, &typeErr)
		}, []string{"could not be decoded", "id"}},
		{"gateway is a list", `{"vpn_gateway": [1, 2]}`, func(t *testing.T, err error) {
			var typeErr *json.UnmarshalTypeError
			require.ErrorAs(t, err, &typeErr)
		}, []string{"could not be decoded"}},
		{"created_at is a number", `{"vpn_gateway": {"id": "x", "created_at": 1715905397}}`, nil, []string{"could not be decoded", "timestamp"}},
		{"created_at is not a time", `{"vpn_gateway": {"id": "x", "created_at": "yesterday"}}`, nil, []string{"could not be decoded", "RFC 3339"}},
		{"created_at offset of 24 hours", `{"vpn_gateway": {"id": "x", "created_at": "2024-05-17 00:23:17+24:00"}}`, nil, []string{"could not be decoded", "RFC 3339"}},
		{"answer is a list", `[]`, nil, []string{"could not be decoded"}},
		{"answer is a string", `"ok"`, nil, []string{"could not be decoded"}},
		{"deeply nested", strings.Repeat("[", 100000), nil, []string{"could not be decoded"}},
		{"empty", ``, nil, []string{"empty body"}},
		{"only spaces", "  \n\t ", nil, []string{"empty body"}},
		{"null", `null`, nil, []string{"no VPN gateway"}},
		{"no gateway", `{"vpn_tunnel": null, "other": 1}`, nil, []string{"no VPN gateway"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock)
			var rec recorder
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID, rec.respond(http.StatusOK, tc.body))
			var got *scpvpn.Gateway
			var err error
			require.NotPanics(t, func() { got, err = c.V1Dot1.Gateways.Get(context.Background(), gatewayID) })
			require.Error(t, err)
			assert.Nil(t, got)
			msg := err.Error()
			assert.Contains(t, msg, "GET")
			assert.Contains(t, msg, "/v1/vpn-gateways/"+gatewayID)
			for _, w := range tc.words {
				assert.Contains(t, msg, w)
			}
			assert.Less(t, len(msg), 600, "a hostile body is not repeated at length: %s", msg)
			var apiErr *scpvpn.APIError
			assert.False(t, errors.As(err, &apiErr), "a 200 is not an API error")
			if tc.check != nil {
				tc.check(t, err)
			}
			rec.only(t) // an unreadable answer is not retried
		})
	}
}

// TestBadJSONEveryDecoder: every model decodes a mistyped answer into an
// error, through every operation that returns one.
func TestBadJSONEveryDecoder(t *testing.T) {
	t.Parallel()
	// Each body is mistyped for the gateway and for the tunnel envelopes.
	single := map[string]string{
		"name is a number":       `{"vpn_tunnel": {"name": 1}, "vpn_gateway": {"name": 1}}`,
		"phase1 is a string":     `{"vpn_tunnel": {"phase1": "x"}, "vpn_gateway": {"state": 1}}`,
		"groups are strings":     `{"vpn_tunnel": {"phase1": {"diffie_hellman_groups": ["30"]}}, "vpn_gateway": {"ip_address": []}}`,
		"subnets are wrong":      `{"vpn_tunnel": {"phase2": {"remote_subnets": "10.0.0.0/8", "remote_subnet": 8}}, "vpn_gateway": {"vpc_id": {}}}`,
		"modified_at is invalid": `{"vpn_tunnel": {"modified_at": "2024-13-45T99:99:99Z"}, "vpn_gateway": {"modified_at": "2024-13-45T99:99:99Z"}}`,
	}
	lists := map[string]string{
		"count is a string": `{"count": "20", "vpn_gateways": [], "vpn_tunnels": []}`,
		"list is an object": `{"count": 1, "vpn_gateways": {}, "vpn_tunnels": {}}`,
		"sort is a string":  `{"count": 1, "sort": "name:asc"}`,
		"item is a number":  `{"count": 1, "vpn_gateways": [1], "vpn_tunnels": [1]}`,
	}
	for _, op := range operations() {
		if op.wantNoErr {
			continue // Delete decodes nothing
		}
		bodies := single
		if strings.Contains(op.name, "list") {
			bodies = lists
		}
		for name, body := range bodies {
			t.Run(op.version+" "+op.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				mock := httpmock.NewMockTransport()
				c := newClient(t, mock)
				var rec recorder
				mock.RegisterResponder(op.method, testEndpoint+op.path, rec.respond(op.status, body))
				var err error
				require.NotPanics(t, func() { _, err = op.call(context.Background(), c) })
				require.Error(t, err)
				assert.Contains(t, err.Error(), "could not be decoded")
			})
		}
	}
}

// TestEmptySuccess: a 2xx without a body is fine where nothing is expected
// (Delete's 202; its empty 200 or 204 is read back) and a clear error where
// a resource is.
func TestEmptySuccess(t *testing.T) {
	t.Parallel()
	for _, op := range operations() {
		for _, status := range []int{http.StatusOK, http.StatusAccepted, http.StatusNoContent} {
			t.Run(op.version+" "+op.name+"/"+http.StatusText(status), func(t *testing.T) {
				t.Parallel()
				mock := httpmock.NewMockTransport()
				c := newClient(t, mock)
				var rec recorder
				mock.RegisterResponder(op.method, testEndpoint+op.path, rec.respond(status, ""))
				got, err := op.call(context.Background(), c)
				rec.only(t)
				if op.wantNoErr && status != http.StatusAccepted {
					// Only the API's 202 says the service took a delete; an
					// empty 200 or 204 is a default backend's, read back (here
					// unanswered: the outcome stays unknown).
					require.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown)
					assert.Contains(t, err.Error(), "not the API's 202")
					return
				}
				if op.wantNoErr {
					require.NoError(t, err)
					return
				}
				require.Error(t, err)
				assert.Contains(t, err.Error(), "empty body")
				// A typed nil in an interface is still nil inside.
				assert.True(t, got == nil || isNilPointer(got), "no value with an error: %#v", got)
			})
		}
	}
}

func isNilPointer(v any) bool {
	switch p := v.(type) {
	case *scpvpn.Gateway:
		return p == nil
	case *scpvpn.GatewayList:
		return p == nil
	case *scpvpn.Tunnel:
		return p == nil
	case *scpvpn.TunnelV1Dot1:
		return p == nil
	case *scpvpn.TunnelList:
		return p == nil
	case *scpvpn.TunnelListV1Dot1:
		return p == nil
	}
	return false
}

// TestBodyFailsMidway: an answer whose connection breaks while the body is
// read is an error naming the cause.
func TestBodyFailsMidway(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithoutRetries())
	var rec recorder
	var bt bodyTracker
	gw := fixture(t, "v1.1", "gateway_get_response")
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID,
		bt.respond(&rec, http.StatusOK, io.MultiReader(strings.NewReader(gw[:40]), &failingReader{err: faultReset})))
	_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
	require.Error(t, err)
	assert.ErrorIs(t, err, faultReset)
	bt.mu.Lock()
	defer bt.mu.Unlock()
	_, _, closed := bt.bodies[0].state()
	assert.Positive(t, closed)
}

type failingReader struct{ err error }

func (r *failingReader) Read([]byte) (int, error) { return 0, r.err }

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
	body, _ := json.Marshal(map[string]any{"count": count, "page": page, "size": step, "sort": []string{"created_at:asc"}, s.key: items})
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
	assert.Equal(t, []string{"page=1&size=3", "page=2&size=3"}, srv.seen(),
		"the places of the pages before the start count: the walk ends at the count, without asking for an empty page")
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
	// The server caps pages at 2, and says so in the size it echoes; All
	// must neither trust the size asked for nor stop early. (A server that
	// echoed 500 would contradict itself from page 1 on: page 1 of size
	// 500 lies beyond a count of 5.)
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

// A page that holds more items than its count leaves for it, after those
// of the pages before, contradicts itself: All says so rather than cut it
// to the count (and List refuses a page that holds more than its count).
func TestAPageBeyondItsCountIsUnexpected(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	srv := &pagedServer{key: "vpn_gateways", ids: ids(4), count: 3}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", srv.responder)
	var got []string
	var last error
	for gw, err := range c.V1Dot1.Gateways.All(context.Background(), &scpvpn.GatewayListOptions{Size: 2}) {
		if err != nil {
			last = err
			break
		}
		got = append(got, gw.ID)
	}
	assert.Equal(t, ids(2), got, "the first page is as its count allows")
	require.ErrorIs(t, last, scpvpn.ErrUnexpectedAnswer)
	assert.Contains(t, last.Error(), "page 1 holds 2 VPN gateways, more than its count of 3 leaves after the pages before it, each full and so holding at least 2")

	srv = &pagedServer{key: "vpn_gateways", ids: ids(3), count: 2}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", srv.responder)
	l, err := c.V1Dot1.Gateways.List(context.Background(), nil)
	require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer, "listed as %+v", l)
	assert.Contains(t, err.Error(), "page 0 holds 3 VPN gateways, more than its count of 2")
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

// FuzzID: any id is either refused before sending, or sent as exactly one
// request whose path is the collection and one escaped segment that decodes
// back to the id, with no query, to the endpoint's host, signed as sent.
func FuzzID(f *testing.F) {
	for _, id := range []string{
		gatewayID, "", ".", "..", "../../v1/vpn-tunnels", "a/b", "a?b=c", "a#frag", "%2e%2e", "%2F", "a b",
		"?", "#", ";", "{id}", "..%2f..", "\x00", "\xff\xfe", "ü", "..;", "//host.example/x", "\\..\\", "a%", "%zz",
		strings.Repeat("x", 256), strings.Repeat("x", 257), "http://evil.example/", "@evil.example",
	} {
		f.Add(id)
	}
	host, _ := url.Parse(testEndpoint)
	f.Fuzz(func(t *testing.T, id string) {
		// method is the call's own: a Set whose answer is not about id
		// (anyResource is about gatewayID) is read back with a GET.
		type idCall struct {
			collection, method string
			call               func(context.Context, *scpvpn.Client) error
		}
		calls := []idCall{
			{"/v1/vpn-gateways/", http.MethodGet, func(ctx context.Context, c *scpvpn.Client) error {
				_, err := c.V1Dot1.Gateways.Get(ctx, id)
				return err
			}},
			{"/v1/vpn-gateways/", http.MethodDelete, func(ctx context.Context, c *scpvpn.Client) error { return c.V1Dot0.Gateways.Delete(ctx, id) }},
			{"/v1/vpn-gateways/", http.MethodPut, func(ctx context.Context, c *scpvpn.Client) error {
				_, err := c.V1Dot1.Gateways.Set(ctx, id, &scpvpn.GatewaySetRequest{Description: ptr("x")})
				return err
			}},
			{"/v1/vpn-tunnels/", http.MethodGet, func(ctx context.Context, c *scpvpn.Client) error { _, err := c.V1Dot1.Tunnels.Get(ctx, id); return err }},
			{"/v1/vpn-tunnels/", http.MethodPut, func(ctx context.Context, c *scpvpn.Client) error {
				_, err := c.V1Dot0.Tunnels.Set(ctx, id, &scpvpn.TunnelSetRequest{Description: ptr("x")})
				return err
			}},
		}
		for i, ic := range calls {
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock, scpvpn.WithoutRetries())
			var rec recorder
			mock.RegisterNoResponder(rec.respond(http.StatusOK, anyResource))
			err := ic.call(context.Background(), c)
			var sent []recorded
			for _, r := range rec.all() {
				if r.Request.Method == ic.method {
					sent = append(sent, r)
				}
			}
			var vErr *scpvpn.ValidationError
			if errors.As(err, &vErr) {
				if len(sent) != 0 {
					t.Fatalf("call %d: id %q refused, yet %d requests went out", i, id, len(sent))
				}
				continue
			}
			if len(sent) != 1 {
				t.Fatalf("call %d: id %q: %d requests, error %v", i, id, len(sent), err)
			}
			u := sent[0].Request.URL
			p := u.EscapedPath()
			seg, ok := strings.CutPrefix(p, ic.collection)
			switch {
			case !ok:
				t.Fatalf("call %d: id %q left the collection: %s", i, id, p)
			case seg == "" || strings.Contains(seg, "/"):
				t.Fatalf("call %d: id %q is not one segment: %s", i, id, p)
			case seg == "." || seg == "..":
				t.Fatalf("call %d: id %q is a dot segment: %s", i, id, p)
			case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
				t.Fatalf("call %d: id %q added a query or fragment: %s", i, id, u)
			case u.Host != host.Host || u.Scheme != host.Scheme || u.User != nil:
				t.Fatalf("call %d: id %q changed the host: %s", i, id, u)
			}
			if back, err := url.PathUnescape(seg); err != nil || back != id {
				t.Fatalf("call %d: id %q arrived as %q (%q, %v)", i, id, seg, back, err)
			}
			if err := sigverify.Verify(sent[0].Request, testSecretKey); err != nil {
				t.Fatalf("call %d: id %q: %v", i, id, err)
			}
		}
	})
}
