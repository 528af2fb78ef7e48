package scpvpn_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"

	"github.com/scpsdk/scpvpn"
)

// An attempt ends with its bound whatever the answer: an informational
// (1xx) answer the SDK did not ask for is an error at once, whether
// net/http takes it for final (a 101 over HTTP/1.1, whose body is the raw
// connection) or waits past it for another; and answer headers are bounded.

// rawH1Server answers each request with answer, written as it is on the
// hijacked connection, and holds the connection until the client leaves or
// the test ends.
func rawH1Server(t *testing.T, answer []byte) *countedServer {
	t.Helper()
	var mu sync.Mutex
	var conns []net.Conn
	srv := newCountedServer(t, func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		mu.Lock()
		conns = append(conns, conn)
		mu.Unlock()
		_, _ = conn.Write(answer)
		_, _ = io.Copy(io.Discard, buf) // until the client leaves
		_ = conn.Close()
	})
	t.Cleanup(func() { // before the server's Close
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return srv
}

// informationalServer answers each request with the informational status
// code through net/http's own server, over HTTP/1.1 or HTTP/2, and then
// holds the request until the client leaves or the test ends.
func informationalServer(t *testing.T, code int, h2 bool) *countedServer {
	t.Helper()
	stop := make(chan struct{})
	srv := &countedServer{}
	srv.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.requests.Add(1)
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(code)
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	startQuiet(t, srv.Server, h2)
	t.Cleanup(func() { close(stop) }) // before the server's Close
	return srv
}

// TestInformationalAnswerIsAnError: whatever informational answer comes, a
// GET and a POST end at once with an *APIError of that status matching
// ErrUnexpectedAnswer, are not sent again (the answer came from whoever got
// the request), and report the status in Response. Before, a 101 to a GET
// held the call until the server let go, whatever the context, and
// net/http waited past the others for a final answer.
func TestInformationalAnswerIsAnError(t *testing.T) {
	t.Parallel()
	upgrade := []byte("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: scp\r\n\r\n")
	type server struct {
		code    int
		counted func() int64
		client  func(t *testing.T, opts ...scpvpn.Option) *scpvpn.Client
	}
	servers := map[string]func(t *testing.T) server{
		"HTTP/1.1 101 switching to the raw connection": func(t *testing.T) server {
			srv := rawH1Server(t, upgrade)
			return server{101, srv.requests.Load, func(t *testing.T, opts ...scpvpn.Option) *scpvpn.Client { return newClient(t, srv.URL, opts...) }}
		},
		"HTTP/2 101": func(t *testing.T) server {
			srv := newRawH2Server(t, func(fr *http2.Framer, id uint32) error {
				return writeH2Headers(fr, id, h2Headers(101), false)
			})
			return server{101, srv.requests.Load, func(t *testing.T, opts ...scpvpn.Option) *scpvpn.Client {
				return newClient(t, srv.URL, append(opts, scpvpn.WithTransport(defaultTransportTrusting(t, srv.Server)))...)
			}}
		},
	}
	for _, code := range []int{100, 102, 103} { // net/http's server sends no 101 of its own: the raw ones above do
		for _, h2 := range []bool{false, true} {
			name := fmt.Sprintf("HTTP/1.1 %d", code)
			if h2 {
				name = fmt.Sprintf("HTTP/2 %d", code)
			}
			servers[name] = func(t *testing.T) server {
				srv := informationalServer(t, code, h2)
				return server{code, srv.requests.Load, func(t *testing.T, opts ...scpvpn.Option) *scpvpn.Client {
					if h2 {
						opts = append(opts, scpvpn.WithTransport(defaultTransportTrusting(t, srv.Server)))
					}
					return newClient(t, srv.URL, opts...)
				}}
			}
		}
	}
	calls := map[string]func(ctx context.Context, c *scpvpn.Client, opts ...scpvpn.CallOption) error{
		"GET": func(ctx context.Context, c *scpvpn.Client, opts ...scpvpn.CallOption) error {
			_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID, opts...)
			return err
		},
		"POST": func(ctx context.Context, c *scpvpn.Client, opts ...scpvpn.CallOption) error {
			_, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest(), opts...)
			return err
		},
	}
	for name, start := range servers {
		for method, call := range calls {
			t.Run(name+"/"+method, func(t *testing.T) {
				t.Parallel()
				srv := start(t)
				c := srv.client(t) // with retries
				var resp scpvpn.Response
				done := make(chan error, 1)
				go func() { done <- call(e2eCtx(t), c, scpvpn.WithResponse(&resp)) }()
				var err error
				select {
				case err = <-done:
				case <-time.After(2 * time.Minute): // the context ends in one
					t.Fatal("the call outlived its context")
				}
				var apiErr *scpvpn.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, srv.code, apiErr.StatusCode)
				assert.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
				assert.Equal(t, 1, apiErr.Attempts)
				assert.Equal(t, scpvpn.Response{StatusCode: srv.code, Header: resp.Header, Attempts: 1}, resp)
				if method == "GET" {
					assert.EqualValues(t, 1, srv.counted(), "not sent again")
					return
				}
				// Whoever answered got the create: it may have been made, and
				// the GET that reads it back meets the same answer.
				assert.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown)
				assert.EqualValues(t, 2, srv.counted(), "the create, not sent again, and one GET reading it back")
			})
		}
	}
}

// A 101 that switches nothing (no Upgrade header) is final to net/http
// over HTTP/1.1, with no body: it is an unexpected answer all the same.
func TestSwitchingProtocolsWithoutUpgradeIsAnError(t *testing.T) {
	t.Parallel()
	srv := rawH1Server(t, []byte("HTTP/1.1 101 Switching Protocols\r\n\r\n"))
	c := newClient(t, srv.URL)
	_, err := c.V1Dot1.Gateways.Get(e2eCtx(t), gatewayID)
	require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
	assert.ErrorContains(t, err, "101 Switching Protocols")
	assert.EqualValues(t, 1, srv.requests.Load())
}

// A caller who asks for a 100 Continue (WithHeader("Expect",
// "100-continue")) gets it, and then the answer.
func TestContinueAskedForIsAwaited(t *testing.T) {
	t.Parallel()
	created := fixture(t, "v1.1", "gateway_create_response")
	var expected string
	srv := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
		expected = r.Header.Get("Expect")
		if !checkSigned(w, r) {
			return
		}
		_, _ = io.Copy(io.Discard, r.Body) // net/http's server sends the 100 here
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, created)
	})
	c := newClient(t, srv.URL)
	gw, err := c.V1Dot1.Gateways.Create(e2eCtx(t), gatewayCreateRequest(), scpvpn.WithHeader("Expect", "100-continue"))
	require.NoError(t, err)
	assert.Equal(t, wantGateway(), gw)
	assert.Equal(t, "100-continue", expected)
	assert.EqualValues(t, 1, srv.requests.Load())
}

// An informational answer or a redirect is never the API's answer to a
// call: it matches ErrUnexpectedAnswer, and no sentinel of the 4xx.
func TestInformationalAndRedirectStatusesAreUnexpectedAnswers(t *testing.T) {
	t.Parallel()
	for _, code := range []int{100, 101, 102, 103, 199, 300, 301, 302, 303, 304, 307, 308} {
		err := &scpvpn.APIError{StatusCode: code}
		assert.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer, "%d", code)
		for _, other := range []error{scpvpn.ErrBadRequest, scpvpn.ErrNotFound, scpvpn.ErrConflict, scpvpn.ErrRateLimited} {
			assert.NotErrorIs(t, err, other, "%d", code)
		}
	}
	for _, code := range []int{400, 401, 403, 409, 429, 500, 502, 503, 504} {
		assert.NotErrorIs(t, &scpvpn.APIError{StatusCode: code}, scpvpn.ErrUnexpectedAnswer, "%d", code)
	}
}

// A server that sends about 10 MB of headers gets an error, over HTTP/1.1
// and HTTP/2, and the call allocates a fraction of it: the default
// transport bounds an answer's headers to 1 MiB. Go's own bound, 10 MiB,
// let a call allocate 120 MiB for as many one-byte headers, 12 MiB for
// 1000-byte ones (now 14 MiB and 1.5 MiB at most, 6 MiB over HTTP/2). Not
// parallel: it measures the heap.
func TestAnswerHeadersAreBounded(t *testing.T) { //nolint:paralleltest // measures the heap
	cases := []struct {
		name          string
		headers, size int
		bound         uint64
	}{
		{"9,800 headers of 1,000 bytes", 9_800, 1000, 6 << 20},
		{"900,000 headers of one byte", 900_000, 1, 24 << 20},
	}
	for _, tc := range cases {
		value := strings.Repeat("v", tc.size)
		var h1 bytes.Buffer
		h1.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
		fields := make([]string, 0, 2*tc.headers)
		for i := range tc.headers {
			name := "X-P" + strconv.Itoa(i)
			h1.WriteString(name + ": " + value + "\r\n")
			fields = append(fields, strings.ToLower(name), value)
		}
		h1.WriteString("Content-Length: 2\r\n\r\n{}")
		require.Greater(t, h1.Len(), 9_500_000)
		// As long, decoded, and within Go's own bound; Huffman coding
		// shortens it on the wire.
		block := h2Headers(http.StatusOK, fields...)

		h1srv := rawH1Server(t, h1.Bytes())
		h2srv := newRawH2Server(t, func(fr *http2.Framer, id uint32) error { return writeH2Headers(fr, id, block, true) })
		clients := map[string]*scpvpn.Client{
			"HTTP/1.1": newClient(t, h1srv.URL, scpvpn.WithoutRetries()),
			"HTTP/2":   newClient(t, h2srv.URL, scpvpn.WithoutRetries(), scpvpn.WithTransport(defaultTransportTrusting(t, h2srv.Server))),
		}
		for proto, c := range clients {
			t.Run(tc.name+"/"+proto, func(t *testing.T) {
				var err error
				grew := allocatedBy(func() { _, err = c.V1Dot1.Gateways.Get(e2eCtx(t), gatewayID) })
				require.Error(t, err)
				if proto == "HTTP/1.1" {
					assert.Contains(t, err.Error(), "headers exceeded 1048576 bytes")
				}
				assert.Less(t, grew, tc.bound, "one call allocated %d KiB", grew>>10)
			})
		}
	}
}
