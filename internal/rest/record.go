package rest

// This file holds the record of one attempt as it goes: its number and
// start, what net/http's client trace sees of its request (an
// informational answer, whether the request was written), and the secret
// headers of every request signed for it.

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"slices"
	"strings"
	"sync"
	"time"
)

// attemptRecord is what is known of one attempt. Its trace hooks run on
// net/http's goroutines; what they record is read once RoundTrip returned.
type attemptRecord struct {
	n       int
	start   time.Time
	in      informational
	written written
	signed  signedSecrets
	trace   httptrace.ClientTrace
	// earlier holds the secret header values of the call's attempts
	// before this one: an answer may echo any of them.
	earlier []string
}

// newAttempt returns the record of attempt n of r, which began at start;
// earlier are the secrets of the attempts before it.
func (c *Client) newAttempt(r *Request, n int, start time.Time, earlier []string) *attemptRecord {
	a := &attemptRecord{n: n, start: start, earlier: earlier}
	a.in.asked100 = strings.EqualFold(r.Header.Get("Expect"), "100-continue")
	a.signed.names = c.cfg.SecretHeaders
	a.trace = httptrace.ClientTrace{
		Got1xxResponse: a.in.got,
		GetConn:        a.written.getConn,
		GotConn:        a.written.gotConn,
		WroteHeaders:   a.written.wroteHeaders,
	}
	return a
}

// traced returns ctx with the attempt's trace. A caller's own trace in
// ctx still sees everything, as httptrace composes hooks (and a caller's
// Got1xxResponse has the last word: that caller asked to see
// informational answers).
func (a *attemptRecord) traced(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &a.trace)
}

// sent returns the secret header values of every request of the call so
// far, this attempt's included.
func (a *attemptRecord) sent() []string {
	own := a.signed.values()
	if len(own) == 0 {
		return a.earlier
	}
	return append(a.earlier[:len(a.earlier):len(a.earlier)], own...)
}

// signedKey finds an attempt's signedSecrets in its request's context.
type signedKey struct{}

// signedSecrets holds the values of Config.SecretHeaders (a signature) of
// every request signed for one attempt, as it was signed. They are known
// before any answer comes, so that whatever echoes them (an informational
// answer, a status line net/http quotes in its error, the debug data of an
// HTTP/2 GOAWAY) can be scrubbed, whether or not an answer came.
type signedSecrets struct {
	names []string // Config.SecretHeaders

	mu   sync.Mutex
	vals []string
	// byPath are those of vals that the request path set (Config.Sign),
	// by which a signing transport below knows the attempt it is handed
	// is signed already (SignedByRequestPath).
	byPath []string
}

func (s *signedSecrets) add(h http.Header, byPath bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, name := range s.names {
		for _, v := range h.Values(name) {
			if v != "" {
				s.vals = append(s.vals, v)
				if byPath {
					s.byPath = append(s.byPath, v)
				}
			}
		}
	}
}

// holdsPathSigned reports whether h carries a secret header value that the
// request path set.
func (s *signedSecrets) holdsPathSigned(h http.Header) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, name := range s.names {
		for _, v := range h.Values(name) {
			if v != "" && slices.Contains(s.byPath, v) {
				return true
			}
		}
	}
	return false
}

func (s *signedSecrets) values() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.vals[:len(s.vals):len(s.vals)]
}

// Signed records the secret headers (Config.SecretHeaders) of req, a
// request about to be sent for an attempt of the request path, as it was
// signed: the request path calls it once it signed the attempt's request
// (Config.Sign), and a signing transport below with each copy it signs. A
// request whose context is not an attempt's is not recorded.
func Signed(req *http.Request) {
	if s, ok := req.Context().Value(signedKey{}).(*signedSecrets); ok {
		s.add(req.Header, false)
	}
}

// SignedByRequestPath reports whether req is an attempt of the request
// path that the path signed itself (Config.Sign), as it left the path: its
// context is the attempt's, and it carries the signature the path set. A
// signing transport below (a caller's, wherever it sits in the chain)
// sends such a request as it is, so that each attempt is signed once, with
// the client's keys. Any other request through it, one the caller's own
// transport sends on the side with the attempt's context, say, carries no
// such signature, and is signed.
func SignedByRequestPath(req *http.Request) bool {
	s, ok := req.Context().Value(signedKey{}).(*signedSecrets)
	return ok && s.holdsPathSigned(req.Header)
}

// signedByPath records the secret headers of req, which the request path
// has just signed for an attempt (Config.Sign).
func signedByPath(req *http.Request) {
	if s, ok := req.Context().Value(signedKey{}).(*signedSecrets); ok {
		s.add(req.Header, true)
	}
}
