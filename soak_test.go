package scpvpn_test

// The chaos soak: goroutines share two clients, one speaking plain
// HTTP/1.1 and one HTTP/2 over TLS, that reach vpntest through a proxy
// injecting the faults of real networks and of what stands between a
// client and the service (resets before and after the service acted,
// HTTP/2 streams reset with PROTOCOL_ERROR after it acted, answers dropped
// on reused connections, cut bodies, held answers, 5xx bursts, 429, 101
// and 103, a proxy's 404, undecodable answers to creates), and run mixed
// operations on both API versions, half of them with an Idempotency-Key or
// X-Idempotency-Key header. Every outcome the SDK reports is then checked
// against the fake's own state, read through a third client that sees no
// faults, and every request the proxy saw against the attempts the SDK
// counted. Errors are allowed: faults cause them. Lies are not: a resource
// created twice by one Create, a create reported failed that the service
// made, a write reported done that the service does not hold, a resource
// reported gone that is still there, a request on the wire that the SDK
// did not count, a call that never returns. Now and then another tool
// holds a resource EDITING while a worker sets it, as happens with shared
// accounts.

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/testkit/chaos"
	"github.com/scpsdk/scpvpn/vpntest"
)

const (
	// soakWorkers share the client under test.
	soakWorkers = 16
	// soakDefaultOps is the number of calls of a normal run;
	// SCPVPN_SOAK_OPS asks for another (a long run: 100000).
	soakDefaultOps = 1000
	// soakAttemptTimeout bounds each attempt (WithTimeout); a held answer
	// outlasts it.
	soakAttemptTimeout = 250 * time.Millisecond
	// soakCallBound is every call's context deadline, and soakSlack how
	// much later it must have returned (the race detector on two loaded
	// cores is slow, and may stall a goroutine for seconds) before it
	// counts as hung.
	soakCallBound = 5 * time.Second
	soakSlack     = 10 * time.Second
	// soakMaxAttempts is the retry policy's.
	soakMaxAttempts = 4
	// soakHold is how long the proxy holds a slow answer, or a lone
	// informational one, unless the client hangs up: longer than a call's
	// bound and slack, so that a call that ignores its context meanwhile
	// is seen to hang.
	soakHold = 30 * time.Second
	// soakTagHeader carries the id of the call each request belongs to, so
	// that what the proxy saw of a call can be counted.
	soakTagHeader = "X-Soak-Call"
	// soakTransition is how long resources stay CREATING, EDITING or
	// DELETING. It is not -1 (immediate) on purpose: only a resource that
	// is still EDITING when a retry arrives can meet the retry with 409,
	// and that is where a Set can be wrongly reported done.
	soakTransition = 20 * time.Millisecond
	// soakMaxConns bounds the connections open at once at the proxy: each
	// worker has one call in flight, the transport may keep a dial it did
	// not need, and the proxy notices a closed connection a little late.
	soakMaxConns = 3 * soakWorkers
)

// soakRates are the probabilities of each fault per request. A server
// error starts a burst of up to 3. An undecodable answer is only given to
// a create (the other requests drawn for it are relayed), hence its
// higher rate.
var soakRates = chaos.Rates{
	ResetBefore:     0.03,
	ResetAfter:      0.03,
	Truncated:       0.04,
	Slow:            0.01,
	ServerError:     0.04,
	TooManyRequests: 0.03,
	Dropped:         0.02,
	Informational:   0.01,
	NotRouted:       0.02,
	Undecodable:     0.05,
}

// Kinds of violations: the lies the soak looks for.
const (
	soakDuplicate  = "duplicate"         // one Create made two resources
	soakUnreported = "unreported create" // a Create reported failed (not ErrOutcomeUnknown) made one
	soakPhantom    = "phantom write"     // a Create or Set reported done, not held
	soakFalseGone  = "false gone"        // a Delete, a waiter or ErrNotFound said gone, still there
	soakUncounted  = "uncounted request" // more requests on the wire than Response.Attempts
	soakHang       = "hang"              // a call outlived its deadline and slack
	// soakHarness is the soak's own failure (the fake could not be read),
	// which fails the test without blaming the SDK.
	soakHarness = "harness failure"
)

// TestSoak runs the soak: soakDefaultOps calls, or SCPVPN_SOAK_OPS, with
// faults drawn from a seed that the summary prints and SCPVPN_SOAK_SEED
// sets again; SCPVPN_SOAK_FAULTS (such as "reset-after,404") keeps only the
// faults it names. It fails on any lie, on a goroutine left behind, and on
// more connections at once than soakMaxConns.
func TestSoak(t *testing.T) {
	cfg := soakConfig{ops: soakDefaultOps, seed: uint64(time.Now().UnixNano()), rates: soakRates, contend: true, attemptTimeout: soakAttemptTimeout, callBound: soakCallBound, slack: soakSlack}
	if v := os.Getenv("SCPVPN_SOAK_FAULTS"); v != "" {
		rates, err := soakOnly(soakRates, v)
		require.NoError(t, err, "SCPVPN_SOAK_FAULTS")
		cfg.rates = rates
	}
	if v := os.Getenv("SCPVPN_SOAK_OPS"); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, "SCPVPN_SOAK_OPS")
		cfg.ops = n
	}
	if v := os.Getenv("SCPVPN_SOAK_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		require.NoError(t, err, "SCPVPN_SOAK_SEED")
		cfg.seed = n
	}
	r := runSoak(t, cfg)

	const shown = 20 // of each kind, in full
	seen := map[string]int{}
	for _, v := range r.violations {
		if seen[v.kind]++; seen[v.kind] <= shown {
			t.Errorf("soak: %s: %s", v.kind, v.detail)
		}
	}
	for kind, n := range r.counts {
		if n > shown {
			t.Errorf("soak: %d more of %s not shown", n-shown, kind)
		}
	}
	if r.goroutines != "" {
		t.Errorf("soak: goroutines left behind:\n%s", r.goroutines)
	}
	if r.unfinished {
		t.Error("soak: workers still running after a hang")
	}
	t.Log(r.summary())
	t.Logf("errors by kind: %s", r.errKinds)
	if r.stats.PeakConns > soakMaxConns {
		t.Errorf("soak: %d connections were open at once at the proxy, more than %d", r.stats.PeakConns, soakMaxConns)
	}
	if r.ops < int64(cfg.ops) {
		t.Errorf("soak: only %d of %d operations ran", r.ops, cfg.ops)
	}
}

// TestSoakDetectsLies shows each of the soak's detectors catching the lie
// it is for, planted by a layer under the client under test, and none of
// them firing on a client that meets no fault (nor another tool's edit)
// and tells no lie.
func TestSoakDetectsLies(t *testing.T) {
	// lieOn makes a layer that hands the requests with method to lie, and
	// the others to the transport below.
	lieOn := func(method string, lie func(base http.RoundTripper, r *http.Request) (*http.Response, error)) func(http.RoundTripper) http.RoundTripper {
		return func(base http.RoundTripper) http.RoundTripper {
			return soakRoundTripper(func(r *http.Request) (*http.Response, error) {
				if r.Method != method {
					return base.RoundTrip(r)
				}
				return lie(base, r)
			})
		}
	}
	// sendTwice sends r twice and returns the second answer.
	sendTwice := func(base http.RoundTripper, r *http.Request) (*http.Response, error) {
		var body []byte
		if r.Body != nil {
			var err error
			if body, err = io.ReadAll(r.Body); err != nil {
				return nil, err
			}
		}
		for i := 0; ; i++ {
			again := r.Clone(r.Context())
			again.Body = io.NopCloser(bytes.NewReader(body))
			resp, err := base.RoundTrip(again)
			if i == 1 || err != nil {
				return resp, err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
		}
	}
	// apiError is an answer with the API's error body.
	apiError := func(r *http.Request, status int) *http.Response {
		code := strings.ReplaceAll(http.StatusText(status), " ", "")
		return &http.Response{
			StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}, Request: r,
			Body: io.NopCloser(strings.NewReader(`{"errors":[{"code":"` + code + `","detail":"planted by the test"}]}`)),
		}
	}
	var stuck atomic.Bool
	hangSeen := make(chan struct{}) // closed when the soak reports a hang
	for _, tc := range []struct {
		name  string
		kinds []string
		lie   func(base http.RoundTripper) http.RoundTripper
	}{
		{"honest", nil, nil},
		{"every create sent twice", []string{soakDuplicate, soakUncounted}, lieOn(http.MethodPost, sendTwice)},
		{"every get sent twice", []string{soakUncounted}, lieOn(http.MethodGet, sendTwice)},
		{"every create refused after the service made it", []string{soakUnreported}, lieOn(http.MethodPost, func(base http.RoundTripper, r *http.Request) (*http.Response, error) {
			resp, err := base.RoundTrip(r)
			if err != nil {
				return nil, err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			return apiError(r, http.StatusBadRequest), nil
		})},
		{"every set sent empty", []string{soakPhantom}, lieOn(http.MethodPut, func(base http.RoundTripper, r *http.Request) (*http.Response, error) {
			empty := r.Clone(r.Context())
			empty.Body, empty.ContentLength, empty.GetBody = io.NopCloser(strings.NewReader("{}")), 2, nil
			return base.RoundTrip(empty)
		})},
		{"every delete answered without the service", []string{soakFalseGone}, lieOn(http.MethodDelete, func(_ http.RoundTripper, r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: http.StatusAccepted, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
		})},
		{"every read of a resource answered 404 by the API's word", []string{soakFalseGone}, lieOn(http.MethodGet, func(base http.RoundTripper, r *http.Request) (*http.Response, error) {
			if strings.Count(r.URL.Path, "/") < 3 { // a list
				return base.RoundTrip(r)
			}
			return apiError(r, http.StatusNotFound), nil
		})},
		{"one get that ignores its deadline", []string{soakHang}, lieOn(http.MethodGet, func(base http.RoundTripper, r *http.Request) (*http.Response, error) {
			if stuck.Swap(true) {
				return base.RoundTrip(r)
			}
			// Stuck, whatever its context says, until the soak reports it
			// (or, if it never does, for longer than the soak waits for a
			// hung call): a sleep of a few seconds could end before a
			// watchdog slowed down by a loaded machine saw it.
			select {
			case <-hangSeen:
			case <-time.After(time.Minute):
			}
			return nil, errors.New("stuck")
		})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// No fault needs a short attempt timeout here: a generous one
			// keeps a loaded machine from failing attempts.
			cfg := soakConfig{ops: 150, seed: 1, attemptTimeout: 2 * time.Second, callBound: soakCallBound, slack: soakSlack, lie: tc.lie}
			if slices.Contains(tc.kinds, soakHang) {
				cfg.callBound, cfg.slack = time.Second, time.Second
				cfg.onHang = func() { close(hangSeen) }
			}
			r := runSoak(t, cfg)
			for _, v := range r.violations {
				if !slices.Contains(tc.kinds, v.kind) {
					t.Errorf("unexpected %s: %s", v.kind, v.detail)
				}
			}
			for _, kind := range tc.kinds {
				require.Positive(t, r.counts[kind], "the soak misses the planted %s", kind)
				i := slices.IndexFunc(r.violations, func(v soakViolation) bool { return v.kind == kind })
				t.Logf("caught: %s", r.violations[i].detail)
			}
			require.Empty(t, r.goroutines)
			require.False(t, r.unfinished)
		})
	}
}

// soakRoundTripper is an http.RoundTripper made of a function.
type soakRoundTripper func(*http.Request) (*http.Response, error)

func (f soakRoundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// soakConfig says how a soak runs.
type soakConfig struct {
	ops     int
	seed    uint64
	rates   chaos.Rates
	contend bool // another tool sometimes holds a resource EDITING during a Set
	// attemptTimeout bounds each attempt (WithTimeout).
	attemptTimeout   time.Duration
	callBound, slack time.Duration
	// onHang, when set, is called once, when the first hang is reported.
	onHang func()
	// lie, when set, goes under the client under test (signing stays
	// around it) and makes it lie, so that the soak's detectors can be seen
	// to work; it is given a transport to the proxy.
	lie func(base http.RoundTripper) http.RoundTripper
}

// soakResult is what a soak saw.
type soakResult struct {
	cfg             soakConfig
	ops, errs, cuts int64
	cutsNotRetried  int64
	errKinds        string
	stats           chaos.Stats
	tally           *soakTally
	violations      []soakViolation
	counts          map[string]int // violations by kind
	leaked          int
	goroutines      string // those left behind
	unfinished      bool   // workers still running after a hang
	took            time.Duration
}

// summary is the soak's one line, which .ci/run prints.
func (r *soakResult) summary() string {
	faults := make([]string, 0, len(chaos.Faults))
	for _, f := range chaos.Faults {
		faults = append(faults, fmt.Sprintf("%s=%d", f, r.stats.Faults[f]))
	}
	t := r.tally
	return fmt.Sprintf("soak: ops=%d errors=%d faults=%d (%s) requests=%d (http1=%d h2=%d) keyed_calls=%d "+
		"counted: wire=%d attempts=%d uncounted_requests=%d (in %d calls) "+
		"creates=%d settled=%d outcome_unknown=%d (held 1: %d, 0: %d) unreported_creates=%d "+
		"duplicates=%d phantom_writes=%d false_gone=%d hangs=%d leaked_goroutines=%d "+
		"peak_conns=%d (bound %d) conns_opened=%d cut_body_errors=%d (not retried: %d) seed=%d in %s",
		r.ops, r.errs, r.stats.TotalFaults(), strings.Join(faults, " "), r.stats.Requests, r.stats.Protos[chaos.HTTP1], r.stats.Protos[chaos.HTTP2], t.keyed.Load(),
		t.wire.Load(), t.attempts.Load(), t.uncounted.Load(), r.counts[soakUncounted],
		t.creates.Load(), t.settled.Load(), t.unknown.Load(), t.unknownHeld.Load(), t.unknown.Load()-t.unknownHeld.Load(), r.counts[soakUnreported],
		r.counts[soakDuplicate], r.counts[soakPhantom], r.counts[soakFalseGone], r.counts[soakHang], r.leaked,
		r.stats.PeakConns, soakMaxConns, r.stats.ConnsOpened, r.cuts, r.cutsNotRetried, r.cfg.seed, r.took.Round(time.Millisecond))
}

// runSoak runs soakWorkers workers through the proxy until cfg.ops calls
// are done, checks what they were told, and tears everything down.
func runSoak(t *testing.T, cfg soakConfig) *soakResult {
	t.Helper()
	before := goleak.IgnoreCurrent()
	started := time.Now()

	srv := vpntest.NewServer(vpntest.Options{TransitionDelay: soakTransition, GatewayQuota: 1 << 30, TunnelQuota: 1 << 30})
	// The same fake over TLS, for what the proxy receives over TLS: the
	// fake then checks signatures over the https URL the client signed.
	srvTLS := httptest.NewUnstartedServer(srv.Handler())
	srvTLS.StartTLS()
	proxy, err := chaos.Start(chaos.Config{
		Upstream:        strings.TrimPrefix(srv.URL, "http://"),
		TLSUpstream:     srvTLS.Listener.Addr().String(),
		UpstreamRootCAs: srvTLS.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs,
		Seed:            cfg.seed,
		Rates:           cfg.rates,
		MaxBurst:        3,
		SlowHold:        soakHold,
		Journal:         true,
		TagHeader:       soakTagHeader,
	})
	if err != nil {
		srvTLS.Close()
		srv.Close()
		require.NoError(t, err)
	}
	opts := []scpvpn.Option{
		scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey),
		scpvpn.WithTimeout(cfg.attemptTimeout),
		scpvpn.WithRetryPolicy(scpvpn.RetryPolicy{MaxAttempts: soakMaxAttempts, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 5 * time.Millisecond}),
		scpvpn.WithWaitPolicy(scpvpn.WaitPolicy{MinDelay: 2 * time.Millisecond, MaxDelay: 10 * time.Millisecond}),
	}
	// The plain client uses the SDK's own transport (unless it is made to
	// lie); the other trusts the proxy's certificate through a transport
	// built as the SDK builds its default, so it speaks HTTP/2.
	var plainTransport http.RoundTripper
	tlsBase := soakTLSTransport(proxy.RootCAs())
	soakWarmUp(tlsBase, proxy.TLSURL)
	var tlsTransport http.RoundTripper = tlsBase
	if cfg.lie != nil {
		plainTransport = cfg.lie(&http.Transport{MaxIdleConnsPerHost: soakWorkers})
		tlsTransport = cfg.lie(tlsTransport)
	}
	var clients [2]*scpvpn.Client
	for i, endpoint := range []string{proxy.URL, proxy.TLSURL} {
		o := append(slices.Clone(opts), scpvpn.WithEndpoint(endpoint))
		if rt := []http.RoundTripper{plainTransport, tlsTransport}[i]; rt != nil {
			o = append(o, scpvpn.WithTransport(rt))
		}
		clients[i], err = scpvpn.NewClient(o...)
		require.NoError(t, err)
	}
	truth, err := scpvpn.NewClient(scpvpn.WithEndpoint(srv.URL), scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey))
	require.NoError(t, err)

	s := &soak{clients: clients, truth: truth, proxy: proxy, srv: srv, cfg: cfg, hung: make(chan struct{}), errKinds: map[string]int{}}
	s.budget.Store(int64(cfg.ops))
	var wg sync.WaitGroup
	for i := range soakWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			newSoakWorker(s, i).run()
		}()
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	r := &soakResult{cfg: cfg}
	select {
	case <-finished:
	case <-s.hung:
		// A watchdog reported a call past its bound: give the workers
		// some more time to finish, then leave them.
		select {
		case <-finished:
		case <-time.After(3 * (cfg.callBound + cfg.slack)):
			r.unfinished = true
		}
	}
	s.sweep()

	r.stats = proxy.Stats()
	for _, c := range clients {
		c.CloseIdleConnections()
	}
	truth.CloseIdleConnections()
	require.NoError(t, proxy.Close())
	srvTLS.Close()
	srv.Close()
	if err := goleak.Find(before); err != nil {
		r.goroutines = err.Error()
		r.leaked = len(regexp.MustCompile(`Goroutine \d+ in state`).FindAllString(r.goroutines, -1))
	}
	r.took = time.Since(started)
	r.ops, r.errs, r.cuts, r.cutsNotRetried = s.ops.Load(), s.errs.Load(), s.cutBodies.Load(), s.cutNotRetried.Load()
	r.errKinds = s.errorKinds()
	r.tally = &s.tally
	s.mu.Lock()
	defer s.mu.Unlock()
	r.violations = s.violations
	r.counts = map[string]int{}
	for _, v := range r.violations {
		r.counts[v.kind]++
	}
	return r
}

// soak is what the workers share.
type soak struct {
	// clients are under test, through the proxy: in plain HTTP/1.1 and in
	// HTTP/2 over TLS.
	clients [2]*scpvpn.Client
	truth   *scpvpn.Client // straight to the fake, for the checks
	proxy   *chaos.Proxy
	srv     *vpntest.Server // for another tool's edits
	cfg     soakConfig

	budget    atomic.Int64 // operations left to start
	ops       atomic.Int64 // operations done
	errs      atomic.Int64 // of which returned an error
	cutBodies atomic.Int64 // calls but creates failed on a cut answer
	// cutNotRetried counts gets, sets and deletes that failed on a cut
	// answer with attempts left.
	cutNotRetried atomic.Int64
	tally         soakTally

	hung     chan struct{} // closed when a watchdog fires
	hungOnce sync.Once

	mu         sync.Mutex
	violations []soakViolation
	duplicated map[string]bool // names already reported as duplicates
	errKinds   map[string]int  // errors of the client under test, by kind
}

// soakViolation is one lie of the SDK, with what is needed to debug it.
type soakViolation struct {
	kind, detail string
}

func (s *soak) violate(kind, format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.violations = append(s.violations, soakViolation{kind: kind, detail: fmt.Sprintf(format, args...)})
}

// errorKinds renders the errors by kind, most frequent first.
func (s *soak) errorKinds() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	kinds := make([]string, 0, len(s.errKinds))
	for k := range s.errKinds {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return s.errKinds[kinds[i]] > s.errKinds[kinds[j]] })
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%s=%d", k, s.errKinds[k])
	}
	return strings.Join(parts, " ")
}

// journal renders what the proxy did to the requests for path (all of
// them when since is zero, else those that arrived since then).
func (s *soak) journal(path string, since time.Time) string {
	var b strings.Builder
	for _, ex := range s.proxy.Exchanges(path) {
		if !ex.Start.Before(since) {
			b.WriteString("\n\t\t")
			b.WriteString(ex.String())
		}
	}
	if b.Len() == 0 {
		return " none"
	}
	return b.String()
}

// applied reports whether a request with method on path whose body holds
// mark reached the service and was accepted.
func (s *soak) applied(method, path, mark string) bool {
	return slices.ContainsFunc(s.proxy.Exchanges(path), func(ex chaos.Exchange) bool {
		return ex.Method == method && ex.UpstreamStatus/100 == 2 && strings.Contains(string(ex.Body), mark)
	})
}

// sweep looks for names held by more than one resource, among those the
// soak created: a Create whose resource was found twice when it returned,
// or whose second copy appeared later.
func (s *soak) sweep() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	names := map[string][]string{}
	for g, err := range s.truth.V1Dot1.Gateways.All(ctx, &scpvpn.GatewayListOptions{Size: 1000}) {
		if err != nil {
			s.violate(soakHarness, "the final sweep could not list gateways: %v", err)
			return
		}
		names[g.Name] = append(names[g.Name], g.ID)
	}
	for tn, err := range s.truth.V1Dot1.Tunnels.All(ctx, &scpvpn.TunnelListOptionsV1Dot1{Size: 1000}) {
		if err != nil {
			s.violate(soakHarness, "the final sweep could not list tunnels: %v", err)
			return
		}
		names[tn.Name] = append(names[tn.Name], tn.ID)
	}
	for name, ids := range names {
		if len(ids) > 1 && !s.reportedDuplicate(name) {
			s.violate(soakDuplicate, "%q is held by %d resources at the end: %v; requests that carried it:%s",
				name, len(ids), ids, s.posts(name))
		}
	}
}

// reportedDuplicate records name as reported and says whether it was.
func (s *soak) reportedDuplicate(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.duplicated == nil {
		s.duplicated = map[string]bool{}
	}
	seen := s.duplicated[name]
	s.duplicated[name] = true
	return seen
}

// posts renders the creates that carried name.
func (s *soak) posts(name string) string {
	var b strings.Builder
	for _, ex := range append(s.proxy.Exchanges("/v1/vpn-gateways"), s.proxy.Exchanges("/v1/vpn-tunnels")...) {
		if ex.Method == http.MethodPost && strings.Contains(string(ex.Body), `"`+name+`"`) {
			b.WriteString("\n\t\t")
			b.WriteString(ex.String())
		}
	}
	return b.String()
}

// soakTLSTransport is built as the SDK builds its default transport
// (HTTP/2 when the server offers it, the same bounds), trusting roots.
func soakTLSTransport(roots *x509.CertPool) *http.Transport {
	return &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		TLSClientConfig:       &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   64,
	}
}

// soakWarmUp opens the HTTP/2 connection that the workers then share, so
// that eight TLS handshakes at once, each within the 250 ms of a first
// attempt, do not fail the first calls of a machine under load. What the
// request gets does not matter (the proxy may even draw a fault for it).
func soakWarmUp(tr *http.Transport, url string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/", nil)
	if err != nil {
		return
	}
	if resp, err := tr.RoundTrip(req); err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
}

// soakOnly keeps of rates those of the faults named in list (separated by
// commas, as the summary names them).
func soakOnly(rates chaos.Rates, list string) (chaos.Rates, error) {
	var kept []chaos.Fault
	for _, name := range strings.Split(list, ",") {
		f := chaos.Fault(strings.TrimSpace(name))
		if !slices.Contains(chaos.Faults, f) {
			return chaos.Rates{}, fmt.Errorf("no fault is named %q; the faults are %v", name, chaos.Faults)
		}
		kept = append(kept, f)
	}
	return rates.Only(kept...), nil
}
