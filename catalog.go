package scpvpn

// This file holds endpoint discovery: a client made WithCatalog finds its
// endpoint in SCP's IAM catalog on its first call, once, and then calls
// there.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
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

// catalog finds the endpoint in the IAM catalog. One lookup at a time:
// the calls that arrive while it is under way wait for it and share its
// outcome, its failure included, so that an outage costs one lookup, not
// one per waiting call in turn. A failure is not remembered: the next call
// asks again.
type catalog struct {
	authURL string // checked, without a trailing slash
	region  string // "" takes the only entry there is
	found   atomic.Pointer[string]

	mu      sync.Mutex
	current *lookup // the lookup under way, or nil
}

// lookup is one request to the catalog, and its outcome.
type lookup struct {
	done chan struct{} // closed once err and gaveUp are set
	err  error         // nil when the endpoint was found
	// gaveUp is whether the call that asked ended with its own context:
	// not the catalog's failure, so the calls that waited ask in turn.
	gaveUp bool
}

func newCatalog(authURL, region string) *catalog {
	return &catalog{authURL: authURL, region: region}
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
	cat := c.catalog
	for {
		if p := cat.found.Load(); p != nil {
			return *p, nil
		}
		cat.mu.Lock()
		if p := cat.found.Load(); p != nil { // found while this call waited for the lock
			cat.mu.Unlock()
			return *p, nil
		}
		l := cat.current
		if l == nil {
			l = &lookup{done: make(chan struct{})}
			cat.current = l
			cat.mu.Unlock()
			return c.ask(ctx, co, l)
		}
		cat.mu.Unlock()
		select {
		case <-l.done:
		case <-ctx.Done():
			return "", fmt.Errorf("scpvpn: waiting for the IAM catalog at %s: %w", cat.authURL, ctx.Err())
		}
		if l.err != nil && !l.gaveUp {
			return "", l.err
		}
		// Found (and taken at the top), or the call that asked gave up:
		// this call asks in its turn.
	}
}

// ask makes lookup l for the calls that wait on it, and reports its
// outcome to them.
func (c *Client) ask(ctx context.Context, co *callOptions, l *lookup) (endpoint string, err error) {
	cat := c.catalog
	l.err = errLookupUnfinished // until it returns, should it panic
	defer func() {
		cat.mu.Lock()
		if l.err == nil {
			cat.found.Store(&endpoint)
		}
		cat.current = nil
		cat.mu.Unlock()
		close(l.done)
	}()
	endpoint, err = c.lookUp(ctx, co)
	l.err, l.gaveUp = err, err != nil && ctx.Err() != nil
	return endpoint, err
}

// errLookupUnfinished is the outcome of a lookup that never returned.
var errLookupUnfinished = errors.New("scpvpn: the IAM catalog lookup did not finish")

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

// pickEndpoint chooses the VPN entry: the one of region, even when it is
// the only entry (calls meant for one region must not quietly go to
// another); with no region, the only entry.
func pickEndpoint(entries []catalogEntry, region string) (string, error) {
	var vpn []catalogEntry
	for _, e := range entries {
		if e.ServiceType == vpnServiceType {
			vpn = append(vpn, e)
		}
	}
	if len(vpn) == 1 && region == "" {
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
	for i, r := range regions {
		regions[i] = regionName(r)
	}
	switch {
	case len(vpn) == 0:
		return "", fmt.Errorf("%w: it lists no %s endpoint (is VPN offered to this account?)", ErrNoEndpoint, vpnServiceType)
	case region == "":
		return "", fmt.Errorf("%w: it lists %s in several regions (%s); choose one with WithCatalog's region or SCP_DEFAULT_REGION", ErrNoEndpoint, vpnServiceType, strings.Join(regions, ", "))
	}
	if len(regions) == 1 {
		return "", fmt.Errorf("%w: it lists no %s endpoint in region %q; the only region with VPN is %s", ErrNoEndpoint, vpnServiceType, region, regions[0])
	}
	return "", fmt.Errorf("%w: it lists no %s endpoint in region %q; the regions with VPN are %s", ErrNoEndpoint, vpnServiceType, region, strings.Join(regions, ", "))
}

// regionName writes a region as the catalog lists it, and one it lists
// without a name as such.
func regionName(r string) string {
	if r == "" {
		return `"" (an entry without a region)`
	}
	return r
}
