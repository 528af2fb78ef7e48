package vpntest

// This file holds the error answers: their codes, their JSON body, and
// how answers are written.

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Error codes of the bodies the fake answers. HmacValidFail and
// ContactAdminForAssistance are the service's own; the others are in the
// same spirit.
const (
	codeInvalidAccessKey   = "InvalidAccessKey"
	codeInvalidTimestamp   = "InvalidTimestamp"
	codeTimestampExpired   = "TimestampExpired"
	codeHmacValidFail      = "HmacValidFail"
	codeUnsupportedVersion = "UnsupportedApiVersion"
	codeInvalidBody        = "InvalidRequestBody"
	codeInvalidParameter   = "InvalidParameter"
	codeQuotaExceeded      = "QuotaExceeded"
	codeNotFound           = "NotFound"
	codeConflict           = "Conflict"
)

// apiError is an error answered to the client as
// {"errors":[{"code": ..., "detail": ...}, ...]}, one entry per detail.
type apiError struct {
	status  int
	code    string
	details []string
	// validation, when set, is the body instead of the errors envelope
	// (see validationError).
	validation []validationEntry
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.status, e.code, strings.Join(e.details, "; "))
}

// errorf returns an apiError with one detail.
func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, details: []string{fmt.Sprintf(format, args...)}}
}

// errorEntry and errorBody are the wire form of an apiError.
type errorEntry struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

type errorBody struct {
	Errors []errorEntry `json:"errors"`
}

func (e *apiError) body() errorBody {
	b := errorBody{Errors: make([]errorEntry, 0, len(e.details))}
	for _, d := range e.details {
		b.Errors = append(b.Errors, errorEntry{Code: e.code, Detail: d})
	}
	return b
}

// routeError is the answer of a router in front of the service to a
// request it cannot route: plain text, without the API's error body, as
// such routers answer (the SDK must not take it for the service's word).
type routeError struct {
	status int
	text   string
	allow  string // Allow header of a 405
}

func (e *routeError) Error() string { return fmt.Sprintf("%d %s", e.status, e.text) }

// writeError answers err: a *routeError as plain text, an *apiError with
// the API's error body, anything else as a 500.
func writeError(w http.ResponseWriter, err error) {
	var re *routeError
	if errors.As(err, &re) {
		if re.allow != "" {
			w.Header().Set("Allow", re.allow)
		}
		http.Error(w, re.text, re.status)
		return
	}
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = errorf(http.StatusInternalServerError, "ContactAdminForAssistance", "internal error: %v", err)
	}
	if ae.validation != nil {
		writeJSON(w, ae.status, ae.validation)
		return
	}
	writeJSON(w, ae.status, ae.body())
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// The fake only encodes its own plain types.
		panic("vpntest: encoding response: " + err.Error())
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
