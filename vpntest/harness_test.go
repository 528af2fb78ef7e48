package vpntest

// This file holds what the package's tests share: a harness that starts a
// Server on a settable clock and signs requests for it, the reference's
// examples, and shape checks.

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/scpsdk/scpvpn/internal/sigverify"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// clock is a settable clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2024, 5, 17, 0, 23, 17, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// harness is a Server on a settable clock, with a client that signs like
// the SDK must.
type harness struct {
	t      *testing.T
	srv    *Server
	clock  *clock
	client *http.Client
}

const (
	v10 = "vpn 1.0"
	v11 = "vpn 1.1"
)

// newHarness starts a Server configured by opts, closed when the test
// ends. Unless opts say otherwise, its credentials are fixed and its
// clock is the harness's.
func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	h := &harness{t: t, clock: newClock()}
	if opts.AccessKey == "" {
		opts.AccessKey = "testAccessKey"
	}
	if opts.SecretKey == "" {
		opts.SecretKey = "testSecretKey"
	}
	if opts.Now == nil {
		opts.Now = h.clock.Now
	}
	h.srv = NewServer(opts)
	h.client = &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
	t.Cleanup(func() {
		h.client.CloseIdleConnections()
		h.srv.Close()
	})
	return h
}

// response is an answer, its body decoded when it is JSON.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
	// list is the body when it is a list of ValidationErrorModel.
	list []validationEntry
}

// errorDetails returns the details of an error answer; those of a list of
// ValidationErrorModel as "loc.loc: msg".
func (r *response) errorDetails() []string {
	var out []string
	for _, v := range r.list {
		out = append(out, strings.Join(v.Loc, ".")+": "+v.Msg)
	}
	errs, _ := r.body["errors"].([]any)
	for _, e := range errs {
		out = append(out, e.(map[string]any)["detail"].(string))
	}
	return out
}

// errorCode returns the code of the first error of an answer.
func (r *response) errorCode() string {
	errs, _ := r.body["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	return errs[0].(map[string]any)["code"].(string)
}

// signed returns a request signed with the harness's credentials, for a
// path with query relative to the server.
func (h *harness) signed(method, version, pathQuery string, body any) *http.Request {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		require.NoError(h.t, err)
		rd = bytes.NewReader(enc)
	}
	url := h.srv.URL + pathQuery
	r, err := http.NewRequest(method, url, rd)
	require.NoError(h.t, err)
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if version != "" {
		r.Header.Set("Scp-Api-Version", version)
	}
	signRequest(r, url, h.srv.AccessKey, h.srv.SecretKey, h.clock.Now())
	return r
}

// signRequest sets the signature headers of r for url at now.
func signRequest(r *http.Request, url, accessKey, secretKey string, now time.Time) {
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	r.Header.Set("Scp-Accesskey", accessKey)
	r.Header.Set("Scp-Timestamp", ts)
	r.Header.Set("Scp-ClientType", "Openapi")
	r.Header.Set("Scp-AccountId", "")
	r.Header.Set("Scp-Signature", sigverify.Compute(r.Method, url, ts, accessKey, "", "Openapi", secretKey))
}

// send sends r and reads the answer.
func (h *harness) send(r *http.Request) *response {
	h.t.Helper()
	resp, err := h.client.Do(r)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	out := &response{status: resp.StatusCode, header: resp.Header, raw: raw}
	switch {
	case len(raw) == 0 || resp.Header.Get("Content-Type") != "application/json":
	case raw[0] == '[':
		require.NoError(h.t, json.Unmarshal(raw, &out.list), "body: %s", raw)
	default:
		require.NoError(h.t, json.Unmarshal(raw, &out.body), "body: %s", raw)
	}
	return out
}

// do sends a signed request.
func (h *harness) do(method, version, pathQuery string, body any) *response {
	h.t.Helper()
	return h.send(h.signed(method, version, pathQuery, body))
}

// fixture returns one of the examples of vpn-api-reference.txt, which the
// module keeps once, in its top testdata folder: name is
// "<resource>_<operation>_<1_0|1_1>_<request|response>.json", with "show"
// for the API's Show (the SDK's Get).
func fixture(t *testing.T, name string) map[string]any {
	t.Helper()
	parts := strings.Split(strings.TrimSuffix(name, ".json"), "_")
	require.Len(t, parts, 5, "fixture name %s", name)
	op := parts[1]
	if op == "show" {
		op = "get"
	}
	path := filepath.Join("..", "testdata", "v"+parts[2]+"."+parts[3], parts[0]+"_"+op+"_"+parts[4]+".json")
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var v map[string]any
	require.NoError(t, json.Unmarshal(raw, &v))
	return v
}

// gatewayBody is a valid gateway create request.
func gatewayBody(name string) map[string]any {
	return map[string]any{
		"description": "Example Description for VPN Gateway",
		"ip_address":  "123.0.0.1",
		"ip_id":       "fcde872f75c145a0893d656cc698f13e",
		"ip_type":     "PUBLIC",
		"name":        name,
		"tags":        []any{},
		"vpc_id":      "ceb44ea5ecb34a49b16495f9a63b0718",
	}
}

// tunnelBody is the reference's tunnel create request of version, on
// gateway gw.
func tunnelBody(t *testing.T, version, gw, name string) map[string]any {
	f := "tunnel_create_1_1_request.json"
	if version == v10 {
		f = "tunnel_create_1_0_request.json"
	}
	b := fixture(t, f)
	b["vpn_gateway_id"] = gw
	b["name"] = name
	return b
}

// createGateway creates a gateway and lets it become ACTIVE.
func (h *harness) createGateway(name string) string {
	h.t.Helper()
	r := h.do("POST", v11, "/v1/vpn-gateways", gatewayBody(name))
	require.Equal(h.t, http.StatusAccepted, r.status, "%s", r.raw)
	h.clock.Advance(time.Second)
	return r.body["vpn_gateway"].(map[string]any)["id"].(string)
}

// createTunnel creates a tunnel and lets it become ACTIVE.
func (h *harness) createTunnel(version, gw, name string) string {
	h.t.Helper()
	r := h.do("POST", version, "/v1/vpn-tunnels", tunnelBody(h.t, version, gw, name))
	require.Equal(h.t, http.StatusAccepted, r.status, "%s", r.raw)
	h.clock.Advance(time.Second)
	return r.body["vpn_tunnel"].(map[string]any)["id"].(string)
}

// requireSameShape checks that got has exactly the keys of want, with the
// same JSON types, recursively (arrays by their first element).
func requireSameShape(t *testing.T, want, got any, path string) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		require.True(t, ok, "%s: want an object, got %T", path, got)
		require.ElementsMatch(t, keys(w), keys(g), "%s: keys", path)
		for k := range w {
			requireSameShape(t, w[k], g[k], path+"."+k)
		}
	case []any:
		g, ok := got.([]any)
		require.True(t, ok, "%s: want an array, got %T", path, got)
		if len(w) > 0 && len(g) > 0 {
			requireSameShape(t, w[0], g[0], path+"[0]")
		}
	default:
		if got == nil && strings.HasSuffix(path, ".description") {
			return // nullable
		}
		require.IsType(t, want, got, "%s", path)
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
