package scpvpn_test

// Review of release 0.3 (issue 17, item 4), as a proxy and a flaky network
// would attack it: creates reported as plain failures that the service
// made (5xx answers other than 500, 502 and 504, given by real proxies
// after the service acted), creates reported in doubt that provably never
// left the machine (a proxy that is down or refuses the tunnel), and
// creates reported done that the service did not make (a read-back whose
// clock is not the one its created_at values come from). Each test fails
// on the code it was written against.

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// TestReview1ACreateAnsweredAfterActingIsNeverAPlainFailure: a proxy in
// front of the service forwards the create, the service makes the
// gateway, and the proxy answers with a 5xx of its own that the SDK reads
// as "the service did not act": Cloudflare's 524 (the origin took the
// request and did not answer in time) and 520 (the origin answered
// something it could not read), and Envoy's 503 "upstream connect error or
// disconnect/reset before headers" (the upstream reset after receiving
// the request; Envoy and Istio answer 503 for it, not 502). The SDK
// reports a plain *APIError, not ErrOutcomeUnknown, and reads nothing
// back: the caller, told the create failed, runs it again and has two
// gateways. (The 503 case contradicts TestACreateTheServiceDidNotActOnIsNotSettled/503,
// which holds that a 503 is always the service's verdict.)
func TestReview1ACreateAnsweredAfterActingIsNeverAPlainFailure(t *testing.T) {
	t.Parallel()
	for name, answer := range map[string]struct {
		status int
		body   string
	}{
		"Cloudflare 524 a timeout occurred": {524, "<html><title>example.com | 524: A timeout occurred</title></html>"},
		"Cloudflare 520 web server error":   {520, "<html><title>example.com | 520: Web server is returning an unknown error</title></html>"},
		"Envoy 503 reset after the request": {http.StatusServiceUnavailable, "upstream connect error or disconnect/reset before headers. reset reason: connection termination"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Hour})
			c := frontClient(t, srv, actingFront(t, srv, http.MethodPost, func(w http.ResponseWriter, _ *httptest.ResponseRecorder) {
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(answer.status)
				_, _ = io.WriteString(w, answer.body)
			}))
			var resp scpvpn.Response
			got, err := c.V1Dot1.Gateways.Create(e2eCtx(t), gatewayCreateRequest(), scpvpn.WithResponse(&resp))

			held, lerr := newClient(t, srv).V1Dot1.Gateways.List(e2eCtx(t), nil)
			require.NoError(t, lerr)
			require.Len(t, held.Gateways, 1, "the service made the gateway")
			if err == nil {
				assert.True(t, resp.Settled, "only a read-back can say it was made")
				assert.Equal(t, held.Gateways[0].ID, got.ID)
				return
			}
			assert.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown,
				"a create the service made is reported as a plain failure (%v): rerunning it makes a second gateway", err)
		})
	}
}

// TestReview1ACreateThatNeverLeftIsNotInDoubt: a create that failed
// before a byte of it could be sent never reached the service, as a
// refused direct connection never does. The README: a POST is retried
// "when the connection could not be opened"; issue 17: "A create that
// provably never reached the service (the connection was refused) is not
// ErrOutcomeUnknown". retry.NotSent knows only a failed dial: an HTTP
// proxy that refuses the connection or the tunnel (net/http's *net.OpError
// "proxyconnect"), a server whose certificate is not trusted, a TLS
// handshake the server cuts (a load balancer without backends), all fail
// before the request is written, yet the create is not retried, is read
// back (failing the same way), and ends ErrOutcomeUnknown, "check before
// retrying" (the command line's status 5).
func TestReview1ACreateThatNeverLeftIsNotInDoubt(t *testing.T) {
	t.Parallel()
	refusingTunnel := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect {
			http.Error(w, "upstream refused", http.StatusBadGateway)
			return
		}
		http.Error(w, "only CONNECT", http.StatusMethodNotAllowed)
	}))
	t.Cleanup(refusingTunnel.Close)
	untrusted := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusAccepted) // never reached: the client does not trust it
	}))
	untrusted.Config.ErrorLog = discardLog
	untrusted.StartTLS()
	t.Cleanup(untrusted.Close)
	cutHandshake, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = cutHandshake.Close() })
	go func() {
		for {
			conn, err := cutHandshake.Accept()
			if err != nil {
				return
			}
			_ = conn.Close() // before the TLS handshake: no request can have come
		}
	}()
	viaProxy := func(proxy string) func(t *testing.T) *scpvpn.Client {
		return func(t *testing.T) *scpvpn.Client {
			proxyURL, err := url.Parse(proxy)
			require.NoError(t, err)
			tr := scpvpn.NewDefaultTransport()
			tr.Proxy = http.ProxyURL(proxyURL)
			t.Cleanup(tr.CloseIdleConnections)
			return urlClient(t, testEndpoint, scpvpn.WithTransport(tr))
		}
	}
	for name, client := range map[string]func(t *testing.T) *scpvpn.Client{
		"proxy refuses connections":   viaProxy("http://" + closedAddr(t)),
		"proxy refuses the tunnel":    viaProxy(refusingTunnel.URL),
		"certificate not trusted":     func(t *testing.T) *scpvpn.Client { return urlClient(t, untrusted.URL) },
		"TLS handshake cut by server": func(t *testing.T) *scpvpn.Client { return urlClient(t, "https://"+cutHandshake.Addr().String()) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := client(t).V1Dot1.Gateways.Create(e2eCtx(t), gatewayCreateRequest())
			require.Error(t, err)
			assert.NotErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "no byte of the create was sent: %v", err)
		})
	}
}

// review1ReadBack answers a gateway create with 502 (a proxy's: the
// service never saw it) and every list with one gateway that matches the
// request, created at created, with a Date header of date (none when
// zero): what a read-back behind a proxy whose clock is not the service's
// (nginx replaces Date by default), or of a service whose created_at is
// not UTC, gives.
func review1ReadBack(t *testing.T, req *scpvpn.GatewayCreateRequest, created, date time.Time) *scpvpn.Client {
	t.Helper()
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-gateways", func(*http.Request) (*http.Response, error) {
		return httpmockResponse(http.StatusBadGateway, "<html>502 Bad Gateway</html>"), nil
	})
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(r *http.Request) (*http.Response, error) {
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		items := []map[string]any{}
		if n == 0 {
			items = append(items, gatewayItem(req, "old-gateway", created))
		}
		body, err := json.Marshal(map[string]any{"count": 1, "page": n, "size": 20, "vpn_gateways": items})
		if err != nil {
			return nil, err
		}
		resp := httpmockResponse(http.StatusOK, string(body))
		if !date.IsZero() {
			resp.Header.Set("Date", date.UTC().Format(http.TimeFormat))
		}
		return resp, nil
	})
	return newClient(t, mock)
}

// TestReview1AnOlderGatewayIsNeverTheCreatesResult: the create never
// reached the service (a proxy's 502), and a gateway of the same name,
// VPC and fields was made by an earlier run half an hour ago. The
// read-back's window comes from a clock that does not agree with the one
// its created_at values come from, and the old gateway falls inside it:
// it is returned as the gateway this call made, with Response.Settled. The
// caller goes on as if it had a new gateway (and may delete "its" gateway
// later, deleting the older one). In each case the old gateway's
// created_at is later than the read-back's answer was given, which no
// gateway made before that answer can be: the clocks disagree, and the
// outcome is unknown.
func TestReview1AnOlderGatewayIsNeverTheCreatesResult(t *testing.T) {
	t.Parallel()
	// The cases are made from the clock read when each subtest runs: a
	// parallel subtest may start long after its parent on a loaded
	// machine, and the last case has only a minute to spare.
	cases := func(now time.Time) map[string]struct{ created, date time.Time } {
		return map[string]struct{ created, date time.Time }{
			// The Date of the read-back's answer is a proxy's, an hour slow.
			"Date an hour behind": {now.Add(-30 * time.Minute), now.Add(-time.Hour)},
			// created_at written in Korean time without a zone, read as UTC:
			// half an hour ago reads as eight and a half hours ahead.
			"created_at without a zone, not UTC": {now.Add(-30 * time.Minute).Add(9 * time.Hour), now},
			// No Date, and the service's clock 5 minutes ahead of the local
			// one (the signature allows 15): made 3 minutes ago, its
			// created_at is 2 minutes ahead of the local clock.
			"no Date, the service's clock ahead": {now.Add(2 * time.Minute), time.Time{}},
		}
	}
	for name := range cases(time.Now()) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tc := cases(time.Now())[name]
			req := gatewayCreateRequest()
			var resp scpvpn.Response
			got, err := review1ReadBack(t, req, tc.created, tc.date).V1Dot1.Gateways.Create(e2eCtx(t), req, scpvpn.WithResponse(&resp))
			if got != nil {
				assert.Fail(t, "false success", "the gateway %s made before the call is reported as made by it (Settled %v)", got.ID, resp.Settled)
			}
			assert.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown)
		})
	}
}
