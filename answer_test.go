package scpvpn_test

// Tests of how answers are read: one call's memory stays bounded
// whatever the server sends, and a list page holds no more than its size.

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// hostileServer answers every request with status and the body made of
// parts, gzip-encoded when gz is set.
func hostileServer(t *testing.T, status int, body [][]byte, gz bool) *httptest.Server {
	t.Helper()
	n := 0
	for _, p := range body {
		n += len(p)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if gz {
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.Header().Set("Content-Length", strconv.Itoa(n))
		w.WriteHeader(status)
		for _, p := range body {
			if _, err := w.Write(p); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func gzipped(t *testing.T, parts ...[]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	require.NoError(t, err)
	for _, p := range parts {
		_, err = zw.Write(p)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// allocatedBy returns the bytes allocated while f ran: an upper bound of how
// much it grew the heap. The test that uses it is not parallel, so little
// else runs meanwhile.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Whatever a server sends, plain or compressed, one call never grows the
// heap by more than 64 MiB. Not parallel: it measures the heap.
func TestOneCallsMemoryIsBounded(t *testing.T) { //nolint:paralleltest // measures the heap
	const bound = 64 << 20
	emptyItems := bytes.Repeat([]byte("{},"), 4<<20/3)
	listStart, listEnd := []byte(`{"count":1,"page":0,"size":20,"vpn_gateways":[`), []byte(`{}]}`)
	bigString := bytes.Repeat([]byte("x"), 72<<20)
	b := func(parts ...string) [][]byte { // strings, and bigString for "*"
		out := make([][]byte, len(parts))
		for i, p := range parts {
			if out[i] = []byte(p); p == "*" {
				out[i] = bigString
			}
		}
		return out
	}
	// Bodies logged at debug level, as a user chasing a fault would.
	logBodies := func(string) []scpvpn.Option {
		return []scpvpn.Option{scpvpn.WithBodyLogging(), scpvpn.WithLogger(slog.New(
			slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelDebug})))}
	}
	// The endpoint found in an IAM catalog at the server.
	catalog := func(url string) []scpvpn.Option { return []scpvpn.Option{scpvpn.WithCatalog(url, "")} }
	// A gzip stream may hold several members: 48 of a MiB of spaces each.
	spaces := [][]byte{gzipped(t, listStart)}
	for mib := gzipped(t, bytes.Repeat([]byte(" "), 1<<20)); len(spaces) <= 48; {
		spaces = append(spaces, mib)
	}
	// A page of 20 v1.1 tunnels whose items each hold a MiB of empty
	// proposals: about 16 bytes of heap for every 3 on the wire.
	tunnels := tunnelPage(1 << 20)
	cases := []struct {
		name   string
		status int
		body   [][]byte
		gz     bool
		call   func(c *scpvpn.Client) error
		opts   func(url string) []scpvpn.Option // of the client, which calls url
	}{
		{"a page of tunnels holding a MiB of proposals each", 200, tunnels, false, listTunnels, nil},
		{"a list of 1.4 million empty gateways", 200, [][]byte{listStart, emptyItems, listEnd}, false, listGateways, nil},
		{"the same, gzip-compressed", 200, [][]byte{gzipped(t, listStart, emptyItems, listEnd)}, true, listGateways, nil},
		{"a list that inflates to 48 MiB of spaces", 200, spaces, true, listGateways, nil},
		{"one gateway with a 72 MiB name", 200, b(`{"vpn_gateway":{"id":"g","name":"`, "*", `"}}`), false, getGateway, nil},
		{"a list item with a 72 MiB name", 200, b(string(listStart)+`{"name":"`, "*", `"}]}`), false, listGateways, nil},
		{"an error body of 72 MiB", 400, b(`{"errors":[{"detail":"`, "*", `"}]}`), false, getGateway, nil},
		{"a list of 2.8 million empty gateways, logged", 200, [][]byte{listStart, emptyItems, emptyItems, listEnd}, false, listGateways, logBodies},
		{"an IAM catalog of 1.4 million entries", 200, [][]byte{[]byte(`{"endpoints":[`), emptyItems[:len(emptyItems)-64*3], []byte(`{}]}`)}, false, getGateway, catalog},
		{"an error body of a million entries", 400, [][]byte{[]byte(`{"errors":[`), emptyItems, []byte(`{}]}`)}, false, getGateway, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := hostileServer(t, tc.status, tc.body, tc.gz)
			opts := []scpvpn.Option{scpvpn.WithoutRetries()}
			if tc.opts != nil {
				opts = append(opts, tc.opts(srv.URL)...)
			}
			c := urlClient(t, srv.URL, opts...)
			var err error
			grew := allocatedBy(func() { err = tc.call(c) })
			assert.Less(t, grew, uint64(bound), "one call allocated %d MiB", grew>>20)
			require.Error(t, err, "a hostile answer is refused")
		})
	}
}

// The costliest page the bounds let through, 20 tunnels that each hold as
// many empty proposals as an item may, is still within the bound.
func TestTheCostliestPageIsBounded(t *testing.T) { //nolint:paralleltest // measures the heap
	const bound = 64 << 20
	srv := hostileServer(t, http.StatusOK, tunnelPage(64<<10), false)
	c := urlClient(t, srv.URL, scpvpn.WithoutRetries())
	var list *scpvpn.TunnelListV1Dot1
	var err error
	grew := allocatedBy(func() { list, err = c.V1Dot1.Tunnels.List(context.Background(), nil) })
	require.NoError(t, err)
	require.Len(t, list.Tunnels, 20)
	assert.Less(t, grew, uint64(bound), "one call allocated %d MiB", grew>>20)
}

// tunnelPage is a list answer of 20 v1.1 tunnels of just under itemSize
// bytes each, made of empty phase 1 proposals.
func tunnelPage(itemSize int) [][]byte {
	page := [][]byte{[]byte(`{"count":20,"page":0,"size":20,"vpn_tunnels":[`)}
	item := append([]byte(`{"id":"t","phase1":{"encryptions":[`), bytes.Repeat([]byte(`"",`), (itemSize-64)/3)...)
	item = append(item, `""]}}`...)
	for i := range 20 {
		if i > 0 {
			page = append(page, []byte(","))
		}
		page = append(page, item)
	}
	return append(page, []byte(`]}`))
}

func listGateways(c *scpvpn.Client) error {
	_, err := c.V1Dot1.Gateways.List(context.Background(), nil)
	return err
}

func listTunnels(c *scpvpn.Client) error {
	_, err := c.V1Dot1.Tunnels.List(context.Background(), nil)
	return err
}

func getGateway(c *scpvpn.Client) error {
	_, err := c.V1Dot1.Gateways.Get(context.Background(), "g")
	return err
}

// A list page never holds more items than the page size asked for: the
// answer is refused while it is read, before the items are built.
func TestAListPageHoldsNoMoreThanItsSize(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	items := strings.Repeat(`{"id":"g"},`, 5) + `{"id":"g"}`
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(*http.Request) (*http.Response, error) {
		return httpmockResponse(http.StatusOK, `{"count":6,"page":0,"size":5,"vpn_gateways":[`+items+`]}`), nil
	})
	_, err := c.V1Dot1.Gateways.List(context.Background(), &scpvpn.GatewayListOptions{Size: 5})
	require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
	assert.Contains(t, err.Error(), "more than the 5 items")

	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(*http.Request) (*http.Response, error) {
		return httpmockResponse(http.StatusOK, `{"count":6,"page":0,"size":6,"vpn_gateways":[`+items+`]}`), nil
	})
	list, err := c.V1Dot1.Gateways.List(context.Background(), &scpvpn.GatewayListOptions{Size: 6})
	require.NoError(t, err)
	assert.Len(t, list.Gateways, 6)
}

// A list answer that is not one valid JSON object is refused, wherever the
// fault is: in a member the SDK does not read, after the object's end (a
// second answer glued to the first), or in the items' absence (a proxy's
// {} is not an empty page), or in a count, page or size missing or
// negative (the schema requires them; All relies on them). An empty page
// must say so.
func TestAListAnswerIsOneValidObject(t *testing.T) {
	t.Parallel()
	refused := map[string]string{
		"a member without a value":        `{"vpn_gateways":[],"count":0,"page":0,"size":20,"x":}`,
		"a member with a broken object":   `{"vpn_gateways":[],"count":0,"page":0,"size":20,"x":{]}`,
		"a member with a broken literal":  `{"vpn_gateways":[],"count":0,"page":0,"size":20,"x":tru}`,
		"a member with a broken array":    `{"vpn_gateways":[],"count":0,"page":0,"size":20,"x":[1 2]}`,
		"a member with a bad escape":      `{"vpn_gateways":[],"count":0,"page":0,"size":20,"x":"\q"}`,
		"a member with a control char":    "{\"vpn_gateways\":[],\"count\":0,\"page\":0,\"size\":20,\"x\":\"a\x01\"}",
		"a key with a control char":       "{\"vpn_gateways\":[],\"count\":0,\"page\":0,\"size\":20,\"x\x01\":1}",
		"a number with a leading zero":    `{"vpn_gateways":[],"count":0,"page":0,"size":20,"x":01}`,
		"garbage after the end":           `{"vpn_gateways":[],"count":0,"page":0,"size":20} garbage`,
		"a second answer after the first": `{"vpn_gateways":[],"count":0,"page":0,"size":20}{"vpn_gateways":[{"id":"g"}],"count":1,"page":0,"size":20}`,
		"no items at all":                 `{}`,
		"another collection's items":      `{"vpn_tunnels":[{"id":"t"}],"count":1,"page":0,"size":20}`,
		"no count":                        `{"vpn_gateways":[],"page":0,"size":20}`,
		"no page":                         `{"vpn_gateways":[],"count":0,"size":20}`,
		"no size":                         `{"vpn_gateways":[],"count":0,"page":0}`,
		"a null count":                    `{"vpn_gateways":[],"count":null,"page":0,"size":20}`,
		"a negative count":                `{"vpn_gateways":[],"count":-1,"page":0,"size":20}`,
		"a negative page":                 `{"vpn_gateways":[],"count":0,"page":-1,"size":20}`,
		"the items twice":                 `{"vpn_gateways":[],"count":0,"page":0,"size":20,"vpn_gateways":[{"id":"g"}]}`,
		"a count twice":                   `{"vpn_gateways":[],"count":0,"page":0,"size":20,"count":1}`,
		"a member twice, in another case": `{"vpn_gateways":[],"count":0,"page":0,"size":20,"x":1,"X":2}`,
		"an item's member twice":          `{"vpn_gateways":[{"id":"g","state":"ACTIVE","state":"DELETED"}],"count":1,"page":0,"size":20}`,
		"a member twice, deep in an item": `{"vpn_gateways":[{"id":"g","x":[{"a":1,"a":2}]}],"count":1,"page":0,"size":20}`,
	}
	for name, body := range refused {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock, scpvpn.WithoutRetries())
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(*http.Request) (*http.Response, error) {
				return httpmockResponse(http.StatusOK, body), nil
			})
			list, err := c.V1Dot1.Gateways.List(context.Background(), nil)
			require.Error(t, err, "accepted as %+v", list)
			assert.Contains(t, err.Error(), "could not be decoded")
		})
	}

	accepted := map[string]string{
		"an empty page":                `{"vpn_gateways":[],"count":0,"page":0,"size":20}`,
		"null items":                   `{"vpn_gateways":null,"count":0,"page":0,"size":20}`,
		"white space after the end":    "{\"vpn_gateways\":[],\"count\":0,\"page\":0,\"size\":20} \r\n\t",
		"unknown members of any shape": `{"vpn_gateways":[],"count":0,"page":0,"size":20,"x":{"a":[1,{"b":"\"}]\\"}]},"y":-1.5e3,"z":null,"w":"\u00e9"}`,
		"an escaped key":               `{"vpn\u005fgateways":[],"count":0,"page":0,"size":20}`,
	}
	for name, body := range accepted {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock, scpvpn.WithoutRetries())
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(*http.Request) (*http.Response, error) {
				return httpmockResponse(http.StatusOK, body), nil
			})
			list, err := c.V1Dot1.Gateways.List(context.Background(), nil)
			require.NoError(t, err)
			assert.Empty(t, list.Gateways)
			assert.NotNil(t, list.Gateways)
		})
	}
}

// A gzip-compressed answer is bounded by what it inflates to, and one of
// exactly the bound is taken (chunked or not): a single gateway of 1 MiB.
func TestGzipAnswerOfExactlyTheBound(t *testing.T) {
	t.Parallel()
	const limit = 1 << 20
	head := `{"vpn_gateway":{"id":"g","name":"gw","state":"ACTIVE","created_at":"2024-05-17T00:23:17Z"}}`
	for _, size := range []int{limit, limit + 1} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			t.Parallel()
			body := gzipped(t, []byte(head), []byte(strings.Repeat(" ", size-len(head))))
			srv := newCountedServer(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Encoding", "gzip")
				_, _ = w.Write(body)
			})
			c := newClient(t, srv.URL, scpvpn.WithoutRetries())
			gw, err := c.V1Dot1.Gateways.Get(context.Background(), "g")
			if size > limit {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "too large")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "g", gw.ID)
		})
	}
}

// A list answer of exactly 32 MiB, gzip-compressed, is taken.
func TestGzipListOfExactly32MiB(t *testing.T) {
	t.Parallel()
	const limit = 32 << 20
	head := `{"count":1,"page":0,"size":20,"vpn_gateways":[{"id":"g"}]}`
	body := gzipped(t, []byte(head), []byte(strings.Repeat(" ", limit-len(head))))
	srv := newCountedServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = io.Copy(w, strings.NewReader(string(body)))
	})
	c := newClient(t, srv.URL, scpvpn.WithoutRetries())
	l, err := c.V1Dot1.Gateways.List(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, l.Gateways, 1)
}

// An answer whose Content-Length says it is longer than the bound is too
// large once the bound is read, without waiting for more: a server that
// pauses after the bound gets no timeout, and no second request.
func TestAnswerAnnouncedLongerThanItsBoundIsTooLarge(t *testing.T) {
	t.Parallel()
	const limit = 1 << 20
	head := `{"vpn_gateway":{"id":"g","name":"gw","state":"ACTIVE","created_at":"2024-05-17T00:23:17Z"}}`
	srv := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(limit+10))
		_, _ = w.Write([]byte(head + strings.Repeat(" ", limit-len(head))))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the rest comes late
	})
	// An attempt timeout of a minute: waiting for the rest would end with
	// the test's context instead, whatever the machine's load.
	c := newClient(t, srv.URL)
	_, err := c.V1Dot1.Gateways.Get(e2eCtx(t), "g")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "too large")
	assert.EqualValues(t, 1, srv.requests.Load(), "a too large answer is not asked again")
}

// An answer found too large is let go at once: the rest is not waited for
// (nor read to keep the connection), so the server sees the client leave
// long before the rest is due.
func TestTooLargeAnswerIsNotWaitedFor(t *testing.T) {
	t.Parallel()
	const limit = 1 << 20
	head := `{"vpn_gateway":{"id":"g","name":"gw","state":"ACTIVE","created_at":"2024-05-17T00:23:17Z"}}`
	var left, waited atomic.Bool
	srv := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(limit+10))
		_, _ = w.Write([]byte(head + strings.Repeat(" ", limit-len(head))))
		w.(http.Flusher).Flush()
		select { // the rest comes late
		case <-time.After(2 * time.Minute):
			waited.Store(true)
			_, _ = w.Write([]byte(strings.Repeat(" ", 10)))
		case <-r.Context().Done():
			left.Store(true)
		}
	})
	c := newClient(t, srv.URL, scpvpn.WithTimeout(time.Minute), scpvpn.WithoutRetries())
	_, err := c.V1Dot1.Gateways.Get(context.Background(), "g")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "too large")
	// A minute, against the rest due in two: only a client that waits
	// for it takes so long, however loaded the machine.
	assert.Eventually(t, left.Load, time.Minute, 10*time.Millisecond, "the client is still waiting for the rest")
	assert.False(t, waited.Load())
}

// A 2xx that does not decode, or lacks what it must hold, is an answer the
// API does not give, whatever the call: ErrUnexpectedAnswer, never an
// *APIError. A create or Set that got one may have been done, and that
// nothing read back confirms (here, no read-back is answered) says so too.
func TestEveryAnswerTheAPIDoesNotGiveIsUnexpected(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{
		"HTML":                  `<html><body>OK</body></html>`,
		"empty":                 ``,
		"without the resource":  `{"something_else": {}}`,
		"a resource without id": `{"vpn_gateway": {"name": "x"}, "vpn_tunnel": {"name": "x"}, "vpn_gateways": [], "vpn_tunnels": []}`,
		// What every call reads, but with a member given twice.
		"a member given twice": `{"vpn_gateway": {"id": "` + gatewayID + `"}, "vpn_tunnel": {"id": "` + tunnelID + `"}, "vpn_gateways": [], "vpn_tunnels": [], "count": 0, "page": 0, "size": 20, "count": 0}`,
	}
	for _, op := range operations() {
		if op.wantNoErr {
			continue // Delete reads no answer
		}
		for name, body := range bodies {
			t.Run(op.version+" "+op.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				mock := httpmock.NewMockTransport()
				c := newClient(t, mock)
				var rec recorder
				mock.RegisterResponder(op.method, testEndpoint+op.path, rec.respond(op.status, body))
				got, err := op.call(context.Background(), c)
				require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
				assert.True(t, got == nil || isNilPointer(got))
				var apiErr *scpvpn.APIError
				assert.False(t, errors.As(err, &apiErr), "a 2xx is not an APIError")
				write := op.method == http.MethodPost || op.method == http.MethodPut
				assert.Equal(t, write, errors.Is(err, scpvpn.ErrOutcomeUnknown), "a write confirmed by nothing may have been done")
				rec.only(t)
			})
		}
	}

	t.Run("Client.Do", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock)
		mock.RegisterNoResponder(httpmock.NewStringResponder(http.StatusOK, `{"a": tru}`))
		var out map[string]any
		err := c.Do(context.Background(), &scpvpn.Request{Method: http.MethodGet, Path: "/v1/x", APIVersion: "vpn 1.1"}, &out)
		require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
	})
}

// A list item that gives a member twice, at any depth and in any spelling
// encoding/json reads as one name, is an unexpected answer that names the
// member; items that only look alike are taken.
func TestListItemMemberGivenTwice(t *testing.T) {
	t.Parallel()
	for item, want := range map[string]string{
		`{"id":"g","state":"ACTIVE","state":"DELETED"}`:            `gives its member "state" twice`,
		`{"id":"g","state":"ACTIVE","STATE":"DELETED"}`:            `gives its member "STATE" twice`,
		`{"id":"g","state":"ACTIVE","\u0073tate":"DELETED"}`:       `gives its member "state" twice`,
		`{"id":"g","x":[{"a":1},{"b":{"c":1,"\u0063":2}}]}`:        `gives its member "c" twice`,
		`{"id":"g","created_at_of_X_gw":1,"created_at_of_Y_gw":2}`: "",
		`{"id":"g","x":{"a":1},"y":{"a":1},"a":"\"a\\"}`:           "",
	} {
		body := `{"vpn_gateways":[{"id":"f"},` + item + `],"count":2,"page":0,"size":20}`
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock, scpvpn.WithoutRetries())
		mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(*http.Request) (*http.Response, error) {
			return httpmockResponse(http.StatusOK, body), nil
		})
		list, err := c.V1Dot1.Gateways.List(context.Background(), nil)
		if want == "" {
			require.NoError(t, err, item)
			require.Len(t, list.Gateways, 2, item)
			assert.Equal(t, "g", list.Gateways[1].ID, item)
			continue
		}
		require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer, item)
		assert.Contains(t, err.Error(), want, item)
	}
}
