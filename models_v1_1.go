package scpvpn

// This file holds the models that only version 1.1 of the API has: its
// tunnels reach several remote subnets. Gateways and phase 1 are shared with
// version 1.0 (models.go).

import (
	"encoding/json"
	"time"

	"github.com/scpsdk/scpvpn/internal/jsontime"
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
// timestamps in place of the time.Time ones (the shallower fields win). The
// client decodes answers straight into it, in one pass; an UnmarshalJSON on
// TunnelV1Dot1 alone would make encoding/json scan every object twice.
type tunnelV1Dot1Wire struct {
	tunnelV1Dot1Fields
	CreatedAt  jsontime.Time `json:"created_at"`
	ModifiedAt jsontime.Time `json:"modified_at"`
}

// tunnelV1Dot1Fields is TunnelV1Dot1 without its methods, so that embedding it does
// not bring UnmarshalJSON along.
type tunnelV1Dot1Fields TunnelV1Dot1

func (w tunnelV1Dot1Wire) model() TunnelV1Dot1 {
	x := TunnelV1Dot1(w.tunnelV1Dot1Fields)
	x.CreatedAt, x.ModifiedAt = w.CreatedAt.Time, w.ModifiedAt.Time
	return x
}

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
// empty and the tunnels up to its end are fewer than Count.
func (l *TunnelListV1Dot1) HasNext() bool { return hasNext(l.Page, l.Size, len(l.Tunnels), l.Count) }

func (l *TunnelListV1Dot1) fields() pageFields[TunnelV1Dot1] {
	return pageFields[TunnelV1Dot1]{&l.Count, &l.Page, &l.Size, &l.Sort, &l.Tunnels}
}
