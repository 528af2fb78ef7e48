package scpvpn_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Checks that keep the contender benchmarks honest, run with the ordinary
// tests: the three contenders send the same calls, and the server refuses
// what it should, so no contender can pass by sending less.

// sentCall is what the server saw of a request, for comparing contenders.
type sentCall struct {
	Method, Target, ContentType, APIVersion, Accept, AcceptLanguage string
	Body                                                            any
}

func TestContendersSendTheSameCalls(t *testing.T) {
	srv := newContenderServer(t)
	var mu sync.Mutex
	var seen []sentCall
	srv.seen = func(r *http.Request, body []byte) {
		c := sentCall{
			Method: r.Method, Target: r.RequestURI, ContentType: r.Header.Get("Content-Type"),
			APIVersion: r.Header.Get("Scp-Api-Version"), Accept: r.Header.Get("Accept"),
			AcceptLanguage: r.Header.Get("Accept-Language"),
		}
		if len(body) > 0 {
			assert.NoError(t, json.Unmarshal(body, &c.Body))
		}
		mu.Lock()
		seen = append(seen, c)
		mu.Unlock()
	}
	ctx := context.Background()
	for _, parallel := range []bool{false, true} {
		clients := newContenderClients(t, srv, parallel)
		for _, call := range contenderCalls(t) {
			mu.Lock()
			seen = nil
			mu.Unlock()
			for _, c := range clients.contenders(ctx, call) {
				require.NoError(t, c.Call(), "%s by %s (parallel clients %v)", call.name, c.Name, parallel)
			}
			mu.Lock()
			got := seen
			mu.Unlock()
			require.Len(t, got, 3, call.name)
			assert.Equal(t, got[0], got[1], "%s: the SDK and net/http", call.name)
			assert.Equal(t, got[0], got[2], "%s: the SDK and resty", call.name)
		}
	}
}

func TestContenderServerRefuses(t *testing.T) {
	srv := newContenderServer(t)
	hc := srv.Client()
	send := func(method, path string, change func(h http.Header)) int {
		t.Helper()
		url := srv.URL + path
		req, err := http.NewRequest(method, url, nil)
		require.NoError(t, err)
		setPlainHeaders(req.Header, method, url)
		change(req.Header)
		resp, err := hc.Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		return resp.StatusCode
	}
	item := gatewaysURLPath + "/" + contenderGatewayID
	assert.Equal(t, http.StatusOK, send(http.MethodGet, item, func(http.Header) {}), "a well signed call")
	assert.Equal(t, http.StatusUnauthorized, send(http.MethodGet, item, func(h http.Header) {
		h.Set("Scp-Timestamp", h.Get("Scp-Timestamp")+"0")
	}), "a signature that does not match")
	assert.Equal(t, http.StatusUnauthorized, send(http.MethodGet, item, func(h http.Header) { h.Del("Scp-Signature") }), "no signature")
	for _, name := range contenderHeaders[4:] {
		assert.Equal(t, http.StatusBadRequest, send(http.MethodGet, item, func(h http.Header) { h.Del(name) }), "without %s", name)
	}
	assert.Equal(t, http.StatusBadRequest, send(http.MethodPost, gatewaysURLPath, func(http.Header) {}), "a create without a body")
	assert.Equal(t, http.StatusNotFound, send(http.MethodGet, strings.TrimSuffix(item, "e")+"f", func(http.Header) {}), "another gateway")
}

func TestContenderServerShareIsMeasured(t *testing.T) {
	srv := newContenderServer(t)
	for _, call := range contenderCalls(t) {
		a := srv.serverAllocs(t, wireRequest(t, srv, call), 20)
		assert.Greater(t, a.Objects, 1.0, call.name)
		assert.Greater(t, a.Bytes, 100.0, call.name)
	}
}
