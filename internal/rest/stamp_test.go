package rest

// Tests of the rule that no two requests of a call are signed in the same
// millisecond: a retry sent at once waits for the next one.

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn/internal/retry"
)

// stampRecorder answers every request 503 without the API's body, with
// "Retry-After: 0", and keeps the timestamp each was signed with.
type stampRecorder struct {
	mu     sync.Mutex
	stamps []int64
}

func (s *stampRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	stamp, err := strconv.ParseInt(req.Header.Get("Stamp"), 10, 64)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.stamps = append(s.stamps, stamp)
	s.mu.Unlock()
	return &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"0"}},
		Body: http.NoBody, Request: req}, nil
}

// stampNow signs as the SDK's signer does: with the wall clock's Unix
// millisecond.
func stampNow(req *http.Request) error {
	req.Header.Set("Stamp", strconv.FormatInt(time.Now().UnixMilli(), 10))
	return nil
}

func TestRetriesSentAtOnceAreStampedInMillisecondsOfTheirOwn(t *testing.T) {
	t.Parallel()
	tr := &stampRecorder{}
	c := New(Config{HTTPClient: &http.Client{Transport: tr}, Sign: stampNow,
		Retry: retry.Policy{MaxAttempts: 6}})
	res, err := c.Do(context.Background(), &Request{Method: http.MethodGet, URL: "https://vpn.example/v1/vpn-gateways"})
	var se *StatusError
	require.ErrorAs(t, err, &se)
	require.Equal(t, 6, res.Attempts)
	tr.mu.Lock()
	defer tr.mu.Unlock()
	require.Len(t, tr.stamps, 6)
	for i := 1; i < len(tr.stamps); i++ {
		assert.Greater(t, tr.stamps[i], tr.stamps[i-1], "attempt %d is stamped later than the one before: %v", i+1, tr.stamps)
	}
}

func TestWaitForTheNextMillisecondEndsWithTheContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// A millisecond a second away (as after a clock set back): the wait
	// is needed, and bounded.
	later := time.Now().UnixMilli() + 1000
	assert.ErrorIs(t, waitPastMilli(ctx, later), context.Canceled)
	assert.NoError(t, waitPastMilli(context.Background(), later), "it returns after maxStampWait")
	assert.NoError(t, waitPastMilli(context.Background(), time.Now().UnixMilli()-1), "a later millisecond needs no wait")
	last := time.Now().UnixMilli()
	require.NoError(t, waitPastMilli(context.Background(), last))
	assert.Greater(t, time.Now().UnixMilli(), last)
}
