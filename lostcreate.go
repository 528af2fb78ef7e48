package scpvpn

// This file holds how a create whose answer confirmed nothing is settled.
// A POST is never sent twice once it may have reached the service, so when
// that attempt's connection failed after it was sent, or it was answered
// 500, 502 or 504, or its 2xx answer was cut short or did not hold the resource,
// the service may or may not have made it. The SDK then lists the
// resources of the request's name where the request puts them, and takes
// the one that matches the request and was created since shortly before
// the call began for the create's result. When it finds none or several,
// the create's outcome is unknown: rerunning it could make a second one.

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"
)

const (
	// createdSlack widens the window of creation times that the service's
	// clock gives: its Date header and created_at may each be in whole
	// seconds.
	createdSlack = 2 * time.Second
	// noDateSlack is how far before the call began, on the local clock, a
	// resource may have been created when the read-back's answer has no
	// Date: the local and the service's clocks may disagree that much.
	noDateSlack = time.Minute
	// maxReadBackPages bounds the pages of a read-back: a name in one VPC
	// or gateway is held by a handful of resources (the service's quotas
	// are 3 gateways per account, 5 tunnels per gateway).
	maxReadBackPages = 10
)

// createRequest is a create request of resource T, as the read-back sees
// it.
type createRequest[T any] interface {
	// createdName is the name the request gives the resource.
	createdName() string
	// readBackQuery returns the query of page n of the resources with that
	// name where the request puts it: the same VPC for a gateway, the same
	// gateway for a tunnel.
	readBackQuery(page int) string
	// madeAs reports whether x holds every value of the request that the
	// API reads back; listed is true for an item of a list, whose tunnel
	// phases leave out their groups and proposals.
	madeAs(x *T, listed bool) bool
}

// settleCreate looks for what a create may have made. Exactly one resource
// that matches the request (see madeAs) and was created since the call
// began, on the service's clock (see createdSince), is the create's
// result, returned with Response.Settled. None or several, or a read-back
// that fails, leave the outcome unknown: an *OutcomeUnknownError wrapping
// err, with the candidates found.
func (a resourceAPI[T, W]) settleCreate(ctx context.Context, req createRequest[T], began time.Time, err error, co *callOptions) (*T, error) {
	unknown := &OutcomeUnknownError{Op: "create " + a.noun + " " + req.createdName(), Err: err}
	if ctx.Err() != nil {
		unknown.Found = notReadBack
		return nil, unknown
	}
	found, since, rerr := a.findCreated(ctx, req, began, co.forInnerCall())
	if rerr != nil {
		unknown.Found = readBackFailed(rerr)
		return nil, unknown
	}
	if len(found) == 1 {
		co.markSettled()
		return found[0], nil
	}
	when := since.UTC().Format(time.RFC3339)
	if len(found) == 0 {
		unknown.Found = fmt.Sprintf("no %s named %s matches the request, created since %s", a.noun, req.createdName(), when)
		return nil, unknown
	}
	ids := make([]string, len(found))
	for i, x := range found {
		ids[i] = (*x).resourceID()
		unknown.Candidates = append(unknown.Candidates, x)
	}
	unknown.Found = fmt.Sprintf("%d %ss named %s match the request, created since %s: %s", len(found), a.noun, req.createdName(), when, strings.Join(ids, ", "))
	return nil, unknown
}

// findCreated lists every resource of the request's name where the request
// puts it, page after page, and returns those that match the request and
// were created at or after since, which it returns too. A list's tunnels
// lack some phase fields: each one found is read whole and checked again.
func (a resourceAPI[T, W]) findCreated(ctx context.Context, req createRequest[T], began time.Time, co *callOptions) ([]*T, time.Time, error) {
	var found []*T
	var since time.Time
	seen := 0
	for n := 0; ; n++ {
		if n == maxReadBackPages {
			return nil, since, fmt.Errorf("more than %d pages of %ss named %s", maxReadBackPages, a.noun, req.createdName())
		}
		p, res, err := listWithResult[T, W, readBackPage[T]](ctx, a, req.readBackQuery(n), 0, co)
		if err != nil {
			return nil, since, err
		}
		if n == 0 {
			since = createdSince(res.Header, began, time.Now())
		}
		if p.page != n {
			return nil, since, unexpectedAnswer(nil, "scpvpn: GET %s: asked for page %d, the answer is page %d", a.collection, n, p.page)
		}
		for i := range p.items {
			x := &p.items[i]
			if !(*x).creationTime().Before(since) && req.madeAs(x, !a.listedWhole) {
				found = append(found, x)
			}
		}
		seen += len(p.items)
		size := p.size
		if size <= 0 {
			size = defaultPageSize
		}
		// The last page is short, and ends what count says there is: a
		// count or page size that is wrong is not trusted alone.
		if len(p.items) == 0 || len(p.items) < size && seen >= p.count {
			break
		}
	}
	if a.listedWhole {
		return found, since, nil
	}
	whole := found[:0]
	for _, x := range found {
		r, err := a.get(ctx, (*x).resourceID(), co)
		if err != nil {
			return nil, since, err
		}
		if req.madeAs(r, false) {
			whole = append(whole, r)
		}
	}
	return whole, since, nil
}

// createdSince returns the earliest time, on the service's clock, that a
// resource made by a call begun at began can have been created at. The
// service's clock is read from the Date header of the read-back's answer,
// received at answered: the call began as long before that Date as the
// local clock measured (its monotonic reading, which no clock change
// moves), less createdSlack for the whole seconds of Date and created_at.
// So the window does not depend on the local clock agreeing with the
// service's. Without a Date it is the local clock's began, less
// noDateSlack.
func createdSince(h http.Header, began, answered time.Time) time.Time {
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		return date.Add(-answered.Sub(began) - createdSlack)
	}
	return began.Round(0).Add(-noDateSlack)
}

// readBackPage is a page of a read-back's list.
type readBackPage[T any] struct {
	count, page, size int
	items             []T
}

func (p *readBackPage[T]) fields() pageFields[T] {
	return pageFields[T]{count: &p.count, page: &p.page, size: &p.size, items: &p.items}
}

// The methods below tell where a create request's result is listed. What
// it made is checked by its madeAs, beside its declaration (models.go,
// models_v1_0.go, models_v1_1.go), with the helpers after them: every field
// of the request that the API reads back is compared, IP addresses and
// subnets as such (10.1.0.0/16 is 10.1.0.0/16 however it is written), lists
// as sets, as the service may keep them in another order.

func (r *GatewayCreateRequest) createdName() string { return r.Name }

func (r *GatewayCreateRequest) readBackQuery(page int) string {
	return (&GatewayListOptions{Name: r.Name, VPCID: r.VPCID}).query(page)
}

func (r *TunnelCreateRequest) createdName() string { return r.Name }

func (r *TunnelCreateRequest) readBackQuery(page int) string {
	return (&TunnelListOptions{Name: r.Name, VPNGatewayID: r.VPNGatewayID}).query(page)
}

func (r *TunnelCreateRequestV1Dot1) createdName() string { return r.Name }

func (r *TunnelCreateRequestV1Dot1) readBackQuery(page int) string {
	return (&TunnelListOptionsV1Dot1{Name: r.Name, VPNGatewayID: r.VPNGatewayID}).query(page)
}

// sameIP reports whether two texts are the same IP address, or the same
// text when either is not one.
func sameIP(a, b string) bool {
	x, errA := netip.ParseAddr(a)
	y, errB := netip.ParseAddr(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return x == y
}

// sameSubnet reports whether two texts are the same network, or the same
// text when either is not one.
func sameSubnet(a, b string) bool { return subnet(a) == subnet(b) }

// subnet returns the network s writes, in its canonical form, or s when it
// writes none.
func subnet(s string) string {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked().String()
	}
	return s
}

func subnets(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = subnet(s)
	}
	return out
}

// sameSet reports whether two lists hold the same values, in any order.
func sameSet[E comparable](a, b []E) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	for _, y := range b {
		if !slices.Contains(a, y) {
			return false
		}
	}
	return true
}
