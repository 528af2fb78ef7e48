package vpntest

// This file holds the Server: its options and their defaults, how it
// starts and stops, and the state it keeps behind its lock.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"time"

	"github.com/scpsdk/scpvpn"
)

// DefaultTransitionDelay is how long resources stay CREATING, EDITING or
// DELETING when Options.TransitionDelay is zero.
const DefaultTransitionDelay = 100 * time.Millisecond

// The service's quotas and the allowed clock skew, taken when the
// corresponding Options are zero.
const (
	defaultGatewayQuota = 3
	defaultTunnelQuota  = 5
	defaultMaxClockSkew = 15 * time.Minute
)

// Options configures a Server. The zero value is a server with random
// credentials, the service's quotas and DefaultTransitionDelay.
type Options struct {
	// AccessKey and SecretKey are the credentials the server accepts.
	// Random ones (from crypto/rand) are generated when empty.
	AccessKey, SecretKey string
	// AccountID is the account id stamped on resources. A random one is
	// generated when empty. It is unrelated to the Scp-AccountId header,
	// which is only part of what is signed.
	AccountID string
	// Addr is the address to listen on; "127.0.0.1:0", a free port on the
	// loopback interface, when empty.
	Addr string
	// TransitionDelay is how long CREATING, EDITING and DELETING last.
	// Zero means DefaultTransitionDelay; a negative value makes
	// transitions immediate: the request that starts one sees the interim
	// state, the next one the final state.
	TransitionDelay time.Duration
	// GatewayQuota is the number of gateways allowed in the account
	// (0 means 3); TunnelQuota the number of tunnels allowed per gateway
	// (0 means 5).
	GatewayQuota, TunnelQuota int
	// MaxClockSkew is how far Scp-Timestamp may be from the server's clock
	// (0 means 15 minutes).
	MaxClockSkew time.Duration
	// Now is the server's clock, used to check timestamps, to stamp
	// created_at and modified_at, and to time transitions. Nil means
	// time.Now. Delays and latencies of fault injection always take real
	// time.
	Now func() time.Time
	// Region is the region of the server's own entry in its IAM catalog
	// (see Server.AuthURL); "kr-west1" when empty.
	Region string
	// Catalog holds further entries of the IAM catalog, listed after the
	// server's own: other regions, other service types. An entry without
	// a URL gets the server's.
	Catalog []CatalogEntry
}

// withDefaults returns opts with every zero field given its default.
func (opts Options) withDefaults() Options {
	if opts.AccessKey == "" {
		opts.AccessKey = randomHex(10)
	}
	if opts.SecretKey == "" {
		opts.SecretKey = randomHex(20)
	}
	if opts.AccountID == "" {
		opts.AccountID = randomHex(16)
	}
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.TransitionDelay == 0 {
		opts.TransitionDelay = DefaultTransitionDelay
	}
	if opts.GatewayQuota <= 0 {
		opts.GatewayQuota = defaultGatewayQuota
	}
	if opts.TunnelQuota <= 0 {
		opts.TunnelQuota = defaultTunnelQuota
	}
	if opts.MaxClockSkew <= 0 {
		opts.MaxClockSkew = defaultMaxClockSkew
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Region == "" {
		opts.Region = defaultRegion
	}
	// A copy: the caller's slice may change after Start.
	opts.Catalog = slices.Clone(opts.Catalog)
	return opts
}

// A Server is a fake of the VPN API listening on a local address. It is
// safe for concurrent use.
type Server struct {
	// URL is the base URL of the server, such as "http://127.0.0.1:41517",
	// to use as the SDK's endpoint.
	URL string
	// AuthURL is the URL of the server's IAM service, URL + "/iam/v1": a
	// signed GET of AuthURL + "/endpoints" answers the endpoint catalog,
	// which lists the server itself as the scp-vpn service of
	// Options.Region, so that the SDK's WithCatalog(AuthURL, "") finds it.
	AuthURL string
	// AccessKey and SecretKey are the credentials the server accepts.
	AccessKey, SecretKey string
	// AccountID is the account id stamped on resources.
	AccountID string

	opts   Options // with defaults
	userID string  // created_by and modified_by of every resource

	mu    sync.Mutex // guards store
	store store

	faults faults
	log    recorder

	hs     *httptest.Server
	cancel context.CancelFunc // ends the requests still waiting on Close

	clientsMu sync.Mutex
	clients   []*scpvpn.Client // made by Client, their idle connections closed on Close
}

// NewServer starts a Server configured by opts. Like httptest.NewServer,
// it panics if it cannot listen; Start returns the error instead.
func NewServer(opts Options) *Server {
	s, err := Start(opts)
	if err != nil {
		panic(err)
	}
	return s
}

// Start starts a Server configured by opts, or returns why it could not
// listen.
func Start(opts Options) (*Server, error) {
	opts = opts.withDefaults()
	ln, err := new(net.ListenConfig).Listen(context.Background(), "tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("vpntest: failed to listen on %s: %w", opts.Addr, err)
	}
	// A stable user id per access key, as the service reports the IAM user
	// behind the key.
	sum := sha256.Sum256([]byte("vpntest-user:" + opts.AccessKey))
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		AccessKey: opts.AccessKey,
		SecretKey: opts.SecretKey,
		AccountID: opts.AccountID,
		opts:      opts,
		userID:    hex.EncodeToString(sum[:16]),
		store:     newStore(),
		cancel:    cancel,
	}
	// Known before the first request, which the catalog's answer names.
	s.URL = "http://" + ln.Addr().String()
	s.AuthURL = s.URL + authPath
	s.hs = &httptest.Server{
		Listener: ln,
		Config: &http.Server{
			Handler:           s.Handler(),
			ReadHeaderTimeout: 10 * time.Second,
			BaseContext:       func(net.Listener) context.Context { return ctx },
		},
	}
	s.hs.Start()
	return s, nil
}

// Close stops listening, cuts short the requests waiting on an injected
// delay, closes the connections (and the idle ones of the clients made by
// Client), and waits for every request being served to finish. It can be
// called more than once.
func (s *Server) Close() {
	s.cancel()
	s.clientsMu.Lock()
	for _, c := range s.clients {
		c.CloseIdleConnections()
	}
	s.clients = nil
	s.clientsMu.Unlock()
	s.hs.Close()
}

// Handler returns the server's http.Handler, for use in process, as with
// httptest.NewRecorder or an httpmock responder: it shares the server's
// state and faults. It verifies signatures over the URL of the request as
// a client built it when the request has no RequestURI.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }
