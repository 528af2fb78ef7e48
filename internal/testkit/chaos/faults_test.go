package chaos

// Tests of the faults added for the classes that net/http and proxies
// bring (a dropped answer, informational answers, a proxy's 404, an
// undecodable answer to a create) over HTTP/1.1, and of tagging.

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedWhere returns a seed whose first draws under cfg's rates give the
// plans want accepts, in order.
func seedWhere(t *testing.T, cfg Config, want ...func(plan) bool) uint64 {
	t.Helper()
	for seed := uint64(0); seed < 100000; seed++ {
		cfg.Seed = seed
		d := newDice(cfg.withDefaults())
		ok := true
		for _, w := range want {
			if !w(d.draw()) {
				ok = false
				break
			}
		}
		if ok {
			return seed
		}
	}
	t.Fatal("no seed draws the plans wanted")
	return 0
}

// is accepts the plans of fault f.
func is(f Fault) func(plan) bool { return func(pl plan) bool { return pl.fault == f } }

// send makes one request with c and returns its status and body, or the
// error.
func send(t *testing.T, c *http.Client, method, url, body string, header ...string) (int, string, error) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if body == "" {
		req.Body, req.GetBody, req.ContentLength = nil, nil, 0
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// TestDroppedAnswersOnReusedConnectionsAreResentByNetHTTP shows the class
// of issue 17 item 1 over HTTP/1.1: net/http resends on its own a GET, or
// a POST with an idempotency header, whose answer was dropped on a
// connection it had used before; a plain POST it does not.
func TestDroppedAnswersOnReusedConnectionsAreResentByNetHTTP(t *testing.T) {
	rates := Rates{Dropped: 0.5}
	for _, tc := range []struct {
		name, method string
		header       []string
		resent       bool
	}{
		{"GET", http.MethodGet, nil, true},
		{"POST with Idempotency-Key", http.MethodPost, []string{"Idempotency-Key", "k1"}, true},
		{"POST with X-Idempotency-Key", http.MethodPost, []string{"X-Idempotency-Key", "k2"}, true},
		{"plain POST", http.MethodPost, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up := newUpstream(t)
			cfg := Config{Upstream: up.Listener.Addr().String(), Rates: rates}
			cfg.Seed = seedWhere(t, cfg, is(None), is(Dropped), is(None))
			p := startProxy(t, cfg)
			c := client(t, 0)
			body := ""
			if tc.method == http.MethodPost {
				body = `{"name":"gw1"}`
			}
			status, _, err := send(t, c, tc.method, p.URL+"/v1/x", body, tc.header...)
			require.NoError(t, err)
			require.Less(t, status, 300, "the first request is relayed")

			status, _, err = send(t, c, tc.method, p.URL+"/v1/x", body, tc.header...)
			j := p.Journal(nil)
			require.GreaterOrEqual(t, len(j), 2)
			assert.Equal(t, Dropped, j[1].Fault)
			assert.True(t, j[1].Reused, "on the connection of the first request")
			assert.True(t, j[1].Forwarded)
			assert.Zero(t, j[1].Status, "no answer")
			if tc.resent {
				require.NoError(t, err, "net/http resent it and got the answer")
				assert.Less(t, status, 300)
				assert.Len(t, up.seen(), 3, "the upstream saw the second request twice")
				assert.Len(t, j, 3)
			} else {
				require.Error(t, err)
				assert.Len(t, up.seen(), 2)
				assert.Len(t, j, 2)
			}
			assert.Equal(t, 1, p.Stats().Faults[Dropped])
		})
	}
}

func TestDroppedAnswerIsAFinNotAReset(t *testing.T) {
	up := newUpstream(t)
	p := startProxy(t, Config{Upstream: up.Listener.Addr().String(), Rates: Rates{Dropped: 1}})
	_, _, err := rawExchange(t, p, "PUT /v1/vpn-gateways/abc HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
	require.ErrorIs(t, err, io.ErrUnexpectedEOF, "the connection ends cleanly, with no answer")
	assert.NotErrorIs(t, err, syscall.ECONNRESET)
	assert.Len(t, up.seen(), 1, "the service acted")
	j := p.Journal(nil)
	require.Len(t, j, 1)
	assert.False(t, j[0].Reused)
	assert.Contains(t, j[0].String(), "drop-after (upstream 200)")
}

func TestInformationalAnswers(t *testing.T) {
	rates := Rates{Informational: 1}
	t.Run("103 then the answer", func(t *testing.T) {
		up := newUpstream(t)
		cfg := Config{Upstream: up.Listener.Addr().String(), Rates: rates}
		cfg.Seed = seedWhere(t, cfg, func(pl plan) bool { return pl.status == 103 && pl.answer })
		p := startProxy(t, cfg)
		status, body, err := send(t, client(t, 0), http.MethodGet, p.URL+"/x", "")
		require.NoError(t, err)
		assert.Equal(t, 200, status, "net/http reads past a 103")
		assert.Contains(t, body, "gw1")
		ex := p.Journal(nil)[0]
		assert.Equal(t, 103, ex.Informational)
		assert.Equal(t, 200, ex.Status)
		assert.True(t, ex.Forwarded)
		assert.Contains(t, ex.String(), "answered 103 then 200 (upstream 200)")
		assert.Equal(t, 1, p.Stats().Statuses[103])
	})
	t.Run("101 instead of the answer", func(t *testing.T) {
		up := newUpstream(t)
		cfg := Config{Upstream: up.Listener.Addr().String(), Rates: rates, SlowHold: time.Hour}
		cfg.Seed = seedWhere(t, cfg, func(pl plan) bool { return pl.status == 101 && !pl.forward })
		p := startProxy(t, cfg)
		conn, err := net.Dial("tcp", strings.TrimPrefix(p.URL, "http://"))
		require.NoError(t, err)
		defer conn.Close()
		_, err = io.WriteString(conn, "GET /x HTTP/1.1\r\nHost: x\r\n\r\n")
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err)
		assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
		assert.Equal(t, "chaos/1", resp.Header.Get("Upgrade"))
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
		_, err = conn.Read(make([]byte, 1))
		var ne net.Error
		require.ErrorAs(t, err, &ne, "the connection is held open, nothing follows")
		assert.True(t, ne.Timeout())
		assert.Empty(t, up.seen())
		ex := p.Journal(nil)[0]
		assert.Equal(t, 101, ex.Informational)
		assert.Zero(t, ex.Status)
		assert.Contains(t, ex.String(), "answered 101 alone (not forwarded)")
	})
	t.Run("103 alone, after forwarding", func(t *testing.T) {
		up := newUpstream(t)
		cfg := Config{Upstream: up.Listener.Addr().String(), Rates: rates, SlowHold: time.Millisecond}
		cfg.Seed = seedWhere(t, cfg, func(pl plan) bool { return pl.status == 103 && pl.forward && !pl.answer })
		p := startProxy(t, cfg)
		_, _, err := send(t, client(t, 0), http.MethodPost, p.URL+"/x", "{}")
		require.Error(t, err, "the connection closes after the hold, with no final answer")
		assert.Len(t, up.seen(), 1, "the service acted")
	})
}

func TestNotRoutedAnswersAreNotTheService(t *testing.T) {
	up := newUpstream(t)
	p := startProxy(t, Config{Upstream: up.Listener.Addr().String(), Rates: Rates{NotRouted: 1}, Seed: 7})
	c := client(t, 0)
	bodies := map[string]string{}
	for i := 0; i < 30; i++ {
		status, body, err := send(t, c, http.MethodGet, p.URL+"/v1/vpn-gateways/abc", "")
		require.NoError(t, err)
		assert.Equal(t, http.StatusNotFound, status)
		assert.NotContains(t, body, `"errors"`, "not the API's error body")
		ex := p.Journal(nil)[i]
		bodies[ex.Detail] = body
		assert.False(t, ex.Forwarded)
	}
	assert.Equal(t, map[string]string{"empty": "", "text": "404 page not found\n", "html": htmlPage(404)}, bodies)
	assert.Empty(t, up.seen())
	s := p.Stats()
	assert.Equal(t, 30, s.Statuses[404])
	assert.Equal(t, 1, s.ConnsOpened, "a 404 keeps the connection")
	assert.Contains(t, p.Journal(nil)[0].String(), "answered 404 not routed (")
}

func TestUndecodableAnswersToCreates(t *testing.T) {
	up := newUpstream(t)
	p := startProxy(t, Config{Upstream: up.Listener.Addr().String(), Rates: Rates{Undecodable: 1}, Seed: 5})
	c := client(t, 0)
	whole := `{"vpn_gateway":{"id":"0123456789abcdef","name":"gw1","state":"ACTIVE"}}`
	seen := map[string]bool{}
	for i := 0; i < 30; i++ {
		status, body, err := send(t, c, http.MethodPost, p.URL+"/v1/vpn-gateways", `{"name":"gw1"}`)
		require.NoError(t, err, "the answer reads whole")
		assert.Equal(t, http.StatusAccepted, status, "with the upstream's status")
		ex := p.Journal(nil)[i]
		seen[ex.Detail] = true
		switch ex.Detail {
		case "{}":
			assert.Equal(t, "{}", body)
		case "html":
			assert.Contains(t, body, "<h1>202 Accepted</h1>")
		case "cut":
			assert.True(t, strings.HasPrefix(whole, body) && len(body) < len(whole), "%q", body)
		}
		assert.True(t, ex.Forwarded)
		assert.Contains(t, ex.String(), "answered 202 undecodable (")
	}
	assert.Len(t, seen, 3)
	assert.Len(t, up.seen(), 30, "every create reached the service")

	// Other methods, and answers without a body, are relayed.
	status, body, err := send(t, c, http.MethodGet, p.URL+"/x", "")
	require.NoError(t, err)
	assert.Equal(t, 200, status)
	assert.Equal(t, whole, body)
	status, _, err = send(t, c, http.MethodPost, p.URL+"/empty", "{}")
	require.NoError(t, err)
	assert.Equal(t, http.StatusAccepted, status)
	assert.Equal(t, 30, p.Stats().Faults[Undecodable])
}

func TestRequestsAreFoundByTag(t *testing.T) {
	up := newUpstream(t)
	cfg := Config{Upstream: up.Listener.Addr().String(), Rates: Rates{ResetBefore: 0.5}, TagHeader: "X-Call"}
	cfg.Seed = seedWhere(t, cfg, is(None), is(ResetBefore), is(None))
	p := startProxy(t, cfg)
	c := client(t, 0)
	_, _, err := send(t, c, http.MethodGet, p.URL+"/a", "", "X-Call", "one")
	require.NoError(t, err)
	// A request reset before it was read: its tag is taken from what had
	// arrived. net/http resends a GET reset on a reused connection.
	_, _, err = send(t, c, http.MethodGet, p.URL+"/b", "", "X-Call", "two")
	require.NoError(t, err)

	one := p.Tagged("one")
	require.Len(t, one, 1)
	assert.Equal(t, "/a", one[0].Target)
	two := p.Tagged("two")
	require.Len(t, two, 2)
	assert.Equal(t, ResetBefore, two[0].Fault)
	assert.Equal(t, None, two[1].Fault)
	assert.Empty(t, p.Tagged("three"))
}

func TestArrivedHeader(t *testing.T) {
	for _, tc := range []struct{ arrived, want string }{
		{"GET / HTTP/1.1\r\nX-Call: a1\r\n", "a1"},
		{"GET / HTTP/1.1\r\nx-call:  a2 \r\n\r\n", "a2"},
		{"GET / HTTP/1.1\r\nX-Call: a3", ""},                     // not whole yet
		{"GET / HTTP/1.1\r\n\r\nX-Call: body\r\n", ""},           // in the body
		{"GET / HTTP/1.1\r\nX-Other: a\r\nX-Call: a4\r\n", "a4"}, //
		{"", ""},
	} {
		assert.Equal(t, tc.want, arrivedHeader([]byte(tc.arrived), "X-Call"), "%q", tc.arrived)
	}
	assert.Empty(t, arrivedHeader([]byte("GET / HTTP/1.1\r\nX-Call: a\r\n"), ""))
}

func TestRatesOnly(t *testing.T) {
	all := Rates{ResetBefore: 0.01, ResetAfter: 0.02, Truncated: 0.03, Slow: 0.04, ServerError: 0.05, TooManyRequests: 0.06, Dropped: 0.07, Informational: 0.08, NotRouted: 0.09, Undecodable: 0.1}
	assert.Equal(t, all, all.Only(Faults...))
	assert.Equal(t, Rates{Dropped: 0.07, NotRouted: 0.09}, all.Only(NotRouted, Dropped, "unknown"))
	assert.Equal(t, Rates{}, all.Only())
}
