package scpvpn

// This file holds endpoint discovery: a client made WithCatalog finds its
// endpoint in SCP's IAM catalog on its first call, once, and then calls
// there.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
)

// vpnServiceType is the VPN service's type in the IAM catalog.
const vpnServiceType = "scp-vpn"

// maxCatalogAnswer bounds the catalog, which lists every service of every
// region; maxCatalogEntries bounds how many entries it may list. It is read
// as a stream, and only the VPN entries are kept.
const (
	maxCatalogAnswer  = 4 << 20
	maxCatalogEntries = 10000
)

// catalog finds the endpoint in the IAM catalog. Lookups are one at a time,
// so that many goroutines making their first call together ask once; a
// failure is not remembered, so the next call asks again.
type catalog struct {
	authURL string // checked, without a trailing slash
	region  string // "" takes the only entry there is
	sem     chan struct{}
	found   atomic.Pointer[string]
}

func newCatalog(authURL, region string) *catalog {
	return &catalog{authURL: authURL, region: region, sem: make(chan struct{}, 1)}
}

// catalogEntry is one entry of the catalog's answer,
// {"endpoints":[{...}, ...]}.
type catalogEntry struct {
	Region      string `json:"region"`
	ServiceType string `json:"service_type"`
	ServiceName string `json:"service_name"`
	URL         string `json:"url"`
}

// baseURL returns the endpoint of the client's calls: the one it was given,
// or the one its catalog lists.
func (c *Client) baseURL(ctx context.Context, co *callOptions) (string, error) {
	if c.catalog == nil {
		return c.endpoint, nil
	}
	if p := c.catalog.found.Load(); p != nil {
		return *p, nil
	}
	select {
	case c.catalog.sem <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("scpvpn: waiting for the IAM catalog at %s: %w", c.catalog.authURL, ctx.Err())
	}
	defer func() { <-c.catalog.sem }()
	if p := c.catalog.found.Load(); p != nil { // found while this call waited
		return *p, nil
	}
	endpoint, err := c.lookUp(ctx, co)
	if err != nil {
		return "", err
	}
	c.catalog.found.Store(&endpoint)
	return endpoint, nil
}

// lookUp asks the catalog, through the client's own transport and retries,
// and picks the VPN entry.
func (c *Client) lookUp(ctx context.Context, co *callOptions) (string, error) {
	var vpn []catalogEntry
	la := listAnswer[catalogEntry]{key: "endpoints", limit: maxCatalogEntries, most: "entries a catalog may list",
		addItem: func(e *catalogEntry) {
			if e.ServiceType == vpnServiceType {
				vpn = append(vpn, *e)
			}
		}}
	cl := &call{method: http.MethodGet, path: "/endpoints", maxBody: maxCatalogAnswer,
		decode: func(r io.Reader) error {
			vpn = vpn[:0] // what an attempt cut short read is forgotten
			return decodeList(r, la)
		}}
	if _, err := c.sendTo(ctx, c.catalog.authURL, cl, co.forInnerCall()); err != nil {
		return "", fmt.Errorf("scpvpn: finding the VPN endpoint in the IAM catalog: %w", err)
	}
	raw, err := pickEndpoint(vpn, c.catalog.region)
	if err != nil {
		return "", fmt.Errorf("scpvpn: the IAM catalog at %s: %w", c.catalog.authURL, err)
	}
	// The SDK adds /v1 itself; a catalog that lists the versioned URL is
	// taken at its word rather than refused.
	endpoint, err := checkEndpoint("catalog URL", strings.TrimSuffix(strings.TrimRight(raw, "/"), "/v1"))
	if err == nil && strings.HasPrefix(c.catalog.authURL, "https://") && !strings.HasPrefix(endpoint, "https://") {
		// The calls carry the token and pre-shared keys: a catalog reached
		// over TLS does not get to send them in the clear.
		err = fmt.Errorf("%w: catalog URL %q must start with https://, as the IAM auth URL does", ErrInvalidEndpoint, redactURL(raw))
	}
	if err != nil {
		return "", fmt.Errorf("scpvpn: the IAM catalog at %s: %w", c.catalog.authURL, err)
	}
	return endpoint, nil
}

// pickEndpoint chooses the VPN entry: the only one, or the one of region.
func pickEndpoint(entries []catalogEntry, region string) (string, error) {
	var vpn []catalogEntry
	for _, e := range entries {
		if e.ServiceType == vpnServiceType {
			vpn = append(vpn, e)
		}
	}
	if len(vpn) == 1 {
		return vpn[0].URL, nil
	}
	var regions []string
	for _, e := range vpn {
		if e.Region == region && region != "" {
			return e.URL, nil
		}
		if !slices.Contains(regions, e.Region) {
			regions = append(regions, e.Region)
		}
	}
	slices.Sort(regions)
	switch {
	case len(vpn) == 0:
		return "", fmt.Errorf("%w: it lists no %s endpoint (is VPN offered to this account?)", ErrNoEndpoint, vpnServiceType)
	case region == "":
		return "", fmt.Errorf("%w: it lists %s in several regions (%s); choose one with WithCatalog's region or SCP_DEFAULT_REGION", ErrNoEndpoint, vpnServiceType, strings.Join(regions, ", "))
	}
	return "", fmt.Errorf("%w: it lists no %s endpoint in region %q; the regions with VPN are %s", ErrNoEndpoint, vpnServiceType, region, strings.Join(regions, ", "))
}
