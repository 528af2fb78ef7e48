package scpvpn_test

// Review 4: a NewSigningTransport below a caller's transport now sends
// "the attempts the client signed as they are" whenever the request still
// carries the client's signature header (as review 3 had it), even
// when the caller's transport above it changed what the signature covers
// (its URL: a tracing middleware adding a query parameter) or sent it
// again itself (a retrying middleware). SIGNING.md: the URL signed must be
// byte-identical to the one sent, and every retry needs a fresh timestamp
// and signature. The user put the signing transport below precisely so
// that what leaves is signed; with the client's own keys in it (the usual
// set-up) release 0.2 signed it afresh, and the service accepted it. Now
// the service gets a signature over another URL (401 HmacValidFail), or
// the same timestamp and signature twice.

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
	"github.com/scpsdk/scpvpn/internal/sigverify"
)

// review4Tracing is a caller's transport that adds a query parameter to
// every request it passes on (a copy: it does not modify the caller's).
type review4Tracing struct{ next http.RoundTripper }

func (t review4Tracing) RoundTrip(r *http.Request) (*http.Response, error) {
	out := r.Clone(r.Context())
	q := out.URL.Query()
	q.Set("trace_id", "abc")
	out.URL.RawQuery = q.Encode()
	return t.next.RoundTrip(out)
}

// review4Retrying is a caller's transport that sends a request again once
// when it is answered 502, after a pause that puts it in another
// millisecond.
type review4Retrying struct{ next http.RoundTripper }

func (t review4Retrying) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusBadGateway {
		return resp, err
	}
	_ = resp.Body.Close()
	time.Sleep(5 * time.Millisecond)
	return t.next.RoundTrip(r)
}

func TestReview4RequestChangedOrResentBelowTheClientIsSignedAsSent(t *testing.T) {
	t.Parallel()
	quota := `{"vpn_gateway_max_quota":3,"vpn_gateway_used_quota":1}`
	t.Run("a query parameter added by the caller's transport", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		var verdicts []error
		var mu sync.Mutex
		mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			mu.Lock()
			defer mu.Unlock()
			err := sigverify.Verify(r, testSecretKey)
			verdicts = append(verdicts, err)
			if err != nil {
				return httpmockResponse(http.StatusUnauthorized, `{"errors":[{"code":"HmacValidFail","detail":"signature mismatch"}]}`), nil
			}
			return httpmockResponse(http.StatusOK, quota), nil
		})
		// The caller signs with the very keys the client has.
		signing := scpvpn.NewSigningTransport(&scpvpn.Signer{AccessKey: testAccessKey, SecretKey: testSecretKey}, mock)
		c := newClient(t, mock, scpvpn.WithTransport(review4Tracing{next: signing}))
		_, err := c.V1Dot1.Gateways.Quota(context.Background(), nil)
		assert.NoError(t, err, "the request that left was changed after the client signed it; the signing transport below must sign what is sent")
		mu.Lock()
		defer mu.Unlock()
		require.NotEmpty(t, verdicts)
		assert.NoError(t, verdicts[0], "the signature the service received covers another URL")
	})
	t.Run("a request the caller's transport sends again", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		var stamps []string
		var mu sync.Mutex
		mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			mu.Lock()
			defer mu.Unlock()
			stamps = append(stamps, r.Header.Get(scpvpn.HeaderTimestamp)+" "+r.Header.Get(scpvpn.HeaderSignature))
			if len(stamps) == 1 {
				return httpmock.NewStringResponse(http.StatusBadGateway, "<html>502</html>"), nil
			}
			return httpmockResponse(http.StatusOK, quota), nil
		})
		signing := scpvpn.NewSigningTransport(&scpvpn.Signer{AccessKey: testAccessKey, SecretKey: testSecretKey}, mock)
		c := newClient(t, mock, scpvpn.WithTransport(review4Retrying{next: signing}))
		_, err := c.V1Dot1.Gateways.Quota(context.Background(), nil)
		require.NoError(t, err)
		mu.Lock()
		defer mu.Unlock()
		require.Len(t, stamps, 2)
		assert.NotEqual(t, stamps[0], stamps[1], "every request sent needs a fresh timestamp and signature (SIGNING.md); the second went with the first's")
	})
}
