package rest

// This file holds how an attempt is bounded in time when the caller's
// context cannot end: by a deadline that the attempts starting within a
// short window share, rather than one timer each.

import (
	"context"
	"math"
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
// It ends early, releasing what hangs on it, once no attempt holds it and
// none can join it any more.
type sharedBound struct {
	ctx   context.Context
	end   context.CancelFunc
	until time.Time
	users atomic.Int64 // attempts holding it; below zero once ended
}

// boundEnded is what users is set to when the bound ends: far enough below
// zero that attempts trying to join afterwards cannot bring it back up.
const boundEnded = math.MinInt64 / 2

// sharedBounds hands out shared deadlines; the zero value is ready.
type sharedBounds struct {
	last atomic.Pointer[sharedBound]
}

// join returns the bound of an attempt starting at now that the timeout d
// bounds: the last one handed out while it is open, or a new one ending at
// now+d. The attempt calls leave when it is over. A context.WithTimeout per
// attempt would cost a timer, a context and the map net/http's own context
// for the attempt joins, on every call.
func (s *sharedBounds) join(now time.Time, d time.Duration) *sharedBound {
	if b := s.last.Load(); b != nil && now.Before(b.until) && b.users.Add(1) > 0 {
		return b
	}
	share := min(d/boundShare, boundShareMax)
	ctx, end := context.WithDeadline(context.Background(), now.Add(d))
	b := &sharedBound{ctx: ctx, end: end, until: now.Add(share)}
	b.users.Store(1)
	// Concurrent first attempts may each store one; each attempt keeps the
	// one it got, which bounds it all the same.
	s.last.Store(b)
	time.AfterFunc(share, b.endIfIdle)
	return b
}

// leave says that an attempt holding b is over: the last one to leave once
// b is closed to new attempts ends it.
func (b *sharedBound) leave() {
	if b.users.Add(-1) == 0 && !time.Now().Before(b.until) {
		b.endIfIdle()
	}
}

// endIfIdle ends b unless an attempt holds it.
func (b *sharedBound) endIfIdle() {
	if b.users.CompareAndSwap(0, boundEnded) {
		b.end()
	}
}

// boundCtx is the context of an attempt whose caller's context cannot end:
// the caller's values, the request path's mark that it owns the request,
// and the end of a shared bound.
type boundCtx struct {
	values context.Context // the caller's
	bound  context.Context // a sharedBound's
}

func (c *boundCtx) Deadline() (time.Time, bool) { return c.bound.Deadline() }
func (c *boundCtx) Done() <-chan struct{}       { return c.bound.Done() }
func (c *boundCtx) Err() error                  { return c.bound.Err() }

func (c *boundCtx) Value(key any) any {
	if key == (ownedKey{}) {
		return true
	}
	// The bound holds no values but its own cancellation, which the context
	// package looks up under a key of its own: found there first, it lets
	// net/http's context for the attempt hang on the bound directly (no
	// goroutine), and context.Cause report the bound's end, even when the
	// caller's context hands on the values of one that has ended.
	if v := c.bound.Value(key); v != nil {
		return v
	}
	return c.values.Value(key)
}

func (c *boundCtx) String() string { return "rest.boundCtx" }
