package scpvpn

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What the wire tests cannot see from outside: the HTTP client the SDK
// builds (the default transport's bounds are internal/transport's).

func TestBuildHTTPClient(t *testing.T) {
	t.Parallel()
	target, _ := url.Parse("https://elsewhere.example/")
	redirect := &http.Request{URL: target}

	t.Run("default", func(t *testing.T) {
		t.Parallel()
		s := settings{}
		hc := s.buildHTTPClient()
		assert.Zero(t, hc.Timeout, "attempts are bounded by a context deadline instead")
		assert.Equal(t, DefaultTimeout, s.attemptTimeout())
		require.NotNil(t, hc.CheckRedirect)
		assert.ErrorIs(t, hc.CheckRedirect(redirect, []*http.Request{{URL: target}}), http.ErrUseLastResponse)
		base, ok := hc.Transport.(*http.Transport)
		require.True(t, ok, "the SDK's bounded transport, no wrapper: the request path signs every attempt")
		assert.GreaterOrEqual(t, base.MaxIdleConnsPerHost, 32)
	})

	t.Run("the caller's client is copied, not changed", func(t *testing.T) {
		t.Parallel()
		follow := func(*http.Request, []*http.Request) error { return nil }
		caller := &http.Client{Timeout: 7 * time.Second, CheckRedirect: follow}
		s := settings{httpClient: caller}
		hc := s.buildHTTPClient()
		assert.NotSame(t, caller, hc)
		assert.Zero(t, hc.Timeout)
		assert.Equal(t, 7*time.Second, s.attemptTimeout(), "the caller's timeout bounds each attempt")
		assert.Equal(t, 7*time.Second, caller.Timeout, "and stays on the caller's client")
		assert.ErrorIs(t, hc.CheckRedirect(redirect, nil), http.ErrUseLastResponse, "redirects are never followed")
		assert.Nil(t, caller.Transport, "the caller's client keeps its transport")
		assert.NoError(t, caller.CheckRedirect(redirect, nil), "and its redirect policy")
		_, ok := hc.Transport.(*http.Transport)
		assert.True(t, ok, "a client without a transport gets the SDK's bounded one")
	})

	t.Run("timeouts", func(t *testing.T) {
		t.Parallel()
		s := settings{}
		WithTimeout(250 * time.Millisecond)(&s)
		assert.Equal(t, 250*time.Millisecond, s.attemptTimeout())
		WithTimeout(0)(&s)
		assert.Zero(t, s.attemptTimeout(), "no bound besides the context's")

		s = settings{httpClient: &http.Client{}}
		assert.Equal(t, DefaultTimeout, s.attemptTimeout(), "a caller's client without a timeout still gets the SDK's bound")
		s = settings{httpClient: &http.Client{Timeout: time.Second}}
		WithTimeout(3 * time.Second)(&s)
		assert.Equal(t, 3*time.Second, s.attemptTimeout(), "WithTimeout wins over the caller's client")
	})
}
