package scpvpn

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"

	"github.com/scpsdk/scpvpn/internal/paginate"
	"github.com/scpsdk/scpvpn/internal/validate"
)

// Collection paths of the API.
const (
	gatewaysPath = "/v1/vpn-gateways"
	tunnelsPath  = "/v1/vpn-tunnels"
)

// endpoint implements the five calls of one resource in one API version; the
// services are typed fronts over it. T is the resource and W the form it is
// decoded in (see gatewayWire).
type endpoint[T any, W wire[T]] struct {
	client     *Client
	header     http.Header // Scp-Api-Version
	version    string
	collection string
	noun       string // for messages: "VPN gateway"
}

// wire is the decoding form of a model T.
type wire[T any] interface {
	model() T
}

func newEndpoint[T any, W wire[T]](c *Client, version, collection, noun string) endpoint[T, W] {
	return endpoint[T, W]{
		client:     c,
		header:     http.Header{HeaderAPIVersion: {version}},
		version:    version,
		collection: collection,
		noun:       noun,
	}
}

// envelope wraps a single resource: {"vpn_gateway": {...}} or
// {"vpn_tunnel": {...}}. One type serves both keys; an answer holds only the
// one of its resource.
type envelope[W any] struct {
	Gateway *W `json:"vpn_gateway"`
	Tunnel  *W `json:"vpn_tunnel"`
}

func (e endpoint[T, W]) unwrap(env *envelope[W], method, path string) (*T, error) {
	var w *W
	switch {
	case env.Gateway != nil:
		w = env.Gateway
	case env.Tunnel != nil:
		w = env.Tunnel
	default:
		return nil, fmt.Errorf("scpvpn: %s %s: the answer holds no %s", method, path, e.noun)
	}
	m := (*w).model()
	return &m, nil
}

// listPage is how a list answer is decoded: its items in their wire form,
// under the key of either resource, like envelope.
type listPage[W any] struct {
	Count    int      `json:"count"`
	Page     int      `json:"page"`
	Size     int      `json:"size"`
	Sort     []string `json:"sort"`
	Gateways []W      `json:"vpn_gateways"`
	Tunnels  []W      `json:"vpn_tunnels"`
}

// page is one page of a list of T, for the services to hand out in their
// own list types.
type page[T any] struct {
	Count, Page, Size int
	Sort              []string
	Items             []T
}

func (e endpoint[T, W]) list(ctx context.Context, query string) (*page[T], error) {
	var lp listPage[W]
	if err := e.client.do(ctx, http.MethodGet, e.collection, query, e.header, nil, &lp); err != nil {
		return nil, err
	}
	wires := lp.Gateways
	if wires == nil {
		wires = lp.Tunnels
	}
	items := make([]T, len(wires))
	for i := range wires {
		items[i] = wires[i].model()
	}
	return &page[T]{Count: lp.Count, Page: lp.Page, Size: lp.Size, Sort: lp.Sort, Items: items}, nil
}

// all walks every page from start on; list fetches one page by number.
func all[T any](ctx context.Context, start int, list func(ctx context.Context, page int) (*page[T], error)) iter.Seq2[*T, error] {
	return paginate.All(ctx, start, func(ctx context.Context, n int) (paginate.Page[T], error) {
		p, err := list(ctx, n)
		if err != nil {
			return paginate.Page[T]{}, err
		}
		return paginate.Page[T]{Items: p.Items, Count: p.Count}, nil
	})
}

func (e endpoint[T, W]) create(ctx context.Context, body any) (*T, error) {
	var env envelope[W]
	if err := e.client.do(ctx, http.MethodPost, e.collection, "", e.header, body, &env); err != nil {
		return nil, err
	}
	return e.unwrap(&env, http.MethodPost, e.collection)
}

func (e endpoint[T, W]) get(ctx context.Context, id string) (*T, error) {
	path, err := e.itemPath(id)
	if err != nil {
		return nil, err
	}
	var env envelope[W]
	if err := e.client.do(ctx, http.MethodGet, path, "", e.header, nil, &env); err != nil {
		return nil, err
	}
	return e.unwrap(&env, http.MethodGet, path)
}

func (e endpoint[T, W]) set(ctx context.Context, id string, body any) (*T, error) {
	path, err := e.itemPath(id)
	if err != nil {
		return nil, err
	}
	var env envelope[W]
	if err := e.client.do(ctx, http.MethodPut, path, "", e.header, body, &env); err != nil {
		return nil, err
	}
	return e.unwrap(&env, http.MethodPut, path)
}

func (e endpoint[T, W]) delete(ctx context.Context, id string) error {
	path, err := e.itemPath(id)
	if err != nil {
		return err
	}
	return e.client.do(ctx, http.MethodDelete, path, "", e.header, nil, nil)
}

// itemPath returns the path of one resource. The id is escaped, so it can
// never reach another path or add a query.
func (e endpoint[T, W]) itemPath(id string) (string, error) {
	var p validate.Problems
	p.ID("id", id)
	if err := validationError(e.noun+" id", &p); err != nil {
		return "", err
	}
	return e.collection + "/" + url.PathEscape(id), nil
}

// checkRequest refuses a nil request always, and a request that breaks the
// API's rules unless validation is off.
func checkRequest[R any, P interface {
	*R
	Validate() error
}](c *Client, name string, req P) error {
	if req == nil {
		return &ValidationError{Request: name, Fields: []FieldError{{Field: "request", Problem: "must not be nil"}}}
	}
	if c.validate {
		return req.Validate()
	}
	return nil
}
