package rest

// This file holds how an attempt is bounded in time when the caller's
// context cannot end: by a deadline that the attempts starting within a
// short window share, rather than one timer each.

import (
	"context"
	"sync/atomic"
	"time"
)

// boundShare is the part of the attempt timeout during which starting
// attempts share one deadline (at most boundShareMax): each attempt is
// bounded by at least the timeout less that part, and at most the timeout.
const (
	boundShare    = 16
	boundShareMax = time.Second
)

// sharedBound is a deadline that the attempts starting before until share.
type sharedBound struct {
	ctx   context.Context
	until time.Time
}

// sharedBounds hands out shared deadlines; the zero value is ready.
type sharedBounds struct {
	last atomic.Pointer[sharedBound]
}

// at returns the deadline of an attempt starting at now that the timeout d
// bounds: the last one handed out while it is open, or a new one ending at
// now+d. A context.WithTimeout per attempt would cost a timer and a
// context more on every call. Each attempt still hangs a context of its
// own on the bound, which ends with the attempt (see Client.attempt).
func (s *sharedBounds) at(now time.Time, d time.Duration) context.Context {
	if b := s.last.Load(); b != nil && now.Before(b.until) {
		return b.ctx
	}
	ctx, end := context.WithDeadline(context.Background(), now.Add(d)) //nolint:gosec // see below
	// The bound ends at its deadline, whose timer then lets it go: nothing
	// needs to end it before, as nothing but the attempts' own contexts
	// (ended with them) hangs on it.
	_ = end
	// Concurrent first attempts may each store one; each attempt keeps the
	// one it got, which bounds it all the same.
	s.last.Store(&sharedBound{ctx: ctx, until: now.Add(min(d/boundShare, boundShareMax))})
	return ctx
}

// boundCtx is the context of an attempt whose caller's context cannot end:
// the caller's values, and the end of a shared bound.
type boundCtx struct {
	context.Context                 // the caller's, with the attempt's record
	bound           context.Context // from sharedBounds
}

func (c *boundCtx) Deadline() (time.Time, bool) { return c.bound.Deadline() }
func (c *boundCtx) Done() <-chan struct{}       { return c.bound.Done() }
func (c *boundCtx) Err() error                  { return c.bound.Err() }

func (c *boundCtx) Value(key any) any {
	// The bound holds no values but its own cancellation, which the context
	// package looks up under a key of its own: found there first, it lets
	// net/http's context for the attempt hang on the bound directly (no
	// goroutine), and context.Cause report the bound's end, even when the
	// caller's context hands on the values of one that has ended.
	if v := c.bound.Value(key); v != nil {
		return v
	}
	return c.Context.Value(key)
}

func (c *boundCtx) String() string { return "rest.boundCtx" }
