package rest

// This file holds the record of one attempt as it goes: its number and
// start, what net/http's client trace sees of its request (an
// informational answer, whether the request was written), the secret
// headers of every request signed for it, and what the client's signatures
// cover, by which a signing transport below knows what to sign again.

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"net/url"
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
// earlier are the secrets of the attempts before it, and lastSigned the
// Unix millisecond of their latest signature (0 for none).
func (c *Client) newAttempt(r *Request, n int, start time.Time, earlier []string, lastSigned int64) *attemptRecord {
	a := &attemptRecord{n: n, start: start, earlier: earlier}
	a.signed.lastMilli = lastSigned
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
	// sign is the client's (Config.Sign), set when the path signed the
	// attempt: a signing transport below signs with it whatever it is
	// handed of the attempt changed or again (ClientSigning).
	sign func(*http.Request) error
	// byClient are the requests signed with the client's keys for the
	// attempt: the path's own, and those a signing transport below signed
	// again with them.
	byClient []clientSigned
	// stampMu holds signatures with the client's keys one at a time, and
	// guards lastMilli: the Unix millisecond of the call's latest such
	// signature, from the attempts before this one on (see signAfresh).
	stampMu   sync.Mutex
	lastMilli int64
}

// clientSigned is what a signature of the client's covers, and the
// signing transports that passed it on as it is.
type clientSigned struct {
	secret string // the first value of Config.SecretHeaders: the signature
	method string
	host   string
	url    url.URL
	passed []any
}

// covers reports whether c is the signature of req as req is now: the
// same signature, method and URL.
func (c *clientSigned) covers(req *http.Request, secret string) bool {
	return c.secret == secret && c.method == req.Method && c.host == req.Host && req.URL != nil && c.url == *req.URL
}

func (s *signedSecrets) add(h http.Header) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addLocked(h)
}

func (s *signedSecrets) addLocked(h http.Header) {
	for _, name := range s.names {
		for _, v := range h.Values(name) {
			if v != "" {
				s.vals = append(s.vals, v)
			}
		}
	}
}

// secretOf returns the first value of Config.SecretHeaders that h carries:
// its signature.
func (s *signedSecrets) secretOf(h http.Header) string {
	for _, name := range s.names {
		for _, v := range h.Values(name) {
			if v != "" {
				return v
			}
		}
	}
	return ""
}

// signedByClient records the secret headers of req, which was just signed
// with the client's keys, and req as so signed: by the request path, whose
// signer sign is then kept for a signing transport below (ClientSigning),
// or by such a transport, passedBy, which passed it on (sign nil).
func (s *signedSecrets) signedByClient(req *http.Request, sign func(*http.Request) error, passedBy any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addLocked(req.Header)
	if sign != nil {
		s.sign = sign
	}
	secret := s.secretOf(req.Header)
	if secret == "" || req.URL == nil {
		return
	}
	c := clientSigned{secret: secret, method: req.Method, host: req.Host, url: *req.URL}
	if passedBy != nil {
		c.passed = []any{passedBy}
	}
	s.byClient = append(s.byClient, c)
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
		s.add(req.Header)
	}
}

// ClientSigning tells a signing transport below the request path, by, how
// to sign req, so that every request of an attempt leaves signed once,
// with the client's keys, and over what it is. It reports asIs when req
// is the attempt as the client signed it (the same signature, method and
// URL), handed to by for the first time: by sends it as it is. Otherwise,
// when req carries a signature the client made for the attempt, req was
// changed since (a caller's transport above added a query parameter) or
// is handed again (a caller's transport retries it): sign is the client's
// signer, with which by signs a copy, to report it to SignedByClient; it
// stamps the copy in a millisecond of its own (signAfresh), so the copy
// never carries a signature the call already sent. When
// req carries none (a request the caller's own transport sends on the
// side), or its context is no attempt's of a path that signs, sign is nil
// too: by signs it with its own keys, and reports it to Signed.
func ClientSigning(req *http.Request, by any) (asIs bool, sign func(*http.Request) error) {
	s, ok := req.Context().Value(signedKey{}).(*signedSecrets)
	if !ok {
		return false, nil
	}
	secret := s.secretOf(req.Header)
	if secret == "" {
		return false, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sign == nil {
		return false, nil
	}
	signedByClient := false
	for i := range s.byClient {
		c := &s.byClient[i]
		if c.secret != secret {
			continue
		}
		signedByClient = true
		if c.covers(req, secret) && !slices.Contains(c.passed, by) {
			c.passed = append(c.passed, by)
			return true, nil
		}
	}
	if !signedByClient {
		return false, nil
	}
	clientSign := s.sign
	return false, func(req *http.Request) error { return s.signAfresh(req, clientSign) }
}

// SignedByClient records req, which by has just signed again with the
// client's signer (ClientSigning), as Signed does, and as passed on by by:
// a signing transport further below sends it as it is.
func SignedByClient(req *http.Request, by any) {
	if s, ok := req.Context().Value(signedKey{}).(*signedSecrets); ok {
		s.signedByClient(req, nil, by)
	}
}
