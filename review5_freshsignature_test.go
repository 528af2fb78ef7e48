package scpvpn_test

// Review 5: a DELETE (or PUT) answered by a proxy's 429 is now sent again
// (review4 item 5); a 429's Retry-After of 0 (or a date already past,
// common from rate limiters) makes the SDK send the next attempt at once.
// The signature's timestamp is in milliseconds (signer.go: now().UnixMilli()),
// and nothing makes a retry's differ from the attempt before it: the
// second DELETE leaves with the very Scp-Timestamp and Scp-Signature of
// the first. SIGNING.md: "Every retry is a new request: it needs a fresh
// timestamp and a fresh signature"; doc.go: "Every attempt is signed
// afresh". A gateway that refuses a signature it has seen (replay
// protection, the reason for the rule) refuses the retry.
//
// The test repeats the call a few times: the failure needs two attempts
// within one millisecond, which an immediate retry against an in-memory
// answer nearly always is; a fix (a timestamp later than the call's last,
// or waiting for the next millisecond) passes it whatever the timing.

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

func TestReview5RetryAfterZeroStillSignsTheRetryAfresh(t *testing.T) {
	t.Parallel()
	const id = "0fdd87aab8cb46f59b7c1f81ed03fb3e"
	for range 5 {
		mock := httpmock.NewMockTransport()
		var stamps []string
		var mu sync.Mutex
		mock.RegisterResponder(http.MethodDelete, testEndpoint+"/v1/vpn-gateways/"+id, func(r *http.Request) (*http.Response, error) {
			mu.Lock()
			defer mu.Unlock()
			stamps = append(stamps, r.Header.Get(scpvpn.HeaderTimestamp)+" "+r.Header.Get(scpvpn.HeaderSignature))
			if len(stamps) == 1 {
				resp := httpmock.NewStringResponse(http.StatusTooManyRequests, "<html>Too Many Requests</html>")
				resp.Header.Set("Retry-After", "0")
				return resp, nil
			}
			return httpmock.NewStringResponse(http.StatusAccepted, ""), nil
		})
		c := newClient(t, mock)
		require.NoError(t, c.V1Dot1.Gateways.Delete(context.Background(), id))
		mu.Lock()
		require.Len(t, stamps, 2)
		assert.NotEqual(t, stamps[0], stamps[1], "the retry went with the first attempt's timestamp and signature")
		mu.Unlock()
	}
}
