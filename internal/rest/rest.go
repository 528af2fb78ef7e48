// Package rest is the SDK's one request path: it sends an API call, retries it
// under a retry.Policy, logs each attempt, decodes the answer and reports
// failures as *StatusError or *TransportError. resty lives here and nowhere
// else; no resty type leaves this package.
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
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/scpsdk/scpvpn/internal/redact"
	"github.com/scpsdk/scpvpn/internal/retry"
)

const (
	// MaxErrorBody bounds how much of an error answer is read and kept.
	MaxErrorBody = 1 << 20
	// maxBody bounds a successful answer, so a hostile or broken server
	// cannot exhaust memory; the largest page of the API is far below it.
	maxBody = 64 << 20
	// drainLimit is how much of an unread body is discarded so that the
	// connection can be reused; larger leftovers close the connection.
	drainLimit = 64 << 10
)

// Config is fixed when the client is built.
type Config struct {
	// BaseURL is scheme://host with an optional path prefix, no trailing slash.
	BaseURL string
	// HTTPClient sends one attempt. Signing happens in its transport, so that
	// every attempt is signed afresh.
	HTTPClient *http.Client
	// Header is sent with every request.
	Header http.Header
	// Retry says how often and how patiently to retry.
	Retry retry.Policy
	// Logger receives a debug record per attempt; nil disables logging.
	Logger *slog.Logger
	// LogBodies adds redacted request and response bodies to those records.
	LogBodies bool
	// Now is the clock for Retry-After dates; nil means time.Now.
	Now func() time.Time
	// StatusError turns a failed answer into the error callers get; nil
	// returns the *StatusError itself.
	StatusError func(*StatusError) error
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
	rc := resty.NewWithClient(cfg.HTTPClient).
		SetLogger(discardLogger{}).
		SetDisableWarn(true).
		// Retries are ours (retry.Policy): resty would retry every method,
		// POST included, on any transport error.
		SetRetryCount(0)
	for k, v := range cfg.Header {
		rc.Header[k] = v
	}
	return &Client{cfg: cfg, resty: rc}
}

// Request is one API call.
type Request struct {
	Method string
	// Path is the escaped path below BaseURL, starting with "/".
	Path string
	// Query is an encoded query string without "?", or "".
	Query string
	// Header holds headers of this call only (such as the API version).
	Header http.Header
	// Body is the JSON body, sent byte for byte on every attempt; nil for none.
	Body []byte
}

// URL returns the full URL of r under c.
func (c *Client) URL(r *Request) string {
	if r.Query == "" {
		return c.cfg.BaseURL + r.Path
	}
	return c.cfg.BaseURL + r.Path + "?" + r.Query
}

// Do sends r until it succeeds, fails for good or runs out of attempts, and
// decodes a successful JSON answer into out (unless out is nil).
//
// Errors: for an answer that is not 2xx, what Config.StatusError makes of
// the *StatusError (the *StatusError itself by default); *TransportError
// when no answer came or the context ended, wrapping the context's error,
// and the last answer if the context ended while waiting to retry;
// *DecodeError when a successful answer could not be read.
func (c *Client) Do(ctx context.Context, r *Request, out any) error {
	target := c.URL(r)
	if err := ctx.Err(); err != nil {
		return &TransportError{Method: r.Method, URL: target, Err: err} // nothing sent
	}
	maxAttempts := max(c.cfg.Retry.MaxAttempts, 1)
	for attempt := 1; ; attempt++ {
		start := time.Now()
		resp, err := c.send(ctx, r, target) //nolint:bodyclose // decode and readStatusError close it
		// Only a failed attempt is blamed on an ended context: an answer that
		// did arrive is read below, so that a create the service accepted is
		// not reported as failed.
		if err != nil && ctx.Err() != nil {
			// The context's own error, not the transport's rendering of it.
			c.logAttempt(ctx, r, target, attempt, start, nil, err, nil)
			return &TransportError{Method: r.Method, URL: target, Attempts: attempt, Err: ctx.Err()}
		}
		if err != nil {
			c.logAttempt(ctx, r, target, attempt, start, nil, err, nil)
			err = unwrapURLError(err)
			if attempt < maxAttempts && retry.Retryable(r.Method, 0, err) {
				if werr := c.wait(ctx, attempt, nil); werr != nil {
					return &TransportError{Method: r.Method, URL: target, Attempts: attempt, Err: werr, Last: err}
				}
				continue
			}
			return &TransportError{Method: r.Method, URL: target, Attempts: attempt, Err: err}
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return c.decode(ctx, r, target, attempt, start, resp, out)
		}
		failure := c.readStatusError(ctx, r, target, attempt, start, resp)
		switch {
		case r.Method == http.MethodDelete && resp.StatusCode == http.StatusNotFound && attempt > 1:
			// An earlier attempt whose answer was lost did delete it.
			return nil
		case attempt < maxAttempts && retry.Retryable(r.Method, resp.StatusCode, nil):
			if werr := c.wait(ctx, attempt, resp.Header); werr != nil {
				return &TransportError{Method: r.Method, URL: target, Attempts: attempt, Err: werr, Last: failure}
			}
		default:
			return failure
		}
	}
}

// wait pauses before the attempt after attempt, as the policy and the
// server's Retry-After say, and returns the context's error if it ends first.
func (c *Client) wait(ctx context.Context, attempt int, h http.Header) error {
	return retry.Sleep(ctx, c.cfg.Retry.Delay(attempt, h, c.cfg.Now()))
}

// send makes one attempt. The caller owns the response body.
func (c *Client) send(ctx context.Context, r *Request, target string) (*http.Response, error) {
	req := c.resty.R().SetContext(ctx).SetDoNotParseResponse(true)
	for k, v := range r.Header {
		req.Header[k] = v
	}
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
		// A fresh reader per attempt: identical bytes, and net/http can
		// rewind it (GetBody) for its own safe retries.
		req.SetBody(bytes.NewReader(r.Body))
	}
	res, err := req.Execute(r.Method, target)
	var resp *http.Response
	if res != nil {
		resp = res.RawResponse
	}
	if err != nil {
		closeBody(resp)
		return nil, err
	}
	if resp == nil {
		return nil, errors.New("no response")
	}
	return resp, nil
}

// decode reads a successful answer into out, logs the attempt, and releases
// the connection.
func (c *Client) decode(ctx context.Context, r *Request, target string, attempt int, start time.Time, resp *http.Response, out any) error {
	defer closeBody(resp)
	body := io.LimitReader(resp.Body, maxBody)
	if out != nil && c.logBodies(ctx) {
		// Buffered only when the caller asked to see bodies.
		b, err := io.ReadAll(body)
		c.logAttempt(ctx, r, target, attempt, start, resp, err, b)
		if err != nil {
			return &TransportError{Method: r.Method, URL: target, Attempts: attempt, Err: err}
		}
		body = bytes.NewReader(b)
	} else {
		c.logAttempt(ctx, r, target, attempt, start, resp, nil, nil)
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(body).Decode(out); err != nil {
		if ctx.Err() != nil {
			return &TransportError{Method: r.Method, URL: target, Attempts: attempt, Err: ctx.Err()}
		}
		if errors.Is(err, io.EOF) {
			err = errors.New("empty body")
		}
		return &DecodeError{Method: r.Method, URL: target, StatusCode: resp.StatusCode, Err: err}
	}
	return nil
}

// readStatusError keeps at most MaxErrorBody bytes of a failed answer, logs
// the attempt, releases the connection, and returns the error the caller
// gets for it.
func (c *Client) readStatusError(ctx context.Context, r *Request, target string, attempt int, start time.Time, resp *http.Response) error {
	defer closeBody(resp)
	body, _ := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody+1))
	truncated := len(body) > MaxErrorBody
	if truncated {
		body = body[:MaxErrorBody]
	}
	var logged []byte
	if c.logBodies(ctx) {
		logged = body
	}
	c.logAttempt(ctx, r, target, attempt, start, resp, nil, logged)
	se := &StatusError{
		StatusCode: resp.StatusCode,
		Method:     r.Method,
		URL:        target,
		Header:     resp.Header,
		Body:       body,
		Truncated:  truncated,
		Attempts:   attempt,
	}
	if c.cfg.StatusError != nil {
		return c.cfg.StatusError(se)
	}
	return se
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
// signature is not; bodies only on request, redacted.
func (c *Client) logAttempt(ctx context.Context, r *Request, target string, attempt int, start time.Time, resp *http.Response, err error, respBody []byte) {
	l := c.cfg.Logger
	if l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := make([]slog.Attr, 0, 9)
	attrs = append(attrs,
		slog.String("method", r.Method),
		slog.String("url", target),
		slog.Int("attempt", attempt),
		slog.Duration("duration", time.Since(start)),
	)
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if id := RequestID(resp.Header); id != "" {
			attrs = append(attrs, slog.String("request_id", id))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", unwrapURLError(err).Error()))
	}
	if c.logBodies(ctx) {
		if r.Body != nil {
			attrs = append(attrs, slog.String("request_body", redact.JSON(r.Body)))
		}
		if respBody != nil {
			attrs = append(attrs, slog.String("response_body", redact.JSON(respBody)))
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
		if v := h.Get(k); v != "" {
			return v
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
