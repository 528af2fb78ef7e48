package scpvpn

// This file holds the checks each request passes before it is sent. They
// follow the rules of SCP's Terraform provider and user guide, and where
// those disagree the looser one; the API reference's own examples pass
// them. WithoutValidation turns them off.

import "github.com/scpsdk/scpvpn/internal/validate"

// maxRemoteSubnets is the provider's limit; the user guide says 10.
const maxRemoteSubnets = 20

// validationError turns collected problems into a *ValidationError, or nil.
func validationError(request string, p *validate.Problems) error {
	if len(p.List) == 0 {
		return nil
	}
	fields := make([]FieldError, len(p.List))
	for i, x := range p.List {
		fields[i] = FieldError{Field: x.Field, Problem: x.Problem}
	}
	return &ValidationError{Request: request, Fields: fields}
}

// Validate checks the request against the API's rules: required fields, a
// name of 1 to 20 ASCII letters and digits, an IP address.
func (r *GatewayCreateRequest) Validate() error {
	const name = "GatewayCreateRequest"
	var p validate.Problems
	if r == nil {
		p.Add("request", "must not be nil")
		return validationError(name, &p)
	}
	if p.Required("ip_address", r.IPAddress) {
		p.IP("ip_address", r.IPAddress)
	}
	p.Required("ip_id", r.IPID)
	p.Required("ip_type", string(r.IPType))
	p.Name("name", r.Name)
	p.Required("vpc_id", r.VPCID)
	return validationError(name, &p)
}

// Validate checks that the request changes something: a Set with nothing
// to change would only make the gateway EDITING for nothing.
func (r *GatewaySetRequest) Validate() error {
	var p validate.Problems
	switch {
	case r == nil:
		p.Add("request", "must not be nil")
	case r.Description == nil:
		p.Add("description", "is the only field a Set changes, and it is not set (nil): there is nothing to change")
	}
	return validationError("GatewaySetRequest", &p)
}

// Validate checks the request against the API's rules for each field of both
// phases.
func (r *TunnelCreateRequest) Validate() error {
	const name = "TunnelCreateRequest"
	var p validate.Problems
	if r == nil {
		p.Add("request", "must not be nil")
		return validationError(name, &p)
	}
	checkTunnelCreate(&p, r.Name, r.VPNGatewayID, &r.Phase1)
	ph := &r.Phase2
	checkPhase2(&p, ph.PerfectForwardSecrecy, ph.DiffieHellmanGroups, ph.Encryptions, ph.LifeTime, true)
	if p.Required("phase2.remote_subnet", ph.RemoteSubnet) {
		p.CIDR("phase2.remote_subnet", ph.RemoteSubnet)
	}
	return validationError(name, &p)
}

// Validate checks the request against the API's rules for each field of both
// phases.
func (r *TunnelCreateRequestV1Dot1) Validate() error {
	const name = "TunnelCreateRequestV1Dot1"
	var p validate.Problems
	if r == nil {
		p.Add("request", "must not be nil")
		return validationError(name, &p)
	}
	checkTunnelCreate(&p, r.Name, r.VPNGatewayID, &r.Phase1)
	ph := &r.Phase2
	checkPhase2(&p, ph.PerfectForwardSecrecy, ph.DiffieHellmanGroups, ph.Encryptions, ph.LifeTime, true)
	p.Subnets("phase2.remote_subnets", ph.RemoteSubnets, maxRemoteSubnets)
	return validationError(name, &p)
}

// Validate checks the fields the request sets, and that it sets one: a Set
// with nothing to change would only make the tunnel EDITING for nothing.
func (r *TunnelSetRequest) Validate() error {
	const name = "TunnelSetRequest"
	var p validate.Problems
	if r == nil {
		p.Add("request", "must not be nil")
		return validationError(name, &p)
	}
	if r.setsNothing() {
		p.Add("request", nothingToChange)
		return validationError(name, &p)
	}
	checkPhase1Set(&p, r.Phase1)
	if ph := r.Phase2; ph != nil {
		checkPhase2(&p, ph.PerfectForwardSecrecy, ph.DiffieHellmanGroups, ph.Encryptions, ph.LifeTime, false)
		if ph.RemoteSubnet != "" {
			p.CIDR("phase2.remote_subnet", ph.RemoteSubnet)
		}
	}
	return validationError(name, &p)
}

// Validate checks the fields the request sets, and that it sets one: a Set
// with nothing to change would only make the tunnel EDITING for nothing.
func (r *TunnelSetRequestV1Dot1) Validate() error {
	const name = "TunnelSetRequestV1Dot1"
	var p validate.Problems
	if r == nil {
		p.Add("request", "must not be nil")
		return validationError(name, &p)
	}
	if r.setsNothing() {
		p.Add("request", nothingToChange)
		return validationError(name, &p)
	}
	checkPhase1Set(&p, r.Phase1)
	if ph := r.Phase2; ph != nil {
		checkPhase2(&p, ph.PerfectForwardSecrecy, ph.DiffieHellmanGroups, ph.Encryptions, ph.LifeTime, false)
		if len(ph.RemoteSubnets) > 0 { // an empty list is not sent (omitempty)
			p.Subnets("phase2.remote_subnets", ph.RemoteSubnets, maxRemoteSubnets)
		}
	}
	return validationError(name, &p)
}

// nothingToChange is the problem of a tunnel Set that sets no field.
const nothingToChange = "sets nothing to change: description, phase1 and phase2 are nil or hold only zero values, which are not sent"

// setsNothing reports whether the request sends no field to change.
func (r *TunnelSetRequest) setsNothing() bool {
	ph := r.Phase2
	return r.Description == nil && phase1SetsNothing(r.Phase1) &&
		(ph == nil || phase2SetsNothing(ph.PerfectForwardSecrecy, ph.DiffieHellmanGroups, ph.Encryptions, ph.LifeTime) && ph.RemoteSubnet == "")
}

// setsNothing reports whether the request sends no field to change.
func (r *TunnelSetRequestV1Dot1) setsNothing() bool {
	ph := r.Phase2
	return r.Description == nil && phase1SetsNothing(r.Phase1) &&
		(ph == nil || phase2SetsNothing(ph.PerfectForwardSecrecy, ph.DiffieHellmanGroups, ph.Encryptions, ph.LifeTime) && len(ph.RemoteSubnets) == 0)
}

// phase1SetsNothing reports whether a Set's phase 1 sends no field: nil,
// or only zero values and empty lists, which are left out (omitempty).
func phase1SetsNothing(ph *TunnelPhase1SetRequest) bool {
	return ph == nil || ph.DPDRetryInterval == 0 && ph.IKEVersion == 0 && ph.PeerGatewayIP == "" &&
		len(ph.DiffieHellmanGroups) == 0 && len(ph.Encryptions) == 0 && ph.LifeTime == 0 && ph.PreSharedKey == ""
}

// phase2SetsNothing reports whether the phase 2 fields both versions share
// send nothing.
func phase2SetsNothing(pfs PerfectForwardSecrecy, groups []int, encryptions []string, lifeTime int) bool {
	return pfs == "" && len(groups) == 0 && len(encryptions) == 0 && lifeTime == 0
}

// checkTunnelCreate checks what both versions' create requests share.
func checkTunnelCreate(p *validate.Problems, name, gatewayID string, ph *TunnelPhase1CreateRequest) {
	p.Name("name", name)
	p.Required("vpn_gateway_id", gatewayID)
	p.Range("phase1.dpd_retry_interval", ph.DPDRetryInterval, 1, 3600)
	p.IKEVersion("phase1.ike_version", ph.IKEVersion)
	if p.Required("phase1.peer_gateway_ip", ph.PeerGatewayIP) {
		p.IP("phase1.peer_gateway_ip", ph.PeerGatewayIP)
	}
	p.DHGroups("phase1.phase1_diffie_hellman_groups", ph.DiffieHellmanGroups)
	p.Encryptions("phase1.phase1_encryptions", ph.Encryptions)
	p.Range("phase1.phase1_life_time", ph.LifeTime, 120, 172800)
	p.PreSharedKey("phase1.pre_shared_key", string(ph.PreSharedKey))
}

// checkPhase1Set checks the phase 1 fields a set request sets.
func checkPhase1Set(p *validate.Problems, ph *TunnelPhase1SetRequest) {
	if ph == nil {
		return
	}
	if ph.DPDRetryInterval != 0 {
		p.Range("phase1.dpd_retry_interval", ph.DPDRetryInterval, 1, 3600)
	}
	if ph.IKEVersion != 0 {
		p.IKEVersion("phase1.ike_version", ph.IKEVersion)
	}
	if ph.PeerGatewayIP != "" {
		p.IP("phase1.peer_gateway_ip", ph.PeerGatewayIP)
	}
	if len(ph.DiffieHellmanGroups) > 0 { // an empty list is not sent (omitempty)
		p.DHGroups("phase1.phase1_diffie_hellman_groups", ph.DiffieHellmanGroups)
	}
	if len(ph.Encryptions) > 0 {
		p.Encryptions("phase1.phase1_encryptions", ph.Encryptions)
	}
	if ph.LifeTime != 0 {
		p.Range("phase1.phase1_life_time", ph.LifeTime, 120, 172800)
	}
	if ph.PreSharedKey != "" {
		p.PreSharedKey("phase1.pre_shared_key", string(ph.PreSharedKey))
	}
}

// checkPhase2 checks the phase 2 fields both versions share; required says
// whether they must be present (create) or are checked only when set (set).
func checkPhase2(p *validate.Problems, pfs PerfectForwardSecrecy, groups []int, encryptions []string, lifeTime int, required bool) {
	if required || pfs != "" {
		p.OneOf("phase2.perfect_forward_secrecy", string(pfs), string(PFSEnable), string(PFSDisable))
	}
	if required || len(groups) > 0 { // an empty list is not sent by a Set (omitempty)
		p.DHGroups("phase2.phase2_diffie_hellman_groups", groups)
	}
	if required || len(encryptions) > 0 {
		p.Encryptions("phase2.phase2_encryptions", encryptions)
	}
	if required || lifeTime != 0 {
		p.Range("phase2.phase2_life_time", lifeTime, 120, 172800)
	}
}

// Validate checks the options: a page and a size cannot be negative.
func (o *GatewayListOptions) Validate() error {
	if o == nil {
		return nil
	}
	return checkPaging("GatewayListOptions", o.Page, o.Size)
}

// Validate checks the options: a page and a size cannot be negative.
func (o *TunnelListOptions) Validate() error {
	if o == nil {
		return nil
	}
	return checkPaging("TunnelListOptions", o.Page, o.Size)
}

// Validate checks the options: a page and a size cannot be negative.
func (o *TunnelListOptionsV1Dot1) Validate() error {
	if o == nil {
		return nil
	}
	return checkPaging("TunnelListOptionsV1Dot1", o.Page, o.Size)
}

func checkPaging(name string, page, size int) error {
	var p validate.Problems
	if page < 0 {
		p.Add("page", "must be 0 or more")
	}
	if size < 0 {
		p.Add("size", "must be 0 or more")
	}
	return validationError(name, &p)
}

// checkSubnetArgs refuses a subnet check without a gateway or a subnet. The
// subnet itself is the service's to judge: it answers INVALID.
func checkSubnetArgs(gatewayID, remoteSubnet string) error {
	var p validate.Problems
	p.Required("vpn_gateway_id", gatewayID) // a query parameter, not a path
	p.Required("remote_subnet", remoteSubnet)
	return validationError("CheckSubnet", &p)
}
