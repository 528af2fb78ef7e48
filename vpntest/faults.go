package vpntest

import (
	"net/http"
	"time"

	"github.com/scpsdk/scpvpn/internal/fake"
)

// A Step is one scripted answer of the server; see Script. The zero Step
// serves the request normally.
type Step struct {
	// Status, when not zero, is answered instead of serving the request,
	// with Body and Header. Zero serves the request normally, after Delay,
	// with Header added to the normal answer.
	Status int
	// Body is the body answered with Status; JSON unless Header sets
	// another Content-Type. When Body is empty and Status is 400 or more,
	// the body is the API's error body, {"errors":[{"code": ...,
	// "detail": ...}]}, with a generic detail.
	Body string
	// Header holds headers to add to the answer, such as Retry-After.
	Header http.Header
	// Delay is how long to wait before answering. The wait ends early if
	// the client goes away or the server is closed; the connection is
	// then closed without an answer.
	Delay time.Duration
	// Drop closes the connection, after Delay, without a complete answer,
	// so that the client sees a transport error. The server sends a
	// truncated status line before closing: a clean close before the
	// first byte would let Go's http.Transport silently replay an
	// idempotent request that it sent on a reused connection. In process
	// (see Server.Handler), where there is no connection to close, Drop
	// panics with http.ErrAbortHandler.
	Drop bool
}

// Respond returns a Step answering status, with headers given as pairs of
// key and value: Respond(503, "Retry-After", "2"). It panics if headers
// has an odd length.
func Respond(status int, headers ...string) Step {
	if len(headers)%2 != 0 {
		panic("vpntest: Respond: headers must be pairs of key and value")
	}
	s := Step{Status: status}
	if len(headers) > 0 {
		s.Header = make(http.Header, len(headers)/2)
		for i := 0; i+1 < len(headers); i += 2 {
			s.Header.Add(headers[i], headers[i+1])
		}
	}
	return s
}

// Drop returns a Step that closes the connection without answering.
func Drop() Step { return Step{Drop: true} }

// Pass returns a Step that serves the request normally: a placeholder
// that lets a script leave a request alone.
func Pass() Step { return Step{} }

// Delay returns a Step that serves the request normally after d.
func Delay(d time.Duration) Step { return Step{Delay: d} }

// Script queues steps for the requests matching method and pattern. Each
// matching request consumes the next step; once all are consumed, requests
// are served normally again. When several scripts match a request, the
// first registered that has steps left wins. Scripted answers come before
// any check, so they answer even unsigned requests, and they are recorded
// by Requests.
//
// method is an HTTP method, or "" for any. pattern is an exact path, such
// as "/v1/vpn-gateways", a path prefix ending in "*", such as
// "/v1/vpn-gateways/*" (every gateway by id, not the collection), or "*"
// for every path. Script panics on any other pattern, and on a Status
// that is not a valid HTTP status.
func (s *Server) Script(method, pattern string, steps ...Step) {
	fs := make([]fake.Step, len(steps))
	for i, st := range steps {
		fs[i] = fake.Step(st)
	}
	s.engine.Script(method, pattern, fs...)
}

// SetLatency adds d to the time taken to answer every request matching
// method and pattern (as in Script), before any scripted step. The
// latencies of all the rules that match a request add up. Setting again
// the same method and pattern replaces the latency; d <= 0 removes it.
func (s *Server) SetLatency(method, pattern string, d time.Duration) {
	s.engine.SetLatency(method, pattern, d)
}

// ResetFaults removes every script and latency.
func (s *Server) ResetFaults() { s.engine.ResetFaults() }

// A RecordedRequest is a request as the server received it.
type RecordedRequest struct {
	// Method, Path and RawQuery are those of the request; Path is
	// unescaped, RawQuery as received.
	Method, Path, RawQuery string
	// Header is a copy of the request's headers.
	Header http.Header
	// Body is the body of the request.
	Body []byte
	// Status is the status answered: 0 while the request is being served,
	// or when it got no answer (dropped, or the client went away).
	Status int
}

// Requests returns every request received, in order of arrival, scripted
// or not, valid or not. The result is a copy.
func (s *Server) Requests() []RecordedRequest {
	reqs := s.engine.Requests()
	out := make([]RecordedRequest, len(reqs))
	for i, r := range reqs {
		out[i] = RecordedRequest(r)
	}
	return out
}

// CountRequests returns the number of requests received that match method
// ("" for any) and pattern (as in Script).
func (s *Server) CountRequests(method, pattern string) int {
	return s.engine.CountRequests(method, pattern)
}

// ClearRequests forgets the requests received so far, for Requests and
// CountRequests.
func (s *Server) ClearRequests() { s.engine.ClearRequests() }
