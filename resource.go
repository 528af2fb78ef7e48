package scpvpn

// This file holds the resource calls: the operations of one resource in
// one API version (create, get, list and the walk over every page, set,
// delete), written once for gateways and both versions' tunnels. Each reads
// top to bottom: check what it is given, build the call, send it (send, in
// request.go), and decode what came back through the resource's own types
// (its wire form and its answer, in models*.go). The services
// (vpngateway.go, vpntunnel.go) are typed fronts over these calls; what a
// Set, a Delete or a create does when its answer was lost is in
// lostanswer.go and lostcreate.go.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"time"

	"github.com/scpsdk/scpvpn/internal/rest"
	"github.com/scpsdk/scpvpn/internal/validate"
)

// Collection paths of the API.
const (
	gatewaysPath = "/v1/vpn-gateways"
	tunnelsPath  = "/v1/vpn-tunnels"
)

// resourceAPI is one resource in one API version. T is the resource, W the
// form it is decoded in (see gatewayWire), and A an answer that holds one
// (see gatewayAnswer): each resource reads its answers through types of
// its own.
type resourceAPI[T stateful, W wire[T], A answer[W]] struct {
	caller
	collection string
	noun       string // for messages: "VPN gateway"
	itemKey    string // for messages: the key of an answer holding one, "vpn_gateway"
	listKey    string // of a list answer's items: "vpn_gateways"
	// parentKey is the list filter that names, exactly, what holds the
	// resource ("vpc_id", "vpn_gateway_id"): every item of a list it
	// filters must be held by that one (see parentID).
	parentKey string
	// listedWhole is whether a list's items hold every field Get does
	// (gateways); a tunnel's phases in a list leave out their groups and
	// proposals.
	listedWhole bool
}

// caller sends the calls of one API version through a client.
type caller struct {
	client *Client
	header http.Header // Scp-Api-Version; shared by every call, never written
}

// wire is the decoding form of a model T.
type wire[T any] interface {
	model() T
}

// answer is an answer that holds one resource, in its decoding form W:
// held returns it, or nil when the answer holds none.
type answer[W any] interface {
	held() *W
}

// stateful is a resource with a life cycle, an id, a creation time and
// what holds it.
type stateful interface {
	lifecycleState() State
	resourceID() string
	creationTime() time.Time
	// parentID is the id of what holds the resource, which its list's
	// exact-match filter names: a gateway's VPC, a tunnel's gateway.
	parentID() string
}

func newGatewayAPI(c *Client, version string) resourceAPI[Gateway, gatewayWire, gatewayAnswer] {
	return resourceAPI[Gateway, gatewayWire, gatewayAnswer]{caller: caller{c, versionHeader(version)}, collection: gatewaysPath,
		noun: "VPN gateway", itemKey: "vpn_gateway", listKey: "vpn_gateways", parentKey: "vpc_id", listedWhole: true}
}

func newTunnelAPI[T stateful, W wire[T], A answer[W]](c *Client, version string) resourceAPI[T, W, A] {
	return resourceAPI[T, W, A]{caller: caller{c, versionHeader(version)}, collection: tunnelsPath,
		noun: "VPN tunnel", itemKey: "vpn_tunnel", listKey: "vpn_tunnels", parentKey: "vpn_gateway_id"}
}

func versionHeader(version string) http.Header {
	return http.Header{HeaderAPIVersion: {version}}
}

// The operations. Each takes the call's options parsed by begin, which
// every service method calls first.

// create makes a resource: POST collection. When the service may have
// acted on it but no answer says what it made, settleCreate looks for it.
// An answer about a resource that the request did not make (see madeAs: a
// proxy or cache answering with another's record) says nothing of what it
// made either.
func (a resourceAPI[T, W, A]) create(ctx context.Context, req creatable[T], co *callOptions) (*T, error) {
	if err := checkRequest(a.client, req); err != nil {
		return nil, err
	}
	began := time.Now()
	var ans A
	res, err := a.client.send(ctx, a.oneCall(http.MethodPost, a.collection, req, &ans), co)
	var r *T
	if err == nil {
		r, err = a.heldIn(ans, http.MethodPost, a.collection, "")
	}
	if err == nil && !req.madeAs(r, false) {
		r, err = nil, unexpectedAnswer(nil, "scpvpn: POST %s: the answer is about %s %q, which does not hold what the request asked for", a.collection, a.noun, (*r).resourceID())
	}
	if err == nil || !res.MayHaveActed {
		return r, err
	}
	return a.settleCreate(ctx, req, began, err, co)
}

// get reads one resource: GET collection/id.
func (a resourceAPI[T, W, A]) get(ctx context.Context, id string, co *callOptions) (*T, error) {
	path, err := a.itemPath(id)
	if err != nil {
		return nil, err
	}
	var ans A
	if _, err := a.client.send(ctx, a.oneCall(http.MethodGet, path, nil, &ans), co); err != nil {
		return nil, err
	}
	return a.heldIn(ans, http.MethodGet, path, id)
}

// set changes a resource: PUT collection/id. When the call failed after the
// service may have acted on it, settleSet decides.
func (a resourceAPI[T, W, A]) set(ctx context.Context, id string, req settable[T], co *callOptions) (*T, error) {
	path, err := a.itemPath(id) // a bad id is the first thing to hear of
	if err == nil {
		err = checkRequest(a.client, req)
	}
	if err != nil {
		return nil, err
	}
	var ans A
	res, err := a.client.send(ctx, a.oneCall(http.MethodPut, path, req, &ans), co)
	var r *T
	if err == nil {
		r, err = a.heldIn(ans, http.MethodPut, path, id)
	}
	if err == nil || !res.MayHaveActed {
		return r, err
	}
	return a.settleSet(ctx, id, err, req.heldBy, co)
}

// delete removes a resource: DELETE collection/id, answered 202 Accepted
// with no body. Only that answer is done at once. When the call failed
// after the service may have acted on it, settleDelete decides; so it does
// when a 2xx holds what the API never answers (see noContent: a proxy's
// page), and when an empty 2xx is not a 202: an empty 200 or a 204 is what
// a default backend or a fixed-response rule (nginx's `return 200;`)
// gives, none of which passed the call on. Neither confirms anything.
func (a resourceAPI[T, W, A]) delete(ctx context.Context, id string, co *callOptions) error {
	path, err := a.itemPath(id)
	if err != nil {
		return err
	}
	cl := &call{method: http.MethodDelete, path: path, header: a.header, maxBody: maxItemAnswer, decode: noContent}
	res, err := a.client.send(ctx, cl, co)
	if err == nil && res.StatusCode != http.StatusAccepted {
		err = unexpectedAnswer(nil, "scpvpn: DELETE %s: the answer is %d with no body, not the API's %d", path, res.StatusCode, http.StatusAccepted)
	}
	if err == nil || !res.MayHaveActed {
		return err
	}
	return a.settleDelete(ctx, id, err, co)
}

// list returns the page of resources that opts ask for.
func (a resourceAPI[T, W, A]) list(ctx context.Context, opts listOptions, co *callOptions) (*page[T], error) {
	if err := checkOptions(a.client, opts); err != nil {
		return nil, err
	}
	n, size := opts.paging()
	p, _, err := a.listPage(ctx, n, opts.query(n), size, co)
	return p, err
}

// all yields every resource that opts ask for, from their page on (see
// walk). opts must not change while it runs: the services give it a copy.
func (a resourceAPI[T, W, A]) all(ctx context.Context, opts listOptions, co *callOptions) iter.Seq2[*T, error] {
	if err := checkOptions(a.client, opts); err != nil {
		return failed[T](err)
	}
	start, size := opts.paging()
	return a.walk(ctx, start, size, opts.query, co)
}

// oneCall is a call whose answer holds one resource, decoded into ans.
func (a resourceAPI[T, W, A]) oneCall(method, path string, body any, ans *A) *call {
	return &call{method: method, path: path, header: a.header, body: body, maxBody: maxItemAnswer,
		decode: func(r io.Reader) error { return decodeObject(r, ans) }}
}

// heldIn returns the resource of an answer, which must have an id, a state
// and a creation time, and be id when that is not "": an answer about
// another resource (a cache keyed wrongly, a router serving the wrong item)
// would be taken for this one's, by Get, by the waiters and by the
// read-backs that settle lost answers, and one without a state would be
// polled by the waiters until their context ended.
func (a resourceAPI[T, W, A]) heldIn(ans A, method, path, id string) (*T, error) {
	w := ans.held()
	if w == nil {
		return nil, unexpectedAnswer(nil, "scpvpn: %s %s: the answer holds no %s (no %q)", method, path, a.noun, a.itemKey)
	}
	m := (*w).model()
	if field := lacks(m); field != "" {
		return nil, unexpectedAnswer(nil, "scpvpn: %s %s: the answer's %s has no %s", method, path, a.noun, field)
	}
	if got := m.resourceID(); id != "" && got != id {
		return nil, unexpectedAnswer(nil, "scpvpn: %s %s: the answer is about %s %q, not %q", method, path, a.noun, got, id)
	}
	return &m, nil
}

// lacks names the first field that the API's schema requires of every
// resource and that m lacks (its id, state or created_at), or "".
func lacks[T stateful](m T) string {
	switch {
	case m.resourceID() == "":
		return "id"
	case m.lifecycleState() == "":
		return "state"
	case m.creationTime().IsZero():
		return "created_at"
	}
	return ""
}

// noContent reads the answer of a call whose answer holds nothing (a
// Delete's 202, documented with no body): it may be empty or JSON's white
// space (space, tab, LF, CR; RFC 8259), not Unicode's (a form feed, a
// no-break space: an "empty" HTML page's &nbsp;). Anything else (a proxy's or a CDN's HTML page, a captive portal, text, a
// default backend's {"status":"UP"}, even the API's error body in a 2xx)
// is not the API's answer to it, whatever its status: the service may
// never have seen the call.
func noContent(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(bytes.Trim(b, jsonSpace)) == 0 {
		return nil
	}
	return errNotEmpty
}

// jsonSpace is JSON's white space (RFC 8259, section 2).
const jsonSpace = " \t\n\r"

// errNotEmpty is a successful answer with a body where the API gives none.
var errNotEmpty = errors.New("the answer has a body, which the API's answer does not")

// page is one page of a list answer. The services hand it out as their
// list types (GatewayList, TunnelList, TunnelListV1Dot1).
type page[T any] struct {
	count, page, size int
	sort              []string
	items             []T
	// before is the fewest items the pages before this one can hold: each
	// is full, so holds at least as many as this one (see checkPage); set
	// only when the page holds items.
	before int
}

// fetchPage sends GET collection?query for page n and returns the page it
// answers, and what is known of the attempts. size is the page size asked
// for (0: the API's default), which bounds how many items the answer may
// hold. An answer that holds an item without an id or, when the query
// filters by what holds them (parentKey), an item held by another is
// refused with ErrUnexpectedAnswer (a server or cache that ignores the
// query answers another question). The page is not checked against the
// question: see checkPage.
func (a resourceAPI[T, W, A]) fetchPage(ctx context.Context, n int, query string, size int, co *callOptions) (*page[T], rest.Result, error) {
	limit := size
	if limit <= 0 {
		limit = defaultPageSize
	}
	q, _ := url.ParseQuery(query) // encoded by url.Values: it parses
	parent := q.Get(a.parentKey)
	p := new(page[T])
	problem := "" // what is wrong with the first bad item
	la := listAnswer[W]{key: a.listKey, limit: limit, count: &p.count, page: &p.page, size: &p.size, sort: &p.sort,
		addItem: func(w *W) {
			if p.items == nil {
				p.items = make([]T, 0, min(limit, 100))
			}
			m := (*w).model()
			switch {
			case problem != "":
			case m.resourceID() == "":
				problem = fmt.Sprintf("item %d of the answer has no id", len(p.items)+1)
			case parent != "" && m.parentID() != parent:
				problem = fmt.Sprintf("item %d of the answer is not of the %s %q asked for", len(p.items)+1, a.parentKey, parent)
			}
			p.items = append(p.items, m)
		}}
	cl := &call{method: http.MethodGet, path: a.collection, query: query, header: a.header, maxBody: maxListAnswer,
		decode: func(r io.Reader) error {
			// An attempt whose answer was cut short may have decoded some
			// items: the next one starts afresh.
			*p, problem = page[T]{}, ""
			return decodeList(r, la)
		}}
	res, err := a.client.send(ctx, cl, co)
	if err != nil {
		return nil, res, err
	}
	if problem != "" {
		return nil, res, unexpectedAnswer(nil, "scpvpn: GET %s: %s", a.collection, problem)
	}
	return p, res, nil
}

// listPage sends GET collection?query for page n and returns the page it
// answers, checked (see checkPage), and what is known of the attempts.
func (a resourceAPI[T, W, A]) listPage(ctx context.Context, n int, query string, size int, co *callOptions) (*page[T], rest.Result, error) {
	p, res, err := a.fetchPage(ctx, n, query, size, co)
	if err == nil {
		err = a.checkPage(p, n)
	}
	if err != nil {
		return nil, res, err
	}
	return p, res, nil
}

// checkPage refuses with ErrUnexpectedAnswer a page p that contradicts
// itself or the question: it must be page n and hold no more items than
// its count leaves after the pages before it. The pages before are counted
// by the only bound always true: each is full, so holds at least the k
// items of this one (only the last page may be short), whatever size was
// asked or echoed (a service may cap its pages below the size asked and
// echo that size); p.before is set to that bound. A page with fewer items
// than its count and size leave for it is not refused: the service's
// lists are eventually consistent.
func (a resourceAPI[T, W, A]) checkPage(p *page[T], n int) error {
	if p.page != n {
		return unexpectedAnswer(nil, "scpvpn: GET %s: asked for page %d, the answer is page %d", a.collection, n, p.page)
	}
	if k := len(p.items); k > 0 {
		// No page holds more than exist after the pages before it, each
		// of which holds at least k: n*k + k <= count, compared so that
		// nothing overflows (counts are never negative).
		switch {
		case k > p.count:
			return unexpectedAnswer(nil, "scpvpn: GET %s: page %d holds %d %ss, more than its count of %d", a.collection, n, k, a.noun, p.count)
		case n > (p.count-k)/k:
			return unexpectedAnswer(nil, "scpvpn: GET %s: page %d holds %d %ss, more than its count of %d leaves after the pages before it, each full and so holding at least %d",
				a.collection, n, k, a.noun, p.count, k)
		}
		p.before = n * k // at most count-k
	}
	if p.items == nil {
		p.items = []T{}
	}
	return nil
}

// walk yields every item of every page from page start on, encoding each
// page's query with query. It stops at an empty page, once the items of
// the pages before start (see below) and those it has yielded reach count,
// at the first error (yielded with a nil item), at an answer that is not the
// page asked for (checkPage: a server that ignores the page asked for would
// be walked for ever), after page math.MaxInt (no later page can be
// numbered), or when the caller stops ranging. One page is held at a time.
// A page that holds more items than its count leaves for it, after those
// of the pages before, is an error rather than cut to the count (a
// clean-up that deletes what All yields would leave the rest). The pages'
// size is not trusted: a server may answer fewer items a page than the
// size it echoes.
//
// The pages before start are counted by what the first page read holds.
// When it is full (as many items as the size echoed, or asked when none is
// echoed), they are full pages of that size: start*size, exactly. When it
// is short, it is either the last page or a page of a service that caps its
// pages below the size: they are counted by the lower bound start*k (k its
// items), which never stops the walk early and loses items, but may make it
// ask for pages past the end. Such a page is speculative: an answer that is
// a lower page than asked, or that repeats an id of the page before it (a
// paginator that answers a page past the end with its last page), ends the
// walk quietly, its items not yielded. Only the ids of the page before are
// kept for that, and only then.
func (a resourceAPI[T, W, A]) walk(ctx context.Context, start, size int, query func(page int) string, co *callOptions) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		yielded := 0
		first := max(start, 0)
		short := false                  // the first page read was short: the pages before are a lower bound
		var prevIDs map[string]struct{} // when short, the ids of the page before
		for n := first; ; n++ {
			p, _, err := a.fetchPage(ctx, n, query(n), size, co)
			skip := 0 // items at the start of the page that the page before held
			if err == nil && short {
				var past bool
				skip, past = overlap(p.items, prevIDs)
				if past || p.page < n {
					return // a page past the end, asked on the lower bound
				}
			}
			if err == nil {
				err = a.checkPage(p, n)
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if len(p.items) == 0 {
				return
			}
			if n == first {
				yielded = p.before // start*k: start*size when the page is full
				short = len(p.items) != fullPage(p.size, size)
			}
			if err := a.pastCount(n, len(p.items), p.count, yielded); err != nil {
				yield(nil, err)
				return
			}
			if short {
				prevIDs = keepIDs(p.items, prevIDs) // skip is already taken from the page before
			}
			for i := range p.items {
				// After a short first page, the items of the page before that
				// begin this one are not yielded again: an item created
				// meanwhile shifted them here, and the rest of the page is new.
				if i >= skip && !yield(&p.items[i], nil) {
					return
				}
				yielded++ // at most count: no overflow
				if yielded >= p.count {
					return
				}
			}
			if n == math.MaxInt {
				return
			}
		}
	}
}

// fullPage is how many items a full page holds: the size a page echoed,
// or else the size asked for, or else the API's default.
func fullPage(echoed, asked int) int {
	switch {
	case echoed > 0:
		return echoed
	case asked > 0:
		return asked
	}
	return defaultPageSize
}

// keepIDs returns the ids of items, in ids emptied (a new set when ids is
// nil).
func keepIDs[T stateful](items []T, ids map[string]struct{}) map[string]struct{} {
	if ids == nil {
		ids = make(map[string]struct{}, len(items))
	}
	clear(ids)
	for i := range items {
		ids[items[i].resourceID()] = struct{}{}
	}
	return ids
}

// overlap compares a page with the ids of the page before: skip is how
// many of its first items that page held (shifted here by an item created
// meanwhile); past is whether it holds nothing new, or an item of the page
// before after a new one: the last page again, or a window of the list's
// end, as a paginator answers a page past the end.
func overlap[T stateful](items []T, ids map[string]struct{}) (skip int, past bool) {
	if len(ids) == 0 {
		return 0, false
	}
	for skip < len(items) && held(items[skip], ids) {
		skip++
	}
	if skip == len(items) {
		return skip, len(items) > 0
	}
	for i := skip + 1; i < len(items); i++ {
		if held(items[i], ids) {
			return skip, true
		}
	}
	return skip, false
}

// held reports whether item's id is in ids.
func held[T stateful](item T, ids map[string]struct{}) bool {
	_, ok := ids[item.resourceID()]
	return ok
}

// pastCount refuses page n holding k items when the pages before it hold
// before (never negative) and the page's count leaves fewer than k.
func (a resourceAPI[T, W, A]) pastCount(n, k, count, before int) error {
	if k <= count-before { // no overflow: neither is negative
		return nil
	}
	return unexpectedAnswer(nil, "scpvpn: GET %s: page %d holds %d %ss, more than the %d that its count of %d leaves after the %d of the pages before",
		a.collection, n, k, a.noun, max(count-before, 0), count, before)
}

// failed returns an iterator that yields only err.
func failed[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}

// hasNext reports whether a page is followed by another that may hold
// items; a size the server left out is taken as the page's length.
func hasNext(page, size, n, count int) bool {
	if n == 0 {
		return false
	}
	if size <= 0 {
		size = n
	}
	left := count - n // the places after this page's items, if any
	if left <= 0 {
		return false
	}
	// page*size + n < count, compared so that nothing overflows.
	if page <= (left-1)/size {
		return true
	}
	if n >= size {
		return false // a full page, and the last one the size places
	}
	// A page short of its size is the last page, or a page of a service
	// that holds its pages to fewer items than the size it echoes: the pages
	// before were full, so held at least n items each, and another may follow
	// while page*n + n < count. Paging on costs one empty page at worst;
	// stopping could lose items.
	return page <= (left-1)/n
}

// getJSON sends GET path?query, whose answer, one JSON object, is decoded
// into out.
func (v caller) getJSON(ctx context.Context, path, query string, out any, co *callOptions) error {
	cl := &call{method: http.MethodGet, path: path, query: query, header: v.header, maxBody: maxItemAnswer,
		decode: func(r io.Reader) error { return decodeObject(r, out) }}
	_, err := v.client.send(ctx, cl, co)
	return err
}

// quota sends GET path?query, whose answer, one JSON object, is a quota Q;
// null is none.
func quota[Q any](ctx context.Context, v caller, path, query string, co *callOptions) (*Q, error) {
	var q *Q
	if err := v.getJSON(ctx, path, query, &q, co); err != nil {
		return nil, err
	}
	if q == nil {
		return nil, unexpectedAnswer(nil, "scpvpn: GET %s: the answer is null, not a quota", path)
	}
	return q, nil
}

// itemPath returns the path of one resource. The id is escaped, so it can
// never reach another path or add a query.
func (a resourceAPI[T, W, A]) itemPath(id string) (string, error) {
	var p validate.Problems
	p.ID("id", id)
	if err := validationError(a.noun+" id", &p); err != nil {
		return "", err
	}
	return a.collection + "/" + url.PathEscape(id), nil
}

// What the operations are given: requests and options that check
// themselves, through interfaces of their own (a nil pointer in them is
// still refused, see checkRequest).

// settable is a Set request of resource T: it checks itself and tells
// whether a resource holds everything it asks for.
type settable[T any] interface {
	Validate() error
	heldBy(*T) bool
}

// creatable is a create request of resource T: it checks itself and tells
// how to find what it made (see createRequest).
type creatable[T any] interface {
	Validate() error
	createRequest[T]
}

// listOptions is a list options type: it checks itself, says which page
// and size it asks for, and encodes the query of any page (nil receivers
// are the API's defaults).
type listOptions interface {
	Validate() error
	paging() (page, size int)
	query(page int) string
}

// copied returns a copy of *o, or of the zero O when o is nil: what All
// reads, so that later changes of the caller's options change nothing.
func copied[O any](o *O) *O {
	var c O
	if o != nil {
		c = *o
	}
	return &c
}

// queryOf builds a query string that leaves out zero values, so that an
// option the caller did not set is not sent at all.
type queryOf struct {
	v url.Values
}

// int adds name=n unless n is zero.
func (q *queryOf) int(name string, n int) {
	if n != 0 {
		q.set(name, strconv.Itoa(n))
	}
}

// string adds name=s unless s is empty.
func (q *queryOf) string(name, s string) {
	if s != "" {
		q.set(name, s)
	}
}

func (q *queryOf) set(name, value string) {
	if q.v == nil {
		q.v = make(url.Values, 4)
	}
	q.v.Set(name, value)
}

// encode returns the parameters sorted by name, or "" when there are none.
func (q *queryOf) encode() string { return q.v.Encode() }

// begin parses a call's options and refuses the ones that cannot be sent.
// Every service method starts with it.
func begin(opts []CallOption) (*callOptions, error) {
	co := newCallOptions(opts)
	co.report(Response{})
	return co, co.check()
}

// checkOptions refuses list options that break the API's rules, unless
// validation is off; nil options are the API's defaults.
func checkOptions(c *Client, opts listOptions) error {
	if c.validate {
		return opts.Validate()
	}
	return nil
}

// checkRequest refuses a nil request always, and a request that breaks the
// API's rules unless validation is off. req is a pointer to a request type.
func checkRequest(c *Client, req interface{ Validate() error }) error {
	if v := reflect.ValueOf(req); v.IsNil() {
		return &ValidationError{Request: v.Type().Elem().Name(), Fields: []FieldError{{Field: "request", Problem: "must not be nil"}}}
	}
	if c.validate {
		return req.Validate()
	}
	return nil
}
