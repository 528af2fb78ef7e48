package rest

// This file holds how an informational (1xx) answer ends an attempt at
// once: the SDK asks for none, and net/http would otherwise wait past them
// for a final answer, or hand a 101's connection over as its body.

import (
	"context"
	"errors"
	"net/http"
	"net/textproto"
	"sync"
)

// informational watches one attempt for an informational answer it did
// not ask for. net/http reads past 100, 102 and 103 to the final answer
// (as long as the server keeps sending them, within the header bound);
// Got1xxResponse sees each (see attemptRecord's trace), and its error ends
// the attempt. A 101 is final to net/http over HTTP/1.1: Client.attempt
// refuses it.
type informational struct {
	// asked100 is whether the request carries Expect: 100-continue (a
	// caller's header; the SDK sends none), whose 100 is expected.
	asked100 bool

	mu     sync.Mutex // got runs on net/http's goroutine reading the answer
	status int
	header http.Header
}

// errInformational ends an attempt at an informational answer; the
// attempt reports that answer (see informational.answer) rather than this
// error, which HTTP/2 wraps beyond the reach of errors.Is.
var errInformational = errors.New("an informational (1xx) answer the request did not ask for")

func (in *informational) got(code int, h textproto.MIMEHeader) error {
	if code == http.StatusContinue && in.asked100 {
		return nil
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.status == 0 {
		in.status, in.header = code, http.Header(h)
	}
	return errInformational
}

// answer returns the status and header of the informational answer that
// ended the attempt; a status of 0 when none came.
func (in *informational) answer() (int, http.Header) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.status, in.header
}

// informationalOutcome ends an attempt at an informational answer: a
// *StatusError of its status, whose body is closed unread (a 101's is the
// raw connection, which no context ends).
func (c *Client) informationalOutcome(ctx context.Context, r *Request, a *attemptRecord, resp *http.Response) outcome {
	_ = resp.Body.Close()
	c.logAttempt(ctx, r, a, resp, nil, nil)
	return outcome{resp: resp, status: c.statusError(a, resp, nil, false)}
}
