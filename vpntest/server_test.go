package vpntest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/scpsdk/scpvpn/internal/fake"
	"github.com/scpsdk/scpvpn/internal/sigverify"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// client signs requests for a Server with plain net/http.
type client struct {
	t   *testing.T
	srv *Server
	hc  *http.Client
	now func() time.Time
}

func newClient(t *testing.T, srv *Server) *client {
	c := &client{t: t, srv: srv, hc: &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}, now: time.Now}
	t.Cleanup(c.hc.CloseIdleConnections)
	return c
}

func (c *client) request(ctx context.Context, method, path string, body any) *http.Request {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(c.t, err)
		rd = strings.NewReader(string(b))
	}
	url := c.srv.URL + path
	r, err := http.NewRequestWithContext(ctx, method, url, rd)
	require.NoError(c.t, err)
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	ts := strconv.FormatInt(c.now().UnixMilli(), 10)
	r.Header.Set("Scp-Accesskey", c.srv.AccessKey)
	r.Header.Set("Scp-Timestamp", ts)
	r.Header.Set("Scp-ClientType", "Openapi")
	r.Header.Set("Scp-Api-Version", "vpn 1.1")
	r.Header.Set("Scp-Signature", sigverify.Compute(method, url, ts, c.srv.AccessKey, "", "Openapi", c.srv.SecretKey))
	return r
}

// do sends a signed request and decodes the JSON answer, if any.
func (c *client) do(method, path string, body any) (int, http.Header, map[string]any) {
	c.t.Helper()
	resp, err := c.hc.Do(c.request(context.Background(), method, path, body))
	require.NoError(c.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	var out map[string]any
	if len(raw) > 0 {
		require.NoError(c.t, json.Unmarshal(raw, &out), "%s", raw)
	}
	return resp.StatusCode, resp.Header, out
}

func gatewayBody(name string) map[string]any {
	return map[string]any{
		"ip_address": "123.0.0.1",
		"ip_id":      "fcde872f75c145a0893d656cc698f13e",
		"ip_type":    "PUBLIC",
		"name":       name,
		"vpc_id":     "ceb44ea5ecb34a49b16495f9a63b0718",
	}
}

func TestDefaultTransitionDelayMatchesEngine(t *testing.T) {
	assert.Equal(t, fake.DefaultTransitionDelay, DefaultTransitionDelay)
}

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
	now := time.Date(2024, 5, 17, 0, 23, 17, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv := NewServer(Options{
		AccessKey:       "ak",
		SecretKey:       "sk",
		AccountID:       "0e3dffc50eb247a1adf4f2e5c82c4f99",
		TransitionDelay: time.Minute,
		GatewayQuota:    1,
		Now:             clock,
	})
	defer srv.Close()
	assert.Equal(t, "ak", srv.AccessKey)
	assert.Equal(t, "sk", srv.SecretKey)
	c := newClient(t, srv)
	c.now = clock

	status, _, body := c.do("POST", "/v1/vpn-gateways", gatewayBody("gw1"))
	require.Equal(t, http.StatusAccepted, status, "%v", body)
	gw := body["vpn_gateway"].(map[string]any)
	assert.Equal(t, "0e3dffc50eb247a1adf4f2e5c82c4f99", gw["account_id"])
	assert.Equal(t, "2024-05-17T00:23:17Z", gw["created_at"])
	id := gw["id"].(string)

	status, _, body = c.do("POST", "/v1/vpn-gateways", gatewayBody("gw2"))
	require.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, body["errors"].([]any)[0].(map[string]any)["detail"], "quota")

	mu.Lock()
	now = now.Add(59 * time.Second)
	mu.Unlock()
	state, err := srv.State(id)
	require.NoError(t, err)
	assert.Equal(t, "CREATING", state)
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	state, err = srv.State(id)
	require.NoError(t, err)
	assert.Equal(t, "ACTIVE", state)

	// The server's clock also judges timestamps.
	c.now = time.Now
	status, _, body = c.do("GET", "/v1/vpn-gateways", nil)
	require.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "TimestampExpired", body["errors"].([]any)[0].(map[string]any)["code"])
}

func TestImmediateTransitions(t *testing.T) {
	srv := NewServer(Options{TransitionDelay: -1})
	defer srv.Close()
	c := newClient(t, srv)
	status, _, body := c.do("POST", "/v1/vpn-gateways", gatewayBody("gw1"))
	require.Equal(t, http.StatusAccepted, status)
	assert.Equal(t, "CREATING", body["vpn_gateway"].(map[string]any)["state"])
	id := body["vpn_gateway"].(map[string]any)["id"].(string)
	_, _, body = c.do("GET", "/v1/vpn-gateways/"+id, nil)
	assert.Equal(t, "ACTIVE", body["vpn_gateway"].(map[string]any)["state"])
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
	srv := NewServer(Options{})
	c := newClient(t, srv)
	status, _, _ := c.do("GET", "/v1/vpn-gateways", nil)
	require.Equal(t, http.StatusOK, status)
	srv.Close()
	srv.Close()
	_, err := c.hc.Do(c.request(context.Background(), "GET", "/v1/vpn-gateways", nil))
	require.Error(t, err, "no longer listening")
}

// Close does not wait for injected delays: it cuts them short, and the
// client sees the connection close rather than an empty answer.
func TestCloseCutsDelays(t *testing.T) {
	srv := NewServer(Options{})
	srv.Script("", "*", Delay(time.Minute))
	c := newClient(t, srv)
	errc := make(chan error, 1)
	go func() {
		resp, err := c.hc.Do(c.request(context.Background(), "GET", "/v1/vpn-gateways", nil))
		if err == nil {
			resp.Body.Close()
			err = errors.New("unexpected answer " + resp.Status)
		}
		errc <- err
	}()
	require.Eventually(t, func() bool { return srv.CountRequests("", "*") == 1 }, time.Second, time.Millisecond)
	start := time.Now()
	srv.Close()
	assert.Less(t, time.Since(start), 5*time.Second)
	err := <-errc
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "unexpected answer")
}

func TestFaults(t *testing.T) {
	srv := NewServer(Options{})
	defer srv.Close()
	c := newClient(t, srv)

	srv.Script("GET", "/v1/vpn-gateways",
		Respond(http.StatusTooManyRequests, "Retry-After", "3", "X-Other", "x"),
		Pass(),
		Drop(),
		Step{Status: http.StatusServiceUnavailable, Delay: 20 * time.Millisecond},
	)
	status, header, body := c.do("GET", "/v1/vpn-gateways", nil)
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "3", header.Get("Retry-After"))
	assert.Equal(t, "x", header.Get("X-Other"))
	assert.Equal(t, "TooManyRequests", body["errors"].([]any)[0].(map[string]any)["code"])

	status, _, _ = c.do("GET", "/v1/vpn-gateways", nil)
	assert.Equal(t, http.StatusOK, status)

	_, err := c.hc.Do(c.request(context.Background(), "GET", "/v1/vpn-gateways", nil))
	require.Error(t, err, "dropped")

	start := time.Now()
	status, _, _ = c.do("GET", "/v1/vpn-gateways", nil)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)

	status, _, _ = c.do("GET", "/v1/vpn-gateways", nil)
	assert.Equal(t, http.StatusOK, status)

	var statuses []int
	for _, r := range srv.Requests() {
		statuses = append(statuses, r.Status)
		assert.Equal(t, "GET", r.Method)
		assert.Equal(t, "/v1/vpn-gateways", r.Path)
		assert.Equal(t, "vpn 1.1", r.Header.Get("Scp-Api-Version"))
	}
	assert.Equal(t, []int{429, 200, 0, 503, 200}, statuses)
	assert.Equal(t, 5, srv.CountRequests("GET", "/v1/vpn-gateways"))
	assert.Equal(t, 0, srv.CountRequests("GET", "/v1/vpn-gateways/*"))

	srv.ClearRequests()
	assert.Empty(t, srv.Requests())

	assert.Panics(t, func() { Respond(500, "Retry-After") }) //nolint:staticcheck // an odd header list is the point
	assert.Panics(t, func() { srv.Script("GET", "vpn-gateways", Drop()) })
}

func TestDelayCutShortByClient(t *testing.T) {
	srv := NewServer(Options{})
	defer srv.Close()
	c := newClient(t, srv)
	srv.Script("", "*", Delay(time.Minute))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.hc.Do(c.request(ctx, "GET", "/v1/vpn-gateways", nil))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestLatency(t *testing.T) {
	srv := NewServer(Options{})
	defer srv.Close()
	c := newClient(t, srv)
	srv.SetLatency("POST", "*", 30*time.Millisecond)
	srv.SetLatency("GET", "/v1/vpn-tunnels", time.Minute)
	start := time.Now()
	status, _, _ := c.do("POST", "/v1/vpn-gateways", gatewayBody("gw1"))
	assert.Equal(t, http.StatusAccepted, status)
	assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond)

	// Latencies of other methods and paths do not apply; a minute would
	// show as a timeout.
	status, _, _ = c.do("GET", "/v1/vpn-gateways", nil)
	assert.Equal(t, http.StatusOK, status)

	srv.SetLatency("", "*", time.Minute)
	srv.Script("", "*", Respond(500))
	srv.ResetFaults()
	start = time.Now()
	status, _, _ = c.do("GET", "/v1/vpn-tunnels", nil)
	assert.Equal(t, http.StatusOK, status)
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestStateHelpers(t *testing.T) {
	srv := NewServer(Options{})
	defer srv.Close()
	c := newClient(t, srv)
	gw, err := srv.AddGateway(GatewaySeed{Name: "seeded"})
	require.NoError(t, err)
	tun, err := srv.AddTunnel(TunnelSeed{VPNGatewayID: gw, PreSharedKey: "Secret123"})
	require.NoError(t, err)
	psk, err := srv.PreSharedKey(tun)
	require.NoError(t, err)
	assert.Equal(t, "Secret123", psk)

	status, _, body := c.do("GET", "/v1/vpn-tunnels/"+tun, nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "UP", body["vpn_tunnel"].(map[string]any)["status"])

	require.NoError(t, srv.ForceState(tun, "ERROR"))
	status, _, body = c.do("GET", "/v1/vpn-tunnels/"+tun, nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "ERROR", body["vpn_tunnel"].(map[string]any)["state"])
	assert.Equal(t, "DOWN", body["vpn_tunnel"].(map[string]any)["status"])

	assert.Error(t, srv.ForceState("unknown", "ERROR"))
	assert.Error(t, srv.ForceState(gw, "BROKEN"))
	_, err = srv.AddTunnel(TunnelSeed{})
	assert.Error(t, err)
}

// Handler serves in process, sharing the server's state.
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

// Many clients at once, under -race.
func TestConcurrentClients(t *testing.T) {
	srv := NewServer(Options{GatewayQuota: 100, TransitionDelay: -1})
	defer srv.Close()
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newClient(t, srv)
			for j := range 5 {
				status, _, _ := c.do("POST", "/v1/vpn-gateways", gatewayBody("gw"+strconv.Itoa(i*10+j)))
				assert.Equal(t, http.StatusAccepted, status)
				status, _, _ = c.do("GET", "/v1/vpn-gateways?sort=name:asc&size=3", nil)
				assert.Equal(t, http.StatusOK, status)
			}
		}()
	}
	wg.Wait()
	c := newClient(t, srv)
	_, _, body := c.do("GET", "/v1/vpn-gateways?size=0", nil)
	assert.EqualValues(t, 50, body["count"])
}

// The listener is on loopback only by default.
func TestLoopbackOnly(t *testing.T) {
	srv := NewServer(Options{})
	defer srv.Close()
	host, _, err := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	assert.True(t, net.ParseIP(host).IsLoopback())
}
