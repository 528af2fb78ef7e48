package vpntest

// This file holds the tests of authentication and of the version header.

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn/internal/sigverify"
)

func TestAuthentication(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name   string
		tamper func(r *http.Request)
		status int
		code   string
		detail string
	}{
		{"valid", func(*http.Request) {}, http.StatusOK, "", ""},
		{"missing access key", func(r *http.Request) { r.Header.Del("Scp-Accesskey") }, 401, codeInvalidAccessKey, "missing Scp-Accesskey"},
		{"wrong access key", func(r *http.Request) { r.Header.Set("Scp-Accesskey", "otherKey") }, 401, codeInvalidAccessKey, "not valid"},
		{"missing timestamp", func(r *http.Request) { r.Header.Del("Scp-Timestamp") }, 401, codeInvalidTimestamp, "missing Scp-Timestamp"},
		{"non-integer timestamp", func(r *http.Request) { r.Header.Set("Scp-Timestamp", "2024-05-17T00:23:17Z") }, 401, codeInvalidTimestamp, "milliseconds"},
		{"signed timestamp", func(r *http.Request) { r.Header.Set("Scp-Timestamp", "+"+msAt(h.clock.Now())) }, 401, codeInvalidTimestamp, "milliseconds"},
		{"stale timestamp", func(r *http.Request) {
			r.Header.Set("Scp-Timestamp", msAt(h.clock.Now().Add(-16*time.Minute)))
		}, 401, codeTimestampExpired, "too old"},
		{"future timestamp", func(r *http.Request) {
			r.Header.Set("Scp-Timestamp", msAt(h.clock.Now().Add(16*time.Minute)))
		}, 401, codeTimestampExpired, "too far in the future"},
		{"timestamp changed after signing", func(r *http.Request) {
			r.Header.Set("Scp-Timestamp", msAt(h.clock.Now().Add(time.Minute)))
		}, 401, codeHmacValidFail, "does not match"},
		{"missing signature", func(r *http.Request) { r.Header.Del("Scp-Signature") }, 401, codeHmacValidFail, "missing Scp-Signature"},
		{"bad signature", func(r *http.Request) { r.Header.Set("Scp-Signature", "btYjyD8Kl78nwbLwr4Mu1Ld0W4iB0RRg02bZRs//gb4=") }, 401, codeHmacValidFail, "does not match"},
		{"account id not signed", func(r *http.Request) { r.Header.Set("Scp-AccountId", "acct") }, 401, codeHmacValidFail, ""},
		{"client type not signed", func(r *http.Request) { r.Header.Set("Scp-ClientType", "Other") }, 401, codeHmacValidFail, ""},
		{"missing version", func(r *http.Request) { r.Header.Del("Scp-Api-Version") }, 400, codeUnsupportedVersion, `"vpn 1.0", "vpn 1.1"`},
		{"unknown version", func(r *http.Request) { r.Header.Set("Scp-Api-Version", "vpn 2.0") }, 400, codeUnsupportedVersion, `"vpn 1.0", "vpn 1.1"`},
		{"version without service", func(r *http.Request) { r.Header.Set("Scp-Api-Version", "1.1") }, 400, codeUnsupportedVersion, "unsupported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.signed("GET", v11, "/v1/vpn-gateways?page=0&size=20&sort=created_at%3Adesc", nil)
			tt.tamper(r)
			resp := h.send(r)
			require.Equal(t, tt.status, resp.status, "%s", resp.raw)
			assert.NotEmpty(t, resp.header.Get("X-Request-Id"))
			if tt.code == "" {
				return
			}
			assert.Equal(t, "application/json", resp.header.Get("Content-Type"))
			assert.Equal(t, tt.code, resp.errorCode())
			require.Len(t, resp.errorDetails(), 1)
			assert.Contains(t, resp.errorDetails()[0], tt.detail)
			assert.NotContains(t, string(resp.raw), "testSecretKey")
		})
	}
}

func msAt(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// The URL signed must be the one sent: an escape applied twice is the
// classic cause of HmacValidFail.
func TestSignatureCoversQueryAsSent(t *testing.T) {
	h := newHarness(t, Options{})
	url := h.srv.URL + "/v1/vpn-gateways?sort=created_at%253Adesc"
	r, err := http.NewRequest("GET", url, nil)
	require.NoError(t, err)
	r.Header.Set("Scp-Api-Version", v11)
	signRequest(r, h.srv.URL+"/v1/vpn-gateways?sort=created_at%3Adesc", "testAccessKey", "testSecretKey", h.clock.Now())
	resp := h.send(r)
	require.Equal(t, http.StatusUnauthorized, resp.status)
	assert.Equal(t, codeHmacValidFail, resp.errorCode())
	assert.Contains(t, resp.errorDetails()[0], "%253A")
}

func TestSignedAccountID(t *testing.T) {
	h := newHarness(t, Options{})
	url := h.srv.URL + "/v1/vpn-gateways"
	r, err := http.NewRequest("GET", url, nil)
	require.NoError(t, err)
	r.Header.Set("Scp-Api-Version", v10)
	ts := msAt(h.clock.Now())
	r.Header.Set("Scp-AccessKey", "testAccessKey") // the official SDK's spelling
	r.Header.Set("Scp-Timestamp", ts)
	r.Header.Set("Scp-ClientType", "Openapi")
	r.Header.Set("Scp-AccountId", "0e3dffc50eb247a1adf4f2e5c82c4f99")
	r.Header.Set("Scp-Signature", sigverify.Compute("GET", url, ts, "testAccessKey", "0e3dffc50eb247a1adf4f2e5c82c4f99", "Openapi", "testSecretKey"))
	resp := h.send(r)
	require.Equal(t, http.StatusOK, resp.status, "%s", resp.raw)
}

func TestMaxClockSkewOption(t *testing.T) {
	h := newHarness(t, Options{MaxClockSkew: time.Minute})
	r := h.signed("GET", v11, "/v1/vpn-gateways", nil)
	h.clock.Advance(2 * time.Minute)
	resp := h.send(r)
	require.Equal(t, http.StatusUnauthorized, resp.status)
	assert.Equal(t, codeTimestampExpired, resp.errorCode())
	assert.Contains(t, resp.errorDetails()[0], "1m0s")
}
