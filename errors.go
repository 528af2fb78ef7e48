package scpvpn

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Sentinel errors, matched with errors.Is against the errors the SDK returns.
var (
	// ErrBadRequest is a 400: the service refused the request's content
	// (an invalid field, a quota reached).
	ErrBadRequest = errors.New("scpvpn: bad request")
	// ErrUnauthorized is a 401: the key pair is wrong, the signature did not
	// verify (HmacValidFail), the clock is off, or the service is not enabled
	// for the account in that region.
	ErrUnauthorized = errors.New("scpvpn: unauthorized")
	// ErrForbidden is a 403: the key pair may not do this.
	ErrForbidden = errors.New("scpvpn: forbidden")
	// ErrNotFound is a 404: no such gateway or tunnel.
	ErrNotFound = errors.New("scpvpn: not found")
	// ErrConflict is a 409: the resource is busy (not ACTIVE) or still in
	// use, such as a gateway that has tunnels.
	ErrConflict = errors.New("scpvpn: conflict")
	// ErrRateLimited is a 429: too many requests, even after retrying.
	ErrRateLimited = errors.New("scpvpn: rate limited")
	// ErrResourceFailed is returned by the waiters when a resource reaches
	// the ERROR state; the error also carries the resource (see
	// ResourceFailedError).
	ErrResourceFailed = errors.New("scpvpn: resource failed")
	// ErrNoEndpoint is returned by NewClient when no endpoint was given.
	ErrNoEndpoint = errors.New("scpvpn: no endpoint")
	// ErrNoCredentials is returned by NewClient when the access key or the
	// secret key is missing.
	ErrNoCredentials = errors.New("scpvpn: no credentials")
)

// APIError is an answer of the API whose status is not 2xx, after any
// retries. errors.Is matches it against the sentinel of its status, such as
// ErrNotFound for 404.
type APIError struct {
	// StatusCode is the HTTP status of the last answer.
	StatusCode int
	// Method and URL are the request's.
	Method string
	URL    string
	// Details are the messages of the API's error body, in order.
	Details []string
	// Body is the start of the answer's body, at most 1 MiB.
	Body []byte
	// RequestID is the request id the server sent, if it sent one; quote it
	// to SCP support.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
}

// Error says what was asked, what came back and why, in one line.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("scpvpn: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(pathOf(e.URL))
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteByte(' ')
		b.WriteString(text)
	}
	if len(e.Details) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(e.Details, "; "))
	}
	var extra []string
	if e.RequestID != "" {
		extra = append(extra, "request id "+e.RequestID)
	}
	if e.Attempts > 1 {
		extra = append(extra, strconv.Itoa(e.Attempts)+" attempts")
	}
	if len(extra) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(extra, ", "))
		b.WriteByte(')')
	}
	return b.String()
}

// Is matches the sentinel of the error's status.
func (e *APIError) Is(target error) bool {
	switch e.StatusCode {
	case http.StatusBadRequest:
		return target == ErrBadRequest
	case http.StatusUnauthorized:
		return target == ErrUnauthorized
	case http.StatusForbidden:
		return target == ErrForbidden
	case http.StatusNotFound:
		return target == ErrNotFound
	case http.StatusConflict:
		return target == ErrConflict
	case http.StatusTooManyRequests:
		return target == ErrRateLimited
	}
	return false
}

// pathOf shortens a URL to its path and query for messages; the host is
// the client's endpoint and adds nothing a reader can act on.
func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" {
		return raw
	}
	return u.RequestURI()
}

// ValidationError is a request that the SDK refused before sending it,
// because fields break the API's rules. Nothing was sent.
type ValidationError struct {
	// Request names the request type or parameter, such as
	// "TunnelCreateRequestV1Dot1" or "id".
	Request string
	// Fields lists every broken rule, in field order.
	Fields []FieldError
}

// FieldError is one broken rule.
type FieldError struct {
	// Field is the field's path in the API's names, such as
	// "phase1.pre_shared_key".
	Field string
	// Problem says what is wrong, without repeating secret values.
	Problem string
}

// Error names every bad field and its problem.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("scpvpn: invalid ")
	b.WriteString(e.Request)
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteString(" ")
		b.WriteString(f.Problem)
	}
	return b.String()
}

// ResourceFailedError is returned by the waiters when a gateway or tunnel
// reaches the ERROR state. errors.Is(err, ErrResourceFailed) matches it.
type ResourceFailedError struct {
	// ID is the resource's id.
	ID string
	// Resource is the last state read: a *Gateway, *Tunnel or *TunnelV1Dot1.
	Resource any
}

// Error names the resource that failed.
func (e *ResourceFailedError) Error() string {
	return fmt.Sprintf("scpvpn: %s reached state %s", e.ID, StateError)
}

// Is matches ErrResourceFailed.
func (e *ResourceFailedError) Is(target error) bool { return target == ErrResourceFailed }
