// Package chaos is a fault-injecting proxy for HTTP/1.1 and HTTP/2, for
// soak tests of the SDK: it sits in front of a server (such as vpntest)
// and, for each request, at random, does what real networks, proxies and
// gateways do: resets the connection (or the HTTP/2 stream) before or
// after the request reached the server, drops the connection without an
// answer, cuts an answer's body, holds an answer back, answers bursts of
// 5xx or 429 with Retry-After, answers 101 or 103 instead of (or before)
// the answer, answers 404 for a path it "does not route", answers a create
// the server accepted with a body that does not decode. It works on
// connections, not on http.Handler, so that resets are real (RST, or
// RST_STREAM with the error code chosen) and bodies are really cut;
// HTTP/1.1 requests are forwarded byte for byte. Clients reach it in plain
// HTTP/1.1 (Proxy.URL) or over TLS (Proxy.TLSURL), where it speaks
// HTTP/2 or HTTP/1.1 as the client chooses. It counts every fault it
// injects and every connection, and keeps a journal of what it did to
// each request.
package chaos

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"time"
)

const (
	// upstreamTimeout bounds one exchange with the upstream, and one
	// write to a client.
	upstreamTimeout = 30 * time.Second
	// dialTimeout bounds connecting to the upstream.
	dialTimeout = 5 * time.Second
	// handshakeTimeout bounds a client's TLS handshake and HTTP/2
	// preface.
	handshakeTimeout = 10 * time.Second
)

// errClosed is the failure of an exchange cut short by Close.
var errClosed = errors.New("chaos: proxy closed")

// A Proxy forwards HTTP connections to an upstream and injects faults.
// It is safe for concurrent use.
type Proxy struct {
	// URL is the base URL of the proxy's plain HTTP/1.1 listener, such as
	// "http://127.0.0.1:41517".
	URL string
	// TLSURL is the base URL of its TLS listener, such as
	// "https://127.0.0.1:41519"; "" unless Config.TLSUpstream is set.
	TLSURL string

	cfg     Config
	lns     []net.Listener
	rootCAs *x509.CertPool  // vouches for the TLS listener's certificate
	ctx     context.Context // ends on Close
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	dice     *dice
	conns    map[net.Conn]bool // open connections; true for client ones
	nextConn uint64
	stats    Stats
	journal  []Exchange
	byPath   map[string][]int // indexes in journal, by Exchange.Path
	byTag    map[string][]int // indexes in journal, by Exchange.Tag
	seq      uint64
	keep     bool // keep the journal
}

// side is what one listener serves: the upstream its requests go to, and
// the TLS its clients speak (nil for none).
type side struct {
	upstream    string
	upstreamTLS *tls.Config // nil: plain
	serverTLS   *tls.Config // nil: plain
}

// clientConn is one client connection.
type clientConn struct {
	conn net.Conn // what is read and written: raw, or TLS over it
	raw  net.Conn // the TCP connection, for resets
	id   uint64
	side *side
}

// Start listens on cfg.Addr (and cfg.TLSAddr) and serves until Close.
func Start(cfg Config) (*Proxy, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	p := &Proxy{
		cfg:    cfg,
		ctx:    ctx,
		cancel: cancel,
		dice:   newDice(cfg),
		conns:  map[net.Conn]bool{},
		byPath: map[string][]int{},
		byTag:  map[string][]int{},
		stats:  Stats{Protos: map[string]int{}, Faults: map[Fault]int{}, Statuses: map[int]int{}},
		keep:   cfg.Journal,
	}
	plain, err := p.listen(cfg.Addr)
	if err != nil {
		cancel()
		return nil, err
	}
	p.URL = "http://" + plain.Addr().String()
	sides := []*side{{upstream: cfg.Upstream}}
	if cfg.TLSUpstream != "" {
		s, err := p.tlsSide()
		if err != nil {
			p.closeListeners()
			return nil, err
		}
		ln, err := p.listen(cfg.TLSAddr)
		if err != nil {
			p.closeListeners()
			return nil, err
		}
		p.TLSURL = "https://" + ln.Addr().String()
		sides = append(sides, s)
	}
	for i, ln := range p.lns {
		p.wg.Add(1)
		go p.accept(ln, sides[i])
	}
	return p, nil
}

// listen opens one listener of the proxy.
func (p *Proxy) listen(addr string) (net.Listener, error) {
	ln, err := new(net.ListenConfig).Listen(p.ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("chaos: failed to listen on %s: %w", addr, err)
	}
	p.lns = append(p.lns, ln)
	return ln, nil
}

// closeListeners undoes a Start that failed half way.
func (p *Proxy) closeListeners() {
	p.cancel()
	for _, ln := range p.lns {
		_ = ln.Close()
	}
}

// RootCAs returns a pool that trusts the certificate of the TLS listener,
// for the clients of TLSURL; nil when there is none.
func (p *Proxy) RootCAs() *x509.CertPool { return p.rootCAs }

// Close stops listening, closes every connection, client and upstream, and
// waits for the proxy's goroutines to end. It can be called more than once.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	conns := make([]net.Conn, 0, len(p.conns))
	for c := range p.conns {
		conns = append(conns, c)
	}
	p.mu.Unlock()
	p.cancel()
	var err error
	for _, ln := range p.lns {
		err = errors.Join(err, ln.Close())
	}
	for _, c := range conns {
		_ = c.Close()
	}
	p.wg.Wait()
	return err
}

// Exchanges returns the exchanges recorded so far whose target's path is
// path, oldest first; it is empty unless Config.Journal is set. Unlike
// Journal, its cost does not grow with the whole journal.
func (p *Proxy) Exchanges(path string) []Exchange {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pick(p.byPath[path])
}

// Tagged returns the exchanges recorded so far whose Tag is tag, oldest
// first; it is empty unless Config.Journal and Config.TagHeader are set.
func (p *Proxy) Tagged(tag string) []Exchange {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pick(p.byTag[tag])
}

// pick copies the exchanges at indexes of the journal. The caller holds
// p.mu.
func (p *Proxy) pick(indexes []int) []Exchange {
	found := make([]Exchange, 0, len(indexes))
	for _, i := range indexes {
		found = append(found, p.journal[i])
	}
	return found
}

// Stats returns the counters so far.
func (p *Proxy) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats.clone()
}

// Journal returns the exchanges recorded so far for which match reports
// true (all of them when match is nil), oldest first. It is empty unless
// Config.Journal is set.
func (p *Proxy) Journal(match func(*Exchange) bool) []Exchange {
	p.mu.Lock()
	defer p.mu.Unlock()
	var found []Exchange
	for i := range p.journal {
		if match == nil || match(&p.journal[i]) {
			found = append(found, p.journal[i])
		}
	}
	return found
}

func (p *Proxy) accept(ln net.Listener, s *side) {
	defer p.wg.Done()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return // closed
		}
		id, ok := p.track(conn, true)
		if !ok {
			_ = conn.Close()
			return
		}
		p.wg.Add(1)
		go p.serve(&clientConn{conn: conn, raw: conn, id: id, side: s})
	}
}

// serve serves one client connection, in the protocol it speaks, until it
// closes or a fault ends it.
func (p *Proxy) serve(cc *clientConn) {
	defer p.wg.Done()
	defer p.untrack(cc.raw)
	if cc.side.serverTLS == nil {
		p.serveHTTP1(cc)
		return
	}
	tc := tls.Server(cc.raw, cc.side.serverTLS)
	_ = tc.SetDeadline(time.Now().Add(handshakeTimeout))
	if err := tc.HandshakeContext(p.ctx); err != nil {
		return
	}
	_ = tc.SetDeadline(time.Time{})
	cc.conn = tc
	if tc.ConnectionState().NegotiatedProtocol == "h2" {
		p.serveHTTP2(cc)
		return
	}
	p.serveHTTP1(cc)
}

// track registers an open connection, unless the proxy is closed, and
// returns a client connection's number.
func (p *Proxy) track(conn net.Conn, client bool) (uint64, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return 0, false
	}
	p.conns[conn] = client
	if !client {
		return 0, true
	}
	p.nextConn++
	p.stats.ConnsOpened++
	p.stats.OpenConns++
	p.stats.PeakConns = max(p.stats.PeakConns, p.stats.OpenConns)
	return p.nextConn, true
}

// untrack closes a connection and forgets it.
func (p *Proxy) untrack(conn net.Conn) {
	_ = conn.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	if client, ok := p.conns[conn]; ok {
		delete(p.conns, conn)
		if client {
			p.stats.OpenConns--
		}
	}
}

// draw chooses the plan of the next request.
func (p *Proxy) draw() plan {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dice.draw()
}

// record counts ex and keeps it in the journal. It is called before the
// client can see any of the answer, so that whoever reads the journal
// after a call returned finds every attempt of that call.
func (p *Proxy) record(ex *Exchange) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seq++
	ex.Seq = p.seq
	p.stats.Requests++
	p.stats.Protos[ex.Proto]++
	if ex.Forwarded {
		p.stats.Forwarded++
	}
	if ex.UpstreamErr != "" {
		p.stats.UpstreamErrors++
	}
	if ex.Fault != None {
		p.stats.Faults[ex.Fault]++
	}
	switch ex.Fault {
	case ServerError, TooManyRequests:
		p.stats.Statuses[ex.Status]++
		if ex.Forwarded {
			p.stats.ForwardedErrors++
		}
	case NotRouted:
		p.stats.Statuses[ex.Status]++
	case Informational:
		p.stats.Statuses[ex.Informational]++
	}
	if p.keep {
		i := len(p.journal)
		p.journal = append(p.journal, *ex)
		path := ex.Path()
		p.byPath[path] = append(p.byPath[path], i)
		if ex.Tag != "" {
			p.byTag[ex.Tag] = append(p.byTag[ex.Tag], i)
		}
	}
}

// act does what pl says with req up to the answer: it forwards req when pl
// asks for it, chooses what the client is to get (nil: no answer), fills
// ex in and records it. A fault that cannot apply (a body to cut or to
// spoil that is not there) becomes None, and so does one whose forward
// failed: the proxy then answers 502 as a gateway does.
func (p *Proxy) act(s *side, req *request, pl plan, ex *Exchange) (*answer, plan) {
	ex.Method, ex.Target, ex.Body, ex.Tag = req.method, req.target, req.body, req.tag
	forward := true
	switch pl.fault {
	case ServerError, TooManyRequests, Informational:
		forward = pl.forward
	case NotRouted, ResetBefore:
		forward = false
	}
	var up *answer
	var upErr error
	if forward {
		up, upErr = p.roundTrip(s, req)
		ex.Forwarded = !errors.Is(upErr, errNotSent)
		if upErr != nil {
			ex.UpstreamErr = upErr.Error()
		} else {
			ex.UpstreamStatus = up.code
		}
	}
	var a *answer
	switch {
	case pl.fault == ServerError || pl.fault == TooManyRequests:
		a = proxyAnswer(pl.status, p.cfg.RetryAfter, p.requestID(ex))
	case pl.fault == NotRouted:
		a, ex.Detail = notRoutedAnswer(pl.variant)
	case pl.fault == ResetBefore:
	case upErr != nil:
		// The gateway's own failure, not an injected fault.
		pl = plan{fault: None}
		a = proxyAnswer(502, 0, p.requestID(ex))
	case pl.fault == Informational:
		ex.Informational = pl.status
		if pl.answer {
			a = up
		}
	case pl.fault == Undecodable && req.method == "POST" && up.code/100 == 2 && len(up.body) > 0:
		a, ex.Detail = undecodableAnswer(up, pl)
	case pl.fault == Undecodable || pl.fault == Truncated && len(up.body) == 0:
		pl.fault = None // nothing to spoil or to cut
		a = up
	default:
		a = up
	}
	ex.Fault = pl.fault
	if a != nil && pl.fault != ResetAfter && pl.fault != Dropped {
		ex.Status = a.code
	}
	p.record(ex)
	return a, pl
}

// requestID is the X-Request-Id of an answer the proxy makes up.
func (p *Proxy) requestID(ex *Exchange) string {
	return fmt.Sprintf("chaos-%d-%d", ex.Conn, time.Now().UnixNano())
}

// errNotSent is the failure of a forward that could not connect: the
// upstream never saw the request.
var errNotSent = errors.New("chaos: upstream unreachable")

// roundTrip sends req over a new connection to the upstream of s and
// reads its whole answer.
func (p *Proxy) roundTrip(s *side, req *request) (*answer, error) {
	d := net.Dialer{Timeout: dialTimeout}
	raw, err := d.DialContext(p.ctx, "tcp", s.upstream)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errNotSent, err)
	}
	if _, ok := p.track(raw, false); !ok {
		_ = raw.Close()
		return nil, fmt.Errorf("%w: %w", errNotSent, errClosed)
	}
	defer p.untrack(raw)
	_ = raw.SetDeadline(time.Now().Add(upstreamTimeout))
	up := raw
	if s.upstreamTLS != nil {
		tc := tls.Client(raw, s.upstreamTLS)
		if err := tc.HandshakeContext(p.ctx); err != nil {
			return nil, fmt.Errorf("%w: %w", errNotSent, err)
		}
		up = tc
	}
	if _, err := up.Write(req.raw); err != nil {
		return nil, err
	}
	return readAnswer(bufio.NewReader(up), req.method)
}

// reset closes conn with an RST rather than a FIN.
func reset(conn net.Conn) {
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// hopByHop are the headers that describe one connection, not the answer;
// they are dropped when an answer is written again.
var hopByHop = []string{"Connection", "Keep-Alive", "Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade", "Content-Length"}

// isHopByHop reports whether the header name (in any case) is one of
// hopByHop.
func isHopByHop(name string) bool {
	return slices.ContainsFunc(hopByHop, func(h string) bool { return strings.EqualFold(h, name) })
}
