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

// TransportError is a call that got no answer, or whose context ended: the
// connection failed or timed out, or the context ended, before or between
// attempts.
type TransportError struct {
	Method string
	URL    string
	// Attempts is how many attempts were sent; 0 when the context had
	// ended before the first.
	Attempts int
	// Err is what ended the call: a transport error or the context's.
	Err error
	// Last is the failure of the last attempt when the context ended while
	// waiting to retry: an answer's error or a transport error.
	Last error
}

func (e *TransportError) Error() string {
	msg := fmt.Sprintf("%s %s: %v", e.Method, e.URL, e.Err)
	switch {
	case e.Last != nil:
		msg += fmt.Sprintf(" (waiting to retry after %d attempts; the last failed: %v)", e.Attempts, e.Last)
	case e.Attempts > 1:
		msg += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	case e.Attempts == 0:
		msg += " (nothing was sent)"
	}
	return msg
}

// Unwrap returns Err and, when set, Last: errors.Is and errors.As see both.
func (e *TransportError) Unwrap() []error {
	if e.Last == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Last}
}

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
