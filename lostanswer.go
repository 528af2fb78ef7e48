package scpvpn

// This file holds the rule on lost answers of a Set or a Delete. When a
// call may have reached the service (an attempt's request was written and
// no answer came, its answer was a 5xx but the service's own 503 or a 4xx
// without the API's error body, or a successful answer was cut short or
// said nothing readable, for a Delete any body but white space; see
// internal/rest) and no answer confirmed what it did, the
// SDK reads the resource back: it reports success, with Response.Settled,
// only where the resource confirms it, and an *OutcomeUnknownError
// otherwise. Among those answers: a retry refused with 409 (the resource
// is EDITING or DELETING) or 404 (it is gone), which may be the first
// attempt's own doing. A false conflict is safe (the caller retries); a
// false success loses data. Creates are settled in lostcreate.go.

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// settleSet decides a Set that may have been done: it succeeded if the
// resource, read back, is ACTIVE or EDITING and holds every value the
// request asked for; the resource read back is then returned.
func (a resourceAPI[T, W, A]) settleSet(ctx context.Context, id string, err error, holds func(*T) bool, co *callOptions) (*T, error) {
	unknown := &OutcomeUnknownError{Op: "set " + a.noun + " " + id, Err: err}
	if ctx.Err() != nil {
		unknown.Found = notReadBack
		return nil, unknown
	}
	r, gerr := a.get(ctx, id, co.forInnerCall())
	if gerr != nil {
		unknown.Found = readBackFailed(gerr)
		return nil, unknown
	}
	switch s := (*r).lifecycleState(); {
	case s != StateActive && s != StateEditing:
		unknown.Found = fmt.Sprintf("the %s is %s", a.noun, s)
	case !holds(r):
		unknown.Found = fmt.Sprintf("the %s is %s and does not hold every value asked for", a.noun, s)
	default:
		co.markSettled()
		return r, nil
	}
	return nil, unknown
}

// settleDelete decides a Delete that may have been done: it succeeded if
// the resource is gone (the service's own 404), DELETING or DELETED, since
// what the caller asked for is then happening.
func (a resourceAPI[T, W, A]) settleDelete(ctx context.Context, id string, err error, co *callOptions) error {
	if errors.Is(err, ErrNotFound) {
		// A retry's 404, after an attempt that may have deleted it.
		co.markSettled()
		return nil
	}
	unknown := &OutcomeUnknownError{Op: "delete " + a.noun + " " + id, Err: err}
	if ctx.Err() != nil {
		unknown.Found = notReadBack
		return unknown
	}
	r, gerr := a.get(ctx, id, co.forInnerCall())
	switch {
	case errors.Is(gerr, ErrNotFound):
		co.markSettled()
		return nil
	case gerr != nil:
		unknown.Found = readBackFailed(gerr)
		return unknown
	}
	if s := (*r).lifecycleState(); s != StateDeleting && s != StateDeleted {
		unknown.Found = fmt.Sprintf("the %s is %s", a.noun, s)
		return unknown
	}
	co.markSettled()
	return nil
}

// markSettled tells the caller's Response that a read-back settled the call.
func (o *callOptions) markSettled() {
	if o.response != nil {
		o.response.Settled = true
	}
}

// notReadBack says why nothing was read back: the context had ended.
const notReadBack = "not done, the context had ended"

// readBackFailed says how reading back failed.
func readBackFailed(err error) string {
	return "failed: " + strings.TrimPrefix(err.Error(), "scpvpn: ")
}

// What a Set request asks for is checked by its heldBy, beside its
// declaration (models.go, models_v1_0.go, models_v1_1.go), with the helpers
// below. Lists are compared as sets: the service may keep them in another
// order. A pre-shared key is never read back, so a request that sets one can
// never be confirmed.

// heldDescription: a nil description was not asked for.
func heldDescription(want *string, have string) bool { return want == nil || *want == have }

// heldInt and heldString: a zero value was not asked for (omitempty).
func heldInt(want, have int) bool       { return want == 0 || want == have }
func heldString(want, have string) bool { return want == "" || want == have }

// heldSet: an empty list was not asked for (omitempty); otherwise the
// same values.
func heldSet[E comparable](want, have []E) bool {
	return len(want) == 0 || sameSet(want, have)
}
