package scpvpn_test

// How a soak worker makes one call: within its bound, watched for hangs,
// tagged so that the proxy can tell its requests apart, half the time with
// an idempotency header; and what is checked after every call: the
// requests on the wire against the attempts the SDK counted, a "not found"
// against the fake, a create's outcome against what the fake holds.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/scpsdk/scpvpn"
)

// soakTally counts what the soak's checks looked at.
type soakTally struct {
	keyed     atomic.Int64 // calls sent with an idempotency header
	wire      atomic.Int64 // requests of the counted calls that the proxy saw
	attempts  atomic.Int64 // attempts the SDK reported for those calls
	uncounted atomic.Int64 // requests beyond the attempts reported
	creates   atomic.Int64 // creates that ran
	settled   atomic.Int64 // of which reported done with Response.Settled
	// unknown counts the creates that ended ErrOutcomeUnknown, and
	// unknownHeld those of them whose resource the fake holds.
	unknown, unknownHeld atomic.Int64
}

// soakCounted are the operations whose requests are counted against
// Response.Attempts, by the method of their attempts (a read-back that
// settles a call is a GET of its own). A waiter's Response describes only
// its last poll, so waiters are not counted.
var soakCounted = map[string]string{"create": http.MethodPost, "get": http.MethodGet, "list": http.MethodGet, "set": http.MethodPut, "delete": http.MethodDelete}

// call runs one operation of the client under test within its call bound,
// and reports it as hung if it has not returned some slack after that. It
// hands f the call options every call gets: WithResponse, the tag, and
// half the time Idempotency-Key or X-Idempotency-Key (the headers on which
// net/http resends a request by itself).
func (w *soakWorker) call(op, resource string, f func(ctx context.Context, co []scpvpn.CallOption) error) (scpvpn.Response, error) {
	var resp scpvpn.Response
	if w.s.budget.Add(-1) < 0 {
		return resp, errSoakOver
	}
	noun, verb, _ := strings.Cut(op, " ")
	path := ""
	if verb != "create" && verb != "list" {
		path = soakTunnelPath(resource)
		if noun == "gateway" {
			path = soakGatewayPath(resource)
		}
	}
	w.calls++
	w.tag = fmt.Sprintf("w%02d-%07d", w.n, w.calls)
	co := []scpvpn.CallOption{scpvpn.WithResponse(&resp), scpvpn.WithHeader(soakTagHeader, w.tag)}
	switch w.rng.IntN(4) {
	case 0:
		co = append(co, scpvpn.WithHeader("Idempotency-Key", w.tag))
		w.s.tally.keyed.Add(1)
	case 1:
		co = append(co, scpvpn.WithHeader("X-Idempotency-Key", w.tag))
		w.s.tally.keyed.Add(1)
	}
	bound := w.s.cfg.callBound + w.s.cfg.slack
	ctx, cancel := context.WithTimeout(context.Background(), w.s.cfg.callBound)
	defer cancel()
	tag := w.tag
	dog := time.AfterFunc(bound, func() {
		w.s.violate(soakHang, "worker %d (%s): %s %s has not returned %s after it started; requests of the call:%s",
			w.n, w.proto(), op, resource, bound, w.s.tagJournal(tag))
		w.s.hungOnce.Do(func() {
			close(w.s.hung)
			if w.s.cfg.onHang != nil {
				w.s.cfg.onHang()
			}
		})
	})
	err := f(ctx, co)
	dog.Stop()
	w.s.ops.Add(1)
	if method, ok := soakCounted[verb]; ok {
		w.countAttempts(op, resource, method, resp.Attempts)
	}
	if errors.Is(err, scpvpn.ErrNotFound) && path != "" {
		w.checkNotFound(noun, op, resource, err)
	}
	if err != nil {
		w.s.errs.Add(1)
		kind := soakErrorKind(err)
		if kind == "cut-body" && verb != "create" {
			w.s.cutBodies.Add(1)
			// An attempt cut short on its way may not have been recorded
			// by the proxy: the SDK's count is taken too.
			if m, ok := soakRetriedOnCuts[verb]; ok && max(w.s.sent(w.tag, m), resp.Attempts) < soakMaxAttempts {
				w.s.cutNotRetried.Add(1)
			}
		}
		w.s.mu.Lock()
		w.s.errKinds[kind]++
		w.s.mu.Unlock()
	}
	return resp, err
}

// countAttempts holds the requests with method that the proxy saw of the
// last call against the attempts the SDK reported: more on the wire is a
// request the SDK did not decide (net/http resent it below the SDK).
func (w *soakWorker) countAttempts(op, resource, method string, attempts int) {
	wire := w.s.sent(w.tag, method)
	t := &w.s.tally
	t.wire.Add(int64(wire))
	t.attempts.Add(int64(attempts))
	if wire > attempts {
		t.uncounted.Add(int64(wire - attempts))
		w.s.violate(soakUncounted, "worker %d (%s): %s %s: %d %s requests reached the proxy, Response.Attempts says %d; requests of the call:%s",
			w.n, w.proto(), op, resource, wire, method, attempts, w.s.tagJournal(w.tag))
	}
}

// checkNotFound holds a call's ErrNotFound against the fake: a resource
// the fake holds, not on its way out, is not gone.
func (w *soakWorker) checkNotFound(noun, op, id string, err error) {
	st, serr := w.s.heldState(noun, id)
	if errors.Is(serr, scpvpn.ErrNotFound) || serr == nil && (st == scpvpn.StateDeleting || st == scpvpn.StateDeleted) {
		return
	}
	w.s.violate(soakFalseGone, "worker %d (%s): %s %s -> %v; the fake holds %s; requests of the call:%s",
		w.n, w.proto(), op, id, err, soakHolds(serr, func() string { return "it " + string(st) }), w.s.tagJournal(w.tag))
}

// soakCreate is a create's outcome as the SDK reported it.
type soakCreate struct {
	noun, name string
	where      string // " on <gateway id>" for a tunnel
	v11        bool
	resp       scpvpn.Response
	err        error
	id         string // the id reported
	returned   string // what the SDK returned, on success
}

// checkCreate holds the outcome of the worker's last call, a create,
// against ids, the resources of its name the fake holds, and counts it.
// One create makes at most one resource; one reported done is the one the
// fake holds; one reported failed made none, unless the failure says the
// outcome is unknown (ErrOutcomeUnknown), which allows 0 or 1.
func (w *soakWorker) checkCreate(c soakCreate, ids []string) {
	t := &w.s.tally
	t.creates.Add(1)
	unknown := errors.Is(c.err, scpvpn.ErrOutcomeUnknown)
	outcome := soakOutcome(c.err, c.returned)
	switch {
	case c.err == nil && c.resp.Settled:
		t.settled.Add(1)
		outcome += " (settled)"
	case unknown:
		t.unknown.Add(1)
		if len(ids) > 0 {
			t.unknownHeld.Add(1)
		}
	}
	head := fmt.Sprintf("worker %d (%s): %s create %q%s (v%s) -> %s (%d attempts)", w.n, w.proto(), c.noun, c.name, c.where, soakVersion(c.v11), outcome, c.resp.Attempts)
	switch {
	case len(ids) > 1:
		w.s.reportedDuplicate(c.name)
		w.s.violate(soakDuplicate, "%s; the fake holds %d %ss of that name: %v; requests of the call:%s", head, len(ids), c.noun, ids, w.s.tagJournal(w.tag))
	case c.err == nil && (len(ids) == 0 || ids[0] != c.id):
		w.s.violate(soakPhantom, "%s; the fake holds %v; requests of the call:%s", head, ids, w.s.tagJournal(w.tag))
	case c.err != nil && !unknown && len(ids) == 1:
		w.s.violate(soakUnreported, "%s; the fake holds it, %s (a caller who retries makes another); requests of the call:%s", head, ids[0], w.s.tagJournal(w.tag))
	}
}

// soakRetriedOnCuts are the operations on one resource whose cut answers
// may be retried, by the method they send.
var soakRetriedOnCuts = map[string]string{"get": http.MethodGet, "set": http.MethodPut, "delete": http.MethodDelete}

// soakErrorKind sorts the errors of the client under test, for the
// summary.
func soakErrorKind(err error) string {
	var apiErr *scpvpn.APIError
	msg := err.Error()
	switch {
	case errors.Is(err, scpvpn.ErrOutcomeUnknown):
		return "outcome-unknown"
	case errors.Is(err, scpvpn.ErrUnexpectedAnswer) && !errors.As(err, &apiErr):
		return "unexpected-answer"
	case errors.As(err, &apiErr):
		return strconv.Itoa(apiErr.StatusCode)
	case strings.Contains(msg, "Client.Timeout"):
		return "attempt-timeout"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline"
	case strings.Contains(msg, "unexpected EOF"):
		return "cut-body"
	case strings.Contains(msg, "stream error"):
		return "stream-reset"
	case strings.Contains(msg, "connection reset"), strings.Contains(msg, "EOF"):
		return "connection-lost"
	}
	return "other"
}

// errSoakOver stops a worker whose budget ran out between its checks.
var errSoakOver = errors.New("soak: no operations left")

// soakFakeCtx bounds a read of the fake's state.
func soakFakeCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
}

// heldState reads the state of a gateway or tunnel from the fake.
func (s *soak) heldState(noun, id string) (scpvpn.State, error) {
	ctx, cancel := soakFakeCtx()
	defer cancel()
	if noun == "gateway" {
		g, err := s.truth.V1Dot1.Gateways.Get(ctx, id)
		if err != nil {
			return "", err
		}
		return g.State, nil
	}
	tn, err := s.truth.V1Dot1.Tunnels.Get(ctx, id)
	if err != nil {
		return "", err
	}
	return tn.State, nil
}

// sent counts the requests with method that the proxy saw with tag.
func (s *soak) sent(tag, method string) int {
	n := 0
	for _, ex := range s.proxy.Tagged(tag) {
		if ex.Method == method {
			n++
		}
	}
	return n
}

// tagJournal renders what the proxy did to the requests with tag.
func (s *soak) tagJournal(tag string) string {
	var b strings.Builder
	for _, ex := range s.proxy.Tagged(tag) {
		b.WriteString("\n\t\t")
		b.WriteString(ex.String())
	}
	if b.Len() == 0 {
		return " none"
	}
	return b.String()
}
