package scpvpn_test

// A caller's NewSigningTransport below a client sends each attempt as the
// client signed it, once; what a caller's transport above it changed or
// hands again it signs afresh, and always with the client's keys, never
// its own: what leaves verifies under the client's keys and carries a
// timestamp and signature of its own.

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/sigverify"
)

// resendInNextMilli is a caller's transport that sends a request again,
// once, when it is answered 502, in a later millisecond than the first
// (so that a fresh signature differs from the first).
type resendInNextMilli struct{ next http.RoundTripper }

func (t resendInNextMilli) RoundTrip(r *http.Request) (*http.Response, error) {
	first := time.Now().UnixMilli()
	resp, err := t.next.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusBadGateway {
		return resp, err
	}
	_ = resp.Body.Close()
	for time.Now().UnixMilli() == first {
		time.Sleep(time.Millisecond)
	}
	return t.next.RoundTrip(r)
}

// signedOnWire is what a request left with.
type signedOnWire struct {
	url, accessKey, stamp string
	verifies              error
}

func TestChangedOrResentAttemptIsSignedAgainWithTheClientsKeys(t *testing.T) {
	t.Parallel()
	var callerSigned atomic.Int64
	callers := &scpvpn.Signer{AccessKey: "callersAccessKey", SecretKey: "callersSecretKey", Now: func() time.Time {
		callerSigned.Add(1)
		return time.Now()
	}}
	quota := `{"vpn_gateway_max_quota":3,"vpn_gateway_used_quota":1}`
	for name, chain := range map[string]func(mock http.RoundTripper) http.RoundTripper{
		"changed above the signing transport": func(mock http.RoundTripper) http.RoundTripper {
			return resendInNextMilli{review4Tracing{scpvpn.NewSigningTransport(callers, mock)}}
		},
		"resent above the signing transport": func(mock http.RoundTripper) http.RoundTripper {
			return review4Tracing{resendInNextMilli{scpvpn.NewSigningTransport(callers, mock)}}
		},
		"resent above two signing transports": func(mock http.RoundTripper) http.RoundTripper {
			return resendInNextMilli{scpvpn.NewSigningTransport(callers, scpvpn.NewSigningTransport(callers, mock))}
		},
		"resent between two signing transports": func(mock http.RoundTripper) http.RoundTripper {
			return scpvpn.NewSigningTransport(callers, resendInNextMilli{scpvpn.NewSigningTransport(callers, mock)})
		},
	} {
		t.Run(name, func(t *testing.T) {
			mock := httpmock.NewMockTransport()
			var mu sync.Mutex
			var wire []signedOnWire
			mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				mu.Lock()
				defer mu.Unlock()
				wire = append(wire, signedOnWire{url: r.URL.String(), accessKey: r.Header.Get(scpvpn.HeaderAccessKey),
					stamp:    r.Header.Get(scpvpn.HeaderTimestamp) + " " + r.Header.Get(scpvpn.HeaderSignature),
					verifies: sigverify.Verify(r, testSecretKey)})
				if len(wire) == 1 {
					return httpmock.NewStringResponse(http.StatusBadGateway, "<html>502</html>"), nil
				}
				return httpmockResponse(http.StatusOK, quota), nil
			})
			c := newClient(t, mock, scpvpn.WithTransport(chain(mock)), scpvpn.WithoutRetries())
			_, err := c.V1Dot1.Gateways.Quota(context.Background(), nil)
			require.NoError(t, err)
			mu.Lock()
			defer mu.Unlock()
			require.Len(t, wire, 2, "the caller's transport sends the attempt twice")
			for i, w := range wire {
				assert.Equal(t, testAccessKey, w.accessKey, "request %d leaves under the client's keys", i)
				assert.NoError(t, w.verifies, "request %d: its signature covers what was sent (%s)", i, w.url)
			}
			assert.NotEqual(t, wire[0].stamp, wire[1].stamp, "the second has a timestamp and signature of its own")
		})
	}
	assert.Zero(t, callerSigned.Load(), "the caller's signer never signs an attempt of the client")
}

// A signature that a signing transport made afresh with the client's keys
// is a secret like the client's own: an answer that echoes it does not
// show it in the error.
func TestSignatureMadeAgainBelowTheClientStaysOutOfErrors(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	var mu sync.Mutex
	var sigs []string
	mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		sigs = append(sigs, r.Header.Get(scpvpn.HeaderSignature))
		return httpmockResponse(http.StatusBadRequest, `{"errors":[{"code":"InvalidParameter","detail":"bad signature `+r.Header.Get(scpvpn.HeaderSignature)+`"}]}`), nil
	})
	signing := scpvpn.NewSigningTransport(&scpvpn.Signer{AccessKey: "callersAccessKey", SecretKey: "callersSecretKey"}, mock)
	c := newClient(t, mock, scpvpn.WithTransport(review4Tracing{signing}), scpvpn.WithoutRetries())
	_, err := c.V1Dot1.Gateways.Quota(context.Background(), nil)
	require.Error(t, err)
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, sigs, 1)
	require.NotEmpty(t, sigs[0])
	assert.NotContains(t, err.Error(), sigs[0])
}

// resendAtOnce is a caller's transport that sends a request again, once,
// at once, when it is answered 502: most often within the millisecond of
// the first.
type resendAtOnce struct{ next http.RoundTripper }

func (t resendAtOnce) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusBadGateway {
		return resp, err
	}
	_ = resp.Body.Close()
	return t.next.RoundTrip(r)
}

// A request a caller's transport sends again at once is signed in a
// millisecond of its own, so it never leaves with the signature that went
// before it (SIGNING.md: every retry needs a fresh timestamp and
// signature). Repeated: the resend nearly always falls in the first's
// millisecond, which the fix must step past whatever the timing.
func TestAttemptResentAtOnceBelowTheClientIsStampedAfresh(t *testing.T) {
	t.Parallel()
	callers := &scpvpn.Signer{AccessKey: "callersAccessKey", SecretKey: "callersSecretKey"}
	for range 5 {
		mock := httpmock.NewMockTransport()
		var mu sync.Mutex
		var wire []signedOnWire
		mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			mu.Lock()
			defer mu.Unlock()
			wire = append(wire, signedOnWire{accessKey: r.Header.Get(scpvpn.HeaderAccessKey),
				stamp:    r.Header.Get(scpvpn.HeaderTimestamp) + " " + r.Header.Get(scpvpn.HeaderSignature),
				verifies: sigverify.Verify(r, testSecretKey)})
			if len(wire) == 1 {
				return httpmock.NewStringResponse(http.StatusBadGateway, "<html>502</html>"), nil
			}
			return httpmockResponse(http.StatusOK, `{"vpn_gateway_max_quota":3,"vpn_gateway_used_quota":1}`), nil
		})
		c := newClient(t, mock, scpvpn.WithTransport(resendAtOnce{scpvpn.NewSigningTransport(callers, mock)}), scpvpn.WithoutRetries())
		_, err := c.V1Dot1.Gateways.Quota(context.Background(), nil)
		require.NoError(t, err)
		mu.Lock()
		require.Len(t, wire, 2, "the caller's transport sends the attempt twice")
		for i, w := range wire {
			assert.Equal(t, testAccessKey, w.accessKey, "request %d leaves under the client's keys", i)
			assert.NoError(t, w.verifies, "request %d verifies", i)
		}
		assert.NotEqual(t, wire[0].stamp, wire[1].stamp, "the resent request went with the first's timestamp and signature")
		mu.Unlock()
	}
}
