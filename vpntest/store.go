package vpntest

// This file holds the model of the server's state: gateways, tunnels,
// their states, the transitions that move them along, and their ids.

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// States of gateways and tunnels.
const (
	stateCreating = "CREATING"
	stateActive   = "ACTIVE"
	stateEditing  = "EDITING"
	stateDeleting = "DELETING"
	stateDeleted  = "DELETED"
	stateError    = "ERROR"
)

// transition is a state change due at a point in time; to == "" removes
// the resource.
type transition struct {
	to string
	at time.Time
}

// resource is what gateways and tunnels have in common.
type resource struct {
	seq         uint64 // creation order, the tiebreak of sorts
	id          string
	name        string
	description *string // null when never set
	tags        []tag
	createdAt   time.Time
	createdBy   string
	modifiedAt  time.Time
	modifiedBy  string
	state       string
	next        *transition
}

type tag struct{ key, value string }

type gateway struct {
	resource
	ipAddress, ipID, ipType string
	vpcID, vpcName          string
}

type tunnel struct {
	resource
	// Copied from the gateway, whose name and addresses never change.
	gatewayID, gatewayName, gatewayIP string
	vpcID, vpcName                    string
	phase1                            phase1
	phase2                            phase2
}

type phase1 struct {
	dpdRetryInterval int
	ikeVersion       int
	lifeTime         int
	peerGatewayIP    string
	dhGroups         []int
	encryptions      []string
	preSharedKey     string // stored, never answered
}

type phase2 struct {
	pfs           string
	dhGroups      []int
	encryptions   []string
	lifeTime      int
	remoteSubnets []string // version 1.0 shows the first one
}

// clone returns a deep copy, so that a failed set leaves t untouched.
func (p phase1) clone() phase1 {
	p.dhGroups = append([]int(nil), p.dhGroups...)
	p.encryptions = append([]string(nil), p.encryptions...)
	return p
}

func (p phase2) clone() phase2 {
	p.dhGroups = append([]int(nil), p.dhGroups...)
	p.encryptions = append([]string(nil), p.encryptions...)
	p.remoteSubnets = append([]string(nil), p.remoteSubnets...)
	return p
}

// store is the state of the fake. Transitions are not run by timers: they
// are applied lazily, from the clock, by settle before every access.
type store struct {
	seq      uint64
	gateways map[string]*gateway
	tunnels  map[string]*tunnel
}

func newStore() store {
	return store{gateways: map[string]*gateway{}, tunnels: map[string]*tunnel{}}
}

// nextSeq returns the next creation sequence number.
func (s *store) nextSeq() uint64 {
	s.seq++
	return s.seq
}

// settle applies the transitions due at now.
func (s *store) settle(now time.Time) {
	for id, g := range s.gateways {
		if g.settle(now) {
			delete(s.gateways, id)
		}
	}
	for id, t := range s.tunnels {
		if t.settle(now) {
			delete(s.tunnels, id)
		}
	}
}

// settle applies r's transition if due, and reports whether r is gone.
func (r *resource) settle(now time.Time) (gone bool) {
	if r.next == nil || now.Before(r.next.at) {
		return false
	}
	to := r.next.to
	r.next = nil
	if to == "" {
		return true
	}
	r.state = to
	return false
}

// begin puts r in the interim state and schedules final ("" for gone)
// after the transition delay.
func (s *Server) begin(r *resource, interim, final string, now time.Time) {
	at := now
	if s.opts.TransitionDelay > 0 {
		at = now.Add(s.opts.TransitionDelay)
	}
	r.state = interim
	r.next = &transition{to: final, at: at}
}

// lookup returns the resource with id, gateway or tunnel.
func (s *store) lookup(id string) *resource {
	if g, ok := s.gateways[id]; ok {
		return &g.resource
	}
	if t, ok := s.tunnels[id]; ok {
		return &t.resource
	}
	return nil
}

// liveGateways counts the gateways that take up quota.
func (s *store) liveGateways() int {
	n := 0
	for _, g := range s.gateways {
		if g.state != stateDeleted {
			n++
		}
	}
	return n
}

// liveTunnels counts the tunnels of a gateway ("" for every gateway) that
// take up quota and keep their gateway from being deleted.
func (s *store) liveTunnels(gatewayID string) int {
	n := 0
	for _, t := range s.tunnels {
		if (gatewayID == "" || t.gatewayID == gatewayID) && t.state != stateDeleted {
			n++
		}
	}
	return n
}

// validState reports whether s is a state of the API.
func validState(s string) bool {
	switch s {
	case stateCreating, stateActive, stateEditing, stateDeleting, stateDeleted, stateError:
		return true
	}
	return false
}

// randomHex returns n random bytes, hex encoded.
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand does not fail on supported platforms.
		panic("vpntest: crypto/rand: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// newID returns a resource id: 32 lowercase hex characters, like the
// service's.
func newID() string { return randomHex(16) }
