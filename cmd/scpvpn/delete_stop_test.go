package main

// This file holds the tests of a deletion of several ids that an
// interruption or the end of --timeout stops: the message says why it
// stopped, and the exit status is still that of every failure, an earlier
// outcome unknown (5) included.

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// endingContext is a context whose deadline passes when end is called: a
// test's own clock, so that nothing depends on the machine's speed.
type endingContext struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func newEndingContext(t *testing.T) *endingContext {
	return &endingContext{Context: t.Context(), done: make(chan struct{})}
}

func (c *endingContext) Done() <-chan struct{} { return c.done }

func (c *endingContext) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

func (c *endingContext) end() { c.once.Do(func() { close(c.done) }) }

func TestDeleteStoppedKeepsEarlierStatuses(t *testing.T) {
	t.Parallel()
	unknown := fmt.Errorf("delete VPN gateway a: %w", scpvpn.ErrOutcomeUnknown)
	notFound := fmt.Errorf("delete VPN gateway a: %w", scpvpn.ErrNotFound)
	for name, tc := range map[string]struct {
		first    error // the first id's error, before the command is stopped
		deadline bool  // stopped by --timeout, else interrupted
		want     int
		hint     string
	}{
		"unknown, then --timeout":     {first: unknown, deadline: true, want: exitUnknown, hint: "Before that, 1 of 3 VPN gateways not deleted, or not seen gone: see above."},
		"unknown, then interrupted":   {first: unknown, want: exitUnknown, hint: "Before that, 1 of 3 VPN gateways not deleted, or not seen gone: see above."},
		"not found, then --timeout":   {first: notFound, deadline: true, want: exitFailure, hint: "Before that, 1 of 3"},
		"nothing failed, --timeout":   {deadline: true, want: exitFailure},
		"nothing failed, interrupted": {want: exitFailure},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var stderr bytes.Buffer
			a := &app{stderr: &stderr, scrub: newScrubber(), output: formatJSON, timeout: 5 * time.Second}
			var ctx context.Context
			var stop func()
			var cause error
			if tc.deadline {
				ending := newEndingContext(t)
				ctx, stop, cause = ending, ending.end, context.DeadlineExceeded
			} else {
				ctx, stop = context.WithCancel(t.Context())
				cause = context.Canceled
			}
			var sent []string
			k := &kind[scpvpn.Gateway, scpvpn.GatewayCreateRequest, scpvpn.GatewaySetRequest]{a: a, noun: "VPN gateway",
				delete: func(_ context.Context, id string, _ ...scpvpn.CallOption) error {
					sent = append(sent, id)
					switch id {
					case "a":
						return tc.first
					case "b": // the command is stopped while b's DELETE is out
						stop()
						return fmt.Errorf("DELETE /v1/vpn-gateways/b: %w", cause)
					}
					return nil
				}}
			err := a.outOfTime(ctx, k.runDelete(ctx, []string{"a", "b", "c"}, false, false))
			require.Error(t, err)
			assert.Equal(t, []string{"a", "b"}, sent, "stopped: c is not sent")
			a.report(nil, err)
			assert.Equal(t, tc.want, codeOf(err), "exit status:\n%s", stderr.String())
			assert.Contains(t, stderr.String(), "DELETE /v1/vpn-gateways/b: ", "the message says what was stopped")
			if tc.deadline {
				assert.Contains(t, stderr.String(), "gave up after --timeout 5s", "the message names --timeout")
			}
			if tc.hint == "" {
				assert.Equal(t, 1, bytes.Count(stderr.Bytes(), []byte("\n")), "nothing failed before: its own error alone:\n%s", stderr.String())
				return
			}
			assert.Contains(t, stderr.String(), tc.hint, "the earlier failures are counted")
		})
	}
}
