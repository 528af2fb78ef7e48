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
	"github.com/scpsdk/scpvpn/vpntest"
)

// The waiters (WaitUntilActive, WaitUntilDeleted) of every service: first on
// scripted states through httpmock, then end to end against vpntest.

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
	return httpmockResponse(http.StatusOK, fmt.Sprintf(`{%q: {"id": "r1", "state": %q, "created_at": "2024-05-17T00:23:17Z"}}`, s.key, state)), nil
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

// A state the SDK does not know, one the service adds later, is polled
// through: new states must not break old clients.
func TestWaitUntilActivePollsThroughUnknownStates(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, fastWaits)
	seq := &stateSequence{key: "vpn_gateway", states: []string{"CREATING", "UPGRADING", "MIGRATING", "ACTIVE"}}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/r1", seq.responder)

	gw, err := c.V1Dot1.Gateways.WaitUntilActive(context.Background(), "r1")
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateActive, gw.State)
	assert.Equal(t, 4, seq.count())
}

func TestWaitUntilActiveStopsWithTheContext(t *testing.T) {
	t.Parallel()
	// Real pauses (a minute) and a deadline that passes once the first
	// poll is answered (not after a time, which a loaded machine could let
	// pass before the poll): the wait must end with the context, not after
	// the pause.
	mock := httpmock.NewMockTransport()
	ctx, pass := deadlineOnCue(t)
	c := newClient(t, mock, scpvpn.WithWaitPolicy(scpvpn.WaitPolicy{MinDelay: time.Minute, MaxDelay: time.Minute}), passAfterAnswer(mock, pass))
	seq := &stateSequence{key: "vpn_gateway", states: []string{"CREATING"}}
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/r1", seq.responder)

	start := time.Now()
	_, err := c.V1Dot1.Gateways.WaitUntilActive(ctx, "r1")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 30*time.Second, "the pause of a minute ended with the context")
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

// A 404 that is not the service's (a proxy's, for a path it does not
// route) says nothing of the resource: the waiters stop with it as an
// error, and never take it for "gone".
func TestWaitersTakeNoBare404ForGone(t *testing.T) {
	t.Parallel()
	for name, bare := range map[string]vpntest.Step{
		"HTML":                 {Status: http.StatusNotFound, Body: "<html><body>404 Not Found</body></html>", Header: http.Header{"Content-Type": {"text/html"}}},
		"empty":                {Status: http.StatusNotFound, Body: " "},
		"JSON of another kind": {Status: http.StatusNotFound, Body: `{"message":"no Route matched with those values"}`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := e2eServer(t, e2eImmediate)
			id, err := srv.AddGateway(vpntest.GatewaySeed{})
			require.NoError(t, err)
			c := newClient(t, srv)
			srv.Script(http.MethodGet, "/v1/vpn-gateways/*", bare, bare)

			err = c.V1Dot1.Gateways.WaitUntilDeleted(e2eCtx(t), id)
			require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer, "the gateway is ACTIVE, not gone")
			assert.NotErrorIs(t, err, scpvpn.ErrNotFound)
			assert.Equal(t, http.StatusNotFound, e2eAPIError(t, err).StatusCode)

			gw, err := c.V1Dot1.Gateways.WaitUntilActive(e2eCtx(t), id)
			require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
			assert.NotErrorIs(t, err, scpvpn.ErrNotFound)
			assert.Nil(t, gw)

			state, err := srv.State(id)
			require.NoError(t, err)
			assert.Equal(t, "ACTIVE", state)
			assert.Equal(t, 2, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways/*"), "one poll each: the waits stop at once")
		})
	}
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

// The waiters against vpntest, in both versions, for gateways and tunnels:
// they follow the fake's transitions, forced states and failures, and end
// with their context.

// e2eWaiter is one waiter of one service, over a resource it creates.
type e2eWaiter struct {
	name    string
	path    string // the resource's collection
	create  func(ctx context.Context, t *testing.T, srv *vpntest.Server, c *scpvpn.Client) string
	active  func(ctx context.Context, c *scpvpn.Client, id string) (any, scpvpn.State, error)
	deleted func(ctx context.Context, c *scpvpn.Client, id string) error
	remove  func(ctx context.Context, c *scpvpn.Client, id string) error
}

func e2eWaiters() []e2eWaiter {
	createGateway := func(ctx context.Context, t *testing.T, _ *vpntest.Server, c *scpvpn.Client) string {
		gw, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
		require.NoError(t, err)
		return gw.ID
	}
	seedGateway := func(t *testing.T, srv *vpntest.Server) string {
		gw, err := srv.AddGateway(vpntest.GatewaySeed{})
		require.NoError(t, err)
		return gw
	}
	return []e2eWaiter{
		{
			name: "gateway v1.1", path: "/v1/vpn-gateways", create: createGateway,
			active: func(ctx context.Context, c *scpvpn.Client, id string) (any, scpvpn.State, error) {
				g, err := c.V1Dot1.Gateways.WaitUntilActive(ctx, id)
				if g == nil {
					return nil, "", err
				}
				return g, g.State, err
			},
			deleted: func(ctx context.Context, c *scpvpn.Client, id string) error {
				return c.V1Dot1.Gateways.WaitUntilDeleted(ctx, id)
			},
			remove: func(ctx context.Context, c *scpvpn.Client, id string) error { return c.V1Dot1.Gateways.Delete(ctx, id) },
		},
		{
			name: "gateway v1.0", path: "/v1/vpn-gateways", create: createGateway,
			active: func(ctx context.Context, c *scpvpn.Client, id string) (any, scpvpn.State, error) {
				g, err := c.V1Dot0.Gateways.WaitUntilActive(ctx, id)
				if g == nil {
					return nil, "", err
				}
				return g, g.State, err
			},
			deleted: func(ctx context.Context, c *scpvpn.Client, id string) error {
				return c.V1Dot0.Gateways.WaitUntilDeleted(ctx, id)
			},
			remove: func(ctx context.Context, c *scpvpn.Client, id string) error { return c.V1Dot0.Gateways.Delete(ctx, id) },
		},
		{
			name: "tunnel v1.1", path: "/v1/vpn-tunnels",
			create: func(ctx context.Context, t *testing.T, srv *vpntest.Server, c *scpvpn.Client) string {
				req := tunnelCreateRequestV1Dot1()
				req.VPNGatewayID = seedGateway(t, srv)
				tun, err := c.V1Dot1.Tunnels.Create(ctx, req)
				require.NoError(t, err)
				return tun.ID
			},
			active: func(ctx context.Context, c *scpvpn.Client, id string) (any, scpvpn.State, error) {
				tun, err := c.V1Dot1.Tunnels.WaitUntilActive(ctx, id)
				if tun == nil {
					return nil, "", err
				}
				return tun, tun.State, err
			},
			deleted: func(ctx context.Context, c *scpvpn.Client, id string) error {
				return c.V1Dot1.Tunnels.WaitUntilDeleted(ctx, id)
			},
			remove: func(ctx context.Context, c *scpvpn.Client, id string) error { return c.V1Dot1.Tunnels.Delete(ctx, id) },
		},
		{
			name: "tunnel v1.0", path: "/v1/vpn-tunnels",
			create: func(ctx context.Context, t *testing.T, srv *vpntest.Server, c *scpvpn.Client) string {
				req := tunnelCreateRequest()
				req.VPNGatewayID = seedGateway(t, srv)
				tun, err := c.V1Dot0.Tunnels.Create(ctx, req)
				require.NoError(t, err)
				return tun.ID
			},
			active: func(ctx context.Context, c *scpvpn.Client, id string) (any, scpvpn.State, error) {
				tun, err := c.V1Dot0.Tunnels.WaitUntilActive(ctx, id)
				if tun == nil {
					return nil, "", err
				}
				return tun, tun.State, err
			},
			deleted: func(ctx context.Context, c *scpvpn.Client, id string) error {
				return c.V1Dot0.Tunnels.WaitUntilDeleted(ctx, id)
			},
			remove: func(ctx context.Context, c *scpvpn.Client, id string) error { return c.V1Dot0.Tunnels.Delete(ctx, id) },
		},
	}
}

// The waiters poll a resource that stays CREATING until the fake is told
// it failed, and report ErrResourceFailed with the resource.
func TestE2EWaitUntilActiveSeesTheResourceFail(t *testing.T) {
	t.Parallel()
	for _, w := range e2eWaiters() {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			ctx := e2eCtx(t)
			srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Hour})
			c := newClient(t, srv)
			id := w.create(ctx, t, srv, c)

			type result struct {
				resource any
				state    scpvpn.State
				err      error
			}
			done := make(chan result, 1)
			go func() {
				r, s, err := w.active(ctx, c, id)
				done <- result{r, s, err}
			}()
			// Fail it once the waiter has seen it CREATING twice.
			require.Eventually(t, func() bool { return srv.CountRequests(http.MethodGet, w.path+"/"+id) >= 2 },
				time.Minute, time.Millisecond)
			require.NoError(t, srv.ForceState(id, "ERROR"))
			res := <-done

			require.ErrorIs(t, res.err, scpvpn.ErrResourceFailed)
			var failed *scpvpn.ResourceFailedError
			require.ErrorAs(t, res.err, &failed)
			assert.Equal(t, id, failed.ID)
			require.NotNil(t, failed.Resource)
			assert.Equal(t, res.resource, failed.Resource, "the error holds the resource last read")
			assert.Equal(t, scpvpn.StateError, res.state)
			assert.Contains(t, res.err.Error(), id)
		})
	}
}

// e2eClock is a server clock that a test moves forward: transitions of
// the fake then end exactly when the test says. It runs at real speed from
// an offset, so that the requests' timestamps stay within the allowed
// skew.
type e2eClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *e2eClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *e2eClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// e2ePolls counts the GETs of the resource at path answered with status.
func e2ePolls(srv *vpntest.Server, path string, status int) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && r.Path == path && r.Status == status {
			n++
		}
	}
	return n
}

// e2eAwaitPolls waits until the server has answered n GETs of the
// resource at path with status, for as long as only a hang takes.
func e2eAwaitPolls(t testing.TB, srv *vpntest.Server, path string, status, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return e2ePolls(srv, path, status) >= n }, time.Minute, time.Millisecond)
}

// WaitUntilActive polls while the resource is CREATING and returns it once
// the transition is over.
func TestE2EWaitUntilActiveFollowsTheTransition(t *testing.T) {
	t.Parallel()
	for _, w := range e2eWaiters() {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			ctx := e2eCtx(t)
			clock := &e2eClock{}
			srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Minute, Now: clock.Now})
			c := newClient(t, srv)
			id := w.create(ctx, t, srv, c)

			type result struct {
				state scpvpn.State
				err   error
			}
			done := make(chan result, 1)
			go func() {
				_, state, err := w.active(ctx, c, id)
				done <- result{state, err}
			}()
			e2eAwaitPolls(t, srv, w.path+"/"+id, http.StatusOK, 3)
			select {
			case r := <-done:
				t.Fatalf("the waiter returned while the resource was CREATING: %v, %v", r.state, r.err)
			default:
			}
			clock.Advance(time.Minute)
			r := <-done
			require.NoError(t, r.err)
			assert.Equal(t, scpvpn.StateActive, r.state)
		})
	}
}

// WaitUntilDeleted polls while the resource is DELETING and ends at the
// 404 of a resource gone.
func TestE2EWaitUntilDeletedEndsAtTheNotFound(t *testing.T) {
	t.Parallel()
	for _, w := range e2eWaiters() {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			ctx := e2eCtx(t)
			clock := &e2eClock{}
			srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Minute, Now: clock.Now})
			c := newClient(t, srv)
			id := w.create(ctx, t, srv, c)
			require.NoError(t, srv.ForceState(id, "ACTIVE"))
			require.NoError(t, w.remove(ctx, c, id))
			state, err := srv.State(id)
			require.NoError(t, err)
			require.Equal(t, "DELETING", state)

			done := make(chan error, 1)
			go func() { done <- w.deleted(ctx, c, id) }()
			e2eAwaitPolls(t, srv, w.path+"/"+id, http.StatusOK, 3) // DELETING
			select {
			case err := <-done:
				t.Fatalf("the waiter returned while the resource was DELETING: %v", err)
			default:
			}
			clock.Advance(time.Minute)
			require.NoError(t, <-done)
			reqs := srv.Requests()
			last := reqs[len(reqs)-1]
			assert.Equal(t, http.MethodGet, last.Method)
			assert.Equal(t, http.StatusNotFound, last.Status, "the waiter ends at the 404")
			_, err = srv.State(id)
			assert.Error(t, err, "gone from the fake")

			// A resource that never was is deleted already: one request.
			srv.ClearRequests()
			require.NoError(t, w.deleted(ctx, c, "0123456789abcdef0123456789abcdef"))
			assert.Len(t, srv.Requests(), 1)
		})
	}
}

// The same, in real time: the fake's transitions take their delay.
func TestE2EWaitersInRealTime(t *testing.T) {
	t.Parallel()
	ctx := e2eCtx(t)
	const delay = 30 * time.Millisecond
	srv := e2eServer(t, vpntest.Options{TransitionDelay: delay})
	c := newClient(t, srv)
	start := time.Now()
	gw, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
	require.NoError(t, err)
	active, err := c.V1Dot1.Gateways.WaitUntilActive(ctx, gw.ID)
	require.NoError(t, err)
	assert.Equal(t, scpvpn.StateActive, active.State)
	assert.GreaterOrEqual(t, time.Since(start), delay)

	start = time.Now()
	require.NoError(t, c.V1Dot1.Gateways.Delete(ctx, gw.ID))
	require.NoError(t, c.V1Dot1.Gateways.WaitUntilDeleted(ctx, gw.ID))
	assert.GreaterOrEqual(t, time.Since(start), delay)
	_, err = c.V1Dot1.Gateways.Get(ctx, gw.ID)
	require.ErrorIs(t, err, scpvpn.ErrNotFound)
}

// A waiter gives up when its context ends, and says what it waited for.
func TestE2EWaitersRespectTheContextDeadline(t *testing.T) {
	t.Parallel()
	for _, w := range e2eWaiters() {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Hour})
			c := newClient(t, srv)
			id := w.create(e2eCtx(t), t, srv, c)

			// The deadline passes once the first poll is answered: a
			// deadline of milliseconds could pass before it on a loaded
			// machine, and leave nothing read to return.
			ctx, pass := deadlineOnCue(t)
			start := time.Now()
			r, state, err := w.active(ctx, newClient(t, srv, passAfterAnswer(e2eTransport(t), pass)), id)
			elapsed := time.Since(start)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Contains(t, err.Error(), id)
			assert.Less(t, elapsed, 30*time.Second, "the wait outlived its context (of an hour's transition)")
			assert.NotNil(t, r, "the last state read is returned")
			assert.Equal(t, scpvpn.StateCreating, state)

			// Canceled once it has polled: it returns what it last read.
			// Three answered polls hold the first of this wait.
			ctx1, cancel1 := context.WithCancel(context.Background())
			defer cancel1()
			srv.ClearRequests()
			go func() {
				defer cancel1()
				for e2ePolls(srv, w.path+"/"+id, http.StatusOK) < 3 && ctx1.Err() == nil {
					time.Sleep(time.Millisecond)
				}
			}()
			r, state, err = w.active(ctx1, c, id)
			require.ErrorIs(t, err, context.Canceled)
			assert.NotNil(t, r, "the last state read is returned")
			assert.Equal(t, scpvpn.StateCreating, state)

			// Deleting, for an hour.
			require.NoError(t, srv.ForceState(id, "ACTIVE"))
			require.NoError(t, w.remove(e2eCtx(t), c, id))
			ctx2, pass2 := deadlineOnCue(t)
			start = time.Now()
			err = w.deleted(ctx2, newClient(t, srv, passAfterAnswer(e2eTransport(t), pass2)), id)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, time.Since(start), 30*time.Second, "the wait outlived its context (of an hour's transition)")
			state2, err := srv.State(id)
			require.NoError(t, err)
			assert.Equal(t, "DELETING", state2)
		})
	}
}

// The waiters read the states the fake is forced into: DELETED ends
// WaitUntilDeleted, and WaitUntilActive gives up on a resource being
// deleted.
func TestE2EWaitersOnForcedStates(t *testing.T) {
	t.Parallel()
	for _, w := range e2eWaiters() {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			ctx := e2eCtx(t)
			srv := e2eServer(t, vpntest.Options{TransitionDelay: time.Hour})
			c := newClient(t, srv)
			id := w.create(ctx, t, srv, c)

			require.NoError(t, srv.ForceState(id, "DELETING"))
			_, state, err := w.active(ctx, c, id)
			require.Error(t, err)
			assert.NotErrorIs(t, err, scpvpn.ErrResourceFailed)
			assert.Contains(t, err.Error(), "DELETING")
			assert.Equal(t, scpvpn.StateDeleting, state)

			require.NoError(t, srv.ForceState(id, "DELETED"))
			srv.ClearRequests()
			require.NoError(t, w.deleted(ctx, c, id))
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, http.StatusOK, reqs[0].Status, "DELETED, still visible, is done")

			require.NoError(t, srv.ForceState(id, "ERROR"))
			err = w.deleted(ctx, c, id)
			require.ErrorIs(t, err, scpvpn.ErrResourceFailed)
		})
	}
}
