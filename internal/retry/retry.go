// Package retry decides whether a failed attempt is tried again and how long
// to wait first. It knows nothing of HTTP clients: the request path in
// internal/rest asks it questions and does the waiting.
package retry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Policy says how many attempts an operation gets and how the waits between
// them grow. The zero value makes one attempt.
type Policy struct {
	// MaxAttempts is the total number of attempts, the first included.
	MaxAttempts int
	// BaseDelay is the backoff before the second attempt (before jitter).
	BaseDelay time.Duration
	// MaxDelay caps the exponential backoff.
	MaxDelay time.Duration
	// MaxRetryAfter caps how long a server's Retry-After is honoured.
	MaxRetryAfter time.Duration
}

// Retryable reports whether an attempt that ended with status (0 when no
// answer came) or err may be sent again. mayHaveActed is whether the
// attempt may have reached the service and been acted on, as the request
// path decides it (internal/rest holds that rule).
//
// GET, PUT and DELETE are idempotent: they are retried on any transport error
// that may pass and on 429, 502, 503 and 504, even when the attempt may have
// acted (a proxy's 429 or 502 after forwarding it): sent again, they change
// nothing more, and the request path settles a later answer that blames the
// earlier attempt (a 404 or 409). A POST creates a resource, so it is never
// sent again once it may have acted: it is retried only when it certainly
// did not (no byte of it was sent, or the answer was the service's own 429
// or 503), on the same failures. Any other method that is not idempotent
// (PATCH) is treated as a POST.
func Retryable(method string, status int, err error, mayHaveActed bool) bool {
	if mayHaveActed && !idempotent(method) {
		return false
	}
	if err != nil {
		return !permanent(err)
	}
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// idempotent reports whether sending a request of method twice has the
// effect of sending it once (RFC 9110, section 9.2.2).
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// permanent reports whether err will recur on every attempt, so that a retry
// only wastes the backoff: a certificate the client does not trust, or a
// request net/http cannot send at all.
func permanent(err error) bool {
	var (
		verifyErr   *tls.CertificateVerificationError
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidErr  x509.CertificateInvalidError
	)
	return errors.As(err, &verifyErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) ||
		errors.As(err, &invalidErr) || strings.Contains(err.Error(), "unsupported protocol scheme")
}

// NotSent reports whether err happened before any byte of the request could
// reach a server: a failed dial (connection refused, no route, DNS). It
// knows only what the error says; the request path, which can watch an
// attempt's request being written, asks it only when it could not (a
// transport that is not net/http's).
func NotSent(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

// Backoff returns the full-jitter wait before attempt n+1, n counting from 1:
// a uniform random duration in [0, min(MaxDelay, BaseDelay·2^(n-1))).
func (p Policy) Backoff(n int) time.Duration {
	c := p.ceiling(n)
	if c <= 0 {
		return 0
	}
	return rand.N(c) //nolint:gosec // jitter spreads retries; it needs no unpredictability
}

// ceiling is the bound of Backoff's jitter after attempt n.
func (p Policy) ceiling(n int) time.Duration {
	c := p.MaxDelay
	if p.BaseDelay > 0 && n >= 1 && n < 64 {
		// A shift that overflowed does not shift back to BaseDelay.
		if d := p.BaseDelay << (n - 1); d>>(n-1) == p.BaseDelay && (c <= 0 || d < c) {
			c = d
		}
	}
	return c
}

// Delay returns how long to wait before the attempt after attempt n: the
// server's Retry-After (see ParseRetryAfter) when it sent one, capped by
// MaxRetryAfter, otherwise Backoff(n).
func (p Policy) Delay(n int, header http.Header, now time.Time) time.Duration {
	if d, ok := ParseRetryAfter(header, now); ok {
		if p.MaxRetryAfter > 0 && d > p.MaxRetryAfter {
			d = p.MaxRetryAfter
		}
		return d
	}
	return p.Backoff(n)
}

// maxRetryAfter bounds what ParseRetryAfter returns, whatever the policy.
const maxRetryAfter = 24 * time.Hour

// ParseRetryAfter parses a Retry-After header in either of its forms: a number of
// seconds or an HTTP date. A date in the past is a wait of zero; either form
// is cut to a day.
func ParseRetryAfter(header http.Header, now time.Time) (time.Duration, bool) {
	v := header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	// A far date is cut like a large number of seconds (Sub saturates
	// rather than overflowing).
	return min(max(t.Sub(now), 0), maxRetryAfter), true
}

// Sleep waits for d or until ctx ends, whichever comes first, and returns the
// context's error in the second case.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
