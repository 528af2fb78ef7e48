package scpvpn

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/scpsdk/scpvpn/internal/retry"
)

// How a RetryPolicy is filled in before the request path uses it.

func TestRetryPolicyInternal(t *testing.T) {
	t.Parallel()
	def := DefaultRetryPolicy()

	got := DefaultRetryPolicy().internal()
	assert.Equal(t, retry.Policy{MaxAttempts: def.MaxAttempts, BaseDelay: def.BaseDelay, MaxDelay: def.MaxDelay, MaxRetryAfter: def.MaxRetryAfter}, got)

	// A policy that sets only MaxAttempts still backs off and still caps
	// Retry-After.
	got = RetryPolicy{MaxAttempts: 7}.internal()
	assert.Equal(t, 7, got.MaxAttempts)
	assert.Equal(t, def.BaseDelay, got.BaseDelay)
	assert.Equal(t, def.MaxDelay, got.MaxDelay)
	assert.Equal(t, def.MaxRetryAfter, got.MaxRetryAfter)
	h := http.Header{"Retry-After": {"86400"}}
	assert.Equal(t, def.MaxRetryAfter, got.Delay(1, h, time.Now()), "a day of Retry-After is capped")

	got = RetryPolicy{MaxAttempts: 2, BaseDelay: -time.Second, MaxDelay: -1, MaxRetryAfter: -1}.internal()
	assert.Equal(t, def.BaseDelay, got.BaseDelay)
	assert.Equal(t, def.MaxDelay, got.MaxDelay)
	assert.Equal(t, def.MaxRetryAfter, got.MaxRetryAfter)

	custom := RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, MaxRetryAfter: 3 * time.Millisecond}
	assert.Equal(t, retry.Policy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, MaxRetryAfter: 3 * time.Millisecond}, custom.internal())
}
