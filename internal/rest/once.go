package rest

// This file holds how an attempt's request is shaped so that net/http
// sends it at most once: every request on the wire is an attempt the
// request path decided and counted.

import (
	"io"
	"net/http"
	"strings"
)

// sentOnce makes the request of an attempt one that net/http will not
// send again on its own, whatever its method and headers, over HTTP/1.1
// and HTTP/2. net/http resends a request below the caller when it deems
// that safe and can rewind the body, that is when Body is nil or
// http.NoBody, or GetBody is set:
//
//   - HTTP/1.1 (persistConn.shouldRetryRequest, Request.isReplayable):
//     on a reused connection that fails before the first byte of the
//     answer, if the method is GET, HEAD, OPTIONS or TRACE or the request
//     carries an Idempotency-Key or X-Idempotency-Key header;
//   - HTTP/2 (http2shouldRetryRequest): up to six times after
//     RST_STREAM PROTOCOL_ERROR or REFUSED_STREAM, or GOAWAY, whatever
//     the method.
//
// A body that cannot be rewound stops both: GetBody is dropped, and a
// request without content gets an empty body of its own (noRewind). HTTP/2
// then resends only a request it never began to send (a connection found
// unusable). Such a request fails instead, and the request path decides
// whether to make another attempt, by its own rules (retry.Retryable).
//
// On the wire, a GET or DELETE still goes without content and without
// Content-Length, as before: Transfer-Encoding "identity" tells net/http
// the empty body has no length to announce, so it neither announces one
// nor probes the body to find out (with a goroutine and a 200 ms timer
// racing it on each call). That is a speed trick, kept because it pays
// (issue 18's rule: at least 3% of a call's time or 10 allocations):
// without it, BenchmarkContenders (interleaved, five runs each) measured
// 8 allocations more on every GET and DELETE, and Get 1.13 to 1.16 times
// plain resty's time rather than 1.10 to 1.14, Delete 1.08 to 1.09 rather
// than 1.04. Over HTTP/2 the end of the request is an empty
// DATA frame rather than a flag on the HEADERS frame. A POST or PUT with
// nothing to send (Client.Do) is sent chunked, with a length of zero, as
// net/http sends any body of unknown length.
//
// The cost, for a GET or DELETE only (BenchmarkWire): two allocations
// over HTTP/1.1, the copy net/http makes of a request with a body to track
// its reading; over HTTP/2 three, and a second frame to write (on
// loopback, with the server's share, a Delete took a third longer).
func sentOnce(req *http.Request) {
	req.GetBody = nil
	if req.ContentLength == 0 { // every body is a bytes.Reader: 0 is empty
		req.Body = noRewind{}
		if req.Method == http.MethodGet || req.Method == http.MethodDelete {
			req.TransferEncoding = identity
		}
	}
}

// identity is Transfer-Encoding "identity"; net/http only reads it.
var identity = []string{"identity"}

// noRewind is an empty request body that net/http cannot rewind, and need
// not: it is empty. It is a value without fields, so it costs nothing to
// hand out.
type noRewind struct{}

func (noRewind) Read([]byte) (int, error) { return 0, io.EOF }

func (noRewind) Close() error { return nil }

// WriteTo lets net/http copy the body without a buffer.
func (noRewind) WriteTo(io.Writer) (int64, error) { return 0, nil }

// notSentAgain rewords the error of HTTP/2 for a request it would have sent
// again had it been able to rewind the body: "http2: Transport: cannot
// retry err [E] after Request.Body was written; define Request.GetBody to
// avoid this error" gives advice meant for net/http's callers, not the
// SDK's. What is kept is E, and that the request had been sent; the error
// still unwraps to net/http's.
func notSentAgain(err error) error {
	const prefix, suffix = "http2: Transport: cannot retry err [", "] after Request.Body was written"
	msg := err.Error()
	if end := strings.LastIndex(msg, suffix); strings.HasPrefix(msg, prefix) && end > len(prefix) {
		return &sentError{msg: msg[len(prefix):end] + "; the request was sent", err: err}
	}
	return err
}

// sentError is net/http's error for a request that had been sent,
// reworded.
type sentError struct {
	msg string
	err error
}

func (e *sentError) Error() string { return e.msg }
func (e *sentError) Unwrap() error { return e.err }
