package scpvpn_test

// Outcomes that never lie: a Set is never reported done when the service
// does not hold it, a Delete of what never existed is not found, an echoed
// secret never comes back out, one call's memory stays bounded whatever the
// server sends, and a cut answer is asked again where that is safe. Each
// test here failed on the SDK before these rules were made.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// urlClient is a client of the server at url, whose connections are
// closed when the test ends.
func urlClient(t *testing.T, url string, opts ...scpvpn.Option) *scpvpn.Client {
	t.Helper()
	c := newClient(t, url, opts...)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// A Set retried after an answer that says the service did not act (503,
// 429), or after one that may hide an action (502) but whose values the
// resource does not hold, must not report success: the change was not made.
func TestSetNeverReportsAChangeTheServiceDoesNotHold(t *testing.T) {
	t.Parallel()
	for _, first := range []int{http.StatusServiceUnavailable, http.StatusTooManyRequests, http.StatusBadGateway, http.StatusGatewayTimeout} {
		t.Run("gateway/"+strconv.Itoa(first), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := vpntest.NewServer(vpntest.Options{TransitionDelay: time.Hour})
			t.Cleanup(srv.Close)
			id, err := srv.AddGateway(vpntest.GatewaySeed{Name: "gw1"})
			require.NoError(t, err)
			c := newClient(t, srv)

			_, err = c.V1Dot1.Gateways.Set(ctx, id, &scpvpn.GatewaySetRequest{Description: ptr("first")})
			require.NoError(t, err) // now EDITING, for an hour
			srv.Script(http.MethodPut, "/v1/vpn-gateways/*", vpntest.Respond(first))
			gw, err := c.V1Dot1.Gateways.Set(ctx, id, &scpvpn.GatewaySetRequest{Description: ptr("second")})
			require.ErrorIs(t, err, scpvpn.ErrConflict, "the service holds %q, not the change asked for", "first")
			assert.Nil(t, gw)

			held, err := c.V1Dot1.Gateways.Get(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, "first", held.Description)
		})
	}

	t.Run("tunnel v1.1 phase fields", func(t *testing.T) {
		t.Parallel()
		ctx := context.Background()
		srv := vpntest.NewServer(vpntest.Options{TransitionDelay: time.Hour})
		t.Cleanup(srv.Close)
		gw, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		id, err := srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw})
		require.NoError(t, err)
		c := newClient(t, srv)

		_, err = c.V1Dot1.Tunnels.Set(ctx, id, &scpvpn.TunnelSetRequestV1Dot1{Phase2: &scpvpn.TunnelPhase2SetRequestV1Dot1{LifeTime: 3600}})
		require.NoError(t, err)
		srv.Script(http.MethodPut, "/v1/vpn-tunnels/*", vpntest.Respond(http.StatusBadGateway))
		_, err = c.V1Dot1.Tunnels.Set(ctx, id, &scpvpn.TunnelSetRequestV1Dot1{Phase2: &scpvpn.TunnelPhase2SetRequestV1Dot1{LifeTime: 7200}})
		require.ErrorIs(t, err, scpvpn.ErrConflict)

		held, err := c.V1Dot1.Tunnels.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, 3600, held.Phase2.LifeTime)
	})

	// The service never returns a pre-shared key, so a Set that changes one
	// cannot be confirmed after a lost answer: a false conflict is safe.
	t.Run("a pre-shared key cannot be confirmed", func(t *testing.T) {
		t.Parallel()
		srv := vpntest.NewServer(vpntest.Options{TransitionDelay: time.Hour})
		t.Cleanup(srv.Close)
		gw, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		id, err := srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw})
		require.NoError(t, err)
		c := urlClient(t, lossyFront(t, srv, http.MethodPut).URL, scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey))

		_, err = c.V1Dot1.Tunnels.Set(context.Background(), id, &scpvpn.TunnelSetRequestV1Dot1{
			Phase1: &scpvpn.TunnelPhase1SetRequest{PreSharedKey: "a-new-key-1234"},
		})
		require.ErrorIs(t, err, scpvpn.ErrConflict)
	})
}

// A Delete of an id that never existed is ErrNotFound, even when its first
// attempt was answered 503: the service did not act, so the 404 is not the
// SDK's own doing.
func TestDeleteOfWhatNeverExistedIsNotFound(t *testing.T) {
	t.Parallel()
	for _, first := range []int{0, http.StatusServiceUnavailable, http.StatusTooManyRequests} {
		t.Run(strconv.Itoa(first), func(t *testing.T) {
			t.Parallel()
			srv := vpntest.NewServer(vpntest.Options{})
			t.Cleanup(srv.Close)
			c := newClient(t, srv)
			if first != 0 {
				srv.Script(http.MethodDelete, "*", vpntest.Respond(first))
			}
			err := c.V1Dot1.Gateways.Delete(context.Background(), "0fdd87aab8cb46f59b7c1f81ed03fb3e")
			require.ErrorIs(t, err, scpvpn.ErrNotFound)
			err = c.V1Dot0.Tunnels.Delete(context.Background(), "0fdd87aab8cb46f59b7c1f81ed03fb3e")
			require.ErrorIs(t, err, scpvpn.ErrNotFound)
		})
	}
}

// echoedSecret is a pre-shared key with characters JSON escapes.
const echoedSecret = `Psk<&>"echo'é-4711`

// TestEchoedSecretsNeverComeBackOut answers a tunnel create with error
// bodies that repeat the pre-shared key (and the secret key) in the shapes
// validation layers use, and looks for them in every output of the SDK.
func TestEchoedSecretsNeverComeBackOut(t *testing.T) {
	t.Parallel()
	quoted := func(s string) string { // s as Go's JSON writes it inside a string
		b, err := json.Marshal(s)
		require.NoError(t, err)
		return string(b[1 : len(b)-1])
	}
	// s as Python's json.dumps writes it: every non-ASCII character escaped.
	const pythonQuoted = `Psk<&>\"echo'\u00e9-4711`
	bodies := map[string]string{
		"pydantic list": `[{"loc":["body","phase1","pre_shared_key"],"msg":"bad key ` + quoted(echoedSecret) + `","type_":"value_error","input":"` + quoted(echoedSecret) + `"}]`,
		"detail quoting the body": `{"errors":[{"code":"InvalidBody","detail":"invalid body: {\"phase1\":{\"pre_shared_key\":\"` +
			quoted(quoted(echoedSecret)) + `\"}}"}]}`,
		"other spellings": `{"errors":[{"code":"Bad","detail":"bad","preSharedKey":"` + quoted(echoedSecret) + `","psk":"` + quoted(echoedSecret) + `"}]}`,
		"plain text":      `the key ` + echoedSecret + ` is refused`,
		"python escaping": `{"errors":[{"code":"Bad","detail":"key ` + pythonQuoted + ` refused"}]}`,
		"the secret key":  `{"errors":[{"code":"HmacValidFail","detail":"signature with key ` + testSecretKey + ` did not verify"}]}`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock, scpvpn.WithLogger(logger), scpvpn.WithBodyLogging())
			mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-tunnels", func(*http.Request) (*http.Response, error) {
				return httpmockResponse(http.StatusBadRequest, body), nil
			})
			req := tunnelCreateRequestV1Dot1()
			req.Phase1.PreSharedKey = echoedSecret
			_, err := c.V1Dot1.Tunnels.Create(context.Background(), req)
			var apiErr *scpvpn.APIError
			require.ErrorAs(t, err, &apiErr)

			outputs := map[string]string{
				"Error()":  err.Error(),
				"%v":       fmt.Sprintf("%v", err),
				"%+v":      fmt.Sprintf("%+v", err),
				"%#v":      fmt.Sprintf("%#v", err),
				"Details":  strings.Join(apiErr.Details, "\n"),
				"Body":     string(apiErr.Body),
				"APIError": fmt.Sprintf("%#v", *apiErr),
				"logs":     logs.String(),
			}
			for where, out := range outputs {
				for _, secret := range []string{echoedSecret, quoted(echoedSecret), pythonQuoted, `u00e9-4711`, testSecretKey} {
					assert.NotContains(t, out, secret, "%s shows a secret", where)
				}
			}
			assert.Contains(t, string(apiErr.Body), "[REDACTED]", "the body says where something was removed")
		})
	}
}

// hostileServer answers every request with status and the body made of
// parts, gzip-encoded when gz is set.
func hostileServer(t *testing.T, status int, body [][]byte, gz bool) *httptest.Server {
	t.Helper()
	n := 0
	for _, p := range body {
		n += len(p)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if gz {
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.Header().Set("Content-Length", strconv.Itoa(n))
		w.WriteHeader(status)
		for _, p := range body {
			if _, err := w.Write(p); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func gzipped(t *testing.T, parts ...[]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	require.NoError(t, err)
	for _, p := range parts {
		_, err = zw.Write(p)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// allocatedBy returns the bytes allocated while f ran: an upper bound of how
// much it grew the heap. The test that uses it is not parallel, so little
// else runs meanwhile.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Whatever a server sends, plain or compressed, one call never grows the
// heap by more than 64 MiB. Not parallel: it measures the heap.
func TestOneCallsMemoryIsBounded(t *testing.T) { //nolint:paralleltest // measures the heap
	const bound = 64 << 20
	emptyItems := bytes.Repeat([]byte("{},"), 4<<20/3)
	listStart, listEnd := []byte(`{"count":1,"page":0,"size":20,"vpn_gateways":[`), []byte(`{}]}`)
	bigString := bytes.Repeat([]byte("x"), 72<<20)
	b := func(parts ...string) [][]byte { // strings, and bigString for "*"
		out := make([][]byte, len(parts))
		for i, p := range parts {
			if out[i] = []byte(p); p == "*" {
				out[i] = bigString
			}
		}
		return out
	}
	// A gzip stream may hold several members: 48 of a MiB of spaces each.
	spaces := [][]byte{gzipped(t, listStart)}
	for mib := gzipped(t, bytes.Repeat([]byte(" "), 1<<20)); len(spaces) <= 48; {
		spaces = append(spaces, mib)
	}
	cases := []struct {
		name   string
		status int
		body   [][]byte
		gz     bool
		call   func(c *scpvpn.Client) error
	}{
		{"a list of 1.4 million empty gateways", 200, [][]byte{listStart, emptyItems, listEnd}, false, listGateways},
		{"the same, gzip-compressed", 200, [][]byte{gzipped(t, listStart, emptyItems, listEnd)}, true, listGateways},
		{"a list that inflates to 48 MiB of spaces", 200, spaces, true, listGateways},
		{"one gateway with a 72 MiB name", 200, b(`{"vpn_gateway":{"id":"g","name":"`, "*", `"}}`), false, getGateway},
		{"a list item with a 72 MiB name", 200, b(string(listStart)+`{"name":"`, "*", `"}]}`), false, listGateways},
		{"an error body of 72 MiB", 400, b(`{"errors":[{"detail":"`, "*", `"}]}`), false, getGateway},
		{"an error body of a million entries", 400, [][]byte{[]byte(`{"errors":[`), emptyItems, []byte(`{}]}`)}, false, getGateway},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := hostileServer(t, tc.status, tc.body, tc.gz)
			c := urlClient(t, srv.URL, scpvpn.WithoutRetries())
			var err error
			grew := allocatedBy(func() { err = tc.call(c) })
			require.Error(t, err, "a hostile answer is refused")
			assert.Less(t, grew, uint64(bound), "one call allocated %d MiB", grew>>20)
		})
	}
}

func listGateways(c *scpvpn.Client) error {
	_, err := c.V1Dot1.Gateways.List(context.Background(), nil)
	return err
}

func getGateway(c *scpvpn.Client) error {
	_, err := c.V1Dot1.Gateways.Get(context.Background(), "g")
	return err
}

// A list page never holds more items than the page size asked for: the
// answer is refused while it is read, before the items are built.
func TestAListPageHoldsNoMoreThanItsSize(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	items := strings.Repeat(`{"id":"g"},`, 5) + `{"id":"g"}`
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(*http.Request) (*http.Response, error) {
		return httpmockResponse(http.StatusOK, `{"count":6,"page":0,"size":5,"vpn_gateways":[`+items+`]}`), nil
	})
	_, err := c.V1Dot1.Gateways.List(context.Background(), &scpvpn.GatewayListOptions{Size: 5})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "more than the 5 items")

	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(*http.Request) (*http.Response, error) {
		return httpmockResponse(http.StatusOK, `{"count":6,"page":0,"size":6,"vpn_gateways":[`+items+`]}`), nil
	})
	list, err := c.V1Dot1.Gateways.List(context.Background(), &scpvpn.GatewayListOptions{Size: 6})
	require.NoError(t, err)
	assert.Len(t, list.Gateways, 6)
}

// cutServer answers the first request of each method with the headers and
// the first 20 bytes of body, then closes the connection; later requests get
// the whole answer.
func cutServer(t *testing.T, status int, body string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var requests atomic.Int32
	cut := map[string]*atomic.Bool{}
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		cut[m] = new(atomic.Bool)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if !cut[r.Method].Swap(true) {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
				status, http.StatusText(status), len(body), body[:20])
			_ = buf.Flush()
			_ = conn.Close()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &requests
}

// An answer cut mid-body is a transport failure: asked again for GET and PUT
// under the retry policy, never for POST, where the create may have happened.
func TestCutAnswersAreRetriedWhereSafe(t *testing.T) {
	t.Parallel()
	gateway := fixture(t, "v1.1", "gateway_get_response")
	ctx := context.Background()

	t.Run("GET", func(t *testing.T) {
		t.Parallel()
		srv, n := cutServer(t, http.StatusOK, gateway)
		c := urlClient(t, srv.URL)
		gw, err := c.V1Dot1.Gateways.Get(ctx, "g")
		require.NoError(t, err)
		assert.Equal(t, "ExampleVpnGW1", gw.Name)
		assert.EqualValues(t, 2, n.Load())
	})
	t.Run("PUT", func(t *testing.T) {
		t.Parallel()
		srv, n := cutServer(t, http.StatusAccepted, gateway)
		c := urlClient(t, srv.URL)
		gw, err := c.V1Dot1.Gateways.Set(ctx, "g", &scpvpn.GatewaySetRequest{Description: ptr("x")})
		require.NoError(t, err)
		assert.Equal(t, "ExampleVpnGW1", gw.Name)
		assert.EqualValues(t, 2, n.Load())
	})
	t.Run("POST", func(t *testing.T) {
		t.Parallel()
		srv, n := cutServer(t, http.StatusAccepted, gateway)
		c := urlClient(t, srv.URL)
		_, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
		require.Error(t, err)
		assert.EqualValues(t, 1, n.Load(), "a create is never sent twice once it may have been acted on")
		assert.Contains(t, err.Error(), "cut short")
	})
	t.Run("GET cut every time", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		var sent atomic.Int32
		mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/g", func(*http.Request) (*http.Response, error) {
			sent.Add(1)
			resp := httpmockResponse(http.StatusOK, gateway)
			resp.Body = &cutBody{r: strings.NewReader(gateway[:20])}
			return resp, nil
		})
		c := newClient(t, mock)
		_, err := c.V1Dot1.Gateways.Get(ctx, "g")
		require.Error(t, err)
		assert.EqualValues(t, fastRetries.MaxAttempts, sent.Load(), "retried under the policy, then reported")
	})
}

// cutBody ends with a connection reset after its content.
type cutBody struct{ r *strings.Reader }

func (b *cutBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if errors.Is(err, io.EOF) {
		return n, errors.New("read: connection reset by peer")
	}
	return n, err
}

func (b *cutBody) Close() error { return nil }
