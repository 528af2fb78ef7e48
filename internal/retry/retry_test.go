package retry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	errDial  = &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	errDNS   = &net.DNSError{Err: "no such host", Name: "vpn.example", IsNotFound: true}
	errRead  = &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	errWrite = &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}
)

// asClient wraps err the way net/http's client does.
func asClient(err error) error {
	return &url.Error{Op: "Post", URL: "https://vpn.example/v1/vpn-tunnels", Err: err}
}

func TestNotSent(t *testing.T) {
	t.Parallel()
	for _, err := range []error{errDial, errDNS, asClient(errDial), asClient(errDNS), fmt.Errorf("x: %w", asClient(errDial))} {
		assert.True(t, NotSent(err), "%v", err)
	}
	for _, err := range []error{errRead, errWrite, io.EOF, io.ErrUnexpectedEOF, asClient(io.EOF), asClient(errRead), context.DeadlineExceeded, errors.New("tls: bad certificate")} {
		assert.False(t, NotSent(err), "%v", err)
	}
}

func TestRetryable(t *testing.T) {
	t.Parallel()
	idempotent := []string{http.MethodGet, http.MethodPut, http.MethodDelete}
	for _, m := range idempotent {
		for _, acted := range []bool{false, true} {
			for _, status := range []int{502, 503, 504} {
				assert.True(t, Retryable(m, status, nil, acted), "%s %d", m, status)
			}
			for _, status := range []int{200, 202, 301, 400, 401, 403, 404, 409, 500, 501, 520, 524} {
				assert.False(t, Retryable(m, status, nil, acted), "%s %d", m, status)
			}
			for _, err := range []error{errDial, errDNS, errRead, errWrite, io.EOF, io.ErrUnexpectedEOF} {
				assert.True(t, Retryable(m, 0, asClient(err), acted), "%s %v", m, err)
			}
		}
	}
	// A 429 to an idempotent request is retried whoever sent it: after a
	// proxy's (which may have forwarded it first) as after a 502. A POST
	// or another method that is not idempotent is not.
	for _, m := range idempotent {
		assert.True(t, Retryable(m, 429, nil, false), "%s 429 that did not act", m)
		assert.True(t, Retryable(m, 429, nil, true), "%s 429 of a proxy", m)
	}
	assert.True(t, Retryable(http.MethodHead, 429, nil, true), "HEAD 429 of a proxy")
	for _, m := range []string{http.MethodPatch, http.MethodPost} {
		assert.False(t, Retryable(m, 429, nil, true), "%s 429 that may have acted", m)
		assert.False(t, Retryable(m, 502, nil, true), "%s 502 that may have acted", m)
		assert.False(t, Retryable(m, 0, asClient(errRead), true), "%s %v, sent", m, errRead)
	}
	// A POST is sent again only when it did not act: not sent, the
	// service's own 429 or 503.
	for _, status := range []int{429, 503} {
		assert.True(t, Retryable(http.MethodPost, status, nil, false), "POST %d that did not act", status)
	}
	for _, status := range []int{200, 400, 409, 429, 500, 502, 503, 504, 520} {
		assert.False(t, Retryable(http.MethodPost, status, nil, true), "POST %d that may have acted", status)
	}
	for _, status := range []int{200, 400, 409, 500} {
		assert.False(t, Retryable(http.MethodPost, status, nil, false), "POST %d", status)
	}
	for _, err := range []error{errDial, errDNS, errRead, errWrite, io.EOF, io.ErrUnexpectedEOF} {
		assert.True(t, Retryable(http.MethodPost, 0, asClient(err), false), "POST %v, not sent", err)
	}
	for _, err := range []error{errDial, errRead, errWrite, io.EOF, io.ErrUnexpectedEOF, context.DeadlineExceeded} {
		assert.False(t, Retryable(http.MethodPost, 0, asClient(err), true), "POST %v, sent", err)
	}
}

func TestBackoffFullJitterCapped(t *testing.T) {
	t.Parallel()
	p := Policy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	for n := 1; n <= 70; n++ {
		ceiling := time.Second
		if n <= 4 {
			ceiling = 100 * time.Millisecond << (n - 1)
		}
		seen := map[time.Duration]bool{}
		var largest time.Duration
		for i := 0; i < 200; i++ {
			d := p.Backoff(n)
			require.GreaterOrEqual(t, d, time.Duration(0), "attempt %d", n)
			require.Less(t, d, ceiling, "attempt %d", n)
			seen[d] = true
			largest = max(largest, d)
		}
		assert.Greater(t, len(seen), 100, "attempt %d: the wait is drawn at random", n)
		assert.Greater(t, largest, ceiling/2, "attempt %d: the whole range is used", n)
	}
	assert.Zero(t, Policy{}.Backoff(1))
	assert.Zero(t, Policy{}.Backoff(0))
	only := Policy{MaxDelay: 10 * time.Millisecond}
	assert.Less(t, only.Backoff(3), 10*time.Millisecond)
	uncapped := Policy{BaseDelay: time.Millisecond}
	assert.Less(t, uncapped.Backoff(3), 4*time.Millisecond)
	assert.GreaterOrEqual(t, uncapped.Backoff(100), time.Duration(0), "no overflow")
}

func TestRetryAfterForms(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"0", 0, true},
		{"120", 2 * time.Minute, true},
		{"99999999", 24 * time.Hour, true},
		{"Sat, 01 Mar 2025 12:00:30 GMT", 30 * time.Second, true}, // RFC 1123
		{"Saturday, 01-Mar-25 12:01:00 GMT", time.Minute, true},   // RFC 850
		{"Sat Mar  1 12:00:05 2025", 5 * time.Second, true},       // ANSI C
		{"Sat, 01 Mar 2025 11:00:00 GMT", 0, true},                // past
		{"Sat, 01 May 2027 00:00:00 GMT", 24 * time.Hour, true},   // far: cut to a day
		{"", 0, false},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"2025-03-01T12:00:30Z", 0, false},
		{"99999999999999999999999", 0, false},
	}
	for _, tc := range cases {
		h := http.Header{}
		if tc.value != "" {
			h.Set("Retry-After", tc.value)
		}
		got, ok := ParseRetryAfter(h, now)
		assert.Equal(t, tc.ok, ok, "%q", tc.value)
		assert.Equal(t, tc.want, got, "%q", tc.value)
	}
	_, ok := ParseRetryAfter(nil, now)
	assert.False(t, ok)
}

func TestDelay(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	p := Policy{BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, MaxRetryAfter: 10 * time.Second}
	assert.Equal(t, 5*time.Second, p.Delay(1, http.Header{"Retry-After": {"5"}}, now))
	assert.Equal(t, 10*time.Second, p.Delay(1, http.Header{"Retry-After": {"3600"}}, now), "capped")
	assert.Equal(t, 10*time.Second, p.Delay(1, http.Header{"Retry-After": {"Sat, 01 Mar 2025 13:00:00 GMT"}}, now), "a date is capped too")
	assert.Equal(t, 3*time.Second, p.Delay(1, http.Header{"Retry-After": {"Sat, 01 Mar 2025 12:00:03 GMT"}}, now))
	assert.Zero(t, p.Delay(1, http.Header{"Retry-After": {"Sat, 01 Mar 2025 11:00:00 GMT"}}, now))
	assert.Less(t, p.Delay(1, http.Header{"Retry-After": {"later"}}, now), time.Millisecond, "unreadable: backoff")
	assert.Less(t, p.Delay(3, nil, now), 2*time.Millisecond, "no header: backoff")
}

func TestSleep(t *testing.T) {
	t.Parallel()
	require.NoError(t, Sleep(context.Background(), 0))
	require.NoError(t, Sleep(context.Background(), time.Millisecond))

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := Sleep(ctx, time.Hour)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 30*time.Second, "the hour's sleep ended with the context")

	done, cancel2 := context.WithCancel(context.Background())
	cancel2()
	assert.ErrorIs(t, Sleep(done, 0), context.Canceled)
	assert.ErrorIs(t, Sleep(done, time.Hour), context.Canceled)
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "120", "-1", "Sat, 01 Mar 2025 12:00:30 GMT", "Sat Mar  1 12:00:05 2025", "1e3", " 5", "9223372036854775807"} {
		f.Add(s)
	}
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	p := Policy{BaseDelay: time.Millisecond, MaxDelay: time.Second, MaxRetryAfter: time.Minute}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseRetryAfter(http.Header{"Retry-After": {v}}, now)
		if !ok && d != 0 {
			t.Fatalf("%q: %v without a value", v, d)
		}
		if d < 0 || d > 24*time.Hour {
			t.Fatalf("%q: wait %v out of range", v, d)
		}
		if got := p.Delay(1, http.Header{"Retry-After": {v}}, now); got < 0 || got > time.Minute {
			t.Fatalf("%q: delay %v out of range", v, got)
		}
	})
}

func TestPermanentErrorsAreNotRetried(t *testing.T) {
	t.Parallel()
	for _, err := range []error{
		&url.Error{Op: "Get", URL: "https://x", Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}},
		x509.HostnameError{Host: "vpn.example"},
		x509.CertificateInvalidError{Reason: x509.Expired},
		errors.New(`unsupported protocol scheme "ftp"`),
	} {
		for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodPost} {
			assert.False(t, Retryable(m, 0, err, false), "%s: %v", m, err)
		}
	}
	assert.True(t, Retryable(http.MethodGet, 0, errors.New("connection reset by peer"), true), "a passing fault still is")
}

func TestBackoffDoesNotOverflow(t *testing.T) {
	t.Parallel()
	p := Policy{BaseDelay: time.Hour, MaxDelay: 2 * time.Hour}
	assert.Equal(t, time.Hour, p.ceiling(1))
	for n := 2; n < 70; n++ {
		// Past the cap the bound stays the cap, however far the doubling
		// would overflow.
		assert.Equal(t, 2*time.Hour, p.ceiling(n), "attempt %d", n)
	}
	// A doubling that wraps round to a small positive number is still an
	// overflow: (2^62+1)·4 is 4 in int64.
	odd := Policy{BaseDelay: 1<<62 + 1, MaxDelay: 2 * time.Hour}
	assert.Equal(t, 2*time.Hour, odd.ceiling(3))
}
