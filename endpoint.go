package scpvpn

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/scpsdk/scpvpn/internal/validate"
)

// Collection paths of the API.
const (
	gatewaysPath = "/v1/vpn-gateways"
	tunnelsPath  = "/v1/vpn-tunnels"
)

// endpoint implements the five calls of one resource in one API version; the
// services are typed fronts over it. T is the resource, W the form it is
// decoded in (see gatewayWire), and L one page of a list of them.
type endpoint[T any, W wire[T], L any] struct {
	client     *Client
	header     http.Header // Scp-Api-Version
	version    string
	collection string
	noun       string // for messages: "VPN gateway"
}

// wire is the decoding form of a model T.
type wire[T any] interface {
	model() *T
}

func newEndpoint[T any, W wire[T], L any](c *Client, version, collection, noun string) endpoint[T, W, L] {
	return endpoint[T, W, L]{
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

func (e endpoint[T, W, L]) unwrap(env *envelope[W], method, path string) (*T, error) {
	if env.Gateway != nil {
		return (*env.Gateway).model(), nil
	}
	if env.Tunnel != nil {
		return (*env.Tunnel).model(), nil
	}
	return nil, fmt.Errorf("scpvpn: %s %s: the answer holds no %s", method, path, e.noun)
}

func (e endpoint[T, W, L]) create(ctx context.Context, body any) (*T, error) {
	var env envelope[W]
	if err := e.client.do(ctx, http.MethodPost, e.collection, "", e.header, body, &env); err != nil {
		return nil, err
	}
	return e.unwrap(&env, http.MethodPost, e.collection)
}

func (e endpoint[T, W, L]) get(ctx context.Context, id string) (*T, error) {
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

func (e endpoint[T, W, L]) list(ctx context.Context, query string) (*L, error) {
	var page L
	if err := e.client.do(ctx, http.MethodGet, e.collection, query, e.header, nil, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

func (e endpoint[T, W, L]) set(ctx context.Context, id string, body any) (*T, error) {
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

func (e endpoint[T, W, L]) delete(ctx context.Context, id string) error {
	path, err := e.itemPath(id)
	if err != nil {
		return err
	}
	return e.client.do(ctx, http.MethodDelete, path, "", e.header, nil, nil)
}

// itemPath returns the path of one resource. The id is escaped, so it can
// never reach another path or add a query.
func (e endpoint[T, W, L]) itemPath(id string) (string, error) {
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
