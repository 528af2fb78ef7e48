package scpvpn_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/sigverify"
)

// HTTP hygiene on real sockets and scripted bodies: connections are reused,
// every body is drained and closed, redirects are never followed, a server
// that never answers cannot hold a call forever, and a caller's http.Client
// is used but not modified.

// countedServer is an httptest server that counts the connections opened to
// it and the requests it receives.
type countedServer struct {
	*httptest.Server
	conns    atomic.Int64
	requests atomic.Int64
}

func newCountedServer(t testing.TB, h http.HandlerFunc) *countedServer {
	t.Helper()
	s := &countedServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		h(w, r)
	}))
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// checkSigned answers 401 to a request whose signature does not verify, so
// that every test on a real socket also checks what went on the wire.
func checkSigned(w http.ResponseWriter, r *http.Request) bool {
	if err := sigverify.Verify(r, testSecretKey); err != nil {
		http.Error(w, `{"errors":[{"code":"HmacValidFail","detail":"`+err.Error()+`"}]}`, http.StatusUnauthorized)
		return false
	}
	return true
}

// TestConnectionReuse: 32 goroutines sharing one client keep reusing their
// connections; with Go's default of two idle connections per host they
// would open new ones all the time.
func TestConnectionReuse(t *testing.T) {
	t.Parallel()
	answer := fixture(t, "v1.1", "gateway_get_response")
	srv := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
		if !checkSigned(w, r) {
			return
		}
		time.Sleep(time.Millisecond) // keep the goroutines overlapping
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer)
	})
	c := newClient(t, srv.URL)

	const goroutines, calls = 32, 20
	var wg sync.WaitGroup
	var failures atomic.Int64
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				gw, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
				if err != nil || gw.ID != gatewayID {
					failures.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	require.Zero(t, failures.Load())
	assert.EqualValues(t, goroutines*calls, srv.requests.Load(), "no retries were needed")
	// A body read to its end puts its connection back in the pool before
	// the read returns, so each goroutine finds one: one connection per
	// goroutine, give or take a dial that net/http races against a
	// connection coming free. With Go's default of two idle connections per
	// host this test sees close to 300.
	conns := srv.conns.Load()
	t.Logf("%d requests over %d connections", srv.requests.Load(), conns)
	assert.LessOrEqual(t, conns, int64(2*goroutines))
}

// trackedBody is a response body that records how it was consumed.
type trackedBody struct {
	mu     sync.Mutex
	r      io.Reader
	read   int64
	eof    bool
	closed int
}

func (b *trackedBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed > 0 {
		return 0, errors.New("read after close")
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}

func (b *trackedBody) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed++
	return nil
}

func (b *trackedBody) state() (read int64, eof bool, closed int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.read, b.eof, b.closed
}

// bodyTracker hands out tracked bodies and checks them afterwards.
type bodyTracker struct {
	mu     sync.Mutex
	bodies []*trackedBody
}

// respond answers with status and a tracked body read from body.
func (bt *bodyTracker) respond(rec *recorder, status int, body io.Reader, header ...string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		rec.record(req)
		b := &trackedBody{r: body}
		bt.mu.Lock()
		bt.bodies = append(bt.bodies, b)
		bt.mu.Unlock()
		resp := &http.Response{
			Status:        http.StatusText(status),
			StatusCode:    status,
			Header:        http.Header{"Content-Type": {"application/json"}},
			Body:          b,
			ContentLength: -1,
			Request:       req,
		}
		for i := 0; i+1 < len(header); i += 2 {
			resp.Header.Set(header[i], header[i+1])
		}
		return resp, nil
	}
}

// assertDrainedAndClosed checks that n bodies were handed out and that each
// was read to its end and closed.
func (bt *bodyTracker) assertDrainedAndClosed(t *testing.T, n int) {
	t.Helper()
	bt.mu.Lock()
	defer bt.mu.Unlock()
	require.Len(t, bt.bodies, n, "answers given")
	for i, b := range bt.bodies {
		_, eof, closed := b.state()
		assert.True(t, eof, "body %d was drained", i+1)
		assert.Positive(t, closed, "body %d was closed", i+1)
	}
}

// TestBodiesDrainedAndClosed: whatever the outcome, the SDK reads every
// answer's body to its end (so the connection can be reused) and closes it.
func TestBodiesDrainedAndClosed(t *testing.T) {
	t.Parallel()
	gw := func() io.Reader { return strings.NewReader(fixture(t, "v1.1", "gateway_get_response") + "\n\n  \n") }
	errBody := func() io.Reader {
		return strings.NewReader(`{"errors":[{"detail":"` + strings.Repeat("x", 20<<10) + `"}]}`)
	}
	getCall := func(ctx context.Context, c *scpvpn.Client) error {
		_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
		return err
	}
	deleteCall := func(ctx context.Context, c *scpvpn.Client) error {
		return c.V1Dot1.Gateways.Delete(ctx, gatewayID)
	}
	createCall := func(ctx context.Context, c *scpvpn.Client) error {
		_, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
		return err
	}
	type answer struct {
		status int
		body   func() io.Reader
		header []string
	}
	cases := []struct {
		name    string
		method  string
		path    string
		call    func(context.Context, *scpvpn.Client) error
		answers []answer
		wantErr bool
	}{
		{"GET 200", http.MethodGet, "/v1/vpn-gateways/" + gatewayID, getCall, []answer{{200, gw, nil}}, false},
		{"GET 404", http.MethodGet, "/v1/vpn-gateways/" + gatewayID, getCall, []answer{{404, errBody, nil}}, true},
		{"GET 503 then 200", http.MethodGet, "/v1/vpn-gateways/" + gatewayID, getCall, []answer{{503, errBody, nil}, {200, gw, nil}}, false},
		{"GET 503 three times", http.MethodGet, "/v1/vpn-gateways/" + gatewayID, getCall, []answer{{503, errBody, nil}, {502, errBody, nil}, {504, errBody, nil}}, true},
		{"GET malformed", http.MethodGet, "/v1/vpn-gateways/" + gatewayID, getCall, []answer{{200, func() io.Reader { return strings.NewReader(`{"vpn_gateway": {"id": ]` + strings.Repeat(" junk", 1000)) }, nil}}, true},
		{"GET without a gateway", http.MethodGet, "/v1/vpn-gateways/" + gatewayID, getCall, []answer{{200, func() io.Reader { return strings.NewReader(`{}`) }, nil}}, true},
		{"GET redirect", http.MethodGet, "/v1/vpn-gateways/" + gatewayID, getCall, []answer{{302, func() io.Reader { return strings.NewReader("<a href=elsewhere>moved</a>") }, []string{"Location", "https://elsewhere.example/"}}}, true},
		{"DELETE 202 with a body", http.MethodDelete, "/v1/vpn-gateways/" + gatewayID, deleteCall, []answer{{202, func() io.Reader { return strings.NewReader(`{"accepted": true}`) }, nil}}, false},
		{"DELETE 503 then 404", http.MethodDelete, "/v1/vpn-gateways/" + gatewayID, deleteCall, []answer{{503, errBody, nil}, {404, errBody, nil}}, true},
		{"DELETE 502 then 404", http.MethodDelete, "/v1/vpn-gateways/" + gatewayID, deleteCall, []answer{{502, errBody, nil}, {404, errBody, nil}}, false},
		{"POST 429 then 202", http.MethodPost, "/v1/vpn-gateways", createCall, []answer{{429, errBody, []string{"Retry-After", "0"}}, {202, gw, nil}}, false},
		{"POST 500", http.MethodPost, "/v1/vpn-gateways", createCall, []answer{{500, errBody, nil}}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock)
			var rec recorder
			var bt bodyTracker
			rs := make([]httpmock.Responder, len(tc.answers))
			for i, a := range tc.answers {
				rs[i] = bt.respond(&rec, a.status, a.body(), a.header...)
			}
			mock.RegisterResponder(tc.method, testEndpoint+tc.path, sequence(rs...))
			err := tc.call(context.Background(), c)
			if tc.wantErr {
				require.Error(t, err)
			} else {
				require.NoError(t, err)
			}
			bt.assertDrainedAndClosed(t, len(tc.answers))
		})
	}

	t.Run("context ends in the backoff", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock, scpvpn.WithRetryPolicy(scpvpn.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Minute, MaxDelay: time.Minute, MaxRetryAfter: time.Minute}))
		var rec recorder
		var bt bodyTracker
		mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID, bt.respond(&rec, 503, errBody(), "Retry-After", "60"))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan error, 1)
		go func() {
			_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
			done <- err
		}()
		// The context ends once the first answer is closed: in the backoff.
		require.Eventually(t, func() bool {
			bt.mu.Lock()
			defer bt.mu.Unlock()
			if len(bt.bodies) == 0 {
				return false
			}
			_, _, closed := bt.bodies[0].state()
			return closed > 0
		}, 10*time.Second, time.Millisecond)
		cancel()
		require.ErrorIs(t, <-done, context.Canceled)
		bt.assertDrainedAndClosed(t, 1)
	})
}

// TestConnectionKeptAcrossOutcomes: on a real socket, one client goes
// through successes, errors with bodies, retries, an unreadable answer and a
// redirect, one call after another, over a single connection: every body
// was drained, or the connection could not have been reused.
func TestConnectionKeptAcrossOutcomes(t *testing.T) {
	t.Parallel()
	answer := fixture(t, "v1.1", "gateway_get_response")
	errBody := `{"errors":[{"detail":"` + strings.Repeat("e", 30<<10) + `"}]}`
	var busy atomic.Int64
	srv := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
		if !checkSigned(w, r) {
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch id := strings.TrimPrefix(r.URL.Path, "/v1/vpn-gateways/"); id {
		case "ok":
			_, _ = io.WriteString(w, answer)
		case "missing":
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, errBody)
		case "busy":
			if busy.Add(1) == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = io.WriteString(w, errBody)
				return
			}
			_, _ = io.WriteString(w, answer)
		case "junk":
			_, _ = io.WriteString(w, `{"vpn_gateway": {"id": ]`+strings.Repeat(" junk", 5000))
		case "moved":
			w.Header().Set("Location", "http://elsewhere.invalid/")
			w.WriteHeader(http.StatusFound)
			_, _ = io.WriteString(w, strings.Repeat("<p>moved</p>", 1000))
		case "gone":
			w.WriteHeader(http.StatusAccepted)
			_, _ = io.WriteString(w, `{"accepted": true}`)
		default:
			w.WriteHeader(http.StatusTeapot)
		}
	})
	c := newClient(t, srv.URL)
	ctx := context.Background()

	for round := 0; round < 2; round++ {
		_, err := c.V1Dot1.Gateways.Get(ctx, "ok")
		require.NoError(t, err)
		_, err = c.V1Dot1.Gateways.Get(ctx, "missing")
		require.ErrorIs(t, err, scpvpn.ErrNotFound)
		busy.Store(0)
		_, err = c.V1Dot1.Gateways.Get(ctx, "busy")
		require.NoError(t, err)
		_, err = c.V1Dot1.Gateways.Get(ctx, "junk")
		require.Error(t, err)
		_, err = c.V1Dot1.Gateways.Get(ctx, "moved")
		var apiErr *scpvpn.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusFound, apiErr.StatusCode)
		require.NoError(t, c.V1Dot1.Gateways.Delete(ctx, "gone"))
		_, err = c.V1Dot1.Gateways.Set(ctx, "missing", &scpvpn.GatewaySetRequest{Description: ptr("x")})
		require.ErrorIs(t, err, scpvpn.ErrNotFound)
	}
	assert.EqualValues(t, 16, srv.requests.Load())
	assert.EqualValues(t, 1, srv.conns.Load(), "one connection served every call")
}

// TestRedirectsNotFollowed: a signed request is never replayed to another
// host, whatever the redirect, the method, or the caller's HTTP client.
func TestRedirectsNotFollowed(t *testing.T) {
	t.Parallel()
	other := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, op := range operations() {
			if op.version != "v1.1" {
				continue
			}
			t.Run(http.StatusText(status)+"/"+op.name, func(t *testing.T) {
				t.Parallel()
				srv := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, other.URL+r.URL.RequestURI(), status)
				})
				c := newClient(t, srv.URL)
				_, err := op.call(context.Background(), c)
				var apiErr *scpvpn.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, status, apiErr.StatusCode)
				assert.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer, "the API never redirects")
				assert.Equal(t, 1, apiErr.Attempts)
				assert.EqualValues(t, 1, srv.requests.Load())
			})
		}
	}

	t.Run("the caller's client follows redirects", func(t *testing.T) {
		t.Parallel()
		srv := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
		})
		tr := &http.Transport{}
		t.Cleanup(tr.CloseIdleConnections)
		followed := false
		hc := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
			followed = true
			return nil
		}}
		c := newClient(t, srv.URL, scpvpn.WithHTTPClient(hc))
		_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
		var apiErr *scpvpn.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusTemporaryRedirect, apiErr.StatusCode)
		assert.False(t, followed, "the caller's redirect policy is not consulted")
	})

	// Checked last: no subtest reached the other host.
	t.Cleanup(func() { assert.Zero(t, other.requests.Load(), "the other host received a request") })
}

// silentServer accepts requests and never answers, until the test ends or
// the client goes away.
func silentServer(t *testing.T) *countedServer {
	stop := make(chan struct{})
	srv := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so that the server notices a client leaving
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	})
	t.Cleanup(func() { close(stop) }) // runs before srv.Close
	return srv
}

// TestNeverAnsweringServer: a server that never answers holds a call no
// longer than WithTimeout per attempt, or the context for the whole call.
func TestNeverAnsweringServer(t *testing.T) {
	t.Parallel()

	t.Run("WithTimeout", func(t *testing.T) {
		t.Parallel()
		srv := silentServer(t)
		c := newClient(t, srv.URL, scpvpn.WithTimeout(100*time.Millisecond), scpvpn.WithoutRetries())
		start := time.Now()
		var resp scpvpn.Response
		_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID, scpvpn.WithResponse(&resp))
		require.Error(t, err)
		assert.Less(t, time.Since(start), 5*time.Second)
		var netErr net.Error
		require.ErrorAs(t, err, &netErr)
		assert.True(t, netErr.Timeout(), "%v", err)
		assert.Equal(t, 1, resp.Attempts)
		// On a busy machine the attempt may end before the server reads it.
		assert.LessOrEqual(t, srv.requests.Load(), int64(1))
	})

	t.Run("context deadline", func(t *testing.T) {
		t.Parallel()
		srv := silentServer(t)
		c := newClient(t, srv.URL) // the default timeout is a minute
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 5*time.Second)
	})

	t.Run("each GET attempt gets a fresh timeout", func(t *testing.T) {
		t.Parallel()
		srv := silentServer(t)
		// Each attempt reaches the transport with time of its own left: a
		// bound shared by the call would have ended before the second.
		var live atomic.Int64
		rt := seeingTransport(t, func(r *http.Request) {
			if r.Context().Err() == nil {
				live.Add(1)
			}
		})
		c := newClient(t, srv.URL, scpvpn.WithTransport(rt), scpvpn.WithTimeout(time.Second))
		var resp scpvpn.Response
		_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID, scpvpn.WithResponse(&resp))
		var netErr net.Error
		require.ErrorAs(t, err, &netErr)
		assert.True(t, netErr.Timeout(), "%v", err)
		assert.Equal(t, fastRetries.MaxAttempts, resp.Attempts)
		assert.EqualValues(t, fastRetries.MaxAttempts, live.Load())
		assert.LessOrEqual(t, srv.requests.Load(), int64(fastRetries.MaxAttempts))
	})

	t.Run("a POST that timed out is not sent again", func(t *testing.T) {
		t.Parallel()
		srv := silentServer(t)
		var sent atomic.Int64
		rt := seeingTransport(t, func(*http.Request) { sent.Add(1) })
		c := newClient(t, srv.URL, scpvpn.WithTransport(rt), scpvpn.WithTimeout(100*time.Millisecond))
		var resp scpvpn.Response
		_, err := c.V1Dot1.Tunnels.Create(context.Background(), tunnelCreateRequestV1Dot1(), scpvpn.WithResponse(&resp))
		require.Error(t, err)
		assert.Equal(t, 1, resp.Attempts)
		assert.EqualValues(t, 1, sent.Load(), "sent once")
		assert.LessOrEqual(t, srv.requests.Load(), int64(1))
	})
}

// seeingTransport is a transport of the test's own that shows seen each
// request before sending it: what the SDK hands down is what goes on the
// wire, as net/http sends nothing again on its own.
func seeingTransport(t *testing.T, seen func(*http.Request)) http.RoundTripper {
	base := e2eTransport(t)
	return e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		seen(r)
		return base.RoundTrip(r)
	})
}

// closedAddr returns an address where nothing listens: dialing it is
// refused before any byte is sent.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// TestRealConnectionFaults: the retry rules hold for faults of real sockets,
// not only for scripted errors.
func TestRealConnectionFaults(t *testing.T) {
	t.Parallel()
	answer := fixture(t, "v1.1", "gateway_get_response")
	created := fixture(t, "v1.1", "tunnel_create_response")

	// dropFirst hangs up on the first request without answering, after
	// reading all of it, and answers the later ones.
	dropFirst := func(t *testing.T) *countedServer {
		var n atomic.Int64
		return newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			if n.Add(1) == 1 {
				conn, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					_ = conn.Close()
				}
				return
			}
			if !checkSigned(w, r) {
				return
			}
			w.Header().Set("Content-Type", "application/json")
			if r.Method == http.MethodPost {
				w.WriteHeader(http.StatusAccepted)
				_, _ = io.WriteString(w, created)
				return
			}
			_, _ = io.WriteString(w, answer)
		})
	}

	t.Run("POST dropped after sending is not sent again", func(t *testing.T) {
		t.Parallel()
		srv := dropFirst(t)
		c := newClient(t, srv.URL)
		_, err := c.V1Dot1.Tunnels.Create(context.Background(), tunnelCreateRequestV1Dot1())
		require.Error(t, err)
		var apiErr *scpvpn.APIError
		assert.False(t, errors.As(err, &apiErr))
		assert.EqualValues(t, 1, srv.requests.Load(), "the tunnel may exist: no second create")
	})

	t.Run("POST on a reused connection dropped after sending is not sent again", func(t *testing.T) {
		t.Parallel()
		// net/http itself replays a request on a kept connection that the
		// server closed, when it deems that safe; a POST must not be.
		var posts atomic.Int64
		srv := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			if r.Method == http.MethodPost {
				posts.Add(1)
				conn, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					_ = conn.Close()
				}
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, answer)
		})
		c := newClient(t, srv.URL)
		_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID) // leaves a kept connection
		require.NoError(t, err)
		_, err = c.V1Dot1.Tunnels.Create(context.Background(), tunnelCreateRequestV1Dot1())
		require.Error(t, err)
		assert.EqualValues(t, 1, posts.Load(), "the tunnel may exist: no second create")
		assert.EqualValues(t, 1, srv.conns.Load(), "the POST went over the kept connection")
	})

	t.Run("GET dropped is retried", func(t *testing.T) {
		t.Parallel()
		srv := dropFirst(t)
		c := newClient(t, srv.URL)
		gw, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
		require.NoError(t, err)
		assert.Equal(t, wantGateway(), gw)
		assert.EqualValues(t, 2, srv.requests.Load())
	})

	t.Run("PUT and DELETE dropped are retried", func(t *testing.T) {
		t.Parallel()
		srv := dropFirst(t)
		c := newClient(t, srv.URL)
		_, err := c.V1Dot1.Gateways.Set(context.Background(), gatewayID, &scpvpn.GatewaySetRequest{Description: ptr("x")})
		require.NoError(t, err)
		srv2 := dropFirst(t)
		c2 := newClient(t, srv2.URL)
		require.NoError(t, c2.V1Dot1.Gateways.Delete(context.Background(), gatewayID))
		assert.EqualValues(t, 2, srv.requests.Load())
		assert.EqualValues(t, 2, srv2.requests.Load())
	})

	t.Run("POST refused before sending is retried", func(t *testing.T) {
		t.Parallel()
		srv := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
			if !checkSigned(w, r) {
				return
			}
			w.WriteHeader(http.StatusAccepted)
			_, _ = io.WriteString(w, created)
		})
		refused := closedAddr(t)
		var dials atomic.Int64
		var d net.Dialer
		tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if dials.Add(1) <= 2 {
				addr = refused // the first two dials find nobody listening
			}
			return d.DialContext(ctx, network, addr)
		}}
		t.Cleanup(tr.CloseIdleConnections)
		c := newClient(t, srv.URL, scpvpn.WithTransport(tr))
		got, err := c.V1Dot1.Tunnels.Create(context.Background(), tunnelCreateRequestV1Dot1())
		require.NoError(t, err)
		assert.Equal(t, wantTunnelV1Dot1(true, ""), got)
		assert.EqualValues(t, 3, dials.Load())
		assert.EqualValues(t, 1, srv.requests.Load(), "created once")
	})

	t.Run("POST refused every time", func(t *testing.T) {
		t.Parallel()
		var dials atomic.Int64
		var d net.Dialer
		tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return d.DialContext(ctx, network, addr)
		}}
		t.Cleanup(tr.CloseIdleConnections)
		c := newClient(t, "http://"+closedAddr(t), scpvpn.WithTransport(tr))
		_, err := c.V1Dot1.Tunnels.Create(context.Background(), tunnelCreateRequestV1Dot1())
		require.ErrorIs(t, err, syscall.ECONNREFUSED)
		assert.EqualValues(t, fastRetries.MaxAttempts, dials.Load())
	})
}

// TestCloseIdleConnections: a client, and a plain http.Client over the
// signing transport, release their kept connections on request.
func TestCloseIdleConnections(t *testing.T) {
	t.Parallel()
	var closed atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	}))
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateClosed {
			closed.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	c := newClient(t, srv.URL)
	require.NoError(t, c.V1Dot1.Gateways.Delete(context.Background(), "g1"))
	c.CloseIdleConnections()
	assert.Eventually(t, func() bool { return closed.Load() == 1 }, 5*time.Second, 5*time.Millisecond, "the kept connection is closed")

	hc := &http.Client{Transport: scpvpn.NewSigningTransport(&scpvpn.Signer{AccessKey: "a", SecretKey: "s"}, &http.Transport{})}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	resp, err := hc.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	hc.CloseIdleConnections()
	assert.Eventually(t, func() bool { return closed.Load() == 2 }, 5*time.Second, 5*time.Millisecond, "through the signing transport too")
}

func TestWithHTTPClientIsNotModified(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	hc := &http.Client{Transport: mock, Timeout: 7 * time.Second}
	c, err := scpvpn.NewClient(scpvpn.WithEndpoint(testEndpoint), scpvpn.WithCredentials(testAccessKey, testSecretKey), scpvpn.WithHTTPClient(hc))
	require.NoError(t, err)

	var rec recorder
	mock.RegisterNoResponder(rec.respond(http.StatusAccepted, ""))
	require.NoError(t, c.V1Dot1.Gateways.Delete(context.Background(), "g1"))
	assert.NoError(t, sigverify.Verify(rec.only(t).Request, testSecretKey), "the caller's transport sends signed requests")
	assert.Same(t, mock, hc.Transport, "the caller's client keeps its transport")
	assert.Nil(t, hc.CheckRedirect)
	assert.Equal(t, 7*time.Second, hc.Timeout)
}

// Every request reaches the transport with a body that net/http cannot
// rewind, so that it cannot send it again on its own, and goes on the wire
// as before: a GET or DELETE without content, Content-Length or
// Transfer-Encoding; a POST or PUT with its body and its length. A POST
// without a body (Client.Do) goes chunked, with nothing in it.
func TestRequestsCannotBeRewoundAndKeepTheirWireForm(t *testing.T) {
	t.Parallel()
	type seen struct {
		length  []string // Content-Length as sent
		chunked bool
		body    string
	}
	var mu sync.Mutex
	var wire []seen
	answers := map[string]string{
		http.MethodGet:  fixture(t, "v1.1", "gateway_get_response"),
		http.MethodPost: fixture(t, "v1.1", "gateway_create_response"),
		http.MethodPut:  fixture(t, "v1.1", "gateway_set_response"),
	}
	srv := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		wire = append(wire, seen{r.Header["Content-Length"], slices.Contains(r.TransferEncoding, "chunked"), string(body)})
		mu.Unlock()
		if !checkSigned(w, r) {
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, answers[r.Method])
	})
	var rewindable []string
	base := e2eTransport(t)
	rt := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		if r.Body == nil || r.Body == http.NoBody || r.GetBody != nil {
			rewindable = append(rewindable, r.Method+" "+r.URL.Path)
		}
		return base.RoundTrip(r)
	})
	c := newClient(t, srv.URL, scpvpn.WithTransport(rt))
	calls := resendCalls()
	for _, rc := range calls {
		require.NoError(t, rc.call(e2eCtx(t), c), rc.name)
	}
	assert.Empty(t, rewindable, "requests net/http could send again")

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, wire, len(calls))
	for i, rc := range calls {
		got := wire[i]
		switch rc.name {
		case "Create", "Set", "Do POST", "Do PUT":
			assert.Equal(t, []string{strconv.Itoa(len(got.body))}, got.length, rc.name)
			assert.False(t, got.chunked, rc.name)
			want := map[string]string{"Create": fixture(t, "v1.1", "gateway_create_request"), "Set": `{"description":"x"}`,
				"Do POST": `{"name":"gw"}`, "Do PUT": `{"description":"x"}`}[rc.name]
			assert.JSONEq(t, want, got.body, rc.name)
		case "Do POST without a body":
			assert.Equal(t, seen{chunked: true}, got, rc.name)
		default: // GET and DELETE
			assert.Equal(t, seen{}, got, rc.name)
		}
	}
}

type traceKey struct{}

// A value of the caller's context reaches the transport below the SDK, and
// the attempt's context ends by the attempt timeout, whether the caller's
// context can end or not (the SDK bounds the two kinds differently).
func TestCallerContextReachesTheTransport(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(context.WithValue(context.Background(), traceKey{}, "t-1"))
	t.Cleanup(cancel)
	for name, ctx := range map[string]context.Context{
		"a context that never ends": context.WithValue(context.Background(), traceKey{}, "t-1"),
		"one that can be canceled":  cancelled, // not canceled
		"one without cancellation":  context.WithoutCancel(cancelled),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got any
			var deadline time.Time
			rt := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
				got = r.Context().Value(traceKey{})
				deadline, _ = r.Context().Deadline()
				return httpmockResponse(http.StatusAccepted, ""), nil
			})
			c := newClient(t, testEndpoint, scpvpn.WithTransport(rt), scpvpn.WithTimeout(time.Hour))
			start := time.Now()
			require.NoError(t, c.V1Dot1.Gateways.Delete(ctx, gatewayID))
			assert.Equal(t, "t-1", got)
			assert.WithinRange(t, deadline, start.Add(time.Hour-time.Hour/16), time.Now().Add(time.Hour))
		})
	}
}

// detachedCtx is the "detached" context written before
// context.WithoutCancel existed, and still common: it never ends, and
// hands on the values of the context it was made from, which may have.
type detachedCtx struct{ context.Context }

func (detachedCtx) Deadline() (time.Time, bool) { return time.Time{}, false }
func (detachedCtx) Done() <-chan struct{}       { return nil }
func (detachedCtx) Err() error                  { return nil }

// An attempt that timed out under a context that never ends ended by its
// deadline, whatever context the caller's was made from: below the SDK
// (context.Cause) and in the log.
func TestTimedOutAttemptEndedByItsDeadline(t *testing.T) {
	t.Parallel()
	origin, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("the HTTP handler returned"))
	for name, ctx := range map[string]context.Context{
		"context.Background":        context.Background(),
		"a detached ended context":  detachedCtx{origin},
		"WithoutCancel of an ended": context.WithoutCancel(origin),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var errEnd, causeEnd error
			rt := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
				<-r.Context().Done() // a server that never answers
				errEnd, causeEnd = r.Context().Err(), context.Cause(r.Context())
				return nil, causeEnd
			})
			var log syncBuffer
			c := newClient(t, testEndpoint, scpvpn.WithTransport(rt), scpvpn.WithTimeout(50*time.Millisecond), scpvpn.WithoutRetries(),
				scpvpn.WithLogger(slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
			var ne net.Error
			require.ErrorAs(t, err, &ne)
			assert.True(t, ne.Timeout())
			assert.ErrorIs(t, errEnd, context.DeadlineExceeded)
			assert.ErrorIs(t, causeEnd, context.DeadlineExceeded)
			assert.Contains(t, log.String(), "deadline exceeded")
			assert.NotContains(t, log.String(), "the HTTP handler returned")
		})
	}
}

// Not parallel, as it counts goroutines: net/http hangs a context of its
// own on each attempt's; under a context that never ends that costs no
// goroutine, whatever the caller's context was made from.
func TestAttemptContextCostsNoGoroutine(t *testing.T) {
	live, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	for name, ctx := range map[string]context.Context{
		"context.Background":    context.Background(),
		"a detached context":    detachedCtx{live},
		"context.WithoutCancel": context.WithoutCancel(live),
		"a cancellable context": live,
	} {
		t.Run(name, func(t *testing.T) {
			var extra int
			rt := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
				before := runtime.NumGoroutine()
				var cancels []context.CancelFunc
				for range 100 {
					_, cancel := context.WithCancel(r.Context())
					cancels = append(cancels, cancel)
				}
				extra = runtime.NumGoroutine() - before
				for _, cancel := range cancels {
					cancel()
				}
				return httpmockResponse(http.StatusAccepted, ""), nil
			})
			c := newClient(t, testEndpoint, scpvpn.WithTransport(rt))
			require.NoError(t, c.V1Dot1.Gateways.Delete(ctx, gatewayID))
			assert.Less(t, extra, 10, "goroutines started for 100 contexts hung on the attempt's")
		})
	}
}

// What a transport hangs on an attempt's context (context.AfterFunc, say)
// is let go when the attempt ends, not kept until the attempt's deadline.
func TestAttemptContextEndsWithTheAttempt(t *testing.T) {
	t.Parallel()
	live, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	for name, ctx := range map[string]context.Context{
		"a cancellable context": live,
		"context.Background":    context.Background(),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var pending atomic.Int64
			rt := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
				pending.Add(1)
				context.AfterFunc(r.Context(), func() { pending.Add(-1) })
				return httpmockResponse(http.StatusOK, fixture(t, "v1.1", "gateway_get_response")), nil
			})
			c := newClient(t, testEndpoint, scpvpn.WithTransport(rt)) // a timeout of a minute
			for range 200 {
				_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
				require.NoError(t, err)
			}
			assert.Eventually(t, func() bool { return pending.Load() == 0 }, 5*time.Second, 10*time.Millisecond,
				"attempts' contexts still live after their calls returned: %d", pending.Load())
		})
	}
}

// Under a context that never ends, attempts share a deadline; a slow one
// among them keeps none of the others' contexts alive.
func TestAttemptContextEndsWithTheAttemptBesideASlowOne(t *testing.T) {
	t.Parallel()
	const slowPath = "/v1/vpn-gateways/slow"
	slowArrived, release := make(chan struct{}), make(chan struct{})
	var pending atomic.Int64
	rt := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		if strings.HasSuffix(r.URL.Path, slowPath) {
			close(slowArrived)
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return httpmockResponse(http.StatusOK, `{}`), nil
		}
		pending.Add(1)
		context.AfterFunc(r.Context(), func() { pending.Add(-1) })
		return httpmockResponse(http.StatusOK, fixture(t, "v1.1", "gateway_get_response")), nil
	})
	c := newClient(t, testEndpoint, scpvpn.WithTransport(rt)) // a timeout of a minute
	slowDone := make(chan error, 1)
	go func() {
		slowDone <- c.Do(context.Background(), &scpvpn.Request{Method: http.MethodGet, Path: slowPath, APIVersion: "vpn 1.1"}, nil)
	}()
	<-slowArrived
	for range 50 {
		_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
		require.NoError(t, err)
	}
	assert.Eventually(t, func() bool { return pending.Load() == 0 }, 3*time.Second, 10*time.Millisecond,
		"contexts of finished attempts still live beside a slow one: %d", pending.Load())
	close(release)
	assert.NoError(t, <-slowDone)
}

// A caller's client whose transport already signs (NewSigningTransport, as
// the README shows for plain net/http) is not stacked under the SDK's own
// signing: each request goes out once, signed with the client's keys.
func TestCallersSigningTransportIsNotStacked(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var sent []*http.Request
	inner := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		sent = append(sent, r)
		mu.Unlock()
		return httpmockResponse(http.StatusAccepted, ""), nil
	})
	other := scpvpn.NewSigningTransport(&scpvpn.Signer{AccessKey: "other-ak", SecretKey: "other-sk"}, inner)
	for name, opt := range map[string]scpvpn.Option{
		"WithHTTPClient": scpvpn.WithHTTPClient(&http.Client{Transport: other}),
		"WithTransport":  scpvpn.WithTransport(other),
	} {
		t.Run(name, func(t *testing.T) {
			mu.Lock()
			sent = nil
			mu.Unlock()
			c := newClient(t, testEndpoint, opt)
			require.NoError(t, c.V1Dot1.Gateways.Delete(context.Background(), gatewayID))
			mu.Lock()
			defer mu.Unlock()
			require.Len(t, sent, 1)
			assert.Equal(t, testAccessKey, sent[0].Header.Get(scpvpn.HeaderAccessKey))
			assert.NoError(t, sigverify.Verify(sent[0], testSecretKey))
		})
	}
}
