package scpvpn

// This file holds the resource calls: the five calls of one resource in one
// API version (create, get, list, set, delete), written once for gateways
// and both versions' tunnels, plus the walk over every page (All). The
// services are typed fronts over them; the rules on lost answers are in
// lostanswer.go.

import (
	"context"
	"io"
	"iter"
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

// resourceAPI is one resource in one API version. T is the resource and W
// the form it is decoded in (see gatewayWire).
type resourceAPI[T stateful, W wire[T]] struct {
	client     *Client
	header     http.Header // Scp-Api-Version; shared by every call, never written
	collection string
	noun       string // for messages: "VPN gateway"
	itemKey    string // of an answer holding one: "vpn_gateway"
	listKey    string // of a list answer's items: "vpn_gateways"
	// listedWhole is whether a list's items hold every field Get does
	// (gateways); a tunnel's phases in a list leave out their groups and
	// proposals.
	listedWhole bool
}

// wire is the decoding form of a model T.
type wire[T any] interface {
	model() T
}

// stateful is a resource with a life cycle, an id and a creation time.
type stateful interface {
	lifecycleState() State
	resourceID() string
	creationTime() time.Time
}

func newGatewayAPI(c *Client, version string) resourceAPI[Gateway, gatewayWire] {
	return resourceAPI[Gateway, gatewayWire]{client: c, header: versionHeader(version), collection: gatewaysPath,
		noun: "VPN gateway", itemKey: "vpn_gateway", listKey: "vpn_gateways", listedWhole: true}
}

func newTunnelAPI[T stateful, W wire[T]](c *Client, version string) resourceAPI[T, W] {
	return resourceAPI[T, W]{client: c, header: versionHeader(version), collection: tunnelsPath,
		noun: "VPN tunnel", itemKey: "vpn_tunnel", listKey: "vpn_tunnels"}
}

func versionHeader(version string) http.Header {
	return http.Header{HeaderAPIVersion: {version}}
}

// envelope is an answer holding one resource, {"vpn_gateway": {...}} or
// {"vpn_tunnel": {...}}; each resource reads only its own key.
type envelope[W any] struct {
	Gateway *W `json:"vpn_gateway"`
	Tunnel  *W `json:"vpn_tunnel"`
}

// one sends a call whose answer holds one resource, and returns it, with
// what is known of the attempts (for the rules on lost answers). id is the
// resource the path names, which the answer must be about; "" for a
// create's, whose id only the answer knows.
func (a resourceAPI[T, W]) one(ctx context.Context, method, path, id string, body any, co *callOptions) (*T, rest.Result, error) {
	var env envelope[W]
	cl := &call{method: method, path: path, header: a.header, body: body, maxBody: maxItemAnswer,
		decode: func(r io.Reader) error { return decodeObject(r, &env) }}
	res, err := a.client.send(ctx, cl, co)
	if err != nil {
		return nil, res, err
	}
	r, err := a.unwrap(&env, method, path, id)
	return r, res, err
}

// unwrap returns the resource of an answer, which must have an id, and be
// id when that is not "": an answer about another resource (a cache keyed
// wrongly, a router serving the wrong item) would be taken for this one's,
// by Get, by the waiters and by the read-backs that settle lost answers.
func (a resourceAPI[T, W]) unwrap(env *envelope[W], method, path, id string) (*T, error) {
	w := env.Gateway
	if a.itemKey == "vpn_tunnel" {
		w = env.Tunnel
	}
	if w == nil {
		return nil, unexpectedAnswer(nil, "scpvpn: %s %s: the answer holds no %s (no %q)", method, path, a.noun, a.itemKey)
	}
	m := (*w).model()
	switch got := m.resourceID(); {
	case got == "":
		return nil, unexpectedAnswer(nil, "scpvpn: %s %s: the answer's %s has no id", method, path, a.noun)
	case id != "" && got != id:
		return nil, unexpectedAnswer(nil, "scpvpn: %s %s: the answer is about %s %q, not %q", method, path, a.noun, got, id)
	}
	return &m, nil
}

// create makes a resource. When the service may have acted on it but no
// answer says what it made, settleCreate looks for it.
func (a resourceAPI[T, W]) create(ctx context.Context, req createRequest[T], co *callOptions) (*T, error) {
	began := time.Now()
	r, res, err := a.one(ctx, http.MethodPost, a.collection, "", req, co)
	if err == nil || !res.MayHaveActed {
		return r, err
	}
	return a.settleCreate(ctx, req, began, err, co)
}

func (a resourceAPI[T, W]) get(ctx context.Context, id string, co *callOptions) (*T, error) {
	path, err := a.itemPath(id)
	if err != nil {
		return nil, err
	}
	r, _, err := a.one(ctx, http.MethodGet, path, id, nil, co)
	return r, err
}

// set changes a resource. When the call failed after the service may have
// acted on it, settleSet decides.
func (a resourceAPI[T, W]) set(ctx context.Context, id string, body any, holds func(*T) bool, co *callOptions) (*T, error) {
	path, err := a.itemPath(id)
	if err != nil {
		return nil, err
	}
	r, res, err := a.one(ctx, http.MethodPut, path, id, body, co)
	if err == nil || !res.MayHaveActed {
		return r, err
	}
	return a.settleSet(ctx, id, err, holds, co)
}

// delete removes a resource. When the call failed after the service may
// have acted on it, settleDelete decides.
func (a resourceAPI[T, W]) delete(ctx context.Context, id string, co *callOptions) error {
	path, err := a.itemPath(id)
	if err != nil {
		return err
	}
	res, err := a.client.send(ctx, &call{method: http.MethodDelete, path: path, header: a.header}, co)
	if err == nil || !res.MayHaveActed {
		return err
	}
	return a.settleDelete(ctx, id, err, co)
}

// The calls below are the services' methods, written once: each parses
// its CallOptions, checks what it is given, and makes the resource call.
// A service method is one line that names its types.

// validated is a request type that checks itself.
type validated[R any] interface {
	*R
	Validate() error
}

// settable is a Set request of resource T: it checks itself and tells
// whether a resource holds everything it asks for.
type settable[R, T any] interface {
	validated[R]
	heldBy(*T) bool
}

// listOptions is a list options type: it checks itself, says which page
// and size it asks for, and encodes the query of any page (nil receivers
// are the API's defaults).
type listOptions[O any] interface {
	*O
	Validate() error
	paging() (page, size int)
	query(page int) string
}

// creatable is a create request of resource T: it checks itself and tells
// how to find what it made (see createRequest).
type creatable[R, T any] interface {
	validated[R]
	createRequest[T]
}

func createCall[T stateful, W wire[T], R any, PR creatable[R, T]](ctx context.Context, a resourceAPI[T, W], req PR, opts []CallOption) (*T, error) {
	co, err := begin(opts)
	if err == nil {
		err = checkRequest(a.client, req)
	}
	if err != nil {
		return nil, err
	}
	return a.create(ctx, req, co)
}

func (a resourceAPI[T, W]) getCall(ctx context.Context, id string, opts []CallOption) (*T, error) {
	co, err := begin(opts)
	if err != nil {
		return nil, err
	}
	return a.get(ctx, id, co)
}

func listCall[T stateful, W wire[T], L any, PL listPage[T, L], O any, PO listOptions[O]](ctx context.Context, a resourceAPI[T, W], opts PO, o []CallOption) (*L, error) {
	co, err := begin(o)
	if err == nil {
		err = checkOptions(a.client, opts)
	}
	if err != nil {
		return nil, err
	}
	page, size := opts.paging()
	return list[T, W, L, PL](ctx, a, opts.query(page), size, co)
}

func allCall[T stateful, W wire[T], L any, PL listPage[T, L], O any, PO listOptions[O]](ctx context.Context, a resourceAPI[T, W], opts PO, o []CallOption) iter.Seq2[*T, error] {
	co, err := begin(o)
	if err == nil {
		err = checkOptions(a.client, opts)
	}
	if err != nil {
		return failed[T](err)
	}
	var c O // a copy: later changes of the caller's options change nothing
	if opts != nil {
		c = *opts
	}
	page, size := PO(&c).paging()
	return all[T, W, L, PL](ctx, a, page, size, PO(&c).query, co)
}

func setCall[T stateful, W wire[T], R any, PR settable[R, T]](ctx context.Context, a resourceAPI[T, W], id string, req PR, opts []CallOption) (*T, error) {
	co, err := begin(opts)
	if err == nil {
		_, err = a.itemPath(id) // a bad id is the first thing to hear of
	}
	if err == nil {
		err = checkRequest(a.client, req)
	}
	if err != nil {
		return nil, err
	}
	return a.set(ctx, id, req, req.heldBy, co)
}

func (a resourceAPI[T, W]) deleteCall(ctx context.Context, id string, opts []CallOption) error {
	co, err := begin(opts)
	if err != nil {
		return err
	}
	return a.delete(ctx, id, co)
}

// getJSONCall sends a GET whose answer, one JSON object, is an Out.
func getJSONCall[Out any, T stateful, W wire[T]](ctx context.Context, a resourceAPI[T, W], path, query string, opts []CallOption) (*Out, error) {
	co, err := begin(opts)
	if err != nil {
		return nil, err
	}
	var out Out
	if err := a.getJSON(ctx, path, query, &out, co); err != nil {
		return nil, err
	}
	return &out, nil
}

// quotaCall sends a GET whose answer, one JSON object, is a quota Q; null
// is none.
func quotaCall[Q any, T stateful, W wire[T]](ctx context.Context, a resourceAPI[T, W], path, query string, opts []CallOption) (*Q, error) {
	q, err := getJSONCall[*Q](ctx, a, path, query, opts)
	if err != nil {
		return nil, err
	}
	if *q == nil {
		return nil, unexpectedAnswer(nil, "scpvpn: GET %s: the answer is null, not a quota", path)
	}
	return *q, nil
}

// pageFields points into a page of one of the list types (GatewayList,
// TunnelList, TunnelListV1Dot1), so that one decoder fills them all.
type pageFields[T any] struct {
	count, page, size *int
	sort              *[]string
	items             *[]T
}

// listPage is a list type, seen through its fields.
type listPage[T, L any] interface {
	*L
	fields() pageFields[T]
}

// list returns one page. size is the page size asked for (0: the API's
// default), which bounds how many items the answer may hold.
func list[T stateful, W wire[T], L any, PL listPage[T, L]](ctx context.Context, a resourceAPI[T, W], query string, size int, co *callOptions) (*L, error) {
	l, _, err := listWithResult[T, W, L, PL](ctx, a, query, size, co)
	return l, err
}

// listWithResult is list, with what is known of the attempts.
func listWithResult[T stateful, W wire[T], L any, PL listPage[T, L]](ctx context.Context, a resourceAPI[T, W], query string, size int, co *callOptions) (*L, rest.Result, error) {
	l := new(L)
	f := PL(l).fields()
	limit := size
	if limit <= 0 {
		limit = defaultPageSize
	}
	la := listAnswer[W]{key: a.listKey, limit: limit, count: f.count, page: f.page, size: f.size, sort: f.sort,
		addItem: func(w *W) {
			if *f.items == nil {
				*f.items = make([]T, 0, min(limit, 100))
			}
			*f.items = append(*f.items, (*w).model())
		}}
	cl := &call{method: http.MethodGet, path: a.collection, query: query, header: a.header, maxBody: maxListAnswer,
		decode: func(r io.Reader) error {
			// An attempt whose answer was cut short may have decoded some
			// items: the next one starts afresh.
			var zero L
			*l = zero
			return decodeList(r, la)
		}}
	res, err := a.client.send(ctx, cl, co)
	if err != nil {
		return nil, res, err
	}
	if n := len(*f.items); n > *f.count {
		// No page holds more than exist: the answer contradicts itself.
		return nil, res, unexpectedAnswer(nil, "scpvpn: GET %s: page %d holds %d %ss, more than its count of %d", a.collection, *f.page, n, a.noun, *f.count)
	}
	if *f.items == nil {
		*f.items = []T{}
	}
	return l, res, nil
}

// all yields every item of every page from page start on, encoding each
// page's query with query. It stops at an empty page, once it has yielded
// count items from the start page on, at the first error (yielded with a
// nil item), at an answer that is not the page asked for, or when the
// caller stops ranging. One page is held at a time. A page that holds more
// items than its count leaves for it, after those of the pages before, is
// an error rather than cut to the count (a clean-up that deletes what All
// yields would leave the rest). The pages' size is not trusted for that:
// a server may answer fewer items a page than the size it echoes.
func all[T stateful, W wire[T], L any, PL listPage[T, L]](ctx context.Context, a resourceAPI[T, W], start, size int, query func(page int) string, co *callOptions) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		yielded := 0
		for n := max(start, 0); ; n++ {
			l, err := list[T, W, L, PL](ctx, a, query(n), size, co)
			if err != nil {
				yield(nil, err)
				return
			}
			f := PL(l).fields()
			items := *f.items
			if len(items) == 0 {
				return
			}
			if *f.page != n && n > 0 {
				// A server that ignores the page asked for would be walked
				// for ever; the page it says it answered must be that one.
				yield(nil, unexpectedAnswer(nil, "scpvpn: GET %s: asked for page %d, the answer is page %d", a.collection, n, *f.page))
				return
			}
			if yielded+len(items) > *f.count {
				yield(nil, unexpectedAnswer(nil, "scpvpn: GET %s: page %d holds %d %ss, more than the %d that its count of %d leaves after the %d of the pages before",
					a.collection, n, len(items), a.noun, max(*f.count-yielded, 0), *f.count, yielded))
				return
			}
			for i := range items {
				if !yield(&items[i], nil) {
					return
				}
				yielded++
				if yielded >= *f.count {
					return
				}
			}
		}
	}
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
	return page*size+n < count
}

// getJSON sends a GET whose answer, one JSON object, is decoded into out.
func (a resourceAPI[T, W]) getJSON(ctx context.Context, path, query string, out any, co *callOptions) error {
	cl := &call{method: http.MethodGet, path: path, query: query, header: a.header, maxBody: maxItemAnswer,
		decode: func(r io.Reader) error { return decodeObject(r, out) }}
	_, err := a.client.send(ctx, cl, co)
	return err
}

// itemPath returns the path of one resource. The id is escaped, so it can
// never reach another path or add a query.
func (a resourceAPI[T, W]) itemPath(id string) (string, error) {
	var p validate.Problems
	p.ID("id", id)
	if err := validationError(a.noun+" id", &p); err != nil {
		return "", err
	}
	return a.collection + "/" + url.PathEscape(id), nil
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
func checkOptions(c *Client, opts interface{ Validate() error }) error {
	if c.validate {
		return opts.Validate()
	}
	return nil
}

// checkRequest refuses a nil request always, and a request that breaks the
// API's rules unless validation is off.
func checkRequest[R any, PR validated[R]](c *Client, req PR) error {
	if req == nil {
		return &ValidationError{Request: reflect.TypeFor[R]().Name(), Fields: []FieldError{{Field: "request", Problem: "must not be nil"}}}
	}
	if c.validate {
		return req.Validate()
	}
	return nil
}
