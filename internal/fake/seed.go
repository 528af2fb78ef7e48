package fake

import (
	"fmt"
	"strconv"
)

// GatewaySeed describes a gateway for AddGateway; see vpntest.GatewaySeed.
type GatewaySeed struct {
	Name, Description, IPAddress, IPID, VPCID string
}

// TunnelSeed describes a tunnel for AddTunnel; see vpntest.TunnelSeed.
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

// AddGateway stores an ACTIVE gateway directly, without quota nor
// transition, and returns its id. Empty fields get plausible values; the
// others follow the API's rules.
func (e *Engine) AddGateway(s GatewaySeed) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.cfg.Now()
	e.store.settle(now)
	seq := e.store.nextSeq()
	if s.Name == "" {
		s.Name = "Gateway" + strconv.FormatUint(seq, 10)
	}
	if s.IPAddress == "" {
		s.IPAddress = fmt.Sprintf("192.0.2.%d", seq%254+1) // TEST-NET-1
	}
	if s.IPID == "" {
		s.IPID = newID()
	}
	if s.VPCID == "" {
		s.VPCID = newID()
	}
	o := &object{errs: new(fieldErrors)}
	o.checkName("name", s.Name)
	o.checkIP("ip_address", s.IPAddress)
	if err := seedErr("AddGateway", o); err != nil {
		return "", err
	}
	g := &gateway{
		resource: resource{
			seq:         seq,
			id:          newID(),
			name:        s.Name,
			description: optional(s.Description),
			createdAt:   now,
			createdBy:   e.userID,
			modifiedAt:  now,
			modifiedBy:  e.userID,
			state:       stateActive,
		},
		ipAddress: s.IPAddress,
		ipID:      s.IPID,
		ipType:    "PUBLIC",
		vpcID:     s.VPCID,
		vpcName:   vpcName(s.VPCID),
	}
	e.store.gateways[g.id] = g
	return g.id, nil
}

// AddTunnel stores an ACTIVE tunnel directly on an existing gateway,
// without quota nor transition, and returns its id. Empty fields get
// plausible values; the others follow the API's rules.
func (e *Engine) AddTunnel(s TunnelSeed) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.cfg.Now()
	e.store.settle(now)
	g, ok := e.store.gateways[s.VPNGatewayID]
	if !ok {
		return "", fmt.Errorf("vpntest: AddTunnel: no VPN gateway with id %q", s.VPNGatewayID)
	}
	seq := e.store.nextSeq()
	if s.Name == "" {
		s.Name = "Tunnel" + strconv.FormatUint(seq, 10)
	}
	if s.PeerGatewayIP == "" {
		s.PeerGatewayIP = fmt.Sprintf("198.51.100.%d", seq%254+1) // TEST-NET-2
	}
	if len(s.RemoteSubnets) == 0 {
		s.RemoteSubnets = []string{"10.1.0.0/16"}
	}
	if s.PreSharedKey == "" {
		s.PreSharedKey = "vpntest-" + randomHex(8)
	}
	o := &object{errs: new(fieldErrors)}
	o.checkName("name", s.Name)
	o.checkIP("peer_gateway_ip", s.PeerGatewayIP)
	o.checkPSK("pre_shared_key", s.PreSharedKey)
	for i, n := range s.RemoteSubnets {
		o.checkCIDR(fmt.Sprintf("remote_subnets[%d]", i), n)
	}
	if err := seedErr("AddTunnel", o); err != nil {
		return "", err
	}
	in := tunnelInput{
		name:        s.Name,
		description: optional(s.Description),
		phase1: phase1{
			dpdRetryInterval: 60,
			ikeVersion:       2,
			lifeTime:         86400,
			peerGatewayIP:    s.PeerGatewayIP,
			dhGroups:         []int{19},
			encryptions:      []string{"aes256-sha256"},
			preSharedKey:     s.PreSharedKey,
		},
		phase2: phase2{
			pfs:           "ENABLE",
			dhGroups:      []int{19},
			encryptions:   []string{"aes256gcm"},
			lifeTime:      43200,
			remoteSubnets: append([]string(nil), s.RemoteSubnets...),
		},
	}
	t := e.newTunnel(g, in, seq, now)
	t.state = stateActive
	e.store.tunnels[t.id] = t
	return t.id, nil
}

// optional returns nil for "", the JSON null of an unset description.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
