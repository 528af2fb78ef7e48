package scpvpn

// This file holds the request path below the services and Client.Do: send
// finds the endpoint (catalog.go), encodes the body, hands the call to
// internal/rest, reports the Response and turns what went wrong into the
// SDK's errors (report.go).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/scpsdk/scpvpn/internal/rest"
)

// call is one API call on its way down to the request path.
type call struct {
	method string
	path   string // escaped, below the endpoint
	query  string // encoded, without "?"
	// header holds this call's headers, Scp-Api-Version among them; it is
	// shared between calls and only read.
	header  http.Header
	body    any // encoded as JSON; nil for none
	decode  func(io.Reader) error
	maxBody int64
}

// send makes a call and tells what is known of its attempts, for the rules
// on lost answers.
func (c *Client) send(ctx context.Context, cl *call, co *callOptions) (rest.Result, error) {
	if ctx == nil {
		return rest.Result{}, errors.New("scpvpn: nil context")
	}
	base, err := c.endpointFor(ctx, co)
	if err != nil {
		return rest.Result{}, err
	}
	req := &rest.Request{
		Method:  cl.method,
		URL:     rest.URL(base, cl.path, cl.query),
		Header:  cl.header,
		Retry:   co.retry,
		Decode:  cl.decode,
		MaxBody: cl.maxBody,
	}
	if co.header != nil {
		req.Header = mergeHeaders(cl.header, co.header)
	}
	if cl.body != nil {
		b, err := json.Marshal(wireBody(cl.body))
		if err != nil {
			return rest.Result{}, fmt.Errorf("scpvpn: encoding %s %s: %w", cl.method, cl.path, err)
		}
		req.Body = b
	}
	res, err := c.rest.Do(ctx, req)
	if co.response != nil { // scrubbed only for a caller who asked
		co.report(c.responseOf(req, res))
	}
	if err != nil {
		return res, c.callError(req, res, err)
	}
	return res, nil
}

// mergeHeaders returns the call's headers with the caller's added; the
// call's own (the API version) win.
func mergeHeaders(own, caller http.Header) http.Header {
	h := make(http.Header, len(own)+len(caller))
	for k, v := range caller {
		h[k] = v
	}
	for k, v := range own {
		h[k] = v
	}
	return h
}
