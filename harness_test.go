package scpvpn_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// The harness of the SDK's wire tests: a client whose transport is a
// per-test httpmock transport, and responders that record what arrived.

const (
	testEndpoint  = "https://vpn.kr-west1.e.samsungsdscloud.com"
	testAccessKey = "testAccessKey"
	testSecretKey = "testSecretKey"
)

// fastRetries keeps retry tests quick while still exercising backoff.
var fastRetries = scpvpn.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 50 * time.Millisecond}

// newTestClient returns a client that talks to a fresh mock transport.
func newTestClient(t testing.TB, opts ...scpvpn.Option) (*scpvpn.Client, *httpmock.MockTransport) {
	t.Helper()
	mock := httpmock.NewMockTransport()
	base := []scpvpn.Option{
		scpvpn.WithEndpoint(testEndpoint),
		scpvpn.WithCredentials(testAccessKey, testSecretKey),
		scpvpn.WithTransport(mock),
		scpvpn.WithRetryPolicy(fastRetries),
	}
	c, err := scpvpn.NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c, mock
}

// recorded is a request as the transport received it.
type recorded struct {
	Request *http.Request
	Body    []byte
}

// recorder answers with fixed responses and keeps every request it saw.
type recorder struct {
	mu       sync.Mutex
	requests []recorded
}

// respond records the request and answers with status and body.
func (r *recorder) respond(status int, body string, header ...string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		r.record(req)
		resp := httpmock.NewStringResponse(status, body)
		if body != "" {
			resp.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(header); i += 2 {
			resp.Header.Set(header[i], header[i+1])
		}
		return resp, nil
	}
}

func (r *recorder) record(req *http.Request) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, recorded{Request: req, Body: body})
}

func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.requests...)
}

// only returns the one request that was recorded.
func (r *recorder) only(t testing.TB) recorded {
	t.Helper()
	all := r.all()
	require.Len(t, all, 1, "requests sent")
	return all[0]
}

// fixture reads testdata/<version>/<name>.json.
func fixture(t testing.TB, version, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", version, name+".json"))
	require.NoError(t, err)
	return string(b)
}

// httpmockResponse builds a JSON answer.
func httpmockResponse(status int, body string) *http.Response {
	resp := httpmock.NewStringResponse(status, body)
	resp.Header.Set("Content-Type", "application/json")
	return resp
}
