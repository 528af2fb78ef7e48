package scpvpn_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
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
// every body is drained and closed, redirects are never followed, faults of
// real sockets are retried by the rules, and a caller's http.Client is used
// but not modified. Bounds in time are in transport_timeout_test.go, what
// goes on the wire once in transport_resend_test.go, answers the API never
// gives in transport_answer_test.go.

// countedServer is an httptest server that counts the connections opened to
// it and the requests it receives.
type countedServer struct {
	*httptest.Server
	conns    atomic.Int64
	requests atomic.Int64
	posts    atomic.Int64 // of the requests, the POSTs
}

func newCountedServer(t testing.TB, h http.HandlerFunc) *countedServer {
	t.Helper()
	s := &countedServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if r.Method == http.MethodPost {
			s.posts.Add(1)
		}
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
		{"DELETE 202 with white space", http.MethodDelete, "/v1/vpn-gateways/" + gatewayID, deleteCall, []answer{{202, func() io.Reader { return strings.NewReader(" \n") }, nil}}, false},
		// A body the API's 202 never has is read back: here the read-back finds nothing.
		{"DELETE 202 with a body", http.MethodDelete, "/v1/vpn-gateways/" + gatewayID, deleteCall, []answer{{202, func() io.Reader { return strings.NewReader(`{"accepted": true}`) }, nil}}, true},
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
			_, _ = io.WriteString(w, strings.Replace(answer, gatewayID, id, 1))
		case "missing":
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, errBody)
		case "busy":
			if busy.Add(1) == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = io.WriteString(w, errBody)
				return
			}
			_, _ = io.WriteString(w, strings.Replace(answer, gatewayID, id, 1))
		case "junk":
			_, _ = io.WriteString(w, `{"vpn_gateway": {"id": ]`+strings.Repeat(" junk", 5000))
		case "moved":
			w.Header().Set("Location", "http://elsewhere.invalid/")
			w.WriteHeader(http.StatusFound)
			_, _ = io.WriteString(w, strings.Repeat("<p>moved</p>", 1000))
		case "gone":
			w.WriteHeader(http.StatusAccepted)
			_, _ = io.WriteString(w, strings.Repeat(" ", 1000)+"\n") // no body but white space
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
			if r.Method == http.MethodDelete {
				w.WriteHeader(http.StatusAccepted) // the API's: no body
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
		require.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "the tunnel may exist")
		var apiErr *scpvpn.APIError
		assert.False(t, errors.As(err, &apiErr))
		assert.EqualValues(t, 1, srv.posts.Load(), "the tunnel may exist: no second create")
	})

	t.Run("POST on a reused connection dropped after sending is not sent again", func(t *testing.T) {
		t.Parallel()
		// net/http itself replays a request on a kept connection that the
		// server closed, when it deems that safe; a POST must not be.
		var posts, connsAtPost atomic.Int64
		var srv *countedServer
		srv = newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			if r.Method == http.MethodPost {
				posts.Add(1)
				connsAtPost.Store(srv.conns.Load())
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
		require.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown)
		assert.EqualValues(t, 1, posts.Load(), "the tunnel may exist: no second create")
		assert.EqualValues(t, 1, connsAtPost.Load(), "the POST went over the kept connection")
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
	assert.Eventually(t, func() bool { return closed.Load() == 1 }, 30*time.Second, 5*time.Millisecond, "the kept connection is closed")

	hc := &http.Client{Transport: scpvpn.NewSigningTransport(&scpvpn.Signer{AccessKey: "a", SecretKey: "s"}, &http.Transport{})}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	resp, err := hc.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	hc.CloseIdleConnections()
	assert.Eventually(t, func() bool { return closed.Load() == 2 }, 30*time.Second, 5*time.Millisecond, "through the signing transport too")
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
