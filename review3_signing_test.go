package scpvpn_test

// Review 3: signing moved into internal/rest's pre-request hook, and the
// client strips the signing of a NewSigningTransport handed to it, but only
// when that transport is the one handed over. Wrapped in another transport
// (a tracing or metrics RoundTripper, the common case), it signs every
// attempt a second time, with its own signer: the request goes out under
// keys the client was not given.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// review3Wrap is a caller's transport around another, as tracing and
// metrics middleware are.
type review3Wrap struct{ next http.RoundTripper }

func (w review3Wrap) RoundTrip(r *http.Request) (*http.Response, error) { return w.next.RoundTrip(r) }

func TestReview3WrappedSigningTransportDoesNotSignAgain(t *testing.T) {
	srv := e2eServer(t, e2eImmediate)
	var signedByCaller atomic.Int64
	callerSigner := &scpvpn.Signer{
		AccessKey: "someOtherAccessKey",
		SecretKey: "someOtherSecretKey",
		Now: func() time.Time {
			signedByCaller.Add(1)
			return time.Now()
		},
	}
	for name, opt := range map[string]scpvpn.Option{
		"WithTransport": scpvpn.WithTransport(review3Wrap{scpvpn.NewSigningTransport(callerSigner, e2eTransport(t))}),
		"WithHTTPClient": scpvpn.WithHTTPClient(&http.Client{
			Transport: review3Wrap{scpvpn.NewSigningTransport(callerSigner, e2eTransport(t))},
		}),
	} {
		t.Run(name, func(t *testing.T) {
			signedByCaller.Store(0)
			c, err := scpvpn.NewClient(scpvpn.WithEndpoint(srv.URL), scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey), opt)
			require.NoError(t, err)
			t.Cleanup(c.CloseIdleConnections)
			_, err = c.V1Dot1.Gateways.List(e2eCtx(t), nil)
			if n := signedByCaller.Load(); n > 0 {
				t.Errorf("one List was signed %d more time(s) by a NewSigningTransport wrapped in the caller's transport, after the client signed it with its own keys: the request left under keys the client was not given (double signing)", n)
			}
			require.NoError(t, err, "a List with the client's right keys must succeed; the second signature, with other keys, is what the service checked")
		})
	}
}

// NewSigningTransport(s, nil) sends through http.DefaultTransport. Handed
// to the client, its signing is stripped (buildHTTPClient) and what is
// left, http.DefaultTransport, is used in place of the SDK's default
// transport: the caller chose no transport, yet loses the SDK's bounds,
// among them the 1 MiB bound on an answer's headers (issue 17, item 2;
// net/http's own is 10 MB).
func TestReview3SigningTransportWithoutBaseKeepsTheSDKsBounds(t *testing.T) {
	big := strings.Repeat("x", 4<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for i := range 512 { // 2 MiB of headers
			w.Header().Add("X-Filler-"+strconv.Itoa(i), big)
		}
		_, _ = w.Write([]byte(`{"vpn_gateway_max_quota":3,"vpn_gateway_used_quota":1}`))
	}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	plain := urlClient(t, srv.URL)
	_, err := plain.V1Dot1.Gateways.Quota(ctx, nil)
	require.Error(t, err, "precondition: the SDK's default transport refuses 2 MiB of answer headers")

	signer := &scpvpn.Signer{AccessKey: testAccessKey, SecretKey: testSecretKey}
	c := urlClient(t, srv.URL, scpvpn.WithTransport(scpvpn.NewSigningTransport(signer, nil)))
	defer http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	if _, err := c.V1Dot1.Gateways.Quota(ctx, nil); err == nil {
		t.Errorf("with WithTransport(NewSigningTransport(signer, nil)), whose signing the client strips, an answer with 2 MiB of headers was read: the client fell back to http.DefaultTransport rather than its own bounded default transport")
	}
}
