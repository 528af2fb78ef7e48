package scpvpn_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/sigverify"
)

// Signer and NewSigningTransport: the test vectors, what is signed, what is
// refused, and a signer that shows no secret; fuzzed signing.

// vectorTime is the timestamp of SCP's published signing test vectors, 1605290625682 ms.
var vectorTime = time.UnixMilli(1605290625682)

func vectorSigner() *scpvpn.Signer {
	return &scpvpn.Signer{
		AccessKey: "testAccessKey",
		SecretKey: "testSecretKey",
		Now:       func() time.Time { return vectorTime },
	}
}

func TestSignVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, url, want string
	}{
		{http.MethodGet, "https://vpn.kr-west1.e.samsungsdscloud.com/v1/vpn-gateways?page=0&size=20&sort=created_at%3Adesc", "btYjyD8Kl78nwbLwr4Mu1Ld0W4iB0RRg02bZRs//gb4="},
		{http.MethodPost, "https://vpn.kr-west1.e.samsungsdscloud.com/v1/vpn-tunnels", "/XU+HkxaOsHSdZg2qBXYCIkZZqCVaP2vgvopG4la5Lg="},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest(tt.method, tt.url, nil)
			require.NoError(t, err)
			require.NoError(t, vectorSigner().Sign(req))

			assert.Equal(t, tt.want, req.Header.Get("Scp-Signature"))
			assert.Equal(t, "1605290625682", req.Header.Get("Scp-Timestamp"))
			assert.Equal(t, "testAccessKey", req.Header.Get("Scp-Accesskey"))
			assert.Equal(t, "Openapi", req.Header.Get("Scp-ClientType"))
			assert.Empty(t, req.Header.Values("Scp-AccountId"), "no account id, no header")
		})
	}
}

func TestSignAccountIDAndClientType(t *testing.T) {
	t.Parallel()
	s := vectorSigner()
	s.AccountID = "acct-1"
	s.ClientType = "Custom"
	req, err := http.NewRequest(http.MethodGet, "https://vpn.example/v1/vpn-gateways", nil)
	require.NoError(t, err)
	require.NoError(t, s.Sign(req))

	assert.Equal(t, "acct-1", req.Header.Get("Scp-AccountId"))
	assert.Equal(t, "Custom", req.Header.Get("Scp-ClientType"))
	want := sigverify.Compute(http.MethodGet, "https://vpn.example/v1/vpn-gateways", "1605290625682", "testAccessKey", "acct-1", "Custom", "testSecretKey")
	assert.Equal(t, want, req.Header.Get("Scp-Signature"), "account id and client type are signed")
}

func TestSignSignsTheWireURL(t *testing.T) {
	t.Parallel()
	// An escaped path and a raw query are signed exactly as they are sent,
	// never re-escaped: %2F stays %2F and %3A is not turned into %253A.
	req, err := http.NewRequest(http.MethodGet, "https://vpn.example/v1/vpn-gateways/a%2Fb?sort=created_at%3Adesc&name=x+y", nil)
	require.NoError(t, err)
	require.NoError(t, vectorSigner().Sign(req))
	want := sigverify.Compute(http.MethodGet, "https://vpn.example/v1/vpn-gateways/a%2Fb?sort=created_at%3Adesc&name=x+y",
		"1605290625682", "testAccessKey", "", "Openapi", "testSecretKey")
	assert.Equal(t, want, req.Header.Get("Scp-Signature"))
}

// Keys shorter than, as long as and longer than a SHA-256 block (which
// HMAC hashes first), and messages of every length around the block
// boundaries, sign as the independent verifier computes.
func TestSignAnyKeyAndMessageLength(t *testing.T) {
	t.Parallel()
	for _, keyLen := range []int{1, 13, 63, 64, 65, 200} {
		s := vectorSigner()
		s.SecretKey = strings.Repeat("k", keyLen)
		for pathLen := 0; pathLen < 300; pathLen += 7 {
			u := "https://vpn.example/" + strings.Repeat("p", pathLen)
			req, err := http.NewRequest(http.MethodGet, u, nil)
			require.NoError(t, err)
			require.NoError(t, s.Sign(req))
			want := sigverify.Compute(http.MethodGet, u, "1605290625682", "testAccessKey", "", "Openapi", s.SecretKey)
			require.Equal(t, want, req.Header.Get("Scp-Signature"), "key %d bytes, path %d bytes", keyLen, pathLen)
		}
	}
}

func TestSignRefusesWhatCannotBeSigned(t *testing.T) {
	t.Parallel()
	for _, s := range []*scpvpn.Signer{
		nil, {AccessKey: "a"}, {SecretKey: "s"},
		// Values a header cannot carry as signed: servers trim white space.
		{AccessKey: "a\n", SecretKey: "s"}, {AccessKey: "a", SecretKey: "s", AccountID: " acct"},
		{AccessKey: "a", SecretKey: "s", ClientType: "Openapi "},
	} {
		req, err := http.NewRequest(http.MethodGet, "https://vpn.example/", nil)
		require.NoError(t, err)
		err = s.Sign(req)
		require.Error(t, err)
		assert.Empty(t, req.Header.Get("Scp-Signature"))
	}
}

// countingTransport records what it is asked to send.
type countingTransport struct {
	requests []*http.Request
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.requests = append(c.requests, req)
	return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader("{}")), Request: req}, nil
}

func TestSigningTransportLeavesTheCallersRequestAlone(t *testing.T) {
	t.Parallel()
	base := &countingTransport{}
	now := vectorTime
	s := vectorSigner()
	s.Now = func() time.Time { now = now.Add(time.Second); return now }
	hc := &http.Client{Transport: scpvpn.NewSigningTransport(s, base)}

	req, err := http.NewRequest(http.MethodPut, "https://vpn.example/v1/vpn-tunnels/x", bytes.NewReader([]byte(`{}`)))
	require.NoError(t, err)
	req.Header.Set("X-Caller", "kept")
	for range 2 {
		resp, err := hc.Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
	}

	assert.Empty(t, req.Header.Get("Scp-Signature"), "the caller's request is not modified")
	assert.Equal(t, "kept", req.Header.Get("X-Caller"))
	require.Len(t, base.requests, 2)
	first, second := base.requests[0], base.requests[1]
	assert.Equal(t, "kept", first.Header.Get("X-Caller"))
	assert.NotEqual(t, first.Header.Get("Scp-Timestamp"), second.Header.Get("Scp-Timestamp"), "every request gets a fresh timestamp")
	assert.NotEqual(t, first.Header.Get("Scp-Signature"), second.Header.Get("Scp-Signature"))
	for _, r := range base.requests {
		assert.NoError(t, sigverify.Verify(r, "testSecretKey"))
	}
}

func TestSigningTransportClosesBodyOnError(t *testing.T) {
	t.Parallel()
	body := &closeTracker{Reader: strings.NewReader("{}")}
	req, err := http.NewRequest(http.MethodPost, "https://vpn.example/v1/vpn-tunnels", body)
	require.NoError(t, err)
	_, err = scpvpn.NewSigningTransport(&scpvpn.Signer{}, &countingTransport{}).RoundTrip(req)
	require.Error(t, err, "a signer without keys cannot sign")
	assert.True(t, body.closed, "a RoundTripper closes the body, even on error")
}

type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error { c.closed = true; return nil }

func TestSignerHidesItsSecret(t *testing.T) {
	t.Parallel()
	s := vectorSigner()
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X"} {
		for _, v := range []any{s, *s} {
			out := sprintf(verb, v)
			assert.NotContains(t, out, "testSecretKey", verb)
			assert.NotContains(t, out, hexOf("testSecretKey"), verb)
		}
	}
	assert.Contains(t, sprintf("%v", s), "testAccessKey", "the access key is not secret and helps debugging")
}

// FuzzSign checks that, for any method, path, query and account id, the
// request that arrives at a server verifies with an independent
// implementation over the URL as the server received it (its Host and
// request target), so the signer signs exactly what net/http puts on the
// wire.
func FuzzSign(f *testing.F) {
	f.Add("GET", "/v1/vpn-gateways", "page=0&size=20&sort=created_at%3Adesc", "")
	f.Add("POST", "/v1/vpn-tunnels", "", "acct")
	f.Add("DELETE", "/v1/vpn-gateways/a%2Fb c", "x=%E2%82%AC&y=1+2", "")
	f.Add("PUT", "/ünïcode/%zz", "q=a;b", "")
	f.Add("GET", "", "", "")

	var mu sync.Mutex
	var verified error
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		verified = sigverify.Verify(r, "testSecretKey")
	}))
	base := &http.Transport{}
	f.Cleanup(func() {
		base.CloseIdleConnections()
		srv.Close()
	})
	host := strings.TrimPrefix(srv.URL, "http://")

	f.Fuzz(func(t *testing.T, method, path, rawQuery, account string) {
		switch method {
		case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete:
		default:
			method = http.MethodGet
		}
		u := &url.URL{Scheme: "http", Host: host, Path: path, RawQuery: rawQuery}
		req, err := http.NewRequestWithContext(context.Background(), method, u.String(), nil)
		if err != nil {
			t.Skip("not a URL net/http can send")
		}
		s := vectorSigner()
		s.AccountID = account
		resp, err := (&http.Client{Transport: scpvpn.NewSigningTransport(s, base)}).Do(req)
		if err != nil {
			t.Skip("not a request net/http can send:", err)
		}
		_ = resp.Body.Close()
		mu.Lock()
		defer mu.Unlock()
		require.NoError(t, verified, "the server-side verification of %s %s", method, u)
	})
}

// The signing transport signs a copy of every request, the SDK's own
// attempts included. A caller's transport below the SDK that makes a
// request of its own with the attempt's context, through a signing
// transport of its own, gets it signed as a copy: neither the request nor
// its shared header map is written to.
func TestCallersOwnRequestsAreNotSignedInPlace(t *testing.T) {
	t.Parallel()
	live, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	for name, ctx := range map[string]context.Context{
		"context.Background":    context.Background(),
		"a cancellable context": live,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			other := scpvpn.NewSigningTransport(&scpvpn.Signer{AccessKey: "other-ak", SecretKey: "other-sk"},
				e2eRoundTripperFunc(func(*http.Request) (*http.Response, error) {
					return httpmockResponse(http.StatusOK, `{}`), nil
				}))
			template := http.Header{"X-Audit": {"1"}} // the caller's, shared by its side requests
			var side *http.Request
			rt := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
				// An audit call of the caller's own, under the attempt's context.
				side, _ = http.NewRequestWithContext(r.Context(), http.MethodPost, "https://audit.example/log", http.NoBody)
				side.Header = template
				resp, err := other.RoundTrip(side)
				if err != nil {
					return nil, err
				}
				_ = resp.Body.Close()
				return httpmockResponse(http.StatusAccepted, ""), nil
			})
			c := newClient(t, testEndpoint, scpvpn.WithTransport(rt))
			require.NoError(t, c.V1Dot1.Gateways.Delete(ctx, gatewayID))
			require.NotNil(t, side)
			assert.Empty(t, side.Header.Get(scpvpn.HeaderSignature), "the caller's request was signed in place")
			assert.Equal(t, http.Header{"X-Audit": {"1"}}, template, "the caller's shared header map was written to")
		})
	}
}
