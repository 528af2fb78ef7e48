package scpvpn_test

// Every attempt of a client is signed once, with the client's keys, however
// deep a caller's NewSigningTransport sits in the chain; what else that
// transport sends (a request of the caller's own, made on the side with
// the attempt's context) it still signs with its own signer.

import (
	"net/http"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// sideRequester is a caller's transport that, before passing each
// attempt on, sends a request of its own (an audit call, say) with the
// attempt's context through the same transport.
type sideRequester struct {
	next http.RoundTripper
	url  string
}

func (s sideRequester) RoundTrip(r *http.Request) (*http.Response, error) {
	side, err := http.NewRequestWithContext(r.Context(), http.MethodGet, s.url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.next.RoundTrip(side)
	if err != nil {
		return nil, err
	}
	_ = resp.Body.Close()
	return s.next.RoundTrip(r)
}

func TestEachAttemptIsSignedOnceWithTheClientsKeys(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	var mu sync.Mutex
	keys := map[string][]string{} // path: the access key of each request
	mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		keys[r.URL.Path] = append(keys[r.URL.Path], r.Header.Get(scpvpn.HeaderAccessKey))
		if r.URL.Path == "/audit" {
			return httpmock.NewStringResponse(http.StatusOK, ""), nil
		}
		if n := len(keys[r.URL.Path]); n == 1 { // the first attempt is retried
			return httpmock.NewStringResponse(http.StatusServiceUnavailable, `{"errors":[{"code":"Unavailable"}]}`), nil
		}
		return httpmock.NewStringResponse(http.StatusOK, `{"vpn_gateway_max_quota":3,"vpn_gateway_used_quota":1}`), nil
	})
	callers := &scpvpn.Signer{AccessKey: "callersAccessKey", SecretKey: "callersSecretKey"}
	signing := scpvpn.NewSigningTransport(callers, mock)
	c := newClient(t, mock, scpvpn.WithTransport(sideRequester{next: signing, url: testEndpoint + "/audit"}))
	_, err := c.V1Dot1.Gateways.Quota(t.Context(), nil)
	require.NoError(t, err)

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{testAccessKey, testAccessKey}, keys["/v1/vpn-gateways/metrics/quotas"],
		"each attempt, the retry included, leaves under the client's keys, not signed again by the caller's NewSigningTransport")
	assert.Equal(t, []string{"callersAccessKey", "callersAccessKey"}, keys["/audit"],
		"the caller's own requests through its NewSigningTransport are signed by it, though they carry the attempt's context")
}

// NewSigningTransport used alone, outside any client, signs.
func TestSigningTransportAloneSigns(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	var got http.Header
	mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		got = r.Header.Clone()
		return httpmock.NewStringResponse(http.StatusOK, ""), nil
	})
	hc := &http.Client{Transport: scpvpn.NewSigningTransport(&scpvpn.Signer{AccessKey: "AK", SecretKey: "SK"}, mock)}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, testEndpoint+"/v1/vpn-gateways", nil)
	require.NoError(t, err)
	resp, err := hc.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, "AK", got.Get(scpvpn.HeaderAccessKey))
	assert.NotEmpty(t, got.Get(scpvpn.HeaderSignature))
}
