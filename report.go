package scpvpn

// This file holds what a call reports to its caller from what the request
// path (internal/rest) found: the Response, and the errors callers see,
// with every secret the call sent scrubbed from what the service said.

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/scpsdk/scpvpn/internal/redact"
	"github.com/scpsdk/scpvpn/internal/rest"
)

// callScrubber replaces every secret the call sent: the client's (the
// secret key, the token), the pre-shared keys of its body and of its query
// (a Client.Do's), and sent, the
// values of secret headers set below the request path (the signature of
// every attempt, recorded as it was signed).
func (c *Client) callScrubber(req *rest.Request, sent []string) *redact.Scrubber {
	return c.secrets.With(redact.SecretsIn(req.Body)...).With(redact.SecretsInURL(req.URL)...).With(sent...)
}

// responseOf is the Response of a call: its last answer, with every secret
// the call sent taken out of the headers and the request id, where a
// server may echo them.
func (c *Client) responseOf(req *rest.Request, res rest.Result) Response {
	scrub := c.callScrubber(req, res.Sent)
	return Response{
		StatusCode: res.StatusCode,
		Header:     scrubHeader(res.Header, scrub),
		RequestID:  scrub.String(res.RequestID),
		Attempts:   res.Attempts,
	}
}

// carriesSecret reports whether a header is one that carries the call's
// secrets on their way out (the token, the signature): an answer that has
// it echoes them (or worse), so its values are replaced whatever they hold.
func carriesSecret(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "X-Auth-Token", HeaderSignature:
		return true
	}
	return false
}

// scrubHeader returns h with every secret of scrub replaced in its values,
// and the values of the headers that carry secrets replaced whole; h itself
// when nothing changes, else a copy (h is left as it is).
func scrubHeader(h http.Header, scrub *redact.Scrubber) http.Header {
	var out http.Header // a copy, made at the first change
	for k, vs := range h {
		whole := carriesSecret(k)
		for i, v := range vs {
			w := redact.Placeholder
			if !whole {
				w = scrub.String(v)
			}
			if w == v {
				continue
			}
			if out == nil {
				out = h.Clone()
			}
			out[k][i] = w
		}
	}
	if out == nil {
		return h
	}
	return out
}

// callError turns a failure of the request path into the error callers
// get. Every secret of the call is scrubbed from what the service said:
// servers echo the input they refuse.
func (c *Client) callError(req *rest.Request, res rest.Result, err error) error {
	if se, ok := err.(*rest.StatusError); ok { //nolint:errorlint // rest returns it bare
		return c.apiError(req, res, se)
	}
	var te *rest.TransportError
	if errors.As(err, &te) {
		if last, ok := te.Last.(*rest.StatusError); ok { //nolint:errorlint // set by rest, never wrapped
			// The context ended while waiting to retry: the last answer
			// stays reachable with errors.As.
			te.Last = c.apiError(req, rest.Result{StatusCode: last.StatusCode, Header: last.Header, RequestID: rest.RequestID(last.Header), Attempts: te.Attempts}, last)
		}
	}
	if de, ok := err.(*rest.DecodeError); ok && !de.Cut { //nolint:errorlint // rest returns it bare
		err = unexpectedAnswer(err, "scpvpn: %s %s: %v", req.Method, pathOf(req.URL), err)
	} else {
		err = fmt.Errorf("scpvpn: %s %s: %w", req.Method, pathOf(req.URL), err)
	}
	// What a server sent can reach a transport's message too (net/http
	// quotes a malformed status line, HTTP/2 a GOAWAY's debug data).
	return scrubbed(err, c.callScrubber(req, res.Sent))
}

// apiError makes the *APIError of an answer that is not 2xx.
func (c *Client) apiError(req *rest.Request, res rest.Result, se *rest.StatusError) *APIError {
	scrub := c.callScrubber(req, se.Sent)
	details, code := errorDetails(se.Body)
	for i := range details {
		details[i] = scrub.String(details[i])
	}
	return &APIError{
		StatusCode: se.StatusCode,
		Method:     req.Method,
		URL:        redact.URL(req.URL),
		Code:       scrub.String(code),
		Details:    details,
		Body:       scrub.Bytes(se.Body),
		RequestID:  scrub.String(res.RequestID),
		Attempts:   res.Attempts,
	}
}
