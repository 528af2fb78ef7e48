package rest

// Tests of the facts the request path reports of an attempt that got no
// answer or a failing one: which answers may come after the service
// acted, whether a request that failed was ever written (net/http's
// trace, or the error where no trace ran), and the secrets signed for
// every attempt.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn/internal/retry"
)

func TestAnswerMayHaveActed(t *testing.T) {
	t.Parallel()
	const apiBody = `{"errors":[{"code":"ServiceUnavailable","detail":"maintenance"}]}`
	for _, tc := range []struct {
		status int
		body   string
		acted  bool
	}{
		{103, "", true}, // no service of the API sends one: whoever did got the request
		{http.StatusBadRequest, apiBody, false},
		{http.StatusNotFound, apiBody, false},
		{http.StatusConflict, apiBody, false},
		{http.StatusTooManyRequests, apiBody, false},
		// A 4xx without the API's error body is a proxy's, which may have
		// forwarded the request first.
		{http.StatusNotFound, "", true},
		{http.StatusNotFound, "<html>Not Found</html>", true},
		{http.StatusTooManyRequests, "", true},
		{http.StatusConflict, `{"message":"conflict"}`, true},
		// Version 1.0's 400s may be a bare list of validation errors
		// (ValidationErrorModel): the service's, as the object form.
		{http.StatusBadRequest, `[{"loc":["path","vpn_tunnel_id"],"msg":"invalid","type_":"value_error","ctx":null}]`, false},
		{http.StatusBadRequest, ` [{"loc":[],"msg":""},{"msg":"x","loc":["body"]}]`, false},
		// Every field of ValidationErrorModel is nullable and none is
		// required: an entry about no field in particular is one too.
		{http.StatusBadRequest, `[{"ctx":null,"loc":null,"msg":"cannot be deleted","type_":"value_error"}]`, false},
		{http.StatusBadRequest, `[{"msg":"no place","type_":"value_error"}]`, false},
		{http.StatusBadRequest, `[{"loc":["body"]}]`, false},
		{http.StatusBadRequest, `[{"loc":null,"msg":null,"type_":null,"ctx":{"limit":5}}]`, false},
		// Other fields are not judged: ctx as the 1.0 document's example
		// writes it, FastAPI's type, pydantic's input and url.
		{http.StatusBadRequest, `[{"loc":["body"],"msg":"x","ctx":"{}"}]`, false},
		{http.StatusBadRequest, `[{"loc":["body","name"],"msg":"field required","type":"missing","input":{},"url":"https://errors.pydantic.dev/2/v/missing"}]`, false},
		{http.StatusBadRequest, `[{"msg":"x","detail":"y"}]`, false},
		{http.StatusBadRequest, `[]`, true},
		{http.StatusBadRequest, `[{}]`, true},
		{http.StatusBadRequest, `[{"foo":1}]`, true},
		{http.StatusBadRequest, `[{"type_":"value_error","ctx":null}]`, true}, // neither loc nor msg
		{http.StatusBadRequest, `[{"loc":["body"],"msg":"x"},{}]`, true},
		{http.StatusBadRequest, `[{"msg":1}]`, true},
		{http.StatusBadRequest, `[{"loc":"body","msg":"x"}]`, true},
		{http.StatusBadRequest, `[{"loc":["body"],"msg":"x"},"text"]`, true},
		{http.StatusBadRequest, `[null]`, true},
		{http.StatusBadRequest, `["bad request"]`, true},
		// Refusals to let it through are given instead of forwarding.
		{http.StatusForbidden, "<html>blocked by WAF</html>", false},
		{http.StatusUnauthorized, "rejected by gateway", false},
		{http.StatusProxyAuthRequired, "", false},
		{http.StatusInternalServerError, apiBody, true},
		{http.StatusNotImplemented, "", true},
		{http.StatusBadGateway, "<html>502</html>", true},
		{http.StatusServiceUnavailable, apiBody, false}, // the service's own: it did not act
		{http.StatusServiceUnavailable, " \n" + apiBody, false},
		{http.StatusServiceUnavailable, "upstream connect error or disconnect/reset before headers. reset reason: connection termination", true},
		{http.StatusServiceUnavailable, "", true},
		{http.StatusServiceUnavailable, `{"errors":"maintenance"}`, true}, // not the API's body
		{http.StatusServiceUnavailable, `{"message":"no healthy upstream"}`, true},
		{http.StatusGatewayTimeout, apiBody, true},
		{520, "<html>520: Web server is returning an unknown error</html>", true},
		{524, "<html>524: A timeout occurred</html>", true},
		{599, "", true},
	} {
		se := &StatusError{StatusCode: tc.status, Body: []byte(tc.body)}
		assert.Equal(t, tc.acted, answerMayHaveActed(se), "%d %q", tc.status, tc.body)
		assert.Equal(t, tc.acted, outcome{status: se}.mayHaveActed(), "%d %q", tc.status, tc.body)
	}
}

// hooked is a transport that, on its way to failing every request with
// err, calls the hooks of the request's trace that net/http's would have
// called by then: GetConn when it took the request, GotConn when it had a
// connection, WroteHeaders when it wrote the headers. waits makes it fail
// only when the request's context ends, with the context's error.
type hooked struct {
	hooks []string
	err   error
	waits bool
	n     atomic.Int32
}

func (h *hooked) RoundTrip(req *http.Request) (*http.Response, error) {
	h.n.Add(1)
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	trace := httptrace.ContextClientTrace(req.Context())
	for _, hook := range h.hooks {
		switch hook {
		case "GetConn":
			trace.GetConn("vpn.example:443")
		case "GotConn":
			trace.GotConn(httptrace.GotConnInfo{Reused: true})
		case "WroteHeaders":
			trace.WroteHeaders()
		}
	}
	if h.waits {
		<-req.Context().Done()
		return nil, req.Context().Err()
	}
	return nil, h.err
}

var errRefused = &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}

// A create that failed before its headers were written was not sent,
// whatever the error says, and is sent again; one whose headers were
// written may have acted, and is not. Where no net/http transport took
// the request (no GetConn), only a failed dial says it was not sent.
func TestAFailedAttemptWasSentOnlyIfItsHeadersWereWritten(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		hooks   []string
		err     error
		waits   bool
		notSent bool
	}{
		{"no trace ran, EOF", nil, io.EOF, false, false},
		{"no trace ran, a failed dial", nil, errRefused, false, true},
		{"no connection (a proxy refused it, a TLS handshake failed)", []string{"GetConn"}, io.EOF, false, true},
		{"a connection found closed before the request was written on it", []string{"GetConn", "GotConn"}, io.EOF, false, true},
		{"the headers were written", []string{"GetConn", "GotConn", "WroteHeaders"}, io.EOF, false, false},
		{"the headers were written, then the dial's error", []string{"GetConn", "GotConn", "WroteHeaders"}, errRefused, false, false},
		{"timed out waiting for a connection", []string{"GetConn"}, nil, true, true},
		// HTTP/2 may still write the headers when RoundTrip returns at
		// the context's end.
		{"timed out with a connection", []string{"GetConn", "GotConn"}, nil, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tr := &hooked{hooks: tc.hooks, err: tc.err, waits: tc.waits}
			// Only the waiting transport meets its timeout. The others get
			// an hour: one of milliseconds could pass before they answer on
			// a loaded machine, and a connection at an ended attempt may
			// have been written on (HTTP/2), which changes the verdict.
			timeout := time.Hour
			if tc.waits {
				timeout = 20 * time.Millisecond
			}
			c := New(Config{
				HTTPClient:     &http.Client{Transport: tr},
				Retry:          retry.Policy{MaxAttempts: 3, BaseDelay: time.Microsecond, MaxDelay: time.Microsecond},
				AttemptTimeout: timeout,
			})
			res, err := c.Do(context.Background(), &Request{Method: http.MethodPost, URL: "https://vpn.example/v1/vpn-gateways", Body: []byte(`{"name":"gw"}`)})
			var te *TransportError
			require.ErrorAs(t, err, &te)
			if tc.notSent {
				assert.EqualValues(t, 3, tr.n.Load(), "never sent: a create is sent again")
				assert.False(t, res.MayHaveActed)
			} else {
				assert.EqualValues(t, 1, tr.n.Load(), "a create that may have left is never sent again")
				assert.True(t, res.MayHaveActed)
			}
			assert.Equal(t, int(tr.n.Load()), res.Attempts)
		})
	}
}

// A trace of the caller's in the context still sees every hook, and the
// attempt's own still decides.
func TestACallersTraceComposes(t *testing.T) {
	t.Parallel()
	var got, wrote atomic.Int32
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		GotConn:      func(httptrace.GotConnInfo) { got.Add(1) },
		WroteHeaders: func() { wrote.Add(1) },
	})
	tr := &hooked{hooks: []string{"GetConn", "GotConn"}, err: io.EOF}
	c := New(Config{HTTPClient: &http.Client{Transport: tr}, Retry: retry.Policy{MaxAttempts: 2, BaseDelay: time.Microsecond}})
	res, err := c.Do(ctx, &Request{Method: http.MethodPost, URL: "https://vpn.example/v1/vpn-gateways", Body: []byte(`{}`)})
	require.Error(t, err)
	assert.Equal(t, 2, res.Attempts, "not written: sent again")
	assert.False(t, res.MayHaveActed)
	assert.EqualValues(t, 2, got.Load(), "the caller's hook ran on every attempt")
	assert.Zero(t, wrote.Load())
}

// signingCopy signs a copy of each request, as a transport that must not
// modify the request it is given does, with a signature of its own per
// request, reports it to Signed, and fails with an error quoting it, as
// net/http quotes what a server sent.
type signingCopy struct{ n atomic.Int32 }

func (s *signingCopy) RoundTrip(req *http.Request) (*http.Response, error) {
	signed := req.Clone(req.Context())
	signed.Header.Set("Scp-Signature", fmt.Sprintf("sig-%d", s.n.Add(1)))
	Signed(signed)
	return nil, fmt.Errorf("malformed HTTP status code %q", signed.Header.Get("Scp-Signature"))
}

// The secret headers of every attempt are known as they are signed, on a
// copy of the request, before any answer, and kept for the whole call.
func TestTheSecretsOfEveryAttemptAreRecordedAsSigned(t *testing.T) {
	t.Parallel()
	c := New(Config{
		HTTPClient:    &http.Client{Transport: &signingCopy{}},
		SecretHeaders: []string{"Scp-Signature"},
		Retry:         retry.Policy{MaxAttempts: 3, BaseDelay: time.Microsecond},
	})
	res, err := c.Do(context.Background(), &Request{Method: http.MethodGet, URL: "https://vpn.example/v1/vpn-gateways"})
	require.Error(t, err)
	assert.Equal(t, 3, res.Attempts)
	assert.Equal(t, []string{"sig-1", "sig-2", "sig-3"}, res.Sent)

	// A request whose context is not an attempt's is not recorded (and
	// nothing fails).
	req, err := http.NewRequest(http.MethodGet, "https://vpn.example/", nil)
	require.NoError(t, err)
	req.Header.Set("Scp-Signature", "elsewhere")
	Signed(req)
}

// An error answer carries the secrets of every attempt so far: it may
// echo an earlier attempt's.
func TestAStatusErrorCarriesEveryAttemptsSecrets(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	tr := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		signed := req.Clone(req.Context())
		signed.Header.Set("Scp-Signature", fmt.Sprintf("sig-%d", n.Add(1)))
		Signed(signed)
		return &http.Response{StatusCode: http.StatusBadGateway, Header: http.Header{}, Body: http.NoBody, Request: signed}, nil
	})
	c := New(Config{HTTPClient: &http.Client{Transport: tr}, SecretHeaders: []string{"Scp-Signature"},
		Retry: retry.Policy{MaxAttempts: 2, BaseDelay: time.Microsecond}})
	res, err := c.Do(context.Background(), &Request{Method: http.MethodGet, URL: "https://vpn.example/v1/vpn-gateways"})
	var se *StatusError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, []string{"sig-1", "sig-2"}, se.Sent)
	assert.Equal(t, se.Sent, res.Sent)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
