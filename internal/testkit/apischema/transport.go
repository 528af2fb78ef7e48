package apischema

// This file holds the Transport that puts a Checker on the wire, between
// a client and the server it talks to.

import (
	"bytes"
	"io"
	"net/http"
)

// Transport returns an http.RoundTripper that sends each request through
// base (http.DefaultTransport when nil) and checks the request and its
// answer. It changes neither: the caller gets the answer as it came.
func (c *Checker) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{checker: c, base: base}
}

type transport struct {
	checker *Checker
	base    http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		reqBody, err = io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	sent := withBody(req, reqBody)
	resp, err := t.base.RoundTrip(sent)
	if err != nil {
		t.checker.Check(sent, reqBody, nil, nil)
		return nil, err
	}
	body, readErr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if readErr != nil {
		// An answer cut short is the SDK's to handle, not the schema's to
		// judge: it gets what came, and the error.
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{readErr}))
		return resp, nil
	}
	t.checker.Check(sent, reqBody, resp, body)
	return resp, nil
}

// errReader fails every read with err.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
