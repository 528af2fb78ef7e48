package scpvpn

// This file holds the options of a single call (CallOption) and what a call
// reports back through them (Response).

import (
	"net/http"
	"strings"

	"github.com/scpsdk/scpvpn/internal/retry"
)

// CallOption changes one call: pass it last to any service method, to the
// waiters, or to Client.Do. Options given later override earlier ones.
type CallOption func(*callOptions)

// callOptions gathers what the CallOptions of one call say.
type callOptions struct {
	response *Response
	header   http.Header // nil unless WithHeader was given
	retry    *retry.Policy
	wait     *WaitPolicy
	problems []FieldError // headers refused
}

// Response describes the last HTTP answer of a call; see WithResponse.
type Response struct {
	// StatusCode is the status of the last attempt's answer; 0 when the
	// last attempt got none (or nothing was sent).
	StatusCode int
	// Header holds the headers of the last attempt's answer.
	Header http.Header
	// RequestID is the request id the service sent with that answer, as in
	// APIError; quote it to SCP support.
	RequestID string
	// Attempts is how many attempts the call sent.
	Attempts int
	// Settled is whether the call's outcome was confirmed by reading the
	// resource back after its own answer was lost.
	Settled bool
}

// WithResponse fills *r after the call, whether it succeeded or failed, with
// what came back: the status, headers and request id of the last answer,
// and the number of attempts. A waiter or All fills it after each of the
// calls it makes, so it ends up describing the last.
//
// When the SDK settles a call whose answer was lost by reading the resource
// back (see RetryPolicy), *r describes the call's own last answer, such as
// the 409 that the SDK then found to be its own earlier attempt's doing or
// the 502 to a create, and Settled is true.
func WithResponse(r *Response) CallOption {
	return func(o *callOptions) { o.response = r }
}

// WithHeader adds a header to every attempt of this call, for tracing or
// correlation ids; a later WithHeader with the same key replaces the value.
// The reads the SDK makes on its own within the call (those that settle a
// lost answer, the IAM catalog's lookup) carry the same headers but an
// idempotency key (Idempotency-Key, X-Idempotency-Key), which names the
// write.
// The headers the SDK signs or sets itself (Scp-*, Authorization,
// X-Auth-Token, spelt with "-" or "_") and those net/http manages (Host,
// Content-Length, Transfer-Encoding, Connection, Accept-Encoding) are
// refused: the call then fails with a *ValidationError before anything is
// sent.
func WithHeader(key, value string) CallOption {
	return func(o *callOptions) {
		k := http.CanonicalHeaderKey(key)
		if problem := headerProblem(k, value); problem != "" {
			o.problems = append(o.problems, FieldError{Field: key, Problem: problem})
			return
		}
		if o.header == nil {
			o.header = make(http.Header, 2)
		}
		o.header[k] = []string{value}
	}
}

// headerProblem says why a header cannot be set per call, or "".
func headerProblem(key, value string) string {
	// Many servers read "_" in a header name as "-" (CGI, WSGI and the
	// gateways built like them): Scp_Signature would pass for the SDK's.
	name := http.CanonicalHeaderKey(strings.ReplaceAll(key, "_", "-"))
	switch {
	case !validHeaderName(key):
		return "is not a valid header name"
	case strings.HasPrefix(name, "Scp-"), name == "Authorization", name == "X-Auth-Token":
		return "is set by the SDK (signing and authentication) and cannot be set per call"
	case name == "Host", name == "Content-Length", name == "Transfer-Encoding", name == "Connection",
		name == "Accept-Encoding": // set by the caller, it stops net/http decompressing answers
		return "is managed by net/http and cannot be set per call"
	case !headerSafe(value):
		return "has a value that cannot be sent as it is (control characters or surrounding white space)"
	}
	return ""
}

// validHeaderName reports whether k is an HTTP token.
func validHeaderName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// WithCallRetryPolicy replaces the client's RetryPolicy for this call only.
func WithCallRetryPolicy(p RetryPolicy) CallOption {
	return func(o *callOptions) {
		rp := p.internal()
		o.retry = &rp
	}
}

// WithCallWaitPolicy replaces the client's WaitPolicy for this call of a
// waiter only.
func WithCallWaitPolicy(p WaitPolicy) CallOption {
	return func(o *callOptions) { o.wait = &p }
}

// newCallOptions applies opts; nil options are skipped.
func newCallOptions(opts []CallOption) *callOptions {
	o := &callOptions{}
	for _, opt := range opts {
		if opt != nil {
			opt(o)
		}
	}
	return o
}

// check returns the *ValidationError of refused options, or nil.
func (o *callOptions) check() error {
	if len(o.problems) == 0 {
		return nil
	}
	return &ValidationError{Request: "WithHeader", Fields: o.problems}
}

// report fills the caller's Response, if one was asked for.
func (o *callOptions) report(r Response) {
	if o.response != nil {
		*o.response = r
	}
}

// forInnerCall returns options for a call the SDK makes on its own behalf
// within this one (the reads that check a lost answer, the catalog's
// lookup): the same retries and headers, trace ids among them, but it
// fills no Response, and carries no idempotency key: the key names the
// caller's write, and an idempotency middleware could fail or answer a
// read under it with the write's stored answer.
func (o *callOptions) forInnerCall() *callOptions {
	inner := *o
	inner.response = nil
	inner.header = nil
	for k, v := range o.header {
		if idempotencyKey(k) {
			continue
		}
		if inner.header == nil {
			inner.header = make(http.Header, len(o.header))
		}
		inner.header[k] = v
	}
	return &inner
}

// idempotencyKey reports whether a header is an idempotency key
// (Idempotency-Key, X-Idempotency-Key, spelt with "-" or "_").
func idempotencyKey(name string) bool {
	switch http.CanonicalHeaderKey(strings.ReplaceAll(name, "_", "-")) {
	case "Idempotency-Key", "X-Idempotency-Key":
		return true
	}
	return false
}

// Ptr returns a pointer to v, for the pointer fields of Set requests:
// &scpvpn.GatewaySetRequest{Description: scpvpn.Ptr("edge")}.
func Ptr[T any](v T) *T { return &v }
