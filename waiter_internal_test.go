package scpvpn

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// How the waiters' pauses grow.

func TestWaitPolicyPauses(t *testing.T) {
	t.Parallel()
	pauses := func(p WaitPolicy, n int) []time.Duration {
		var out []time.Duration
		var d time.Duration
		for range n {
			d = p.next(d)
			out = append(out, d)
		}
		return out
	}
	s := time.Second
	assert.Equal(t, []time.Duration{2 * s, 4 * s, 8 * s, 16 * s, 30 * s, 30 * s}, pauses(DefaultWaitPolicy(), 6))
	assert.Equal(t, []time.Duration{s, 2 * s, 3 * s, 3 * s}, pauses(WaitPolicy{MinDelay: s, MaxDelay: 3 * s}, 4))
	assert.Equal(t, []time.Duration{2 * s, 4 * s, 5 * s}, pauses(WaitPolicy{MaxDelay: 5 * s}, 3), "a zero MinDelay takes the default, not a tight loop")
	assert.Equal(t, []time.Duration{40 * s, 40 * s}, pauses(WaitPolicy{MinDelay: 40 * s}, 2), "a zero MaxDelay never caps below MinDelay")
}
