package vpntest

// This file holds the tests of routing, request ids, defaults, serving
// in process and concurrency.

import (
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRouting(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/", 404, ""},
		{"GET", "/v1", 404, ""},
		{"GET", "/v1/vpn-gateways/", 404, ""},
		{"GET", "/v1/vpn-gateways/abc/def", 404, ""},
		{"GET", "/v1/vpn-gateways/metrics/quotas/", 404, ""},
		{"GET", "/v1/vpn-tunnels/vpn-tunnel-subnet-availabilities/x", 404, ""},
		{"GET", "/iam/v1/endpoints/", 404, ""},
		{"GET", "/v1/endpoints", 404, ""},
		{"POST", "/v1/vpn-gateways/metrics/quotas", 405, "GET"},
		{"PUT", "/v1/vpn-tunnels/metrics/quotas", 405, "GET"},
		// Not taken for a tunnel's id: a 405, not "tunnel not found".
		{"DELETE", "/v1/vpn-tunnels/vpn-tunnel-subnet-availabilities", 405, "GET"},
		{"PUT", "/v1/vpn-tunnels/vpn-tunnel-subnet-availabilities", 405, "GET"},
		{"DELETE", "/iam/v1/endpoints", 405, "GET"},
		{"GET", "/v2/vpn-gateways", 404, ""},
		{"GET", "/v1/vpn-gatewayss", 404, ""},
		{"PUT", "/v1/vpn-gateways", 405, "GET, POST"},
		{"DELETE", "/v1/vpn-tunnels", 405, "GET, POST"},
		{"POST", "/v1/vpn-gateways/abc", 405, "GET, PUT, DELETE"},
		{"PATCH", "/v1/vpn-tunnels/abc", 405, "GET, PUT, DELETE"},
		{"HEAD", "/v1/vpn-tunnels", 405, "GET, POST"},
	}
	for _, tt := range tests {
		for _, version := range []string{v11, ""} { // the router answers before the version is looked at
			r := h.do(tt.method, version, tt.path, nil)
			require.Equal(t, tt.status, r.status, "%s %s %q", tt.method, tt.path, version)
			assert.Equal(t, tt.allow, r.header.Get("Allow"), "%s %s", tt.method, tt.path)
			// A router's answer, not the service's: plain text, never the
			// API's error body, which says something of a resource.
			assert.Equal(t, "text/plain; charset=utf-8", r.header.Get("Content-Type"), "%s %s", tt.method, tt.path)
			if tt.method != "HEAD" {
				assert.Empty(t, r.errorCode(), "%s %s: %s", tt.method, tt.path, r.raw)
				assert.NotContains(t, string(r.raw), `"errors"`, "%s %s", tt.method, tt.path)
				want := "no such endpoint: " + tt.path
				if tt.status == http.StatusMethodNotAllowed {
					want = "method " + tt.method + " is not allowed on " + tt.path + "; allowed: " + tt.allow
				}
				assert.Equal(t, want+"\n", string(r.raw))
			}
		}
	}
	// A 404 about a resource is the service's: its error body, even for
	// an id that reads like an endpoint.
	for _, path := range []string{"/v1/vpn-gateways/abc", "/v1/vpn-gateways/metrics", "/v1/vpn-tunnels/abc"} {
		r := h.do("GET", v11, path, nil)
		require.Equal(t, http.StatusNotFound, r.status, path)
		assert.Equal(t, "application/json", r.header.Get("Content-Type"), path)
		assert.Equal(t, "NotFound", r.errorCode(), "%s: %s", path, r.raw)
	}
	// Unknown paths still need a signature.
	unsigned, err := http.NewRequest("GET", h.srv.URL+"/nowhere", nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, h.send(unsigned).status)
}

func TestRequestIDs(t *testing.T) {
	h := newHarness(t, Options{})
	seen := map[string]bool{}
	for range 20 {
		r := h.do("GET", v11, "/v1/vpn-gateways", nil)
		id := r.header.Get("X-Request-Id")
		require.NotEmpty(t, id)
		assert.False(t, seen[id], "duplicate request id %s", id)
		seen[id] = true
		assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	}
}

// Every answer is dated by the server's clock, that of its created_at
// values, not the machine's.
func TestDateIsTheServersClock(t *testing.T) {
	h := newHarness(t, Options{})
	h.clock.Advance(time.Hour)
	want := h.clock.Now().UTC().Format(http.TimeFormat)
	for _, path := range []string{"/v1/vpn-gateways", "/v1/vpn-gateways/abc", "/nowhere"} {
		r := h.do("GET", v11, path, nil)
		assert.Equal(t, want, r.header.Get("Date"), "%s: %d", path, r.status)
	}
	r := h.send(h.signed("POST", v11, "/v1/vpn-gateways", gatewayBody("gw1")))
	require.Equal(t, http.StatusAccepted, r.status, "%s", r.raw)
	assert.Equal(t, want, r.header.Get("Date"))
	assert.Equal(t, h.clock.Now().UTC().Format(time.RFC3339), r.body["vpn_gateway"].(map[string]any)["created_at"])
}

func TestDefaults(t *testing.T) {
	srv := NewServer(Options{})
	defer srv.Close()
	cfg := srv.opts
	assert.Regexp(t, `^[0-9a-f]{20}$`, cfg.AccessKey)
	assert.Regexp(t, `^[0-9a-f]{40}$`, cfg.SecretKey)
	assert.Regexp(t, hexID, cfg.AccountID)
	assert.Equal(t, DefaultTransitionDelay, cfg.TransitionDelay)
	assert.Equal(t, 3, cfg.GatewayQuota)
	assert.Equal(t, 5, cfg.TunnelQuota)
	assert.Equal(t, 15*time.Minute, cfg.MaxClockSkew)
	assert.NotNil(t, cfg.Now)
	assert.Equal(t, cfg.AccessKey, srv.AccessKey)
	assert.Equal(t, cfg.SecretKey, srv.SecretKey)
	assert.Equal(t, cfg.AccountID, srv.AccountID)
}

// The server also serves in process, through Handler, as with
// httptest.NewRecorder.
func TestInProcess(t *testing.T) {
	srv := newHarness(t, Options{AccessKey: "ak", SecretKey: "sk", Now: time.Now}).srv
	r := httptest.NewRequest("GET", "http://vpn.example/v1/vpn-gateways?size=5", nil)
	r.Header.Set("Scp-Api-Version", v11)
	signRequest(r, "http://vpn.example/v1/vpn-gateways?size=5", "ak", "sk", time.Now())
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, r)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.JSONEq(t, `{"count":0,"page":0,"size":5,"sort":["created_at:asc"],"vpn_gateways":[]}`, w.Body.String())

	// A client-side request, as an httpmock responder gets it.
	r, err := http.NewRequest("GET", "http://vpn.example/v1/vpn-gateways", nil)
	require.NoError(t, err)
	r.Header.Set("Scp-Api-Version", v10)
	signRequest(r, "http://vpn.example/v1/vpn-gateways", "ak", "sk", time.Now())
	w = httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, r)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
}

func TestPageBounds(t *testing.T) {
	items := []int{1, 2, 3, 4, 5}
	assert.Equal(t, []int{1, 2}, page(items, 0, 2))
	assert.Equal(t, []int{5}, page(items, 2, 2))
	assert.Empty(t, page(items, 3, 2))
	assert.Empty(t, page(items, math.MaxInt, 2))
	assert.Empty(t, page(items, math.MaxInt, math.MaxInt))
	assert.Equal(t, items, page(items, 0, 10000))
	assert.Empty(t, page(items, 0, 0))
	assert.Empty(t, page([]int{}, 0, 20))
}

// Many clients creating, listing and deleting at once, under -race.
func TestConcurrency(t *testing.T) {
	h := newHarness(t, Options{GatewayQuota: 1000, TransitionDelay: -1})
	h.client.Transport.(*http.Transport).MaxIdleConnsPerHost = 32
	const workers, each = 16, 8
	var wg sync.WaitGroup
	errs := make(chan string, workers*each*3)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				name := "gw" + itoa(w) + "x" + itoa(i)
				r := h.send(h.signed("POST", v11, "/v1/vpn-gateways", gatewayBody(name)))
				if r.status != http.StatusAccepted {
					errs <- "create: " + string(r.raw)
					continue
				}
				if r := h.send(h.signed("GET", v10, "/v1/vpn-gateways?size=5&sort=name:desc", nil)); r.status != http.StatusOK {
					errs <- "list: " + string(r.raw)
				}
				id := r.body["vpn_gateway"].(map[string]any)["id"].(string)
				if r := h.send(h.signed("GET", v11, "/v1/vpn-gateways/"+id, nil)); r.status != http.StatusOK {
					errs <- "get: " + string(r.raw)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	r := h.do("GET", v11, "/v1/vpn-gateways?size=1", nil)
	assert.EqualValues(t, workers*each, r.body["count"])
	assert.Len(t, h.srv.Requests(), workers*each*3+1)
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}
