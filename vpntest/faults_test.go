package vpntest

// This file holds the tests of fault injection and of the request record.

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScriptThenNormal(t *testing.T) {
	h := newHarness(t, Options{})
	h.srv.Script("GET", "/v1/vpn-gateways",
		Step{Status: 503, Header: http.Header{"Retry-After": {"2"}}},
		Step{Status: 500},
		Step{Status: 429, Body: `{"errors":[{"detail":"slow down"}]}`},
	)
	r := h.do("GET", v11, "/v1/vpn-gateways", nil)
	require.Equal(t, 503, r.status)
	assert.Equal(t, "2", r.header.Get("Retry-After"))
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.NotEmpty(t, r.header.Get("X-Request-Id"))
	assert.Equal(t, "ServiceUnavailable", r.errorCode())
	assert.Equal(t, []string{"Service Unavailable (injected by vpntest)"}, r.errorDetails())

	r = h.do("GET", v11, "/v1/vpn-gateways", nil)
	require.Equal(t, 500, r.status)
	assert.Equal(t, "ContactAdminForAssistance", r.errorCode())
	assert.Empty(t, r.header.Get("Retry-After"))

	r = h.do("GET", v11, "/v1/vpn-gateways", nil)
	require.Equal(t, 429, r.status)
	assert.JSONEq(t, `{"errors":[{"detail":"slow down"}]}`, string(r.raw))

	// Exhausted: served normally.
	r = h.do("GET", v11, "/v1/vpn-gateways", nil)
	require.Equal(t, 200, r.status)

	statuses := []int{}
	for _, rec := range h.srv.Requests() {
		statuses = append(statuses, rec.Status)
	}
	assert.Equal(t, []int{503, 500, 429, 200}, statuses)
}

func TestScriptAnswersUnsignedRequests(t *testing.T) {
	h := newHarness(t, Options{})
	h.srv.Script("", "*", Step{Status: 401, Body: `{"errors":[{"detail":"rejected by gateway"}]}`})
	resp, err := h.client.Get(h.srv.URL + "/anything")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode)
	assert.Contains(t, string(body), "rejected by gateway")
}

func TestScriptMatching(t *testing.T) {
	h := newHarness(t, Options{})
	gw := h.createGateway("gw1")
	h.srv.Script("DELETE", "/v1/vpn-gateways/*", Step{Status: 409})
	h.srv.Script("", "/v1/vpn-gateways/*", Step{Status: 502}, Step{Status: 504})
	h.srv.Script("", "*", Step{Status: 418})

	// Not matching the first (method), matching the second.
	assert.Equal(t, 502, h.do("GET", v11, "/v1/vpn-gateways/"+gw, nil).status)
	// First registered with steps left wins.
	assert.Equal(t, 409, h.do("DELETE", v11, "/v1/vpn-gateways/"+gw, nil).status)
	assert.Equal(t, 504, h.do("DELETE", v11, "/v1/vpn-gateways/"+gw, nil).status)
	// Exact paths do not match as prefixes.
	assert.Equal(t, 418, h.do("GET", v11, "/v1/vpn-gateways", nil).status)
	assert.Equal(t, 200, h.do("GET", v11, "/v1/vpn-gateways", nil).status)
	assert.Equal(t, 202, h.do("DELETE", v11, "/v1/vpn-gateways/"+gw, nil).status)

	assert.Equal(t, 3, h.srv.CountRequests("DELETE", "*"))
	assert.Equal(t, 4, h.srv.CountRequests("", "/v1/vpn-gateways/*"))
	assert.Equal(t, 3, h.srv.CountRequests("", "/v1/vpn-gateways"))
	assert.Equal(t, 1, h.srv.CountRequests("POST", "/v1/vpn-gateways"))
	assert.Equal(t, 7, h.srv.CountRequests("", "*"))
}

func TestScriptPassAndHeaders(t *testing.T) {
	h := newHarness(t, Options{})
	h.srv.Script("GET", "*", Step{Header: http.Header{"X-Extra": {"1"}, "x-request-id": {"mine"}}}, Step{Status: 202}, Step{Status: 200, Body: "plain", Header: http.Header{"Content-Type": {"text/plain"}}})
	r := h.do("GET", v11, "/v1/vpn-gateways", nil)
	assert.Equal(t, 200, r.status)
	assert.Equal(t, "1", r.header.Get("X-Extra"))
	assert.Equal(t, []string{"mine"}, r.header.Values("X-Request-Id"))
	assert.EqualValues(t, 0, r.body["count"])

	r = h.do("GET", v11, "/v1/vpn-gateways", nil)
	assert.Equal(t, 202, r.status)
	assert.Empty(t, r.raw)

	r = h.do("GET", v11, "/v1/vpn-gateways", nil)
	assert.Equal(t, 200, r.status)
	assert.Equal(t, "text/plain", r.header.Get("Content-Type"))
	assert.Equal(t, "plain", string(r.raw))
}

func TestScriptInvalid(t *testing.T) {
	srv := newHarness(t, Options{}).srv
	assert.PanicsWithValue(t, `vpntest: Script: invalid path pattern "v1/vpn-gateways": want "*", an exact path such as "/v1/vpn-gateways" or a prefix such as "/v1/vpn-gateways/*"`, func() {
		srv.Script("GET", "v1/vpn-gateways", Step{Status: 500})
	})
	assert.Panics(t, func() { srv.Script("GET", "/v1/*/x", Step{}) })
	assert.Panics(t, func() { srv.Script("GET", "*", Step{Status: 42}) })
	assert.Panics(t, func() { srv.SetLatency("GET", "", time.Second) })
	assert.NoError(t, checkPattern("/v1/vpn-tunnels/*"))
	assert.NoError(t, checkPattern("*"))
}

func TestDrop(t *testing.T) {
	h := newHarness(t, Options{})
	// First on a connection already used, where a clean close would let
	// http.Transport replay the GET by itself.
	require.Equal(t, 200, h.do("GET", v11, "/v1/vpn-gateways", nil).status)
	h.srv.Script("GET", "/v1/vpn-gateways", Step{Drop: true})
	_, err := h.client.Do(h.signed("GET", v11, "/v1/vpn-gateways", nil))
	require.Error(t, err)

	// Then on a fresh connection, for a POST.
	h.client.CloseIdleConnections()
	h.srv.Script("POST", "/v1/vpn-gateways", Step{Drop: true})
	_, err = h.client.Do(h.signed("POST", v11, "/v1/vpn-gateways", gatewayBody("gw1")))
	require.Error(t, err)

	// Each drop reached the server once; nothing was created.
	assert.Equal(t, 2, h.srv.CountRequests("GET", "*"))
	reqs := h.srv.Requests()
	assert.Equal(t, 0, reqs[1].Status)
	assert.Equal(t, 0, reqs[2].Status)
	r := h.do("GET", v11, "/v1/vpn-gateways", nil)
	assert.EqualValues(t, 0, r.body["count"])
}

func TestDropInProcess(t *testing.T) {
	srv := newHarness(t, Options{}).srv
	srv.Script("", "*", Step{Drop: true})
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		srv.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/v1/vpn-gateways", nil))
	})
	assert.Equal(t, 0, srv.Requests()[0].Status)
}

func TestDelay(t *testing.T) {
	h := newHarness(t, Options{})
	h.srv.Script("GET", "*", Step{Delay: 50 * time.Millisecond}, Step{Delay: 30 * time.Millisecond, Status: 503})
	start := time.Now()
	assert.Equal(t, 200, h.do("GET", v11, "/v1/vpn-gateways", nil).status)
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
	start = time.Now()
	assert.Equal(t, 503, h.do("GET", v11, "/v1/vpn-gateways", nil).status)
	assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond)
}

func TestDelayCutShortByClient(t *testing.T) {
	h := newHarness(t, Options{})
	h.srv.Script("GET", "*", Step{Delay: time.Minute})
	// The client hangs up once the server has the request: a deadline of
	// milliseconds could pass before it was sent on a loaded machine.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for h.srv.CountRequests("GET", "*") == 0 && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	start := time.Now()
	_, err := h.client.Do(h.signed("GET", v11, "/v1/vpn-gateways", nil).WithContext(ctx))
	require.ErrorIs(t, err, context.Canceled)
	// The handler stops waiting too: the server's Close (in Cleanup)
	// would otherwise wait for a minute.
	require.Eventually(t, func() bool {
		return len(h.srv.Requests()) == 1 && h.srv.Requests()[0].Status == 0
	}, 30*time.Second, 5*time.Millisecond)
	h.srv.Close()
	assert.Less(t, time.Since(start), 30*time.Second, "the delay of a minute outlived the client")
}

func TestLatency(t *testing.T) {
	h := newHarness(t, Options{})
	// timed returns how long a request takes; a latency of a minute that
	// was meant to be gone shows as a test timing out rather than passing.
	timed := func(path string) time.Duration {
		start := time.Now()
		require.Equal(t, 200, h.do("GET", v11, path, nil).status)
		return time.Since(start)
	}
	const gone = 30 * time.Second // below the minute of a latency left behind, above a loaded machine's stall

	h.srv.SetLatency("GET", "/v1/vpn-tunnels", 40*time.Millisecond)
	h.srv.SetLatency("", "*", 20*time.Millisecond)
	h.srv.SetLatency("POST", "*", time.Minute) // does not match a GET
	assert.GreaterOrEqual(t, timed("/v1/vpn-tunnels"), 60*time.Millisecond, "latencies add up")

	h.srv.SetLatency("", "*", time.Minute)
	h.srv.SetLatency("", "*", 0) // removes
	h.srv.SetLatency("GET", "/v1/vpn-tunnels", time.Minute)
	h.srv.SetLatency("GET", "/v1/vpn-tunnels", 30*time.Millisecond) // replaces
	d := timed("/v1/vpn-tunnels")
	assert.GreaterOrEqual(t, d, 30*time.Millisecond)
	assert.Less(t, d, gone)

	h.srv.SetLatency("", "*", time.Minute)
	h.srv.Script("", "*", Step{Status: 500})
	h.srv.ResetFaults()
	assert.Less(t, timed("/v1/vpn-tunnels"), gone)
}

func TestRequestsRecorded(t *testing.T) {
	h := newHarness(t, Options{})
	h.do("POST", v10, "/v1/vpn-gateways", gatewayBody("gw1"))
	h.do("GET", v11, "/v1/vpn-gateways?page=0&sort=name%3Aasc", nil)
	h.send(h.signed("GET", "vpn 9", "/v1/vpn-tunnels", nil))

	reqs := h.srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "POST", reqs[0].Method)
	assert.Equal(t, "/v1/vpn-gateways", reqs[0].Path)
	assert.Contains(t, string(reqs[0].Body), `"name":"gw1"`)
	assert.Equal(t, v10, reqs[0].Header.Get("Scp-Api-Version"))
	assert.Equal(t, 202, reqs[0].Status)
	assert.Equal(t, "page=0&sort=name%3Aasc", reqs[1].RawQuery)
	assert.Equal(t, 200, reqs[1].Status)
	assert.Equal(t, 400, reqs[2].Status)

	// Copies: changing them changes nothing.
	reqs[0].Header.Set("Scp-Api-Version", "changed")
	reqs[0].Body[0] = 'X'
	again := h.srv.Requests()
	assert.Equal(t, v10, again[0].Header.Get("Scp-Api-Version"))
	assert.Equal(t, byte('{'), again[0].Body[0])

	h.srv.ClearRequests()
	assert.Empty(t, h.srv.Requests())
	assert.Zero(t, h.srv.CountRequests("", "*"))
}
