package rest

// This file holds the errors of the request path: facts about how a call
// failed, which the SDK turns into the errors its callers see.

import (
	"fmt"
	"net/http"
)

// StatusError is an answer whose status is not 2xx.
type StatusError struct {
	StatusCode int
	Header     http.Header
	// Body is the start of the answer, at most MaxErrorBody bytes.
	Body      []byte
	Truncated bool
	// Sent holds the values of Config.SecretHeaders the request carried,
	// to be kept out of what the body's echo may carry.
	Sent []string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
}

// TransportError is a call that got no answer, or whose context ended: the
// connection failed or timed out, or the context ended, before or between
// attempts.
type TransportError struct {
	// Attempts is how many attempts were sent; 0 when the context had
	// ended before the first.
	Attempts int
	// Err is what ended the call: a transport error or the context's.
	Err error
	// Last is the failure of the last attempt when the context ended while
	// waiting to retry: an answer's error or a transport error. The caller
	// may replace it with its own rendering of that failure.
	Last error
}

func (e *TransportError) Error() string {
	msg := e.Err.Error()
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

// DecodeError is a successful answer whose body could not be read.
type DecodeError struct {
	StatusCode int
	// Cut is whether the answer ended before its end (and was not asked
	// again: a create, or the attempts ran out).
	Cut bool
	Err error
}

func (e *DecodeError) Error() string {
	if e.Cut {
		return fmt.Sprintf("%d answer was cut short (the service acted on the request): %v", e.StatusCode, e.Err)
	}
	return fmt.Sprintf("%d answer could not be decoded: %v", e.StatusCode, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }
