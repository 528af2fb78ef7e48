package scpvpn_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// The errors a call returns: each status the API answers as an *APIError
// with its sentinel, huge error bodies read through a limit, a proxy's HTML
// page, and the messages of APIError and ValidationError.

// TestErrorMapping answers each status the reference lists (and the ones
// seen in the field) and checks what the caller gets.
func TestErrorMapping(t *testing.T) {
	t.Parallel()
	sentinels := []error{scpvpn.ErrBadRequest, scpvpn.ErrUnauthorized, scpvpn.ErrForbidden, scpvpn.ErrNotFound, scpvpn.ErrConflict, scpvpn.ErrRateLimited}
	tests := []struct {
		status  int
		body    string
		want    error // nil: no sentinel
		details []string
	}{
		{http.StatusBadRequest, `{"errors":[{"code":"scp-network.vpc-endpoint.subnet-not-found","detail":"subnet not found"}]}`,
			scpvpn.ErrBadRequest, []string{"scp-network.vpc-endpoint.subnet-not-found: subnet not found"}},
		{http.StatusBadRequest, `[{"loc":["body","phase1","ike_version"],"msg":"value is not a valid integer","type_":"type_error.integer"}]`,
			scpvpn.ErrBadRequest, []string{"body.phase1.ike_version: value is not a valid integer"}},
		{http.StatusBadRequest, `[{"ctx":null,"loc":null,"msg":"the gateway is busy","type_":"value_error"},{"type_":"value_error.missing","loc":null}]`,
			scpvpn.ErrBadRequest, []string{"the gateway is busy", "value_error.missing"}},
		{http.StatusUnauthorized, `{"errors":[{"code":"HmacValidFail","detail":"HmacValidFail"}]}`,
			scpvpn.ErrUnauthorized, []string{"HmacValidFail"}},
		{http.StatusUnauthorized, `{"errors":[{"detail":["rejected by gateway","catalog has not target"]}]}`,
			scpvpn.ErrUnauthorized, []string{"rejected by gateway", "catalog has not target"}},
		{http.StatusForbidden, `{"errors":[{"detail":"permission denied"}]}`, scpvpn.ErrForbidden, []string{"permission denied"}},
		{http.StatusNotFound, `{"errors":[{"detail":"vpn gateway not found"}]}`, scpvpn.ErrNotFound, []string{"vpn gateway not found"}},
		{http.StatusConflict, `{"errors":[{"detail":"vpn gateway has tunnels"}]}`, scpvpn.ErrConflict, []string{"vpn gateway has tunnels"}},
		{http.StatusTooManyRequests, ``, scpvpn.ErrRateLimited, nil},
		{http.StatusInternalServerError, `{"errors":[{"code":"ContactAdminForAssistance","title":"Internal error"}]}`,
			nil, []string{"ContactAdminForAssistance: Internal error"}},
		{http.StatusBadGateway, `<html>bad gateway</html>`, nil, nil},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock, scpvpn.WithoutRetries())
			var rec recorder
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/gw1", rec.respond(tt.status, tt.body, "X-Request-Id", "req-42"))

			gw, err := c.V1Dot1.Gateways.Get(context.Background(), "gw1")
			require.Error(t, err)
			assert.Nil(t, gw)

			var apiErr *scpvpn.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, http.MethodGet, apiErr.Method)
			assert.Equal(t, testEndpoint+"/v1/vpn-gateways/gw1", apiErr.URL)
			assert.Equal(t, tt.details, apiErr.Details)
			assert.Equal(t, tt.body, string(apiErr.Body))
			assert.Equal(t, "req-42", apiErr.RequestID)
			assert.Equal(t, 1, apiErr.Attempts)
			for _, s := range sentinels {
				assert.Equal(t, errors.Is(tt.want, s), errors.Is(err, s), "errors.Is(err, %v)", s)
			}

			msg := err.Error()
			assert.Contains(t, msg, "GET /v1/vpn-gateways/gw1")
			assert.Contains(t, msg, http.StatusText(tt.status))
			assert.Contains(t, msg, "request id req-42")
			for _, d := range tt.details {
				assert.Contains(t, msg, d)
			}
		})
	}
}

func TestAPIErrorMessage(t *testing.T) {
	t.Parallel()
	err := &scpvpn.APIError{
		StatusCode: 409, Method: "DELETE", URL: "https://vpn.example/v1/vpn-gateways/g1",
		Details: []string{"vpn gateway has tunnels", "delete them first"}, RequestID: "r1", Attempts: 2,
	}
	assert.Equal(t, "scpvpn: DELETE /v1/vpn-gateways/g1: 409 Conflict: vpn gateway has tunnels; delete them first (request id r1, 2 attempts)", err.Error())
	assert.Equal(t, "scpvpn: GET /v1/x: 418 I'm a teapot", (&scpvpn.APIError{StatusCode: 418, Method: "GET", URL: "http://h/v1/x"}).Error())
}

// An answer that is not the API's error body but short plain text (a
// router's or a proxy's) is quoted in the message, its first line, cut
// when long and escaped for a terminal; HTML and JSON are not.
func TestAPIErrorQuotesAPlainBody(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 150) // 300 bytes: cut on a rune
	for body, want := range map[string]string{
		"404 page not found\n":                             `: 404 Not Found: "404 page not found": not the VPN API's answer`,
		"upstream connect error\nreset reason: connection": `: 503 Service Unavailable: "upstream connect error"`,
		"evil \x1b[2J\u202e text":                          `: 503 Service Unavailable: "evil \x1b[2J\u202e text"`,
		long:                                               `: 503 Service Unavailable: "` + strings.Repeat("é", 100) + `..."`,
		"<html><body>502</body></html>":                    `: 503 Service Unavailable`,
		`{"message":"no Route matched"}`:                   `: 503 Service Unavailable`,
		"\xff\xfe binary":                                  `: 503 Service Unavailable`,
	} {
		status := http.StatusServiceUnavailable
		if strings.HasPrefix(body, "404") {
			status = http.StatusNotFound
		}
		msg := (&scpvpn.APIError{StatusCode: status, Method: "GET", URL: "http://h/v1/x", Body: []byte(body)}).Error()
		assert.Contains(t, msg, want, "%q", body)
		if !strings.Contains(want, `"`) {
			assert.Equal(t, "scpvpn: GET /v1/x"+want, msg, "%q", body)
		}
	}
}

func TestValidationErrorMessage(t *testing.T) {
	t.Parallel()
	err := &scpvpn.ValidationError{Request: "TunnelCreateRequest", Fields: []scpvpn.FieldError{
		{Field: "name", Problem: "must be 3 to 20 letters and digits"},
		{Field: "phase1.pre_shared_key", Problem: "must be 8 to 64 characters"},
	}}
	assert.Equal(t, "scpvpn: invalid TunnelCreateRequest: name must be 3 to 20 letters and digits; phase1.pre_shared_key must be 8 to 64 characters", err.Error())
}

const (
	mib          = 1 << 20
	hugeBodySize = 16 * mib
	// maxErrorBody is how much of an error body an APIError keeps.
	maxErrorBody = 64 << 10
)

// repeatReader yields n bytes of b, repeated, without holding them.
type repeatReader struct {
	b    []byte
	n    int64
	read int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.read >= r.n {
		return 0, io.EOF
	}
	var n int
	for n < len(p) && r.read < r.n {
		c := copy(p[n:min(len(p), n+int(r.n-r.read))], r.b[int(r.read)%len(r.b):])
		n += c
		r.read += int64(c)
	}
	return n, nil
}

// hugeErrorBody starts like an API error and goes on for 16 MiB.
func hugeErrorBody() io.Reader {
	return io.MultiReader(strings.NewReader(`{"errors":[{"detail":"`), &repeatReader{b: []byte("0123456789abcdef"), n: hugeBodySize})
}

// TestHugeErrorBody: an error answer of 16 MiB is read through a 1 MiB
// limit, on a scripted body and on a real socket, retried or not.
func TestHugeErrorBody(t *testing.T) {
	t.Parallel()

	for _, status := range []int{http.StatusBadRequest, http.StatusInternalServerError, http.StatusServiceUnavailable} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock)
			var rec recorder
			var bt bodyTracker
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID, func(req *http.Request) (*http.Response, error) {
				return bt.respond(&rec, status, hugeErrorBody())(req)
			})
			_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
			var apiErr *scpvpn.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, status, apiErr.StatusCode)
			assert.Len(t, apiErr.Body, maxErrorBody, "the body kept is bounded")
			assert.True(t, bytes.HasPrefix(apiErr.Body, []byte(`{"errors":[{"detail":"0123`)), "and is the start of the answer")
			assert.Empty(t, apiErr.Details, "a cut body has no details to read")
			assert.Less(t, len(err.Error()), 1024, "the message stays short")

			bt.mu.Lock()
			defer bt.mu.Unlock()
			require.NotEmpty(t, bt.bodies)
			for i, b := range bt.bodies {
				read, _, closed := b.state()
				assert.LessOrEqual(t, read, int64(maxErrorBody+128<<10), "body %d: read through a limit, not to its end", i+1)
				assert.Positive(t, closed, "body %d was closed", i+1)
			}
		})
	}

	t.Run("real socket", func(t *testing.T) {
		t.Parallel()
		srv := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.Copy(w, hugeErrorBody()) // stops with an error once the client hangs up
		})
		c := newClient(t, srv.URL)
		start := time.Now()
		_, err := c.V1Dot1.Tunnels.Create(context.Background(), tunnelCreateRequestV1Dot1())
		var apiErr *scpvpn.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
		assert.Len(t, apiErr.Body, maxErrorBody)
		assert.Less(t, time.Since(start), 30*time.Second, "only a hang takes this long")
	})
}

// TestHTMLErrorFromProxy: a proxy's HTML error page is an *APIError with the
// page in Body and no details.
func TestHTMLErrorFromProxy(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	var rec recorder
	page := "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
	mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-gateways", rec.respond(http.StatusBadGateway, page))
	_, err := c.V1Dot1.Gateways.Create(context.Background(), gatewayCreateRequest())
	var apiErr *scpvpn.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Equal(t, page, string(apiErr.Body))
	assert.Empty(t, apiErr.Details)
	assert.Equal(t, 1, apiErr.Attempts, "a create is not retried on 502")
	rec.only(t)
}

// Only the service says what it does not have: a 404 is ErrNotFound only
// when its body is the API's error body (a JSON object with an "errors"
// array). Any other 404 (a proxy's page, an empty answer, a wrong path
// prefix) matches ErrUnexpectedAnswer instead, and says so.
func TestOnlyTheServicesBodyMakesA404NotFound(t *testing.T) {
	t.Parallel()
	for body, theService := range map[string]bool{
		`{"errors":[{"code":"NotFound","detail":"VPN gateway not found"}]}`: true,
		` {"errors": [], "other": 1}`:                                       true,
		``:                                                                  false,
		`<html><body><h1>404 Not Found</h1>nginx</body></html>`: false,
		`404 page not found`: false,
		`{}`:                 false,
		`null`:               false,
		`{"message":"no Route matched with those values"}`: false,
		`{"errors":"not found"}`:                           false,
		`{"errors":null}`:                                  false,
		`[{"loc":["path","id"],"msg":"not found"}]`:        false,
		`{"errors":[`:                                      false,
	} {
		t.Run(body, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock)
			var rec recorder
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID, rec.respond(http.StatusNotFound, body))
			_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
			var apiErr *scpvpn.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
			assert.Equal(t, theService, errors.Is(err, scpvpn.ErrNotFound), "ErrNotFound")
			assert.Equal(t, !theService, errors.Is(err, scpvpn.ErrUnexpectedAnswer), "ErrUnexpectedAnswer")
			assert.Equal(t, !theService, strings.Contains(err.Error(), "not the VPN API's answer"), err.Error())
			rec.only(t)
		})
	}
}

// vpntest answers each 404 about a resource as the service does, with the
// API's error body (an unknown id, a scripted 404), and a path it does not
// route as a router in front of the service does, in plain text: that one
// says nothing of a resource, and its text is quoted.
func TestTheFakesOwn404sAreNotFound(t *testing.T) {
	t.Parallel()
	srv := e2eServer(t, e2eImmediate)
	c := newClient(t, srv)
	_, err := c.V1Dot1.Gateways.Get(e2eCtx(t), gatewayID)
	require.ErrorIs(t, err, scpvpn.ErrNotFound, "an unknown id")
	for _, path := range []string{"/v1/nowhere", "/v1/vpn-gateways/", "/v2/vpn-gateways"} {
		err = c.Do(e2eCtx(t), &scpvpn.Request{Method: http.MethodGet, Path: path, APIVersion: "vpn 1.1"}, nil)
		require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer, path)
		assert.NotErrorIs(t, err, scpvpn.ErrNotFound, path)
		assert.Contains(t, err.Error(), `404 Not Found: "no such endpoint: `+path+`": not the VPN API's answer`)
	}
	srv.Script(http.MethodGet, "*", vpntest.Respond(http.StatusNotFound))
	_, err = c.V1Dot1.Gateways.Get(e2eCtx(t), gatewayID)
	require.ErrorIs(t, err, scpvpn.ErrNotFound, "a scripted 404 without a body")
}
