package scpvpn

// This file holds where a call goes: the client's endpoint, or, for a
// client made WithCatalog, the one SCP's IAM catalog lists, found on the
// first call, once. The request path asks endpointFor at one place (send,
// in request.go); the catalog's own lookup goes straight to internal/rest.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/scpsdk/scpvpn/internal/rest"
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

// endpointFor returns the endpoint of the client's calls: the one it was
// given, or the one its catalog lists.
func (c *Client) endpointFor(ctx context.Context, co *callOptions) (string, error) {
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
// and picks the VPN entry. What goes wrong is a *catalogError, whose
// message holds none of the call's secrets, even those the catalog echoed
// into its entries.
func (c *Client) lookUp(ctx context.Context, co *callOptions) (string, error) {
	var vpn []catalogEntry
	la := listAnswer[catalogEntry]{key: "endpoints", limit: maxCatalogEntries, most: "entries a catalog may list",
		addItem: func(e *catalogEntry) {
			if e.ServiceType == vpnServiceType {
				vpn = append(vpn, *e)
			}
		}}
	// A read the SDK makes on its own, with the call's retries and headers
	// but its idempotency key (see forInnerCall), and no Response.
	inner := co.forInnerCall()
	req := &rest.Request{
		Method:  http.MethodGet,
		URL:     rest.URL(c.catalog.authURL, "/endpoints", ""),
		Header:  inner.header,
		Retry:   inner.retry,
		MaxBody: maxCatalogAnswer,
		Decode: func(r io.Reader) error {
			vpn = vpn[:0] // what an attempt cut short read is forgotten
			return decodeList(r, la)
		},
	}
	res, err := c.rest.Do(ctx, req)
	if err != nil {
		err = c.callError(req, res, err) // scrubbed of the call's secrets, as every call's error is
		return "", &catalogError{msg: "scpvpn: finding the VPN endpoint in the IAM catalog: " + strings.TrimPrefix(err.Error(), "scpvpn: ") + notFoundHint(err), err: err}
	}
	raw, err := pickEndpoint(vpn, c.catalog.region)
	var endpoint string
	if err == nil {
		// The SDK adds /v1 itself; a catalog that lists the versioned URL is
		// taken at its word rather than refused.
		endpoint, err = checkEndpoint("catalog URL", catalogBase(raw))
	}
	if err == nil && strings.HasPrefix(c.catalog.authURL, "https://") && !strings.HasPrefix(endpoint, "https://") {
		// The calls carry the token and pre-shared keys: a catalog reached
		// over TLS does not get to send them in the clear.
		err = fmt.Errorf("%w: catalog URL %q must start with https://, as the IAM auth URL does", ErrInvalidEndpoint, redactURL(raw))
	}
	if err != nil {
		// What the catalog listed is quoted (a URL, the regions): it may
		// hold what the call sent, the token or the signature, echoed. The
		// error keeps only its sentinel besides the scrubbed message.
		sentinel := ErrInvalidEndpoint
		if errors.Is(err, ErrNoEndpoint) {
			sentinel = ErrNoEndpoint
		}
		scrub := c.secrets.With(res.Sent...)
		return "", &catalogError{msg: scrub.String(fmt.Sprintf("scpvpn: the IAM catalog at %s: %v", c.catalog.authURL, err)), err: sentinel}
	}
	return endpoint, nil
}

// catalogBase is a URL the catalog lists as the base of the calls: without
// a trailing slash or /v1, which the SDK adds itself.
func catalogBase(raw string) string {
	return strings.TrimSuffix(strings.TrimRight(raw, "/"), "/v1")
}

// notFoundHint says what a 404 of the catalog means, or "".
func notFoundHint(err error) string {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return " (the IAM catalog's answer, not the VPN service's: is the IAM auth URL right?)"
	}
	return ""
}

// catalogError is a lookup in the IAM catalog that failed: no call reached
// the VPN service, so it says nothing of a gateway or tunnel. It never
// matches a verdict about a resource (ErrNotFound, ErrConflict,
// ErrBadRequest, ErrResourceFailed, ErrOutcomeUnknown), even when the
// catalog answered with such a status: a catalog's 404 (the auth URL has
// no catalog) matches ErrNoEndpoint, as a catalog that lists no VPN
// endpoint does. It still matches what concerns the client: ErrUnauthorized
// and ErrForbidden for a 401 and 403 (the key pair or token refused),
// ErrRateLimited, ErrUnexpectedAnswer, ErrNoEndpoint, ErrInvalidEndpoint,
// and the context's errors; errors.As finds the catalog's *APIError (its
// URL is the catalog's).
type catalogError struct {
	msg string
	err error
}

func (e *catalogError) Error() string { return e.msg }

// Is matches what the failure says of the client, never of a resource.
func (e *catalogError) Is(target error) bool {
	switch target {
	case ErrNotFound, ErrConflict, ErrBadRequest, ErrResourceFailed, ErrOutcomeUnknown:
		return false
	case ErrNoEndpoint:
		var apiErr *APIError
		if errors.As(e.err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
			return true
		}
	}
	return errors.Is(e.err, target)
}

// As finds what went wrong, the catalog's *APIError among it. There is no
// Unwrap: errors.Is would match ErrNotFound through a 404 of the catalog.
func (e *catalogError) As(target any) bool { return errors.As(e.err, target) }

// pickEndpoint chooses the VPN entry: the one of region, even when it is
// the only entry (calls meant for one region must not quietly go to
// another); with no region, the only entry. An entry listed twice is one;
// one region listed with different URLs is an error, whose URL is not
// clear.
func pickEndpoint(entries []catalogEntry, region string) (string, error) {
	var vpn []catalogEntry
	for _, e := range entries {
		if e.ServiceType == vpnServiceType && !slices.ContainsFunc(vpn, func(o catalogEntry) bool {
			return o.Region == e.Region && catalogBase(o.URL) == catalogBase(e.URL)
		}) {
			vpn = append(vpn, e)
		}
	}
	if len(vpn) == 1 && region == "" {
		return vpn[0].URL, nil
	}
	var regions, urls []string
	for _, e := range vpn {
		if e.Region == region && region != "" {
			urls = append(urls, e.URL)
		}
		if !slices.Contains(regions, e.Region) {
			regions = append(regions, e.Region)
		}
	}
	if region == "" && len(regions) == 1 {
		region = vpn[0].Region
		for _, e := range vpn {
			urls = append(urls, e.URL)
		}
	}
	switch {
	case len(urls) == 1:
		return urls[0], nil
	case len(urls) > 1:
		for i, u := range urls {
			urls[i] = strconv.Quote(redactURL(u))
		}
		return "", fmt.Errorf("%w: it lists %d different %s endpoints in region %s (%s), and which to call is not clear", ErrNoEndpoint, len(urls), vpnServiceType, regionName(region), strings.Join(urls, ", "))
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
