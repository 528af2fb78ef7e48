package scpvpn_test

import (
	"bytes"
	"context"
	"encoding/json"
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
)

// Answers a broken or hostile server may give: huge error bodies, JSON that
// is malformed, cut short or of the wrong types, and empty successes. Each
// gives a clear error, never a panic, and never unbounded memory.

const (
	mib          = 1 << 20
	hugeBodySize = 16 * mib
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
			assert.LessOrEqual(t, len(apiErr.Body), mib, "the body kept is bounded")
			assert.True(t, bytes.HasPrefix(apiErr.Body, []byte(`{"errors":[{"detail":"0123`)), "and is the start of the answer")
			assert.Empty(t, apiErr.Details, "a cut body has no details to read")
			assert.Less(t, len(err.Error()), 1024, "the message stays short")

			bt.mu.Lock()
			defer bt.mu.Unlock()
			require.NotEmpty(t, bt.bodies)
			for i, b := range bt.bodies {
				read, _, closed := b.state()
				assert.LessOrEqual(t, read, int64(mib+128<<10), "body %d: read through a limit, not to its end", i+1)
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
		assert.Len(t, apiErr.Body, mib)
		assert.Less(t, time.Since(start), 10*time.Second)
	})
}

// TestBadJSON: answers whose JSON is wrong fail with an error that says what
// was asked and what went wrong, and that errors.As can take apart.
func TestBadJSON(t *testing.T) {
	t.Parallel()
	gwFixture := fixture(t, "v1.1", "gateway_get_response")
	cases := []struct {
		name  string
		body  string
		check func(t *testing.T, err error)
		words []string
	}{
		{"malformed", `{"vpn_gateway": {"id": }}`, func(t *testing.T, err error) {
			var syntax *json.SyntaxError
			assert.ErrorAs(t, err, &syntax)
		}, []string{"could not be decoded"}},
		{"not JSON", `<html><body>Service Temporarily Unavailable</body></html>`, func(t *testing.T, err error) {
			var syntax *json.SyntaxError
			assert.ErrorAs(t, err, &syntax)
		}, []string{"could not be decoded"}},
		{"truncated", gwFixture[:len(gwFixture)/2], func(t *testing.T, err error) {
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		}, []string{"could not be decoded"}},
		{"id is a number", `{"vpn_gateway": {"id": 42}}`, func(t *testing.T, err error) {
			var typeErr *json.UnmarshalTypeError
			require.ErrorAs(t, err, &typeErr)
		}, []string{"could not be decoded", "id"}},
		{"gateway is a list", `{"vpn_gateway": [1, 2]}`, func(t *testing.T, err error) {
			var typeErr *json.UnmarshalTypeError
			require.ErrorAs(t, err, &typeErr)
		}, []string{"could not be decoded"}},
		{"created_at is a number", `{"vpn_gateway": {"id": "x", "created_at": 1715905397}}`, nil, []string{"could not be decoded", "timestamp"}},
		{"created_at is not a time", `{"vpn_gateway": {"id": "x", "created_at": "yesterday"}}`, nil, []string{"could not be decoded", "RFC 3339"}},
		{"created_at offset of 24 hours", `{"vpn_gateway": {"id": "x", "created_at": "2024-05-17 00:23:17+24:00"}}`, nil, []string{"could not be decoded", "RFC 3339"}},
		{"answer is a list", `[]`, nil, []string{"could not be decoded"}},
		{"answer is a string", `"ok"`, nil, []string{"could not be decoded"}},
		{"deeply nested", strings.Repeat("[", 100000), nil, []string{"could not be decoded"}},
		{"empty", ``, nil, []string{"empty body"}},
		{"only spaces", "  \n\t ", nil, []string{"empty body"}},
		{"null", `null`, nil, []string{"no VPN gateway"}},
		{"no gateway", `{"vpn_tunnel": null, "other": 1}`, nil, []string{"no VPN gateway"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock)
			var rec recorder
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID, rec.respond(http.StatusOK, tc.body))
			var got *scpvpn.Gateway
			var err error
			require.NotPanics(t, func() { got, err = c.V1Dot1.Gateways.Get(context.Background(), gatewayID) })
			require.Error(t, err)
			assert.Nil(t, got)
			msg := err.Error()
			assert.Contains(t, msg, "GET")
			assert.Contains(t, msg, "/v1/vpn-gateways/"+gatewayID)
			for _, w := range tc.words {
				assert.Contains(t, msg, w)
			}
			assert.Less(t, len(msg), 600, "a hostile body is not repeated at length: %s", msg)
			var apiErr *scpvpn.APIError
			assert.False(t, errors.As(err, &apiErr), "a 200 is not an API error")
			if tc.check != nil {
				tc.check(t, err)
			}
			rec.only(t) // an unreadable answer is not retried
		})
	}
}

// TestBadJSONEveryDecoder: every model decodes a mistyped answer into an
// error, through every operation that returns one.
func TestBadJSONEveryDecoder(t *testing.T) {
	t.Parallel()
	// Each body is mistyped for the gateway and for the tunnel envelopes.
	single := map[string]string{
		"name is a number":       `{"vpn_tunnel": {"name": 1}, "vpn_gateway": {"name": 1}}`,
		"phase1 is a string":     `{"vpn_tunnel": {"phase1": "x"}, "vpn_gateway": {"state": 1}}`,
		"groups are strings":     `{"vpn_tunnel": {"phase1": {"diffie_hellman_groups": ["30"]}}, "vpn_gateway": {"ip_address": []}}`,
		"subnets are wrong":      `{"vpn_tunnel": {"phase2": {"remote_subnets": "10.0.0.0/8", "remote_subnet": 8}}, "vpn_gateway": {"vpc_id": {}}}`,
		"modified_at is invalid": `{"vpn_tunnel": {"modified_at": "2024-13-45T99:99:99Z"}, "vpn_gateway": {"modified_at": "2024-13-45T99:99:99Z"}}`,
	}
	lists := map[string]string{
		"count is a string": `{"count": "20", "vpn_gateways": [], "vpn_tunnels": []}`,
		"list is an object": `{"count": 1, "vpn_gateways": {}, "vpn_tunnels": {}}`,
		"sort is a string":  `{"count": 1, "sort": "name:asc"}`,
		"item is a number":  `{"count": 1, "vpn_gateways": [1], "vpn_tunnels": [1]}`,
	}
	for _, op := range operations() {
		if op.wantNoErr {
			continue // Delete decodes nothing
		}
		bodies := single
		if strings.Contains(op.name, "list") {
			bodies = lists
		}
		for name, body := range bodies {
			t.Run(op.version+" "+op.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				mock := httpmock.NewMockTransport()
				c := newClient(t, mock)
				var rec recorder
				mock.RegisterResponder(op.method, testEndpoint+op.path, rec.respond(op.status, body))
				var err error
				require.NotPanics(t, func() { _, err = op.call(context.Background(), c) })
				require.Error(t, err)
				assert.Contains(t, err.Error(), "could not be decoded")
			})
		}
	}
}

// TestEmptySuccess: a 2xx without a body is fine where nothing is expected
// (Delete) and a clear error where a resource is.
func TestEmptySuccess(t *testing.T) {
	t.Parallel()
	for _, op := range operations() {
		for _, status := range []int{http.StatusOK, http.StatusAccepted, http.StatusNoContent} {
			t.Run(op.version+" "+op.name+"/"+http.StatusText(status), func(t *testing.T) {
				t.Parallel()
				mock := httpmock.NewMockTransport()
				c := newClient(t, mock)
				var rec recorder
				mock.RegisterResponder(op.method, testEndpoint+op.path, rec.respond(status, ""))
				got, err := op.call(context.Background(), c)
				rec.only(t)
				if op.wantNoErr {
					require.NoError(t, err)
					return
				}
				require.Error(t, err)
				assert.Contains(t, err.Error(), "empty body")
				// A typed nil in an interface is still nil inside.
				assert.True(t, got == nil || isNilPointer(got), "no value with an error: %#v", got)
			})
		}
	}
}

func isNilPointer(v any) bool {
	switch p := v.(type) {
	case *scpvpn.Gateway:
		return p == nil
	case *scpvpn.GatewayList:
		return p == nil
	case *scpvpn.Tunnel:
		return p == nil
	case *scpvpn.TunnelV1Dot1:
		return p == nil
	case *scpvpn.TunnelList:
		return p == nil
	case *scpvpn.TunnelListV1Dot1:
		return p == nil
	}
	return false
}

// TestBodyFailsMidway: an answer whose connection breaks while the body is
// read is an error naming the cause.
func TestBodyFailsMidway(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithoutRetries())
	var rec recorder
	var bt bodyTracker
	gw := fixture(t, "v1.1", "gateway_get_response")
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID,
		bt.respond(&rec, http.StatusOK, io.MultiReader(strings.NewReader(gw[:40]), &failingReader{err: faultReset})))
	_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
	require.Error(t, err)
	assert.ErrorIs(t, err, faultReset)
	bt.mu.Lock()
	defer bt.mu.Unlock()
	_, _, closed := bt.bodies[0].state()
	assert.Positive(t, closed)
}

type failingReader struct{ err error }

func (r *failingReader) Read([]byte) (int, error) { return 0, r.err }

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
