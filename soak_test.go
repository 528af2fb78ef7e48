package scpvpn_test

// The chaos soak: goroutines share one client that reaches vpntest through
// a proxy injecting the faults of real networks (resets before and after
// the service acted, cut bodies, held answers, 5xx bursts, 429), and run
// mixed operations on both API versions. Every outcome the SDK reports is
// then checked against the fake's own state, read through a second client
// that sees no faults. Errors are allowed: faults cause them. Lies are
// not: a resource created twice by one Create, a write reported done that
// the service does not hold, a Delete reported done while the resource is
// still there, a call that never returns. Now and then another tool holds
// a resource EDITING while a worker sets it, as happens with shared
// accounts.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
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
	"github.com/scpsdk/scpvpn/internal/chaos"
	"github.com/scpsdk/scpvpn/vpntest"
)

const (
	// soakWorkers share the client under test.
	soakWorkers = 16
	// soakDefaultOps is the number of calls of a normal run;
	// SCPVPN_SOAK_OPS asks for another (a long run: 100000).
	soakDefaultOps = 2000
	// soakAttemptTimeout bounds each attempt (WithTimeout); a held answer
	// outlasts it.
	soakAttemptTimeout = 250 * time.Millisecond
	// soakCallBound is every call's context deadline, and soakSlack how
	// much later it must have returned (the race detector on two loaded
	// cores is slow) before it counts as hung.
	soakCallBound = 5 * time.Second
	soakSlack     = 3 * time.Second
	// soakMaxAttempts is the retry policy's.
	soakMaxAttempts = 4
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
// error starts a burst of up to 3.
var soakRates = chaos.Rates{
	ResetBefore:     0.03,
	ResetAfter:      0.03,
	Truncated:       0.04,
	Slow:            0.01,
	ServerError:     0.04,
	TooManyRequests: 0.03,
}

// Kinds of violations: the lies the soak looks for.
const (
	soakDuplicate   = "duplicate"     // one Create made two resources
	soakPhantom     = "phantom write" // a Create or Set reported done, not held
	soakFalseDelete = "false delete"  // a Delete or a waiter reported gone, still there
	soakHang        = "hang"          // a call outlived its deadline and slack
	// soakHarness is the soak's own failure (the fake could not be read),
	// which fails the test without blaming the SDK.
	soakHarness = "harness failure"
)

// TestSoak runs the soak: soakDefaultOps calls, or SCPVPN_SOAK_OPS, with
// faults drawn from a seed that the summary prints and SCPVPN_SOAK_SEED
// sets again. It fails on any lie, on a goroutine left behind, and on more
// connections at once than soakMaxConns.
func TestSoak(t *testing.T) {
	cfg := soakConfig{ops: soakDefaultOps, seed: uint64(time.Now().UnixNano()), rates: soakRates, contend: true, callBound: soakCallBound, slack: soakSlack}
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
	var stuck atomic.Bool
	for _, tc := range []struct {
		name, kind string
		lie        func(base http.RoundTripper) http.RoundTripper
	}{
		{"honest", "", nil},
		{"every create sent twice", soakDuplicate, lieOn(http.MethodPost, func(base http.RoundTripper, r *http.Request) (*http.Response, error) {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				return nil, err
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
		})},
		{"every set sent empty", soakPhantom, lieOn(http.MethodPut, func(base http.RoundTripper, r *http.Request) (*http.Response, error) {
			empty := r.Clone(r.Context())
			empty.Body, empty.ContentLength, empty.GetBody = io.NopCloser(strings.NewReader("{}")), 2, nil
			return base.RoundTrip(empty)
		})},
		{"every delete answered without the service", soakFalseDelete, lieOn(http.MethodDelete, func(_ http.RoundTripper, r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: http.StatusAccepted, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
		})},
		{"one get that ignores its deadline", soakHang, lieOn(http.MethodGet, func(base http.RoundTripper, r *http.Request) (*http.Response, error) {
			if stuck.Swap(true) {
				return base.RoundTrip(r)
			}
			time.Sleep(3 * time.Second) // past the call's bound and slack below, whatever its context says
			return nil, errors.New("stuck")
		})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := soakConfig{ops: 300, seed: 1, callBound: soakCallBound, slack: soakSlack, lie: tc.lie}
			if tc.kind == soakHang {
				cfg.callBound, cfg.slack = time.Second, time.Second
			}
			r := runSoak(t, cfg)
			for _, v := range r.violations {
				if v.kind != tc.kind {
					t.Errorf("unexpected %s: %s", v.kind, v.detail)
				}
			}
			if tc.kind != "" {
				require.Positive(t, r.counts[tc.kind], "the soak misses the planted %s", tc.kind)
				t.Logf("caught: %s", r.violations[0].detail)
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
	ops              int
	seed             uint64
	rates            chaos.Rates
	contend          bool // another tool sometimes holds a resource EDITING during a Set
	callBound, slack time.Duration
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
	return fmt.Sprintf("soak: ops=%d errors=%d faults=%d (%s) requests=%d duplicates=%d phantom_writes=%d false_deletes=%d hangs=%d leaked_goroutines=%d peak_conns=%d (bound %d) conns_opened=%d cut_body_errors=%d (not retried: %d) seed=%d in %s",
		r.ops, r.errs, r.stats.TotalFaults(), strings.Join(faults, " "), r.stats.Requests,
		r.counts[soakDuplicate], r.counts[soakPhantom], r.counts[soakFalseDelete], r.counts[soakHang], r.leaked,
		r.stats.PeakConns, soakMaxConns, r.stats.ConnsOpened, r.cuts, r.cutsNotRetried, r.cfg.seed, r.took.Round(time.Millisecond))
}

// runSoak runs soakWorkers workers through the proxy until cfg.ops calls
// are done, checks what they were told, and tears everything down.
func runSoak(t *testing.T, cfg soakConfig) *soakResult {
	t.Helper()
	before := goleak.IgnoreCurrent()
	started := time.Now()

	srv := vpntest.NewServer(vpntest.Options{TransitionDelay: soakTransition, GatewayQuota: 1 << 30, TunnelQuota: 1 << 30})
	proxy, err := chaos.Start(chaos.Config{
		Upstream: strings.TrimPrefix(srv.URL, "http://"),
		Seed:     cfg.seed,
		Rates:    cfg.rates,
		MaxBurst: 3,
		SlowHold: 20 * soakAttemptTimeout,
		Journal:  true,
	})
	if err != nil {
		srv.Close()
		require.NoError(t, err)
	}
	opts := []scpvpn.Option{
		scpvpn.WithEndpoint(proxy.URL),
		scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey),
		scpvpn.WithTimeout(soakAttemptTimeout),
		scpvpn.WithRetryPolicy(scpvpn.RetryPolicy{MaxAttempts: soakMaxAttempts, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 5 * time.Millisecond}),
		scpvpn.WithWaitPolicy(scpvpn.WaitPolicy{MinDelay: 2 * time.Millisecond, MaxDelay: 10 * time.Millisecond}),
	}
	if cfg.lie != nil {
		opts = append(opts, scpvpn.WithTransport(cfg.lie(&http.Transport{MaxIdleConnsPerHost: soakWorkers})))
	}
	c, err := scpvpn.NewClient(opts...)
	require.NoError(t, err)
	truth, err := scpvpn.NewClient(scpvpn.WithEndpoint(srv.URL), scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey))
	require.NoError(t, err)

	s := &soak{c: c, truth: truth, proxy: proxy, srv: srv, cfg: cfg, hung: make(chan struct{}), errKinds: map[string]int{}}
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
	c.CloseIdleConnections()
	truth.CloseIdleConnections()
	require.NoError(t, proxy.Close())
	srv.Close()
	if err := goleak.Find(before); err != nil {
		r.goroutines = err.Error()
		r.leaked = len(regexp.MustCompile(`Goroutine \d+ in state`).FindAllString(r.goroutines, -1))
	}
	r.took = time.Since(started)
	r.ops, r.errs, r.cuts, r.cutsNotRetried = s.ops.Load(), s.errs.Load(), s.cutBodies.Load(), s.cutNotRetried.Load()
	r.errKinds = s.errorKinds()
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
	c     *scpvpn.Client // under test, through the proxy
	truth *scpvpn.Client // straight to the fake, for the checks
	proxy *chaos.Proxy
	srv   *vpntest.Server // for another tool's edits
	cfg   soakConfig

	budget    atomic.Int64 // operations left to start
	ops       atomic.Int64 // operations done
	errs      atomic.Int64 // of which returned an error
	cutBodies atomic.Int64 // calls but creates failed on a cut answer
	// cutNotRetried counts gets, sets and deletes that failed on a cut
	// answer with attempts left.
	cutNotRetried atomic.Int64

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

// attempts counts the requests with method on path that arrived since
// then: those of one call, as a worker's calls on its own resources come
// one at a time.
func (s *soak) attempts(method, path string, since time.Time) int {
	n := 0
	for _, ex := range s.proxy.Exchanges(path) {
		if ex.Method == method && !ex.Start.Before(since) {
			n++
		}
	}
	return n
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

// soakGateway and soakTunnel are resources a worker owns: no one else
// touches them, so what the fake holds is what this worker's calls did.
type soakGateway struct {
	id, name string
	tunnels  []*soakTunnel
}

type soakTunnel struct {
	id, name string
}

// soakWorker runs operations on its own resources.
type soakWorker struct {
	s        *soak
	n        int
	rng      *rand.Rand
	serial   int
	gateways []*soakGateway
}

func newSoakWorker(s *soak, n int) *soakWorker {
	return &soakWorker{s: s, n: n, rng: rand.New(rand.NewPCG(s.cfg.seed, uint64(n)))}
}

// unique returns a name or description no other call uses: 1 to 20 letters
// and digits, of one length, so that a name filter (a substring match)
// finds only it.
func (w *soakWorker) unique(prefix string) string {
	w.serial++
	return fmt.Sprintf("%s%02dn%07d", prefix, w.n, w.serial)
}

// soakOp is one kind of operation, with its weight and whether it can run
// now.
type soakOp struct {
	weight int
	can    func() bool
	run    func()
}

func (w *soakWorker) run() {
	ops := []soakOp{
		{3, func() bool { return len(w.gateways) < 2 }, w.createGateway},
		{2, w.hasGateway, func() { w.getGateway(w.pickGateway()) }},
		{1, w.hasGateway, func() { w.listGateways(w.pickGateway()) }},
		{4, w.hasGateway, func() { w.setGateway(w.pickGateway()) }},
		{1, func() bool { return w.bareGateway() != nil }, func() { w.deleteGateway(w.bareGateway()) }},
		{2, w.hasGateway, func() { w.waitGateway(w.pickGateway()) }},
		{3, func() bool { return w.roomyGateway() != nil }, func() { w.createTunnel(w.roomyGateway()) }},
		{2, w.hasTunnel, func() { w.getTunnel(w.pickTunnel()) }},
		{1, w.hasTunnel, func() { w.listTunnels(w.pickTunnel()) }},
		{4, w.hasTunnel, func() { w.setTunnel(w.pickTunnel()) }},
		{1, w.hasTunnel, func() { w.deleteTunnel(w.pickTunnel()) }},
		{2, w.hasTunnel, func() { w.waitTunnel(w.pickTunnel()) }},
	}
	for w.s.budget.Load() > 0 {
		total := 0
		for _, op := range ops {
			if op.can() {
				total += op.weight
			}
		}
		x := w.rng.IntN(total)
		for _, op := range ops {
			if !op.can() {
				continue
			}
			if x < op.weight {
				op.run()
				break
			}
			x -= op.weight
		}
	}
}

func (w *soakWorker) hasGateway() bool { return len(w.gateways) > 0 }

func (w *soakWorker) hasTunnel() bool {
	for _, g := range w.gateways {
		if len(g.tunnels) > 0 {
			return true
		}
	}
	return false
}

func (w *soakWorker) pickGateway() *soakGateway { return w.gateways[w.rng.IntN(len(w.gateways))] }

// bareGateway returns a gateway without tunnels, which can be deleted.
func (w *soakWorker) bareGateway() *soakGateway {
	for _, g := range w.gateways {
		if len(g.tunnels) == 0 {
			return g
		}
	}
	return nil
}

// roomyGateway returns a gateway with room for another tunnel.
func (w *soakWorker) roomyGateway() *soakGateway {
	for _, g := range w.gateways {
		if len(g.tunnels) < 2 {
			return g
		}
	}
	return nil
}

func (w *soakWorker) pickTunnel() (*soakGateway, *soakTunnel) {
	type owned struct {
		g  *soakGateway
		tn *soakTunnel
	}
	var all []owned
	for _, g := range w.gateways {
		for _, tn := range g.tunnels {
			all = append(all, owned{g, tn})
		}
	}
	p := all[w.rng.IntN(len(all))]
	return p.g, p.tn
}

// v11 chooses the API version of the next call.
func (w *soakWorker) v11() bool { return w.rng.IntN(2) == 0 }

func soakVersion(v11 bool) string {
	if v11 {
		return "1.1"
	}
	return "1.0"
}

// call runs one operation of the client under test within its call bound,
// and reports it as hung if it has not returned some slack after that.
func (w *soakWorker) call(op, resource string, f func(ctx context.Context) error) error {
	if w.s.budget.Add(-1) < 0 {
		return errSoakOver
	}
	start := time.Now()
	noun, verb, _ := strings.Cut(op, " ")
	path := ""
	if verb != "create" && verb != "list" {
		path = soakTunnelPath(resource)
		if noun == "gateway" {
			path = soakGatewayPath(resource)
		}
	}
	bound := w.s.cfg.callBound + w.s.cfg.slack
	ctx, cancel := context.WithTimeout(context.Background(), w.s.cfg.callBound)
	defer cancel()
	dog := time.AfterFunc(bound, func() {
		requests := " not recorded by path"
		if path != "" {
			requests = w.s.journal(path, start)
		}
		w.s.violate(soakHang, "worker %d: %s %s has not returned %s after it started; requests since the call:%s",
			w.n, op, resource, bound, requests)
		w.s.hungOnce.Do(func() { close(w.s.hung) })
	})
	err := f(ctx)
	dog.Stop()
	w.s.ops.Add(1)
	if err != nil {
		w.s.errs.Add(1)
		kind := soakErrorKind(err)
		if kind == "cut-body" && verb != "create" {
			w.s.cutBodies.Add(1)
			if m, ok := soakRetriedOnCuts[verb]; ok && w.s.attempts(m, path, start) < soakMaxAttempts {
				w.s.cutNotRetried.Add(1)
			}
		}
		w.s.mu.Lock()
		w.s.errKinds[kind]++
		w.s.mu.Unlock()
	}
	return err
}

// soakRetriedOnCuts are the operations on one resource whose cut answers
// may be retried, by the method they send.
var soakRetriedOnCuts = map[string]string{"get": http.MethodGet, "set": http.MethodPut, "delete": http.MethodDelete}

// soakErrorKind sorts the errors of the client under test, for the
// summary.
func soakErrorKind(err error) string {
	var apiErr *scpvpn.APIError
	msg := err.Error()
	switch {
	case errors.As(err, &apiErr):
		return strconv.Itoa(apiErr.StatusCode)
	case strings.Contains(msg, "Client.Timeout"):
		return "attempt-timeout"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline"
	case strings.Contains(msg, "unexpected EOF"):
		return "cut-body"
	case strings.Contains(msg, "connection reset"), strings.Contains(msg, "EOF"):
		return "connection-lost"
	}
	return "other"
}

// errSoakOver stops a worker whose budget ran out between its checks.
var errSoakOver = errors.New("soak: no operations left")

// soakFakeCtx bounds a read of the fake's state.
func soakFakeCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
}

func soakGatewayPath(id string) string { return "/v1/vpn-gateways/" + id }
func soakTunnelPath(id string) string  { return "/v1/vpn-tunnels/" + id }

// soakOutcome renders a call's outcome.
func soakOutcome(err error, returned string) string {
	if err != nil {
		return "error: " + err.Error()
	}
	return "success: " + returned
}

// --- gateways -------------------------------------------------------------

func (w *soakWorker) gatewayService(v11 bool) *scpvpn.GatewayService {
	if v11 {
		return w.s.c.V1Dot1.Gateways
	}
	return w.s.c.V1Dot0.Gateways
}

func (w *soakWorker) createGateway() {
	v11 := w.v11()
	name := w.unique("g")
	req := &scpvpn.GatewayCreateRequest{
		Name: name, Description: "soak", IPAddress: "123.0.0.1", IPID: "fcde872f75c145a0893d656cc698f13e",
		IPType: scpvpn.IPTypePublic, VPCID: "ceb44ea5ecb34a49b16495f9a63b0718",
	}
	var gw *scpvpn.Gateway
	start := time.Now()
	err := w.call("gateway create", name, func(ctx context.Context) (err error) {
		gw, err = w.gatewayService(v11).Create(ctx, req)
		return err
	})
	if errors.Is(err, errSoakOver) {
		return
	}
	ctx, cancel := soakFakeCtx()
	defer cancel()
	list, lerr := w.s.truth.V1Dot1.Gateways.List(ctx, &scpvpn.GatewayListOptions{Name: name})
	if lerr != nil {
		w.s.violate(soakHarness, "the fake could not list gateways: %v", lerr)
		return
	}
	var ids []string
	for _, g := range list.Gateways {
		if g.Name == name {
			ids = append(ids, g.ID)
		}
	}
	returned := ""
	if gw != nil {
		returned = gw.ID + " " + string(gw.State)
	}
	switch {
	case len(ids) > 1:
		w.s.reportedDuplicate(name)
		w.s.violate(soakDuplicate, "worker %d: gateway create %q (v%s) -> %s; the fake holds %d gateways of that name: %v; requests that carried it:%s",
			w.n, name, soakVersion(v11), soakOutcome(err, returned), len(ids), ids, w.s.posts(name))
	case err == nil && (len(ids) == 0 || ids[0] != gw.ID):
		w.s.violate(soakPhantom, "worker %d: gateway create %q (v%s) -> %s; the fake holds %v; requests since the call:%s",
			w.n, name, soakVersion(v11), soakOutcome(err, returned), ids, w.s.journal("/v1/vpn-gateways", start))
	}
	if len(ids) > 0 {
		// Created, even if the call failed: the worker owns it.
		w.gateways = append(w.gateways, &soakGateway{id: ids[0], name: name})
	}
}

func (w *soakWorker) getGateway(g *soakGateway) {
	_ = w.call("gateway get", g.id, func(ctx context.Context) error {
		_, err := w.gatewayService(w.v11()).Get(ctx, g.id)
		return err
	})
}

func (w *soakWorker) listGateways(g *soakGateway) {
	_ = w.call("gateway list", g.name, func(ctx context.Context) error {
		_, err := w.gatewayService(w.v11()).List(ctx, &scpvpn.GatewayListOptions{Name: g.name})
		return err
	})
}

func (w *soakWorker) waitGateway(g *soakGateway) {
	_ = w.call("gateway wait-active", g.id, func(ctx context.Context) error {
		_, err := w.gatewayService(w.v11()).WaitUntilActive(ctx, g.id)
		return err
	})
}

// setGateway sets a new description, and sometimes another right after
// it, while the gateway is still EDITING: with contend, the cases where a
// retry meets 409.
func (w *soakWorker) setGateway(g *soakGateway) {
	for again := true; again; again = w.rng.IntN(3) == 0 {
		v11 := w.v11()
		desc := w.unique("d")
		var gw *scpvpn.Gateway
		start := time.Now()
		end, note := w.contend(g.id)
		err := w.call("gateway set", g.id, func(ctx context.Context) (err error) {
			gw, err = w.gatewayService(v11).Set(ctx, g.id, &scpvpn.GatewaySetRequest{Description: &desc})
			return err
		})
		end()
		if err != nil {
			continue // an error is allowed, whatever happened
		}
		ctx, cancel := soakFakeCtx()
		held, herr := w.s.truth.V1Dot1.Gateways.Get(ctx, g.id)
		cancel()
		if herr == nil && held.Description == desc {
			continue
		}
		w.phantomSet("gateway", g.id, soakGatewayPath(g.id), v11, desc, start, note,
			fmt.Sprintf("description %q, state %s", gw.Description, gw.State),
			soakHolds(herr, func() string { return fmt.Sprintf("description %q, state %s", held.Description, held.State) }))
	}
}

// phantomSet reports a Set whose values the fake does not hold after the
// SDK reported it done, unless one of its attempts was applied (then
// something else changed the resource since: not the SDK's lie).
func (w *soakWorker) phantomSet(noun, id, path string, v11 bool, desc string, start time.Time, note, returned, holds string) {
	if w.s.applied(http.MethodPut, path, desc) {
		return
	}
	w.s.violate(soakPhantom, "worker %d: %s set %s (v%s) to description %q%s -> success: %s; the fake holds %s; requests since the call:%s",
		w.n, noun, id, soakVersion(v11), desc, note, returned, holds, w.s.journal(path, start))
}

// contend, one time in four, has another tool edit the resource while the
// worker's Set is under way: the fake holds it EDITING for the whole call,
// however fast or slow the machine, so that the Set and any retry of it
// meet 409. It returns how to end that edit, and a note for reports.
func (w *soakWorker) contend(id string) (end func(), note string) {
	if !w.s.cfg.contend || w.rng.IntN(4) != 0 {
		return func() {}, ""
	}
	if err := w.s.srv.ForceState(id, "EDITING"); err != nil {
		return func() {}, ""
	}
	return func() { _ = w.s.srv.ForceState(id, "ACTIVE") }, " while another tool held it EDITING"
}

// soakHolds renders what the fake answered.
func soakHolds(err error, held func() string) string {
	if err != nil {
		return "nothing readable (" + err.Error() + ")"
	}
	return held()
}

func (w *soakWorker) deleteGateway(g *soakGateway) {
	v11 := w.v11()
	start := time.Now()
	err := w.call("gateway delete", g.id, func(ctx context.Context) error {
		return w.gatewayService(v11).Delete(ctx, g.id)
	})
	if errors.Is(err, errSoakOver) {
		return
	}
	ctx, cancel := soakFakeCtx()
	defer cancel()
	held, herr := w.s.truth.V1Dot1.Gateways.Get(ctx, g.id)
	gone := errors.Is(herr, scpvpn.ErrNotFound) || herr == nil && (held.State == scpvpn.StateDeleting || held.State == scpvpn.StateDeleted)
	if err == nil && !gone {
		w.s.violate(soakFalseDelete, "worker %d: gateway delete %s (v%s) -> success; the fake holds %s; requests since the call:%s",
			w.n, g.id, soakVersion(v11), soakHolds(herr, func() string { return "it " + string(held.State) }), w.s.journal(soakGatewayPath(g.id), start))
	}
	if !gone {
		w.adoptTunnels(ctx, g)
		return
	}
	w.gateways = slices.DeleteFunc(w.gateways, func(x *soakGateway) bool { return x == g })
	if w.rng.IntN(2) == 0 {
		w.waitDeleted("gateway", g.id, soakGatewayPath(g.id), func(ctx context.Context) error {
			return w.gatewayService(w.v11()).WaitUntilDeleted(ctx, g.id)
		}, func(ctx context.Context) (scpvpn.State, error) {
			gw, err := w.s.truth.V1Dot1.Gateways.Get(ctx, g.id)
			if err != nil {
				return "", err
			}
			return gw.State, nil
		})
	}
}

// adoptTunnels takes on the tunnels of g that a failed Create made
// without the worker knowing: they keep g from being deleted. Tunnels on
// their way out are the worker's own, deleted already.
func (w *soakWorker) adoptTunnels(ctx context.Context, g *soakGateway) {
	for tn, err := range w.s.truth.V1Dot1.Tunnels.All(ctx, &scpvpn.TunnelListOptionsV1Dot1{VPNGatewayID: g.id}) {
		if err != nil {
			return
		}
		leaving := tn.State == scpvpn.StateDeleting || tn.State == scpvpn.StateDeleted
		if !leaving && !slices.ContainsFunc(g.tunnels, func(x *soakTunnel) bool { return x.id == tn.ID }) {
			g.tunnels = append(g.tunnels, &soakTunnel{id: tn.ID, name: tn.Name})
		}
	}
}

// waitDeleted waits for a deleted resource to be gone, and checks that it
// is when the waiter says so.
func (w *soakWorker) waitDeleted(noun, id, path string, wait func(ctx context.Context) error, state func(ctx context.Context) (scpvpn.State, error)) {
	start := time.Now()
	err := w.call(noun+" wait-deleted", id, wait)
	if err != nil {
		return
	}
	ctx, cancel := soakFakeCtx()
	defer cancel()
	st, serr := state(ctx)
	if errors.Is(serr, scpvpn.ErrNotFound) || serr == nil && st == scpvpn.StateDeleted {
		return
	}
	w.s.violate(soakFalseDelete, "worker %d: %s wait-deleted %s -> success; the fake holds %s; requests since the call:%s",
		w.n, noun, id, soakHolds(serr, func() string { return "it " + string(st) }), w.s.journal(path, start))
}

// --- tunnels --------------------------------------------------------------

// soakTunnelValues are what a tunnel Set asks for; zero fields are not set.
type soakTunnelValues struct {
	desc              string
	dpd, life1, life2 int
	remoteSubnet      string // version 1.0
	remoteSubnets     []string
	heldSubnets       []string // what the fake should then show in version 1.1
	v11               bool
	returned          string // what the SDK said it holds, on success
}

func (w *soakWorker) createTunnel(g *soakGateway) {
	v11 := w.v11()
	name := w.unique("t")
	phase1 := scpvpn.TunnelPhase1CreateRequest{
		DPDRetryInterval: 60, IKEVersion: 2, PeerGatewayIP: "123.0.0.2",
		DiffieHellmanGroups: []int{30, 31}, Encryptions: []string{"aes128gcm"}, LifeTime: 86400,
		PreSharedKey: "soak-pre-shared-key",
	}
	var id, state string
	start := time.Now()
	err := w.call("tunnel create", name, func(ctx context.Context) error {
		if v11 {
			tn, err := w.s.c.V1Dot1.Tunnels.Create(ctx, &scpvpn.TunnelCreateRequestV1Dot1{
				Name: name, Description: "soak", VPNGatewayID: g.id, Phase1: phase1,
				Phase2: scpvpn.TunnelPhase2CreateRequestV1Dot1{
					PerfectForwardSecrecy: scpvpn.PFSEnable, DiffieHellmanGroups: []int{30}, Encryptions: []string{"aes128gcm"},
					LifeTime: 43200, RemoteSubnets: []string{"10.1.1.0/24", "10.1.2.0/24"},
				},
			})
			if err == nil {
				id, state = tn.ID, string(tn.State)
			}
			return err
		}
		tn, err := w.s.c.V1Dot0.Tunnels.Create(ctx, &scpvpn.TunnelCreateRequest{
			Name: name, Description: "soak", VPNGatewayID: g.id, Phase1: phase1,
			Phase2: scpvpn.TunnelPhase2CreateRequest{
				PerfectForwardSecrecy: scpvpn.PFSDisable, DiffieHellmanGroups: []int{31}, Encryptions: []string{"aes128gcm"},
				LifeTime: 43200, RemoteSubnet: "10.2.0.0/16",
			},
		})
		if err == nil {
			id, state = tn.ID, string(tn.State)
		}
		return err
	})
	if errors.Is(err, errSoakOver) {
		return
	}
	ctx, cancel := soakFakeCtx()
	defer cancel()
	list, lerr := w.s.truth.V1Dot1.Tunnels.List(ctx, &scpvpn.TunnelListOptionsV1Dot1{Name: name})
	if lerr != nil {
		w.s.violate(soakHarness, "the fake could not list tunnels: %v", lerr)
		return
	}
	var ids []string
	for _, tn := range list.Tunnels {
		if tn.Name == name {
			ids = append(ids, tn.ID)
		}
	}
	switch {
	case len(ids) > 1:
		w.s.reportedDuplicate(name)
		w.s.violate(soakDuplicate, "worker %d: tunnel create %q on %s (v%s) -> %s; the fake holds %d tunnels of that name: %v; requests that carried it:%s",
			w.n, name, g.id, soakVersion(v11), soakOutcome(err, id+" "+state), len(ids), ids, w.s.posts(name))
	case err == nil && (len(ids) == 0 || ids[0] != id):
		w.s.violate(soakPhantom, "worker %d: tunnel create %q on %s (v%s) -> %s; the fake holds %v; requests since the call:%s",
			w.n, name, g.id, soakVersion(v11), soakOutcome(err, id+" "+state), ids, w.s.journal("/v1/vpn-tunnels", start))
	}
	if len(ids) > 0 {
		g.tunnels = append(g.tunnels, &soakTunnel{id: ids[0], name: name})
	}
}

func (w *soakWorker) getTunnel(_ *soakGateway, tn *soakTunnel) {
	_ = w.call("tunnel get", tn.id, func(ctx context.Context) error {
		if w.v11() {
			_, err := w.s.c.V1Dot1.Tunnels.Get(ctx, tn.id)
			return err
		}
		_, err := w.s.c.V1Dot0.Tunnels.Get(ctx, tn.id)
		return err
	})
}

func (w *soakWorker) listTunnels(g *soakGateway, tn *soakTunnel) {
	_ = w.call("tunnel list", tn.name, func(ctx context.Context) error {
		if w.v11() {
			_, err := w.s.c.V1Dot1.Tunnels.List(ctx, &scpvpn.TunnelListOptionsV1Dot1{Name: tn.name, VPNGatewayID: g.id})
			return err
		}
		_, err := w.s.c.V1Dot0.Tunnels.List(ctx, &scpvpn.TunnelListOptions{Name: tn.name, VPNGatewayID: g.id})
		return err
	})
}

func (w *soakWorker) waitTunnel(_ *soakGateway, tn *soakTunnel) {
	_ = w.call("tunnel wait-active", tn.id, func(ctx context.Context) error {
		if w.v11() {
			_, err := w.s.c.V1Dot1.Tunnels.WaitUntilActive(ctx, tn.id)
			return err
		}
		_, err := w.s.c.V1Dot0.Tunnels.WaitUntilActive(ctx, tn.id)
		return err
	})
}

// tunnelValues draws what a tunnel Set asks for: always a new description,
// and some phase fields.
func (w *soakWorker) tunnelValues() *soakTunnelValues {
	v := &soakTunnelValues{desc: w.unique("d"), v11: w.v11()}
	if w.rng.IntN(2) == 0 {
		v.dpd = 1 + w.rng.IntN(3600)
	}
	if w.rng.IntN(2) == 0 {
		v.life1 = 120 + w.rng.IntN(172680)
	}
	if w.rng.IntN(2) == 0 {
		v.life2 = 120 + w.rng.IntN(172680)
	}
	if w.rng.IntN(3) == 0 {
		subnet := fmt.Sprintf("10.%d.%d.0/24", 3+w.rng.IntN(200), w.rng.IntN(256))
		if v.v11 {
			v.remoteSubnets = []string{subnet, "10.250.0.0/16"}
		} else {
			v.remoteSubnet = subnet
			v.heldSubnets = []string{subnet}
		}
		if v.v11 {
			v.heldSubnets = v.remoteSubnets
		}
	}
	return v
}

// setTunnel sets new values, and sometimes others right after them, as
// setGateway does.
func (w *soakWorker) setTunnel(_ *soakGateway, tn *soakTunnel) {
	for again := true; again; again = w.rng.IntN(3) == 0 {
		v := w.tunnelValues()
		start := time.Now()
		end, note := w.contend(tn.id)
		err := w.call("tunnel set", tn.id, func(ctx context.Context) error { return w.sendTunnelSet(ctx, tn.id, v) })
		end()
		if err != nil {
			continue
		}
		ctx, cancel := soakFakeCtx()
		held, herr := w.s.truth.V1Dot1.Tunnels.Get(ctx, tn.id)
		cancel()
		if herr == nil && v.heldBy(held) {
			continue
		}
		w.phantomSet("tunnel", tn.id, soakTunnelPath(tn.id), v.v11, v.desc, start, note, v.returned+"; asked for "+v.String(),
			soakHolds(herr, func() string { return soakTunnelString(held) }))
	}
}

// sendTunnelSet sends v through the client under test, in its version.
func (w *soakWorker) sendTunnelSet(ctx context.Context, id string, v *soakTunnelValues) error {
	var p1 *scpvpn.TunnelPhase1SetRequest
	if v.dpd != 0 || v.life1 != 0 {
		p1 = &scpvpn.TunnelPhase1SetRequest{DPDRetryInterval: v.dpd, LifeTime: v.life1}
	}
	if v.v11 {
		req := &scpvpn.TunnelSetRequestV1Dot1{Description: &v.desc, Phase1: p1}
		if v.life2 != 0 || v.remoteSubnets != nil {
			req.Phase2 = &scpvpn.TunnelPhase2SetRequestV1Dot1{LifeTime: v.life2, RemoteSubnets: v.remoteSubnets}
		}
		tn, err := w.s.c.V1Dot1.Tunnels.Set(ctx, id, req)
		if err == nil {
			v.returned = soakTunnelString(tn)
		}
		return err
	}
	req := &scpvpn.TunnelSetRequest{Description: &v.desc, Phase1: p1}
	if v.life2 != 0 || v.remoteSubnet != "" {
		req.Phase2 = &scpvpn.TunnelPhase2SetRequest{LifeTime: v.life2, RemoteSubnet: v.remoteSubnet}
	}
	tn, err := w.s.c.V1Dot0.Tunnels.Set(ctx, id, req)
	if err == nil {
		v.returned = fmt.Sprintf("description %q, dpd %d, life %d/%d, subnet %q, state %s",
			tn.Description, tn.Phase1.DPDRetryInterval, tn.Phase1.LifeTime, tn.Phase2.LifeTime, tn.Phase2.RemoteSubnet, tn.State)
	}
	return err
}

// heldBy reports whether tn holds every value v asked for.
func (v *soakTunnelValues) heldBy(tn *scpvpn.TunnelV1Dot1) bool {
	return tn.Description == v.desc &&
		(v.dpd == 0 || tn.Phase1.DPDRetryInterval == v.dpd) &&
		(v.life1 == 0 || tn.Phase1.LifeTime == v.life1) &&
		(v.life2 == 0 || tn.Phase2.LifeTime == v.life2) &&
		(v.heldSubnets == nil || soakSameSet(tn.Phase2.RemoteSubnets, v.heldSubnets))
}

func (v *soakTunnelValues) String() string {
	return fmt.Sprintf("description %q, dpd %d, life %d/%d, subnets %v (zero: unchanged)", v.desc, v.dpd, v.life1, v.life2, v.heldSubnets)
}

func soakTunnelString(tn *scpvpn.TunnelV1Dot1) string {
	return fmt.Sprintf("description %q, dpd %d, life %d/%d, subnets %v, state %s",
		tn.Description, tn.Phase1.DPDRetryInterval, tn.Phase1.LifeTime, tn.Phase2.LifeTime, tn.Phase2.RemoteSubnets, tn.State)
}

func soakSameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	sort.Strings(a)
	sort.Strings(b)
	return slices.Equal(a, b)
}

func (w *soakWorker) deleteTunnel(g *soakGateway, tn *soakTunnel) {
	v11 := w.v11()
	start := time.Now()
	err := w.call("tunnel delete", tn.id, func(ctx context.Context) error {
		if v11 {
			return w.s.c.V1Dot1.Tunnels.Delete(ctx, tn.id)
		}
		return w.s.c.V1Dot0.Tunnels.Delete(ctx, tn.id)
	})
	if errors.Is(err, errSoakOver) {
		return
	}
	state := func(ctx context.Context) (scpvpn.State, error) {
		held, err := w.s.truth.V1Dot1.Tunnels.Get(ctx, tn.id)
		if err != nil {
			return "", err
		}
		return held.State, nil
	}
	ctx, cancel := soakFakeCtx()
	st, serr := state(ctx)
	cancel()
	gone := errors.Is(serr, scpvpn.ErrNotFound) || serr == nil && (st == scpvpn.StateDeleting || st == scpvpn.StateDeleted)
	if err == nil && !gone {
		w.s.violate(soakFalseDelete, "worker %d: tunnel delete %s (v%s) -> success; the fake holds %s; requests since the call:%s",
			w.n, tn.id, soakVersion(v11), soakHolds(serr, func() string { return "it " + string(st) }), w.s.journal(soakTunnelPath(tn.id), start))
	}
	if !gone {
		return
	}
	g.tunnels = slices.DeleteFunc(g.tunnels, func(x *soakTunnel) bool { return x == tn })
	if w.rng.IntN(2) == 0 {
		w.waitDeleted("tunnel", tn.id, soakTunnelPath(tn.id), func(ctx context.Context) error {
			if w.v11() {
				return w.s.c.V1Dot1.Tunnels.WaitUntilDeleted(ctx, tn.id)
			}
			return w.s.c.V1Dot0.Tunnels.WaitUntilDeleted(ctx, tn.id)
		}, state)
	}
}
