package scpvpn_test

// Tests of the per-call options: what WithResponse reports, what
// WithHeader sends or refuses, and policies that change one call only.

import (
	"context"
	"errors"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/sigverify"
	"github.com/scpsdk/scpvpn/vpntest"
)

var gatewayPath = testEndpoint + "/v1/vpn-gateways/" + gatewayID

// anyCallMock answers every request, so that GetTotalCallCount counts
// whatever was sent.
func anyCallMock() *httpmock.MockTransport {
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(httpmock.NewStringResponder(http.StatusOK, `{}`))
	return mock
}

func TestWithResponse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	gateway := fixture(t, "v1.1", "gateway_get_response")

	t.Run("after a success", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, gatewayPath, rec.respond(http.StatusOK, gateway, "X-Request-Id", "req-1", "X-Other", "o"))
		var resp scpvpn.Response
		_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID, scpvpn.WithResponse(&resp))
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "req-1", resp.RequestID)
		assert.Equal(t, "o", resp.Header.Get("X-Other"))
		assert.Equal(t, 1, resp.Attempts)
	})

	t.Run("after a failure", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, gatewayPath, rec.respond(http.StatusNotFound, `{"errors":[{"detail":"no"}]}`, "X-Request-Id", "req-404"))
		var resp scpvpn.Response
		_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID, scpvpn.WithResponse(&resp))
		require.ErrorIs(t, err, scpvpn.ErrNotFound)
		assert.Equal(t, scpvpn.Response{StatusCode: http.StatusNotFound, Header: resp.Header, RequestID: "req-404", Attempts: 1}, resp)
		assert.Equal(t, "req-404", resp.Header.Get("X-Request-Id"))
	})

	t.Run("after a retried call", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, gatewayPath, sequence(
			rec.respond(http.StatusServiceUnavailable, `{}`, "X-Request-Id", "first"),
			rec.respond(http.StatusOK, gateway, "X-Request-Id", "second")))
		var resp scpvpn.Response
		_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID, scpvpn.WithResponse(&resp))
		require.NoError(t, err)
		assert.Equal(t, 2, resp.Attempts)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "second", resp.RequestID, "the last answer's")
	})

	t.Run("after no answer at all", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, gatewayPath, failWith(&rec, faultDropped))
		resp := scpvpn.Response{StatusCode: 999, RequestID: "stale"}
		_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID, scpvpn.WithResponse(&resp))
		require.Error(t, err)
		assert.Equal(t, scpvpn.Response{Attempts: fastRetries.MaxAttempts}, resp)
	})

	t.Run("refused before sending", func(t *testing.T) {
		t.Parallel()
		mock := anyCallMock()
		c := newClient(t, mock)
		resp := scpvpn.Response{StatusCode: 200, Attempts: 4}
		_, err := c.V1Dot1.Gateways.Get(ctx, "", scpvpn.WithResponse(&resp))
		var vErr *scpvpn.ValidationError
		require.ErrorAs(t, err, &vErr)
		assert.Equal(t, scpvpn.Response{}, resp, "nothing was sent, and the Response says so")
		assert.Zero(t, mock.GetTotalCallCount())
	})

	t.Run("of a Set settled after a lost answer", func(t *testing.T) {
		t.Parallel()
		srv := vpntest.NewServer(vpntest.Options{TransitionDelay: time.Hour})
		t.Cleanup(srv.Close)
		id, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		c := urlClient(t, lossyFront(t, srv, http.MethodPut).URL, scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey))
		var resp scpvpn.Response
		_, err = c.V1Dot1.Gateways.Set(ctx, id, &scpvpn.GatewaySetRequest{Description: scpvpn.Ptr("x")}, scpvpn.WithResponse(&resp))
		require.NoError(t, err)
		assert.Equal(t, http.StatusConflict, resp.StatusCode, "the call's own last answer, which the SDK settled")
		assert.Equal(t, 2, resp.Attempts)
	})
}

// Every service method and waiter fills the Response; a waiter and All
// with the last of their calls.
func TestWithResponseOnEveryCall(t *testing.T) {
	t.Parallel()
	ctx := e2eCtx(t)
	srv := e2eServer(t, e2eImmediate)
	c := newClient(t, srv)
	gw, tun := e2eSeedOne(t, srv)
	calls := map[string]func(o scpvpn.CallOption) error{
		"gateway get":   func(o scpvpn.CallOption) error { _, err := c.V1Dot1.Gateways.Get(ctx, gw, o); return err },
		"gateway list":  func(o scpvpn.CallOption) error { _, err := c.V1Dot0.Gateways.List(ctx, nil, o); return err },
		"gateway quota": func(o scpvpn.CallOption) error { _, err := c.V1Dot1.Gateways.Quota(ctx, nil, o); return err },
		"gateway wait":  func(o scpvpn.CallOption) error { _, err := c.V1Dot1.Gateways.WaitUntilActive(ctx, gw, o); return err },
		"tunnel get":    func(o scpvpn.CallOption) error { _, err := c.V1Dot1.Tunnels.Get(ctx, tun, o); return err },
		"tunnel quota":  func(o scpvpn.CallOption) error { _, err := c.V1Dot0.Tunnels.Quota(ctx, nil, o); return err },
		"tunnel subnet": func(o scpvpn.CallOption) error {
			_, err := c.V1Dot1.Tunnels.CheckSubnet(ctx, gw, "10.9.0.0/16", o)
			return err
		},
		"v1.0 tunnel":    func(o scpvpn.CallOption) error { _, err := c.V1Dot0.Tunnels.Get(ctx, tun, o); return err },
		"v1.0 tunnel ls": func(o scpvpn.CallOption) error { _, err := c.V1Dot0.Tunnels.List(ctx, nil, o); return err },
		"all": func(o scpvpn.CallOption) error {
			for _, err := range c.V1Dot1.Gateways.All(ctx, nil, o) {
				if err != nil {
					return err
				}
			}
			return nil
		},
		"do": func(o scpvpn.CallOption) error {
			return c.Do(ctx, &scpvpn.Request{Method: http.MethodGet, Path: "/v1/vpn-gateways/" + gw, APIVersion: "vpn 1.1"}, nil, o)
		},
	}
	for name, call := range calls {
		var resp scpvpn.Response
		require.NoError(t, call(scpvpn.WithResponse(&resp)), name)
		assert.Equal(t, http.StatusOK, resp.StatusCode, name)
		assert.NotEmpty(t, resp.RequestID, name)
		assert.Equal(t, 1, resp.Attempts, name)
	}

	var resp scpvpn.Response
	require.NoError(t, c.V1Dot1.Tunnels.Delete(ctx, tun, scpvpn.WithResponse(&resp)))
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	require.NoError(t, c.V1Dot1.Tunnels.WaitUntilDeleted(ctx, tun, scpvpn.WithResponse(&resp)))
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "the waiter's last Get found it gone")
}

func TestWithHeader(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	gateway := fixture(t, "v1.1", "gateway_get_response")

	t.Run("sent on every attempt, signature intact", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, gatewayPath, sequence(rec.respond(http.StatusBadGateway, `{}`), rec.respond(http.StatusOK, gateway)))
		_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID,
			scpvpn.WithHeader("x-correlation-id", "abc"), scpvpn.WithHeader("Accept-Language", "ko-KR"))
		require.NoError(t, err)
		sent := rec.all()
		require.Len(t, sent, 2)
		for _, s := range sent {
			assert.Equal(t, "abc", s.Request.Header.Get("X-Correlation-Id"))
			assert.Equal(t, "ko-KR", s.Request.Header.Get("Accept-Language"), "a per-call header replaces the client's")
			assert.Equal(t, "vpn 1.1", s.Request.Header.Get(scpvpn.HeaderAPIVersion))
			assert.NoError(t, sigverify.Verify(s.Request, testSecretKey))
		}

		_, err = c.V1Dot1.Gateways.Get(ctx, gatewayID)
		require.NoError(t, err)
		assert.Empty(t, rec.all()[2].Request.Header.Get("X-Correlation-Id"), "for that call only")
		assert.Equal(t, "en-US", rec.all()[2].Request.Header.Get("Accept-Language"))
	})

	t.Run("cannot replace the API version", func(t *testing.T) {
		t.Parallel()
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, gatewayPath, rec.respond(http.StatusOK, gateway))
		_, err := c.V1Dot0.Gateways.Get(ctx, gatewayID, scpvpn.WithHeader("Scp-Api-Version", "vpn 1.1"))
		var vErr *scpvpn.ValidationError
		require.ErrorAs(t, err, &vErr)
		assert.Empty(t, rec.all())
	})

	// Servers that map header names to variables (CGI, WSGI, many
	// gateways) read Scp_Signature as Scp-Signature; and a caller's
	// Accept-Encoding stops net/http from decompressing the answer.
	for _, key := range []string{"Scp-Signature", "scp-accesskey", "SCP-TIMESTAMP", "Scp-AccountId", "Authorization", "X-Auth-Token", "Host", "Content-Length", "Transfer-Encoding", "Connection", "bad name", "",
		"Scp_Signature", "scp_accesskey", "X_Auth_Token", "x-auth_token", "Accept-Encoding"} {
		t.Run("refuses "+key, func(t *testing.T) {
			t.Parallel()
			mock := anyCallMock()
			c := newClient(t, mock)
			var resp scpvpn.Response
			_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID, scpvpn.WithHeader(key, "forged"), scpvpn.WithResponse(&resp))
			var vErr *scpvpn.ValidationError
			require.ErrorAs(t, err, &vErr)
			require.Len(t, vErr.Fields, 1)
			assert.Equal(t, key, vErr.Fields[0].Field)
			assert.NotContains(t, err.Error(), "forged", "the value is not repeated")
			assert.Zero(t, mock.GetTotalCallCount(), "nothing is sent")
			assert.Zero(t, resp.Attempts)
		})
	}
	t.Run("refuses a value a header cannot carry", func(t *testing.T) {
		t.Parallel()
		mock := anyCallMock()
		c := newClient(t, mock)
		err := c.V1Dot1.Gateways.Delete(ctx, gatewayID, scpvpn.WithHeader("X-Trace", "a\r\nScp-Signature: x"))
		var vErr *scpvpn.ValidationError
		require.ErrorAs(t, err, &vErr)
		assert.Contains(t, err.Error(), "cannot be sent as it is")
		assert.Zero(t, mock.GetTotalCallCount())
	})
}

// The caller's idempotency key names its write: the reads the SDK makes on
// its own to settle a lost answer go without it (an idempotency middleware
// could fail them, or answer them with the write's stored answer), and
// with the caller's other headers.
func TestAnIdempotencyKeyStaysOnTheWrite(t *testing.T) {
	t.Parallel()
	var rec recorder
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodDelete, gatewayPath, rec.respond(http.StatusBadGateway, "<html>502</html>"))
	mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-gateways", rec.respond(http.StatusBadGateway, "<html>502</html>"))
	mock.RegisterResponder(http.MethodGet, gatewayPath, rec.respond(http.StatusOK, fixture(t, "v1.1", "gateway_get_response")))
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", rec.respond(http.StatusOK, `{"count":0,"page":0,"size":20,"vpn_gateways":[]}`))
	c := newClient(t, mock, scpvpn.WithRetryPolicy(scpvpn.RetryPolicy{MaxAttempts: 1}))
	opts := []scpvpn.CallOption{
		scpvpn.WithHeader("Idempotency-Key", "k1"), scpvpn.WithHeader("x_idempotency_key", "k2"),
		scpvpn.WithHeader("X-Trace-Id", "t1"),
	}
	err := c.V1Dot1.Gateways.Delete(context.Background(), gatewayID, opts...)
	require.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "read back ACTIVE")
	_, err = c.V1Dot1.Gateways.Create(context.Background(), gatewayCreateRequest(), opts...)
	require.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "none found")

	sent := rec.all()
	require.Len(t, sent, 4, "each write, and its read-back")
	for _, r := range sent {
		h := r.Request.Header
		assert.Equal(t, "t1", h.Get("X-Trace-Id"), r.Request.Method)
		write := r.Request.Method != http.MethodGet
		assert.Equal(t, write, h.Get("Idempotency-Key") == "k1", "%s %s", r.Request.Method, r.Request.URL)
		assert.Equal(t, write, h.Get("X_idempotency_key") == "k2", "%s %s", r.Request.Method, r.Request.URL)
	}
}

func TestWithCallRetryPolicy(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithoutRetries())
	var rec recorder
	mock.RegisterResponder(http.MethodGet, gatewayPath, rec.respond(http.StatusServiceUnavailable, `{}`))
	ctx := context.Background()

	_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID, scpvpn.WithCallRetryPolicy(scpvpn.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	require.Error(t, err)
	assert.Len(t, rec.all(), 4, "this call retries")

	_, err = c.V1Dot1.Gateways.Get(ctx, gatewayID)
	require.Error(t, err)
	assert.Len(t, rec.all(), 5, "the next one follows the client's policy again")

	// And the other way round: a call without retries on a client with them.
	mock2 := httpmock.NewMockTransport()
	c2 := newClient(t, mock2)
	var rec2 recorder
	mock2.RegisterResponder(http.MethodGet, gatewayPath, rec2.respond(http.StatusServiceUnavailable, `{}`))
	_, err = c2.V1Dot1.Gateways.Get(ctx, gatewayID, scpvpn.WithCallRetryPolicy(scpvpn.RetryPolicy{MaxAttempts: 1}))
	require.Error(t, err)
	assert.Len(t, rec2.all(), 1)
}

func TestWithCallWaitPolicy(t *testing.T) {
	t.Parallel()
	// The fake's transitions end when the test moves its clock, not after
	// a time that a loaded machine could let pass before the first poll.
	clock := &e2eClock{}
	srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Minute, Now: clock.Now})
	// The client's own policy would first poll again after an hour.
	c := newClient(t, srv, scpvpn.WithWaitPolicy(scpvpn.WaitPolicy{MinDelay: time.Hour, MaxDelay: time.Hour}))
	ctx := e2eCtx(t)
	gw, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
	require.NoError(t, err)
	require.Equal(t, scpvpn.StateCreating, gw.State)

	fast := scpvpn.WithCallWaitPolicy(scpvpn.WaitPolicy{MinDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})
	type result struct {
		gw  *scpvpn.Gateway
		err error
	}
	done := make(chan result, 1)
	go func() {
		gw, err := c.V1Dot1.Gateways.WaitUntilActive(ctx, gw.ID, fast)
		done <- result{gw, err}
	}()
	// Three polls of a CREATING gateway: the hour's policy would have made one.
	e2eAwaitPolls(t, srv, "/v1/vpn-gateways/"+gw.ID, http.StatusOK, 3)
	clock.Advance(time.Minute)
	r := <-done
	require.NoError(t, r.err, "this wait polls every few milliseconds")
	assert.Equal(t, scpvpn.StateActive, r.gw.State)

	_, err = c.V1Dot1.Gateways.Set(ctx, gw.ID, &scpvpn.GatewaySetRequest{Description: scpvpn.Ptr("x")})
	require.NoError(t, err)
	srv.ClearRequests()
	short, pass := deadlineOnCue(t)
	go func() {
		// The deadline passes a while after the first poll: polls every
		// few milliseconds would have been seen by then. (A slow machine
		// only shortens the while; it cannot fail a right client.)
		for e2ePolls(srv, "/v1/vpn-gateways/"+gw.ID, http.StatusOK) < 1 && short.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond)
		pass()
	}()
	_, err = c.V1Dot1.Gateways.WaitUntilActive(short, gw.ID)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 1, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways/*"), "the next wait follows the client's policy: one poll, then an hour")
}

func TestPtr(t *testing.T) {
	t.Parallel()
	p := scpvpn.Ptr("edge")
	require.NotNil(t, p)
	assert.Equal(t, "edge", *p)
	q := scpvpn.Ptr("edge")
	assert.NotSame(t, p, q, "a new pointer every time")
	assert.Equal(t, 3600, *scpvpn.Ptr(3600))
}

func TestHasNext(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                     string
		page, size, items, count int
		want                     bool
	}{
		{"first of two", 0, 20, 20, 25, true},
		{"last, partly full", 1, 20, 5, 25, true}, // or a page of a service that caps its pages at 5: 1*5 + 5 < 25
		{"last, full", 1, 20, 20, 40, false},
		{"empty", 3, 20, 0, 40, false},
		{"one page holds all", 0, 20, 3, 3, false},
		{"size left out", 0, 0, 10, 11, true},
		{"count larger than what pages hold", 2, 10, 10, 100, true},
		{"the last page an int numbers", math.MaxInt, 20, 1, math.MaxInt, false}, // page*size overflows
		{"a page of a count near math.MaxInt", math.MaxInt / 40, 20, 20, math.MaxInt, true},
		// A service that holds its pages to 2 items and echoes the 500 asked:
		// page 1 cannot follow 500 items of a count of 5, so the pages before
		// held at least 2 each.
		{"capped, a page the size echoed cannot place", 1, 500, 2, 5, true},
		{"capped, the last page", 2, 500, 1, 5, true},                        // 2*1 + 1 < 5: another may follow; it comes back empty
		{"capped, all placed", 2, 500, 2, 5, false},                          // 2*2 + 2 > 5: nothing follows
		{"short, and the pages before full of as many", 2, 20, 5, 15, false}, // 2*5 + 5 = 15
		{"capped, near math.MaxInt", math.MaxInt - 1, 500, 1, math.MaxInt, false},
	}
	for _, tc := range cases {
		gws := make([]scpvpn.Gateway, tc.items)
		tuns := make([]scpvpn.Tunnel, tc.items)
		tuns11 := make([]scpvpn.TunnelV1Dot1, tc.items)
		assert.Equal(t, tc.want, (&scpvpn.GatewayList{Page: tc.page, Size: tc.size, Count: tc.count, Gateways: gws}).HasNext(), tc.name)
		assert.Equal(t, tc.want, (&scpvpn.TunnelList{Page: tc.page, Size: tc.size, Count: tc.count, Tunnels: tuns}).HasNext(), tc.name)
		assert.Equal(t, tc.want, (&scpvpn.TunnelListV1Dot1{Page: tc.page, Size: tc.size, Count: tc.count, Tunnels: tuns11}).HasNext(), tc.name)
	}
}

// Paging by hand with HasNext visits every gateway once.
func TestHasNextWalksEveryPage(t *testing.T) {
	t.Parallel()
	srv := e2eServer(t, vpntest.Options{TransitionDelay: -1, GatewayQuota: 50})
	for range 23 {
		_, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
	}
	c := newClient(t, srv)
	seen := map[string]bool{}
	opts := &scpvpn.GatewayListOptions{Size: 5}
	for {
		page, err := c.V1Dot1.Gateways.List(e2eCtx(t), opts)
		require.NoError(t, err)
		for _, g := range page.Gateways {
			assert.False(t, seen[g.ID], "seen twice")
			seen[g.ID] = true
		}
		if !page.HasNext() {
			break
		}
		opts.Page++
	}
	assert.Len(t, seen, 23)
	// Page 4 holds the last 3: a page short of its size may also be one of a
	// service that caps its pages, so HasNext lets one more page be asked,
	// which comes back empty.
	assert.Equal(t, 5, opts.Page)
}

func TestAPIErrorCode(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`{"errors":[{"detail":"x"},{"code":"HmacValidFail","detail":"y"},{"code":"Second"}]}`:  "HmacValidFail",
		`{"errors":[{"code":"scp-network.vpc-endpoint.subnet-not-found","detail":["a","b"]}]}`: "scp-network.vpc-endpoint.subnet-not-found",
		`{"errors":[{"detail":"no code"}]}`:                                                    "",
		`[{"loc":["body","name"],"msg":"bad","type_":"value_error"}]`:                          "",
		`<html>bad gateway</html>`:                                                             "",
	}
	for body, want := range cases {
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock, scpvpn.WithoutRetries())
		var rec recorder
		mock.RegisterResponder(http.MethodGet, gatewayPath, rec.respond(http.StatusBadRequest, body))
		_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
		var apiErr *scpvpn.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, want, apiErr.Code, body)
		assert.True(t, errors.Is(err, scpvpn.ErrBadRequest))
	}
}
