package scpvpn

// This file holds the errors the SDK returns: the sentinels, APIError (and
// how it reads the API's error bodies), ValidationError and
// ResourceFailedError.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/scpsdk/scpvpn/internal/redact"
	"github.com/scpsdk/scpvpn/internal/rest"
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
	// ErrNotFound is a 404 of the service, with its error body: no such
	// gateway or tunnel (a 404 without it matches ErrUnexpectedAnswer).
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
	// ErrNoEndpoint is returned by NewClient and NewClientFromEnv when no
	// endpoint was given, nor any way to find one, and by the calls of a
	// client made WithCatalog whose catalog lists no VPN endpoint for it
	// (or lists its region with different URLs), or answers 404: no
	// catalog at that auth URL. A failure of the catalog never matches
	// ErrNotFound, ErrConflict or ErrBadRequest: no call reached the VPN
	// service (see WithCatalog).
	ErrNoEndpoint = errors.New("scpvpn: no endpoint")
	// ErrInvalidEndpoint is returned by NewClient when an endpoint (or an
	// IAM auth URL) was given but cannot be used: not an http or https
	// URL, credentials or a query in it, or a path ending in /v1, which the
	// SDK adds itself. The calls of a client made WithCatalog return it
	// when the catalog lists a URL they cannot use. The message quotes it
	// (without its user name or password) and says what would work.
	ErrInvalidEndpoint = errors.New("scpvpn: invalid endpoint")
	// ErrNoCredentials is returned by NewClient when the access key or the
	// secret key is missing.
	ErrNoCredentials = errors.New("scpvpn: no credentials")
	// ErrOutcomeUnknown matches a write (a create, a change, a delete)
	// that may have reached the service, whose outcome no answer confirmed
	// and no read-back settled: it may have been done. Check before
	// retrying; an *OutcomeUnknownError says what the read-back found.
	ErrOutcomeUnknown = errors.New("scpvpn: outcome unknown")
	// ErrUnexpectedAnswer matches an answer the VPN API does not give: a
	// 2xx that does not decode or lacks what it must hold, a 404 without
	// the API's error body (a proxy's, a wrong path prefix), a page larger
	// than asked, an informational (1xx) answer or a redirect (3xx). It
	// says nothing of what the service did.
	ErrUnexpectedAnswer = errors.New("scpvpn: unexpected answer")
)

// APIError is an answer of the API whose status is not 2xx, after any
// retries. errors.Is matches it against the sentinel of its status, such as
// ErrConflict for 409. A 404 matches ErrNotFound only when its Body is the
// API's error body (a JSON object with an "errors" array); any other 404
// (a proxy's, an empty one, a wrong path prefix) matches ErrUnexpectedAnswer
// instead, since it says nothing of the resource.
type APIError struct {
	// StatusCode is the HTTP status of the last answer.
	StatusCode int
	// Method and URL are the request's; the values of query parameters
	// named like secrets (pre_shared_key, say) are replaced in URL.
	Method string
	URL    string
	// Code is the code of the first entry of the API's error body that has
	// one, such as "HmacValidFail" or
	// "scp-network.vpc-endpoint.subnet-not-found"; "" when none has.
	Code string
	// Details are the messages of the API's error body, in order.
	Details []string
	// Body is the start of the answer's body, at most 64 KiB, with every
	// secret of the call replaced.
	Body []byte
	// RequestID is the request id the server sent, if it sent one; quote it
	// to SCP support.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
}

// Error says what was asked, what came back and why, in one line. What
// the server sent (its error details, its request id) is quoted inert:
// control characters (new lines and terminal escapes among them), line
// separators and the Unicode bidirectional formatting characters are
// written as \u escapes, so that a hostile or broken server cannot forge
// log lines or act on the terminal of whoever reads the message. Details
// and the other fields hold the text as it came (secrets replaced).
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
	} else if text := plainBody(e.Body); text != "" {
		b.WriteString(": ")
		b.WriteString(strconv.Quote(text))
	}
	if e.StatusCode == http.StatusNotFound && !rest.IsErrorObject(e.Body) {
		b.WriteString(": not the VPN API's answer (a proxy's, or a wrong endpoint path?)")
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
	return inert(b.String())
}

// inert returns s with every character that could act rather than show
// (see actsOnText) written as a \u escape, and every byte that is not
// UTF-8 as a \x escape; s itself when it has none.
func inert(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if actsOnText(r) || r == utf8.RuneError && size == 1 {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case actsOnText(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// actsOnText reports whether r may act on a log or a terminal instead of
// showing, as the command line judges (cmd/scpvpn's unsafeRune), and
// stricter for a message that is one line: every C0 control, tab and new
// line included (ESC starts terminal escapes), DEL, the C1 controls
// (U+009B is a one-byte CSI), the line and paragraph separators, and the
// bidirectional formatting characters, which reorder what is shown.
func actsOnText(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c || r == 0x200e || r == 0x200f: // ALM, LRM, RLM
		return true
	case r == 0x2028 || r == 0x2029: // line and paragraph separators
		return true
	case r >= 0x202a && r <= 0x202e: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	}
	return false
}

// Is matches the sentinel of the error's status.
func (e *APIError) Is(target error) bool {
	if e.StatusCode < 200 || e.StatusCode/100 == 3 { // the SDK asks for no 1xx and follows no 3xx
		return target == ErrUnexpectedAnswer
	}
	switch e.StatusCode {
	case http.StatusBadRequest:
		return target == ErrBadRequest
	case http.StatusUnauthorized:
		return target == ErrUnauthorized
	case http.StatusForbidden:
		return target == ErrForbidden
	case http.StatusNotFound:
		// Only the service says what it does not have: a proxy's 404 (a
		// wrong path prefix, a route being reloaded) says nothing of it.
		if rest.IsErrorObject(e.Body) {
			return target == ErrNotFound
		}
		return target == ErrUnexpectedAnswer
	case http.StatusConflict:
		return target == ErrConflict
	case http.StatusTooManyRequests:
		return target == ErrRateLimited
	}
	return false
}

// maxPlainBody bounds the text of a plain answer quoted in a message.
const maxPlainBody = 200

// plainBody returns the first line of a body that is short plain text (a
// router's "404 page not found", a proxy's "upstream connect error"), to
// be quoted in a message, or "" for any other: empty, JSON (its details
// are read as such), HTML, or not text. A longer one is cut, with "...".
func plainBody(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || strings.IndexByte("{[<", body[0]) >= 0 || !utf8.Valid(body) {
		return ""
	}
	line, _, _ := bytes.Cut(body, []byte("\n"))
	line = bytes.TrimSpace(line)
	if len(line) > maxPlainBody {
		cut := maxPlainBody
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		return string(line[:cut]) + "..."
	}
	return string(line)
}

// pathOf shortens a URL to its path and query for messages; the host is
// the client's endpoint and adds nothing a reader can act on. The values
// of query parameters named like secrets (a Client.Do's pre_shared_key)
// are replaced.
func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" {
		return redact.URL(raw)
	}
	return redact.URL(u.RequestURI())
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

// OutcomeUnknownError is a write that may have reached the service and
// whose outcome is unknown: its answer was lost or confirmed nothing, and
// reading the resource back did not settle it. It may have been done: check
// (Candidates, or a List or Get) before retrying, or the retry may do it
// twice. errors.Is(err, ErrOutcomeUnknown) matches it; errors.Is and
// errors.As also see what went wrong with the call through Err (the
// *APIError of a 502, say, or the context's error).
type OutcomeUnknownError struct {
	// Op names the write, such as "create VPN gateway gw1" or "delete VPN
	// tunnel 0fdd87aab8cb46f59b7c1f81ed03fb3e".
	Op string
	// Candidates are the resources read back that may be the write's
	// doing (a *Gateway, *Tunnel or *TunnelV1Dot1 each): for a create,
	// those that match the request, created since shortly before the call
	// began; none when the read-back found none, several when it could not
	// tell them apart. When the read-back's clocks disagree (a resource
	// created after the answer that lists it, see GatewayService.Create),
	// every one that matches the request, whenever created. A Set or
	// Delete leaves it empty.
	Candidates []any
	// Found says what reading back found, or why it could not be done.
	Found string
	// Err is what went wrong with the call.
	Err error
}

// Error says what may have been done, what was found, and what to do. Found
// and Op may hold the server's text (a state or an id read back), so the
// message is written inert, like APIError's: characters that could act on
// a log or a terminal show as escapes.
func (e *OutcomeUnknownError) Error() string {
	var b strings.Builder
	b.WriteString("scpvpn: ")
	b.WriteString(e.Op)
	b.WriteString(": outcome unknown, it may have been done")
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "scpvpn: "))
	}
	if e.Found != "" {
		b.WriteString("; read back: ")
		b.WriteString(e.Found)
	}
	b.WriteString("; check before retrying")
	return inert(b.String())
}

// Is matches ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// Unwrap returns what went wrong with the call.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// unexpectedAnswerError is an answer the VPN API does not give, such as a
// 2xx that does not decode. It matches ErrUnexpectedAnswer, and unwraps to
// the cause (a *json.SyntaxError, say).
type unexpectedAnswerError struct {
	msg string
	err error
}

// unexpectedAnswer returns an error matching ErrUnexpectedAnswer that says
// msg, wrapping cause (which may be nil).
func unexpectedAnswer(cause error, format string, args ...any) error {
	return &unexpectedAnswerError{msg: fmt.Sprintf(format, args...), err: cause}
}

func (e *unexpectedAnswerError) Error() string { return e.msg }

func (e *unexpectedAnswerError) Is(target error) bool { return target == ErrUnexpectedAnswer }

func (e *unexpectedAnswerError) Unwrap() error { return e.err }

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

// The API answers errors as {"errors":[{"code": ..., "detail": "text" |
// ["text", ...], ...}]}; some version 1.0 400s are a bare list of
// {"loc": [...], "msg": "...", "type_": "...", "ctx": {...}}.
type errorBody struct {
	Errors []errorEntry `json:"errors"`
}

type errorEntry struct {
	Code    string          `json:"code"`
	Title   string          `json:"title"`
	Message string          `json:"message"`
	Detail  json.RawMessage `json:"detail"`
}

// validationEntry is vpn-1.0.openapi.yaml's ValidationErrorModel, whose
// fields are each nullable and none required (internal/rest.IsErrorBody
// takes a list of them for the service's word).
type validationEntry struct {
	Loc  []any  `json:"loc"`
	Msg  string `json:"msg"`
	Type string `json:"type_"`
}

// maxDetails bounds how many details an error keeps: a message of a
// thousand parts helps nobody.
const maxDetails = 20

// errorDetails returns the human-readable details of an error body, in
// order, and the code of its first entry that has one. It never fails: an
// error body is only ever a hint.
func errorDetails(body []byte) (details []string, code string) {
	body = bytes.TrimLeft(body, " \t\r\n")
	if len(body) == 0 {
		return nil, ""
	}
	switch body[0] {
	case '{':
		var env errorBody
		if json.Unmarshal(body, &env) != nil {
			return nil, ""
		}
		for _, e := range env.Errors {
			if code == "" {
				code = e.Code
			}
			details = append(details, e.details()...)
		}
	case '[':
		var list []validationEntry
		if json.Unmarshal(body, &list) != nil {
			return nil, ""
		}
		for _, v := range list {
			if d := v.detail(); d != "" {
				details = append(details, d)
			}
		}
	}
	if len(details) > maxDetails {
		details = append(details[:maxDetails:maxDetails], "and "+strconv.Itoa(len(details)-maxDetails)+" more")
	}
	return details, code
}

func (e errorEntry) details() []string {
	var texts []string
	var one string
	if json.Unmarshal(e.Detail, &one) == nil {
		if one != "" {
			texts = []string{one}
		}
	} else {
		var many []string
		if json.Unmarshal(e.Detail, &many) == nil {
			for _, s := range many {
				if s != "" {
					texts = append(texts, s)
				}
			}
		}
	}
	if len(texts) == 0 {
		switch {
		case e.Message != "":
			texts = []string{e.Message}
		case e.Title != "":
			texts = []string{e.Title}
		}
	}
	if e.Code == "" {
		return texts
	}
	if len(texts) == 0 {
		return []string{e.Code}
	}
	for i, t := range texts {
		if !strings.Contains(t, e.Code) {
			texts[i] = e.Code + ": " + t
		}
	}
	return texts
}

func (v validationEntry) detail() string {
	var path []string
	for _, p := range v.Loc {
		switch p := p.(type) {
		case string:
			path = append(path, p)
		case float64:
			path = append(path, strconv.FormatFloat(p, 'f', -1, 64))
		}
	}
	switch {
	case len(path) == 0 && v.Msg == "":
		return v.Type // the kind of problem is all it says
	case len(path) == 0:
		return v.Msg
	case v.Msg == "":
		return strings.Join(path, ".")
	}
	return strings.Join(path, ".") + ": " + v.Msg
}
