package vpntest

// This file holds the record of the requests received, and what tests
// ask of it: Requests, CountRequests, ClearRequests.

import (
	"net/http"
	"slices"
	"sync"
)

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

// recorder keeps every request in arrival order.
type recorder struct {
	mu   sync.Mutex
	reqs []*RecordedRequest
}

func (rc *recorder) add(r *http.Request, body []byte) *RecordedRequest {
	rec := &RecordedRequest{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
		Body:     body,
	}
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, rec)
	rc.mu.Unlock()
	return rec
}

func (rc *recorder) setStatus(rec *RecordedRequest, status int) {
	rc.mu.Lock()
	rec.Status = status
	rc.mu.Unlock()
}

// Requests returns every request received, in order of arrival, scripted
// or not, valid or not. The result is a copy.
func (s *Server) Requests() []RecordedRequest {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	out := make([]RecordedRequest, len(s.log.reqs))
	for i, r := range s.log.reqs {
		out[i] = *r
		out[i].Header = r.Header.Clone()
		out[i].Body = slices.Clone(r.Body)
	}
	return out
}

// CountRequests returns the number of requests received that match method
// ("" for any) and pattern (as in Script).
func (s *Server) CountRequests(method, pattern string) int {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	n := 0
	for _, r := range s.log.reqs {
		if matches(method, pattern, r.Method, r.Path) {
			n++
		}
	}
	return n
}

// ClearRequests forgets the requests received so far, for Requests and
// CountRequests.
func (s *Server) ClearRequests() {
	s.log.mu.Lock()
	s.log.reqs = nil
	s.log.mu.Unlock()
}

// statusWriter remembers the status written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (to drop it).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
