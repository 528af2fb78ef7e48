package rest

import (
	"fmt"
	"net/http"
)

// StatusError is an answer whose status is not 2xx.
type StatusError struct {
	StatusCode int
	Method     string
	URL        string
	Header     http.Header
	// Body is the start of the answer, at most MaxErrorBody bytes.
	Body      []byte
	Truncated bool
	Attempts  int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
}

// TransportError is a call that got no answer: the connection failed, timed
// out, or the context ended.
type TransportError struct {
	Method   string
	URL      string
	Attempts int
	Err      error
}

func (e *TransportError) Error() string {
	if e.Attempts > 1 {
		return fmt.Sprintf("%s %s: %v (after %d attempts)", e.Method, e.URL, e.Err, e.Attempts)
	}
	return fmt.Sprintf("%s %s: %v", e.Method, e.URL, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// DecodeError is a successful answer whose body could not be read as JSON.
type DecodeError struct {
	Method     string
	URL        string
	StatusCode int
	Err        error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("%s %s: %d answer could not be decoded: %v", e.Method, e.URL, e.StatusCode, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }
