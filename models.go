package scpvpn

// This file holds the models both versions of the API share: every gateway
// model, phase 1 of a tunnel, the quotas and the subnet check, and the
// enumerations. The tunnels of each version are in models_v1_0.go and
// models_v1_1.go.
//
// Each request type is followed by its rules, so that a field added to it
// is read with everything that must know of it: Validate (what the service
// is documented to refuse), heldBy or madeAs (what reading the resource back
// must show after a Set's or a create's answer was lost: a field left out
// there is a false success), and, for a type that holds a Secret, redacted,
// Format and LogValue. What the rules share is in validate.go, secret.go,
// lostanswer.go and lostcreate.go.

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/scpsdk/scpvpn/internal/jsontime"
	"github.com/scpsdk/scpvpn/internal/validate"
)

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

func (x Gateway) lifecycleState() State   { return x.State }
func (x Gateway) resourceID() string      { return x.ID }
func (x Gateway) creationTime() time.Time { return x.CreatedAt }

// gatewayWire is how a Gateway is decoded: its fields, with lenient
// timestamps in place of the time.Time ones. The client decodes answers
// straight into it, in one pass; an UnmarshalJSON on Gateway alone would
// make encoding/json scan every object twice. Its fields are Gateway's,
// written out rather than embedded: a speed trick, kept because it pays
// (issue 18's rule: at least 3% of a call's time or 10 allocations):
// encoding/json decodes an embedded struct's fields a tenth slower, and a
// List of 20 gateways took 1.139 times plain resty's time with them
// embedded, 1.098 written out (BenchmarkContenders, interleaved, three
// runs each). TestWireTypesCarryEveryField checks that every field of
// Gateway comes through this type and model.
type gatewayWire struct {
	AccountID   string        `json:"account_id"`
	CreatedAt   jsontime.Time `json:"created_at"`
	CreatedBy   string        `json:"created_by"`
	Description string        `json:"description,omitempty"`
	ID          string        `json:"id"`
	IPAddress   string        `json:"ip_address"`
	IPID        string        `json:"ip_id"`
	IPType      IPType        `json:"ip_type"`
	ModifiedAt  jsontime.Time `json:"modified_at"`
	ModifiedBy  string        `json:"modified_by"`
	Name        string        `json:"name"`
	State       State         `json:"state"`
	VPCID       string        `json:"vpc_id"`
	VPCName     string        `json:"vpc_name"`
}

func (w gatewayWire) model() Gateway {
	return Gateway{
		AccountID:   w.AccountID,
		CreatedAt:   w.CreatedAt.Time,
		CreatedBy:   w.CreatedBy,
		Description: w.Description,
		ID:          w.ID,
		IPAddress:   w.IPAddress,
		IPID:        w.IPID,
		IPType:      w.IPType,
		ModifiedAt:  w.ModifiedAt.Time,
		ModifiedBy:  w.ModifiedBy,
		Name:        w.Name,
		State:       w.State,
		VPCID:       w.VPCID,
		VPCName:     w.VPCName,
	}
}

// gatewayAnswer is an answer that holds one gateway, {"vpn_gateway": {...}}:
// that of a create, a Get and a Set.
type gatewayAnswer struct {
	Gateway *gatewayWire `json:"vpn_gateway"`
}

func (a gatewayAnswer) held() *gatewayWire { return a.Gateway }

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
	// Name is 1 to 20 ASCII letters and digits (required).
	Name string `json:"name"`
	// Tags are attached to the new gateway; nil is sent as an empty list.
	Tags []Tag `json:"tags"`
	// VPCID is the VPC to attach the gateway to (required).
	VPCID string `json:"vpc_id"`
}

// Validate checks the request against the API's rules: required fields, a
// name of 1 to 20 ASCII letters and digits, an IP address.
func (r *GatewayCreateRequest) Validate() error {
	const name = "GatewayCreateRequest"
	if r == nil {
		return nilRequest(name)
	}
	var p validate.Problems
	if p.Required("ip_address", r.IPAddress) {
		p.IP("ip_address", r.IPAddress)
	}
	p.Required("ip_id", r.IPID)
	p.Required("ip_type", string(r.IPType))
	p.Name("name", r.Name)
	p.Required("vpc_id", r.VPCID)
	return validationError(name, &p)
}

// madeAs compares every field the API reads back; Tags are not, as the
// API's answers need not hold them.
func (r *GatewayCreateRequest) madeAs(g *Gateway, _ bool) bool {
	return g.Name == r.Name && g.VPCID == r.VPCID && g.IPID == r.IPID && g.IPType == r.IPType &&
		sameIP(g.IPAddress, r.IPAddress) && g.Description == r.Description
}

// GatewaySetRequest is the body of GatewayService.Set: only what is set
// (non-nil) is changed.
type GatewaySetRequest struct {
	// Description replaces the gateway's description; a pointer to "" clears it.
	Description *string `json:"description,omitempty"`
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

// heldBy reports whether a resource read back holds every value the request
// sets, the one proof of a Set whose answer was lost (lostanswer.go): a
// field left out here would be a false success.
func (r *GatewaySetRequest) heldBy(g *Gateway) bool {
	return heldDescription(r.Description, g.Description)
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

// Validate checks the options: a page and a size cannot be negative.
func (o *GatewayListOptions) Validate() error {
	if o == nil {
		return nil
	}
	return checkPaging("GatewayListOptions", o.Page, o.Size)
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

// HasNext reports whether another page may hold gateways: this page is not
// empty and the gateways up to its end may be fewer than Count. A page short
// of its Size may be the last or one of a service that holds its pages to
// fewer items than the size asked, so it counts the pages before it as
// holding as many as it does: after a short last page, the next page asked
// may come back empty.
func (l *GatewayList) HasNext() bool { return hasNext(l.Page, l.Size, len(l.Gateways), l.Count) }

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

// check checks phase 1 of a new tunnel, for both versions' Validate.
func (r *TunnelPhase1CreateRequest) check(p *validate.Problems) {
	p.Range("phase1.dpd_retry_interval", r.DPDRetryInterval, 1, 3600)
	p.IKEVersion("phase1.ike_version", r.IKEVersion)
	if p.Required("phase1.peer_gateway_ip", r.PeerGatewayIP) {
		p.IP("phase1.peer_gateway_ip", r.PeerGatewayIP)
	}
	p.DHGroups("phase1.phase1_diffie_hellman_groups", r.DiffieHellmanGroups)
	p.Encryptions("phase1.phase1_encryptions", r.Encryptions)
	p.Range("phase1.phase1_life_time", r.LifeTime, 120, 172800)
	p.PreSharedKey("phase1.pre_shared_key", string(r.PreSharedKey))
}

// madeAs compares every field but the pre-shared key, which the API never
// returns; a list's phases (listed) leave out the groups and proposals.
func (r *TunnelPhase1CreateRequest) madeAs(h *TunnelPhase1, listed bool) bool {
	return h.DPDRetryInterval == r.DPDRetryInterval && h.IKEVersion == r.IKEVersion && h.LifeTime == r.LifeTime &&
		sameIP(h.PeerGatewayIP, r.PeerGatewayIP) &&
		(listed || sameSet(h.DiffieHellmanGroups, r.DiffieHellmanGroups) && sameSet(h.Encryptions, r.Encryptions))
}

// withoutSecrets returns a copy of r whose pre-shared key is redacted, for
// r's redaction and its parents'.
func (r TunnelPhase1CreateRequest) withoutSecrets() TunnelPhase1CreateRequest {
	r.PreSharedKey = redactedSecret(r.PreSharedKey)
	return r
}

// redacted is the request as fmt and slog show it (see secret.go).
func (r TunnelPhase1CreateRequest) redacted() any {
	type tunnelPhase1CreateRequest TunnelPhase1CreateRequest // without the methods
	return tunnelPhase1CreateRequest(r.withoutSecrets())
}

// Format prints the request with its pre-shared key redacted, under every verb.
func (r TunnelPhase1CreateRequest) Format(f fmt.State, verb rune) {
	formatCopy(f, verb, "scpvpn.TunnelPhase1CreateRequest", r.redacted())
}

// LogValue logs the request with its pre-shared key redacted.
func (r TunnelPhase1CreateRequest) LogValue() slog.Value { return slog.AnyValue(r.redacted()) }

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

// check checks the phase 1 fields a Set sets, for both versions' Validate.
func (r *TunnelPhase1SetRequest) check(p *validate.Problems) {
	if r == nil {
		return
	}
	if r.DPDRetryInterval != 0 {
		p.Range("phase1.dpd_retry_interval", r.DPDRetryInterval, 1, 3600)
	}
	if r.IKEVersion != 0 {
		p.IKEVersion("phase1.ike_version", r.IKEVersion)
	}
	if r.PeerGatewayIP != "" {
		p.IP("phase1.peer_gateway_ip", r.PeerGatewayIP)
	}
	if len(r.DiffieHellmanGroups) > 0 { // an empty list is not sent (omitempty)
		p.DHGroups("phase1.phase1_diffie_hellman_groups", r.DiffieHellmanGroups)
	}
	if len(r.Encryptions) > 0 {
		p.Encryptions("phase1.phase1_encryptions", r.Encryptions)
	}
	if r.LifeTime != 0 {
		p.Range("phase1.phase1_life_time", r.LifeTime, 120, 172800)
	}
	if r.PreSharedKey != "" {
		p.PreSharedKey("phase1.pre_shared_key", string(r.PreSharedKey))
	}
}

// setsNothing reports whether a Set's phase 1 sends no field: nil, or only
// zero values and empty lists, which are left out (omitempty).
func (r *TunnelPhase1SetRequest) setsNothing() bool {
	return r == nil || r.DPDRetryInterval == 0 && r.IKEVersion == 0 && r.PeerGatewayIP == "" &&
		len(r.DiffieHellmanGroups) == 0 && len(r.Encryptions) == 0 && r.LifeTime == 0 && r.PreSharedKey == ""
}

// heldBy never holds a pre-shared key: the API never returns one, so a Set
// of it cannot be confirmed.
func (r *TunnelPhase1SetRequest) heldBy(h *TunnelPhase1) bool {
	if r == nil {
		return true
	}
	return r.PreSharedKey == "" &&
		heldInt(r.DPDRetryInterval, h.DPDRetryInterval) &&
		heldInt(r.IKEVersion, h.IKEVersion) &&
		heldString(r.PeerGatewayIP, h.PeerGatewayIP) &&
		heldSet(r.DiffieHellmanGroups, h.DiffieHellmanGroups) &&
		heldSet(r.Encryptions, h.Encryptions) &&
		heldInt(r.LifeTime, h.LifeTime)
}

// withoutSecrets returns a copy of r whose pre-shared key is redacted, or
// nil, for r's redaction and its parents'; r is left as it is.
func (r *TunnelPhase1SetRequest) withoutSecrets() *TunnelPhase1SetRequest {
	if r == nil {
		return nil
	}
	c := *r
	c.PreSharedKey = redactedSecret(r.PreSharedKey)
	return &c
}

// redacted is the request as fmt and slog show it (see secret.go).
func (r TunnelPhase1SetRequest) redacted() any {
	type tunnelPhase1SetRequest TunnelPhase1SetRequest // without the methods
	return tunnelPhase1SetRequest(*r.withoutSecrets())
}

// Format prints the request with its pre-shared key redacted, under every verb.
func (r TunnelPhase1SetRequest) Format(f fmt.State, verb rune) {
	formatCopy(f, verb, "scpvpn.TunnelPhase1SetRequest", r.redacted())
}

// LogValue logs the request with its pre-shared key redacted.
func (r TunnelPhase1SetRequest) LogValue() slog.Value { return slog.AnyValue(r.redacted()) }

// GatewayQuotaOptions narrow GatewayService.Quota.
type GatewayQuotaOptions struct {
	// VPCID asks for the quota of this VPC; empty for the account's.
	VPCID string
}

// GatewayQuota is how many gateways may exist and how many do.
type GatewayQuota struct {
	// Max is how many gateways may exist.
	Max int `json:"vpn_gateway_max_quota"`
	// Used is how many exist.
	Used int `json:"vpn_gateway_used_quota"`
}

// UnmarshalJSON accepts the numbers as JSON numbers or as strings ("3"),
// as the API's own examples give them. Both are required and may not be
// negative, as in the API's schema; null leaves q as it is.
func (q *GatewayQuota) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var w struct {
		Max  json.RawMessage `json:"vpn_gateway_max_quota"`
		Used json.RawMessage `json:"vpn_gateway_used_quota"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var err error
	if q.Max, err = quotaCount("vpn_gateway_max_quota", w.Max); err != nil {
		return err
	}
	q.Used, err = quotaCount("vpn_gateway_used_quota", w.Used)
	return err
}

// TunnelQuotaOptions narrow the tunnel services' Quota.
type TunnelQuotaOptions struct {
	// VPNGatewayID asks for the quota of this gateway's tunnels.
	VPNGatewayID string
}

// TunnelQuota is how many tunnels may exist and how many do.
type TunnelQuota struct {
	// Max is how many tunnels may exist.
	Max int `json:"vpn_tunnel_max_quota"`
	// Used is how many exist.
	Used int `json:"vpn_tunnel_used_quota"`
}

// UnmarshalJSON accepts the numbers as JSON numbers or as strings ("5"),
// as the API's own examples give them. Both are required and may not be
// negative, as in the API's schema; null leaves q as it is.
func (q *TunnelQuota) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var w struct {
		Max  json.RawMessage `json:"vpn_tunnel_max_quota"`
		Used json.RawMessage `json:"vpn_tunnel_used_quota"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var err error
	if q.Max, err = quotaCount("vpn_tunnel_max_quota", w.Max); err != nil {
		return err
	}
	q.Used, err = quotaCount("vpn_tunnel_used_quota", w.Used)
	return err
}

// quotaCount decodes the required field name of a quota, a count given as a
// JSON number or a JSON string. Its error names the field, as
// encoding/json does not for a value it hands over.
func quotaCount(name string, raw json.RawMessage) (int, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, fmt.Errorf("%s is missing", name)
	}
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %.40q is not an integer", name, s)
	}
	if v < 0 {
		return 0, fmt.Errorf("%s is negative (%d)", name, v)
	}
	return v, nil
}

// SubnetAvailabilityStatus says whether a remote subnet can be given to a
// new tunnel of a gateway.
type SubnetAvailabilityStatus string

// Values of SubnetAvailabilityStatus.
const (
	// SubnetAvailable: no tunnel of the gateway reaches the subnet.
	SubnetAvailable SubnetAvailabilityStatus = "AVAILABLE"
	// SubnetDuplicate: a tunnel of the gateway already reaches it, or a
	// subnet that overlaps it.
	SubnetDuplicate SubnetAvailabilityStatus = "DUPLICATE"
	// SubnetInvalid: it is not a subnet the service accepts.
	SubnetInvalid SubnetAvailabilityStatus = "INVALID"
)

// SubnetAvailability is the answer of CheckSubnet.
type SubnetAvailability struct {
	// VPNGatewayID is the gateway asked about.
	VPNGatewayID string `json:"vpn_gateway_id"`
	// RemoteSubnet is the subnet asked about.
	RemoteSubnet string `json:"remote_subnet"`
	// Availability is the answer.
	Availability SubnetAvailabilityStatus `json:"availability"`
}
