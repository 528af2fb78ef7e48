// Package rest is the SDK's request path: it sends the attempts of one call
// through resty, retries them under a retry.Policy, logs each attempt, and
// hands a successful answer's body to the caller's decoder. It reports
// facts (the status, the attempts, whether an attempt before the last may
// have reached the service) and leaves what they mean to its caller. resty
// lives here and nowhere else; no resty type leaves this package.
package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/scpsdk/scpvpn/internal/redact"
	"github.com/scpsdk/scpvpn/internal/retry"
)

const (
	// MaxErrorBody bounds how much of an error answer is read and kept.
	MaxErrorBody = 64 << 10
	// drainLimit is how much of an unread body is discarded so that the
	// connection can be reused; larger leftovers close the connection.
	drainLimit = 64 << 10
)

// Config is fixed when the client is built.
type Config struct {
	// HTTPClient sends one attempt.
	HTTPClient *http.Client
	// Sign signs the request of every attempt as it goes to HTTPClient, so
	// that each carries a signature of its own: it is called in a later
	// Unix millisecond of the wall clock than the call's signature before
	// (a timestamp in milliseconds, time.Now's, is what it signs); nil
	// sends them unsigned.
	Sign func(*http.Request) error
	// Header is sent with every request.
	Header http.Header
	// Retry says how often and how patiently to retry.
	Retry retry.Policy
	// Logger receives a debug record per attempt; nil disables logging.
	Logger *slog.Logger
	// LogBodies adds redacted request and answer bodies to those records.
	LogBodies bool
	// Secrets are values that never reach a log record, wherever they
	// appear (the secret key, a token).
	Secrets *redact.Scrubber
	// SecretHeaders name request headers whose values (a signature) never
	// reach a log record either: those Sign sets, and those a signing
	// transport of the caller's below sets, which reports each request it
	// signed to Signed. A StatusError and a Result carry them in Sent.
	SecretHeaders []string
	// AttemptTimeout bounds each attempt, from sending it to reading the
	// whole answer, with a context deadline (which, unlike
	// http.Client.Timeout behind a wrapping transport, such as a caller's,
	// costs no goroutine); 0 for no bound besides the caller's context.
	AttemptTimeout time.Duration
	// Now is the clock for Retry-After dates; nil means time.Now.
	Now func() time.Time
}

// Client sends requests. It is safe for concurrent use.
type Client struct {
	cfg   Config
	resty *resty.Client
}

// New builds a Client from cfg.
func New(cfg Config) *Client {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Client{cfg: cfg}
	c.resty = resty.NewWithClient(cfg.HTTPClient).
		SetLogger(discardLogger{}).
		SetDisableWarn(true).
		// Retries are ours (retry.Policy): resty would retry every method,
		// POST included, on any transport error.
		SetRetryCount(0).
		SetPreRequestHook(c.prepare)
	for k, v := range cfg.Header {
		c.resty.Header[k] = v
	}
	return c
}

// prepare readies the request of an attempt as resty hands it to
// net/http: one that net/http sends at most once (sentOnce), signed, with
// its signature recorded for the attempt before it leaves (Signed): a
// server may echo it where no answer carries it back, and a signing
// transport below knows by it not to sign again, unless what it is handed
// was changed or is sent again (ClientSigning).
// The request is the attempt's own, built afresh for it, so it is signed
// as it is.
func (c *Client) prepare(_ *resty.Client, req *http.Request) error {
	sentOnce(req)
	if c.cfg.Sign == nil {
		return nil
	}
	s, ok := req.Context().Value(signedKey{}).(*signedSecrets)
	if !ok { // not an attempt's: nothing to record
		return c.cfg.Sign(req)
	}
	// A retry sent at once is stamped in a later millisecond than the
	// attempt before it, and so signed afresh.
	if err := s.signAfresh(req, c.cfg.Sign); err != nil {
		return err
	}
	s.signedByClient(req, c.cfg.Sign, nil)
	return nil
}

// Request is one API call.
type Request struct {
	Method string
	// URL is the full URL, as it is sent and signed.
	URL string
	// Header holds headers of this call only (such as the API version); they
	// replace the client's headers of the same name. It is only read.
	Header http.Header
	// Body is the JSON body, sent byte for byte on every attempt; nil for none.
	Body []byte
	// Retry replaces the client's policy for this call when not nil.
	Retry *retry.Policy
	// Decode reads a successful answer's body; nil discards it. A body
	// longer than MaxBody bytes ends with ErrTooLarge. When reading the
	// body fails (the connection is cut, or it ends before its announced
	// length), the answer was cut short, whatever Decode returns.
	Decode func(io.Reader) error
	// MaxBody bounds a successful answer (0: DefaultMaxBody).
	MaxBody int64
}

// DefaultMaxBody bounds a successful answer when a Request does not say.
const DefaultMaxBody = 1 << 20

// Result is what is known of a call, whether it succeeded or not.
type Result struct {
	// StatusCode and Header are those of the last answer; 0 and nil when
	// the last attempt got none.
	StatusCode int
	Header     http.Header
	// RequestID is the last answer's request id, or "".
	RequestID string
	// Sent holds the values of Config.SecretHeaders (the signature) of
	// every request signed for the call, every attempt's, recorded as they
	// were signed (see Signed): a server may echo any of them, answer or
	// not.
	Sent []string
	// Attempts is how many attempts were sent.
	Attempts int
	// EarlierMayHaveActed is whether an attempt before the last may have
	// reached the service and been acted on: its request was written and
	// no answer came, its answer was a 5xx (but the service's own 503), a
	// 4xx without the API's error body (a proxy's; but 401, 403 and 407,
	// refusals to forward) or informational (1xx),
	// or a successful answer was cut short. After the service's own 4xx or
	// 503 (its error body), or a request that was never written, the
	// service did not act.
	EarlierMayHaveActed bool
	// MayHaveActed is whether any attempt, the last included, may have
	// reached the service and been acted on, by the same rules; a 2xx
	// answer, read whole or not, was acted on.
	MayHaveActed bool
}

// URL returns base+path, with "?"+query when query is not empty.
func URL(base, path, query string) string {
	if query == "" {
		return base + path
	}
	return base + path + "?" + query
}

// Do sends r until it succeeds, fails for good or runs out of attempts.
//
// Errors: *StatusError for an answer that is not 2xx; *TransportError when
// no answer came or the context ended (with the last failure when it ended
// while waiting to retry); *DecodeError when a successful answer could not
// be read.
func (c *Client) Do(ctx context.Context, r *Request) (Result, error) {
	var res Result
	if err := ctx.Err(); err != nil {
		return res, &TransportError{Err: err} // nothing sent
	}
	policy := &c.cfg.Retry
	if r.Retry != nil {
		policy = r.Retry
	}
	maxAttempts := max(policy.MaxAttempts, 1)
	acted := false // whether an attempt so far may have been acted on
	var sent []string
	var lastSigned int64 // the Unix millisecond of the call's latest signature
	for n := 1; ; n++ {
		res = Result{Attempts: n, EarlierMayHaveActed: acted}
		a, rec := c.attempt(ctx, r, n, sent, lastSigned)
		sent, lastSigned = rec.sent(), rec.signed.latestMilli()
		res.Sent = sent
		thisActed := a.mayHaveActed()
		res.MayHaveActed = acted || thisActed
		if a.resp != nil {
			res.StatusCode, res.Header, res.RequestID = a.resp.StatusCode, a.resp.Header, RequestID(a.resp.Header)
		}
		if a.status != nil {
			a.status.Sent = sent // an answer may echo an earlier attempt's too
		}
		// Only a failed attempt is blamed on an ended context: an answer
		// that did arrive and was read is reported, so that a create the
		// service accepted is not reported as failed.
		if a.failed() && ctx.Err() != nil {
			return res, &TransportError{Attempts: n, Err: ctx.Err()}
		}
		var failure error
		retryable := false
		var retryAfter http.Header
		switch {
		case a.err != nil: // no answer
			failure = a.err
			retryable = retry.Retryable(r.Method, 0, a.err, thisActed)
		case a.cut != nil: // a successful answer, cut short
			if r.Method == http.MethodPost || n >= maxAttempts {
				return res, &DecodeError{StatusCode: a.resp.StatusCode, Cut: true, Err: a.cut}
			}
			// The service answered, so it acted; what it said was lost on
			// the way. Asking again is safe except for a create.
			failure, retryable = a.cut, true
		case a.status != nil:
			failure, retryAfter = a.status, a.resp.Header
			retryable = retry.Retryable(r.Method, a.status.StatusCode, nil, thisActed)
		default:
			return res, a.decodeErr // success, or an answer that is not what it should be
		}
		acted = acted || thisActed
		if !retryable || n >= maxAttempts {
			if a.status != nil {
				return res, a.status
			}
			return res, &TransportError{Attempts: n, Err: failure}
		}
		if werr := c.wait(ctx, policy, n, retryAfter); werr != nil {
			return res, &TransportError{Attempts: n, Err: werr, Last: failure}
		}
	}
}

// answerMayHaveActed reports whether an answer that is not 2xx may come
// after the service acted, which is the one rule of "may have acted" for
// answers: any 5xx may (a 500 is the service failing, perhaps after doing
// what was asked; a 502, 504, Cloudflare's 520 to 524 or Envoy's 503 for
// an upstream reset are a proxy's, after forwarding the request), but a
// 503 with the API's own error body: the service itself says it is
// unavailable, and did not act. An informational answer may too: no
// service of the API gives one, so whoever sent it got the request. A 4xx,
// 429 included, is a verdict given instead of acting only when it holds
// the API's error body: without it, it is a proxy's or a CDN's (its own
// 404 page, its rate limit), which may have forwarded the request first
// and spoiled the answer. Refusals to let a request through (401, 403,
// 407) are the exception: whoever gives them (the SCP gateway's "rejected
// by gateway", a WAF, a proxy asking for its credentials) does so instead
// of forwarding, so a bad key pair stays an authentication error rather
// than an outcome to settle.
func answerMayHaveActed(se *StatusError) bool {
	switch se.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusProxyAuthRequired:
		return false
	}
	switch {
	case se.StatusCode < 200:
		return true
	case se.StatusCode == http.StatusServiceUnavailable,
		se.StatusCode >= 400 && se.StatusCode < 500:
		return !IsErrorBody(se.Body)
	}
	return se.StatusCode >= 500
}

// IsErrorObject reports whether body is the API's error object: a JSON
// object with an "errors" array (white space around it allowed).
func IsErrorObject(body []byte) bool {
	var env struct {
		Errors json.RawMessage `json:"errors"`
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' || json.Unmarshal(body, &env) != nil {
		return false
	}
	return len(env.Errors) > 0 && env.Errors[0] == '['
}

// IsErrorBody reports whether body is the API's error body: a JSON object
// with an "errors" array, or the bare list of validation errors some
// version 1.0 400s answer (see isValidationList). Only the service writes
// them (a proxy's answers are pages or text), so only such an answer is
// the service's word.
func IsErrorBody(body []byte) bool {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return false
	}
	switch body[0] {
	case '{':
		return IsErrorObject(body)
	case '[':
		return isValidationList(body)
	}
	return false
}

// isValidationList reports whether body is a non-empty JSON array of
// vpn-1.0.openapi.yaml's ValidationErrorModel objects: each holds loc or
// msg (null allowed), loc null or an array and msg null or a string, so
// that an empty object or one of some other shape is not taken for it.
// Other fields (ctx, type_, or what FastAPI and pydantic add: type, input,
// url) are not judged: where sources disagree, the looser rule holds.
func isValidationList(body []byte) bool {
	var list []map[string]json.RawMessage
	if json.Unmarshal(body, &list) != nil || len(list) == 0 {
		return false
	}
	for _, entry := range list {
		if entry == nil { // a null element
			return false
		}
		_, loc := entry["loc"]
		_, msg := entry["msg"]
		if !loc && !msg {
			return false
		}
		if !nullOr(entry["loc"], '[') || !nullOr(entry["msg"], '"') {
			return false
		}
	}
	return true
}

// outcome is what one attempt came to: exactly one of err, cut, status
// and decodeErr is set, or none for a success.
type outcome struct {
	resp      *http.Response // the answer, body closed; nil when none came
	err       error          // no answer: a transport error
	notSent   bool           // with err: the request provably never left (see written)
	cut       error          // a successful answer whose body was cut short
	status    *StatusError   // an answer that is not 2xx
	decodeErr error          // a successful answer that could not be decoded
}

func (o outcome) failed() bool { return o.err != nil || o.cut != nil }

// mayHaveActed reports whether the service may have acted on the attempt:
// it may have reached the service, and no answer says it did not.
func (o outcome) mayHaveActed() bool {
	switch {
	case o.err != nil:
		return !o.notSent
	case o.status != nil:
		return answerMayHaveActed(o.status)
	}
	return true // a 2xx
}

// attempt sends r once and reads the answer, within the attempt timeout.
// earlier are the secrets of the call's attempts before this one, and
// lastSigned the Unix millisecond of their latest signature.
func (c *Client) attempt(ctx context.Context, r *Request, n int, earlier []string, lastSigned int64) (outcome, *attemptRecord) {
	start := time.Now()
	a := c.newAttempt(r, n, start, earlier, lastSigned)
	// The attempt's context holds where its signed secrets are recorded
	// (Signed).
	actx := context.WithValue(ctx, signedKey{}, &a.signed)
	if c.cfg.AttemptTimeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(actx, c.cfg.AttemptTimeout)
		defer cancel() // after the body is read and closed below
	}
	// An attempt that failed because its own deadline passed, the caller's
	// context still live, timed out.
	timedOut := func() bool { return ctx.Err() == nil && actx.Err() != nil }
	resp, err := c.send(a.traced(actx), r) //nolint:bodyclose // read and readError close it
	if err != nil {
		if status, header := a.in.answer(); status != 0 { // it ended the attempt
			return c.informationalOutcome(ctx, r, a, &http.Response{StatusCode: status, Header: header, Body: http.NoBody}), a
		}
		err = notSentAgain(unwrapURLError(err))
		notSent := a.written.notSent(err, actx.Err() != nil)
		c.logAttempt(ctx, r, a, nil, err, nil)
		if timedOut() {
			err = &AttemptTimeoutError{After: c.cfg.AttemptTimeout}
		}
		return outcome{err: err, notSent: notSent}, a
	}
	if resp.StatusCode < 200 { // final to net/http: a 101 over HTTP/1.1
		return c.informationalOutcome(ctx, r, a, resp), a
	}
	if resp.StatusCode >= 300 {
		return outcome{resp: resp, status: c.readError(ctx, r, a, resp)}, a
	}
	err = c.read(ctx, r, a, resp)
	var cut *cutError
	switch {
	case errors.As(err, &cut):
		if timedOut() {
			return outcome{resp: resp, cut: &AttemptTimeoutError{After: c.cfg.AttemptTimeout}}, a
		}
		return outcome{resp: resp, cut: cut.err}, a
	case err != nil:
		return outcome{resp: resp, decodeErr: err}, a
	}
	return outcome{resp: resp}, a
}

// AttemptTimeoutError is an attempt that took longer than the attempt
// timeout, the caller's context still live.
type AttemptTimeoutError struct {
	After time.Duration
}

func (e *AttemptTimeoutError) Error() string {
	return "the attempt timed out after " + e.After.String()
}

// Timeout reports true: an AttemptTimeoutError is a net.Error that timed
// out, as http.Client.Timeout's errors are.
func (e *AttemptTimeoutError) Timeout() bool { return true }

// Temporary reports true; it completes net.Error.
func (e *AttemptTimeoutError) Temporary() bool { return true }

// wait pauses before the attempt after attempt, as the policy and the
// server's Retry-After say, and returns the context's error if it ends first.
func (c *Client) wait(ctx context.Context, p *retry.Policy, attempt int, h http.Header) error {
	return retry.Sleep(ctx, p.Delay(attempt, h, c.cfg.Now()))
}

// send makes one attempt. The caller owns the answer's body.
func (c *Client) send(ctx context.Context, r *Request) (*http.Response, error) {
	req := c.resty.R().SetContext(ctx).SetDoNotParseResponse(true)
	for k, v := range r.Header {
		req.Header[k] = v
	}
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
		// A fresh reader per attempt: identical bytes. net/http gets no
		// way to rewind it (see sentOnce).
		req.SetBody(bytes.NewReader(r.Body))
	}
	res, err := req.Execute(r.Method, r.URL)
	var resp *http.Response
	if res != nil {
		resp = res.RawResponse
	}
	if err != nil {
		closeBody(resp)
		return nil, err
	}
	if resp == nil {
		return nil, errors.New("no answer")
	}
	return resp, nil
}

// read hands a successful answer to r.Decode, logs the attempt, and
// releases the connection. A body that could not be read to its end is a
// *cutError.
func (c *Client) read(ctx context.Context, r *Request, a *attemptRecord, resp *http.Response) error {
	limit := r.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	body := &answerBody{r: resp.Body, left: limit, announcedLonger: resp.ContentLength > limit}
	defer func() {
		if body.tooLarge {
			// Nothing of the rest is wanted, and waiting for it would hold
			// the call: the connection goes, rather than back to the pool.
			_ = resp.Body.Close()
			return
		}
		closeBody(resp)
	}()
	var src io.Reader = body
	var shown *shownBody
	if r.Decode != nil && c.logBodies(ctx) {
		// Only the start of the answer is kept for the log, so that
		// logging a body costs no more memory than decoding it.
		shown = &shownBody{r: body}
		src = shown
	}
	var err error
	if r.Decode != nil {
		err = r.Decode(src)
	}
	c.logAttempt(ctx, r, a, resp, body.failed, shown)
	switch {
	case err == nil:
		return nil
	case body.failed != nil:
		return &cutError{err: body.failed}
	}
	return &DecodeError{StatusCode: resp.StatusCode, Err: err}
}

// maxShownBody bounds the part of an answer that a log record shows.
const maxShownBody = 64 << 10

// shownBody keeps the start of an answer read through it, for a log
// record. A longer answer is shown by its size only: its secrets can be
// found only in the whole, and keeping the whole would cost what the
// decoder's bounds are there to spare.
type shownBody struct {
	r     io.Reader
	b     []byte // the first bytes, at most maxShownBody
	total int64  // the bytes read in all
}

func (s *shownBody) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if room := maxShownBody - len(s.b); room > 0 {
		s.b = append(s.b, p[:min(n, room)]...)
	}
	s.total += int64(n)
	return n, err
}

// String returns the answer as a log record shows it: its JSON with the
// values of secret keys replaced, or its size.
func (s *shownBody) String() string {
	if s.total > int64(len(s.b)) {
		return "[answer of more than " + strconv.Itoa(maxShownBody) + " bytes, not shown]"
	}
	return redact.JSON(s.b)
}

// ErrTooLarge ends a successful answer's body that is longer than the
// request allows.
var ErrTooLarge = errors.New("answer is too large")

// answerBody bounds a successful answer and remembers a failure to read it,
// which tells an answer cut short from one that is not JSON.
type answerBody struct {
	r               io.Reader
	left            int64
	announcedLonger bool    // its Content-Length is more than the bound
	failed          error   // a read error other than the end of the body
	tooLarge        bool    // it ended with ErrTooLarge
	probe           [1]byte // for the end, once left is spent
}

func (b *answerBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		if b.announcedLonger {
			b.tooLarge = true
			return 0, ErrTooLarge
		}
		// At the bound only the end may follow: an answer of exactly the
		// bound is not too large, whether or not its last read said so.
		n, err := b.r.Read(b.probe[:])
		switch {
		case n > 0:
			b.tooLarge = true
			return 0, ErrTooLarge
		case err != nil && err != io.EOF: //nolint:errorlint // io.EOF is returned bare by contract
			b.failed = err
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if err != nil && err != io.EOF { //nolint:errorlint // io.EOF is returned bare by contract
		b.failed = err
	}
	return n, err
}

// cutError is a successful answer that ended before its end.
type cutError struct{ err error }

func (e *cutError) Error() string { return "answer cut short: " + e.err.Error() }

// readError keeps at most MaxErrorBody bytes of a failed answer, logs the
// attempt, releases the connection, and returns the *StatusError for it.
func (c *Client) readError(ctx context.Context, r *Request, a *attemptRecord, resp *http.Response) *StatusError {
	defer closeBody(resp)
	body, _ := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody+1))
	truncated := len(body) > MaxErrorBody
	if truncated {
		body = body[:MaxErrorBody]
	}
	var shown *shownBody
	if c.logBodies(ctx) {
		shown = &shownBody{b: body[:min(len(body), maxShownBody)], total: int64(len(body))}
		if truncated {
			shown.total++
		}
	}
	c.logAttempt(ctx, r, a, resp, nil, shown)
	return c.statusError(a, resp, body, truncated)
}

// statusError is the *StatusError of an answer that is not 2xx, whose
// body (at most MaxErrorBody bytes of it) was read.
func (c *Client) statusError(a *attemptRecord, resp *http.Response, body []byte, truncated bool) *StatusError {
	return &StatusError{StatusCode: resp.StatusCode, Header: resp.Header, Body: body, Truncated: truncated, Sent: a.sent()}
}

// closeBody drains a little of what is left, so the connection goes back to
// the pool, and closes the body.
func closeBody(resp *http.Response) {
	if resp == nil || resp.Body == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, resp.Body, drainLimit)
	_ = resp.Body.Close()
}

func (c *Client) logBodies(ctx context.Context) bool {
	return c.cfg.LogBodies && c.cfg.Logger != nil && c.cfg.Logger.Enabled(ctx, slog.LevelDebug)
}

// logAttempt writes one debug record. Headers are never logged, so the
// signature and a token are not; bodies only on request, with secrets
// replaced both by value and by key.
func (c *Client) logAttempt(ctx context.Context, r *Request, a *attemptRecord, resp *http.Response, err error, respBody *shownBody) {
	l := c.cfg.Logger
	if l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	scrub := c.cfg.Secrets.With(redact.SecretsIn(r.Body)...).With(redact.SecretsInURL(r.URL)...).With(a.sent()...)
	attrs := make([]slog.Attr, 0, 9)
	attrs = append(attrs,
		slog.String("method", r.Method),
		slog.String("url", redact.URL(r.URL)), // a caller's query may name a secret (Client.Do)
		slog.Int("attempt", a.n),
		slog.Duration("duration", time.Since(a.start)),
	)
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if id := RequestID(resp.Header); id != "" {
			attrs = append(attrs, slog.String("request_id", scrub.String(id)))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", scrub.String(unwrapURLError(err).Error())))
	}
	if c.logBodies(ctx) {
		if r.Body != nil {
			attrs = append(attrs, slog.String("request_body", scrub.String(redact.JSON(r.Body))))
		}
		if respBody != nil {
			attrs = append(attrs, slog.String("response_body", scrub.String(respBody.String())))
		}
	}
	l.LogAttrs(ctx, slog.LevelDebug, "scpvpn: http attempt", attrs...)
}

// requestIDHeaders are where SCP and the proxies in front of it put a
// request's id, most specific first.
var requestIDHeaders = []string{"X-Request-Id", "Scp-Request-Id", "X-Scp-Request-Id", "Request-Id", "X-Trace-Id", "X-Correlation-Id"}

// RequestID returns the request id a server sent, or "".
func RequestID(h http.Header) string {
	for _, k := range requestIDHeaders {
		if v := h[k]; len(v) > 0 && v[0] != "" {
			return v[0]
		}
	}
	return ""
}

// unwrapURLError drops net/http's *url.Error, whose message repeats the
// method and URL that our own errors already carry.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// discardLogger silences resty, which would otherwise print to stderr.
type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}

// nullOr reports whether value, a JSON value or nothing, is absent, null,
// or a value whose first byte is first.
func nullOr(value json.RawMessage, first byte) bool {
	return len(value) == 0 || string(value) == "null" || value[0] == first
}
