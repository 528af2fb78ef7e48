package transport

// What the wire tests cannot see from outside: the default transport's
// bounds.

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDefaultTransportBounds(t *testing.T) {
	t.Parallel()
	tr := New()

	d := NewDialer()
	assert.Positive(t, d.Timeout, "connecting is bounded")
	assert.LessOrEqual(t, d.Timeout, 30*time.Second)
	assert.NotNil(t, tr.DialContext)

	assert.Positive(t, tr.TLSHandshakeTimeout, "the TLS handshake is bounded")
	assert.LessOrEqual(t, tr.TLSHandshakeTimeout, 30*time.Second)
	// Waiting for an answer's headers is bounded by the attempt timeout;
	// a bound of the transport's would cap a longer WithTimeout, and cost
	// a timer on every call.
	assert.Zero(t, tr.ResponseHeaderTimeout)
	assert.Positive(t, tr.IdleConnTimeout, "idle connections do not live forever")
	assert.EqualValues(t, 1<<20, tr.MaxResponseHeaderBytes, "answer headers are bounded, over HTTP/2 too")

	// Go's default keeps two idle connections per host: 32 goroutines
	// sharing a client would open new connections all the time.
	assert.GreaterOrEqual(t, tr.MaxIdleConnsPerHost, 32)
	assert.True(t, tr.MaxIdleConns == 0 || tr.MaxIdleConns >= tr.MaxIdleConnsPerHost)
	assert.NotNil(t, tr.Proxy, "HTTPS_PROXY and NO_PROXY apply")

	assert.NotSame(t, tr, New(), "each client has its own pool")
}
