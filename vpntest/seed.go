package vpntest

// This file holds AddGateway and AddTunnel, which put resources straight
// into the server's state, and their seeds.

import (
	"fmt"
	"strconv"
)

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

// seedErr turns the errors collected on a seed into one error.
func seedErr(fn string, o *object) error {
	if len(*o.errs) == 0 {
		return nil
	}
	return fmt.Errorf("vpntest: %s: %v", fn, *o.errs)
}

// AddGateway puts an ACTIVE gateway directly in the server's state,
// bypassing the API, its quota and transitions, and returns its id. The
// fields given must follow the API's rules.
func (s *Server) AddGateway(seed GatewaySeed) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	s.store.settle(now)
	seq := s.store.nextSeq()
	if seed.Name == "" {
		seed.Name = "Gateway" + strconv.FormatUint(seq, 10)
	}
	if seed.IPAddress == "" {
		seed.IPAddress = fmt.Sprintf("192.0.2.%d", seq%254+1) // TEST-NET-1
	}
	if seed.IPID == "" {
		seed.IPID = newID()
	}
	if seed.VPCID == "" {
		seed.VPCID = newID()
	}
	o := &object{errs: new(fieldErrors)}
	o.checkName("name", seed.Name)
	o.checkIP("ip_address", seed.IPAddress)
	if err := seedErr("AddGateway", o); err != nil {
		return "", err
	}
	g := &gateway{
		resource: resource{
			seq:         seq,
			id:          newID(),
			name:        seed.Name,
			description: optional(seed.Description),
			createdAt:   now,
			createdBy:   s.userID,
			modifiedAt:  now,
			modifiedBy:  s.userID,
			state:       stateActive,
		},
		ipAddress: seed.IPAddress,
		ipID:      seed.IPID,
		ipType:    "PUBLIC",
		vpcID:     seed.VPCID,
		vpcName:   vpcName(seed.VPCID),
	}
	s.store.gateways[g.id] = g
	return g.id, nil
}

// AddTunnel puts an ACTIVE tunnel directly in the server's state, on an
// existing gateway, bypassing the API, its quota and transitions, and
// returns its id. The fields given must follow the API's rules.
func (s *Server) AddTunnel(seed TunnelSeed) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	s.store.settle(now)
	g, ok := s.store.gateways[seed.VPNGatewayID]
	if !ok {
		return "", fmt.Errorf("vpntest: AddTunnel: no VPN gateway with id %q", seed.VPNGatewayID)
	}
	seq := s.store.nextSeq()
	if seed.Name == "" {
		seed.Name = "Tunnel" + strconv.FormatUint(seq, 10)
	}
	if seed.PeerGatewayIP == "" {
		seed.PeerGatewayIP = fmt.Sprintf("198.51.100.%d", seq%254+1) // TEST-NET-2
	}
	if len(seed.RemoteSubnets) == 0 {
		seed.RemoteSubnets = []string{"10.1.0.0/16"}
	}
	if seed.PreSharedKey == "" {
		seed.PreSharedKey = "vpntest-" + randomHex(8)
	}
	o := &object{errs: new(fieldErrors)}
	o.checkName("name", seed.Name)
	o.checkIP("peer_gateway_ip", seed.PeerGatewayIP)
	o.checkPSK("pre_shared_key", seed.PreSharedKey)
	for i, n := range seed.RemoteSubnets {
		o.checkCIDR(fmt.Sprintf("remote_subnets[%d]", i), n)
	}
	if err := seedErr("AddTunnel", o); err != nil {
		return "", err
	}
	in := tunnelInput{
		name:        seed.Name,
		description: optional(seed.Description),
		phase1: phase1{
			dpdRetryInterval: 60,
			ikeVersion:       2,
			lifeTime:         86400,
			peerGatewayIP:    seed.PeerGatewayIP,
			dhGroups:         []int{19},
			encryptions:      []string{"aes256-sha256"},
			preSharedKey:     seed.PreSharedKey,
		},
		phase2: phase2{
			pfs:           "ENABLE",
			dhGroups:      []int{19},
			encryptions:   []string{"aes256gcm"},
			lifeTime:      43200,
			remoteSubnets: append([]string(nil), seed.RemoteSubnets...),
		},
	}
	t := s.newTunnel(g, in, seq, now)
	t.state = stateActive
	s.store.tunnels[t.id] = t
	return t.id, nil
}

// optional returns nil for "", the JSON null of an unset description.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
