package scpvpn_test

// Review of release 0.3 (issue 17, items 3 and 5), as a misconfigured
// client behind a router, and a server that answers about something else,
// would attack it: a 404 for a path nothing routes that carries the API's
// error body (as the project's own fake writes it), and a Get answered
// with another resource. Each test fails on the code it was written
// against.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// TestReview1AWrongPathPrefixIsNeverGone is issue 17's own scenario (a
// client whose endpoint has a wrong path prefix) against the project's own
// fake: vpntest answers a path that is not the API's with 404 and the
// API's error body ({"errors":[{"code":"NotFound","detail":"no such
// endpoint: ..."}]}), as a platform with one error envelope for its router
// and its services would. The SDK takes that for the service saying the
// gateway does not exist: Get matches ErrNotFound, Delete fails with
// ErrNotFound (the command line's status 3, "does not exist"), and
// WaitUntilDeleted reports the gateway gone, all while it is ACTIVE. (The
// command line's "gateways wait --deleted" then prints "deleted" and exits
// 0: cmd/scpvpn's TestReview1WrongPathPrefixIsNotDeleted.)
func TestReview1AWrongPathPrefixIsNeverGone(t *testing.T) {
	t.Parallel()
	srv := e2eServer(t, e2eImmediate)
	id, err := srv.AddGateway(vpntest.GatewaySeed{})
	require.NoError(t, err)
	wrong := newClient(t, srv, scpvpn.WithEndpoint(srv.URL+"/vpn"))
	ctx := e2eCtx(t)

	_, err = wrong.V1Dot1.Gateways.Get(ctx, id)
	require.Error(t, err)
	require.Contains(t, err.Error(), "no such endpoint", "the fake's router answered, not its gateways")
	assert.NotErrorIs(t, err, scpvpn.ErrNotFound, "a route that does not exist is not a gateway that does not")

	err = wrong.V1Dot1.Gateways.WaitUntilDeleted(ctx, id)
	assert.Error(t, err, "the gateway is ACTIVE, but the wait reports it gone")

	err = wrong.V1Dot1.Gateways.Delete(ctx, id)
	require.Error(t, err)
	assert.NotErrorIs(t, err, scpvpn.ErrNotFound, "nothing was deleted, and the gateway exists")

	gw, err := newClient(t, srv).V1Dot1.Gateways.Get(ctx, id)
	require.NoError(t, err)
	require.Equal(t, scpvpn.StateActive, gw.State, "all the while")
}

// TestReview1AnAnswerAboutAnotherResourceIsUnexpected: a Get of gateway A
// answered with gateway B (a cache keyed wrongly, a router that serves the
// wrong item) is returned as A's. Then a Delete of A whose answers were
// lost (502s) is settled as done because the read-back holds B in
// DELETING, and WaitUntilDeleted of A ends because B is DELETED: false
// successes the id in the answer would have caught.
func TestReview1AnAnswerAboutAnotherResourceIsUnexpected(t *testing.T) {
	t.Parallel()
	const other = "ffffffffffffffffffffffffffffffff"
	answer := func(state scpvpn.State) string {
		body := fixture(t, "v1.1", "gateway_get_response")
		body = strings.Replace(body, gatewayID, other, 1)
		return strings.Replace(body, `"ACTIVE"`, `"`+string(state)+`"`, 1)
	}
	client := func(t *testing.T, state scpvpn.State) *scpvpn.Client {
		mock := httpmock.NewMockTransport()
		mock.RegisterResponder(http.MethodGet, gatewayPath, func(*http.Request) (*http.Response, error) {
			return httpmockResponse(http.StatusOK, answer(state)), nil
		})
		mock.RegisterResponder(http.MethodDelete, gatewayPath, func(*http.Request) (*http.Response, error) {
			return httpmockResponse(http.StatusBadGateway, "<html>502</html>"), nil
		})
		return newClient(t, mock, scpvpn.WithWaitPolicy(e2eWait))
	}
	t.Run("Get", func(t *testing.T) {
		t.Parallel()
		gw, err := client(t, scpvpn.StateActive).V1Dot1.Gateways.Get(e2eCtx(t), gatewayID)
		if gw != nil {
			assert.Equal(t, gatewayID, gw.ID, "asked for one gateway, given another")
		}
		assert.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
	})
	t.Run("Delete settled by another's state", func(t *testing.T) {
		t.Parallel()
		var resp scpvpn.Response
		err := client(t, scpvpn.StateDeleting).V1Dot1.Gateways.Delete(e2eCtx(t), gatewayID, scpvpn.WithResponse(&resp))
		assert.Error(t, err, "the delete of %s reported done (Settled %v) because %s is DELETING", gatewayID, resp.Settled, other)
	})
	t.Run("WaitUntilDeleted", func(t *testing.T) {
		t.Parallel()
		err := client(t, scpvpn.StateDeleted).V1Dot1.Gateways.WaitUntilDeleted(e2eCtx(t), gatewayID)
		assert.Error(t, err, "%s reported deleted because %s is", gatewayID, other)
	})
}
