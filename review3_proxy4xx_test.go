package scpvpn_test

// Review 3 (lower confidence: a design question for the lead). An HTTP/2
// TLS reverse proxy in front of vpntest forwards a create, the service
// acts on it, and the proxy then spoils the answer. Every spoiling that
// the SDK reads as "may have acted" (a reset, 502, 504 or 500, a 2xx of
// HTML, {} or null, a 1xx) is settled by reading back, over HTTP/2 too.
// Two are not:
//   - a 404 that is not the API's (no error body): the create is reported
//     as a plain ErrUnexpectedAnswer, not ErrOutcomeUnknown, and a caller
//     who retries makes a second gateway. The SDK's own rule says such a
//     404 is not the service's verdict; whoever sent it may have forwarded
//     the request (a CDN that maps upstream errors to its 404 page).
//   - a 429 that is not the API's: the POST is sent again, up to the retry
//     policy's attempts, each acted on: one Create, three gateways. The
//     503 rule already tells the service's own answer (its error body)
//     from a proxy's; the 429 rule does not.

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// review3BadProxy forwards to vpntest over h2 TLS and spoils the answer to
// a POST as spoil says, after the service acted on it.
func review3BadProxy(t *testing.T, srv *vpntest.Server, spoil func(w http.ResponseWriter)) *httptest.Server {
	return review3SpoilingProxy(t, srv, http.MethodPost, spoil)
}

// review3SpoilingProxy is review3BadProxy for requests of method.
func review3SpoilingProxy(t *testing.T, srv *vpntest.Server, method string, spoil func(w http.ResponseWriter)) *httptest.Server {
	back := httptest.NewUnstartedServer(srv.Handler())
	back.EnableHTTP2 = true
	back.StartTLS()
	t.Cleanup(back.Close)
	u, _ := url.Parse(back.URL)
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(u); r.Out.Host = r.In.Host }}
	tr := back.Client().Transport.(*http.Transport).Clone()
	tr.ForceAttemptHTTP2 = true
	t.Cleanup(tr.CloseIdleConnections)
	rp.Transport = tr
	front := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			rp.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		rp.ServeHTTP(rec, r)
		spoil(w)
	}))
	front.EnableHTTP2 = true
	front.Config.ErrorLog = discardLog
	front.StartTLS()
	t.Cleanup(front.Close)
	return front
}

func TestReview3CreateSpoiledByAProxyAfterActingIsSettledOrUnknown(t *testing.T) {
	for name, spoil := range map[string]func(w http.ResponseWriter){
		"404 without the API's body": func(w http.ResponseWriter) { w.WriteHeader(404); _, _ = w.Write([]byte("<html>Not Found</html>")) },
		"429 without the API's body": func(w http.ResponseWriter) { w.WriteHeader(429) },
	} {
		t.Run(name, func(t *testing.T) {
			srv := e2eServer(t, e2eImmediate)
			front := review3BadProxy(t, srv, spoil)
			c, err := scpvpn.NewClient(scpvpn.WithEndpoint(front.URL), scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey),
				scpvpn.WithTransport(defaultTransportTrusting(t, front)), scpvpn.WithWaitPolicy(e2eWait))
			require.NoError(t, err)
			defer c.CloseIdleConnections()
			var resp scpvpn.Response
			gw, err := c.V1Dot1.Gateways.Create(e2eCtx(t), gatewayCreateRequest(), scpvpn.WithResponse(&resp), scpvpn.WithHeader("Idempotency-Key", "k1"))
			posts := srv.CountRequests(http.MethodPost, "/v1/vpn-gateways")
			require.Equal(t, 1, posts, "one Create sent %d POSTs, each acted on by the service behind the proxy: %d gateways (err %v)", posts, posts, err)
			if err == nil {
				require.True(t, resp.Settled, "success only when settled")
				require.NotEmpty(t, gw.ID)
			} else {
				require.True(t, errors.Is(err, scpvpn.ErrOutcomeUnknown), "the service acted on the create behind a proxy that answered %s: the create must be settled by reading back or be ErrOutcomeUnknown, not a plain error that invites a retry; got %v", name, err)
			}
		})
	}
}
