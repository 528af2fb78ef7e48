package scpvpn

// This file holds the waiters, which poll a resource until its asynchronous
// change is done, and the WaitPolicy that paces them.

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// WaitPolicy paces the waiters (WaitUntilActive, WaitUntilDeleted): they poll
// Get at once, then after MinDelay, doubling the pause up to MaxDelay. A
// field that is zero takes DefaultWaitPolicy's value. Bound the whole wait
// with the context: a waiter keeps polling through a state it does not
// know, so that a state the service adds later does not break it, and only
// the context ends a wait that never reaches its state.
type WaitPolicy struct {
	// MinDelay is the pause after the first poll.
	MinDelay time.Duration
	// MaxDelay caps the pause.
	MaxDelay time.Duration
}

// DefaultWaitPolicy suits the real service, where a gateway takes minutes:
// pauses from 2 seconds up to 30 seconds.
func DefaultWaitPolicy() WaitPolicy {
	return WaitPolicy{MinDelay: 2 * time.Second, MaxDelay: 30 * time.Second}
}

// next returns the pause after one of delay. Fields that are zero or less
// take DefaultWaitPolicy's values, so that a partial policy never polls in a
// tight loop.
func (p WaitPolicy) next(delay time.Duration) time.Duration {
	def := DefaultWaitPolicy()
	if p.MinDelay <= 0 {
		p.MinDelay = def.MinDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = max(def.MaxDelay, p.MinDelay)
	}
	if delay <= 0 {
		delay = p.MinDelay
	} else {
		delay *= 2
	}
	return min(delay, p.MaxDelay)
}

// poll calls check until it reports done or fails, pausing between calls
// under p, and stops at once when ctx ends.
func poll(ctx context.Context, p WaitPolicy, check func() (bool, error)) error {
	var delay time.Duration
	for {
		done, err := check()
		if done || err != nil {
			return err
		}
		delay = p.next(delay)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// waitUntilActive polls Get until the resource is ACTIVE. ERROR ends the
// wait with ErrResourceFailed, DELETING and DELETED with an error; any other
// state, one the SDK does not know included, is taken as on its way and
// polled again: a state the service adds must not break old clients, so
// only the context bounds such a wait.
func (a resourceAPI[T, W, A]) waitUntilActive(ctx context.Context, id string, co *callOptions) (*T, error) {
	var last *T
	err := poll(ctx, a.client.waitPolicy(co), func() (bool, error) {
		r, err := a.get(ctx, id, co)
		if err != nil {
			return false, err
		}
		last = r
		switch s := (*r).lifecycleState(); s {
		case StateActive:
			return true, nil
		case StateError:
			return false, &ResourceFailedError{ID: id, Resource: r}
		case StateDeleting, StateDeleted:
			return false, fmt.Errorf("scpvpn: %s %s is %s and will not become %s", a.noun, id, s, StateActive)
		}
		return false, nil
	})
	if err != nil {
		return last, waitError(a.noun, id, StateActive, err)
	}
	return last, nil
}

// waitUntilDeleted polls Get until the resource is gone or DELETED.
func (a resourceAPI[T, W, A]) waitUntilDeleted(ctx context.Context, id string, co *callOptions) error {
	err := poll(ctx, a.client.waitPolicy(co), func() (bool, error) {
		r, err := a.get(ctx, id, co)
		if errors.Is(err, ErrNotFound) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		switch (*r).lifecycleState() {
		case StateDeleted:
			return true, nil
		case StateError:
			return false, &ResourceFailedError{ID: id, Resource: r}
		}
		return false, nil
	})
	return waitError(a.noun, id, StateDeleted, err)
}

// waitPolicy is the client's WaitPolicy, or the call's.
func (c *Client) waitPolicy(co *callOptions) WaitPolicy {
	if co.wait != nil {
		return *co.wait
	}
	return c.wait
}

// waitError says what was awaited when the context ended the wait.
func waitError(noun, id string, want State, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("scpvpn: waiting for %s %s to be %s: %w", noun, id, want, err)
	}
	return err
}
