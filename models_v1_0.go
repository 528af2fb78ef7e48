package scpvpn

import (
	"encoding/json"
	"time"

	"github.com/scpsdk/scpvpn/internal/jsontime"
)

// This file holds the models of version 1.0 of the API, including every shape
// that version 1.1 shares with it: all gateway models, phase 1 of a tunnel,
// and the enumerations.

// State is where an asynchronous gateway or tunnel is in its life cycle.
// Create, Set and Delete answer at once; the resource then moves through
// these states (see the waiters, such as GatewayService.WaitUntilActive).
type State string

// States of gateways and tunnels.
const (
	StateCreating State = "CREATING" // being built after Create
	StateActive   State = "ACTIVE"   // ready; Set needs it, and Delete needs it or ERROR
	StateEditing  State = "EDITING"  // applying a Set
	StateDeleting State = "DELETING" // being removed after Delete
	StateDeleted  State = "DELETED"  // removed
	StateError    State = "ERROR"    // failed; see the SCP console
)

// IPType is the kind of address of a gateway.
type IPType string

// IPTypePublic is a public IP address, the only kind the API documents.
const IPTypePublic IPType = "PUBLIC"

// TunnelStatus is whether a tunnel's IPsec connection is up.
type TunnelStatus string

// Tunnel statuses, reported by Get only.
const (
	TunnelStatusUp   TunnelStatus = "UP"
	TunnelStatusDown TunnelStatus = "DOWN"
)

// PerfectForwardSecrecy switches IPsec perfect forward secrecy in phase 2.
type PerfectForwardSecrecy string

// Values of PerfectForwardSecrecy.
const (
	PFSEnable  PerfectForwardSecrecy = "ENABLE"
	PFSDisable PerfectForwardSecrecy = "DISABLE"
)

// Tag is a key and value attached to a resource when it is created.
type Tag struct {
	// Key names the tag; it must not be empty.
	Key string `json:"key"`
	// Value is the tag's value.
	Value string `json:"value"`
}

// Gateway is a VPN gateway: the SCP end of VPN tunnels, attached to a VPC
// with a public IP address. Versions 1.0 and 1.1 share it.
type Gateway struct {
	// AccountID is the SCP account that owns the gateway.
	AccountID string `json:"account_id"`
	// CreatedAt is when the gateway was created.
	CreatedAt time.Time `json:"created_at"`
	// CreatedBy is the id of the user who created it.
	CreatedBy string `json:"created_by"`
	// Description is free text; empty when none was given.
	Description string `json:"description,omitempty"`
	// ID identifies the gateway.
	ID string `json:"id"`
	// IPAddress is the gateway's public IP address.
	IPAddress string `json:"ip_address"`
	// IPID is the id of that IP address in SCP.
	IPID string `json:"ip_id"`
	// IPType is the kind of address, IPTypePublic.
	IPType IPType `json:"ip_type"`
	// ModifiedAt is when the gateway last changed.
	ModifiedAt time.Time `json:"modified_at"`
	// ModifiedBy is the id of the user who last changed it.
	ModifiedBy string `json:"modified_by"`
	// Name is the gateway's name.
	Name string `json:"name"`
	// State is where the gateway is in its life cycle.
	State State `json:"state"`
	// VPCID is the id of the VPC the gateway belongs to.
	VPCID string `json:"vpc_id"`
	// VPCName is that VPC's name.
	VPCName string `json:"vpc_name"`
}

// UnmarshalJSON decodes a Gateway, accepting timestamps with or without a
// zone (a zone-less one is UTC).
func (x *Gateway) UnmarshalJSON(b []byte) error {
	var w gatewayWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*x = w.model()
	return nil
}

func (x Gateway) lifecycleState() State { return x.State }

// gatewayWire is how a Gateway is decoded: its fields, with lenient
// timestamps in place of the time.Time ones (the shallower fields win). The
// client decodes answers straight into it, in one pass; an UnmarshalJSON on
// Gateway alone would make encoding/json scan every object twice.
type gatewayWire struct {
	gatewayFields
	CreatedAt  jsontime.Time `json:"created_at"`
	ModifiedAt jsontime.Time `json:"modified_at"`
}

// gatewayFields is Gateway without its methods, so that embedding it does
// not bring UnmarshalJSON along.
type gatewayFields Gateway

func (w gatewayWire) model() Gateway {
	x := Gateway(w.gatewayFields)
	x.CreatedAt, x.ModifiedAt = w.CreatedAt.Time, w.ModifiedAt.Time
	return x
}

// GatewayCreateRequest is the body of GatewayService.Create.
type GatewayCreateRequest struct {
	// Description is free text (optional, at most 40 characters advised).
	Description string `json:"description,omitempty"`
	// IPAddress is the public IP address the gateway will use (required).
	IPAddress string `json:"ip_address"`
	// IPID is the id of that public IP in SCP (required).
	IPID string `json:"ip_id"`
	// IPType is the kind of address, IPTypePublic (required).
	IPType IPType `json:"ip_type"`
	// Name is 3 to 20 letters and digits (required).
	Name string `json:"name"`
	// Tags are attached to the new gateway; nil is sent as an empty list.
	Tags []Tag `json:"tags"`
	// VPCID is the VPC to attach the gateway to (required).
	VPCID string `json:"vpc_id"`
}

// GatewaySetRequest is the body of GatewayService.Set: only what is set
// (non-nil) is changed.
type GatewaySetRequest struct {
	// Description replaces the gateway's description; a pointer to "" clears it.
	Description *string `json:"description,omitempty"`
}

// GatewayListOptions filter, sort and page GatewayService.List. Zero values
// are not sent, so the API's defaults apply (page 0, size 20).
type GatewayListOptions struct {
	// Page is the page number, from 0.
	Page int
	// Size is the number of gateways per page.
	Size int
	// Sort orders the list, as "field:asc" or "field:desc" (say "created_at:desc").
	Sort string
	// Name keeps gateways with this name.
	Name string
	// IPAddress keeps gateways with this IP address.
	IPAddress string
	// VPCID keeps gateways of this VPC.
	VPCID string
	// VPCName keeps gateways of VPCs with this name.
	VPCName string
}

// GatewayList is one page of gateways.
type GatewayList struct {
	// Count is the number of gateways that match, on all pages together.
	Count int `json:"count"`
	// Page is this page's number, from 0.
	Page int `json:"page"`
	// Size is the page size the server used.
	Size int `json:"size"`
	// Sort is the order the server applied, as "field:asc|desc".
	Sort []string `json:"sort,omitempty"`
	// Gateways are this page's gateways.
	Gateways []Gateway `json:"vpn_gateways"`
}

// TunnelPhase1 is a tunnel's IKE (ISAKMP) phase as the API reports it.
// Versions 1.0 and 1.1 share it. List answers leave out
// DiffieHellmanGroups and Encryptions.
type TunnelPhase1 struct {
	// DiffieHellmanGroups are the Diffie-Hellman groups proposed.
	DiffieHellmanGroups []int `json:"diffie_hellman_groups,omitempty"`
	// DPDRetryInterval is the dead peer detection interval, in seconds.
	DPDRetryInterval int `json:"dpd_retry_interval"`
	// Encryptions are the ISAKMP proposals, such as "aes256-sha256".
	Encryptions []string `json:"encryptions,omitempty"`
	// IKEVersion is 1 or 2.
	IKEVersion int `json:"ike_version"`
	// LifeTime is the ISAKMP security association lifetime, in seconds.
	LifeTime int `json:"life_time"`
	// PeerGatewayIP is the IP address of the remote (customer) gateway.
	PeerGatewayIP string `json:"peer_gateway_ip"`
}

// TunnelPhase1CreateRequest is phase 1 of a new tunnel. Versions 1.0 and 1.1
// share it. Every field is required.
type TunnelPhase1CreateRequest struct {
	// DPDRetryInterval is the dead peer detection interval, 1 to 3600 seconds.
	DPDRetryInterval int `json:"dpd_retry_interval"`
	// IKEVersion is 1 or 2.
	IKEVersion int `json:"ike_version"`
	// PeerGatewayIP is the IP address of the remote gateway.
	PeerGatewayIP string `json:"peer_gateway_ip"`
	// DiffieHellmanGroups are one to three of the groups 1, 2, 5, 14–21, 27–32.
	DiffieHellmanGroups []int `json:"phase1_diffie_hellman_groups"`
	// Encryptions are 1 to 10 ISAKMP proposals, such as "aes256-sha256".
	Encryptions []string `json:"phase1_encryptions"`
	// LifeTime is the ISAKMP lifetime, 120 to 172800 seconds.
	LifeTime int `json:"phase1_life_time"`
	// PreSharedKey authenticates the peers, 8 to 64 characters. The API never
	// returns it.
	PreSharedKey Secret `json:"pre_shared_key"`
}

// TunnelPhase1SetRequest changes phase 1 of a tunnel: only the fields that
// are set (non-zero) are sent and changed.
type TunnelPhase1SetRequest struct {
	// DPDRetryInterval is the dead peer detection interval, 1 to 3600 seconds.
	DPDRetryInterval int `json:"dpd_retry_interval,omitempty"`
	// IKEVersion is 1 or 2.
	IKEVersion int `json:"ike_version,omitempty"`
	// PeerGatewayIP is the IP address of the remote gateway.
	PeerGatewayIP string `json:"peer_gateway_ip,omitempty"`
	// DiffieHellmanGroups are one to three Diffie-Hellman groups.
	DiffieHellmanGroups []int `json:"phase1_diffie_hellman_groups,omitempty"`
	// Encryptions are 1 to 10 ISAKMP proposals.
	Encryptions []string `json:"phase1_encryptions,omitempty"`
	// LifeTime is the ISAKMP lifetime, 120 to 172800 seconds.
	LifeTime int `json:"phase1_life_time,omitempty"`
	// PreSharedKey replaces the pre-shared key, 8 to 64 characters.
	PreSharedKey Secret `json:"pre_shared_key,omitempty"`
}

// Tunnel is a VPN tunnel of version 1.0: an IPsec connection from a gateway
// to one remote subnet. Create, Get, List and Set all answer with it; List
// leaves out some phase fields, and only Get reports Status.
type Tunnel struct {
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
	Phase2 TunnelPhase2 `json:"phase2"`
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

// UnmarshalJSON decodes a Tunnel, accepting timestamps with or without a
// zone (a zone-less one is UTC).
func (x *Tunnel) UnmarshalJSON(b []byte) error {
	var w tunnelWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*x = w.model()
	return nil
}

func (x Tunnel) lifecycleState() State { return x.State }

// tunnelWire is how a Tunnel is decoded: its fields, with lenient
// timestamps in place of the time.Time ones (the shallower fields win). The
// client decodes answers straight into it, in one pass; an UnmarshalJSON on
// Tunnel alone would make encoding/json scan every object twice.
type tunnelWire struct {
	tunnelFields
	CreatedAt  jsontime.Time `json:"created_at"`
	ModifiedAt jsontime.Time `json:"modified_at"`
}

// tunnelFields is Tunnel without its methods, so that embedding it does
// not bring UnmarshalJSON along.
type tunnelFields Tunnel

func (w tunnelWire) model() Tunnel {
	x := Tunnel(w.tunnelFields)
	x.CreatedAt, x.ModifiedAt = w.CreatedAt.Time, w.ModifiedAt.Time
	return x
}

// TunnelPhase2 is a version 1.0 tunnel's IPsec phase as the API reports it.
// List answers leave out DiffieHellmanGroups and Encryptions.
type TunnelPhase2 struct {
	// DiffieHellmanGroups are the Diffie-Hellman groups proposed.
	DiffieHellmanGroups []int `json:"diffie_hellman_groups,omitempty"`
	// Encryptions are the IPsec proposals, such as "aes128gcm".
	Encryptions []string `json:"encryptions,omitempty"`
	// LifeTime is the IPsec security association lifetime, in seconds.
	LifeTime int `json:"life_time"`
	// PerfectForwardSecrecy is PFSEnable or PFSDisable.
	PerfectForwardSecrecy PerfectForwardSecrecy `json:"perfect_forward_secrecy"`
	// RemoteSubnet is the remote network, as a CIDR.
	RemoteSubnet string `json:"remote_subnet"`
}

// TunnelPhase2CreateRequest is phase 2 of a new version 1.0 tunnel. Every
// field is required.
type TunnelPhase2CreateRequest struct {
	// PerfectForwardSecrecy is PFSEnable or PFSDisable.
	PerfectForwardSecrecy PerfectForwardSecrecy `json:"perfect_forward_secrecy"`
	// DiffieHellmanGroups are one to three Diffie-Hellman groups.
	DiffieHellmanGroups []int `json:"phase2_diffie_hellman_groups"`
	// Encryptions are 1 to 10 IPsec proposals, such as "aes128gcm".
	Encryptions []string `json:"phase2_encryptions"`
	// LifeTime is the IPsec lifetime, 120 to 172800 seconds.
	LifeTime int `json:"phase2_life_time"`
	// RemoteSubnet is the remote network, as a CIDR such as "10.1.0.0/16".
	RemoteSubnet string `json:"remote_subnet"`
}

// TunnelPhase2SetRequest changes phase 2 of a version 1.0 tunnel: only the
// fields that are set (non-zero) are sent and changed.
type TunnelPhase2SetRequest struct {
	// PerfectForwardSecrecy is PFSEnable or PFSDisable.
	PerfectForwardSecrecy PerfectForwardSecrecy `json:"perfect_forward_secrecy,omitempty"`
	// DiffieHellmanGroups are one to three Diffie-Hellman groups.
	DiffieHellmanGroups []int `json:"phase2_diffie_hellman_groups,omitempty"`
	// Encryptions are 1 to 10 IPsec proposals.
	Encryptions []string `json:"phase2_encryptions,omitempty"`
	// LifeTime is the IPsec lifetime, 120 to 172800 seconds.
	LifeTime int `json:"phase2_life_time,omitempty"`
	// RemoteSubnet is the remote network, as a CIDR.
	RemoteSubnet string `json:"remote_subnet,omitempty"`
}

// TunnelCreateRequest is the body of TunnelService.Create (version 1.0).
type TunnelCreateRequest struct {
	// Description is free text (optional).
	Description string `json:"description,omitempty"`
	// Name is 3 to 20 letters and digits (required).
	Name string `json:"name"`
	// Phase1 is the IKE phase (required).
	Phase1 TunnelPhase1CreateRequest `json:"phase1"`
	// Phase2 is the IPsec phase (required).
	Phase2 TunnelPhase2CreateRequest `json:"phase2"`
	// Tags are attached to the new tunnel; nil is sent as an empty list.
	Tags []Tag `json:"tags"`
	// VPNGatewayID is the gateway the tunnel starts from (required).
	VPNGatewayID string `json:"vpn_gateway_id"`
}

// TunnelSetRequest is the body of TunnelService.Set (version 1.0): only what
// is set is sent and changed.
type TunnelSetRequest struct {
	// Description replaces the description; a pointer to "" clears it.
	Description *string `json:"description,omitempty"`
	// Phase1 changes the IKE phase.
	Phase1 *TunnelPhase1SetRequest `json:"phase1,omitempty"`
	// Phase2 changes the IPsec phase.
	Phase2 *TunnelPhase2SetRequest `json:"phase2,omitempty"`
}

// TunnelListOptions filter, sort and page TunnelService.List (version 1.0).
// Zero values are not sent.
type TunnelListOptions struct {
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
	// PeerGatewayIP keeps tunnels to this remote gateway address.
	PeerGatewayIP string
	// RemoteSubnet keeps tunnels to this remote subnet (a CIDR).
	RemoteSubnet string
}

// TunnelList is one page of version 1.0 tunnels.
type TunnelList struct {
	// Count is the number of tunnels that match, on all pages together.
	Count int `json:"count"`
	// Page is this page's number, from 0.
	Page int `json:"page"`
	// Size is the page size the server used.
	Size int `json:"size"`
	// Sort is the order the server applied.
	Sort []string `json:"sort,omitempty"`
	// Tunnels are this page's tunnels, with the lighter phases of a list.
	Tunnels []Tunnel `json:"vpn_tunnels"`
}
