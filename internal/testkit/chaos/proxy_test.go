package chaos

// Tests of the proxy over real sockets: each fault does what it says, the
// upstream sees exactly what the client sent, and the counters add up.

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// upstream is an HTTP server behind the proxy that counts what reaches it.
type upstream struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string // "METHOD target body"
	hosts    []string // "scheme://host" as each request reached it
}

func (u *upstream) seen() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]string(nil), u.requests...)
}

func (u *upstream) seenHosts() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]string(nil), u.hosts...)
}

// newUpstream serves /empty with 202 and no body, /big with 64 KiB written
// in pieces (so chunked), /bighead with a 40 KiB header, anything else
// with a small JSON body (202 to a POST).
func newUpstream(t *testing.T) *upstream {
	t.Helper()
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(u.serve))
	t.Cleanup(u.Close)
	return u
}

// newTLSUpstream is newUpstream over TLS.
func newTLSUpstream(t *testing.T) *upstream {
	t.Helper()
	u := &upstream{}
	u.Server = httptest.NewTLSServer(http.HandlerFunc(u.serve))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u.mu.Lock()
	u.requests = append(u.requests, r.Method+" "+r.RequestURI+" "+string(body))
	u.hosts = append(u.hosts, scheme+"://"+r.Host)
	u.mu.Unlock()
	w.Header().Set("X-Request-Id", "up-1")
	switch r.URL.Path {
	case "/empty":
		w.WriteHeader(http.StatusAccepted)
	case "/big":
		for i := 0; i < 64; i++ {
			_, _ = w.Write(bytes.Repeat([]byte{'a' + byte(i%26)}, 1024))
			w.(http.Flusher).Flush()
		}
	case "/bighead":
		w.Header().Set("X-Big", strings.Repeat("h", 40<<10))
		_, _ = io.WriteString(w, "ok")
	default:
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusAccepted)
		}
		_, _ = io.WriteString(w, `{"vpn_gateway":{"id":"0123456789abcdef","name":"gw1","state":"ACTIVE"}}`)
	}
}

func startProxy(t *testing.T, cfg Config) *Proxy {
	t.Helper()
	cfg.Journal = true
	p, err := Start(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, p.Close()) })
	return p
}

// client is a plain HTTP client with a transport of its own.
func client(t *testing.T, timeout time.Duration) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: timeout}
}

// hangUpWhenHeld returns a context that ends once p holds a slow answer:
// a client that hangs up then, where one with a short timeout could give
// up before the request reached p on a loaded machine.
func hangUpWhenHeld(t *testing.T, p *Proxy) context.Context {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() {
		for p.Stats().Faults[Slow] == 0 && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	return ctx
}

// rawExchange sends raw over a new connection and returns the answer's
// head and the error of reading its body.
func rawExchange(t *testing.T, p *Proxy, raw string) (*http.Response, []byte, error) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, raw)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func TestRequestsAreForwardedByteForByte(t *testing.T) {
	requests := []string{
		"PUT /v1/vpn-gateways/a%2Fb%7e?q=%41&z=1&z=2 HTTP/1.1\r\nHost: x\r\nscp-signature: abc\r\nX-Odd:  spaced \r\nContent-Length: 11\r\n\r\n{\"a\": \"b\"}\n",
		"POST /v1/vpn-tunnels HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\nX-Trailer: t\r\n\r\n",
		"\r\nGET /v1/vpn-gateways?name=%E2%9C%93 HTTP/1.1\r\nHost: x\r\n\r\n",
	}
	for _, raw := range requests {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		got := make(chan string, 1)
		go func() {
			conn, err := ln.Accept()
			if err != nil {
				got <- err.Error()
				return
			}
			defer conn.Close()
			want := strings.TrimPrefix(raw, "\r\n") // leading blank lines are not part of the request
			b := make([]byte, len(want))
			_, err = io.ReadFull(conn, b)
			got <- string(b)
			if err == nil {
				_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n2\r\nok\r\n0\r\n\r\n")
			}
		}()
		p := startProxy(t, Config{Upstream: ln.Addr().String()})

		resp, body, err := rawExchange(t, p, raw)
		require.NoError(t, err)
		assert.Equal(t, strings.TrimPrefix(raw, "\r\n"), <-got, "the upstream receives exactly what the client sent")
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "ok", string(body))
		assert.Equal(t, int64(2), resp.ContentLength, "a chunked answer is relayed with its length")
		assert.Empty(t, resp.TransferEncoding)
		require.NoError(t, ln.Close())
	}
}

func TestAnswersAreRelayedOnKeptConnections(t *testing.T) {
	up := newUpstream(t)
	p := startProxy(t, Config{Upstream: up.Listener.Addr().String()})
	c := client(t, 0)

	for _, path := range []string{"/big", "/x", "/empty", "/big"} {
		resp, err := c.Get(p.URL + path)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		assert.Equal(t, "up-1", resp.Header.Get("X-Request-Id"))
		switch path {
		case "/big":
			assert.Len(t, body, 64<<10)
			assert.Equal(t, int64(64<<10), resp.ContentLength)
		case "/empty":
			assert.Equal(t, http.StatusAccepted, resp.StatusCode)
			assert.Empty(t, body)
		default:
			assert.Contains(t, string(body), `"name":"gw1"`)
		}
	}
	s := p.Stats()
	assert.Equal(t, 1, s.ConnsOpened, "one kept-alive connection serves every request")
	assert.Equal(t, 4, s.Requests)
	assert.Equal(t, 4, s.Forwarded)
	assert.Zero(t, s.TotalFaults())
	assert.Len(t, up.seen(), 4)
}

func TestConnectionCloseIsHonoured(t *testing.T) {
	up := newUpstream(t)
	p := startProxy(t, Config{Upstream: up.Listener.Addr().String()})
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	require.NoError(t, err)
	all, err := io.ReadAll(conn)
	require.NoError(t, err, "the proxy closes the connection after the answer")
	assert.Contains(t, string(all), "HTTP/1.1 200 OK")
}

func TestResetBeforeTheRequestIsRead(t *testing.T) {
	up := newUpstream(t)
	p := startProxy(t, Config{Upstream: up.Listener.Addr().String(), Rates: Rates{ResetBefore: 1}})

	_, _, err := rawExchange(t, p, "DELETE /v1/vpn-gateways/abc HTTP/1.1\r\nHost: x\r\n\r\n")
	require.Error(t, err)
	assert.ErrorIs(t, err, syscall.ECONNRESET, "an RST, not a FIN")
	assert.Empty(t, up.seen(), "the upstream never sees the request")
	j := p.Journal(nil)
	require.Len(t, j, 1)
	assert.Equal(t, ResetBefore, j[0].Fault)
	assert.Equal(t, "DELETE", j[0].Method, "what had arrived is recorded")
	assert.Equal(t, "/v1/vpn-gateways/abc", j[0].Target)
	assert.False(t, j[0].Forwarded)
	assert.Equal(t, 1, p.Stats().Faults[ResetBefore])
}

func TestResetAfterTheUpstreamAnswered(t *testing.T) {
	up := newUpstream(t)
	p := startProxy(t, Config{Upstream: up.Listener.Addr().String(), Rates: Rates{ResetAfter: 1}})

	_, _, err := rawExchange(t, p, "PUT /v1/vpn-gateways/abc HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
	assert.ErrorIs(t, err, syscall.ECONNRESET)
	assert.Equal(t, []string{"PUT /v1/vpn-gateways/abc {}"}, up.seen(), "the service acted")
	j := p.Journal(nil)
	require.Len(t, j, 1)
	assert.Equal(t, ResetAfter, j[0].Fault)
	assert.True(t, j[0].Forwarded)
	assert.Equal(t, 200, j[0].UpstreamStatus)
	assert.Zero(t, j[0].Status, "the client got no answer")
	assert.Equal(t, []byte("{}"), j[0].Body)
	assert.Equal(t, j, p.Exchanges("/v1/vpn-gateways/abc"))
	assert.Empty(t, p.Exchanges("/v1/vpn-gateways"))
}

func TestTruncatedBodies(t *testing.T) {
	up := newUpstream(t)
	p := startProxy(t, Config{Upstream: up.Listener.Addr().String(), Rates: Rates{Truncated: 1}, Seed: 3})
	c := client(t, 0)

	for i := 0; i < 20; i++ {
		resp, err := c.Get(p.URL + "/x")
		require.NoError(t, err, "the head arrives whole")
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, resp.Body.Close())
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Less(t, int64(len(body)), resp.ContentLength, "the full length is announced, part of the body sent")
	}
	// An answer without a body cannot be cut: it is relayed.
	resp, err := c.Get(p.URL + "/empty")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)

	s := p.Stats()
	assert.Equal(t, 20, s.Faults[Truncated])
	assert.Equal(t, 21, s.Forwarded)
	assert.Equal(t, 21, s.ConnsOpened, "a cut answer ends its connection")
}

func TestSlowAnswers(t *testing.T) {
	up := newUpstream(t)

	t.Run("held until the client hangs up", func(t *testing.T) {
		p := startProxy(t, Config{Upstream: up.Listener.Addr().String(), Rates: Rates{Slow: 1}, SlowHold: time.Hour})
		req, err := http.NewRequestWithContext(hangUpWhenHeld(t, p), http.MethodGet, p.URL+"/x", nil)
		require.NoError(t, err)
		_, err = client(t, 0).Do(req)
		require.ErrorIs(t, err, context.Canceled, "no answer for the hour of the hold")
		assert.Equal(t, 1, p.Stats().Faults[Slow])
		assert.True(t, p.Journal(nil)[0].Forwarded, "the service acted; only the answer is late")
	})
	t.Run("delivered after the hold", func(t *testing.T) {
		p := startProxy(t, Config{Upstream: up.Listener.Addr().String(), Rates: Rates{Slow: 1}, SlowHold: time.Millisecond})
		resp, err := client(t, 0).Get(p.URL + "/x")
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		assert.Contains(t, string(body), "gw1")
	})
}

func TestServerErrors(t *testing.T) {
	up := newUpstream(t)
	p := startProxy(t, Config{Upstream: up.Listener.Addr().String(), Rates: Rates{ServerError: 1}, MaxBurst: 3, Seed: 1})
	c := client(t, 0)

	const n = 200
	for i := 0; i < n; i++ {
		resp, err := c.Get(p.URL + "/x")
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		assert.Contains(t, []int{500, 502, 503, 504}, resp.StatusCode)
		assert.NotEmpty(t, resp.Header.Get("X-Request-Id"))
		switch resp.StatusCode {
		case 502, 504:
			assert.Equal(t, "text/html", resp.Header.Get("Content-Type"), "as a gateway answers")
			assert.Contains(t, string(body), "<h1>")
		default:
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"), "as the service answers")
			assert.Contains(t, string(body), `"errors"`)
		}
	}
	s := p.Stats()
	assert.Equal(t, n, s.Faults[ServerError])
	assert.Equal(t, 1, s.ConnsOpened, "error answers keep the connection")
	forwarded := map[int]int{}
	notForwarded := map[int]int{}
	for _, ex := range p.Journal(nil) {
		if ex.Forwarded {
			forwarded[ex.Status]++
			assert.Equal(t, 200, ex.UpstreamStatus)
		} else {
			notForwarded[ex.Status]++
		}
	}
	assert.Zero(t, forwarded[503], "503: the service did not act")
	only503 := p.Journal(func(ex *Exchange) bool { return ex.Status == 503 })
	assert.Len(t, only503, notForwarded[503], "Journal keeps what match accepts")
	for _, status := range []int{500, 502, 504} {
		assert.Positive(t, forwarded[status], "%d sometimes after the service acted", status)
		assert.Positive(t, notForwarded[status], "%d sometimes before", status)
	}
	assert.Positive(t, notForwarded[503])
	assert.Len(t, up.seen(), s.Forwarded)
	assert.Equal(t, s.Forwarded, s.ForwardedErrors)
	assert.Equal(t, n, s.Statuses[500]+s.Statuses[502]+s.Statuses[503]+s.Statuses[504])
}

func TestTooManyRequests(t *testing.T) {
	up := newUpstream(t)
	p := startProxy(t, Config{Upstream: up.Listener.Addr().String(), Rates: Rates{TooManyRequests: 1}, RetryAfter: 7})

	resp, err := client(t, 0).Get(p.URL + "/x")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, "7", resp.Header.Get("Retry-After"))
	assert.Empty(t, up.seen(), "the service did not act")
	assert.Equal(t, 1, p.Stats().Statuses[429])
	assert.Equal(t, 1, p.Stats().Faults[TooManyRequests])
}

func TestUnreachableUpstream(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	p := startProxy(t, Config{Upstream: addr, Rates: Rates{Truncated: 1}})

	resp, err := client(t, 0).Get(p.URL + "/x")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	s := p.Stats()
	assert.Equal(t, 1, s.UpstreamErrors)
	assert.Zero(t, s.Forwarded)
	assert.Zero(t, s.TotalFaults(), "the gateway's own failure is not an injected fault")
	assert.Contains(t, p.Journal(nil)[0].String(), "upstream failed")
}

func TestMalformedRequestsEndTheConnection(t *testing.T) {
	up := newUpstream(t)
	p := startProxy(t, Config{Upstream: up.Listener.Addr().String()})
	for _, raw := range []string{
		"NOT HTTP\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n",
	} {
		_, _, err := rawExchange(t, p, raw)
		assert.Error(t, err, "%q", raw)
	}
	assert.Empty(t, up.seen())
}

func TestConnectionsAreCounted(t *testing.T) {
	up := newUpstream(t)
	p, err := Start(Config{Upstream: up.Listener.Addr().String()})
	require.NoError(t, err)

	var conns []net.Conn
	for i := 0; i < 3; i++ {
		conn, err := net.Dial("tcp", strings.TrimPrefix(p.URL, "http://"))
		require.NoError(t, err)
		defer conn.Close()
		_, err = io.WriteString(conn, "GET /x HTTP/1.1\r\nHost: x\r\n\r\n")
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err, "answered, so the proxy holds the connection")
		require.NoError(t, resp.Body.Close())
		conns = append(conns, conn)
	}
	s := p.Stats()
	assert.Equal(t, 3, s.ConnsOpened)
	assert.Equal(t, 3, s.OpenConns)
	assert.Equal(t, 3, s.PeakConns)

	require.NoError(t, p.Close(), "closes the connections it holds")
	require.NoError(t, p.Close(), "a second Close does nothing")
	s = p.Stats()
	assert.Zero(t, s.OpenConns)
	assert.Equal(t, 3, s.PeakConns)
	_, err = conns[0].Read(make([]byte, 1))
	assert.Error(t, err)
	assert.Empty(t, p.Journal(nil), "no journal unless asked for")
}

func TestCloseEndsHeldAnswers(t *testing.T) {
	up := newUpstream(t)
	p, err := Start(Config{Upstream: up.Listener.Addr().String(), Rates: Rates{Slow: 1}, SlowHold: time.Hour})
	require.NoError(t, err)
	c := client(t, 0)
	done := make(chan error, 1)
	go func() {
		resp, err := c.Get(p.URL + "/x")
		if err == nil {
			_ = resp.Body.Close()
		}
		done <- err
	}()
	for p.Stats().Faults[Slow] == 0 {
		time.Sleep(time.Millisecond)
	}
	require.NoError(t, p.Close())
	assert.Error(t, <-done, "the held answer is never sent")
}

func TestConfigIsChecked(t *testing.T) {
	for name, cfg := range map[string]Config{
		"no upstream":   {},
		"negative rate": {Upstream: "x:1", Rates: Rates{Slow: -0.1}},
		"NaN":           {Upstream: "x:1", Rates: Rates{Truncated: math.NaN()}},
		"above one":     {Upstream: "x:1", Rates: Rates{ResetBefore: 1.5}},
		"sum above one": {Upstream: "x:1", Rates: Rates{ResetAfter: 0.6, TooManyRequests: 0.6}},
	} {
		_, err := Start(cfg)
		assert.Error(t, err, name)
	}
	_, err := Start(Config{Upstream: "x:1", Addr: "256.0.0.1:0"})
	assert.Error(t, err, "an address it cannot listen on")
}

func TestDiceFollowTheRates(t *testing.T) {
	rates := Rates{ResetBefore: 0.05, ResetAfter: 0.1, Truncated: 0.15, Slow: 0.02, ServerError: 0.08, TooManyRequests: 0.1}
	d := newDice(Config{Rates: rates, Seed: 42}.withDefaults())
	const n = 200000
	counts := map[Fault]int{}
	for i := 0; i < n; i++ {
		pl := d.draw()
		counts[pl.fault]++
		if pl.fault == Truncated {
			assert.True(t, pl.cut >= 0 && pl.cut < 1)
		}
	}
	for _, f := range Faults {
		assert.InDelta(t, rates.of(f), float64(counts[f])/n, 0.005, "%s", f)
	}
	assert.InDelta(t, 0.5, float64(counts[None])/n, 0.005)
	assert.Zero(t, rates.of("unknown"))
}

func TestServerErrorsComeInBursts(t *testing.T) {
	lengths := map[int]int{}
	for seed := uint64(0); seed < 200; seed++ {
		d := newDice(Config{Rates: Rates{ServerError: 1}, MaxBurst: 4, Seed: seed}.withDefaults())
		require.Equal(t, ServerError, d.draw().fault)
		d.rates = Rates{} // nothing starts a new burst
		n := 1
		for d.draw().fault == ServerError {
			n++
		}
		lengths[n]++
	}
	for n := 1; n <= 4; n++ {
		assert.Positive(t, lengths[n], "bursts of %d", n)
	}
	assert.Len(t, lengths, 4, "never longer than MaxBurst")
}

func TestExchangeString(t *testing.T) {
	ex := Exchange{Seq: 3, Conn: 2, Method: "PUT", Target: "/v1/vpn-gateways/x?a=b", Fault: ServerError, Status: 502, Forwarded: true, UpstreamStatus: 200}
	assert.Equal(t, "/v1/vpn-gateways/x", ex.Path())
	s := ex.String()
	assert.Contains(t, s, "#3 conn 2")
	assert.Contains(t, s, "PUT /v1/vpn-gateways/x?a=b: answered 502 (upstream 200)")
	ex = Exchange{Method: "GET", Target: "/", Fault: ResetBefore}
	assert.Contains(t, ex.String(), "reset-before (not forwarded)")
	ex = Exchange{Method: "GET", Target: "/", Forwarded: true, UpstreamStatus: 404, Status: 404}
	assert.Contains(t, ex.String(), "relayed (upstream 404)")
}
