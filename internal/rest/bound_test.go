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
	first := s.join(t0, d)
	end, ok := first.ctx.Deadline()
	require.True(t, ok)
	assert.Equal(t, t0.Add(d), end, "the first attempt gets the whole timeout")

	assert.Same(t, first, s.join(t0.Add(999*time.Millisecond), d), "an attempt starting within the window shares the bound")
	later := s.join(t0.Add(time.Second), d)
	assert.NotSame(t, first, later, "one starting after it gets a bound of its own")
	end, _ = later.ctx.Deadline()
	assert.Equal(t, t0.Add(time.Second+d), end)

	var short sharedBounds
	s0 := time.Now()
	b := short.join(s0, 160*time.Millisecond)
	assert.Same(t, b, short.join(s0.Add(9*time.Millisecond), 160*time.Millisecond), "a short timeout shares for a sixteenth of it")
	assert.NotSame(t, b, short.join(s0.Add(10*time.Millisecond), 160*time.Millisecond))
}

// Every attempt gets at least 15/16 of the timeout, and at most all of it.
func TestSharedBoundsBoundEachAttemptByAboutTheTimeout(t *testing.T) {
	t.Parallel()
	const d = 800 * time.Millisecond
	var s sharedBounds
	t0 := time.Now()
	for step := time.Duration(0); step < 3*time.Second; step += 7 * time.Millisecond {
		start := t0.Add(step)
		b := s.join(start, d)
		end, ok := b.ctx.Deadline()
		require.True(t, ok)
		got := end.Sub(start)
		assert.LessOrEqual(t, got, d, "at %v", step)
		assert.GreaterOrEqual(t, got, d-d/16, "at %v", step)
		b.leave()
	}
}

// A bound ends, releasing what hangs on it, once it is closed to new
// attempts and none holds it; never while one does.
func TestSharedBoundEndsOnceIdleAndClosed(t *testing.T) {
	t.Parallel()
	const d = 160 * time.Millisecond // a window of 10ms
	var s sharedBounds
	held := s.join(time.Now(), d)
	idle := s.join(time.Now(), d)
	require.Same(t, held, idle)
	idle.leave()
	time.Sleep(30 * time.Millisecond) // the window is closed
	assert.NoError(t, held.ctx.Err(), "an attempt still holds it")
	held.leave()
	assert.ErrorIs(t, held.ctx.Err(), context.Canceled, "the last to leave a closed bound ends it")

	quiet := s.join(time.Now(), d)
	quiet.leave() // within the window: it stays open to others
	assert.NoError(t, quiet.ctx.Err())
	assert.Eventually(t, func() bool { return quiet.ctx.Err() != nil }, time.Second, time.Millisecond,
		"with nobody left to end it, it ends when its window closes")
	assert.NotSame(t, quiet, s.join(time.Now(), d), "an ended bound is never joined")
}

// A bound ended between an attempt finding it and joining it is not used.
func TestSharedBoundEndedIsNotJoined(t *testing.T) {
	t.Parallel()
	var s sharedBounds
	now := time.Now()
	b := s.join(now, time.Hour)
	b.leave()
	b.endIfIdle() // as if its window had closed
	require.Error(t, b.ctx.Err())
	again := s.join(now, time.Hour) // still within the window by this clock
	assert.NotSame(t, b, again)
	assert.NoError(t, again.ctx.Err())
}

type valueKey struct{}

func TestBoundCtx(t *testing.T) {
	t.Parallel()
	var s sharedBounds
	caller := context.WithValue(context.Background(), valueKey{}, "the caller's")
	ctx := &boundCtx{values: caller, bound: s.join(time.Now(), 50*time.Millisecond).ctx}

	assert.Equal(t, "the caller's", ctx.Value(valueKey{}), "the caller's values are seen below")
	assert.True(t, Owned(ctx), "the request path owns the request")
	assert.False(t, Owned(caller))
	_, ok := ctx.Deadline()
	assert.True(t, ok)
	require.NoError(t, ctx.Err())

	// What net/http does for each attempt: a context of its own, hung on
	// the attempt's, which ends with the bound.
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
	ctx := &boundCtx{values: context.Background(), bound: s.join(time.Now(), time.Minute).ctx}
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
