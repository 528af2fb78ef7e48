package scpvpn

// This file holds what the request types' checks share. Each request type's
// own Validate is beside its declaration (models.go, models_v1_0.go,
// models_v1_1.go), so that a field and its rule are read together. The
// checks follow the rules of SCP's Terraform provider and user guide, and
// where those disagree the looser one; the API reference's own examples pass
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

// nilRequest is the error of a request that is a nil pointer.
func nilRequest(request string) error {
	var p validate.Problems
	p.Add("request", "must not be nil")
	return validationError(request, &p)
}

// nothingToChange is the problem of a tunnel Set that sets no field.
const nothingToChange = "sets nothing to change: description, phase1 and phase2 are nil or hold only zero values, which are not sent"

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

// phase2SetsNothing reports whether the phase 2 fields both versions share
// send nothing.
func phase2SetsNothing(pfs PerfectForwardSecrecy, groups []int, encryptions []string, lifeTime int) bool {
	return pfs == "" && len(groups) == 0 && len(encryptions) == 0 && lifeTime == 0
}

// checkPaging refuses a negative page or size, for every list options type.
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
