package scpvpn_test

// Tests of settling a create whose answer confirmed nothing: exactly one
// resource that matches the request, made since the call began, is its
// result; none or several leave the outcome unknown; a create that never
// reached the service is reported as it is.

import (
	"net/http"
	"sync/atomic"
	"testing"
)

// methodCounter is a transport of the test's own that counts the
// requests of method it sends.
func methodCounter(t *testing.T, method string) (*atomic.Int32, http.RoundTripper) {
	t.Helper()
	var n atomic.Int32
	tr := e2eTransport(t)
	return &n, e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == method {
			n.Add(1)
		}
		return tr.RoundTrip(r)
	})
}
