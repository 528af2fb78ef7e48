package scpvpn

import (
	"context"
	"encoding/json"
	"iter"

	"github.com/scpsdk/scpvpn/internal/query"
)

// GatewayService manages VPN gateways. Versions 1.0 and 1.1 of the API treat
// gateways alike; c.V1Dot1.Gateways and c.V1Dot0.Gateways differ only in the
// Scp-Api-Version they send.
type GatewayService struct {
	api resourceAPI[Gateway, gatewayWire]
}

// Create starts building a gateway and returns it, usually in state CREATING;
// wait for it with WaitUntilActive. req is checked before anything is sent
// (see ValidationError).
//
// API: Create VPN Gateway, POST /v1/vpn-gateways (202 Accepted).
func (s *GatewayService) Create(ctx context.Context, req *GatewayCreateRequest) (*Gateway, error) {
	if err := checkRequest(s.api.client, "GatewayCreateRequest", req); err != nil {
		return nil, err
	}
	return s.api.create(ctx, req)
}

// Get returns the gateway with the given id; ErrNotFound when there is none.
//
// API: Show VPN Gateway, GET /v1/vpn-gateways/{vpn_gateway_id}.
func (s *GatewayService) Get(ctx context.Context, id string) (*Gateway, error) {
	return s.api.get(ctx, id)
}

// List returns one page of gateways, filtered and sorted by opts (nil for
// the API's defaults: page 0 of 20). All walks every page.
//
// API: List VPN Gateways, GET /v1/vpn-gateways.
func (s *GatewayService) List(ctx context.Context, opts *GatewayListOptions) (*GatewayList, error) {
	if err := checkOptions(s.api.client, opts); err != nil {
		return nil, err
	}
	p, err := s.api.list(ctx, opts.encode())
	if err != nil {
		return nil, err
	}
	return &GatewayList{Count: p.Count, Page: p.Page, Size: p.Size, Sort: p.Sort, Gateways: p.Items}, nil
}

// All yields every gateway that matches opts, page after page, from opts.Page
// on, with opts.Size per page; it stops at the first error, which it yields.
// opts is not modified.
func (s *GatewayService) All(ctx context.Context, opts *GatewayListOptions) iter.Seq2[*Gateway, error] {
	if err := checkOptions(s.api.client, opts); err != nil {
		return func(yield func(*Gateway, error) bool) { yield(nil, err) }
	}
	var o GatewayListOptions
	if opts != nil {
		o = *opts
	}
	return all(ctx, o.Page, func(ctx context.Context, n int) (*page[Gateway], error) {
		q := o
		q.Page = n
		return s.api.list(ctx, q.encode())
	})
}

// Set changes the gateway's description and returns the gateway.
//
// API: Set VPN Gateway, PUT /v1/vpn-gateways/{vpn_gateway_id}.
func (s *GatewayService) Set(ctx context.Context, id string, req *GatewaySetRequest) (*Gateway, error) {
	if err := checkRequest(s.api.client, "GatewaySetRequest", req); err != nil {
		return nil, err
	}
	return s.api.set(ctx, id, req)
}

// Delete starts removing the gateway; wait for it with WaitUntilDeleted. The
// API refuses (ErrConflict) while the gateway has tunnels or is not ACTIVE.
//
// API: Delete VPN Gateway, DELETE /v1/vpn-gateways/{vpn_gateway_id} (202 Accepted).
func (s *GatewayService) Delete(ctx context.Context, id string) error {
	return s.api.delete(ctx, id)
}

// WaitUntilActive polls Get until the gateway is ACTIVE and returns it, under
// the client's WaitPolicy. It returns an error wrapping ErrResourceFailed
// (a *ResourceFailedError holding the gateway) if the gateway reaches ERROR,
// an error if it is being deleted, the context's error when ctx ends first,
// and Get's error if Get fails. With an error it also returns the gateway as
// last read, if it read one.
func (s *GatewayService) WaitUntilActive(ctx context.Context, id string) (*Gateway, error) {
	return waitUntilActive(ctx, s.api.client.wait, s.api.noun, id, s.Get)
}

// WaitUntilDeleted polls Get until the gateway is gone (404) or DELETED,
// under the client's WaitPolicy. It returns an error wrapping
// ErrResourceFailed if the gateway reaches ERROR, the context's error when
// ctx ends first, and Get's error if Get fails otherwise.
func (s *GatewayService) WaitUntilDeleted(ctx context.Context, id string) error {
	return waitUntilDeleted(ctx, s.api.client.wait, s.api.noun, id, s.Get)
}

// encode returns the query of a gateway list, without zero values.
func (o *GatewayListOptions) encode() string {
	if o == nil {
		return ""
	}
	var q query.Values
	q.Int("page", o.Page)
	q.Int("size", o.Size)
	q.String("sort", o.Sort)
	q.String("name", o.Name)
	q.String("ip_address", o.IPAddress)
	q.String("vpc_id", o.VPCID)
	q.String("vpc_name", o.VPCName)
	return q.Encode()
}

// MarshalJSON sends nil Tags as the empty list the API defaults to.
func (r GatewayCreateRequest) MarshalJSON() ([]byte, error) {
	type plain GatewayCreateRequest
	p := plain(r)
	if p.Tags == nil {
		p.Tags = []Tag{}
	}
	return json.Marshal(p)
}
