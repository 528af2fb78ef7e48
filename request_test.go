package scpvpn_test

// Tests of the call path below the services: a cut answer is asked again
// where that is safe, and Client.Do. (Echoed secrets: echo_test.go.)

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/sigverify"
)

// cutServer answers the first request of each method with the headers and
// the first 20 bytes of body, then closes the connection; later requests get
// the whole answer.
func cutServer(t *testing.T, status int, body string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	return cutServerAt(t, status, body, 20)
}

// cutServerAt is cutServer cutting each method's first answer after at
// bytes of its body.
func cutServerAt(t *testing.T, status int, body string, at int) (*httptest.Server, *atomic.Int32) {
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
				status, http.StatusText(status), len(body), body[:at])
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
		gw, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
		require.NoError(t, err)
		assert.Equal(t, "ExampleVpnGW1", gw.Name)
		assert.EqualValues(t, 2, n.Load())
	})
	t.Run("PUT", func(t *testing.T) {
		t.Parallel()
		srv, n := cutServer(t, http.StatusAccepted, gateway)
		c := urlClient(t, srv.URL)
		gw, err := c.V1Dot1.Gateways.Set(ctx, gatewayID, &scpvpn.GatewaySetRequest{Description: ptr("x")})
		require.NoError(t, err)
		assert.Equal(t, "ExampleVpnGW1", gw.Name)
		assert.EqualValues(t, 2, n.Load())
	})
	t.Run("POST", func(t *testing.T) {
		t.Parallel()
		srv, _ := cutServer(t, http.StatusAccepted, gateway)
		posts, counted := methodCounter(t, http.MethodPost)
		c := urlClient(t, srv.URL, scpvpn.WithTransport(counted))
		_, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
		require.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "the read-back (a gateway, not a list) settles nothing")
		assert.EqualValues(t, 1, posts.Load(), "a create is never sent twice once it may have been acted on")
		assert.Contains(t, err.Error(), "cut short")
	})
	// A list answer is read ahead up to 64 KiB, then streamed: a cut in
	// either part is a cut all the same.
	for name, tc := range map[string]struct {
		items int
		cutAt int
	}{
		"GET of a list, cut within what is read ahead": {20, 20},
		"GET of a long list, cut after":                {60, 100 << 10},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body := longGatewayList(tc.items, 2000)
			require.Greater(t, len(body), tc.cutAt)
			srv, n := cutServerAt(t, http.StatusOK, body, tc.cutAt)
			c := urlClient(t, srv.URL)
			list, err := c.V1Dot1.Gateways.List(ctx, &scpvpn.GatewayListOptions{Size: 100})
			require.NoError(t, err)
			assert.Equal(t, tc.items, len(list.Gateways), "no item of the cut attempt is kept")
			assert.Equal(t, "g"+strconv.Itoa(tc.items-1), list.Gateways[len(list.Gateways)-1].ID)
			assert.EqualValues(t, 2, n.Load())
		})
	}
	t.Run("GET of a list cut in its trailing white space", func(t *testing.T) {
		t.Parallel()
		list := longGatewayList(3, 10)
		srv, n := cutServerAt(t, http.StatusOK, list+"        ", len(list)+2)
		c := urlClient(t, srv.URL)
		_, err := c.V1Dot1.Gateways.List(ctx, &scpvpn.GatewayListOptions{Size: 100})
		require.NoError(t, err)
		assert.EqualValues(t, 2, n.Load(), "an answer that ends before its length is cut short, whatever it holds")
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

// Client.Do sends what it is given on the services' path: each method on
// the wire as asked, signed, retried under the same rules, answers decoded.
func TestDo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	type item struct {
		Name string `json:"name"`
	}
	for _, tc := range []struct {
		method string
		body   any
		wire   string // the body on the wire
	}{
		{http.MethodGet, nil, ""},
		{http.MethodPost, map[string]any{"name": "n1", "tags": []string{}}, `{"name":"n1","tags":[]}`},
		{http.MethodPut, &item{Name: "n2"}, `{"name":"n2"}`},
		{http.MethodDelete, nil, ""},
	} {
		t.Run(tc.method, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock)
			var rec recorder
			mock.RegisterResponder(tc.method, testEndpoint+"/v1/new-things/a%2Fb", rec.respond(http.StatusOK, `{"name":"answered"}`, "X-Request-Id", "r1"))
			var out item
			var resp scpvpn.Response
			err := c.Do(ctx, &scpvpn.Request{
				Method:     tc.method,
				Path:       "/v1/new-things/a%2Fb",
				Query:      url.Values{"b": {"2"}, "a": {"1 and 1"}},
				APIVersion: "vpn 1.2",
				Body:       tc.body,
			}, &out, scpvpn.WithResponse(&resp))
			require.NoError(t, err)
			assert.Equal(t, "answered", out.Name)
			assert.Equal(t, "r1", resp.RequestID)

			sent := rec.only(t)
			assert.Equal(t, tc.method, sent.Request.Method)
			assert.Equal(t, "/v1/new-things/a%2Fb?a=1+and+1&b=2", sent.Request.URL.RequestURI())
			assert.Equal(t, "vpn 1.2", sent.Request.Header.Get(scpvpn.HeaderAPIVersion))
			assert.NoError(t, sigverify.Verify(sent.Request, testSecretKey))
			if tc.wire == "" {
				assert.Empty(t, sent.Body)
				assert.Empty(t, sent.Request.Header.Get("Content-Type"))
			} else {
				assert.JSONEq(t, tc.wire, string(sent.Body))
				assert.Equal(t, "application/json", sent.Request.Header.Get("Content-Type"))
			}
		})
	}
}

func TestDoRetriesUnderTheSameRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		method  string
		fail    fault
		retried bool
	}{
		{http.MethodPost, fault{name: "503 of the service", status: http.StatusServiceUnavailable}, true},
		{http.MethodPost, fault{name: "503 of a proxy", status: http.StatusServiceUnavailable, body: envoyReset}, false},
		{http.MethodPost, fault{name: "502", status: http.StatusBadGateway}, false},
		{http.MethodPost, fault{name: "dropped", err: faultDropped}, false},
		{http.MethodPost, fault{name: "429", status: http.StatusTooManyRequests}, true},
		{http.MethodGet, fault{name: "503", status: http.StatusServiceUnavailable}, true},
		{http.MethodPut, fault{name: "dropped", err: faultDropped}, true},
		{http.MethodDelete, fault{name: "504", status: http.StatusGatewayTimeout}, true},
	} {
		t.Run(tc.method+" "+tc.fail.name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock)
			var rec recorder
			mock.RegisterResponder(tc.method, testEndpoint+"/v1/things", sequence(tc.fail.responder(&rec), rec.respond(http.StatusOK, `{}`)))
			req := &scpvpn.Request{Method: tc.method, Path: "/v1/things", APIVersion: "vpn 1.1", Body: map[string]string{"a": "b"}}
			if tc.method == http.MethodGet {
				req.Body = nil
			}
			err := c.Do(ctx, req, nil)
			if tc.retried {
				require.NoError(t, err)
				assert.Len(t, rec.all(), 2)
				return
			}
			require.Error(t, err)
			assert.Len(t, rec.all(), 1, "a POST is never sent twice once it may have reached the service")
			if tc.fail.status != 0 {
				var apiErr *scpvpn.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.fail.status, apiErr.StatusCode)
			}
		})
	}
}

func TestDoErrorsAndAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/missing", rec.respond(http.StatusNotFound, `{"errors":[{"code":"NotFound","detail":"no such thing"}]}`, "X-Request-Id", "r404"))
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/text", rec.respond(http.StatusOK, `not json`))

	err := c.Do(ctx, &scpvpn.Request{Method: http.MethodGet, Path: "/v1/missing", APIVersion: "vpn 1.1"}, &struct{}{})
	var apiErr *scpvpn.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "NotFound", apiErr.Code)
	assert.Equal(t, []string{"NotFound: no such thing"}, apiErr.Details)
	assert.Equal(t, "r404", apiErr.RequestID)
	assert.ErrorIs(t, err, scpvpn.ErrNotFound)

	require.NoError(t, c.Do(ctx, &scpvpn.Request{Method: http.MethodGet, Path: "/v1/text", APIVersion: "vpn 1.1"}, nil), "nil out discards the answer")
	err = c.Do(ctx, &scpvpn.Request{Method: http.MethodGet, Path: "/v1/text", APIVersion: "vpn 1.1"}, &map[string]any{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "could not be decoded")
}

// Do decodes one JSON value into out, as json.Unmarshal would: an answer
// that goes on after it is refused, not half read.
func TestDoDecodesOneValue(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"garbage after the value":        `{"name":"a"} garbage`,
		"a second value after the first": `{"name":"a"}{"name":"b"}`,
		"an unterminated second value":   `{"name":"a"} {"name":`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock, scpvpn.WithoutRetries())
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/things", httpmock.NewStringResponder(http.StatusOK, body))
			var out map[string]any
			err := c.Do(context.Background(), &scpvpn.Request{Method: http.MethodGet, Path: "/v1/things", APIVersion: "vpn 1.1"}, &out)
			require.Error(t, err, "accepted as %v", out)
			assert.Contains(t, err.Error(), "could not be decoded")
		})
	}
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithoutRetries())
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/things", httpmock.NewStringResponder(http.StatusOK, " {\"name\":\"a\"} \r\n"))
	var out map[string]any
	require.NoError(t, c.Do(context.Background(), &scpvpn.Request{Method: http.MethodGet, Path: "/v1/things", APIVersion: "vpn 1.1"}, &out))
	assert.Equal(t, map[string]any{"name": "a"}, out, "white space around the value is fine")
}

func TestDoRefusesWhatCannotBeSent(t *testing.T) {
	t.Parallel()
	good := scpvpn.Request{Method: http.MethodGet, Path: "/v1/vpn-gateways", APIVersion: "vpn 1.1"}
	cases := map[string]struct {
		change func(*scpvpn.Request)
		field  string
	}{
		"PATCH":               {func(r *scpvpn.Request) { r.Method = http.MethodPatch }, "Method"},
		"a GET with a body":   {func(r *scpvpn.Request) { r.Body = map[string]string{"subnet": "10.0.0.0/24"} }, "Body"},
		"lower-case method":   {func(r *scpvpn.Request) { r.Method = "get" }, "Method"},
		"relative path":       {func(r *scpvpn.Request) { r.Path = "v1/vpn-gateways" }, "Path"},
		"empty path":          {func(r *scpvpn.Request) { r.Path = "" }, "Path"},
		"another host":        {func(r *scpvpn.Request) { r.Path = "//evil.example/v1" }, "Path"},
		"query in the path":   {func(r *scpvpn.Request) { r.Path = "/v1/vpn-gateways?page=1" }, "Path"},
		"fragment":            {func(r *scpvpn.Request) { r.Path = "/v1/vpn-gateways#x" }, "Path"},
		"unescaped space":     {func(r *scpvpn.Request) { r.Path = "/v1/vpn gateways" }, "Path"},
		"bad escape":          {func(r *scpvpn.Request) { r.Path = "/v1/%zz" }, "Path"},
		"dot segment":         {func(r *scpvpn.Request) { r.Path = "/v1/../admin" }, "Path"},
		"escaped dot segment": {func(r *scpvpn.Request) { r.Path = "/v1/%2e%2E/admin" }, "Path"},
		"half-escaped dots":   {func(r *scpvpn.Request) { r.Path = "/v1/.%2e" }, "Path"},
		"escaped dot":         {func(r *scpvpn.Request) { r.Path = "/v1/%2E/x" }, "Path"},
		"no version":          {func(r *scpvpn.Request) { r.APIVersion = "" }, "APIVersion"},
		"version with spaces": {func(r *scpvpn.Request) { r.APIVersion = " vpn 1.1" }, "APIVersion"},
		"version with a CRLF": {func(r *scpvpn.Request) { r.APIVersion = "vpn 1.1\r\nX: y" }, "APIVersion"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := anyCallMock()
			c := newClient(t, mock)
			req := good
			tc.change(&req)
			err := c.Do(context.Background(), &req, nil)
			var vErr *scpvpn.ValidationError
			require.ErrorAs(t, err, &vErr)
			require.Len(t, vErr.Fields, 1)
			assert.Equal(t, tc.field, vErr.Fields[0].Field)
			assert.Zero(t, mock.GetTotalCallCount(), "nothing is sent")
		})
	}
	t.Run("nil", func(t *testing.T) {
		t.Parallel()
		mock := anyCallMock()
		err := newClient(t, mock).Do(context.Background(), nil, nil)
		var vErr *scpvpn.ValidationError
		require.ErrorAs(t, err, &vErr)
		assert.Zero(t, mock.GetTotalCallCount())
	})
	// A create sent with an out that cannot be filled would be made and
	// then reported as failed: a caller who retries makes it twice.
	for name, out := range map[string]any{
		"out that is not a pointer": struct{ Name string }{},
		"out that is a nil pointer": (*map[string]any)(nil),
		"out that is a map":         map[string]any{},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := anyCallMock()
			err := newClient(t, mock).Do(context.Background(), &scpvpn.Request{Method: http.MethodPost, Path: "/v1/x", APIVersion: "vpn 1.1", Body: map[string]string{"name": "n"}}, out)
			var vErr *scpvpn.ValidationError
			require.ErrorAs(t, err, &vErr)
			assert.Zero(t, mock.GetTotalCallCount(), "nothing is sent")
		})
	}
	t.Run("a body that cannot be encoded", func(t *testing.T) {
		t.Parallel()
		mock := anyCallMock()
		err := newClient(t, mock).Do(context.Background(), &scpvpn.Request{Method: http.MethodPost, Path: "/v1/x", APIVersion: "vpn 1.1", Body: func() {}}, nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "encoding POST /v1/x")
		assert.Zero(t, mock.GetTotalCallCount())
	})
}

// An answer without a body (204 No Content) leaves out as it was.
func TestDoWithoutAnAnswerBody(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	mock.RegisterResponder(http.MethodDelete, testEndpoint+"/v1/things/1", httpmock.NewStringResponder(http.StatusNoContent, ""))
	out := map[string]any{"kept": true}
	err := c.Do(context.Background(), &scpvpn.Request{Method: http.MethodDelete, Path: "/v1/things/1", APIVersion: "vpn 1.1"}, &out)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"kept": true}, out)
}

// longGatewayList is a list answer of n gateways, each with a description
// of pad bytes and the id "g<i>".
func longGatewayList(n, pad int) string {
	var b strings.Builder
	b.WriteString(`{"count":` + strconv.Itoa(n) + `,"page":0,"size":100,"vpn_gateways":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"id":"g` + strconv.Itoa(i) + `","name":"gw","description":"` + strings.Repeat("d", pad) + `"}`)
	}
	b.WriteString(`]}`)
	return b.String()
}

// Do fills out only from an answer read whole: an answer whose JSON came
// whole but whose connection was then reset is asked again, and out holds
// the second answer alone, nothing of the first.
func TestDoKeepsNothingOfACutAnswer(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	var sent atomic.Int32
	const first = `{"state":"ERROR","error_detail":"disk full"}`
	const second = `{"state":"ACTIVE"}`
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID, func(*http.Request) (*http.Response, error) {
		if sent.Add(1) == 1 {
			resp := httpmockResponse(http.StatusOK, first)
			resp.Body = &cutBody{r: strings.NewReader(first)} // whole, then reset
			return resp, nil
		}
		return httpmockResponse(http.StatusOK, second), nil
	})
	c := newClient(t, mock)
	out := map[string]any{}
	err := c.Do(context.Background(), &scpvpn.Request{Method: http.MethodGet, Path: "/v1/vpn-gateways/" + gatewayID, APIVersion: "vpn 1.1"}, &out)
	require.NoError(t, err)
	require.EqualValues(t, 2, sent.Load(), "the cut answer was asked again")
	assert.Equal(t, map[string]any{"state": "ACTIVE"}, out)
}

// A GET with a nil pointer, map or json.RawMessage for its Body has none:
// a wrapper passing its own (nil) input for every method is not refused.
func TestDoTakesATypedNilBodyOfAGetForNone(t *testing.T) {
	t.Parallel()
	type input struct {
		Subnet string `json:"subnet"`
	}
	for name, body := range map[string]any{
		"a nil pointer":         (*input)(nil),
		"a nil map":             map[string]string(nil),
		"a nil json.RawMessage": json.RawMessage(nil),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var rec recorder
			mock := httpmock.NewMockTransport()
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID, rec.respond(http.StatusOK, `{"id":"g"}`))
			c := newClient(t, mock)
			var out map[string]any
			err := c.Do(context.Background(), &scpvpn.Request{Method: http.MethodGet, Path: "/v1/vpn-gateways/" + gatewayID, APIVersion: "vpn 1.1", Body: body}, &out)
			require.NoError(t, err, "a nil body is no body")
			assert.Equal(t, "g", out["id"])
			sent := rec.only(t)
			assert.Empty(t, sent.Body)
			assert.Empty(t, sent.Request.Header.Get("Content-Type"), "nor is one announced")
		})
	}
}

// An answer of exactly 4 MiB is taken, one byte more is refused, whether
// the server announces its length or sends it in chunks (the body then
// does not say it ended with its last bytes).
func TestDoAnswerOfAtMost4MiB(t *testing.T) {
	t.Parallel()
	const limit = 4 << 20
	answer := func(size int) string { return `{"a":"` + strings.Repeat("x", size-len(`{"a":""}`)) + `"}` }
	for _, chunked := range []bool{false, true} {
		for _, size := range []int{limit, limit + 1} {
			t.Run(fmt.Sprintf("%d bytes, chunked %v", size, chunked), func(t *testing.T) {
				t.Parallel()
				body := answer(size)
				srv := newCountedServer(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					if !chunked {
						w.Header().Set("Content-Length", strconv.Itoa(len(body)))
					}
					for i := 0; i < len(body); i += 64 << 10 {
						_, _ = w.Write([]byte(body[i:min(len(body), i+64<<10)]))
					}
				})
				c := newClient(t, srv.URL, scpvpn.WithoutRetries())
				var out map[string]string
				err := c.Do(context.Background(), &scpvpn.Request{Method: http.MethodGet, Path: "/v1/things", APIVersion: "vpn 1.1"}, &out)
				if size > limit {
					require.Error(t, err)
					assert.Contains(t, err.Error(), "too large")
					return
				}
				require.NoError(t, err, "an answer of 4 MiB is not longer than 4 MiB")
				assert.Len(t, out["a"], size-len(`{"a":""}`))
			})
		}
	}
}

// A POST or PUT whose Body is a nil pointer, even to one of the SDK's own
// request types, sends it as encoding/json encodes it: null.
func TestDoEncodesATypedNilBodyAsNull(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]any{
		"POST a nil *GatewayCreateRequest":     (*scpvpn.GatewayCreateRequest)(nil),
		"PUT a nil *TunnelCreateRequestV1Dot1": (*scpvpn.TunnelCreateRequestV1Dot1)(nil),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			method := strings.Fields(name)[0]
			var rec recorder
			mock := httpmock.NewMockTransport()
			mock.RegisterResponder(method, testEndpoint+"/v1/vpn-gateways", rec.respond(http.StatusOK, `{}`))
			c := newClient(t, mock)
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						err = fmt.Errorf("Client.Do panicked: %v", p)
					}
				}()
				err = c.Do(context.Background(), &scpvpn.Request{Method: method, Path: "/v1/vpn-gateways", APIVersion: "vpn 1.1", Body: body}, nil)
			}()
			require.NoError(t, err, "a typed nil body is encoded as null, as any other typed nil is")
			assert.Equal(t, "null", string(rec.only(t).Body))
		})
	}
}

// allFilters is a caller's body type whose nil value stands for a real
// body, as a MarshalJSON may say (encoding/json asks it for a nil slice,
// not for a nil pointer, which it encodes as null).
type allFilters []string

func (f allFilters) MarshalJSON() ([]byte, error) {
	if f == nil {
		return []byte(`{"subnet":"any"}`), nil
	}
	return json.Marshal([]string(f))
}

// A GET body that encodes to anything but null, even from a nil value, is
// refused before anything is sent: a GET carries none, and it would go
// without it.
func TestDoRefusesAGetBodyThatEncodesToSomething(t *testing.T) {
	t.Parallel()
	var rec recorder
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", rec.respond(http.StatusOK, `{}`))
	c := newClient(t, mock)
	err := c.Do(context.Background(), &scpvpn.Request{Method: http.MethodGet, Path: "/v1/vpn-gateways", APIVersion: "vpn 1.1", Body: allFilters(nil)}, nil)
	var ve *scpvpn.ValidationError
	require.ErrorAs(t, err, &ve, "a GET body that encodes as %s went without it", `{"subnet":"any"}`)
	assert.Equal(t, "Body", ve.Fields[0].Field)
	assert.Empty(t, rec.all(), "nothing is sent")
}

// Refusing a GET body costs nothing like encoding it: a value that is not
// nil and has no MarshalJSON of its own cannot encode to null.
func TestDoRefusesALargeGetBodyCheaply(t *testing.T) { //nolint:paralleltest // measures allocations
	big := make([]byte, 16<<20)
	var rec recorder
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", rec.respond(http.StatusOK, `{}`))
	c := newClient(t, mock)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := c.Do(context.Background(), &scpvpn.Request{Method: http.MethodGet, Path: "/v1/vpn-gateways", APIVersion: "vpn 1.1", Body: big}, nil)
	runtime.ReadMemStats(&after)
	var ve *scpvpn.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Empty(t, rec.all())
	alloc := after.TotalAlloc - before.TotalAlloc
	assert.Less(t, alloc, uint64(1<<20), "refusing a GET body allocated %d MiB", alloc>>20)
}
