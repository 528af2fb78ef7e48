// Package transport holds the net/http transport a client of the SDK gets
// when it is given none. It lives apart from the root package so that the
// acceptance suite can send over that very transport, with a recorder
// around it, without the SDK exporting it.
package transport

import (
	"net"
	"net/http"
	"time"
)

// MaxAnswerHeader bounds an answer's headers, over HTTP/1.1 and HTTP/2
// alike (net/http applies MaxResponseHeaderBytes to both); the API's are a
// few hundred bytes. Go's default, 10 MiB, let 10 MB of short headers grow
// the heap by 120 MiB.
const MaxAnswerHeader = 1 << 20

// New returns the default transport of a client: bounded waits for
// connecting and TLS, bounded answer headers, and enough idle connections
// that many goroutines sharing the client reuse theirs (Go's default keeps
// two per host). The attempt timeout bounds the wait for an answer. Each
// call returns a transport of its own, with its own pool.
func New() *http.Transport {
	return &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            NewDialer().DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    10 * time.Second,
		ExpectContinueTimeout:  time.Second,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    64,
		MaxResponseHeaderBytes: MaxAnswerHeader,
	}
}

// NewDialer bounds how long opening a connection may take; kept apart from
// New so that the bound can be checked.
func NewDialer() *net.Dialer {
	return &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
}
