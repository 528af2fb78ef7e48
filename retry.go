package scpvpn

// This file holds RetryPolicy, which says how often and how patiently a call
// is retried; which failures may be retried is the SDK's to decide.

import (
	"time"

	"github.com/scpsdk/scpvpn/internal/retry"
)

// RetryPolicy says how many attempts a call gets and how long to wait between
// them. The SDK decides which failures may be retried, so that nothing is done
// twice by accident: GET, PUT and DELETE are retried on connection errors, on
// 429, 502, 503 and 504, and when a successful answer is cut short; a POST
// (create) only when the service certainly did not act on it (no byte of it
// was sent, or it was answered with the service's own 429 or 503, which hold
// the API's error body), because otherwise it may have created the resource
// already. A 429 without the API's error body (a proxy's, which may have
// forwarded the request first) is retried for a GET, PUT or DELETE, as a 502
// is, since sending them again changes nothing more; a POST so answered is
// never sent again.
//
// When an attempt of a write may have reached the service and been acted on
// (its request was written and no answer came, it was answered with a 5xx
// other than the service's own 503, such as a proxy's 502, 504, 520 or 524,
// or with a 4xx without the API's error body, such as a proxy's or CDN's 404
// page or 429, or its 2xx answer was cut short or held nothing readable:
// for a Delete, any body but white space; for a create, a resource that
// does not hold what it asked for) and the call then fails, even with a 409
// or 404 that may be that attempt's own doing, the SDK reads the resource
// back. A Set succeeds only if the resource holds
// every value it asked for (a pre-shared key, never read back, cannot be
// confirmed), a Delete if the resource is DELETING, DELETED or gone (the
// service's 404), a Create if exactly one resource matches it (see
// GatewayService.Create); Response.Settled then says so. Otherwise the call's
// error also matches ErrOutcomeUnknown (an *OutcomeUnknownError). After the
// service's own 4xx or 503 (the API's error body) or a request that was
// never written (net/http's trace tells; with a transport that is not
// net/http's, only a failed dial does), the service did not act, and an
// answer the service gave (a 4xx) is its verdict, reported as it is.
//
// A duration left at zero (or set below it) takes DefaultRetryPolicy's value,
// so that a policy that only sets MaxAttempts still backs off and still caps
// Retry-After.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included; 1 or
	// less means no retries.
	MaxAttempts int
	// BaseDelay is the backoff ceiling after the first attempt; it doubles
	// with every attempt up to MaxDelay, and the wait is drawn uniformly
	// below it (full jitter).
	BaseDelay time.Duration
	// MaxDelay caps the backoff.
	MaxDelay time.Duration
	// MaxRetryAfter caps how long a Retry-After header (seconds or an HTTP
	// date) is honoured.
	MaxRetryAfter time.Duration
}

// internal returns the request path's policy. Zero durations take the
// defaults: without them a retry would follow at once, and a server's
// Retry-After could park a call for a day.
func (p RetryPolicy) internal() retry.Policy {
	d := DefaultRetryPolicy()
	if p.BaseDelay <= 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = d.MaxDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = d.MaxRetryAfter
	}
	return retry.Policy{
		MaxAttempts:   p.MaxAttempts,
		BaseDelay:     p.BaseDelay,
		MaxDelay:      p.MaxDelay,
		MaxRetryAfter: p.MaxRetryAfter,
	}
}

// DefaultRetryPolicy is used unless WithRetryPolicy or WithoutRetries says
// otherwise: 3 attempts, backoff from 500ms capped at 20s, Retry-After up to
// one minute.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, BaseDelay: 500 * time.Millisecond, MaxDelay: 20 * time.Second, MaxRetryAfter: time.Minute}
}

// DefaultTimeout bounds each attempt unless WithTimeout says otherwise.
const DefaultTimeout = 60 * time.Second

// DefaultAcceptLanguage is sent unless WithAcceptLanguage says otherwise.
const DefaultAcceptLanguage = "en-US"
