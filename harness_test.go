package scpvpn_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// The harness of the package's tests: newClient, the one way a test builds a
// client, whatever it talks to; the recorder that keeps what a mock
// transport received; the API reference's examples, as files (fixture) and
// as Go values; and the few helpers the end-to-end files share.
//
// Unit tests sit in the test file of the source file they cover, fuzz tests
// among them (run one with: go test -run=^$ -fuzz=FuzzID -fuzztime=30s .);
// the end-to-end tests against vpntest are in the e2e_*_test.go files, by
// topic.

// TestMain fails the run if a test leaves a goroutine behind: a connection,
// timer or waiter that outlives its call.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// The keys and endpoint of clients that talk to a mock or a real socket.
const (
	testEndpoint  = "https://vpn.kr-west1.e.samsungsdscloud.com"
	testAccessKey = "testAccessKey"
	testSecretKey = "testSecretKey"
)

// fastRetries keeps retry tests quick while still exercising backoff.
var fastRetries = scpvpn.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 50 * time.Millisecond}

// e2eWait makes the waiters poll every few milliseconds.
var e2eWait = scpvpn.WaitPolicy{MinDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

// backend is what a test client talks to: the per-test httpmock transport
// of a wire test, the vpntest server of an end-to-end test, or the URL of a
// real server (an httptest server, for tests on real sockets).
type backend interface {
	*httpmock.MockTransport | *vpntest.Server | string
}

// newClient returns a client of to with fast retries, and:
//   - on an *httpmock.MockTransport: testEndpoint and the test keys, sent
//     through the mock;
//   - on a *vpntest.Server: the server's URL and keys, a transport of the
//     test's own (see e2eTransport) and waiters that poll every few
//     milliseconds;
//   - on a URL: the test keys and the SDK's own transport.
//
// opts come last and override all of that.
func newClient[B backend](t testing.TB, to B, opts ...scpvpn.Option) *scpvpn.Client {
	t.Helper()
	var base []scpvpn.Option
	switch to := any(to).(type) {
	case *httpmock.MockTransport:
		base = []scpvpn.Option{
			scpvpn.WithEndpoint(testEndpoint),
			scpvpn.WithCredentials(testAccessKey, testSecretKey),
			scpvpn.WithTransport(to),
		}
	case *vpntest.Server:
		base = []scpvpn.Option{
			scpvpn.WithEndpoint(to.URL),
			scpvpn.WithCredentials(to.AccessKey, to.SecretKey),
			scpvpn.WithTransport(e2eTransport(t)),
			scpvpn.WithWaitPolicy(e2eWait),
		}
	case string:
		base = []scpvpn.Option{
			scpvpn.WithEndpoint(to),
			scpvpn.WithCredentials(testAccessKey, testSecretKey),
		}
	}
	base = append(base, scpvpn.WithRetryPolicy(fastRetries))
	c, err := scpvpn.NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// e2eTransport is a transport of the test's own, whose idle connections
// are closed when it ends.
func e2eTransport(t testing.TB) *http.Transport {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// recorded is a request as the transport received it.
type recorded struct {
	Request *http.Request
	Body    []byte
}

// recorder answers with fixed responses and keeps every request it saw.
type recorder struct {
	mu       sync.Mutex
	requests []recorded
}

// respond records the request and answers with status and body.
func (r *recorder) respond(status int, body string, header ...string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		r.record(req)
		resp := httpmock.NewStringResponse(status, body)
		if body != "" {
			resp.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(header); i += 2 {
			resp.Header.Set(header[i], header[i+1])
		}
		return resp, nil
	}
}

func (r *recorder) record(req *http.Request) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, recorded{Request: req, Body: body})
}

func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.requests...)
}

// only returns the one request that was recorded.
func (r *recorder) only(t testing.TB) recorded {
	t.Helper()
	all := r.all()
	require.Len(t, all, 1, "requests sent")
	return all[0]
}

// fixture reads testdata/<version>/<name>.json.
func fixture(t testing.TB, version, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", version, name+".json"))
	require.NoError(t, err)
	return string(b)
}

// httpmockResponse builds a JSON answer.
func httpmockResponse(status int, body string) *http.Response {
	resp := httpmock.NewStringResponse(status, body)
	resp.Header.Set("Content-Type", "application/json")
	return resp
}

// cappedGatewayPages answers a list of total gateways (gw0, gw1, ...) as a
// service that holds its pages to capped items whatever size is asked,
// and echoes the size asked.
func cappedGatewayPages(total, capped int) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		q := req.URL.Query()
		page, _ := strconv.Atoi(q.Get("page"))
		asked, _ := strconv.Atoi(q.Get("size"))
		items := []map[string]any{}
		for i := page * capped; i < total && i < (page+1)*capped; i++ {
			items = append(items, map[string]any{"id": "gw" + strconv.Itoa(i), "state": "ACTIVE", "created_at": "2024-05-17T00:23:17Z"})
		}
		body, err := json.Marshal(map[string]any{"count": total, "page": page, "size": asked, "vpn_gateways": items})
		return httpmockResponse(http.StatusOK, string(body)), err
	}
}

// idsByHasNext lists gateways of size a page from page 0 on, as a loop
// guided by HasNext does, and returns their ids in order; it gives up
// after ten pages.
func idsByHasNext(t *testing.T, c *scpvpn.Client, size int) []string {
	t.Helper()
	var ids []string
	for page := 0; page < 10; page++ {
		l, err := c.V1Dot1.Gateways.List(context.Background(), &scpvpn.GatewayListOptions{Page: page, Size: size})
		require.NoError(t, err)
		for _, gw := range l.Gateways {
			ids = append(ids, gw.ID)
		}
		if !l.HasNext() {
			break
		}
	}
	return ids
}

// The end-to-end tests' helpers. Those tests run the SDK against vpntest,
// the strict fake of the API, in both API versions. Every test has its own
// server. Transitions are immediate (TransitionDelay -1) or last a few
// milliseconds, and the waiters poll every few milliseconds, except where a
// test is about time.

// e2eImmediate is a server whose transitions end at the next request.
var e2eImmediate = vpntest.Options{TransitionDelay: -1}

// e2eServer starts a fake that is closed at the end of the test.
func e2eServer(t testing.TB, opts vpntest.Options) *vpntest.Server {
	t.Helper()
	srv := vpntest.NewServer(opts)
	t.Cleanup(srv.Close)
	return srv
}

// e2eCtx bounds a test, so that a hung call fails it rather than the run:
// a minute, which only a hang uses up, however loaded the machine.
func e2eCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// deadlineOnCue returns a context whose deadline passes when pass is
// called, not at a time: a test ends a call's context at the point it
// means (once the server has answered, say), where a short deadline could
// pass before the call even started on a loaded machine. Its Err is then
// context.DeadlineExceeded, as a deadline's. It passes at the end of the
// test at the latest.
func deadlineOnCue(t testing.TB) (ctx context.Context, pass func()) {
	c := &cueContext{Context: context.Background(), done: make(chan struct{})}
	pass = func() { c.once.Do(func() { close(c.done) }) }
	t.Cleanup(pass)
	return c, pass
}

// cueContext is deadlineOnCue's context: Background's values and no
// deadline to see, done when its cue comes.
type cueContext struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func (c *cueContext) Done() <-chan struct{} { return c.done }

func (c *cueContext) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// e2eAPIError returns err as an *APIError, failing the test otherwise.
func e2eAPIError(t testing.TB, err error) *scpvpn.APIError {
	t.Helper()
	require.Error(t, err)
	var apiErr *scpvpn.APIError
	require.True(t, errors.As(err, &apiErr), "want an *APIError, got %T: %v", err, err)
	return apiErr
}

// e2eDetails joins the details of an API error, to look for words in.
func e2eDetails(t testing.TB, err error) string {
	t.Helper()
	return strings.Join(e2eAPIError(t, err).Details, "\n")
}

// e2eRoundTripperFunc turns a function into an http.RoundTripper.
type e2eRoundTripperFunc func(*http.Request) (*http.Response, error)

func (f e2eRoundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// The API reference's examples, as the SDK decodes them (want...) and as a
// user would write the requests.

const (
	gatewayID = "0fdd87aab8cb46f59b7c1f81ed03fb3e"
	tunnelID  = "0fdd87aab8cb46f59b7c1f81ed03fb3e"
)

var exampleTime = time.Date(2024, 5, 17, 0, 23, 17, 0, time.UTC)

func wantGateway() *scpvpn.Gateway {
	return &scpvpn.Gateway{
		AccountID:   "0e3dffc50eb247a1adf4f2e5c82c4f99",
		CreatedAt:   exampleTime,
		CreatedBy:   "90dddfc2b1e04edba54ba2b41539a9ac",
		Description: "Example Description for VPN Gateway",
		ID:          "0fdd87aab8cb46f59b7c1f81ed03fb3e",
		IPAddress:   "123.0.0.1",
		IPID:        "fcde872f75c145a0893d656cc698f13e",
		IPType:      scpvpn.IPTypePublic,
		ModifiedAt:  exampleTime,
		ModifiedBy:  "90dddfc2b1e04edba54ba2b41539a9ac",
		Name:        "ExampleVpnGW1",
		State:       scpvpn.StateActive,
		VPCID:       "ceb44ea5ecb34a49b16495f9a63b0718",
		VPCName:     "ExampleVPC1",
	}
}

func wantGatewayList() *scpvpn.GatewayList {
	return &scpvpn.GatewayList{Count: 20, Page: 0, Size: 20, Sort: []string{"created_at:asc"}, Gateways: []scpvpn.Gateway{*wantGateway()}}
}

// wantPhase1 is phase 1 as Create, Get and Set report it; list says less.
func wantPhase1(full bool) scpvpn.TunnelPhase1 {
	p := scpvpn.TunnelPhase1{DPDRetryInterval: 60, IKEVersion: 2, LifeTime: 86400, PeerGatewayIP: "123.0.0.2"}
	if full {
		p.DiffieHellmanGroups = []int{30, 31, 32}
		p.Encryptions = []string{"des-md5", "chacha20poly1305-prfsha256"}
	}
	return p
}

func wantTunnel(full bool, status scpvpn.TunnelStatus) *scpvpn.Tunnel {
	t := &scpvpn.Tunnel{
		AccountID:   "0e3dffc50eb247a1adf4f2e5c82c4f99",
		CreatedAt:   exampleTime,
		CreatedBy:   "90dddfc2b1e04edba54ba2b41539a9ac",
		Description: "Example Description for VPN Tunnel",
		ID:          "0fdd87aab8cb46f59b7c1f81ed03fb3e",
		ModifiedAt:  exampleTime,
		ModifiedBy:  "90dddfc2b1e04edba54ba2b41539a9ac",
		Name:        "ExampleVpnTunnel1",
		Phase1:      wantPhase1(full),
		Phase2: scpvpn.TunnelPhase2{
			LifeTime: 43200, PerfectForwardSecrecy: scpvpn.PFSEnable, RemoteSubnet: "10.1.0.0/16",
		},
		State:               scpvpn.StateActive,
		Status:              status,
		VPCID:               "ceb44ea5ecb34a49b16495f9a63b0718",
		VPCName:             "ExampleVPC1",
		VPNGatewayID:        "b156740b6335468d8354eb9ef8eddf5a",
		VPNGatewayIPAddress: "123.0.0.1",
		VPNGatewayName:      "ExampleVpnGW1",
	}
	if full {
		t.Phase2.DiffieHellmanGroups = []int{30, 31, 32}
		t.Phase2.Encryptions = []string{"null-md5", "aes128gcm", "chacha20poly1305"}
	}
	return t
}

func wantTunnelV1Dot1(full bool, status scpvpn.TunnelStatus) *scpvpn.TunnelV1Dot1 {
	t := &scpvpn.TunnelV1Dot1{
		AccountID:   "0e3dffc50eb247a1adf4f2e5c82c4f99",
		CreatedAt:   exampleTime,
		CreatedBy:   "90dddfc2b1e04edba54ba2b41539a9ac",
		Description: "Example Description for VPN Tunnel",
		ID:          "0fdd87aab8cb46f59b7c1f81ed03fb3e",
		ModifiedAt:  exampleTime,
		ModifiedBy:  "90dddfc2b1e04edba54ba2b41539a9ac",
		Name:        "ExampleVpnTunnel1",
		Phase1:      wantPhase1(full),
		Phase2: scpvpn.TunnelPhase2V1Dot1{
			LifeTime: 43200, PerfectForwardSecrecy: scpvpn.PFSEnable,
			RemoteSubnets: []string{"10.1.1.0/24", "10.1.2.0/24", "10.1.3.0/24"},
		},
		State:               scpvpn.StateActive,
		Status:              status,
		VPCID:               "ceb44ea5ecb34a49b16495f9a63b0718",
		VPCName:             "ExampleVPC1",
		VPNGatewayID:        "b156740b6335468d8354eb9ef8eddf5a",
		VPNGatewayIPAddress: "123.0.0.1",
		VPNGatewayName:      "ExampleVpnGW1",
	}
	if full {
		t.Phase2.DiffieHellmanGroups = []int{30, 31, 32}
		t.Phase2.Encryptions = []string{"null-md5", "aes128gcm", "chacha20poly1305"}
	}
	return t
}

func gatewayCreateRequest() *scpvpn.GatewayCreateRequest {
	return &scpvpn.GatewayCreateRequest{
		Description: "Example Description for VPN Gateway",
		IPAddress:   "123.0.0.1",
		IPID:        "fcde872f75c145a0893d656cc698f13e",
		IPType:      scpvpn.IPTypePublic,
		Name:        "ExampleVpnGW1",
		VPCID:       "ceb44ea5ecb34a49b16495f9a63b0718",
	}
}

func phase1CreateRequest() scpvpn.TunnelPhase1CreateRequest {
	return scpvpn.TunnelPhase1CreateRequest{
		DPDRetryInterval:    60,
		IKEVersion:          2,
		PeerGatewayIP:       "123.0.0.2",
		DiffieHellmanGroups: []int{30, 31, 32},
		Encryptions:         []string{"des-md5", "chacha20poly1305-prfsha256"},
		LifeTime:            86400,
		PreSharedKey:        "PreSharedKey1",
	}
}

func tunnelCreateRequest() *scpvpn.TunnelCreateRequest {
	return &scpvpn.TunnelCreateRequest{
		Description: "Example Description for VPN Tunnel",
		Name:        "ExampleVpnTunnel1",
		Phase1:      phase1CreateRequest(),
		Phase2: scpvpn.TunnelPhase2CreateRequest{
			PerfectForwardSecrecy: scpvpn.PFSEnable,
			DiffieHellmanGroups:   []int{30, 31, 32},
			Encryptions:           []string{"null-md5", "aes128gcm", "chacha20poly1305"},
			LifeTime:              43200,
			RemoteSubnet:          "10.1.0.0/16",
		},
		Tags:         []scpvpn.Tag{},
		VPNGatewayID: "b156740b6335468d8354eb9ef8eddf5a",
	}
}

func tunnelCreateRequestV1Dot1() *scpvpn.TunnelCreateRequestV1Dot1 {
	return &scpvpn.TunnelCreateRequestV1Dot1{
		Description: "Example Description for VPN Tunnel",
		Name:        "ExampleVpnTunnel1",
		Phase1:      phase1CreateRequest(),
		Phase2: scpvpn.TunnelPhase2CreateRequestV1Dot1{
			PerfectForwardSecrecy: scpvpn.PFSEnable,
			DiffieHellmanGroups:   []int{30, 31, 32},
			Encryptions:           []string{"null-md5", "aes128gcm", "chacha20poly1305"},
			LifeTime:              43200,
			RemoteSubnets:         []string{"10.1.1.0/24", "10.1.2.0/24", "10.1.3.0/24"},
		},
		VPNGatewayID: "b156740b6335468d8354eb9ef8eddf5a",
	}
}

func phase1SetRequest() *scpvpn.TunnelPhase1SetRequest {
	p := phase1CreateRequest()
	return &scpvpn.TunnelPhase1SetRequest{
		DPDRetryInterval: p.DPDRetryInterval, IKEVersion: p.IKEVersion, PeerGatewayIP: p.PeerGatewayIP,
		DiffieHellmanGroups: p.DiffieHellmanGroups, Encryptions: p.Encryptions, LifeTime: p.LifeTime,
		PreSharedKey: p.PreSharedKey,
	}
}

func ptr[T any](v T) *T { return &v }

// What fmt shows, to look for secrets in.

func sprintf(format string, v any) string { return fmt.Sprintf(format, v) }

// hexOf is how %x would show a string, to look for it in output.
func hexOf(s string) string { return hex.EncodeToString([]byte(s)) }

// apiTooManyRequests is the body of the service's own 429: a POST so
// answered is sent again, as it is after no other 4xx (a proxy's 429,
// without it, may come after the service acted).
const apiTooManyRequests = `{"errors":[{"code":"TooManyRequests","detail":"scripted 429"}]}`

// urlClient is a client of the server at url, whose connections are
// closed when the test ends.
func urlClient(t *testing.T, url string, opts ...scpvpn.Option) *scpvpn.Client {
	t.Helper()
	c := newClient(t, url, opts...)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// sequence answers the n-th attempt with rs[n], and every later one with the
// last of rs.
func sequence(rs ...httpmock.Responder) httpmock.Responder {
	var n atomic.Int64
	return func(req *http.Request) (*http.Response, error) {
		i := min(int(n.Add(1))-1, len(rs)-1)
		return rs[i](req)
	}
}

// anyResource answers any operation that reaches the mock but a create: a
// Get or Set of gatewayID or tunnelID.
const anyResource = `{"vpn_gateway": {"id": "` + gatewayID + `", "state": "ACTIVE", "created_at": "2024-05-17T00:23:17Z"},` +
	` "vpn_tunnel": {"id": "` + tunnelID + `", "state": "ACTIVE", "created_at": "2024-05-17T00:23:17Z"}}`

// catchAllAnswering records every request that reaches the mock, whatever
// its URL, and answers it with status: a create with the resource it asks
// for (its body, with an id, a state and a creation time), as the service
// does, anything else with anyResource.
func catchAllAnswering(mock *httpmock.MockTransport, rec *recorder, status int) {
	mock.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		rec.record(req)
		if req.Method != http.MethodPost {
			return httpmockResponse(status, anyResource), nil
		}
		var made map[string]any
		if err := json.NewDecoder(req.Body).Decode(&made); err != nil {
			return nil, err
		}
		made["id"], made["state"], made["created_at"] = "made", "CREATING", "2024-05-17T00:23:17Z"
		for _, phase := range []string{"phase1", "phase2"} {
			// A phase's groups, proposals and lifetime are named without
			// their phase in the answer.
			if fields, ok := made[phase].(map[string]any); ok {
				for k, v := range fields {
					if short, ok := strings.CutPrefix(k, phase+"_"); ok {
						delete(fields, k)
						fields[short] = v
					}
				}
			}
		}
		key := "vpn_gateway"
		if strings.HasSuffix(req.URL.Path, "/vpn-tunnels") {
			key = "vpn_tunnel"
		}
		b, err := json.Marshal(map[string]any{key: made})
		return httpmockResponse(status, string(b)), err
	})
}

// failWith records the request and fails the attempt with err.
func failWith(rec *recorder, err error) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		rec.record(req)
		return nil, err
	}
}
