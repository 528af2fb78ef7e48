package vpntest

// This file holds what tests read and change of a resource directly:
// ForceState, State, PreSharedKey.

import (
	"fmt"

	"github.com/scpsdk/scpvpn"
)

// ForceState sets the state of the gateway or tunnel id, such as
// scpvpn.StateError to test a waiter, and cancels the transition it was
// going through. The states are those of the API: CREATING, ACTIVE,
// EDITING, DELETING, DELETED and ERROR. A resource forced to DELETED stays
// visible with that state and no longer counts against quotas. It is an
// error if no gateway or tunnel has that id, or if state is not one of the
// API's.
func (s *Server) ForceState(id string, state scpvpn.State) error {
	if !validState(string(state)) {
		return fmt.Errorf("vpntest: ForceState: unknown state %q (want CREATING, ACTIVE, EDITING, DELETING, DELETED or ERROR)", state)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store.settle(s.opts.Now())
	r := s.store.lookup(id)
	if r == nil {
		return fmt.Errorf("vpntest: ForceState: no VPN gateway or tunnel with id %q", id)
	}
	r.state = string(state)
	r.next = nil
	return nil
}

// State returns the current state of the gateway or tunnel id.
func (s *Server) State(id string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store.settle(s.opts.Now())
	r := s.store.lookup(id)
	if r == nil {
		return "", fmt.Errorf("vpntest: State: no VPN gateway or tunnel with id %q", id)
	}
	return r.state, nil
}

// PreSharedKey returns the pre-shared key stored for the tunnel id, which
// the API never answers.
func (s *Server) PreSharedKey(id string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store.settle(s.opts.Now())
	t, ok := s.store.tunnels[id]
	if !ok {
		return "", fmt.Errorf("vpntest: PreSharedKey: no VPN tunnel with id %q", id)
	}
	return t.phase1.preSharedKey, nil
}
