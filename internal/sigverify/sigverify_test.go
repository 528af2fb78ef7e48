package sigverify

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	testAccessKey = "testAccessKey"
	testSecretKey = "testSecretKey"
	testTimestamp = "1605290625682"
)

// The test vectors computed with SCP's official signing algorithm.
func TestComputeVectors(t *testing.T) {
	tests := []struct {
		method, url, want string
	}{
		{
			"GET",
			"https://vpn.kr-west1.e.samsungsdscloud.com/v1/vpn-gateways?page=0&size=20&sort=created_at%3Adesc",
			"btYjyD8Kl78nwbLwr4Mu1Ld0W4iB0RRg02bZRs//gb4=",
		},
		{
			"POST",
			"https://vpn.kr-west1.e.samsungsdscloud.com/v1/vpn-tunnels",
			"/XU+HkxaOsHSdZg2qBXYCIkZZqCVaP2vgvopG4la5Lg=",
		},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			got := Compute(tt.method, tt.url, testTimestamp, testAccessKey, "", "Openapi", testSecretKey)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestComputeCoversEveryPart(t *testing.T) {
	base := Compute("GET", "http://h/p", "1", "ak", "acc", "Openapi", "sk")
	variants := []string{
		Compute("PUT", "http://h/p", "1", "ak", "acc", "Openapi", "sk"),
		Compute("GET", "http://h/q", "1", "ak", "acc", "Openapi", "sk"),
		Compute("GET", "http://h/p", "2", "ak", "acc", "Openapi", "sk"),
		Compute("GET", "http://h/p", "1", "ak2", "acc", "Openapi", "sk"),
		Compute("GET", "http://h/p", "1", "ak", "", "Openapi", "sk"),
		Compute("GET", "http://h/p", "1", "ak", "acc", "Other", "sk"),
		Compute("GET", "http://h/p", "1", "ak", "acc", "Openapi", "sk2"),
	}
	for i, v := range variants {
		assert.NotEqual(t, base, v, "variant %d", i)
	}
}

// sign sets the signature headers on a client-side request.
func sign(r *http.Request, url string) {
	r.Header.Set(HeaderAccessKey, testAccessKey)
	r.Header.Set(HeaderTimestamp, testTimestamp)
	r.Header.Set(HeaderClientType, "Openapi")
	r.Header.Set(HeaderAccountID, "")
	r.Header.Set(HeaderSignature, Compute(r.Method, url, testTimestamp, testAccessKey, "", "Openapi", testSecretKey))
}

func TestVerifyClientSide(t *testing.T) {
	const url = "https://vpn.kr-west1.e.samsungsdscloud.com/v1/vpn-gateways?page=0&size=20&sort=created_at%3Adesc"
	r, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	r.Header.Set(HeaderAccessKey, testAccessKey)
	r.Header.Set(HeaderTimestamp, testTimestamp)
	r.Header.Set(HeaderClientType, "Openapi")
	r.Header.Set(HeaderSignature, "btYjyD8Kl78nwbLwr4Mu1Ld0W4iB0RRg02bZRs//gb4=")

	require.Equal(t, url, RequestURL(r))
	require.NoError(t, Verify(r, testSecretKey))

	err = Verify(r, "wrongSecret")
	require.ErrorIs(t, err, ErrMismatch)
	assert.NotContains(t, err.Error(), "wrongSecret")
	assert.NotContains(t, err.Error(), testSecretKey)
}

func TestVerifyHeaderCaseInsensitive(t *testing.T) {
	const url = "https://vpn.kr-west1.e.samsungsdscloud.com/v1/vpn-tunnels"
	r, err := http.NewRequest(http.MethodPost, url, strings.NewReader("{}"))
	require.NoError(t, err)
	// Stored as the official SDK spells them, bypassing canonicalisation.
	r.Header["Scp-AccessKey"] = []string{testAccessKey}
	r.Header["scp-timestamp"] = []string{testTimestamp}
	r.Header["SCP-CLIENTTYPE"] = []string{"Openapi"}
	r.Header["Scp-AccountId"] = []string{""}
	r.Header["scp-signature"] = []string{"/XU+HkxaOsHSdZg2qBXYCIkZZqCVaP2vgvopG4la5Lg="}
	require.NoError(t, Verify(r, testSecretKey))
}

func TestVerifyMissingHeaders(t *testing.T) {
	for _, name := range []string{HeaderAccessKey, HeaderTimestamp, HeaderSignature} {
		t.Run(name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "http://example.com/v1/vpn-gateways", nil)
			sign(r, "http://example.com/v1/vpn-gateways")
			require.NoError(t, Verify(r, testSecretKey))
			r.Header.Del(name)
			err := Verify(r, testSecretKey)
			require.ErrorIs(t, err, ErrMissingHeader)
			assert.Contains(t, err.Error(), name)
		})
	}
}

func TestVerifyAccountIDAbsentIsEmpty(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "http://example.com/v1/vpn-gateways", nil)
	sign(r, "http://example.com/v1/vpn-gateways")
	r.Header.Del(HeaderAccountID)
	require.NoError(t, Verify(r, testSecretKey))

	r.Header.Set(HeaderAccountID, "someone")
	require.ErrorIs(t, Verify(r, testSecretKey), ErrMismatch)
}

// A server verifies the target exactly as received: a query escaped twice
// by the client is a mismatch, the classic cause of 401 HmacValidFail.
func TestVerifyServerSide(t *testing.T) {
	var verr error
	var seen string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = RequestURL(r)
		verr = Verify(r, testSecretKey)
	}))
	defer srv.Close()
	client := srv.Client()

	send := func(signedURL, sentURL string) {
		t.Helper()
		r, err := http.NewRequest(http.MethodGet, sentURL, nil)
		require.NoError(t, err)
		sign(r, signedURL)
		resp, err := client.Do(r)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}

	good := srv.URL + "/v1/vpn-gateways?page=0&size=20&sort=created_at%3Adesc"
	send(good, good)
	require.NoError(t, verr)
	assert.Equal(t, good, seen)

	send(good, srv.URL+"/v1/vpn-gateways?page=0&size=20&sort=created_at%253Adesc")
	require.Error(t, verr)
	assert.True(t, errors.Is(verr, ErrMismatch))

	send(srv.URL+"/v1/vpn-gateways?page=0&size=20&sort=created_at:desc", good)
	require.ErrorIs(t, verr, ErrMismatch)
	client.CloseIdleConnections()
}

func TestRequestURLServerSide(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/v1/vpn-gateways/a%2Fb?x=%20", nil)
	r.Host = "vpn.example:8443"
	assert.Equal(t, "http://vpn.example:8443/v1/vpn-gateways/a%2Fb?x=%20", RequestURL(r))

	r = httptest.NewRequest(http.MethodGet, "https://vpn.example/v1/vpn-gateways", nil)
	assert.Equal(t, "https://vpn.example/v1/vpn-gateways", RequestURL(r))
}

func TestRequestURLClientSide(t *testing.T) {
	r, err := http.NewRequest(http.MethodGet, "http://vpn.example/v1/vpn-gateways?name=a%2Bb", nil)
	require.NoError(t, err)
	assert.Equal(t, "http://vpn.example/v1/vpn-gateways?name=a%2Bb", RequestURL(r))

	r.Host = ""
	assert.Equal(t, "http://vpn.example/v1/vpn-gateways?name=a%2Bb", RequestURL(r))
	r.Host = "other.example"
	assert.Equal(t, "http://other.example/v1/vpn-gateways?name=a%2Bb", RequestURL(r))
}
