package scpvpn_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// How the context ends the waits between attempts: at once, with the
// context's error, keeping the last answer. The deadlines here pass on cue
// once an answer has come back (deadlineOnCue): a deadline of a few
// milliseconds could pass before anything was sent on a loaded machine,
// and then no backoff would be tested.

// passAfterAnswer hands each request to next and, once its answer is
// back, passes the deadline: the call meets its ended context after its
// first answer, on its way to waiting.
func passAfterAnswer(next http.RoundTripper, pass func()) scpvpn.Option {
	return scpvpn.WithTransport(e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		pass()
		return resp, err
	}))
}

// TestRetryCancelDuringBackoff: a wait between attempts ends as soon as the
// context does, and the error is the context's.
func TestRetryCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	patient := scpvpn.WithRetryPolicy(scpvpn.RetryPolicy{MaxAttempts: 10, BaseDelay: time.Minute, MaxDelay: time.Minute, MaxRetryAfter: time.Minute})

	for _, op := range operations() {
		if op.version != "v1.1" {
			continue
		}
		t.Run(op.name+"/deadline in backoff", func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			ctx, pass := deadlineOnCue(t)
			c := newClient(t, mock, patient, passAfterAnswer(mock, pass))
			var rec recorder
			status, body := http.StatusServiceUnavailable, ""
			if op.method == http.MethodPost {
				// The service's own 429: a POST is retried only then.
				status, body = http.StatusTooManyRequests, apiTooManyRequests
			}
			mock.RegisterResponder(op.method, testEndpoint+op.path, rec.respond(status, body))

			start := time.Now()
			_, err := op.call(ctx, c)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, time.Since(start), 30*time.Second, "the backoff of up to a minute ended with the context")
			rec.only(t)
		})
	}

	t.Run("deadline in Retry-After", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		ctx, pass := deadlineOnCue(t)
		c := newClient(t, mock, patient, passAfterAnswer(mock, pass))
		var rec recorder
		mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID, rec.respond(http.StatusTooManyRequests, "", "Retry-After", "60"))
		start := time.Now()
		_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 30*time.Second, "the minute of Retry-After ended with the context")
		rec.only(t)
	})

	t.Run("cancel in Retry-After", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock, patient)
		var rec recorder
		answered := make(chan struct{})
		var once sync.Once
		mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID, func(req *http.Request) (*http.Response, error) {
			defer once.Do(func() { close(answered) })
			return rec.respond(http.StatusServiceUnavailable, "", "Retry-After", "60")(req)
		})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			<-answered
			time.Sleep(20 * time.Millisecond) // the call is waiting by now, or about to
			cancel()
		}()
		start := time.Now()
		_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
		require.ErrorIs(t, err, context.Canceled)
		assert.Less(t, time.Since(start), 30*time.Second, "the minute of Retry-After ended with the context")
		rec.only(t)
	})

	t.Run("context ended before the call", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock)
		var rec recorder
		catchAll(mock, &rec, http.StatusOK, fixture(t, "v1.1", "gateway_get_response"))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
		require.ErrorIs(t, err, context.Canceled)
		assert.Empty(t, rec.all(), "nothing is sent once the context has ended")
		assert.Contains(t, err.Error(), "nothing was sent")
	})

	t.Run("context ends while waiting to retry: the last answer is kept", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		ctx, pass := deadlineOnCue(t)
		c := newClient(t, mock, scpvpn.WithRetryPolicy(scpvpn.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Minute, MaxDelay: time.Minute}),
			passAfterAnswer(mock, pass))
		var rec recorder
		mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID,
			rec.respond(http.StatusServiceUnavailable, `{"errors":[{"detail":"maintenance"}]}`, "X-Request-Id", "r-503"))

		_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		var apiErr *scpvpn.APIError
		require.ErrorAs(t, err, &apiErr, "the answer that caused the retry is not lost")
		assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
		assert.Equal(t, []string{"maintenance"}, apiErr.Details)
		assert.Equal(t, "r-503", apiErr.RequestID)
		assert.Contains(t, err.Error(), "maintenance")
		rec.only(t)
	})
}
