package scpvpn_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
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

// Retries, driven by scripted faults: which failures are retried for which
// method, how Retry-After and the context shape the waits, and what the
// caller gets when attempts run out.

// Scripted transport faults. A refused dial and a failed DNS lookup happen
// before any byte of the request leaves; the others may come after the
// server has the request.
var (
	faultRefused = &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	faultNoHost  = &net.DNSError{Err: "no such host", Name: "vpn.kr-west1.e.samsungsdscloud.com", IsNotFound: true}
	faultDropped = io.ErrUnexpectedEOF
	faultReset   = &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	faultWrite   = &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}
)

// fault is one scripted failure of an attempt.
type fault struct {
	name   string
	err    error  // a transport error, or
	status int    // an answer with this status
	body   string // and this body; the API's error body when empty
}

// envoyReset is the body of the 503 that Envoy answers when the upstream
// reset the connection after taking the request: a proxy's, not the
// service's.
const envoyReset = "upstream connect error or disconnect/reset before headers. reset reason: connection termination"

func (f fault) responder(rec *recorder) httpmock.Responder {
	if f.err != nil {
		return failWith(rec, f.err)
	}
	if f.body != "" {
		return rec.respond(f.status, f.body)
	}
	return rec.respond(f.status, `{"errors":[{"detail":"scripted `+strconv.Itoa(f.status)+`"}]}`)
}

// catchAll records every request that reaches the mock, whatever its URL,
// so that a test can tell that nothing at all was sent.
func catchAll(mock *httpmock.MockTransport, rec *recorder, status int, body string) {
	mock.RegisterNoResponder(rec.respond(status, body))
}

// Faults that GET, PUT and DELETE retry.
var retriedFaults = []fault{
	{name: "refused", err: faultRefused},
	{name: "no host", err: faultNoHost},
	{name: "dropped", err: faultDropped},
	{name: "reset", err: faultReset},
	{name: "write failed", err: faultWrite},
	{name: "429", status: http.StatusTooManyRequests},
	{name: "502", status: http.StatusBadGateway},
	{name: "503", status: http.StatusServiceUnavailable},
	{name: "504", status: http.StatusGatewayTimeout},
}

// TestRetryIdempotentMethods sends every GET, PUT and DELETE of both
// versions through two failures of each retried kind before a success: the
// call succeeds on the third attempt, every attempt is signed afresh, and a
// PUT sends the identical body each time.
func TestRetryIdempotentMethods(t *testing.T) {
	t.Parallel()
	for _, op := range operations() {
		if op.method == http.MethodPost {
			continue
		}
		for _, f := range retriedFaults {
			t.Run(op.version+" "+op.name+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				mock := httpmock.NewMockTransport()
				c := newClient(t, mock)
				var rec recorder
				answer := ""
				if op.respBody != "" {
					answer = fixture(t, op.version, op.respBody)
				}
				mock.RegisterResponder(op.method, testEndpoint+op.path,
					sequence(f.responder(&rec), f.responder(&rec), rec.respond(op.status, answer)))

				before := time.Now()
				got, err := op.call(context.Background(), c)
				require.NoError(t, err)
				if !op.wantNoErr {
					assert.Equal(t, op.want, got)
				}

				sent := rec.all()
				require.Len(t, sent, 3, "two failures, then the success")
				for i, s := range sent {
					assert.Equal(t, op.method, s.Request.Method, "attempt %d", i+1)
					assert.Equal(t, op.path, s.Request.URL.EscapedPath(), "attempt %d", i+1)
					assert.Equal(t, op.rawQuery, s.Request.URL.RawQuery, "attempt %d", i+1)
					assertSCPHeaders(t, s.Request, "vpn "+strings.TrimPrefix(op.version, "v"), before)
					if op.reqBody != "" {
						assert.JSONEq(t, fixture(t, op.version, op.reqBody), string(s.Body), "attempt %d", i+1)
						assert.Equal(t, sent[0].Body, s.Body, "attempt %d sends the same bytes", i+1)
						assert.Equal(t, int64(len(s.Body)), s.Request.ContentLength, "attempt %d", i+1)
					} else {
						assert.Empty(t, s.Body)
					}
				}
			})
		}
	}
}

// TestRetryPOSTNeverSentTwice: a create that may have reached the server is
// sent once, whatever went wrong.
func TestRetryPOSTNeverSentTwice(t *testing.T) {
	t.Parallel()
	maybeArrived := []fault{
		{name: "dropped", err: faultDropped},
		{name: "reset", err: faultReset},
		{name: "write failed", err: faultWrite},
		{name: "EOF", err: io.EOF},
		{name: "500", status: http.StatusInternalServerError},
		{name: "502", status: http.StatusBadGateway},
		{name: "503 of a proxy", status: http.StatusServiceUnavailable, body: envoyReset},
		{name: "504", status: http.StatusGatewayTimeout},
		{name: "520 of Cloudflare", status: 520, body: "<html><title>520: Web server is returning an unknown error</title></html>"},
		{name: "524 of Cloudflare", status: 524, body: "<html><title>524: A timeout occurred</title></html>"},
	}
	for _, op := range operations() {
		if op.method != http.MethodPost {
			continue
		}
		for _, f := range maybeArrived {
			t.Run(op.version+" "+op.name+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				mock := httpmock.NewMockTransport()
				c := newClient(t, mock)
				var rec recorder
				mock.RegisterResponder(op.method, testEndpoint+op.path,
					sequence(f.responder(&rec), rec.respond(op.status, fixture(t, op.version, op.respBody))))

				got, err := op.call(context.Background(), c)
				require.Error(t, err)
				assert.Nil(t, got)
				rec.only(t)

				var apiErr *scpvpn.APIError
				if f.status != 0 {
					require.ErrorAs(t, err, &apiErr)
					assert.Equal(t, f.status, apiErr.StatusCode)
					assert.Equal(t, 1, apiErr.Attempts)
					assert.Equal(t, http.MethodPost, apiErr.Method)
				} else {
					assert.False(t, errors.As(err, &apiErr), "no answer came: %v", err)
					assert.ErrorIs(t, err, f.err)
				}
			})
		}
	}
}

// TestRetryPOSTNotSent: a create is retried when the connection could not
// be opened, or when the service answered 429 or its own 503 (the API's
// error body), and then sends the same body.
func TestRetryPOSTNotSent(t *testing.T) {
	t.Parallel()
	notSent := []fault{
		{name: "refused", err: faultRefused},
		{name: "no host", err: faultNoHost},
		{name: "429", status: http.StatusTooManyRequests},
		{name: "503 of the service", status: http.StatusServiceUnavailable},
	}
	for _, op := range operations() {
		if op.method != http.MethodPost {
			continue
		}
		for _, f := range notSent {
			t.Run(op.version+" "+op.name+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				mock := httpmock.NewMockTransport()
				c := newClient(t, mock)
				var rec recorder
				mock.RegisterResponder(op.method, testEndpoint+op.path,
					sequence(f.responder(&rec), f.responder(&rec), rec.respond(op.status, fixture(t, op.version, op.respBody))))

				before := time.Now()
				got, err := op.call(context.Background(), c)
				require.NoError(t, err)
				assert.Equal(t, op.want, got)

				sent := rec.all()
				require.Len(t, sent, 3)
				for i, s := range sent {
					assertSCPHeaders(t, s.Request, "vpn "+strings.TrimPrefix(op.version, "v"), before)
					assert.JSONEq(t, fixture(t, op.version, op.reqBody), string(s.Body), "attempt %d", i+1)
					assert.Equal(t, sent[0].Body, s.Body, "attempt %d sends the same bytes", i+1)
				}
			})
		}
	}
}

// TestRetryNotRetried: answers that retrying cannot mend are returned after
// one attempt, for every method.
func TestRetryNotRetried(t *testing.T) {
	t.Parallel()
	statuses := []int{
		http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden,
		http.StatusConflict, http.StatusInternalServerError, http.StatusNotImplemented,
	}
	for _, op := range operations() {
		if op.version != "v1.1" {
			continue // the request path does not depend on the version
		}
		for _, status := range statuses {
			t.Run(op.name+"/"+strconv.Itoa(status), func(t *testing.T) {
				t.Parallel()
				mock := httpmock.NewMockTransport()
				c := newClient(t, mock)
				var rec recorder
				mock.RegisterResponder(op.method, testEndpoint+op.path, rec.respond(status, `{"errors":[{"detail":"no"}]}`, "X-Request-Id", "req-1"))

				_, err := op.call(context.Background(), c)
				var apiErr *scpvpn.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, status, apiErr.StatusCode)
				assert.Equal(t, 1, apiErr.Attempts)
				assert.Equal(t, "req-1", apiErr.RequestID)
				assert.Equal(t, []string{"no"}, apiErr.Details)
				rec.only(t)
			})
		}
	}
}

// TestRetryExhausted: when attempts run out the caller gets the last answer
// as an *APIError that says how many attempts were made.
func TestRetryExhausted(t *testing.T) {
	t.Parallel()

	t.Run("GET 502 503 504", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID, sequence(
			rec.respond(http.StatusBadGateway, `{"errors":[{"detail":"first"}]}`, "X-Request-Id", "req-1"),
			rec.respond(http.StatusServiceUnavailable, `{"errors":[{"detail":"second"}]}`, "X-Request-Id", "req-2"),
			rec.respond(http.StatusGatewayTimeout, `{"errors":[{"detail":"third"}]}`, "X-Request-Id", "req-3"),
		))
		_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
		var apiErr *scpvpn.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusGatewayTimeout, apiErr.StatusCode, "the last answer")
		assert.Equal(t, 3, apiErr.Attempts)
		assert.Equal(t, "req-3", apiErr.RequestID)
		assert.Equal(t, []string{"third"}, apiErr.Details)
		assert.Equal(t, http.MethodGet, apiErr.Method)
		assert.Equal(t, testEndpoint+"/v1/vpn-gateways/"+gatewayID, apiErr.URL)
		assert.Contains(t, err.Error(), "3 attempts")
		assert.Len(t, rec.all(), 3)
	})

	for _, op := range operations() {
		if op.version != "v1.1" {
			continue
		}
		t.Run(op.name+" 429", func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock)
			var rec recorder
			mock.RegisterResponder(op.method, testEndpoint+op.path, rec.respond(http.StatusTooManyRequests, `{"errors":[{"detail":"slow down"}]}`))
			_, err := op.call(context.Background(), c)
			require.ErrorIs(t, err, scpvpn.ErrRateLimited)
			var apiErr *scpvpn.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, fastRetries.MaxAttempts, apiErr.Attempts)
			assert.Len(t, rec.all(), fastRetries.MaxAttempts)
		})
	}

	t.Run("GET transport errors", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID, failWith(&rec, faultReset))
		_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
		require.ErrorIs(t, err, syscall.ECONNRESET)
		assert.Contains(t, err.Error(), "3 attempts")
		assert.Len(t, rec.all(), 3)
	})
}

// TestRetryDeleteNotFound: a DELETE whose retry answers 404 did delete the
// resource on an attempt whose answer was lost; a first answer of 404 is
// still ErrNotFound.
func TestRetryDeleteNotFound(t *testing.T) {
	t.Parallel()
	deletes := []struct {
		name string
		path string
		call func(context.Context, *scpvpn.Client) error
	}{
		{"v1.1 gateway", "/v1/vpn-gateways/" + gatewayID, func(ctx context.Context, c *scpvpn.Client) error {
			return c.V1Dot1.Gateways.Delete(ctx, gatewayID)
		}},
		{"v1.1 tunnel", "/v1/vpn-tunnels/" + tunnelID, func(ctx context.Context, c *scpvpn.Client) error {
			return c.V1Dot1.Tunnels.Delete(ctx, tunnelID)
		}},
		{"v1.0 gateway", "/v1/vpn-gateways/" + gatewayID, func(ctx context.Context, c *scpvpn.Client) error {
			return c.V1Dot0.Gateways.Delete(ctx, gatewayID)
		}},
		{"v1.0 tunnel", "/v1/vpn-tunnels/" + tunnelID, func(ctx context.Context, c *scpvpn.Client) error {
			return c.V1Dot0.Tunnels.Delete(ctx, tunnelID)
		}},
	}
	for _, d := range deletes {
		// After an attempt that may have reached the service, the 404 may
		// be its own doing: success. After a 503 or 429 the service did not
		// act, so the 404 is the answer.
		for _, f := range []struct {
			fault
			gone bool
		}{
			{fault{name: "dropped", err: faultDropped}, true},
			{fault{name: "502", status: http.StatusBadGateway}, true},
			{fault{name: "504", status: http.StatusGatewayTimeout}, true},
			{fault{name: "503", status: http.StatusServiceUnavailable}, false},
			{fault{name: "429", status: http.StatusTooManyRequests}, false},
		} {
			t.Run(d.name+"/"+f.name+" then 404", func(t *testing.T) {
				t.Parallel()
				mock := httpmock.NewMockTransport()
				c := newClient(t, mock)
				var rec recorder
				mock.RegisterResponder(http.MethodDelete, testEndpoint+d.path,
					sequence(f.responder(&rec), rec.respond(http.StatusNotFound, `{"errors":[{"detail":"not found"}]}`)))
				err := d.call(context.Background(), c)
				if f.gone {
					require.NoError(t, err)
				} else {
					require.ErrorIs(t, err, scpvpn.ErrNotFound)
				}
				assert.Len(t, rec.all(), 2)
			})
		}
		t.Run(d.name+"/404 at once", func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock)
			var rec recorder
			mock.RegisterResponder(http.MethodDelete, testEndpoint+d.path, rec.respond(http.StatusNotFound, `{"errors":[{"detail":"not found"}]}`))
			err := d.call(context.Background(), c)
			require.ErrorIs(t, err, scpvpn.ErrNotFound)
			var apiErr *scpvpn.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 1, apiErr.Attempts)
			rec.only(t)
		})
	}

	t.Run("GET 503 then 404 is not found", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID,
			sequence(rec.respond(http.StatusServiceUnavailable, ""), rec.respond(http.StatusNotFound, `{"errors":[{"detail":"not found"}]}`)))
		_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
		require.ErrorIs(t, err, scpvpn.ErrNotFound)
		var apiErr *scpvpn.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 2, apiErr.Attempts)
	})
}

// TestRetrySignsEveryAttempt: each attempt carries its own timestamp and a
// signature over it, and a PUT carries the same bytes every time.
func TestRetrySignsEveryAttempt(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	var rec recorder
	// The failed attempts take a few milliseconds, so a signature reused from
	// an earlier attempt would show as a repeated timestamp.
	slow := func(r httpmock.Responder) httpmock.Responder {
		return func(req *http.Request) (*http.Response, error) {
			time.Sleep(5 * time.Millisecond)
			return r(req)
		}
	}
	mock.RegisterResponder(http.MethodPut, testEndpoint+"/v1/vpn-tunnels/"+tunnelID, sequence(
		slow(rec.respond(http.StatusServiceUnavailable, "")),
		slow(failWith(&rec, faultReset)),
		rec.respond(http.StatusAccepted, fixture(t, "v1.1", "tunnel_set_response")),
	))
	req := &scpvpn.TunnelSetRequestV1Dot1{Description: ptr("Example Description for VPN Tunnel"), Phase1: phase1SetRequest()}
	_, err := c.V1Dot1.Tunnels.Set(context.Background(), tunnelID, req)
	require.NoError(t, err)

	sent := rec.all()
	require.Len(t, sent, 3)
	var lastTS int64
	signatures := map[string]bool{}
	for i, s := range sent {
		require.NoError(t, sigverify.Verify(s.Request, testSecretKey), "attempt %d", i+1)
		ts, err := strconv.ParseInt(s.Request.Header.Get("Scp-Timestamp"), 10, 64)
		require.NoError(t, err)
		assert.Greater(t, ts, lastTS, "attempt %d has a timestamp of its own", i+1)
		lastTS = ts
		sig := s.Request.Header.Get("Scp-Signature")
		assert.False(t, signatures[sig], "attempt %d has a signature of its own", i+1)
		signatures[sig] = true
		assert.Equal(t, sent[0].Body, s.Body, "attempt %d sends the same bytes", i+1)
		assert.Contains(t, string(s.Body), `"pre_shared_key":"PreSharedKey1"`)
	}
	for i := 1; i < len(sent); i++ {
		assert.NotSame(t, sent[0].Request, sent[i].Request, "each attempt is a new request")
	}
}

// TestRetryAfter: a server's Retry-After, in seconds or as an HTTP date,
// sets the wait, up to the policy's cap. The backoff of these policies is at
// most a millisecond, so a longer wait can only come from the header. Only
// lower bounds are tight; upper bounds are loose for loaded machines.
func TestRetryAfter(t *testing.T) {
	t.Parallel()
	policy := func(maxRetryAfter time.Duration) scpvpn.Option {
		return scpvpn.WithRetryPolicy(scpvpn.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxRetryAfter: maxRetryAfter})
	}
	cases := []struct {
		name       string
		status     int
		retryAfter func() string
		cap        time.Duration
		atLeast    time.Duration
	}{
		{"seconds", http.StatusServiceUnavailable, func() string { return "1" }, time.Minute, 950 * time.Millisecond},
		{"seconds on 429", http.StatusTooManyRequests, func() string { return "1" }, time.Minute, 950 * time.Millisecond},
		{"seconds capped", http.StatusServiceUnavailable, func() string { return "3600" }, 300 * time.Millisecond, 290 * time.Millisecond},
		// An HTTP date has whole seconds: two seconds ahead is more than one.
		{"date", http.StatusServiceUnavailable, func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) }, time.Minute, 500 * time.Millisecond},
		{"date capped", http.StatusTooManyRequests, func() string { return time.Now().Add(time.Hour).UTC().Format(http.TimeFormat) }, 300 * time.Millisecond, 290 * time.Millisecond},
		{"date in the past", http.StatusServiceUnavailable, func() string { return time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat) }, time.Minute, 0},
		{"zero", http.StatusServiceUnavailable, func() string { return "0" }, time.Minute, 0},
		{"unreadable", http.StatusServiceUnavailable, func() string { return "soon" }, time.Minute, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock, policy(tc.cap))
			var rec recorder
			var first, second time.Time
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID, sequence(
				func(req *http.Request) (*http.Response, error) {
					first = time.Now()
					return rec.respond(tc.status, "", "Retry-After", tc.retryAfter())(req)
				},
				func(req *http.Request) (*http.Response, error) {
					second = time.Now()
					return rec.respond(http.StatusOK, fixture(t, "v1.1", "gateway_get_response"))(req)
				},
			))
			start := time.Now()
			got, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
			require.NoError(t, err)
			assert.Equal(t, wantGateway(), got)
			require.Len(t, rec.all(), 2)
			assert.GreaterOrEqual(t, second.Sub(first), tc.atLeast, "the wait follows Retry-After")
			assert.Less(t, time.Since(start), 30*time.Second, "the wait is capped (uncapped, it would be an hour)")
		})
	}

	t.Run("POST 429", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock, policy(time.Minute))
		var rec recorder
		var first, second time.Time
		mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-gateways", sequence(
			func(req *http.Request) (*http.Response, error) {
				first = time.Now()
				return rec.respond(http.StatusTooManyRequests, apiTooManyRequests, "Retry-After", "1")(req)
			},
			func(req *http.Request) (*http.Response, error) {
				second = time.Now()
				return rec.respond(http.StatusAccepted, fixture(t, "v1.1", "gateway_create_response"))(req)
			},
		))
		_, err := c.V1Dot1.Gateways.Create(context.Background(), gatewayCreateRequest())
		require.NoError(t, err)
		assert.GreaterOrEqual(t, second.Sub(first), 950*time.Millisecond)
	})
}

// TestRetryConcurrent shares one client among 32 goroutines that call every
// operation of both versions through faults, under -race.
func TestRetryConcurrent(t *testing.T) {
	t.Parallel()
	// Enough attempts that no call can run out, however the goroutines
	// interleave on a route.
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithRetryPolicy(scpvpn.RetryPolicy{MaxAttempts: 50, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxRetryAfter: time.Millisecond}))
	ops := operations()
	var rec recorder
	for _, op := range ops {
		answer := ""
		if op.respBody != "" {
			answer = fixture(t, op.version, op.respBody)
		}
		// Every third attempt of a route fails with 503 or 429, so some calls
		// retry while others do not.
		var n atomic.Int64
		ok := rec.respond(op.status, answer)
		busy := rec.respond(http.StatusServiceUnavailable, "")
		if op.method == http.MethodPost {
			busy = rec.respond(http.StatusTooManyRequests, apiTooManyRequests)
		}
		// Version 1.0 and 1.1 share routes; the header tells them apart.
		mock.RegisterMatcherResponder(op.method, testEndpoint+op.path,
			httpmock.HeaderIs("Scp-Api-Version", "vpn "+strings.TrimPrefix(op.version, "v")),
			func(req *http.Request) (*http.Response, error) {
				if n.Add(1)%3 == 0 {
					return busy(req)
				}
				return ok(req)
			})
	}

	const goroutines, rounds = 32, 5
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*rounds*len(ops))
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				op := ops[(g+r)%len(ops)]
				got, err := op.call(context.Background(), c)
				if err != nil {
					errs <- err
					continue
				}
				if !op.wantNoErr && !assert.ObjectsAreEqual(op.want, got) {
					errs <- errors.New(op.version + " " + op.name + ": unexpected answer")
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	sent := rec.all()
	assert.GreaterOrEqual(t, len(sent), goroutines*rounds)
	for _, s := range sent {
		assert.NoError(t, sigverify.Verify(s.Request, testSecretKey))
		if s.Request.Method == http.MethodPut || s.Request.Method == http.MethodPost {
			assert.True(t, bytes.HasPrefix(s.Body, []byte("{")), "a body went out")
		}
	}
}
