package fake

import (
	"net/http"
	"slices"
	"sync"
)

// RecordedRequest is a request as the engine received it, and the status
// it answered.
type RecordedRequest struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     []byte
	// Status is the status answered: 0 while the request is in flight, or
	// when no answer was sent (dropped, or the client went away).
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

// Requests returns a copy of every request received, in order.
func (e *Engine) Requests() []RecordedRequest {
	e.log.mu.Lock()
	defer e.log.mu.Unlock()
	out := make([]RecordedRequest, len(e.log.reqs))
	for i, r := range e.log.reqs {
		out[i] = *r
		out[i].Header = r.Header.Clone()
		out[i].Body = slices.Clone(r.Body)
	}
	return out
}

// CountRequests returns how many requests received match method ("" for
// any) and pattern (see Script).
func (e *Engine) CountRequests(method, pattern string) int {
	e.log.mu.Lock()
	defer e.log.mu.Unlock()
	n := 0
	for _, r := range e.log.reqs {
		if matches(method, pattern, r.Method, r.Path) {
			n++
		}
	}
	return n
}

// ClearRequests forgets the requests recorded so far.
func (e *Engine) ClearRequests() {
	e.log.mu.Lock()
	e.log.reqs = nil
	e.log.mu.Unlock()
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
