package scpvpn_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// Each attempt is bounded in time: a server that never answers holds a
// call no longer than its bounds, and the context of each attempt, as the
// transport below the SDK sees it, holds the caller's values and the
// attempt's bound and ends with the attempt, at no cost of a goroutine.

// silentServer accepts requests and never answers, until the test ends or
// the client goes away.
func silentServer(t *testing.T) *countedServer {
	stop := make(chan struct{})
	srv := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so that the server notices a client leaving
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	})
	t.Cleanup(func() { close(stop) }) // runs before srv.Close
	return srv
}

// TestNeverAnsweringServer: a server that never answers holds a call no
// longer than WithTimeout per attempt, or the context for the whole call.
func TestNeverAnsweringServer(t *testing.T) {
	t.Parallel()

	t.Run("WithTimeout", func(t *testing.T) {
		t.Parallel()
		srv := silentServer(t)
		c := newClient(t, srv.URL, scpvpn.WithTimeout(100*time.Millisecond), scpvpn.WithoutRetries())
		start := time.Now()
		var resp scpvpn.Response
		_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID, scpvpn.WithResponse(&resp))
		require.Error(t, err)
		assert.Less(t, time.Since(start), 30*time.Second, "bounded by WithTimeout, not the default minute")
		var netErr net.Error
		require.ErrorAs(t, err, &netErr)
		assert.True(t, netErr.Timeout(), "%v", err)
		assert.Equal(t, 1, resp.Attempts)
		// On a busy machine the attempt may end before the server reads it.
		assert.LessOrEqual(t, srv.requests.Load(), int64(1))
	})

	t.Run("context deadline", func(t *testing.T) {
		t.Parallel()
		srv := silentServer(t)
		c := newClient(t, srv.URL) // the default timeout is a minute
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 30*time.Second, "bounded by the context, not the default minute")
	})

	t.Run("each GET attempt gets a fresh timeout", func(t *testing.T) {
		t.Parallel()
		srv := silentServer(t)
		// Each attempt reaches the transport with a deadline after the end
		// of the attempt before it: a bound shared by the call would have
		// passed by then. (Deadlines against ends, not against the clock
		// of a machine that may be slow to start the next attempt.)
		var mu sync.Mutex
		var deadlines, ends []time.Time
		base := e2eTransport(t)
		rt := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
			deadline, ok := r.Context().Deadline()
			resp, err := base.RoundTrip(r)
			mu.Lock()
			defer mu.Unlock()
			if ok {
				deadlines = append(deadlines, deadline)
			}
			ends = append(ends, time.Now())
			return resp, err
		})
		c := newClient(t, srv.URL, scpvpn.WithTransport(rt), scpvpn.WithTimeout(100*time.Millisecond))
		var resp scpvpn.Response
		_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID, scpvpn.WithResponse(&resp))
		var netErr net.Error
		require.ErrorAs(t, err, &netErr)
		assert.True(t, netErr.Timeout(), "%v", err)
		assert.Equal(t, fastRetries.MaxAttempts, resp.Attempts)
		mu.Lock()
		defer mu.Unlock()
		require.Len(t, ends, fastRetries.MaxAttempts)
		require.Len(t, deadlines, fastRetries.MaxAttempts, "every attempt has a deadline")
		for i := 1; i < len(deadlines); i++ {
			assert.True(t, deadlines[i].After(ends[i-1]), "attempt %d has a deadline of its own, after attempt %d ended", i+1, i)
		}
		assert.LessOrEqual(t, srv.requests.Load(), int64(fastRetries.MaxAttempts))
	})

	t.Run("a POST that timed out is not sent again", func(t *testing.T) {
		t.Parallel()
		arrived := make(chan struct{})
		var once sync.Once
		stop := make(chan struct{})
		srv := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			if r.Method == http.MethodPost {
				once.Do(func() { close(arrived) })
			}
			select { // never answers
			case <-r.Context().Done():
			case <-stop:
			}
		})
		t.Cleanup(func() { close(stop) })
		var sent atomic.Int64
		base := e2eTransport(t)
		rt := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
			if r.Method != http.MethodPost { // the GETs that read it back
				return base.RoundTrip(r)
			}
			sent.Add(1)
			// The attempt's end reaches net/http only once the server has
			// the request: on a loaded machine, a timeout that came while
			// dialling would leave a request provably never sent, which
			// the SDK rightly sends again.
			held, release := context.WithCancelCause(context.WithoutCancel(r.Context()))
			go func() {
				select {
				case <-arrived:
				case <-t.Context().Done():
				}
				<-r.Context().Done()
				release(context.Cause(r.Context()))
			}()
			return base.RoundTrip(r.WithContext(held))
		})
		c := newClient(t, srv.URL, scpvpn.WithTransport(rt), scpvpn.WithTimeout(100*time.Millisecond))
		var resp scpvpn.Response
		_, err := c.V1Dot1.Tunnels.Create(context.Background(), tunnelCreateRequestV1Dot1(), scpvpn.WithResponse(&resp))
		require.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "it may have been made")
		assert.Equal(t, 1, resp.Attempts)
		assert.EqualValues(t, 1, sent.Load(), "sent once")
		assert.EqualValues(t, 1, srv.posts.Load(), "received once")
	})
}

type traceKey struct{}

// A value of the caller's context reaches the transport below the SDK, and
// the attempt's context ends by the attempt timeout, whether the caller's
// context can end or not (the SDK bounds the two kinds differently).
func TestCallerContextReachesTheTransport(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(context.WithValue(context.Background(), traceKey{}, "t-1"))
	t.Cleanup(cancel)
	for name, ctx := range map[string]context.Context{
		"a context that never ends": context.WithValue(context.Background(), traceKey{}, "t-1"),
		"one that can be canceled":  cancelled, // not canceled
		"one without cancellation":  context.WithoutCancel(cancelled),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got any
			var deadline time.Time
			rt := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
				got = r.Context().Value(traceKey{})
				deadline, _ = r.Context().Deadline()
				return httpmockResponse(http.StatusAccepted, ""), nil
			})
			c := newClient(t, testEndpoint, scpvpn.WithTransport(rt), scpvpn.WithTimeout(time.Hour))
			start := time.Now()
			require.NoError(t, c.V1Dot1.Gateways.Delete(ctx, gatewayID))
			assert.Equal(t, "t-1", got)
			assert.WithinRange(t, deadline, start.Add(time.Hour-time.Hour/16), time.Now().Add(time.Hour))
		})
	}
}

// detachedCtx is the "detached" context written before
// context.WithoutCancel existed, and still common: it never ends, and
// hands on the values of the context it was made from, which may have.
type detachedCtx struct{ context.Context }

func (detachedCtx) Deadline() (time.Time, bool) { return time.Time{}, false }
func (detachedCtx) Done() <-chan struct{}       { return nil }
func (detachedCtx) Err() error                  { return nil }

// An attempt that timed out under a context that never ends ended by its
// deadline, whatever context the caller's was made from: below the SDK
// (context.Cause) and in the log.
func TestTimedOutAttemptEndedByItsDeadline(t *testing.T) {
	t.Parallel()
	origin, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("the HTTP handler returned"))
	for name, ctx := range map[string]context.Context{
		"context.Background":        context.Background(),
		"a detached ended context":  detachedCtx{origin},
		"WithoutCancel of an ended": context.WithoutCancel(origin),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var errEnd, causeEnd error
			rt := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
				<-r.Context().Done() // a server that never answers
				errEnd, causeEnd = r.Context().Err(), context.Cause(r.Context())
				return nil, causeEnd
			})
			var log syncBuffer
			c := newClient(t, testEndpoint, scpvpn.WithTransport(rt), scpvpn.WithTimeout(50*time.Millisecond), scpvpn.WithoutRetries(),
				scpvpn.WithLogger(slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
			var ne net.Error
			require.ErrorAs(t, err, &ne)
			assert.True(t, ne.Timeout())
			assert.ErrorIs(t, errEnd, context.DeadlineExceeded)
			assert.ErrorIs(t, causeEnd, context.DeadlineExceeded)
			assert.Contains(t, log.String(), "deadline exceeded")
			assert.NotContains(t, log.String(), "the HTTP handler returned")
		})
	}
}

// Not parallel, as it counts goroutines: net/http hangs a context of its
// own on each attempt's; under a context that never ends that costs no
// goroutine, whatever the caller's context was made from.
func TestAttemptContextCostsNoGoroutine(t *testing.T) {
	live, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	for name, ctx := range map[string]context.Context{
		"context.Background":    context.Background(),
		"a detached context":    detachedCtx{live},
		"context.WithoutCancel": context.WithoutCancel(live),
		"a cancellable context": live,
	} {
		t.Run(name, func(t *testing.T) {
			var extra int
			rt := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
				before := runtime.NumGoroutine()
				var cancels []context.CancelFunc
				for range 100 {
					_, cancel := context.WithCancel(r.Context())
					cancels = append(cancels, cancel)
				}
				extra = runtime.NumGoroutine() - before
				for _, cancel := range cancels {
					cancel()
				}
				return httpmockResponse(http.StatusAccepted, ""), nil
			})
			c := newClient(t, testEndpoint, scpvpn.WithTransport(rt))
			require.NoError(t, c.V1Dot1.Gateways.Delete(ctx, gatewayID))
			assert.Less(t, extra, 10, "goroutines started for 100 contexts hung on the attempt's")
		})
	}
}

// What a transport hangs on an attempt's context (context.AfterFunc, say)
// is let go when the attempt ends, not kept until the attempt's deadline.
func TestAttemptContextEndsWithTheAttempt(t *testing.T) {
	t.Parallel()
	live, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	for name, ctx := range map[string]context.Context{
		"a cancellable context": live,
		"context.Background":    context.Background(),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var pending atomic.Int64
			rt := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
				pending.Add(1)
				context.AfterFunc(r.Context(), func() { pending.Add(-1) })
				return httpmockResponse(http.StatusOK, fixture(t, "v1.1", "gateway_get_response")), nil
			})
			c := newClient(t, testEndpoint, scpvpn.WithTransport(rt)) // a timeout of a minute
			for range 200 {
				_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
				require.NoError(t, err)
			}
			assert.Eventually(t, func() bool { return pending.Load() == 0 }, 30*time.Second, 10*time.Millisecond, // not the minute of their deadline
				"attempts' contexts still live after their calls returned: %d", pending.Load())
		})
	}
}

// Under a context that never ends, a slow attempt keeps none of the
// contexts of the attempts beside it alive.
func TestAttemptContextEndsWithTheAttemptBesideASlowOne(t *testing.T) {
	t.Parallel()
	const slowPath = "/v1/vpn-gateways/slow"
	slowArrived, release := make(chan struct{}), make(chan struct{})
	var pending atomic.Int64
	rt := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		if strings.HasSuffix(r.URL.Path, slowPath) {
			close(slowArrived)
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return httpmockResponse(http.StatusOK, `{}`), nil
		}
		pending.Add(1)
		context.AfterFunc(r.Context(), func() { pending.Add(-1) })
		return httpmockResponse(http.StatusOK, fixture(t, "v1.1", "gateway_get_response")), nil
	})
	c := newClient(t, testEndpoint, scpvpn.WithTransport(rt)) // a timeout of a minute
	slowDone := make(chan error, 1)
	go func() {
		slowDone <- c.Do(context.Background(), &scpvpn.Request{Method: http.MethodGet, Path: slowPath, APIVersion: "vpn 1.1"}, nil)
	}()
	<-slowArrived
	for range 50 {
		_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
		require.NoError(t, err)
	}
	assert.Eventually(t, func() bool { return pending.Load() == 0 }, 30*time.Second, 10*time.Millisecond, // not the minute of their deadline
		"contexts of finished attempts still live beside a slow one: %d", pending.Load())
	close(release)
	assert.NoError(t, <-slowDone)
}
