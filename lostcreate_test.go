package scpvpn_test

// Tests of settling a create whose answer confirmed nothing, end to end
// against vpntest: exactly one resource that matches the request, made
// since the call began, is its result; none or several leave the outcome
// unknown; a create the service never received, or refused, is reported as
// it is. Each of the settling tests failed on the SDK before creates were
// settled. The window and the fields compared are in
// lostcreate_window_test.go.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// methodCounter is a transport of the test's own that counts the requests
// of method it sends.
func methodCounter(t *testing.T, method string) (*atomic.Int32, http.RoundTripper) {
	t.Helper()
	var n atomic.Int32
	tr := e2eTransport(t)
	return &n, e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == method {
			n.Add(1)
		}
		return tr.RoundTrip(r)
	})
}

// lose writes what the client gets instead of the fake's answer, served.
type lose func(w http.ResponseWriter, served *httptest.ResponseRecorder)

// The ways a create's answer can confirm nothing after the service acted.
var lostAnswers = map[string]lose{
	"connection closed": func(w http.ResponseWriter, _ *httptest.ResponseRecorder) {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
		}
	},
	"502 of a proxy": func(w http.ResponseWriter, _ *httptest.ResponseRecorder) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><body>502 Bad Gateway</body></html>")
	},
	"504 of a proxy": func(w http.ResponseWriter, _ *httptest.ResponseRecorder) {
		w.WriteHeader(http.StatusGatewayTimeout)
	},
	"500 after acting": func(w http.ResponseWriter, _ *httptest.ResponseRecorder) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"errors":[{"code":"ContactAdminForAssistance","detail":"Internal Server Error"}]}`)
	},
	"202 {}": func(w http.ResponseWriter, _ *httptest.ResponseRecorder) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, "{}")
	},
	"202 HTML": func(w http.ResponseWriter, _ *httptest.ResponseRecorder) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, "<html><body>Accepted</body></html>")
	},
	"202 without an id": func(w http.ResponseWriter, _ *httptest.ResponseRecorder) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, `{"vpn_gateway": {"name": "x"}, "vpn_tunnel": {"name": "x"}}`)
	},
	"202 cut short": func(w http.ResponseWriter, served *httptest.ResponseRecorder) {
		body := served.Body.Bytes()
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		_, _ = fmt.Fprintf(buf, "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:len(body)/2])
		_ = buf.Flush()
		_ = conn.Close()
	},
}

// actingFront serves srv's API, except that the first request with method
// is served by the fake, which acts on it, and then answered by lost.
func actingFront(t *testing.T, srv *vpntest.Server, method string, lost lose) *httptest.Server {
	t.Helper()
	var done atomic.Bool
	h := srv.Handler()
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == method && !done.Swap(true) {
			served := httptest.NewRecorder()
			h.ServeHTTP(served, r)
			lost(w, served)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	return front
}

// frontClient is a client of front that signs with srv's keys.
func frontClient(t *testing.T, srv *vpntest.Server, front *httptest.Server) *scpvpn.Client {
	t.Helper()
	return urlClient(t, front.URL, scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey))
}

// sent returns the requests srv received, as "METHOD path?query".
func sent(srv *vpntest.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		s := r.Method + " " + r.Path
		if r.RawQuery != "" {
			s += "?" + r.RawQuery
		}
		out = append(out, s)
	}
	return out
}

func TestACreateWhoseAnswerConfirmedNothingIsSettled(t *testing.T) {
	t.Parallel()
	for name, lost := range lostAnswers {
		t.Run("gateway/"+name, func(t *testing.T) {
			t.Parallel()
			srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Hour})
			c := frontClient(t, srv, actingFront(t, srv, http.MethodPost, lost))
			req := gatewayCreateRequest()

			var resp scpvpn.Response
			got, err := c.V1Dot1.Gateways.Create(e2eCtx(t), req, scpvpn.WithResponse(&resp))
			require.NoError(t, err)
			assert.True(t, resp.Settled, "settled by reading back")
			assert.Equal(t, 1, resp.Attempts)

			held, err := newClient(t, srv).V1Dot1.Gateways.Get(e2eCtx(t), got.ID)
			require.NoError(t, err)
			assert.Equal(t, held, got, "every field of the gateway made")
			assert.Equal(t, scpvpn.StateCreating, got.State)
			assert.Equal(t, []string{
				"POST /v1/vpn-gateways",
				"GET /v1/vpn-gateways?name=" + req.Name + "&vpc_id=" + req.VPCID,
				"GET /v1/vpn-gateways/" + got.ID, // the test's own Get
			}, sent(srv), "one create, one read-back")
		})
	}

	for _, version := range []string{"v1.0", "v1.1"} {
		t.Run("tunnel "+version+"/502 of a proxy", func(t *testing.T) {
			t.Parallel()
			srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Hour})
			gw, err := srv.AddGateway(vpntest.GatewaySeed{})
			require.NoError(t, err)
			other := tunnelCreateRequestV1Dot1()
			other.VPNGatewayID = gw
			other.Phase2.RemoteSubnets = []string{"10.9.0.0/16"}
			_, err = newClient(t, srv).V1Dot1.Tunnels.Create(e2eCtx(t), other)
			require.NoError(t, err, "a tunnel of the same name that does not match")
			srv.ClearRequests()
			c := frontClient(t, srv, actingFront(t, srv, http.MethodPost, lostAnswers["502 of a proxy"]))

			var resp scpvpn.Response
			var got, held any
			var id string
			if version == "v1.0" {
				req := tunnelCreateRequest()
				req.VPNGatewayID = gw
				tn, err := c.V1Dot0.Tunnels.Create(e2eCtx(t), req, scpvpn.WithResponse(&resp))
				require.NoError(t, err)
				id, got = tn.ID, tn
				held, err = newClient(t, srv).V1Dot0.Tunnels.Get(e2eCtx(t), tn.ID)
				require.NoError(t, err)
			} else {
				req := tunnelCreateRequestV1Dot1()
				req.VPNGatewayID = gw
				tn, err := c.V1Dot1.Tunnels.Create(e2eCtx(t), req, scpvpn.WithResponse(&resp))
				require.NoError(t, err)
				id, got = tn.ID, tn
				held, err = newClient(t, srv).V1Dot1.Tunnels.Get(e2eCtx(t), tn.ID)
				require.NoError(t, err)
			}
			assert.True(t, resp.Settled)
			assert.Equal(t, http.StatusBadGateway, resp.StatusCode, "the Response is the create's own answer")
			assert.Equal(t, held, got, "every field, the phases whole")
			assert.Equal(t, []string{
				"POST /v1/vpn-tunnels",
				"GET /v1/vpn-tunnels?name=ExampleVpnTunnel1&vpn_gateway_id=" + gw,
				"GET /v1/vpn-tunnels/" + id, // the read-back reads the one found whole
				"GET /v1/vpn-tunnels/" + id, // the test's own Get
			}, sent(srv))
		})
	}
}

// unknownOutcome returns err as an *OutcomeUnknownError, failing the test
// otherwise.
func unknownOutcome(t *testing.T, err error) *scpvpn.OutcomeUnknownError {
	t.Helper()
	require.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown)
	var unknown *scpvpn.OutcomeUnknownError
	require.ErrorAs(t, err, &unknown)
	assert.Contains(t, err.Error(), "check before retrying")
	return unknown
}

func TestACreateNotFoundByReadingBackIsUnknown(t *testing.T) {
	t.Parallel()
	// The proxy's 502 came before the service: nothing was made.
	srv := e2eServer(t, e2eImmediate)
	c := newClient(t, srv)
	srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Step{Status: http.StatusBadGateway, Body: "<html>bad gateway</html>",
		Header: http.Header{"Content-Type": {"text/html"}}})
	req := gatewayCreateRequest()

	var resp scpvpn.Response
	got, err := c.V1Dot1.Gateways.Create(e2eCtx(t), req, scpvpn.WithResponse(&resp))
	assert.Nil(t, got)
	unknown := unknownOutcome(t, err)
	assert.Empty(t, unknown.Candidates)
	assert.Equal(t, "create VPN gateway "+req.Name, unknown.Op)
	assert.Contains(t, unknown.Found, "no VPN gateway named "+req.Name)
	assert.Equal(t, http.StatusBadGateway, e2eAPIError(t, err).StatusCode, "errors.As still finds the 502")
	assert.False(t, resp.Settled)
	assert.Equal(t, []string{"POST /v1/vpn-gateways", "GET /v1/vpn-gateways?name=" + req.Name + "&vpc_id=" + req.VPCID}, sent(srv))
}

func TestACreateWithSeveralCandidatesIsUnknown(t *testing.T) {
	t.Parallel()
	srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Hour})
	req := gatewayCreateRequest()
	// Another tool made the same gateway a moment ago: which one is this
	// call's cannot be told.
	first, err := newClient(t, srv).V1Dot1.Gateways.Create(e2eCtx(t), req)
	require.NoError(t, err)
	c := frontClient(t, srv, actingFront(t, srv, http.MethodPost, lostAnswers["connection closed"]))

	got, err := c.V1Dot1.Gateways.Create(e2eCtx(t), req)
	assert.Nil(t, got)
	unknown := unknownOutcome(t, err)
	require.Len(t, unknown.Candidates, 2)
	var ids []string
	for _, cand := range unknown.Candidates {
		gw, ok := cand.(*scpvpn.Gateway)
		require.True(t, ok, "a *Gateway, not %T", cand)
		ids = append(ids, gw.ID)
		assert.Contains(t, err.Error(), gw.ID, "the message names each candidate")
	}
	assert.Contains(t, ids, first.ID)
	assert.Contains(t, unknown.Found, "2 VPN gateways named "+req.Name)
	var apiErr *scpvpn.APIError
	assert.False(t, errors.As(err, &apiErr), "no answer came")
}

// A same-named gateway that matches the request but was made an hour ago
// is not this create's doing: the outcome stays unknown.
func TestAnOlderMatchingResourceIsNotTheCreatesResult(t *testing.T) {
	t.Parallel()
	var offset atomic.Int64
	srv := e2eServer(t, vpntest.Options{MaxClockSkew: 2 * time.Hour, Now: func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }})
	req := gatewayCreateRequest()
	offset.Store(int64(-time.Hour))
	old, err := newClient(t, srv).V1Dot1.Gateways.Create(e2eCtx(t), req)
	require.NoError(t, err)
	offset.Store(0)
	srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Respond(http.StatusBadGateway))

	got, err := newClient(t, srv).V1Dot1.Gateways.Create(e2eCtx(t), req)
	assert.Nil(t, got, "not the gateway %s made an hour ago", old.ID)
	unknown := unknownOutcome(t, err)
	assert.Empty(t, unknown.Candidates)
}

// A create that never reached the service, or that the service refused,
// is reported as it is: nothing is read back.
// A 500 says the service failed, not that it did nothing: the create is
// read back, and with nothing found its outcome is unknown.
func TestACreateAnswered500IsReadBack(t *testing.T) {
	t.Parallel()
	srv := e2eServer(t, e2eImmediate)
	srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Respond(http.StatusInternalServerError))
	_, err := newClient(t, srv).V1Dot1.Gateways.Create(e2eCtx(t), gatewayCreateRequest())
	assert.Equal(t, http.StatusInternalServerError, e2eAPIError(t, err).StatusCode)
	assert.Empty(t, unknownOutcome(t, err).Candidates)
	assert.EqualValues(t, 1, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways"), "read back")
}

func TestACreateTheServiceDidNotActOnIsNotSettled(t *testing.T) {
	t.Parallel()
	t.Run("connection refused", func(t *testing.T) {
		t.Parallel()
		c := urlClient(t, "http://"+closedAddr(t), scpvpn.WithRetryPolicy(fastRetries))
		_, err := c.V1Dot1.Gateways.Create(e2eCtx(t), gatewayCreateRequest())
		require.Error(t, err)
		assert.NotErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "nothing reached the service")
	})
	for _, status := range []int{http.StatusBadRequest, http.StatusConflict, http.StatusServiceUnavailable, http.StatusTooManyRequests} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			srv := e2eServer(t, e2eImmediate)
			srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Respond(status), vpntest.Respond(status), vpntest.Respond(status))
			var resp scpvpn.Response
			_, err := newClient(t, srv).V1Dot1.Gateways.Create(e2eCtx(t), gatewayCreateRequest(), scpvpn.WithResponse(&resp))
			assert.Equal(t, status, e2eAPIError(t, err).StatusCode)
			assert.NotErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "the service's verdict")
			assert.False(t, resp.Settled)
			assert.Zero(t, srv.CountRequests(http.MethodGet, "*"), "nothing read back")
		})
	}
}

func TestAFailedReadBackLeavesTheCreateUnknown(t *testing.T) {
	t.Parallel()
	for name, step := range map[string]vpntest.Step{
		"500":        vpntest.Respond(http.StatusInternalServerError),
		"a bare 404": {Status: http.StatusNotFound, Body: "404 page not found", Header: http.Header{"Content-Type": {"text/plain"}}},
		"not a list": {Status: http.StatusOK, Body: `{"vpn_gateway": {"id": "x"}}`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := e2eServer(t, e2eImmediate)
			c := frontClient(t, srv, actingFront(t, srv, http.MethodPost, lostAnswers["502 of a proxy"]))
			srv.Script(http.MethodGet, "/v1/vpn-gateways", step)

			_, err := c.V1Dot1.Gateways.Create(e2eCtx(t), gatewayCreateRequest())
			unknown := unknownOutcome(t, err)
			assert.Contains(t, unknown.Found, "failed")
			assert.Equal(t, http.StatusBadGateway, e2eAPIError(t, err).StatusCode, "the create's own answer, not the read-back's")
		})
	}
}

// A create whose context ended after it was sent may have been done; with
// the context gone, nothing is read back.
func TestACreateWhoseContextEndedIsUnknown(t *testing.T) {
	t.Parallel()
	srv := e2eServer(t, e2eImmediate)
	srv.SetLatency(http.MethodPost, "/v1/vpn-gateways", time.Minute)
	ctx, cancel := context.WithCancel(e2eCtx(t))
	defer cancel()
	go func() { // the context ends once the service has the create
		for srv.CountRequests(http.MethodPost, "/v1/vpn-gateways") == 0 && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := newClient(t, srv).V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
	unknown := unknownOutcome(t, err)
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, unknown.Found, "context")
	assert.Zero(t, srv.CountRequests(http.MethodGet, "*"))
}
