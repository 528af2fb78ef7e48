package scpvpn

// This file holds the models that only version 1.1 of the API has: its
// tunnels reach several remote subnets. Gateways and phase 1 are shared with
// version 1.0 (models.go).
//
// As in models.go, each request type is followed by its rules: Validate,
// heldBy or madeAs (what a read-back must show after a lost answer), and
// the redaction of a type that holds a Secret.

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/scpsdk/scpvpn/internal/jsontime"
	"github.com/scpsdk/scpvpn/internal/validate"
)

// TunnelV1Dot1 is a VPN tunnel of version 1.1: an IPsec connection from a
// gateway to one or more remote subnets. Create, Get, List and Set all answer
// with it; List leaves out some phase fields, and only Get reports Status.
type TunnelV1Dot1 struct {
	// AccountID is the SCP account that owns the tunnel.
	AccountID string `json:"account_id"`
	// CreatedAt is when the tunnel was created.
	CreatedAt time.Time `json:"created_at"`
	// CreatedBy is the id of the user who created it.
	CreatedBy string `json:"created_by"`
	// Description is free text; empty when none was given.
	Description string `json:"description,omitempty"`
	// ID identifies the tunnel.
	ID string `json:"id"`
	// ModifiedAt is when the tunnel last changed.
	ModifiedAt time.Time `json:"modified_at"`
	// ModifiedBy is the id of the user who last changed it.
	ModifiedBy string `json:"modified_by"`
	// Name is the tunnel's name.
	Name string `json:"name"`
	// Phase1 is the IKE phase.
	Phase1 TunnelPhase1 `json:"phase1"`
	// Phase2 is the IPsec phase.
	Phase2 TunnelPhase2V1Dot1 `json:"phase2"`
	// State is where the tunnel is in its life cycle.
	State State `json:"state"`
	// Status is whether the IPsec connection is up; only Get reports it.
	Status TunnelStatus `json:"status,omitempty"`
	// VPCID is the id of the gateway's VPC.
	VPCID string `json:"vpc_id"`
	// VPCName is that VPC's name.
	VPCName string `json:"vpc_name"`
	// VPNGatewayID is the id of the tunnel's gateway.
	VPNGatewayID string `json:"vpn_gateway_id"`
	// VPNGatewayIPAddress is that gateway's public IP address.
	VPNGatewayIPAddress string `json:"vpn_gateway_ip_address"`
	// VPNGatewayName is that gateway's name.
	VPNGatewayName string `json:"vpn_gateway_name"`
}

// UnmarshalJSON decodes a TunnelV1Dot1, accepting timestamps with or without a
// zone (a zone-less one is UTC).
func (x *TunnelV1Dot1) UnmarshalJSON(b []byte) error {
	var w tunnelV1Dot1Wire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*x = w.model()
	return nil
}

func (x TunnelV1Dot1) lifecycleState() State   { return x.State }
func (x TunnelV1Dot1) resourceID() string      { return x.ID }
func (x TunnelV1Dot1) creationTime() time.Time { return x.CreatedAt }

// tunnelV1Dot1Wire is how a TunnelV1Dot1 is decoded: its fields, with lenient
// timestamps in place of the time.Time ones. The client decodes answers
// straight into it, in one pass; an UnmarshalJSON on TunnelV1Dot1 alone would
// make encoding/json scan every object twice. Its fields are written out
// rather than embedded, as gatewayWire's are (see there).
type tunnelV1Dot1Wire struct {
	AccountID           string             `json:"account_id"`
	CreatedAt           jsontime.Time      `json:"created_at"`
	CreatedBy           string             `json:"created_by"`
	Description         string             `json:"description,omitempty"`
	ID                  string             `json:"id"`
	ModifiedAt          jsontime.Time      `json:"modified_at"`
	ModifiedBy          string             `json:"modified_by"`
	Name                string             `json:"name"`
	Phase1              TunnelPhase1       `json:"phase1"`
	Phase2              TunnelPhase2V1Dot1 `json:"phase2"`
	State               State              `json:"state"`
	Status              TunnelStatus       `json:"status,omitempty"`
	VPCID               string             `json:"vpc_id"`
	VPCName             string             `json:"vpc_name"`
	VPNGatewayID        string             `json:"vpn_gateway_id"`
	VPNGatewayIPAddress string             `json:"vpn_gateway_ip_address"`
	VPNGatewayName      string             `json:"vpn_gateway_name"`
}

func (w tunnelV1Dot1Wire) model() TunnelV1Dot1 {
	return TunnelV1Dot1{
		AccountID:           w.AccountID,
		CreatedAt:           w.CreatedAt.Time,
		CreatedBy:           w.CreatedBy,
		Description:         w.Description,
		ID:                  w.ID,
		ModifiedAt:          w.ModifiedAt.Time,
		ModifiedBy:          w.ModifiedBy,
		Name:                w.Name,
		Phase1:              w.Phase1,
		Phase2:              w.Phase2,
		State:               w.State,
		Status:              w.Status,
		VPCID:               w.VPCID,
		VPCName:             w.VPCName,
		VPNGatewayID:        w.VPNGatewayID,
		VPNGatewayIPAddress: w.VPNGatewayIPAddress,
		VPNGatewayName:      w.VPNGatewayName,
	}
}

// tunnelV1Dot1Answer is an answer that holds one version 1.1 tunnel,
// {"vpn_tunnel": {...}}: that of a create, a Get and a Set.
type tunnelV1Dot1Answer struct {
	Tunnel *tunnelV1Dot1Wire `json:"vpn_tunnel"`
}

func (a tunnelV1Dot1Answer) held() *tunnelV1Dot1Wire { return a.Tunnel }

// TunnelPhase2V1Dot1 is a version 1.1 tunnel's IPsec phase as the API
// reports it. List answers leave out DiffieHellmanGroups and Encryptions.
type TunnelPhase2V1Dot1 struct {
	// DiffieHellmanGroups are the Diffie-Hellman groups proposed.
	DiffieHellmanGroups []int `json:"diffie_hellman_groups,omitempty"`
	// Encryptions are the IPsec proposals, such as "aes128gcm".
	Encryptions []string `json:"encryptions,omitempty"`
	// LifeTime is the IPsec security association lifetime, in seconds.
	LifeTime int `json:"life_time"`
	// PerfectForwardSecrecy is PFSEnable or PFSDisable.
	PerfectForwardSecrecy PerfectForwardSecrecy `json:"perfect_forward_secrecy"`
	// RemoteSubnets are the remote networks, as CIDRs.
	RemoteSubnets []string `json:"remote_subnets"`
}

// TunnelPhase2CreateRequestV1Dot1 is phase 2 of a new version 1.1 tunnel.
// Every field is required.
type TunnelPhase2CreateRequestV1Dot1 struct {
	// PerfectForwardSecrecy is PFSEnable or PFSDisable.
	PerfectForwardSecrecy PerfectForwardSecrecy `json:"perfect_forward_secrecy"`
	// DiffieHellmanGroups are one to three Diffie-Hellman groups.
	DiffieHellmanGroups []int `json:"phase2_diffie_hellman_groups"`
	// Encryptions are 1 to 10 IPsec proposals, such as "aes128gcm".
	Encryptions []string `json:"phase2_encryptions"`
	// LifeTime is the IPsec lifetime, 120 to 172800 seconds.
	LifeTime int `json:"phase2_life_time"`
	// RemoteSubnets are 1 to 20 remote networks, as CIDRs.
	RemoteSubnets []string `json:"remote_subnets"`
}

// check checks phase 2 of a new tunnel, for Validate.
func (r *TunnelPhase2CreateRequestV1Dot1) check(p *validate.Problems) {
	checkPhase2(p, r.PerfectForwardSecrecy, r.DiffieHellmanGroups, r.Encryptions, r.LifeTime, true)
	p.Subnets("phase2.remote_subnets", r.RemoteSubnets, maxRemoteSubnets)
}

// madeAs compares every field; a list's phases (listed) leave out the
// groups and proposals.
func (r *TunnelPhase2CreateRequestV1Dot1) madeAs(h *TunnelPhase2V1Dot1, listed bool) bool {
	return h.PerfectForwardSecrecy == r.PerfectForwardSecrecy && h.LifeTime == r.LifeTime &&
		sameSet(subnets(h.RemoteSubnets), subnets(r.RemoteSubnets)) &&
		(listed || sameSet(h.DiffieHellmanGroups, r.DiffieHellmanGroups) && sameSet(h.Encryptions, r.Encryptions))
}

// TunnelPhase2SetRequestV1Dot1 changes phase 2 of a version 1.1 tunnel:
// only the fields that are set (non-zero) are sent and changed.
type TunnelPhase2SetRequestV1Dot1 struct {
	// PerfectForwardSecrecy is PFSEnable or PFSDisable.
	PerfectForwardSecrecy PerfectForwardSecrecy `json:"perfect_forward_secrecy,omitempty"`
	// DiffieHellmanGroups are one to three Diffie-Hellman groups.
	DiffieHellmanGroups []int `json:"phase2_diffie_hellman_groups,omitempty"`
	// Encryptions are 1 to 10 IPsec proposals.
	Encryptions []string `json:"phase2_encryptions,omitempty"`
	// LifeTime is the IPsec lifetime, 120 to 172800 seconds.
	LifeTime int `json:"phase2_life_time,omitempty"`
	// RemoteSubnets replace the remote networks, 1 to 20 CIDRs.
	RemoteSubnets []string `json:"remote_subnets,omitempty"`
}

// check checks the phase 2 fields a Set sets, for Validate.
func (r *TunnelPhase2SetRequestV1Dot1) check(p *validate.Problems) {
	if r == nil {
		return
	}
	checkPhase2(p, r.PerfectForwardSecrecy, r.DiffieHellmanGroups, r.Encryptions, r.LifeTime, false)
	if len(r.RemoteSubnets) > 0 { // an empty list is not sent (omitempty)
		p.Subnets("phase2.remote_subnets", r.RemoteSubnets, maxRemoteSubnets)
	}
}

// setsNothing reports whether a Set's phase 2 sends no field: nil, or only
// zero values and empty lists, which are left out (omitempty).
func (r *TunnelPhase2SetRequestV1Dot1) setsNothing() bool {
	return r == nil || phase2SetsNothing(r.PerfectForwardSecrecy, r.DiffieHellmanGroups, r.Encryptions, r.LifeTime) && len(r.RemoteSubnets) == 0
}

// heldBy reports whether a phase read back holds every value r sets.
func (r *TunnelPhase2SetRequestV1Dot1) heldBy(h *TunnelPhase2V1Dot1) bool {
	if r == nil {
		return true
	}
	return heldString(string(r.PerfectForwardSecrecy), string(h.PerfectForwardSecrecy)) &&
		heldSet(r.DiffieHellmanGroups, h.DiffieHellmanGroups) &&
		heldSet(r.Encryptions, h.Encryptions) &&
		heldInt(r.LifeTime, h.LifeTime) &&
		heldSet(r.RemoteSubnets, h.RemoteSubnets)
}

// TunnelCreateRequestV1Dot1 is the body of TunnelServiceV1Dot1.Create.
type TunnelCreateRequestV1Dot1 struct {
	// Description is free text (optional).
	Description string `json:"description,omitempty"`
	// Name is 1 to 20 ASCII letters and digits (required).
	Name string `json:"name"`
	// Phase1 is the IKE phase (required).
	Phase1 TunnelPhase1CreateRequest `json:"phase1"`
	// Phase2 is the IPsec phase (required).
	Phase2 TunnelPhase2CreateRequestV1Dot1 `json:"phase2"`
	// Tags are attached to the new tunnel; nil is sent as an empty list.
	Tags []Tag `json:"tags"`
	// VPNGatewayID is the gateway the tunnel starts from (required).
	VPNGatewayID string `json:"vpn_gateway_id"`
}

// Validate checks the request against the API's rules for each field of both
// phases.
func (r *TunnelCreateRequestV1Dot1) Validate() error {
	const name = "TunnelCreateRequestV1Dot1"
	if r == nil {
		return nilRequest(name)
	}
	var p validate.Problems
	p.Name("name", r.Name)
	p.Required("vpn_gateway_id", r.VPNGatewayID)
	r.Phase1.check(&p)
	r.Phase2.check(&p)
	return validationError(name, &p)
}

// madeAs compares every field the API reads back; Tags are not, as the
// API's answers need not hold them, nor is the pre-shared key (see phase 1).
func (r *TunnelCreateRequestV1Dot1) madeAs(t *TunnelV1Dot1, listed bool) bool {
	return t.Name == r.Name && t.VPNGatewayID == r.VPNGatewayID && t.Description == r.Description &&
		r.Phase1.madeAs(&t.Phase1, listed) && r.Phase2.madeAs(&t.Phase2, listed)
}

// redacted is the request as fmt and slog show it (see secret.go).
func (r TunnelCreateRequestV1Dot1) redacted() any {
	type tunnelCreateRequestV1Dot1 TunnelCreateRequestV1Dot1 // without the methods
	c := tunnelCreateRequestV1Dot1(r)
	c.Phase1 = r.Phase1.withoutSecrets()
	return c
}

// Format prints the request with its pre-shared key redacted, under every verb.
func (r TunnelCreateRequestV1Dot1) Format(f fmt.State, verb rune) {
	formatCopy(f, verb, "scpvpn.TunnelCreateRequestV1Dot1", r.redacted())
}

// LogValue logs the request with its pre-shared key redacted.
func (r TunnelCreateRequestV1Dot1) LogValue() slog.Value { return slog.AnyValue(r.redacted()) }

// TunnelSetRequestV1Dot1 is the body of TunnelServiceV1Dot1.Set: only what
// is set is sent and changed.
type TunnelSetRequestV1Dot1 struct {
	// Description replaces the description; a pointer to "" clears it.
	Description *string `json:"description,omitempty"`
	// Phase1 changes the IKE phase.
	Phase1 *TunnelPhase1SetRequest `json:"phase1,omitempty"`
	// Phase2 changes the IPsec phase.
	Phase2 *TunnelPhase2SetRequestV1Dot1 `json:"phase2,omitempty"`
}

// Validate checks the fields the request sets, and that it sets one: a Set
// with nothing to change would only make the tunnel EDITING for nothing.
func (r *TunnelSetRequestV1Dot1) Validate() error {
	const name = "TunnelSetRequestV1Dot1"
	if r == nil {
		return nilRequest(name)
	}
	var p validate.Problems
	if r.Description == nil && r.Phase1.setsNothing() && r.Phase2.setsNothing() {
		p.Add("request", nothingToChange)
		return validationError(name, &p)
	}
	r.Phase1.check(&p)
	r.Phase2.check(&p)
	return validationError(name, &p)
}

// heldBy reports whether a resource read back holds every value the request
// sets, the one proof of a Set whose answer was lost (lostanswer.go): a
// field left out here would be a false success.
func (r *TunnelSetRequestV1Dot1) heldBy(t *TunnelV1Dot1) bool {
	return heldDescription(r.Description, t.Description) && r.Phase1.heldBy(&t.Phase1) &&
		r.Phase2.heldBy(&t.Phase2)
}

// redacted is the request as fmt and slog show it (see secret.go).
func (r TunnelSetRequestV1Dot1) redacted() any {
	type tunnelSetRequestV1Dot1 TunnelSetRequestV1Dot1 // without the methods
	c := tunnelSetRequestV1Dot1(r)
	c.Phase1 = r.Phase1.withoutSecrets()
	return c
}

// Format prints the request with its pre-shared key redacted, under every verb.
func (r TunnelSetRequestV1Dot1) Format(f fmt.State, verb rune) {
	formatCopy(f, verb, "scpvpn.TunnelSetRequestV1Dot1", r.redacted())
}

// LogValue logs the request with its pre-shared key redacted.
func (r TunnelSetRequestV1Dot1) LogValue() slog.Value { return slog.AnyValue(r.redacted()) }

// TunnelListOptionsV1Dot1 filter, sort and page TunnelServiceV1Dot1.List.
// Zero values are not sent.
type TunnelListOptionsV1Dot1 struct {
	// Page is the page number, from 0.
	Page int
	// Size is the number of tunnels per page.
	Size int
	// Sort orders the list, as "field:asc" or "field:desc".
	Sort string
	// Name keeps tunnels with this name.
	Name string
	// VPNGatewayID keeps tunnels of this gateway.
	VPNGatewayID string
	// VPNGatewayName keeps tunnels of gateways with this name.
	VPNGatewayName string
}

// Validate checks the options: a page and a size cannot be negative.
func (o *TunnelListOptionsV1Dot1) Validate() error {
	if o == nil {
		return nil
	}
	return checkPaging("TunnelListOptionsV1Dot1", o.Page, o.Size)
}

// TunnelListV1Dot1 is one page of version 1.1 tunnels.
type TunnelListV1Dot1 struct {
	// Count is the number of tunnels that match, on all pages together.
	Count int `json:"count"`
	// Page is this page's number, from 0.
	Page int `json:"page"`
	// Size is the page size the server used.
	Size int `json:"size"`
	// Sort is the order the server applied.
	Sort []string `json:"sort,omitempty"`
	// Tunnels are this page's tunnels, with the lighter phases of a list.
	Tunnels []TunnelV1Dot1 `json:"vpn_tunnels"`
}

// HasNext reports whether another page may hold tunnels: this page is not
// empty and the tunnels up to its end may be fewer than Count. A page short
// of its Size may be the last or one of a service that holds its pages to
// fewer items than the size asked, so it counts the pages before it as
// holding as many as it does: after a short last page, the next page asked
// may come back empty.
func (l *TunnelListV1Dot1) HasNext() bool { return hasNext(l.Page, l.Size, len(l.Tunnels), l.Count) }
