package scpvpn_test

// Whether an attempt left, as net/http's trace tells it (a create that
// failed before a byte was written is sent again, never left in doubt),
// with a caller's own trace still seeing everything; and the signature of
// every attempt, as it was signed, kept out of errors and logs whether an
// answer came or not.

import (
	"bufio"
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// traceCounts counts the hooks of a caller's own client trace.
type traceCounts struct {
	getConn, gotConn, wroteHeaders, firstByte atomic.Int32
}

func (c *traceCounts) context(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GetConn:              func(string) { c.getConn.Add(1) },
		GotConn:              func(httptrace.GotConnInfo) { c.gotConn.Add(1) },
		WroteHeaders:         func() { c.wroteHeaders.Add(1) },
		GotFirstResponseByte: func() { c.firstByte.Add(1) },
	})
}

// A create through a proxy that refuses the connection never left: it is
// sent again (a failed dial to the proxy is not a dial of net/http's own
// that the error says), never read back, and not in doubt. A trace of the
// caller's sees each attempt.
func TestACreateThroughARefusingProxyIsSentAgain(t *testing.T) {
	t.Parallel()
	proxy, err := url.Parse("http://" + closedAddr(t))
	require.NoError(t, err)
	tr := scpvpn.NewDefaultTransport()
	tr.Proxy = http.ProxyURL(proxy)
	t.Cleanup(tr.CloseIdleConnections)
	c := urlClient(t, testEndpoint, scpvpn.WithTransport(tr))
	var counts traceCounts
	_, err = c.V1Dot1.Gateways.Create(counts.context(e2eCtx(t)), gatewayCreateRequest())
	require.ErrorContains(t, err, "proxyconnect")
	assert.NotErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "nothing was written")
	assert.EqualValues(t, fastRetries.MaxAttempts, counts.getConn.Load(), "every attempt, and nothing read back")
	assert.Zero(t, counts.wroteHeaders.Load())
}

// A caller's own client trace sees every hook of a call, the SDK's trace
// beside it.
func TestACallersTraceSeesTheCall(t *testing.T) {
	t.Parallel()
	answer := fixture(t, "v1.1", "gateway_get_response")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(answer))
	}))
	t.Cleanup(srv.Close)
	var counts traceCounts
	gw, err := urlClient(t, srv.URL).V1Dot1.Gateways.Get(counts.context(e2eCtx(t)), gatewayID)
	require.NoError(t, err)
	assert.NotEmpty(t, gw.ID)
	for name, n := range map[string]*atomic.Int32{"GetConn": &counts.getConn, "GotConn": &counts.gotConn, "WroteHeaders": &counts.wroteHeaders, "GotFirstResponseByte": &counts.firstByte} {
		assert.EqualValues(t, 1, n.Load(), name)
	}
}

// echoLater is a server on a real socket that answers the first request
// 503 (the service's own, with its error body: retried) and every later
// one with a status line that quotes the signature of the first, as a
// server that keeps what it saw may: the signature is no longer the last
// attempt's. It returns its URL and the signatures it saw.
func echoLater(t *testing.T) (string, func() []string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var seen []string
	var wg sync.WaitGroup
	t.Cleanup(func() { _ = ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				mu.Lock()
				seen = append(seen, req.Header.Get(scpvpn.HeaderSignature))
				first := seen[0]
				n := len(seen)
				mu.Unlock()
				if n == 1 {
					// The retry is signed at least 2 ms later: a signature
					// is bound to its timestamp in milliseconds, and two
					// attempts signed within one would sign alike.
					time.Sleep(2 * time.Millisecond)
					body := `{"errors":[{"code":"ServiceUnavailable","detail":"maintenance"}]}`
					_, _ = conn.Write([]byte("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " +
						sprintf("%d", len(body)) + "\r\n\r\n" + body))
					return
				}
				_, _ = conn.Write([]byte("HTTP/1.1 " + first + " OK\r\nContent-Length: 0\r\n\r\n"))
			})
		}
	})
	return "http://" + ln.Addr().String(), func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// The signature of every attempt is scrubbed, not only the last's: a
// server may echo an earlier one, here in a status line net/http quotes.
func TestEveryAttemptsSignatureIsScrubbed(t *testing.T) {
	t.Parallel()
	base, seen := echoLater(t)
	var logs bytes.Buffer
	c := urlClient(t, base, scpvpn.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	var resp scpvpn.Response
	_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID, scpvpn.WithResponse(&resp))
	require.ErrorContains(t, err, "malformed HTTP status code", "the status line is quoted")
	sigs := seen()
	require.Len(t, sigs, fastRetries.MaxAttempts)
	require.NotEqual(t, sigs[0], sigs[1], "each attempt is signed afresh")
	for _, sig := range sigs {
		assert.NotContains(t, err.Error(), sig)
		assert.NotContains(t, logs.String(), sig)
	}
	assert.Contains(t, err.Error(), "[REDACTED]")
}

// A transport of the caller's below the SDK that signs a copy of each
// request (with keys of its own) sends a signature the SDK did not make:
// it is recorded as it is signed, and scrubbed like the SDK's own.
func TestASignatureOfACopyIsScrubbed(t *testing.T) {
	t.Parallel()
	base, seen := review2EchoStatusLine(t)
	other := &scpvpn.Signer{AccessKey: "otherAccessKey", SecretKey: "otherSecretKey"}
	plain := e2eTransport(t)
	resigning := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		return scpvpn.NewSigningTransport(other, plain).RoundTrip(r) // signs a copy: the SDK signed r
	})
	var logs bytes.Buffer
	c := urlClient(t, base, scpvpn.WithTransport(resigning), scpvpn.WithoutRetries(),
		scpvpn.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
	require.ErrorContains(t, err, "malformed HTTP status code")
	sigs := seen()
	require.Len(t, sigs, 1)
	assert.NotContains(t, err.Error(), sigs[0])
	assert.NotContains(t, logs.String(), sigs[0])
}
