package scpvpn_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

var fastWaits = scpvpn.WithWaitPolicy(scpvpn.WaitPolicy{MinDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond})

// stateSequence answers GETs with a resource whose state follows states;
// the last one repeats. "404" answers Not Found.
type stateSequence struct {
	key    string
	states []string
	mu     sync.Mutex
	calls  int
}

func (s *stateSequence) responder(*http.Request) (*http.Response, error) {
	s.mu.Lock()
	state := s.states[min(s.calls, len(s.states)-1)]
	s.calls++
	s.mu.Unlock()
	if state == "404" {
		return httpmockResponse(http.StatusNotFound, `{"errors":[{"detail":"not found"}]}`), nil
	}
	return httpmockResponse(http.StatusOK, fmt.Sprintf(`{%q: {"id": "r1", "state": %q}}`, s.key, state)), nil
}

func (s *stateSequence) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func TestWaitUntilActive(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, fastWaits)
	seq := &stateSequence{key: "vpn_gateway", states: []string{"CREATING", "CREATING", "ACTIVE"}}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/r1", seq.responder)

	gw, err := c.V1Dot1.Gateways.WaitUntilActive(context.Background(), "r1")
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateActive, gw.State)
	assert.Equal(t, 3, seq.count())
}

func TestWaitUntilActiveOnEveryService(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, fastWaits)
	seq := &stateSequence{key: "vpn_tunnel", states: []string{"EDITING", "ACTIVE"}}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-tunnels/r1", seq.responder)

	t10, err := c.V1Dot0.Tunnels.WaitUntilActive(context.Background(), "r1")
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateActive, t10.State)
	t11, err := c.V1Dot1.Tunnels.WaitUntilActive(context.Background(), "r1")
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateActive, t11.State)
	gwSeq := &stateSequence{key: "vpn_gateway", states: []string{"ACTIVE"}}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/r1", gwSeq.responder)
	_, err = c.V1Dot0.Gateways.WaitUntilActive(context.Background(), "r1")
	require.NoError(t, err)
}

func TestWaitUntilActiveSeesError(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, fastWaits)
	seq := &stateSequence{key: "vpn_tunnel", states: []string{"CREATING", "ERROR"}}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-tunnels/r1", seq.responder)

	tn, err := c.V1Dot1.Tunnels.WaitUntilActive(context.Background(), "r1")
	require.ErrorIs(t, err, scpvpn.ErrResourceFailed)
	var failed *scpvpn.ResourceFailedError
	require.ErrorAs(t, err, &failed)
	assert.Equal(t, "r1", failed.ID)
	require.IsType(t, &scpvpn.TunnelV1Dot1{}, failed.Resource)
	assert.Equal(t, scpvpn.StateError, failed.Resource.(*scpvpn.TunnelV1Dot1).State)
	assert.Equal(t, scpvpn.StateError, tn.State, "the last state read is returned too")
}

func TestWaitUntilActiveRefusesADeletingResource(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, fastWaits)
	seq := &stateSequence{key: "vpn_gateway", states: []string{"DELETING"}}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/r1", seq.responder)
	_, err := c.V1Dot1.Gateways.WaitUntilActive(context.Background(), "r1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "DELETING")
	assert.Equal(t, 1, seq.count())
}

func TestWaitUntilActiveStopsWithTheContext(t *testing.T) {
	t.Parallel()
	// Real pauses (seconds) and a short deadline: the wait must end with the
	// context, not after the pause.
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithWaitPolicy(scpvpn.WaitPolicy{MinDelay: time.Minute, MaxDelay: time.Minute}))
	seq := &stateSequence{key: "vpn_gateway", states: []string{"CREATING"}}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/r1", seq.responder)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.V1Dot1.Gateways.WaitUntilActive(ctx, "r1")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.Contains(t, err.Error(), "waiting for VPN gateway r1 to be ACTIVE")
	assert.Equal(t, 1, seq.count())
}

func TestWaitUntilDeleted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		states []string
		calls  int
	}{
		{"until 404", []string{"DELETING", "DELETING", "404"}, 3},
		{"until DELETED", []string{"DELETING", "DELETED"}, 2},
		{"already gone", []string{"404"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock, fastWaits)
			seq := &stateSequence{key: "vpn_tunnel", states: tt.states}
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-tunnels/r1", seq.responder)
			require.NoError(t, c.V1Dot0.Tunnels.WaitUntilDeleted(context.Background(), "r1"))
			assert.Equal(t, tt.calls, seq.count())
		})
	}
}

func TestWaitUntilDeletedSeesError(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, fastWaits)
	seq := &stateSequence{key: "vpn_gateway", states: []string{"DELETING", "ERROR"}}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/r1", seq.responder)
	err := c.V1Dot1.Gateways.WaitUntilDeleted(context.Background(), "r1")
	require.ErrorIs(t, err, scpvpn.ErrResourceFailed)
}

func TestWaitStopsOnOtherErrors(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, fastWaits)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/r1", rec.respond(http.StatusForbidden, `{"errors":[{"detail":"no"}]}`))
	err := c.V1Dot1.Gateways.WaitUntilDeleted(context.Background(), "r1")
	require.ErrorIs(t, err, scpvpn.ErrForbidden)
	assert.False(t, errors.Is(err, scpvpn.ErrResourceFailed))
	assert.Len(t, rec.all(), 1)
}

func TestDefaultWaitPolicySuitsTheRealService(t *testing.T) {
	t.Parallel()
	p := scpvpn.DefaultWaitPolicy()
	assert.GreaterOrEqual(t, p.MinDelay, time.Second, "seconds, not milliseconds")
	assert.LessOrEqual(t, p.MaxDelay, time.Minute)
}
