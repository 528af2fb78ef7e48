package scpvpn_test

// Tests that an answer holding one resource for a path with an id is about
// that id: a Set's answer, the read-back that settles a lost Set, a
// waiter's polls, and the whole read of a tunnel that settles a lost
// create. An answer about another resource is ErrUnexpectedAnswer, never
// that resource's state taken for this one's. (Get, a Delete settled and
// WaitUntilDeleted are in review1_notfound_test.go.)

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// anotherID is the id of the resource a wrong answer is about.
const anotherID = "ffffffffffffffffffffffffffffffff"

// aboutAnother is the fixture of a gateway's answer, about anotherID.
func aboutAnother(t *testing.T) string {
	return strings.Replace(fixture(t, "v1.1", "gateway_get_response"), gatewayID, anotherID, 1)
}

func TestASetAnsweredAboutAnotherIsNotDone(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	// The Set's answer and its read-back both hold another gateway, ACTIVE
	// and with the description asked for: either, taken for this one,
	// would report the Set done.
	body := strings.Replace(aboutAnother(t), `"description": "Example Description for VPN Gateway"`, `"description": "edge"`, 1)
	require.Contains(t, body, `"edge"`)
	mock.RegisterResponder(http.MethodPut, gatewayPath, func(*http.Request) (*http.Response, error) {
		return httpmockResponse(http.StatusAccepted, body), nil
	})
	mock.RegisterResponder(http.MethodGet, gatewayPath, func(*http.Request) (*http.Response, error) {
		return httpmockResponse(http.StatusOK, body), nil
	})
	var resp scpvpn.Response
	gw, err := newClient(t, mock).V1Dot1.Gateways.Set(e2eCtx(t), gatewayID, &scpvpn.GatewaySetRequest{Description: scpvpn.Ptr("edge")}, scpvpn.WithResponse(&resp))
	assert.Nil(t, gw)
	require.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "the Set may have been done, and nothing confirms it")
	require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
	assert.Contains(t, err.Error(), `the answer is about VPN gateway "`+anotherID+`", not "`+gatewayID+`"`)
	assert.False(t, resp.Settled)
}

func TestAWaiterPollingAnotherIsUnexpected(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, gatewayPath, func(*http.Request) (*http.Response, error) {
		return httpmockResponse(http.StatusOK, aboutAnother(t)), nil // ACTIVE
	})
	gw, err := newClient(t, mock, scpvpn.WithWaitPolicy(e2eWait)).V1Dot1.Gateways.WaitUntilActive(e2eCtx(t), gatewayID)
	require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer, "%s is ACTIVE, not %s", anotherID, gatewayID)
	assert.Nil(t, gw)
	assert.Equal(t, 1, mock.GetTotalCallCount(), "an answer the API does not give ends the wait")
}

// A tunnel created whose answer was lost is listed, then read whole: a
// whole read about another tunnel settles nothing.
func TestATunnelsWholeReadAboutAnotherSettlesNothing(t *testing.T) {
	t.Parallel()
	srv := e2eServer(t, e2eImmediate)
	gwID, err := srv.AddGateway(vpntest.GatewaySeed{})
	require.NoError(t, err)
	h := srv.Handler()
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served := httptest.NewRecorder()
		h.ServeHTTP(served, r)
		body := served.Body.Bytes()
		switch {
		case r.Method == http.MethodPost:
			w.WriteHeader(http.StatusBadGateway) // after the fake made it
			return
		case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/vpn-tunnels/"):
			var id struct {
				Tunnel struct{ ID string } `json:"vpn_tunnel"`
			}
			assert.NoError(t, json.Unmarshal(body, &id))
			body = bytes.Replace(body, []byte(id.Tunnel.ID), []byte(anotherID), 1)
		}
		for k, v := range served.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(served.Code)
		_, _ = io.Copy(w, bytes.NewReader(body))
	}))
	t.Cleanup(front.Close)
	req := tunnelCreateRequestV1Dot1()
	req.VPNGatewayID = gwID
	var resp scpvpn.Response
	tn, err := frontClient(t, srv, front).V1Dot1.Tunnels.Create(e2eCtx(t), req, scpvpn.WithResponse(&resp))
	assert.Nil(t, tn)
	unknown := unknownOutcome(t, err)
	assert.Contains(t, unknown.Found, "the answer is about VPN tunnel")
	assert.False(t, resp.Settled)
	held, err := newClient(t, srv).V1Dot1.Tunnels.List(e2eCtx(t), nil)
	require.NoError(t, err)
	require.Len(t, held.Tunnels, 1, "the fake made it; the read-back could not confirm it")
}
