package scpvpn

// This file holds the gateway service: the calls on VPN gateways, the same
// in both versions of the API.

import (
	"context"
	"iter"
)

// GatewayService manages VPN gateways. Versions 1.0 and 1.1 of the API treat
// gateways alike; c.V1Dot1.Gateways and c.V1Dot0.Gateways differ only in the
// Scp-Api-Version they send.
type GatewayService struct {
	api resourceAPI[Gateway, gatewayWire, gatewayAnswer]
}

// Create starts building a gateway and returns it, usually in state CREATING;
// wait for it with WaitUntilActive. req is checked before anything is sent
// (see ValidationError).
//
// When the create may have reached the service but no answer says what it
// made (the connection failed after sending, a 500, 502 or 504, a 4xx
// without the API's error body, such as a proxy's 404 page or 429, a 2xx
// without the gateway, or with one that does not hold what req asks for:
// another's record, served by a proxy or cache), Create lists the gateways of req.Name in req.VPCID and keeps
// those that match every field of req the API reads back (all but the tags)
// and were created since the call began. That moment is read on the
// service's clock, so that the local clock need not agree with it: the Date
// of the list's answer, less how long the call had taken by the local
// monotonic clock, less 2 seconds for the whole seconds of Date and
// created_at; without a Date, the local clock less one minute. Exactly one
// is returned, with Response.Settled; none or several give an
// *OutcomeUnknownError (ErrOutcomeUnknown) holding them, and the gateway
// may exist: check before creating it again.
//
// That window holds only if created_at is read on the clock of the Date.
// A gateway of the list (a candidate or any other of the name) created
// after the answer that lists it was given, by more than those 2 seconds
// (or, without a Date, more than a minute after the local clock's now),
// shows that it is not: a proxy's Date, a created_at in another zone
// written without one, a service's clock ahead of the local one. Nothing
// is settled then, whatever the window holds: the outcome is unknown, its
// Found says the clocks disagree, and its Candidates are every gateway
// that matches req, whenever created.
//
// API: Create VPN Gateway, POST /v1/vpn-gateways (202 Accepted).
func (s *GatewayService) Create(ctx context.Context, req *GatewayCreateRequest, opts ...CallOption) (*Gateway, error) {
	co, err := begin(opts)
	if err != nil {
		return nil, err
	}
	return s.api.create(ctx, req, co)
}

// Get returns the gateway with the given id; ErrNotFound when there is none.
// An answer about another gateway, or one without its id, state or
// created_at, matches ErrUnexpectedAnswer.
//
// API: Show VPN Gateway, GET /v1/vpn-gateways/{vpn_gateway_id}.
func (s *GatewayService) Get(ctx context.Context, id string, opts ...CallOption) (*Gateway, error) {
	co, err := begin(opts)
	if err != nil {
		return nil, err
	}
	return s.api.get(ctx, id, co)
}

// List returns one page of gateways, filtered and sorted by opts (nil for
// the API's defaults: page 0 of 20). All walks every page; HasNext tells
// whether another page may follow.
//
// An answer that contradicts itself or the question matches
// ErrUnexpectedAnswer (what a cache that ignores the query gives): a page
// other than opts.Page, more gateways than its count leaves after the
// pages before it (each full, so holding at least as many as this page,
// whatever size was asked or answered: a service may cap its pages below
// the size asked), a gateway without an id, or, with opts.VPCID, a gateway
// of another VPC. A page with fewer gateways than that is taken: the
// service's lists are eventually consistent.
//
// API: List VPN Gateways, GET /v1/vpn-gateways.
func (s *GatewayService) List(ctx context.Context, opts *GatewayListOptions, o ...CallOption) (*GatewayList, error) {
	co, err := begin(o)
	if err != nil {
		return nil, err
	}
	p, err := s.api.list(ctx, opts, co)
	if err != nil {
		return nil, err
	}
	return &GatewayList{Count: p.count, Page: p.page, Size: p.size, Sort: p.sort, Gateways: p.items}, nil
}

// All yields every gateway that matches opts, page after page, from opts.Page
// on, with opts.Size per page; it stops at the first error, which it yields,
// at an empty page, or once the gateways of the pages before opts.Page and
// those it yielded reach the count. The pages before opts.Page are counted
// as full pages of the size when the first page All reads is full; when it
// is short, as at least opts.Page times its gateways, so that a service
// that caps its pages is walked to the end, and then a later answer that is
// an earlier page than asked, or repeats a gateway of the page before it (a
// service that answers a page past the end with its last page), ends All
// without yielding it. Each page is checked as List checks it. opts is not
// modified, and is read once, when All is called.
func (s *GatewayService) All(ctx context.Context, opts *GatewayListOptions, o ...CallOption) iter.Seq2[*Gateway, error] {
	co, err := begin(o)
	if err != nil {
		return failed[Gateway](err)
	}
	return s.api.all(ctx, copied(opts), co)
}

// Set changes the gateway's description and returns the gateway.
//
// API: Set VPN Gateway, PUT /v1/vpn-gateways/{vpn_gateway_id}.
func (s *GatewayService) Set(ctx context.Context, id string, req *GatewaySetRequest, opts ...CallOption) (*Gateway, error) {
	co, err := begin(opts)
	if err != nil {
		return nil, err
	}
	return s.api.set(ctx, id, req, co)
}

// Delete starts removing the gateway; wait for it with WaitUntilDeleted. The
// API refuses (ErrConflict) while the gateway has tunnels or is not ACTIVE.
//
// The API answers 202 with no body. A 2xx with a body, even JSON (a
// proxy's or CDN's HTML page, a default backend's {"status":"UP"}, an
// error body in a 200), is not the service's: like an answer that was
// lost, a 5xx or a 4xx without the API's error body, it is settled by
// reading the gateway back (see RetryPolicy): nil with Response.Settled
// when the gateway is DELETING, DELETED or gone, an error matching
// ErrOutcomeUnknown otherwise.
//
// API: Delete VPN Gateway, DELETE /v1/vpn-gateways/{vpn_gateway_id} (202 Accepted).
func (s *GatewayService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	co, err := begin(opts)
	if err != nil {
		return err
	}
	return s.api.delete(ctx, id, co)
}

// Quota returns how many gateways may exist and how many do, in the account
// or, with opts.VPCID, in that VPC.
//
// API: Get VPN Gateway Quotas, GET /v1/vpn-gateways/metrics/quotas.
func (s *GatewayService) Quota(ctx context.Context, opts *GatewayQuotaOptions, o ...CallOption) (*GatewayQuota, error) {
	co, err := begin(o)
	if err != nil {
		return nil, err
	}
	return quota[GatewayQuota](ctx, s.api.caller, gatewaysPath+"/metrics/quotas", opts.query(), co)
}

// WaitUntilActive polls Get until the gateway is ACTIVE and returns it, under
// the client's WaitPolicy (or WithCallWaitPolicy's). It returns an error
// wrapping ErrResourceFailed (a *ResourceFailedError holding the gateway) if
// the gateway reaches ERROR, an error if it is being deleted, the context's
// error when ctx ends first, and Get's error if Get fails. With an error it
// also returns the gateway as last read, if it read one. opts apply to every
// Get. A state it does not know (one the service adds later) is polled
// through like CREATING, so bound the wait with ctx.
func (s *GatewayService) WaitUntilActive(ctx context.Context, id string, opts ...CallOption) (*Gateway, error) {
	co, err := begin(opts)
	if err != nil {
		return nil, err
	}
	return s.api.waitUntilActive(ctx, id, co)
}

// WaitUntilDeleted polls Get until the gateway is gone (the service answers
// 404, ErrNotFound) or DELETED, under the client's WaitPolicy (or
// WithCallWaitPolicy's). It returns an error wrapping ErrResourceFailed if
// the gateway reaches ERROR, the context's error when ctx ends first, and
// Get's error if Get fails otherwise: a 404 that is not the service's
// (ErrUnexpectedAnswer: a proxy's, a wrong path) is such an error, not
// "gone". opts apply to every Get.
func (s *GatewayService) WaitUntilDeleted(ctx context.Context, id string, opts ...CallOption) error {
	co, err := begin(opts)
	if err != nil {
		return err
	}
	return s.api.waitUntilDeleted(ctx, id, co)
}

func (o *GatewayListOptions) paging() (page, size int) {
	if o == nil {
		return 0, 0
	}
	return o.Page, o.Size
}

// query returns the query of page of a gateway list, without zero values.
func (o *GatewayListOptions) query(page int) string {
	var c GatewayListOptions
	if o != nil {
		c = *o
	}
	var q queryOf
	q.int("page", page)
	q.int("size", c.Size)
	q.string("sort", c.Sort)
	q.string("name", c.Name)
	q.string("ip_address", c.IPAddress)
	q.string("vpc_id", c.VPCID)
	q.string("vpc_name", c.VPCName)
	return q.encode()
}

func (o *GatewayQuotaOptions) query() string {
	var q queryOf
	if o != nil {
		q.string("vpc_id", o.VPCID)
	}
	return q.encode()
}

// parentID is the gateway's VPC, which a list's vpc_id filter names.
func (x Gateway) parentID() string { return x.VPCID }
