package acceptance

// The suite proves what a user's client does on the wire: its client
// sends over the SDK's own default transport, with the requests as the SDK
// builds them, so that net/http never sends one again below the SDK, and
// the recording of each exchange for the schema report changes nothing.

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/testkit/apischema"
)

const quotaAnswer = `{"vpn_gateway_max_quota":3,"vpn_gateway_used_quota":1}`

// suiteClientOf is the suite's client, configured through the variables of
// scpvpn.NewClientFromEnv as a run is, for the server at url.
func suiteClientOf(t *testing.T, url string, checker *apischema.Checker, opts ...scpvpn.Option) *scpvpn.Client {
	t.Helper()
	t.Setenv("SCP_CONFIG_DIR", filepath.Join(t.TempDir(), ".scpconf"))
	t.Setenv("SCP_VPN_ENDPOINT", url)
	t.Setenv("SCP_ACCESS_KEY", "ak")
	t.Setenv("SCP_SECRET_KEY", "sk")
	c, err := suiteClient(checker, opts...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func newChecker(t *testing.T) *apischema.Checker {
	t.Helper()
	checker, err := apischema.New(documents(".."))
	require.NoError(t, err)
	return checker
}

type connRequestsKey struct{}

// A call that meets its kept connection closed after the request was sent
// is not sent again by net/http: the server sees the one attempt the SDK
// made (with retries off, so that any second request would be net/http's).
// A GET that net/http can rewind, as one rebuilt with http.NoBody is, it
// sends again on a new connection.
func TestSuiteClientNeverResends(t *testing.T) {
	var gets atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gets.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		if r.Context().Value(connRequestsKey{}).(*atomic.Int64).Add(1) > 1 {
			// The second request on a connection: read, then dropped.
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, quotaAnswer)
	}))
	srv.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		return context.WithValue(ctx, connRequestsKey{}, new(atomic.Int64))
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	checker := newChecker(t)
	c := suiteClientOf(t, srv.URL, checker, scpvpn.WithoutRetries())
	ctx := t.Context()

	_, err := c.V1Dot1.Gateways.Quota(ctx, nil) // leaves a kept connection
	require.NoError(t, err)
	_, err = c.V1Dot1.Gateways.Quota(ctx, nil)
	require.Error(t, err, "the server dropped the only attempt")
	assert.EqualValues(t, 2, gets.Load(), "the server saw a GET the SDK did not send")

	e := checker.Exchanges()
	require.Len(t, e, 2, "each exchange recorded")
	assert.Equal(t, quotaAnswer, string(e[0].Body))
	assert.Empty(t, e[0].NotJudged)
	assert.Empty(t, e[0].ResponseErrors)
	assert.Zero(t, e[1].Status, "no answer")
}

// The suite's transport is the SDK's default one, which bounds an answer's
// headers to 1 MiB; Go's default transport takes up to 10 MiB.
func TestSuiteClientSendsOverTheSDKsTransport(t *testing.T) {
	big := strings.Repeat("x", 32<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for i := range 64 { // 2 MiB of headers
			w.Header().Add("X-Padding", big+string(rune('a'+i%26)))
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, quotaAnswer)
	}))
	t.Cleanup(srv.Close)
	c := suiteClientOf(t, srv.URL, newChecker(t), scpvpn.WithoutRetries())

	_, err := c.V1Dot1.Gateways.Quota(t.Context(), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "headers exceeded")
}
