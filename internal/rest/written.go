package rest

// This file holds how an attempt that failed without an answer is known to
// have never left: net/http's client trace says whether its request was
// written, whatever the error says (a proxy that refused the connection or
// the tunnel, a certificate not trusted, a TLS handshake cut, a
// connection found closed before the request was written on it).

import (
	"net/http/httptrace"
	"sync/atomic"

	"github.com/scpsdk/scpvpn/internal/retry"
)

// written watches one attempt's request through net/http's transport,
// HTTP/1.1 and HTTP/2 alike: GetConn when the transport takes the request,
// GotConn when it has a connection to write it on, WroteHeaders once its
// headers are written (buffered, perhaps not yet on the network: a request
// whose headers were written may have left).
type written struct {
	taken   atomic.Bool // GetConn
	conn    atomic.Bool // GotConn
	headers atomic.Bool // WroteHeaders
}

func (w *written) getConn(string)                { w.taken.Store(true) }
func (w *written) gotConn(httptrace.GotConnInfo) { w.conn.Store(true) }
func (w *written) wroteHeaders()                 { w.headers.Store(true) }
func (w *written) seen() (taken, conn, headers bool) {
	return w.taken.Load(), w.conn.Load(), w.headers.Load()
}

// notSent reports whether the attempt's request, which failed with err and
// no answer, provably never left: net/http's transport took it and never
// wrote its headers. ended is whether the attempt's context had ended:
// then a request that had a connection may have been written after all,
// since HTTP/2 writes headers on a goroutine of its own, which RoundTrip
// does not wait for when the context ends. Where no net/http transport
// took the request (a transport of the caller's that is not net/http's),
// only the error can tell: a failed dial (retry.NotSent).
func (w *written) notSent(err error, ended bool) bool {
	taken, conn, headers := w.seen()
	switch {
	case !taken:
		return retry.NotSent(err)
	case headers:
		return false
	case conn && ended:
		return false
	}
	return true
}
