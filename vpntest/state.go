package vpntest

import "github.com/scpsdk/scpvpn/internal/fake"

// ForceState sets the state of the gateway or tunnel id, such as "ERROR"
// to test a waiter, and cancels the transition it was going through. The
// states are those of the API: CREATING, ACTIVE, EDITING, DELETING,
// DELETED and ERROR. A resource forced to DELETED stays visible with that
// state and no longer counts against quotas. It is an error if no gateway
// or tunnel has that id.
func (s *Server) ForceState(id, state string) error {
	return s.engine.ForceState(id, state)
}

// State returns the current state of the gateway or tunnel id.
func (s *Server) State(id string) (string, error) {
	return s.engine.State(id)
}

// PreSharedKey returns the pre-shared key stored for the tunnel id, which
// the API never answers.
func (s *Server) PreSharedKey(tunnelID string) (string, error) {
	return s.engine.PreSharedKey(tunnelID)
}

// A GatewaySeed describes a gateway for AddGateway. Empty fields get
// plausible values: a name such as "Gateway1", an address of
// 192.0.2.0/24, random ids.
type GatewaySeed struct {
	Name, Description, IPAddress, IPID, VPCID string
}

// A TunnelSeed describes a tunnel for AddTunnel. VPNGatewayID is
// required; empty fields get plausible values: a name such as "Tunnel2",
// a peer in 198.51.100.0/24, the remote subnet 10.1.0.0/16, a random
// pre-shared key, and the phases of a common IKEv2 set-up.
type TunnelSeed struct {
	VPNGatewayID      string
	Name, Description string
	PeerGatewayIP     string
	RemoteSubnets     []string
	PreSharedKey      string
}

// AddGateway puts an ACTIVE gateway directly in the server's state,
// bypassing the API, its quota and transitions, and returns its id. The
// fields given must follow the API's rules.
func (s *Server) AddGateway(g GatewaySeed) (string, error) {
	return s.engine.AddGateway(fake.GatewaySeed(g))
}

// AddTunnel puts an ACTIVE tunnel directly in the server's state, on an
// existing gateway, bypassing the API, its quota and transitions, and
// returns its id. The fields given must follow the API's rules.
func (s *Server) AddTunnel(t TunnelSeed) (string, error) {
	return s.engine.AddTunnel(fake.TunnelSeed(t))
}
