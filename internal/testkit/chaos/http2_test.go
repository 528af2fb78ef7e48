package chaos

// Tests of the TLS listener with net/http's own client: HTTP/2 (and
// HTTP/1.1 when the client asks for it), forwarded over TLS to the
// upstream, and each fault on a stream.

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
)

// startTLSProxy starts a proxy with a TLS listener in front of a TLS
// upstream.
func startTLSProxy(t *testing.T, cfg Config) (*Proxy, *upstream) {
	t.Helper()
	up := newTLSUpstream(t)
	plain := newUpstream(t)
	cfg.Upstream = plain.Listener.Addr().String()
	cfg.TLSUpstream = up.Listener.Addr().String()
	cfg.UpstreamRootCAs = up.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	return startProxy(t, cfg), up
}

// h2Client is a client of the proxy's TLS listener built as the SDK
// builds its default transport: HTTP/2 when the server offers it.
func h2Client(t *testing.T, p *Proxy, timeout time.Duration) *http.Client {
	t.Helper()
	tr := &http.Transport{ForceAttemptHTTP2: true, TLSClientConfig: &tls.Config{RootCAs: p.RootCAs(), MinVersion: tls.VersionTLS12}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: timeout}
}

// tlsHTTP1Client speaks HTTP/1.1 over TLS.
func tlsHTTP1Client(t *testing.T, p *Proxy) *http.Client {
	t.Helper()
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: p.RootCAs(), MinVersion: tls.VersionTLS12}, TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func TestHTTP2IsRelayedOverTLS(t *testing.T) {
	p, up := startTLSProxy(t, Config{TagHeader: "X-Call"})
	require.True(t, strings.HasPrefix(p.TLSURL, "https://127.0.0.1:"))
	c := h2Client(t, p, 0)
	_, _, err := send(t, c, http.MethodGet, p.TLSURL+"/x", "") // opens the connection the others share
	require.NoError(t, err)

	var wg sync.WaitGroup
	for i, path := range []string{"/big", "/x", "/empty", "/bighead", "/big", "/x"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequest(http.MethodGet, p.TLSURL+path, nil)
			if !assert.NoError(t, err) {
				return
			}
			req.Header.Set("X-Call", path)
			resp, err := c.Do(req)
			if !assert.NoError(t, err, "request %d", i) {
				return
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			assert.NoError(t, err)
			assert.Equal(t, "HTTP/2.0", resp.Proto)
			assert.Equal(t, "up-1", resp.Header.Get("X-Request-Id"))
			switch path {
			case "/big":
				assert.Len(t, body, 64<<10)
			case "/empty":
				assert.Equal(t, http.StatusAccepted, resp.StatusCode)
				assert.Empty(t, body)
			case "/bighead":
				assert.Len(t, resp.Header.Get("X-Big"), 40<<10, "a header block longer than a frame")
			default:
				assert.Contains(t, string(body), "gw1")
			}
		}()
	}
	wg.Wait()
	// A body, with its length.
	status, body, err := send(t, c, http.MethodPut, p.TLSURL+"/v1/vpn-gateways/a?b=c", `{"d":"e"}`)
	require.NoError(t, err)
	assert.Equal(t, 200, status)
	assert.Contains(t, body, "gw1")

	s := p.Stats()
	assert.Equal(t, 1, s.ConnsOpened, "one connection, many streams")
	assert.Equal(t, 8, s.Protos[HTTP2])
	assert.Len(t, up.seen(), 8)
	assert.Contains(t, up.seen(), "PUT /v1/vpn-gateways/a?b=c {\"d\":\"e\"}")
	for _, h := range up.seenHosts() {
		assert.Equal(t, p.TLSURL, h, "the upstream sees the request sent to the proxy's https URL")
	}
	big := p.Tagged("/big")
	require.Len(t, big, 2)
	assert.Equal(t, HTTP2, big[0].Proto)
	assert.True(t, big[0].TLS)
	assert.Len(t, p.Journal(func(ex *Exchange) bool { return !ex.Reused }), 1, "only the first stream is on a fresh connection")
}

func TestHTTP1OverTLS(t *testing.T) {
	p, up := startTLSProxy(t, Config{})
	c := tlsHTTP1Client(t, p)
	for range 2 {
		status, body, err := send(t, c, http.MethodPost, p.TLSURL+"/v1/vpn-gateways", `{"name":"gw1"}`)
		require.NoError(t, err)
		assert.Equal(t, http.StatusAccepted, status)
		assert.Contains(t, body, "gw1")
	}
	j := p.Journal(nil)
	require.Len(t, j, 2)
	assert.Equal(t, HTTP1, j[0].Proto)
	assert.True(t, j[0].TLS)
	assert.True(t, j[1].Reused)
	assert.Equal(t, []string{p.TLSURL, p.TLSURL}, up.seenHosts())
	assert.Equal(t, 1, p.Stats().ConnsOpened)
}

func TestResetsOverTLSWithHTTP1(t *testing.T) {
	p, up := startTLSProxy(t, Config{Rates: Rates{ResetAfter: 1}})
	_, _, err := send(t, tlsHTTP1Client(t, p), http.MethodPost, p.TLSURL+"/v1/vpn-gateways", "{}")
	require.Error(t, err)
	assert.Len(t, up.seen(), 1, "the service acted; the TLS connection was reset")
}

// TestStreamResetAfterActingIsResentByNetHTTP shows the class of issue 17
// item 1 over HTTP/2: a POST whose stream is reset with PROTOCOL_ERROR
// after the service acted is sent again by Go 1.26's net/http, which then
// reports the second answer as the only one. Go 1.27 no longer resends on
// PROTOCOL_ERROR (it still does on REFUSED_STREAM and GOAWAY): the reset
// then reaches the caller, after one create on the wire.
func TestStreamResetAfterActingIsResentByNetHTTP(t *testing.T) {
	cfg := Config{Rates: Rates{ResetAfter: 0.5}}
	cfg.Seed = seedWhere(t, cfg, is(ResetAfter), is(None))
	p, up := startTLSProxy(t, cfg)
	status, _, err := send(t, h2Client(t, p, 0), http.MethodPost, p.TLSURL+"/v1/vpn-gateways", `{"name":"gw1"}`)
	create := `POST /v1/vpn-gateways {"name":"gw1"}`
	j := p.Journal(nil)
	require.NotEmpty(t, j)
	assert.Equal(t, ResetAfter, j[0].Fault)
	assert.True(t, j[0].Forwarded)
	assert.Zero(t, j[0].Status)
	if err != nil { // Go 1.27 and later
		assert.ErrorContains(t, err, "PROTOCOL_ERROR")
		assert.Equal(t, []string{create}, up.seen(), "the service acted once; the reset reached the caller")
		return
	}
	assert.Equal(t, http.StatusAccepted, status)
	assert.Equal(t, []string{create, create}, up.seen(), "one create, two on the wire")
	assert.Len(t, j, 2)
}

func TestRefusedStreamIsNotForwarded(t *testing.T) {
	cfg := Config{Rates: Rates{ResetBefore: 0.5}}
	cfg.Seed = seedWhere(t, cfg, is(ResetBefore), is(None))
	p, up := startTLSProxy(t, cfg)
	status, _, err := send(t, h2Client(t, p, 0), http.MethodGet, p.TLSURL+"/x", "")
	require.NoError(t, err, "net/http resends a refused stream")
	assert.Equal(t, 200, status)
	assert.Len(t, up.seen(), 1, "the refused request never reached the upstream")
	j := p.Journal(nil)
	require.Len(t, j, 2)
	assert.Equal(t, ResetBefore, j[0].Fault)
	assert.False(t, j[0].Forwarded)
	assert.Equal(t, "/x", j[0].Target, "over HTTP/2 the request is read before it is refused")
}

func TestHTTP2Faults(t *testing.T) {
	t.Run("dropped", func(t *testing.T) {
		p, up := startTLSProxy(t, Config{Rates: Rates{Dropped: 1}})
		_, _, err := send(t, h2Client(t, p, 0), http.MethodPut, p.TLSURL+"/v1/vpn-gateways/a", "{}")
		require.Error(t, err)
		assert.Len(t, up.seen(), 1)
		assert.Equal(t, Dropped, p.Journal(nil)[0].Fault)
	})
	t.Run("truncated", func(t *testing.T) {
		p, _ := startTLSProxy(t, Config{Rates: Rates{Truncated: 1}, Seed: 3})
		c := h2Client(t, p, 0)
		for range 5 {
			_, _, err := send(t, c, http.MethodGet, p.TLSURL+"/big", "")
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "the stream ends short of its length")
		}
		_, _, err := send(t, c, http.MethodGet, p.TLSURL+"/empty", "")
		require.NoError(t, err, "nothing to cut")
		assert.Equal(t, 1, p.Stats().ConnsOpened, "a cut stream keeps the connection")
	})
	t.Run("slow, the client hangs up", func(t *testing.T) {
		p, _ := startTLSProxy(t, Config{Rates: Rates{Slow: 1}, SlowHold: time.Hour})
		req, err := http.NewRequestWithContext(hangUpWhenHeld(t, p), http.MethodGet, p.TLSURL+"/x", nil)
		require.NoError(t, err)
		_, err = h2Client(t, p, 0).Do(req)
		require.ErrorIs(t, err, context.Canceled, "no answer for the hour of the hold")
		assert.Equal(t, 1, p.Stats().Faults[Slow])
	})
	t.Run("slow, delivered", func(t *testing.T) {
		p, _ := startTLSProxy(t, Config{Rates: Rates{Slow: 1}, SlowHold: time.Millisecond})
		status, body, err := send(t, h2Client(t, p, 0), http.MethodGet, p.TLSURL+"/x", "")
		require.NoError(t, err)
		assert.Equal(t, 200, status)
		assert.Contains(t, body, "gw1")
	})
	t.Run("answers the proxy makes up", func(t *testing.T) {
		p, up := startTLSProxy(t, Config{Rates: Rates{TooManyRequests: 0.3, NotRouted: 0.3, ServerError: 0.4}, RetryAfter: 3, Seed: 9})
		c := h2Client(t, p, 0)
		statuses := map[int]bool{}
		for range 30 {
			req, err := http.NewRequest(http.MethodGet, p.TLSURL+"/x", nil)
			require.NoError(t, err)
			resp, err := c.Do(req)
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, resp.Body)
			require.NoError(t, resp.Body.Close())
			statuses[resp.StatusCode] = true
			if resp.StatusCode == 429 {
				assert.Equal(t, "3", resp.Header.Get("Retry-After"))
			}
		}
		assert.True(t, statuses[404] && statuses[429] && statuses[503], "%v", statuses)
		assert.Len(t, up.seen(), p.Stats().Forwarded)
	})
	t.Run("undecodable", func(t *testing.T) {
		p, _ := startTLSProxy(t, Config{Rates: Rates{Undecodable: 1}, Seed: 1})
		status, body, err := send(t, h2Client(t, p, 0), http.MethodPost, p.TLSURL+"/v1/vpn-gateways", "{}")
		require.NoError(t, err)
		assert.Equal(t, http.StatusAccepted, status)
		assert.NotContains(t, body, `"id":"0123456789abcdef"}`)
	})
}

func TestHTTP2InformationalAnswers(t *testing.T) {
	t.Run("103 then the answer", func(t *testing.T) {
		cfg := Config{Rates: Rates{Informational: 1}}
		cfg.Seed = seedWhere(t, cfg, func(pl plan) bool { return pl.status == 103 && pl.answer })
		p, _ := startTLSProxy(t, cfg)
		status, _, err := send(t, h2Client(t, p, 0), http.MethodGet, p.TLSURL+"/x", "")
		require.NoError(t, err)
		assert.Equal(t, 200, status)
		assert.Equal(t, 103, p.Journal(nil)[0].Informational)
	})
	for _, status := range []int{101, 103} {
		t.Run(http.StatusText(status)+" alone", func(t *testing.T) {
			cfg := Config{Rates: Rates{Informational: 1}, SlowHold: time.Millisecond}
			cfg.Seed = seedWhere(t, cfg, func(pl plan) bool { return pl.status == status && !pl.answer })
			p, _ := startTLSProxy(t, cfg)
			_, _, err := send(t, h2Client(t, p, 0), http.MethodGet, p.TLSURL+"/x", "")
			var se http2.StreamError
			require.True(t, errors.As(err, &se) || strings.Contains(err.Error(), "CANCEL"), "%v", err)
			assert.Equal(t, status, p.Journal(nil)[0].Informational)
		})
	}
}
