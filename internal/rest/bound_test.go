package rest

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSharedBoundsShareWithinTheirWindowOnly(t *testing.T) {
	t.Parallel()
	const d = 160 * time.Second // a window of d/16, capped at a second
	var s sharedBounds
	t0 := time.Now()
	first := s.at(t0, d)
	end, ok := first.Deadline()
	require.True(t, ok)
	assert.Equal(t, t0.Add(d), end, "the first attempt gets the whole timeout")

	assert.Same(t, first, s.at(t0.Add(999*time.Millisecond), d), "an attempt starting within the window shares the bound")
	later := s.at(t0.Add(time.Second), d)
	assert.NotSame(t, first, later, "one starting after it gets a bound of its own")
	end, _ = later.Deadline()
	assert.Equal(t, t0.Add(time.Second+d), end)

	var short sharedBounds
	s0 := time.Now()
	b := short.at(s0, 160*time.Millisecond)
	assert.Same(t, b, short.at(s0.Add(9*time.Millisecond), 160*time.Millisecond), "a short timeout shares for a sixteenth of it")
	assert.NotSame(t, b, short.at(s0.Add(10*time.Millisecond), 160*time.Millisecond))
}

// Every attempt gets at least 15/16 of the timeout, and at most all of it.
func TestSharedBoundsBoundEachAttemptByAboutTheTimeout(t *testing.T) {
	t.Parallel()
	const d = 800 * time.Millisecond
	var s sharedBounds
	t0 := time.Now()
	for step := time.Duration(0); step < 3*time.Second; step += 7 * time.Millisecond {
		start := t0.Add(step)
		end, ok := s.at(start, d).Deadline()
		require.True(t, ok)
		got := end.Sub(start)
		assert.LessOrEqual(t, got, d, "at %v", step)
		assert.GreaterOrEqual(t, got, d-d/16, "at %v", step)
	}
}

type valueKey struct{}

func TestBoundCtx(t *testing.T) {
	t.Parallel()
	caller := context.WithValue(context.Background(), valueKey{}, "the caller's")
	var s sharedBounds
	ctx := &boundCtx{Context: caller, bound: s.at(time.Now(), time.Hour)}

	assert.Equal(t, "the caller's", ctx.Value(valueKey{}), "the caller's values are seen below")
	_, ok := ctx.Deadline()
	assert.True(t, ok)
	require.NoError(t, ctx.Err())

	// What net/http does for each attempt: a context of its own, hung on
	// the attempt's, which ends with the bound (a short one here, which
	// may have ended already on a busy machine: it ends all the same).
	var short sharedBounds
	ctx = &boundCtx{Context: caller, bound: short.at(time.Now(), 50*time.Millisecond)}
	child, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stopped := make(chan struct{})
	stop := context.AfterFunc(ctx, func() { close(stopped) })
	defer stop()

	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the attempt's context did not end with its bound")
	}
	<-stopped
	assert.ErrorIs(t, ctx.Err(), context.DeadlineExceeded)
	assert.ErrorIs(t, child.Err(), context.DeadlineExceeded)
	assert.ErrorIs(t, context.Cause(child), context.DeadlineExceeded, "the cause is the bound's deadline")
	assert.True(t, errors.Is(context.Cause(ctx), context.DeadlineExceeded))
}

// Not parallel, so that no other test's goroutines come and go: contexts
// hung on an attempt's context (as net/http hangs one per attempt) cost no
// goroutine each, as they would on a context the context package cannot
// see through.
func TestBoundCtxCostsNoGoroutinePerChild(t *testing.T) {
	var s sharedBounds
	ctx := &boundCtx{Context: context.Background(), bound: s.at(time.Now(), time.Minute)}
	before := runtime.NumGoroutine()
	var cancels []context.CancelFunc
	for range 100 {
		_, cancel := context.WithCancel(ctx)
		cancels = append(cancels, cancel)
	}
	assert.Less(t, runtime.NumGoroutine()-before, 10)
	for _, cancel := range cancels {
		cancel()
	}
}
