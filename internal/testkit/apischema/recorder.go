package apischema

// This file holds the Recorder: a Checker on the wire that changes nothing
// of what is sent or received, for the acceptance suite, which must prove
// the very exchanges a user's client makes.

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// Recorder returns an http.RoundTripper that sends each request through
// base (http.DefaultTransport when nil) as its caller built it, and judges
// the exchange once the caller has closed the answer's body, by what went
// through.
//
// Unlike Transport, it neither buffers nor rebuilds anything: a request
// without content is handed on as it is; one with content goes on in a
// shallow copy whose body records what net/http reads of it, and which
// net/http can rewind no more than the caller's (no GetBody of its own, and
// never http.NoBody); the answer's body records what the caller reads of
// it, as the caller reads it. An exchange is judged only when both bodies
// went through whole; otherwise it is kept with NotJudged saying why.
func (c *Checker) Recorder(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &recorder{checker: c, base: base}
}

type recorder struct {
	checker *Checker
	base    http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	sent, reqBody := req, (*recordedBody)(nil)
	if req.Body != nil && req.Body != http.NoBody && req.ContentLength != 0 {
		reqBody = &recordedBody{rc: req.Body}
		c := *req // a RoundTripper leaves its caller's request as it is
		c.Body = reqBody
		sent = &c
	}
	resp, err := r.base.RoundTrip(sent)
	if err != nil {
		r.checker.judge(req, reqBody, nil, nil)
		return nil, err
	}
	if resp.Body == nil {
		r.checker.judge(req, reqBody, resp, &recordedBody{eof: true})
		return resp, nil
	}
	answer := &recordedBody{rc: resp.Body}
	answer.onClose = func() { r.checker.judge(req, reqBody, resp, answer) }
	resp.Body = answer
	return resp, nil
}

// judge checks the exchange if both bodies went through whole, and keeps
// it unjudged otherwise. answer is nil when no answer came.
func (c *Checker) judge(req *http.Request, reqBody *recordedBody, resp *http.Response, answer *recordedBody) {
	var sent, body []byte
	var why string
	if answer != nil {
		var whole bool
		body, whole = answer.snapshot()
		switch err := answer.failed(); {
		case err != nil:
			why = fmt.Sprintf("the answer was cut short after %d bytes: %v", len(body), err)
		case !whole:
			why = fmt.Sprintf("the client closed the answer after %d bytes, before its end", len(body))
		}
	}
	if reqBody != nil {
		var whole bool
		sent, whole = reqBody.snapshot()
		if !whole && int64(len(sent)) != req.ContentLength {
			why = fmt.Sprintf("the transport sent %d of the request's %d bytes", len(sent), req.ContentLength)
		}
	}
	if why != "" {
		c.keep(req, sent, resp, body, why)
		return
	}
	c.Check(req, sent, resp, body)
}

// keep records an exchange without judging it.
func (c *Checker) keep(req *http.Request, reqBody []byte, resp *http.Response, body []byte, why string) {
	e := Exchange{
		Version:     req.Header.Get("Scp-Api-Version"),
		Method:      req.Method,
		URL:         req.URL.String(),
		RequestBody: reqBody,
		Body:        body,
		NotJudged:   why,
	}
	if resp != nil {
		e.Status = resp.StatusCode
	}
	c.mu.Lock()
	c.exchanges = append(c.exchanges, e)
	c.mu.Unlock()
}

// recordedBody passes a body through and keeps what went through it. It
// is safe for a Close concurrent with a Read, as net/http allows; what
// the underlying Read returns after the close is not kept.
type recordedBody struct {
	rc      io.ReadCloser
	onClose func() // run once, on the first Close

	mu     sync.Mutex
	buf    bytes.Buffer
	eof    bool
	err    error // the first error other than io.EOF
	closed bool
}

func (b *recordedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.buf.Write(p[:n])
		switch {
		case err == io.EOF:
			b.eof = true
		case err != nil && b.err == nil:
			b.err = err
		}
	}
	return n, err
}

func (b *recordedBody) Close() error {
	err := b.rc.Close()
	b.mu.Lock()
	first := !b.closed
	b.closed = true
	b.mu.Unlock()
	if first && b.onClose != nil {
		b.onClose()
	}
	return err
}

// snapshot returns what went through so far, and whether that was all.
func (b *recordedBody) snapshot() ([]byte, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes()), b.eof
}

// failed returns the error that cut the body short, if one did.
func (b *recordedBody) failed() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}
