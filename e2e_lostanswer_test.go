package scpvpn_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// End to end, against vpntest: when the answer to a PUT or DELETE is lost
// after the service acted on it, the retry meets the resource already
// EDITING or DELETING and is refused with 409. The SDK must report what
// happened (success), not the conflict with its own first attempt.

// lossyFront serves the fake's API, except that the first request with the
// given method is served and then its connection is dropped before the
// answer reaches the client.
func lossyFront(t *testing.T, srv *vpntest.Server, method string) *httptest.Server {
	t.Helper()
	var dropped atomic.Bool
	h := srv.Handler()
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == method && !dropped.Swap(true) {
			h.ServeHTTP(httptest.NewRecorder(), r) // the service acts...
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close() // ...and the answer is lost
			}
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	return front
}

// lossySetup returns a fake whose transitions last an hour, an ACTIVE
// gateway in it, and a client whose first call with method loses its answer.
func lossySetup(t *testing.T, method string) (*vpntest.Server, *scpvpn.Client, string) {
	t.Helper()
	srv := vpntest.NewServer(vpntest.Options{TransitionDelay: time.Hour})
	t.Cleanup(srv.Close)
	id, err := srv.AddGateway(vpntest.GatewaySeed{Name: "gw1"})
	require.NoError(t, err)
	c := newClient(t, lossyFront(t, srv, method).URL, scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey))
	return srv, c, id
}

func TestDeleteWhoseAnswerWasLost(t *testing.T) {
	t.Parallel()
	srv, c, id := lossySetup(t, http.MethodDelete)

	require.NoError(t, c.V1Dot1.Gateways.Delete(context.Background(), id), "the first attempt deleted it")
	state, err := srv.State(id)
	require.NoError(t, err)
	assert.Equal(t, "DELETING", state)
	assert.Equal(t, 2, srv.CountRequests(http.MethodDelete, "/v1/vpn-gateways/*"), "sent twice: the answer to the first was lost")
}

func TestSetWhoseAnswerWasLost(t *testing.T) {
	t.Parallel()
	srv, c, id := lossySetup(t, http.MethodPut)

	gw, err := c.V1Dot1.Gateways.Set(context.Background(), id, &scpvpn.GatewaySetRequest{Description: ptr("changed")})
	require.NoError(t, err, "the first attempt changed it")
	assert.Equal(t, scpvpn.StateEditing, gw.State)
	assert.Equal(t, "changed", gw.Description)
	assert.Equal(t, 2, srv.CountRequests(http.MethodPut, "/v1/vpn-gateways/*"))
}

func TestConflictOnTheFirstAttemptIsReported(t *testing.T) {
	t.Parallel()
	srv := vpntest.NewServer(vpntest.Options{TransitionDelay: time.Hour})
	defer srv.Close()
	id, err := srv.AddGateway(vpntest.GatewaySeed{Name: "gw1"})
	require.NoError(t, err)
	require.NoError(t, srv.ForceState(id, "DELETING"))
	c := newClient(t, srv)

	err = c.V1Dot1.Gateways.Delete(context.Background(), id)
	require.ErrorIs(t, err, scpvpn.ErrConflict, "someone else's deletion is not this call's success")
	_, err = c.V1Dot1.Gateways.Set(context.Background(), id, &scpvpn.GatewaySetRequest{Description: ptr("x")})
	require.ErrorIs(t, err, scpvpn.ErrConflict)
}
