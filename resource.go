package scpvpn

import (
	"context"
	"errors"
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

// resourceAPI implements the five calls of one resource in one API version;
// the services are typed fronts over it. T is the resource and W the form it
// is decoded in (see gatewayWire).
type resourceAPI[T stateful, W wire[T]] struct {
	client     *Client
	header     http.Header // Scp-Api-Version
	collection string
	noun       string // for messages: "VPN gateway"
	tunnel     bool   // which key of envelope and listPage answers use
}

// wire is the decoding form of a model T.
type wire[T any] interface {
	model() T
}

// stateful is a resource with a life cycle.
type stateful interface {
	lifecycleState() State
}

func newGatewayAPI(c *Client, version string) resourceAPI[Gateway, gatewayWire] {
	return resourceAPI[Gateway, gatewayWire]{client: c, header: versionHeader(version), collection: gatewaysPath, noun: "VPN gateway"}
}

func newTunnelAPI[T stateful, W wire[T]](c *Client, version string) resourceAPI[T, W] {
	return resourceAPI[T, W]{client: c, header: versionHeader(version), collection: tunnelsPath, noun: "VPN tunnel", tunnel: true}
}

func versionHeader(version string) http.Header {
	return http.Header{HeaderAPIVersion: {version}}
}

// envelope wraps a single resource: {"vpn_gateway": {...}} or
// {"vpn_tunnel": {...}}. One type serves both keys; each resource reads only
// its own.
type envelope[W any] struct {
	Gateway *W `json:"vpn_gateway"`
	Tunnel  *W `json:"vpn_tunnel"`
}

func (e resourceAPI[T, W]) unwrap(env *envelope[W], method, path string) (*T, error) {
	w := env.Gateway
	if e.tunnel {
		w = env.Tunnel
	}
	if w == nil {
		return nil, fmt.Errorf("scpvpn: %s %s: the answer holds no %s", method, path, e.noun)
	}
	m := (*w).model()
	return &m, nil
}

// listPage is how a list answer is decoded: its items in their wire form,
// under the key of either resource, as in envelope.
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

func (e resourceAPI[T, W]) list(ctx context.Context, query string) (*page[T], error) {
	var lp listPage[W]
	if err := e.client.do(ctx, http.MethodGet, e.collection, query, e.header, nil, &lp); err != nil {
		return nil, err
	}
	wires := lp.Gateways
	if e.tunnel {
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

func (e resourceAPI[T, W]) create(ctx context.Context, body any) (*T, error) {
	var env envelope[W]
	if err := e.client.do(ctx, http.MethodPost, e.collection, "", e.header, body, &env); err != nil {
		return nil, err
	}
	return e.unwrap(&env, http.MethodPost, e.collection)
}

func (e resourceAPI[T, W]) get(ctx context.Context, id string) (*T, error) {
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

func (e resourceAPI[T, W]) set(ctx context.Context, id string, body any) (*T, error) {
	path, err := e.itemPath(id)
	if err != nil {
		return nil, err
	}
	var env envelope[W]
	if err := e.client.do(ctx, http.MethodPut, path, "", e.header, body, &env); err != nil {
		// A retry refused because the resource is EDITING most likely
		// follows an attempt that was applied but whose answer was lost.
		if lostAnswer(err) {
			if r, gerr := e.get(ctx, id); gerr == nil && (*r).lifecycleState() == StateEditing {
				return r, nil
			}
		}
		return nil, err
	}
	return e.unwrap(&env, http.MethodPut, path)
}

func (e resourceAPI[T, W]) delete(ctx context.Context, id string) error {
	path, err := e.itemPath(id)
	if err != nil {
		return err
	}
	err = e.client.do(ctx, http.MethodDelete, path, "", e.header, nil, nil)
	// A retry refused because the resource is already DELETING (or is
	// gone, which the request path handles) follows an attempt that was
	// applied but whose answer was lost.
	if lostAnswer(err) {
		r, gerr := e.get(ctx, id)
		if errors.Is(gerr, ErrNotFound) || gerr == nil && ((*r).lifecycleState() == StateDeleting || (*r).lifecycleState() == StateDeleted) {
			return nil
		}
	}
	return err
}

// lostAnswer reports whether err is a 409 Conflict on a retry: the answer
// to an earlier attempt of the same call may have been lost after the
// service acted on it, so the conflict may be with that attempt.
func lostAnswer(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict && apiErr.Attempts > 1
}

// itemPath returns the path of one resource. The id is escaped, so it can
// never reach another path or add a query.
func (e resourceAPI[T, W]) itemPath(id string) (string, error) {
	var p validate.Problems
	p.ID("id", id)
	if err := validationError(e.noun+" id", &p); err != nil {
		return "", err
	}
	return e.collection + "/" + url.PathEscape(id), nil
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
