package vpntest

// This file holds the tests of the Server's life: options and defaults,
// starting, closing, serving in process, seeding and inspecting state.

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn/internal/sigverify"
)

func TestNewServerDefaults(t *testing.T) {
	srv := NewServer(Options{})
	defer srv.Close()
	assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)
	assert.NotEmpty(t, srv.AccessKey)
	assert.NotEmpty(t, srv.SecretKey)
	assert.Regexp(t, `^[0-9a-f]{32}$`, srv.AccountID)

	other := NewServer(Options{})
	defer other.Close()
	assert.NotEqual(t, srv.AccessKey, other.AccessKey)
	assert.NotEqual(t, srv.SecretKey, other.SecretKey)
	assert.NotEqual(t, srv.URL, other.URL)
}

func TestOptions(t *testing.T) {
	h := newHarness(t, Options{
		AccessKey:    "ak",
		SecretKey:    "sk",
		AccountID:    "0e3dffc50eb247a1adf4f2e5c82c4f99",
		GatewayQuota: 1,
	})
	assert.Equal(t, "ak", h.srv.AccessKey)
	assert.Equal(t, "sk", h.srv.SecretKey)

	r := h.do("POST", v11, "/v1/vpn-gateways", gatewayBody("gw1"))
	require.Equal(t, http.StatusAccepted, r.status, "%s", r.raw)
	gw := r.body["vpn_gateway"].(map[string]any)
	assert.Equal(t, "0e3dffc50eb247a1adf4f2e5c82c4f99", gw["account_id"])
	assert.Equal(t, "2024-05-17T00:23:17Z", gw["created_at"])

	r = h.do("POST", v11, "/v1/vpn-gateways", gatewayBody("gw2"))
	require.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, r.errorDetails()[0], "quota")

	// The server's clock also judges timestamps: signed now, a request is
	// years ahead of it.
	req := h.signed("GET", v11, "/v1/vpn-gateways", nil)
	signRequest(req, req.URL.String(), "ak", "sk", time.Now())
	r = h.send(req)
	require.Equal(t, http.StatusUnauthorized, r.status)
	assert.Equal(t, "TimestampExpired", r.errorCode())
}

func TestStartError(t *testing.T) {
	srv := NewServer(Options{})
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	_, err := Start(Options{Addr: addr})
	require.Error(t, err)
	assert.Contains(t, err.Error(), addr)
	assert.Panics(t, func() { NewServer(Options{Addr: addr}) })
}

func TestCloseIdempotent(t *testing.T) {
	h := newHarness(t, Options{})
	require.Equal(t, http.StatusOK, h.do("GET", v11, "/v1/vpn-gateways", nil).status)
	h.srv.Close()
	h.srv.Close()
	_, err := h.client.Do(h.signed("GET", v11, "/v1/vpn-gateways", nil))
	require.Error(t, err, "no longer listening")
}

// Close does not wait for injected delays: it cuts them short, and the
// client sees the connection close rather than an empty answer.
func TestCloseCutsDelays(t *testing.T) {
	h := newHarness(t, Options{})
	h.srv.Script("", "*", Delay(time.Minute))
	errc := make(chan error, 1)
	go func() {
		resp, err := h.client.Do(h.signed("GET", v11, "/v1/vpn-gateways", nil))
		if err == nil {
			resp.Body.Close()
			err = errors.New("unexpected answer " + resp.Status)
		}
		errc <- err
	}()
	require.Eventually(t, func() bool { return h.srv.CountRequests("", "*") == 1 }, time.Minute, time.Millisecond)
	start := time.Now()
	h.srv.Close()
	assert.Less(t, time.Since(start), 30*time.Second, "Close waited for the delay of a minute")
	err := <-errc
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "unexpected answer")
}

// The constructors of Steps, and what the record says of each answer.
func TestFaults(t *testing.T) {
	h := newHarness(t, Options{})
	h.srv.Script("GET", "/v1/vpn-gateways",
		Respond(http.StatusTooManyRequests, "Retry-After", "3", "X-Other", "x"),
		Pass(),
		Drop(),
		Step{Status: http.StatusServiceUnavailable, Delay: 20 * time.Millisecond},
	)
	r := h.do("GET", v11, "/v1/vpn-gateways", nil)
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "3", r.header.Get("Retry-After"))
	assert.Equal(t, "x", r.header.Get("X-Other"))
	assert.Equal(t, "TooManyRequests", r.errorCode())

	assert.Equal(t, http.StatusOK, h.do("GET", v11, "/v1/vpn-gateways", nil).status)

	_, err := h.client.Do(h.signed("GET", v11, "/v1/vpn-gateways", nil))
	require.Error(t, err, "dropped")

	start := time.Now()
	assert.Equal(t, http.StatusServiceUnavailable, h.do("GET", v11, "/v1/vpn-gateways", nil).status)
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)

	assert.Equal(t, http.StatusOK, h.do("GET", v11, "/v1/vpn-gateways", nil).status)

	var statuses []int
	for _, r := range h.srv.Requests() {
		statuses = append(statuses, r.Status)
		assert.Equal(t, "GET", r.Method)
		assert.Equal(t, "/v1/vpn-gateways", r.Path)
		assert.Equal(t, "vpn 1.1", r.Header.Get("Scp-Api-Version"))
	}
	assert.Equal(t, []int{429, 200, 0, 503, 200}, statuses)
	assert.Equal(t, 5, h.srv.CountRequests("GET", "/v1/vpn-gateways"))
	assert.Equal(t, 0, h.srv.CountRequests("GET", "/v1/vpn-gateways/*"))

	h.srv.ClearRequests()
	assert.Empty(t, h.srv.Requests())

	assert.Panics(t, func() { Respond(500, "Retry-After") }) //nolint:staticcheck // an odd header list is the point
	assert.Panics(t, func() { h.srv.Script("GET", "vpn-gateways", Drop()) })
}

func TestStateHelpers(t *testing.T) {
	h := newHarness(t, Options{})
	gw, err := h.srv.AddGateway(GatewaySeed{Name: "seeded"})
	require.NoError(t, err)
	tun, err := h.srv.AddTunnel(TunnelSeed{VPNGatewayID: gw, PreSharedKey: "Secret123"})
	require.NoError(t, err)
	psk, err := h.srv.PreSharedKey(tun)
	require.NoError(t, err)
	assert.Equal(t, "Secret123", psk)

	r := h.do("GET", v11, "/v1/vpn-tunnels/"+tun, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "UP", r.body["vpn_tunnel"].(map[string]any)["status"])

	require.NoError(t, h.srv.ForceState(tun, "ERROR"))
	r = h.do("GET", v11, "/v1/vpn-tunnels/"+tun, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "ERROR", r.body["vpn_tunnel"].(map[string]any)["state"])
	assert.Equal(t, "DOWN", r.body["vpn_tunnel"].(map[string]any)["status"])

	assert.Error(t, h.srv.ForceState("unknown", "ERROR"))
	assert.Error(t, h.srv.ForceState(gw, "BROKEN"))
	_, err = h.srv.AddTunnel(TunnelSeed{})
	assert.Error(t, err)
}

// Handler serves in process, sharing the server's state and record.
func TestHandlerInProcess(t *testing.T) {
	srv := NewServer(Options{})
	defer srv.Close()
	id, err := srv.AddGateway(GatewaySeed{})
	require.NoError(t, err)

	url := "http://vpn.example/v1/vpn-gateways/" + id
	r := httptest.NewRequest("GET", url, nil)
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	r.Header.Set("Scp-Accesskey", srv.AccessKey)
	r.Header.Set("Scp-Timestamp", ts)
	r.Header.Set("Scp-ClientType", "Openapi")
	r.Header.Set("Scp-Api-Version", "vpn 1.0")
	r.Header.Set("Scp-Signature", sigverify.Compute("GET", url, ts, srv.AccessKey, "", "Openapi", srv.SecretKey))
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, r)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), id)
	assert.Equal(t, 1, srv.CountRequests("GET", "/v1/vpn-gateways/*"))
}

// The listener is on loopback only by default.
func TestLoopbackOnly(t *testing.T) {
	srv := NewServer(Options{})
	defer srv.Close()
	host, _, err := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	assert.True(t, net.ParseIP(host).IsLoopback())
}
