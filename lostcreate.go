package scpvpn

// This file holds how a create whose answer confirmed nothing is settled.
// A POST is never sent twice once it may have reached the service, so when
// that attempt's connection failed after it was sent, or it was answered
// 500, 502, 504 or a 4xx without the API's error body (a proxy's), or its
// 2xx answer was cut short or did not hold the resource (or held one that
// is not the request's doing, see madeAs), the service may or may not have
// made it. The SDK then lists the
// resources of the request's name where the request puts them, and takes
// the one that matches the request and was created since shortly before
// the call began for the create's result. When it finds none or several,
// or the clock of the resources' created_at is seen not to be the one the
// window was drawn on, the create's outcome is unknown: rerunning it could
// make a second one.

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/scpsdk/scpvpn/internal/validate"
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
// result, returned with Response.Settled. None or several, a read-back that
// fails, or one whose clocks disagree (see createReadBack.clash), leave the
// outcome unknown: an *OutcomeUnknownError wrapping err, with the
// candidates found.
func (a resourceAPI[T, W, A]) settleCreate(ctx context.Context, req createRequest[T], began time.Time, err error, co *callOptions) (*T, error) {
	unknown := &OutcomeUnknownError{Op: "create " + a.noun + " " + req.createdName(), Err: err}
	if ctx.Err() != nil {
		unknown.Found = notReadBack
		return nil, unknown
	}
	rb, rerr := a.findCreated(ctx, req, began, co.forInnerCall())
	if rerr != nil {
		unknown.Found = readBackFailed(rerr)
		return nil, unknown
	}
	found := rb.found
	if rb.clash != "" {
		// No window can be drawn: every resource that matches the request
		// may be the create's, or none.
		for _, x := range rb.alike {
			unknown.Candidates = append(unknown.Candidates, x)
		}
		unknown.Found = rb.clash + "; the clocks disagree, so what was created since the call began cannot be told: nothing is settled"
		if ids := idsOf(rb.alike); ids != "" {
			unknown.Found += fmt.Sprintf("; %d %ss named %s match the request: %s", len(rb.alike), a.noun, req.createdName(), ids)
		}
		return nil, unknown
	}
	if len(found) == 1 {
		co.markSettled()
		return found[0], nil
	}
	when := rb.since.UTC().Format(time.RFC3339)
	if len(found) == 0 {
		unknown.Found = fmt.Sprintf("no %s named %s matches the request, created since %s", a.noun, req.createdName(), when)
		return nil, unknown
	}
	for _, x := range found {
		unknown.Candidates = append(unknown.Candidates, x)
	}
	unknown.Found = fmt.Sprintf("%d %ss named %s match the request, created since %s: %s", len(found), a.noun, req.createdName(), when, idsOf(found))
	return nil, unknown
}

// idsOf returns the ids of rs, separated by commas.
func idsOf[T stateful](rs []*T) string {
	ids := make([]string, len(rs))
	for i, x := range rs {
		ids[i] = (*x).resourceID()
	}
	return strings.Join(ids, ", ")
}

// createReadBack is what reading back a create found.
type createReadBack[T any] struct {
	found []*T      // those that match the request and were created since
	since time.Time // the start of the window, on the service's clock
	// clash, when not "", says why the window cannot be trusted: a
	// resource listed was created, by its created_at, after the answer
	// that lists it was given (by its Date, or by the local clock when it
	// has none). Nothing made before an answer is created after it: the
	// clock of created_at is not the one the window was drawn on (a
	// proxy's Date, a created_at in another zone written without it, a
	// service's clock ahead of the local one), and an older resource may
	// fall inside the window.
	clash string
	alike []*T // when clash: those that match the request, whenever created
}

// findCreated lists every resource of the request's name where the request
// puts it, page after page, and returns those that match the request and
// were created at or after the window's start. A list's tunnels lack some
// phase fields: each one found is read whole and checked again.
func (a resourceAPI[T, W, A]) findCreated(ctx context.Context, req createRequest[T], began time.Time, co *callOptions) (createReadBack[T], error) {
	var rb createReadBack[T]
	seen := 0
	for n := 0; ; n++ {
		if n == maxReadBackPages {
			return rb, fmt.Errorf("more than %d pages of %ss named %s", maxReadBackPages, a.noun, req.createdName())
		}
		p, res, err := a.listPage(ctx, n, req.readBackQuery(n), 0, co)
		if err == nil {
			err = a.pastCount(n, len(p.items), p.count, seen)
		}
		if err != nil {
			return rb, err
		}
		answered := time.Now()
		if n == 0 {
			rb.since = createdSince(res.Header, began, answered)
		}
		latest, clock := createdBefore(res.Header, answered)
		for i := range p.items {
			x := &p.items[i]
			created := (*x).creationTime()
			if rb.clash == "" && created.After(latest) {
				rb.clash = fmt.Sprintf("%s %s was created at %s, after the answer that lists it was given (%s)",
					a.noun, (*x).resourceID(), created.UTC().Format(time.RFC3339), clock)
			}
			if !req.madeAs(x, !a.listedWhole) {
				continue
			}
			rb.alike = append(rb.alike, x)
			if !created.Before(rb.since) {
				rb.found = append(rb.found, x)
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
	if rb.clash != "" || a.listedWhole {
		return rb, nil
	}
	whole := rb.found[:0]
	for _, x := range rb.found {
		r, err := a.get(ctx, (*x).resourceID(), co)
		if err != nil {
			return rb, err
		}
		if req.madeAs(r, false) {
			whole = append(whole, r)
		}
	}
	rb.found = whole
	return rb, nil
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

// createdBefore returns the latest time, on the clock the window is drawn
// on, that a resource listed by an answer received at answered can have
// been created at, and says which clock that is, for messages: the
// answer's Date, plus createdSlack; without a Date, the local clock, plus
// noDateSlack. A created_at after it shows that the clocks disagree.
func createdBefore(h http.Header, answered time.Time) (time.Time, string) {
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		return date.Add(createdSlack), "its Date is " + date.UTC().Format(time.RFC3339)
	}
	now := answered.Round(0)
	return now.Add(noDateSlack), "it has no Date, and the local clock read " + now.UTC().Format(time.RFC3339)
}

// The methods below tell where a create request's result is listed. What
// it made is checked by its madeAs, beside its declaration (models.go,
// models_v1_0.go, models_v1_1.go), with the helpers after them: every field
// of the request that the API reads back is compared, IP addresses and
// subnets as such (10.1.0.0/16 is 10.1.0.0/16 however it is written, as
// 010.001.0.0/016 or 10.1.2.3/16), lists
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

// sameIP reports whether two texts are the same IP address, read as the
// SDK's checks read them (leading zeros allowed: 123.000.000.002 is
// 123.0.0.2), or the same text when either is not one.
func sameIP(a, b string) bool {
	if a == b {
		return true
	}
	x, okA := validate.ParseAddr(a)
	y, okB := validate.ParseAddr(b)
	if !okA || !okB {
		return a == b
	}
	return x == y
}

// sameSubnet reports whether two texts are the same network, or the same
// text when either is not one.
func sameSubnet(a, b string) bool { return subnet(a) == subnet(b) }

// subnet returns the network s writes, in its canonical form (read as the
// SDK's checks read it: 010.1.1.7/024 is 10.1.1.0/24), or s when it writes
// none.
func subnet(s string) string {
	if p, ok := validate.ParsePrefix(s); ok {
		return p.String()
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
