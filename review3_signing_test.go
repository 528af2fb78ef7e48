package scpvpn_test

// Review 3: signing moved into internal/rest's pre-request hook, and the
// client strips the signing of a NewSigningTransport handed to it, but only
// when that transport is the one handed over. Wrapped in another transport
// (a tracing or metrics RoundTripper, the common case), it signs every
// attempt a second time, with its own signer: the request goes out under
// keys the client was not given.

import (
	"net/http"
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
