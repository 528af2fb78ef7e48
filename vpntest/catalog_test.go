package vpntest

// This file holds the tests of the IAM endpoint catalog.

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// entries reads the endpoints of a catalog answer.
func entries(t *testing.T, r *response) []map[string]any {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, "%s", r.raw)
	require.Equal(t, []string{"endpoints"}, keys(r.body))
	var out []map[string]any
	for _, e := range r.body["endpoints"].([]any) {
		m := e.(map[string]any)
		require.ElementsMatch(t, []string{"region", "service_type", "service_name", "url"}, keys(m))
		out = append(out, m)
	}
	return out
}

func TestCatalog(t *testing.T) {
	h := newHarness(t, Options{})
	require.Equal(t, h.srv.URL+"/iam/v1", h.srv.AuthURL)

	// Signed, without a version header.
	got := entries(t, h.do("GET", "", "/iam/v1/endpoints", nil))
	assert.Equal(t, []map[string]any{
		{"region": "kr-west1", "service_type": "scp-vpn", "service_name": "vpn", "url": h.srv.URL},
	}, got)
	// With one, the same.
	assert.Equal(t, got, entries(t, h.do("GET", v11, "/iam/v1/endpoints", nil)))
	assert.Equal(t, got, entries(t, h.do("GET", "vpn 9.9", "/iam/v1/endpoints?any=thing", nil)))
}

func TestCatalogOptions(t *testing.T) {
	h := newHarness(t, Options{
		Region: "kr-east1",
		Catalog: []CatalogEntry{
			{Region: "kr-west1", ServiceType: "scp-vpn", ServiceName: "vpn", URL: "https://vpn.kr-west1.e.samsungsdscloud.com"},
			{Region: "kr-south1", ServiceType: "scp-vpn", ServiceName: "vpn"},
			{Region: "kr-east1", ServiceType: "scp-vpc", ServiceName: "vpc", URL: "https://vpc.kr-east1.e.samsungsdscloud.com"},
		},
	})
	got := entries(t, h.do("GET", "", "/iam/v1/endpoints", nil))
	assert.Equal(t, []map[string]any{
		{"region": "kr-east1", "service_type": "scp-vpn", "service_name": "vpn", "url": h.srv.URL},
		{"region": "kr-west1", "service_type": "scp-vpn", "service_name": "vpn", "url": "https://vpn.kr-west1.e.samsungsdscloud.com"},
		{"region": "kr-south1", "service_type": "scp-vpn", "service_name": "vpn", "url": h.srv.URL},
		{"region": "kr-east1", "service_type": "scp-vpc", "service_name": "vpc", "url": "https://vpc.kr-east1.e.samsungsdscloud.com"},
	}, got)
}

// The caller's entries are copied at Start.
func TestCatalogOptionsCopied(t *testing.T) {
	extra := []CatalogEntry{{Region: "kr-south1", ServiceType: "scp-vpn", ServiceName: "vpn"}}
	h := newHarness(t, Options{Catalog: extra})
	extra[0].Region = "changed"
	got := entries(t, h.do("GET", "", "/iam/v1/endpoints", nil))
	require.Len(t, got, 2)
	assert.Equal(t, "kr-south1", got[1]["region"])
}

// The catalog is signed like every call, over its URL as received.
func TestCatalogSignature(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name   string
		tamper func(r *http.Request)
		code   string
	}{
		{"unsigned", func(r *http.Request) {
			for _, k := range []string{"Scp-Accesskey", "Scp-Timestamp", "Scp-Signature"} {
				r.Header.Del(k)
			}
		}, codeInvalidAccessKey},
		{"wrong access key", func(r *http.Request) { r.Header.Set("Scp-Accesskey", "other") }, codeInvalidAccessKey},
		{"bad signature", func(r *http.Request) { r.Header.Set("Scp-Signature", "btYjyD8Kl78nwbLwr4Mu1Ld0W4iB0RRg02bZRs//gb4=") }, codeHmacValidFail},
		{"signed for the API's root", func(r *http.Request) {
			signRequest(r, h.srv.URL+"/endpoints", h.srv.AccessKey, h.srv.SecretKey, h.clock.Now())
		}, codeHmacValidFail},
		{"signed without the query sent", func(r *http.Request) { r.URL.RawQuery = "region=kr-west1" }, codeHmacValidFail},
		{"signed with another secret key", func(r *http.Request) {
			signRequest(r, r.URL.String(), h.srv.AccessKey, "wrong", h.clock.Now())
		}, codeHmacValidFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.signed("GET", "", "/iam/v1/endpoints", nil)
			tt.tamper(r)
			resp := h.send(r)
			require.Equal(t, http.StatusUnauthorized, resp.status, "%s", resp.raw)
			assert.Equal(t, tt.code, resp.errorCode())
		})
	}
	// The query is part of what is signed, and then fine.
	assert.Equal(t, http.StatusOK, h.do("GET", "", "/iam/v1/endpoints?region=kr-west1", nil).status)
}

// Faults apply to the catalog as to the API.
func TestCatalogFaults(t *testing.T) {
	h := newHarness(t, Options{})
	h.srv.Script("GET", "/iam/v1/endpoints", Respond(http.StatusInternalServerError))
	r := h.do("GET", "", "/iam/v1/endpoints", nil)
	require.Equal(t, http.StatusInternalServerError, r.status)
	assert.Equal(t, "ContactAdminForAssistance", r.errorCode())
	entries(t, h.do("GET", "", "/iam/v1/endpoints", nil))
	assert.Equal(t, 2, h.srv.CountRequests("GET", "/iam/v1/endpoints"))
}

// The SDK's Signer and the catalog agree: a catalog request signed by it
// is served.
func TestCatalogSignedByTheSDK(t *testing.T) {
	h := sdkHarness(t, Options{})
	hc := &http.Client{Transport: scpvpn.NewSigningTransport(&scpvpn.Signer{AccessKey: h.srv.AccessKey, SecretKey: h.srv.SecretKey}, h.client.Transport)}
	req, err := http.NewRequestWithContext(testCtx(t), http.MethodGet, h.srv.AuthURL+"/endpoints", nil)
	require.NoError(t, err)
	resp, err := hc.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body struct {
		Endpoints []CatalogEntry `json:"endpoints"`
	}
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	assert.Equal(t, []CatalogEntry{{Region: "kr-west1", ServiceType: "scp-vpn", ServiceName: "vpn", URL: h.srv.URL}}, body.Endpoints)
	assert.Empty(t, h.srv.Requests()[0].Header.Get("Scp-Api-Version"))
}
