// Package fake is an in-memory implementation of the SCP VPN API (versions
// vpn 1.0 and vpn 1.1), strict where the service is strict: it checks every
// signature, timestamp and version header, validates bodies against the
// API's schemas and field rules, and moves resources through their
// asynchronous states. Package vpntest is its public face.
//
// It shares no code with the SDK: it has its own wire types and checks
// signatures with package sigverify.
package fake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Defaults applied by New to the zero fields of a Config.
const (
	DefaultTransitionDelay = 100 * time.Millisecond
	DefaultGatewayQuota    = 3
	DefaultTunnelQuota     = 5
	DefaultMaxClockSkew    = 15 * time.Minute
)

// maxBodyBytes bounds request bodies; real ones are a few hundred bytes.
const maxBodyBytes = 1 << 20

// Config sets up an Engine. Zero fields take the defaults documented on
// each of them.
type Config struct {
	// AccessKey and SecretKey are the credentials accepted; random ones
	// are generated when empty.
	AccessKey, SecretKey string
	// AccountID is stamped on resources; a random one is generated when
	// empty.
	AccountID string
	// TransitionDelay is how long CREATING, EDITING and DELETING last:
	// 0 means DefaultTransitionDelay, a negative value makes the next
	// access see the final state.
	TransitionDelay time.Duration
	// GatewayQuota is the number of gateways allowed (0 means
	// DefaultGatewayQuota); TunnelQuota the number of tunnels per gateway
	// (0 means DefaultTunnelQuota).
	GatewayQuota, TunnelQuota int
	// MaxClockSkew is how far Scp-Timestamp may be from Now (0 means
	// DefaultMaxClockSkew).
	MaxClockSkew time.Duration
	// Now is the server's clock, used for timestamps checks, resource
	// times and transitions; nil means time.Now.
	Now func() time.Time
}

// Engine is the fake API: an http.Handler and the state behind it. It is
// safe for concurrent use.
type Engine struct {
	cfg    Config
	userID string // created_by and modified_by of every resource

	mu    sync.Mutex // guards store
	store store

	faults faults
	log    recorder
}

// New returns an Engine configured by cfg, with defaults filled in.
func New(cfg Config) *Engine {
	if cfg.AccessKey == "" {
		cfg.AccessKey = randomHex(10)
	}
	if cfg.SecretKey == "" {
		cfg.SecretKey = randomHex(20)
	}
	if cfg.AccountID == "" {
		cfg.AccountID = randomHex(16)
	}
	if cfg.TransitionDelay == 0 {
		cfg.TransitionDelay = DefaultTransitionDelay
	}
	if cfg.GatewayQuota <= 0 {
		cfg.GatewayQuota = DefaultGatewayQuota
	}
	if cfg.TunnelQuota <= 0 {
		cfg.TunnelQuota = DefaultTunnelQuota
	}
	if cfg.MaxClockSkew <= 0 {
		cfg.MaxClockSkew = DefaultMaxClockSkew
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	// A stable user id per access key, as the service reports the IAM user
	// behind the key.
	sum := sha256.Sum256([]byte("vpntest-user:" + cfg.AccessKey))
	return &Engine{
		cfg:    cfg,
		userID: hex.EncodeToString(sum[:16]),
		store:  newStore(),
	}
}

// Config returns the configuration in force, defaults included.
func (e *Engine) Config() Config { return e.cfg }

// call is one API request on its way through the handlers.
type call struct {
	r       *http.Request
	body    []byte
	version apiVersion
	id      string // the {id} of the path, if any
	now     time.Time
}

// handler serves one operation. It runs with e.mu held and returns the
// status and the value to encode (nil for no body), or an *apiError.
type handler func(c *call) (int, any, error)

// ServeHTTP records the request, applies injected faults, then checks and
// serves it like the service would.
func (e *Engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", randomHex(16))
	sw := &statusWriter{ResponseWriter: w}

	var body []byte
	var readErr error
	if r.Body != nil { // nil in a client-side request, as an httpmock responder gets it
		body, readErr = io.ReadAll(http.MaxBytesReader(sw, r.Body, maxBodyBytes))
	}
	rec := e.log.add(r, body)
	// Deferred so that the status is recorded even when Drop aborts the
	// handler with a panic.
	defer func() { e.log.setStatus(rec, sw.status) }()

	if e.injectFaults(sw, r) {
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

	c := &call{r: r, body: body, now: e.cfg.Now()}
	if err := e.authenticate(r, c.now); err != nil {
		writeError(sw, err)
		return
	}
	v, err := parseVersion(r.Header)
	if err != nil {
		writeError(sw, err)
		return
	}
	c.version = v

	h, err := e.route(r.Method, r.URL.Path, c)
	if err != nil {
		writeError(sw, err)
		return
	}

	e.mu.Lock()
	e.store.settle(c.now)
	status, out, herr := h(c)
	e.mu.Unlock()

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

// Collections of the API, the first segment after /v1/.
const (
	gatewaysPath = "/v1/vpn-gateways"
	tunnelsPath  = "/v1/vpn-tunnels"
)

// route finds the handler of method on path, setting c.id, or returns the
// 404 or 405 the service answers.
func (e *Engine) route(method, path string, c *call) (handler, error) {
	collection, id, ok := splitPath(path)
	if !ok {
		return nil, errorf(http.StatusNotFound, codeNotFound, "no such endpoint: %s", path)
	}
	c.id = id
	var byMethod map[string]handler
	switch {
	case collection == gatewaysPath && id == "":
		byMethod = map[string]handler{http.MethodGet: e.listGateways, http.MethodPost: e.createGateway}
	case collection == gatewaysPath:
		byMethod = map[string]handler{http.MethodGet: e.getGateway, http.MethodPut: e.setGateway, http.MethodDelete: e.deleteGateway}
	case id == "":
		byMethod = map[string]handler{http.MethodGet: e.listTunnels, http.MethodPost: e.createTunnel}
	default:
		byMethod = map[string]handler{http.MethodGet: e.getTunnel, http.MethodPut: e.setTunnel, http.MethodDelete: e.deleteTunnel}
	}
	if h, ok := byMethod[method]; ok {
		return h, nil
	}
	allowed := make([]string, 0, len(byMethod))
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		if _, ok := byMethod[m]; ok {
			allowed = append(allowed, m)
		}
	}
	return nil, &apiError{
		status:  http.StatusMethodNotAllowed,
		code:    codeMethodNotAllowed,
		details: []string{"method " + method + " is not allowed on " + path + "; allowed: " + strings.Join(allowed, ", ")},
		allow:   strings.Join(allowed, ", "),
	}
}

// splitPath splits /v1/vpn-gateways[/{id}] and /v1/vpn-tunnels[/{id}]. Any
// other path, a trailing slash included, is not the API's.
func splitPath(path string) (collection, id string, ok bool) {
	for _, coll := range []string{gatewaysPath, tunnelsPath} {
		if path == coll {
			return coll, "", true
		}
		if rest, found := strings.CutPrefix(path, coll+"/"); found && rest != "" && !strings.Contains(rest, "/") {
			return coll, rest, true
		}
	}
	return "", "", false
}

// randomHex returns n random bytes, hex encoded.
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand does not fail on supported platforms.
		panic("fake: crypto/rand: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// newID returns a resource id: 32 lowercase hex characters, like the
// service's.
func newID() string { return randomHex(16) }
