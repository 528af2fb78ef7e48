package scpvpn

// This file holds the tunnel services: TunnelService (version 1.0, one
// remote subnet per tunnel) and TunnelServiceV1Dot1 (several).

import (
	"context"
	"iter"
)

// TunnelService manages VPN tunnels through version 1.0 of the API, where a
// tunnel reaches one remote subnet. Reach it as c.V1Dot0.Tunnels. Version
// 1.0 is deprecated by SCP: prefer TunnelServiceV1Dot1 (c.V1Dot1.Tunnels).
type TunnelService struct {
	api resourceAPI[Tunnel, tunnelWire, tunnelAnswer]
}

// Create starts building a tunnel from an ACTIVE gateway and returns it,
// usually in state CREATING; wait for it with WaitUntilActive. req is checked
// before anything is sent (see ValidationError). A create whose answer was
// lost is settled by listing the tunnels of req.Name on req.VPNGatewayID,
// as GatewayService.Create does.
//
// API: Create VPN Tunnel, POST /v1/vpn-tunnels, version 1.0 (202 Accepted).
func (s *TunnelService) Create(ctx context.Context, req *TunnelCreateRequest, opts ...CallOption) (*Tunnel, error) {
	co, err := begin(opts)
	if err != nil {
		return nil, err
	}
	return s.api.create(ctx, req, co)
}

// Get returns the tunnel with the given id, with its Status; ErrNotFound
// when there is none. The pre-shared key is never returned. An answer about
// another tunnel, or one without its id, state or created_at, matches
// ErrUnexpectedAnswer.
//
// API: Show VPN Tunnel, GET /v1/vpn-tunnels/{vpn_tunnel_id}, version 1.0.
func (s *TunnelService) Get(ctx context.Context, id string, opts ...CallOption) (*Tunnel, error) {
	co, err := begin(opts)
	if err != nil {
		return nil, err
	}
	return s.api.get(ctx, id, co)
}

// List returns one page of tunnels, filtered and sorted by opts (nil for the
// API's defaults). Tunnels in a list carry lighter phases and no Status. An
// answer that contradicts itself or the question matches
// ErrUnexpectedAnswer, as GatewayService.List says; with opts.VPNGatewayID,
// so does a tunnel of another gateway.
//
// API: List VPN Tunnels, GET /v1/vpn-tunnels, version 1.0.
func (s *TunnelService) List(ctx context.Context, opts *TunnelListOptions, o ...CallOption) (*TunnelList, error) {
	co, err := begin(o)
	if err != nil {
		return nil, err
	}
	p, err := s.api.list(ctx, opts, co)
	if err != nil {
		return nil, err
	}
	return &TunnelList{Count: p.count, Page: p.page, Size: p.size, Sort: p.sort, Tunnels: p.items}, nil
}

// All yields every tunnel that matches opts, page after page, from opts.Page
// on; it stops as GatewayService.All does, and checks each page as List
// does. opts is not modified, and is read once, when All is called.
func (s *TunnelService) All(ctx context.Context, opts *TunnelListOptions, o ...CallOption) iter.Seq2[*Tunnel, error] {
	co, err := begin(o)
	if err != nil {
		return failed[Tunnel](err)
	}
	return s.api.all(ctx, copied(opts), co)
}

// Set changes what req sets and returns the tunnel, in state EDITING.
//
// API: Set VPN Tunnel, PUT /v1/vpn-tunnels/{vpn_tunnel_id}, version 1.0 (202 Accepted).
func (s *TunnelService) Set(ctx context.Context, id string, req *TunnelSetRequest, opts ...CallOption) (*Tunnel, error) {
	co, err := begin(opts)
	if err != nil {
		return nil, err
	}
	return s.api.set(ctx, id, req, co)
}

// Delete starts removing the tunnel; wait for it with WaitUntilDeleted. A
// 2xx with a body (the API's has none) is settled by reading the tunnel
// back, as GatewayService.Delete says.
//
// API: Delete VPN Tunnel, DELETE /v1/vpn-tunnels/{vpn_tunnel_id}, version 1.0 (202 Accepted).
func (s *TunnelService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	co, err := begin(opts)
	if err != nil {
		return err
	}
	return s.api.delete(ctx, id, co)
}

// Quota returns how many tunnels may exist and how many do, for the
// gateway opts.VPNGatewayID.
//
// API: Get VPN Tunnel Quotas, GET /v1/vpn-tunnels/metrics/quotas, version 1.0.
func (s *TunnelService) Quota(ctx context.Context, opts *TunnelQuotaOptions, o ...CallOption) (*TunnelQuota, error) {
	co, err := begin(o)
	if err != nil {
		return nil, err
	}
	return quota[TunnelQuota](ctx, s.api.caller, tunnelsPath+"/metrics/quotas", opts.query(), co)
}

// CheckSubnet asks whether remoteSubnet (a CIDR) can be given to a new
// tunnel of the gateway: SubnetAvailable, SubnetDuplicate when a tunnel of
// the gateway already reaches it or an overlapping subnet, SubnetInvalid
// when it is not a subnet the service accepts. An answer about another
// gateway or another subnet (compared as networks, leading zeros read as
// decimal: 10.1.0.0/016 is 10.1.0.0/16) matches
// ErrUnexpectedAnswer.
//
// API: Check VPN Tunnel Subnet Availabilities, GET /v1/vpn-tunnels/vpn-tunnel-subnet-availabilities, version 1.0.
func (s *TunnelService) CheckSubnet(ctx context.Context, gatewayID, remoteSubnet string, o ...CallOption) (*SubnetAvailability, error) {
	if err := checkSubnetArgs(gatewayID, remoteSubnet); err != nil {
		return nil, err
	}
	co, err := begin(o)
	if err != nil {
		return nil, err
	}
	return checkSubnet(ctx, s.api.caller, gatewayID, remoteSubnet, co)
}

// WaitUntilActive polls Get until the tunnel is ACTIVE and returns it; see
// GatewayService.WaitUntilActive.
func (s *TunnelService) WaitUntilActive(ctx context.Context, id string, opts ...CallOption) (*Tunnel, error) {
	co, err := begin(opts)
	if err != nil {
		return nil, err
	}
	return s.api.waitUntilActive(ctx, id, co)
}

// WaitUntilDeleted polls Get until the tunnel is gone (the service's 404) or
// DELETED; see GatewayService.WaitUntilDeleted.
func (s *TunnelService) WaitUntilDeleted(ctx context.Context, id string, opts ...CallOption) error {
	co, err := begin(opts)
	if err != nil {
		return err
	}
	return s.api.waitUntilDeleted(ctx, id, co)
}

// TunnelServiceV1Dot1 manages VPN tunnels through version 1.1 of the API,
// where a tunnel reaches several remote subnets. Reach it as c.V1Dot1.Tunnels.
type TunnelServiceV1Dot1 struct {
	api resourceAPI[TunnelV1Dot1, tunnelV1Dot1Wire, tunnelV1Dot1Answer]
}

// Create starts building a tunnel from an ACTIVE gateway and returns it,
// usually in state CREATING; wait for it with WaitUntilActive. req is checked
// before anything is sent (see ValidationError). A create whose answer was
// lost is settled by listing the tunnels of req.Name on req.VPNGatewayID,
// as GatewayService.Create does.
//
// API: Create VPN Tunnel, POST /v1/vpn-tunnels, version 1.1 (202 Accepted).
func (s *TunnelServiceV1Dot1) Create(ctx context.Context, req *TunnelCreateRequestV1Dot1, opts ...CallOption) (*TunnelV1Dot1, error) {
	co, err := begin(opts)
	if err != nil {
		return nil, err
	}
	return s.api.create(ctx, req, co)
}

// Get returns the tunnel with the given id, with its Status; ErrNotFound
// when there is none. The pre-shared key is never returned. An answer about
// another tunnel, or one without its id, state or created_at, matches
// ErrUnexpectedAnswer.
//
// API: Show VPN Tunnel, GET /v1/vpn-tunnels/{vpn_tunnel_id}, version 1.1.
func (s *TunnelServiceV1Dot1) Get(ctx context.Context, id string, opts ...CallOption) (*TunnelV1Dot1, error) {
	co, err := begin(opts)
	if err != nil {
		return nil, err
	}
	return s.api.get(ctx, id, co)
}

// List returns one page of tunnels, filtered and sorted by opts (nil for the
// API's defaults). Tunnels in a list carry lighter phases and no Status. An
// answer that contradicts itself or the question matches
// ErrUnexpectedAnswer, as GatewayService.List says; with opts.VPNGatewayID,
// so does a tunnel of another gateway.
//
// API: List VPN Tunnels, GET /v1/vpn-tunnels, version 1.1.
func (s *TunnelServiceV1Dot1) List(ctx context.Context, opts *TunnelListOptionsV1Dot1, o ...CallOption) (*TunnelListV1Dot1, error) {
	co, err := begin(o)
	if err != nil {
		return nil, err
	}
	p, err := s.api.list(ctx, opts, co)
	if err != nil {
		return nil, err
	}
	return &TunnelListV1Dot1{Count: p.count, Page: p.page, Size: p.size, Sort: p.sort, Tunnels: p.items}, nil
}

// All yields every tunnel that matches opts, page after page, from opts.Page
// on; it stops as GatewayService.All does, and checks each page as List
// does. opts is not modified, and is read once, when All is called.
func (s *TunnelServiceV1Dot1) All(ctx context.Context, opts *TunnelListOptionsV1Dot1, o ...CallOption) iter.Seq2[*TunnelV1Dot1, error] {
	co, err := begin(o)
	if err != nil {
		return failed[TunnelV1Dot1](err)
	}
	return s.api.all(ctx, copied(opts), co)
}

// Set changes what req sets and returns the tunnel, in state EDITING.
//
// API: Set VPN Tunnel, PUT /v1/vpn-tunnels/{vpn_tunnel_id}, version 1.1 (202 Accepted).
func (s *TunnelServiceV1Dot1) Set(ctx context.Context, id string, req *TunnelSetRequestV1Dot1, opts ...CallOption) (*TunnelV1Dot1, error) {
	co, err := begin(opts)
	if err != nil {
		return nil, err
	}
	return s.api.set(ctx, id, req, co)
}

// Delete starts removing the tunnel; wait for it with WaitUntilDeleted. A
// 2xx with a body (the API's has none) is settled by reading the tunnel
// back, as GatewayService.Delete says.
//
// API: Delete VPN Tunnel, DELETE /v1/vpn-tunnels/{vpn_tunnel_id}, version 1.1 (202 Accepted).
func (s *TunnelServiceV1Dot1) Delete(ctx context.Context, id string, opts ...CallOption) error {
	co, err := begin(opts)
	if err != nil {
		return err
	}
	return s.api.delete(ctx, id, co)
}

// Quota returns how many tunnels may exist and how many do, for the
// gateway opts.VPNGatewayID.
//
// API: Get VPN Tunnel Quotas, GET /v1/vpn-tunnels/metrics/quotas, version 1.1.
func (s *TunnelServiceV1Dot1) Quota(ctx context.Context, opts *TunnelQuotaOptions, o ...CallOption) (*TunnelQuota, error) {
	co, err := begin(o)
	if err != nil {
		return nil, err
	}
	return quota[TunnelQuota](ctx, s.api.caller, tunnelsPath+"/metrics/quotas", opts.query(), co)
}

// CheckSubnet asks whether remoteSubnet (a CIDR) can be given to a new
// tunnel of the gateway: SubnetAvailable, SubnetDuplicate when a tunnel of
// the gateway already reaches it or an overlapping subnet, SubnetInvalid
// when it is not a subnet the service accepts. An answer about another
// gateway or another subnet (compared as networks, leading zeros read as
// decimal: 10.1.0.0/016 is 10.1.0.0/16) matches
// ErrUnexpectedAnswer.
//
// API: Check VPN Tunnel Subnet Availabilities, GET /v1/vpn-tunnels/vpn-tunnel-subnet-availabilities, version 1.1.
func (s *TunnelServiceV1Dot1) CheckSubnet(ctx context.Context, gatewayID, remoteSubnet string, o ...CallOption) (*SubnetAvailability, error) {
	if err := checkSubnetArgs(gatewayID, remoteSubnet); err != nil {
		return nil, err
	}
	co, err := begin(o)
	if err != nil {
		return nil, err
	}
	return checkSubnet(ctx, s.api.caller, gatewayID, remoteSubnet, co)
}

// WaitUntilActive polls Get until the tunnel is ACTIVE and returns it; see
// GatewayService.WaitUntilActive.
func (s *TunnelServiceV1Dot1) WaitUntilActive(ctx context.Context, id string, opts ...CallOption) (*TunnelV1Dot1, error) {
	co, err := begin(opts)
	if err != nil {
		return nil, err
	}
	return s.api.waitUntilActive(ctx, id, co)
}

// WaitUntilDeleted polls Get until the tunnel is gone (the service's 404) or
// DELETED; see GatewayService.WaitUntilDeleted.
func (s *TunnelServiceV1Dot1) WaitUntilDeleted(ctx context.Context, id string, opts ...CallOption) error {
	co, err := begin(opts)
	if err != nil {
		return err
	}
	return s.api.waitUntilDeleted(ctx, id, co)
}

func (o *TunnelListOptions) paging() (page, size int) {
	if o == nil {
		return 0, 0
	}
	return o.Page, o.Size
}

// query returns the query of page of a version 1.0 tunnel list, without
// zero values.
func (o *TunnelListOptions) query(page int) string {
	var c TunnelListOptions
	if o != nil {
		c = *o
	}
	var q queryOf
	q.int("page", page)
	q.int("size", c.Size)
	q.string("sort", c.Sort)
	q.string("name", c.Name)
	q.string("vpn_gateway_id", c.VPNGatewayID)
	q.string("vpn_gateway_name", c.VPNGatewayName)
	q.string("peer_gateway_ip", c.PeerGatewayIP)
	q.string("remote_subnet", c.RemoteSubnet)
	return q.encode()
}

func (o *TunnelListOptionsV1Dot1) paging() (page, size int) {
	if o == nil {
		return 0, 0
	}
	return o.Page, o.Size
}

// query returns the query of page of a version 1.1 tunnel list, without
// zero values.
func (o *TunnelListOptionsV1Dot1) query(page int) string {
	var c TunnelListOptionsV1Dot1
	if o != nil {
		c = *o
	}
	var q queryOf
	q.int("page", page)
	q.int("size", c.Size)
	q.string("sort", c.Sort)
	q.string("name", c.Name)
	q.string("vpn_gateway_id", c.VPNGatewayID)
	q.string("vpn_gateway_name", c.VPNGatewayName)
	return q.encode()
}

func (o *TunnelQuotaOptions) query() string {
	var q queryOf
	if o != nil {
		q.string("vpn_gateway_id", o.VPNGatewayID)
	}
	return q.encode()
}

// checkSubnet asks whether remoteSubnet can be given to a new tunnel of
// the gateway: CheckSubnet of both tunnel services, once its arguments
// are checked.
func checkSubnet(ctx context.Context, v caller, gatewayID, remoteSubnet string, co *callOptions) (*SubnetAvailability, error) {
	var q queryOf
	q.string("remote_subnet", remoteSubnet)
	q.string("vpn_gateway_id", gatewayID)
	var ans struct {
		Availability *SubnetAvailability `json:"vpn_tunnel_subnet_availability"`
	}
	if err := v.getJSON(ctx, tunnelsPath+"/vpn-tunnel-subnet-availabilities", q.encode(), &ans, co); err != nil {
		return nil, err
	}
	if problem := availabilityProblem(ans.Availability, gatewayID, remoteSubnet); problem != "" {
		return nil, unexpectedAnswer(nil, "scpvpn: GET %s/vpn-tunnel-subnet-availabilities: %s", tunnelsPath, problem)
	}
	return ans.Availability, nil
}

// availabilityProblem says what a subnet check's answer lacks of what the
// API's schema requires, or where it answers another question than whether
// remoteSubnet can be given to a tunnel of gatewayID (a cache that ignores
// the query answers one it kept for another), or "". The gateway is
// compared exactly, the subnet as a network (10.1.0.0/16 however it is
// written). The values are not quoted: a server could echo anything there.
func availabilityProblem(av *SubnetAvailability, gatewayID, remoteSubnet string) string {
	switch {
	case av == nil:
		return "the answer holds no vpn_tunnel_subnet_availability"
	case av.VPNGatewayID == "":
		return "the answer has no vpn_gateway_id"
	case av.RemoteSubnet == "":
		return "the answer has no remote_subnet"
	case av.Availability == "":
		return "the answer has no availability"
	case av.VPNGatewayID != gatewayID:
		return "the answer is about another vpn_gateway_id than the one asked about"
	case !sameSubnet(av.RemoteSubnet, remoteSubnet):
		return "the answer is about another remote_subnet than the one asked about"
	}
	switch av.Availability {
	case SubnetAvailable, SubnetDuplicate, SubnetInvalid:
		return ""
	}
	return "the answer's availability is none of " + string(SubnetAvailable) + ", " + string(SubnetDuplicate) + " and " + string(SubnetInvalid)
}

// parentID is the tunnel's gateway, which a list's vpn_gateway_id filter
// names.
func (x Tunnel) parentID() string { return x.VPNGatewayID }

// parentID is the tunnel's gateway, which a list's vpn_gateway_id filter
// names.
func (x TunnelV1Dot1) parentID() string { return x.VPNGatewayID }
