package scpvpn_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"

	"github.com/scpsdk/scpvpn"
)

// Every request on the wire is an attempt the SDK decided and counted:
// net/http never sends one again on its own, whatever the method, the
// headers a caller adds, the protocol and the transport. net/http resends a
// request it can rewind on a kept HTTP/1.1 connection that closes before
// answering (for GET, or any method with an Idempotency-Key header), and
// over HTTP/2 after a stream reset or a GOAWAY (any method), though the
// server may have acted on it.

// resendCall is one call of the matrices below.
type resendCall struct {
	name   string
	method string
	call   func(ctx context.Context, c *scpvpn.Client, opts ...scpvpn.CallOption) error
}

// resendCalls are a call of each method through the services, and through
// Client.Do (a POST without a body among them).
func resendCalls() []resendCall {
	one := "/v1/vpn-gateways/" + gatewayID
	do := func(method, path string, body any) func(context.Context, *scpvpn.Client, ...scpvpn.CallOption) error {
		return func(ctx context.Context, c *scpvpn.Client, opts ...scpvpn.CallOption) error {
			return c.Do(ctx, &scpvpn.Request{Method: method, Path: path, APIVersion: "vpn 1.1", Body: body}, nil, opts...)
		}
	}
	return []resendCall{
		{"Get", http.MethodGet, func(ctx context.Context, c *scpvpn.Client, opts ...scpvpn.CallOption) error {
			_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID, opts...)
			return err
		}},
		{"Create", http.MethodPost, func(ctx context.Context, c *scpvpn.Client, opts ...scpvpn.CallOption) error {
			_, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest(), opts...)
			return err
		}},
		{"Set", http.MethodPut, func(ctx context.Context, c *scpvpn.Client, opts ...scpvpn.CallOption) error {
			_, err := c.V1Dot1.Gateways.Set(ctx, gatewayID, &scpvpn.GatewaySetRequest{Description: ptr("x")}, opts...)
			return err
		}},
		{"Delete", http.MethodDelete, func(ctx context.Context, c *scpvpn.Client, opts ...scpvpn.CallOption) error {
			return c.V1Dot1.Gateways.Delete(ctx, gatewayID, opts...)
		}},
		{"Do GET", http.MethodGet, do(http.MethodGet, one, nil)},
		{"Do POST", http.MethodPost, do(http.MethodPost, "/v1/vpn-gateways", json.RawMessage(`{"name":"gw"}`))},
		{"Do POST without a body", http.MethodPost, do(http.MethodPost, one+"/refresh", nil)},
		{"Do PUT", http.MethodPut, do(http.MethodPut, one, json.RawMessage(`{"description":"x"}`))},
		{"Do DELETE", http.MethodDelete, do(http.MethodDelete, one, nil)},
	}
}

// idempotencyHeaders are the headers that make net/http deem any request
// safe to send again; "" for none.
var idempotencyHeaders = []string{"", "Idempotency-Key", "X-Idempotency-Key"}

// resendOptions returns WithResponse(resp) and the header h, if any.
func resendOptions(resp *scpvpn.Response, h string) []scpvpn.CallOption {
	opts := []scpvpn.CallOption{scpvpn.WithResponse(resp)}
	if h != "" {
		opts = append(opts, scpvpn.WithHeader(h, "key-1"))
	}
	return opts
}

// oncePerConnServer answers the first request on each connection as the
// API would, and drops every later one: it reads it, counts it, and closes
// the connection without answering.
type oncePerConnServer struct {
	*httptest.Server
	requests atomic.Int64
	dropped  atomic.Int64

	mu       sync.Mutex
	byMethod map[string]int64
}

// sent returns how many requests of method the server received.
func (s *oncePerConnServer) sent(method string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byMethod[method]
}

type connRequestsKey struct{}

func newOncePerConnServer(t *testing.T) *oncePerConnServer {
	t.Helper()
	answers := map[string]struct {
		status int
		body   string
	}{
		http.MethodGet:    {http.StatusOK, fixture(t, "v1.1", "gateway_get_response")},
		http.MethodPost:   {http.StatusAccepted, fixture(t, "v1.1", "gateway_create_response")},
		http.MethodPut:    {http.StatusAccepted, fixture(t, "v1.1", "gateway_set_response")},
		http.MethodDelete: {http.StatusAccepted, ""},
	}
	s := &oncePerConnServer{byMethod: make(map[string]int64)}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		s.mu.Lock()
		s.byMethod[r.Method]++
		s.mu.Unlock()
		_, _ = io.Copy(io.Discard, r.Body)
		if r.Context().Value(connRequestsKey{}).(*atomic.Int64).Add(1) > 1 {
			s.dropped.Add(1)
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
			}
			return
		}
		a := answers[r.Method]
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	s.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		return context.WithValue(ctx, connRequestsKey{}, new(atomic.Int64))
	}
	s.Config.ErrorLog = discardLog
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// Over HTTP/1.1, a call that meets its kept connection closed after the
// request was sent is not sent again below the SDK: the server sees exactly
// the attempts the SDK counted, and a create is reported as an error.
func TestNoResendBelowTheSDKOverHTTP1(t *testing.T) {
	t.Parallel()
	transports := map[string]func(t *testing.T) []scpvpn.Option{
		"default transport":  func(*testing.T) []scpvpn.Option { return nil },
		"caller's transport": func(t *testing.T) []scpvpn.Option { return []scpvpn.Option{scpvpn.WithTransport(e2eTransport(t))} },
	}
	for trName, transport := range transports {
		for _, rc := range resendCalls() {
			for _, h := range idempotencyHeaders {
				for _, retries := range []bool{false, true} {
					t.Run(fmt.Sprintf("%s/%s/header %q/SDK retries %v", trName, rc.name, h, retries), func(t *testing.T) {
						t.Parallel()
						srv := newOncePerConnServer(t)
						opts := transport(t)
						if !retries {
							opts = append(opts, scpvpn.WithoutRetries())
						}
						c := newClient(t, srv.URL, opts...)
						ctx := e2eCtx(t)
						_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID) // leaves a kept connection
						require.NoError(t, err)

						var resp scpvpn.Response
						err = rc.call(ctx, c, resendOptions(&resp, h)...)
						// Requests of the call's method: a write whose answer
						// was lost is then read back with a GET of its own.
						seen := srv.sent(rc.method)
						if rc.method == http.MethodGet {
							seen-- // the Get above
						}
						require.EqualValues(t, 1, srv.dropped.Load(), "the call met its kept connection closed")
						assert.EqualValues(t, resp.Attempts, seen, "the server saw a request the SDK did not count")
						switch {
						case !retries:
							require.Error(t, err)
							assert.EqualValues(t, 1, seen)
						case rc.method == http.MethodPost:
							require.Error(t, err, "a create that may have reached the service is not reported done")
							assert.EqualValues(t, 1, seen)
						default:
							require.NoError(t, err, "the SDK asked again")
							assert.EqualValues(t, 2, seen)
						}
					})
				}
			}
		}
	}
}

// h2Faults drop a request over HTTP/2 after acting on it: a stream reset
// (PROTOCOL_ERROR or REFUSED_STREAM) or a GOAWAY that disowns it, each of
// which net/http answers by sending the request again when it can rewind
// it.
var h2Faults = map[string]h2Reply{
	"RST_STREAM PROTOCOL_ERROR": func(fr *http2.Framer, id uint32) error { return fr.WriteRSTStream(id, http2.ErrCodeProtocol) },
	"RST_STREAM REFUSED_STREAM": func(fr *http2.Framer, id uint32) error { return fr.WriteRSTStream(id, http2.ErrCodeRefusedStream) },
	"GOAWAY":                    func(fr *http2.Framer, _ uint32) error { return fr.WriteGoAway(0, http2.ErrCodeNo, nil) },
}

// Over HTTP/2, a request the server acted on and then dropped is not sent
// again below the SDK, through the SDK's default transport or a caller's.
func TestNoResendBelowTheSDKOverHTTP2(t *testing.T) {
	t.Parallel()
	type mode struct {
		name    string
		callers bool // the caller's transport (httptest's), not the SDK's default
		retries bool
	}
	modes := []mode{{"default transport", false, false}, {"caller's transport", true, false}, {"default transport, SDK retries", false, true}}
	for fault, reply := range h2Faults {
		for _, rc := range resendCalls() {
			for _, h := range idempotencyHeaders {
				for _, m := range modes {
					t.Run(fmt.Sprintf("%s/%s/header %q/%s", fault, rc.name, h, m.name), func(t *testing.T) {
						t.Parallel()
						srv := newRawH2Server(t, reply)
						var tr http.RoundTripper = defaultTransportTrusting(t, srv.Server)
						if m.callers {
							tr = srv.Client().Transport
						}
						opts := []scpvpn.Option{scpvpn.WithTransport(tr)}
						if !m.retries {
							opts = append(opts, scpvpn.WithoutRetries())
						}
						c := newClient(t, srv.URL, opts...)
						// Bounded, as net/http's own resends back off for a minute.
						ctx := e2eCtx(t)

						var resp scpvpn.Response
						err := rc.call(ctx, c, resendOptions(&resp, h)...)
						// Requests of the call's method: a write whose answer
						// was lost is then read back with a GET of its own.
						assert.EqualValues(t, resp.Attempts, srv.sent(rc.method), "the server saw a request the SDK did not count")
						require.Error(t, err, "every request was dropped")
						require.NoError(t, ctx.Err(), "the call was not bounded by its attempts")
						assert.NotContains(t, err.Error(), "GetBody", "net/http's advice to its own callers")
						if !m.retries || rc.method == http.MethodPost {
							assert.EqualValues(t, 1, srv.sent(rc.method))
						} else {
							assert.Equal(t, fastRetries.MaxAttempts, resp.Attempts)
						}
					})
				}
			}
		}
	}
}

// The SDK's default transport speaks HTTP/2 to a TLS server that does, as
// the real endpoint does, and every call of the matrices above gets there
// whole: a GET or DELETE with no content, a body byte for byte.
func TestDefaultTransportSpeaksHTTP2(t *testing.T) {
	t.Parallel()
	type seen struct {
		proto, method string
		length        int64
		body          string
	}
	got := make(chan seen, 16)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- seen{r.Proto, r.Method, r.ContentLength, string(body)}
		if !checkSigned(w, r) {
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		if r.Method != http.MethodDelete {
			_, _ = io.WriteString(w, fixture(t, "v1.1", "gateway_get_response"))
		}
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL, scpvpn.WithTransport(defaultTransportTrusting(t, srv)))
	for _, rc := range resendCalls() {
		require.NoError(t, rc.call(e2eCtx(t), c), rc.name)
		s := <-got
		assert.Equal(t, "HTTP/2.0", s.proto, rc.name)
		assert.Equal(t, rc.method, s.method, rc.name)
		switch rc.name {
		case "Create":
			assert.JSONEq(t, fixture(t, "v1.1", "gateway_create_request"), s.body)
		case "Set":
			assert.JSONEq(t, `{"description":"x"}`, s.body)
		case "Do POST":
			assert.JSONEq(t, `{"name":"gw"}`, s.body)
		case "Do PUT":
			assert.JSONEq(t, `{"description":"x"}`, s.body)
		default:
			assert.Empty(t, s.body, rc.name)
			assert.LessOrEqual(t, s.length, int64(0), "%s: no length announced", rc.name)
		}
	}
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
