package scpvpn_test

// Tests of the call path below the services: an echoed secret never
// comes back out, and a cut answer is asked again where that is safe.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

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
