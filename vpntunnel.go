package scpvpn

import (
	"context"
	"encoding/json"
	"iter"

	"github.com/scpsdk/scpvpn/internal/query"
)

// TunnelService manages VPN tunnels through version 1.0 of the API, where a
// tunnel reaches one remote subnet. Reach it as c.V1Dot0.Tunnels. Version
// 1.0 is deprecated by SCP: prefer TunnelServiceV1Dot1 (c.V1Dot1.Tunnels).
type TunnelService struct {
	api resourceAPI[Tunnel, tunnelWire]
}

// Create starts building a tunnel from an ACTIVE gateway and returns it,
// usually in state CREATING; wait for it with WaitUntilActive. req is checked
// before anything is sent (see ValidationError).
//
// API: Create VPN Tunnel, POST /v1/vpn-tunnels, version 1.0 (202 Accepted).
func (s *TunnelService) Create(ctx context.Context, req *TunnelCreateRequest) (*Tunnel, error) {
	if err := checkRequest(s.api.client, "TunnelCreateRequest", req); err != nil {
		return nil, err
	}
	return s.api.create(ctx, req)
}

// Get returns the tunnel with the given id, with its Status; ErrNotFound
// when there is none. The pre-shared key is never returned.
//
// API: Show VPN Tunnel, GET /v1/vpn-tunnels/{vpn_tunnel_id}, version 1.0.
func (s *TunnelService) Get(ctx context.Context, id string) (*Tunnel, error) {
	return s.api.get(ctx, id)
}

// List returns one page of tunnels, filtered and sorted by opts (nil for the
// API's defaults). Tunnels in a list carry lighter phases and no Status.
//
// API: List VPN Tunnels, GET /v1/vpn-tunnels, version 1.0.
func (s *TunnelService) List(ctx context.Context, opts *TunnelListOptions) (*TunnelList, error) {
	if err := checkOptions(s.api.client, opts); err != nil {
		return nil, err
	}
	p, err := s.api.list(ctx, opts.encode())
	if err != nil {
		return nil, err
	}
	return &TunnelList{Count: p.Count, Page: p.Page, Size: p.Size, Sort: p.Sort, Tunnels: p.Items}, nil
}

// All yields every tunnel that matches opts, page after page, from opts.Page
// on; it stops at the first error, which it yields. opts is not modified.
func (s *TunnelService) All(ctx context.Context, opts *TunnelListOptions) iter.Seq2[*Tunnel, error] {
	if err := checkOptions(s.api.client, opts); err != nil {
		return func(yield func(*Tunnel, error) bool) { yield(nil, err) }
	}
	var o TunnelListOptions
	if opts != nil {
		o = *opts
	}
	return all(ctx, o.Page, func(ctx context.Context, n int) (*page[Tunnel], error) {
		q := o
		q.Page = n
		return s.api.list(ctx, q.encode())
	})
}

// Set changes what req sets and returns the tunnel, in state EDITING.
//
// API: Set VPN Tunnel, PUT /v1/vpn-tunnels/{vpn_tunnel_id}, version 1.0 (202 Accepted).
func (s *TunnelService) Set(ctx context.Context, id string, req *TunnelSetRequest) (*Tunnel, error) {
	if err := checkRequest(s.api.client, "TunnelSetRequest", req); err != nil {
		return nil, err
	}
	return s.api.set(ctx, id, req)
}

// Delete starts removing the tunnel; wait for it with WaitUntilDeleted.
//
// API: Delete VPN Tunnel, DELETE /v1/vpn-tunnels/{vpn_tunnel_id}, version 1.0 (202 Accepted).
func (s *TunnelService) Delete(ctx context.Context, id string) error {
	return s.api.delete(ctx, id)
}

// WaitUntilActive polls Get until the tunnel is ACTIVE and returns it; see
// GatewayService.WaitUntilActive.
func (s *TunnelService) WaitUntilActive(ctx context.Context, id string) (*Tunnel, error) {
	return waitUntilActive(ctx, s.api.client.wait, s.api.noun, id, s.Get)
}

// WaitUntilDeleted polls Get until the tunnel is gone (404) or DELETED; see
// GatewayService.WaitUntilDeleted.
func (s *TunnelService) WaitUntilDeleted(ctx context.Context, id string) error {
	return waitUntilDeleted(ctx, s.api.client.wait, s.api.noun, id, s.Get)
}

// TunnelServiceV1Dot1 manages VPN tunnels through version 1.1 of the API,
// where a tunnel reaches several remote subnets. Reach it as c.V1Dot1.Tunnels.
type TunnelServiceV1Dot1 struct {
	api resourceAPI[TunnelV1Dot1, tunnelV1Dot1Wire]
}

// Create starts building a tunnel from an ACTIVE gateway and returns it,
// usually in state CREATING; wait for it with WaitUntilActive. req is checked
// before anything is sent (see ValidationError).
//
// API: Create VPN Tunnel, POST /v1/vpn-tunnels, version 1.1 (202 Accepted).
func (s *TunnelServiceV1Dot1) Create(ctx context.Context, req *TunnelCreateRequestV1Dot1) (*TunnelV1Dot1, error) {
	if err := checkRequest(s.api.client, "TunnelCreateRequestV1Dot1", req); err != nil {
		return nil, err
	}
	return s.api.create(ctx, req)
}

// Get returns the tunnel with the given id, with its Status; ErrNotFound
// when there is none. The pre-shared key is never returned.
//
// API: Show VPN Tunnel, GET /v1/vpn-tunnels/{vpn_tunnel_id}, version 1.1.
func (s *TunnelServiceV1Dot1) Get(ctx context.Context, id string) (*TunnelV1Dot1, error) {
	return s.api.get(ctx, id)
}

// List returns one page of tunnels, filtered and sorted by opts (nil for the
// API's defaults). Tunnels in a list carry lighter phases and no Status.
//
// API: List VPN Tunnels, GET /v1/vpn-tunnels, version 1.1.
func (s *TunnelServiceV1Dot1) List(ctx context.Context, opts *TunnelListOptionsV1Dot1) (*TunnelListV1Dot1, error) {
	if err := checkOptions(s.api.client, opts); err != nil {
		return nil, err
	}
	p, err := s.api.list(ctx, opts.encode())
	if err != nil {
		return nil, err
	}
	return &TunnelListV1Dot1{Count: p.Count, Page: p.Page, Size: p.Size, Sort: p.Sort, Tunnels: p.Items}, nil
}

// All yields every tunnel that matches opts, page after page, from opts.Page
// on; it stops at the first error, which it yields. opts is not modified.
func (s *TunnelServiceV1Dot1) All(ctx context.Context, opts *TunnelListOptionsV1Dot1) iter.Seq2[*TunnelV1Dot1, error] {
	if err := checkOptions(s.api.client, opts); err != nil {
		return func(yield func(*TunnelV1Dot1, error) bool) { yield(nil, err) }
	}
	var o TunnelListOptionsV1Dot1
	if opts != nil {
		o = *opts
	}
	return all(ctx, o.Page, func(ctx context.Context, n int) (*page[TunnelV1Dot1], error) {
		q := o
		q.Page = n
		return s.api.list(ctx, q.encode())
	})
}

// Set changes what req sets and returns the tunnel, in state EDITING.
//
// API: Set VPN Tunnel, PUT /v1/vpn-tunnels/{vpn_tunnel_id}, version 1.1 (202 Accepted).
func (s *TunnelServiceV1Dot1) Set(ctx context.Context, id string, req *TunnelSetRequestV1Dot1) (*TunnelV1Dot1, error) {
	if err := checkRequest(s.api.client, "TunnelSetRequestV1Dot1", req); err != nil {
		return nil, err
	}
	return s.api.set(ctx, id, req)
}

// Delete starts removing the tunnel; wait for it with WaitUntilDeleted.
//
// API: Delete VPN Tunnel, DELETE /v1/vpn-tunnels/{vpn_tunnel_id}, version 1.1 (202 Accepted).
func (s *TunnelServiceV1Dot1) Delete(ctx context.Context, id string) error {
	return s.api.delete(ctx, id)
}

// WaitUntilActive polls Get until the tunnel is ACTIVE and returns it; see
// GatewayService.WaitUntilActive.
func (s *TunnelServiceV1Dot1) WaitUntilActive(ctx context.Context, id string) (*TunnelV1Dot1, error) {
	return waitUntilActive(ctx, s.api.client.wait, s.api.noun, id, s.Get)
}

// WaitUntilDeleted polls Get until the tunnel is gone (404) or DELETED; see
// GatewayService.WaitUntilDeleted.
func (s *TunnelServiceV1Dot1) WaitUntilDeleted(ctx context.Context, id string) error {
	return waitUntilDeleted(ctx, s.api.client.wait, s.api.noun, id, s.Get)
}

// encode returns the query of a version 1.0 tunnel list, without zero values.
func (o *TunnelListOptions) encode() string {
	if o == nil {
		return ""
	}
	var q query.Values
	q.Int("page", o.Page)
	q.Int("size", o.Size)
	q.String("sort", o.Sort)
	q.String("name", o.Name)
	q.String("vpn_gateway_id", o.VPNGatewayID)
	q.String("vpn_gateway_name", o.VPNGatewayName)
	q.String("peer_gateway_ip", o.PeerGatewayIP)
	q.String("remote_subnet", o.RemoteSubnet)
	return q.Encode()
}

// encode returns the query of a version 1.1 tunnel list, without zero values.
func (o *TunnelListOptionsV1Dot1) encode() string {
	if o == nil {
		return ""
	}
	var q query.Values
	q.Int("page", o.Page)
	q.Int("size", o.Size)
	q.String("sort", o.Sort)
	q.String("name", o.Name)
	q.String("vpn_gateway_id", o.VPNGatewayID)
	q.String("vpn_gateway_name", o.VPNGatewayName)
	return q.Encode()
}

// MarshalJSON sends nil Tags as the empty list the API defaults to.
func (r TunnelCreateRequest) MarshalJSON() ([]byte, error) {
	type plain TunnelCreateRequest
	p := plain(r)
	if p.Tags == nil {
		p.Tags = []Tag{}
	}
	return json.Marshal(p)
}

// MarshalJSON sends nil Tags as the empty list the API defaults to.
func (r TunnelCreateRequestV1Dot1) MarshalJSON() ([]byte, error) {
	type plain TunnelCreateRequestV1Dot1
	p := plain(r)
	if p.Tags == nil {
		p.Tags = []Tag{}
	}
	return json.Marshal(p)
}
