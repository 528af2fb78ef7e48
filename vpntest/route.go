package vpntest

// This file holds how a request is served: recorded, faults injected,
// authenticated, routed to its handler, answered.

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxBodyBytes bounds request bodies; real ones are a few hundred bytes.
const maxBodyBytes = 1 << 20

// call is one API request on its way through the handlers.
type call struct {
	r       *http.Request
	body    []byte
	version apiVersion
	id      string // the {id} of the path, if any
	now     time.Time
}

// query parses the query string of c; parameters the API does not know
// are ignored, as the service ignores them.
func (c *call) query() (url.Values, error) {
	values, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		return nil, errorf(http.StatusBadRequest, codeInvalidParameter, "malformed query string: %v", err)
	}
	return values, nil
}

// handler serves one operation. It runs with s.mu held and returns the
// status and the value to encode (nil for no body), or an *apiError.
type handler func(c *call) (int, any, error)

// serveHTTP records the request, applies injected faults, then checks and
// serves it like the service would.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", randomHex(16))
	sw := &statusWriter{ResponseWriter: w}

	var body []byte
	var readErr error
	if r.Body != nil { // nil in a client-side request, as an httpmock responder gets it
		body, readErr = io.ReadAll(http.MaxBytesReader(sw, r.Body, maxBodyBytes))
	}
	rec := s.log.add(r, body)
	// Deferred so that the status is recorded even when Drop aborts the
	// handler with a panic.
	defer func() { s.log.setStatus(rec, sw.status) }()

	if s.injectFaults(sw, r) {
		return
	}
	if readErr != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(readErr, &tooLarge) {
			writeError(sw, errorf(http.StatusRequestEntityTooLarge, codeInvalidBody,
				"request body is larger than %d bytes", maxBodyBytes))
		}
		// Otherwise the client went away while sending.
		return
	}

	c := &call{r: r, body: body, now: s.opts.Now()}
	// Dated by the server's clock, that of its created_at values, as the
	// service's answers are; net/http would write the machine's, which a
	// test's Options.Now need not agree with.
	sw.Header().Set("Date", c.now.UTC().Format(http.TimeFormat))
	if err := s.authenticate(r, c.now); err != nil {
		writeError(sw, err)
		return
	}
	h, err := s.route(r, c)
	if err != nil {
		writeError(sw, err)
		return
	}

	s.mu.Lock()
	s.store.settle(c.now)
	status, out, herr := h(c)
	s.mu.Unlock()

	if herr != nil {
		writeError(sw, herr)
		return
	}
	if out == nil {
		sw.WriteHeader(status)
		return
	}
	writeJSON(sw, status, out)
}

// Paths of the API: its two collections, and the endpoints below them
// that are not resources.
const (
	gatewaysPath           = "/v1/vpn-gateways"
	tunnelsPath            = "/v1/vpn-tunnels"
	gatewayQuotaPath       = gatewaysPath + "/metrics/quotas"
	tunnelQuotaPath        = tunnelsPath + "/metrics/quotas"
	subnetAvailabilityPath = tunnelsPath + "/vpn-tunnel-subnet-availabilities"
)

// route finds the handler of r, setting c.version and c.id, or returns
// the error answered: as a router in front of the service would, a plain
// text 404 for a path that is not the API's and 405 for a method it does
// not take, neither with the API's error body (they say nothing of a
// resource); then the service's 400 for a missing or unknown version. The
// IAM catalog takes no version.
func (s *Server) route(r *http.Request, c *call) (handler, error) {
	path := r.URL.Path
	if path == catalogPath {
		return pick(r.Method, path, map[string]handler{http.MethodGet: s.catalog})
	}
	byMethod, id, ok := s.endpoint(path)
	if !ok {
		return nil, &routeError{status: http.StatusNotFound, text: "no such endpoint: " + path}
	}
	h, err := pick(r.Method, path, byMethod)
	if err != nil {
		return nil, err
	}
	v, err := parseVersion(r.Header)
	if err != nil {
		return nil, err
	}
	c.version, c.id = v, id
	return h, nil
}

// endpoint returns the handlers of path by method, and the {id} of the
// path if it names a resource. The endpoints that are not resources come
// first: "metrics" or "vpn-tunnel-subnet-availabilities" is never taken
// for an id. Any other path, a trailing slash included, is not the API's.
func (s *Server) endpoint(path string) (byMethod map[string]handler, id string, ok bool) {
	switch path {
	case gatewaysPath:
		return map[string]handler{http.MethodGet: s.listGateways, http.MethodPost: s.createGateway}, "", true
	case tunnelsPath:
		return map[string]handler{http.MethodGet: s.listTunnels, http.MethodPost: s.createTunnel}, "", true
	case gatewayQuotaPath:
		return map[string]handler{http.MethodGet: s.gatewayQuota}, "", true
	case tunnelQuotaPath:
		return map[string]handler{http.MethodGet: s.tunnelQuota}, "", true
	case subnetAvailabilityPath:
		return map[string]handler{http.MethodGet: s.checkSubnet}, "", true
	}
	if id, ok := resourceID(path, gatewaysPath); ok {
		return map[string]handler{http.MethodGet: s.getGateway, http.MethodPut: s.setGateway, http.MethodDelete: s.deleteGateway}, id, true
	}
	if id, ok := resourceID(path, tunnelsPath); ok {
		return map[string]handler{http.MethodGet: s.getTunnel, http.MethodPut: s.setTunnel, http.MethodDelete: s.deleteTunnel}, id, true
	}
	return nil, "", false
}

// resourceID returns the {id} of collection/{id}: one non-empty segment.
func resourceID(path, collection string) (string, bool) {
	rest, found := strings.CutPrefix(path, collection+"/")
	return rest, found && rest != "" && !strings.Contains(rest, "/")
}

// pick returns the handler of method among byMethod, or the router's 405,
// with the methods allowed.
func pick(method, path string, byMethod map[string]handler) (handler, error) {
	if h, ok := byMethod[method]; ok {
		return h, nil
	}
	allowed := make([]string, 0, len(byMethod))
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		if _, ok := byMethod[m]; ok {
			allowed = append(allowed, m)
		}
	}
	return nil, &routeError{
		status: http.StatusMethodNotAllowed,
		text:   "method " + method + " is not allowed on " + path + "; allowed: " + strings.Join(allowed, ", "),
		allow:  strings.Join(allowed, ", "),
	}
}
