// Package chaos is a fault-injecting proxy for HTTP/1.1, for soak tests of
// the SDK: it sits in front of a server (such as vpntest) and, for each
// request, at random, does what real networks and gateways do: resets the
// connection before or after the request reached the server, cuts an
// answer's body, holds an answer back, answers bursts of 5xx or 429 with
// Retry-After. It works on connections, not on http.Handler, so that
// resets are real (RST) and bodies are really cut; requests are forwarded
// byte for byte. It counts every fault it injects and every connection,
// and keeps a journal of what it did to each request.
package chaos

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"
)

const (
	// upstreamTimeout bounds one exchange with the upstream.
	upstreamTimeout = 30 * time.Second
	// dialTimeout bounds connecting to the upstream.
	dialTimeout = 5 * time.Second
)

// errClosed is the failure of an exchange cut short by Close.
var errClosed = errors.New("chaos: proxy closed")

// A Proxy forwards HTTP/1.1 connections to an upstream and injects faults.
// It is safe for concurrent use.
type Proxy struct {
	// URL is the base URL of the proxy, such as "http://127.0.0.1:41517".
	URL string

	cfg    Config
	ln     net.Listener
	ctx    context.Context // ends on Close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	dice     *dice
	conns    map[net.Conn]bool // open connections; true for client ones
	nextConn uint64
	stats    Stats
	journal  []Exchange
	byPath   map[string][]int // indexes in journal, by Exchange.Path
	seq      uint64
	keep     bool // keep the journal
}

// Start listens on cfg.Addr and serves until Close.
func Start(cfg Config) (*Proxy, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("chaos: failed to listen on %s: %w", cfg.Addr, err)
	}
	p := &Proxy{
		URL:    "http://" + ln.Addr().String(),
		cfg:    cfg,
		ln:     ln,
		ctx:    ctx,
		cancel: cancel,
		dice:   newDice(cfg),
		conns:  map[net.Conn]bool{},
		byPath: map[string][]int{},
		stats:  Stats{Faults: map[Fault]int{}, Statuses: map[int]int{}},
		keep:   cfg.Journal,
	}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

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
	err := p.ln.Close()
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
	found := make([]Exchange, 0, len(p.byPath[path]))
	for _, i := range p.byPath[path] {
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

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		conn, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		id, ok := p.track(conn, true)
		if !ok {
			_ = conn.Close()
			return
		}
		p.wg.Add(1)
		go p.serve(conn, id)
	}
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
	if ex.Forwarded {
		p.stats.Forwarded++
	}
	if ex.UpstreamErr != "" {
		p.stats.UpstreamErrors++
	}
	if ex.Fault != None {
		p.stats.Faults[ex.Fault]++
	}
	if ex.Fault == ServerError || ex.Fault == TooManyRequests {
		p.stats.Statuses[ex.Status]++
		if ex.Forwarded {
			p.stats.ForwardedErrors++
		}
	}
	if p.keep {
		path := ex.Path()
		p.byPath[path] = append(p.byPath[path], len(p.journal))
		p.journal = append(p.journal, *ex)
	}
}

// serve relays the requests of one client connection until it closes or
// a fault ends it.
func (p *Proxy) serve(conn net.Conn, id uint64) {
	defer p.wg.Done()
	defer p.untrack(conn)
	br := bufio.NewReader(conn)
	bw := bufio.NewWriter(conn)
	for {
		if _, err := br.Peek(1); err != nil {
			return // the client hung up
		}
		ex := &Exchange{Conn: id, Start: time.Now()}
		pl := p.draw()
		if pl.fault == ResetBefore {
			arrived, _ := br.Peek(br.Buffered())
			ex.Method, ex.Target = requestLine(arrived)
			ex.Fault = ResetBefore
			p.record(ex)
			reset(conn)
			return
		}
		req, err := readRequest(br)
		if err != nil {
			return // the client hung up mid-request, or sent no HTTP
		}
		ex.Method, ex.Target, ex.Body = req.method, req.target, req.body
		if !p.exchange(conn, br, bw, req, pl, ex) {
			return
		}
	}
}

// exchange answers one request as pl says, and reports whether the
// connection stays open.
func (p *Proxy) exchange(conn net.Conn, br *bufio.Reader, bw *bufio.Writer, req *request, pl plan, ex *Exchange) bool {
	var a *answer
	switch pl.fault {
	case ServerError, TooManyRequests:
		if pl.forward {
			up, err := p.roundTrip(req)
			ex.Forwarded = !errors.Is(err, errNotSent)
			if err != nil {
				ex.UpstreamErr = err.Error()
			} else {
				ex.UpstreamStatus = up.code
			}
		}
		a = proxyAnswer(pl.status, p.cfg.RetryAfter, fmt.Sprintf("chaos-%d-%d", ex.Conn, time.Now().UnixNano()))
	default:
		up, err := p.roundTrip(req)
		ex.Forwarded = !errors.Is(err, errNotSent)
		if err != nil {
			// The gateway's own failure, not an injected fault.
			ex.UpstreamErr = err.Error()
			pl = plan{fault: None}
			a = proxyAnswer(502, 0, fmt.Sprintf("chaos-%d-%d", ex.Conn, time.Now().UnixNano()))
		} else {
			ex.UpstreamStatus = up.code
			a = up
		}
	}
	if pl.fault == Truncated && len(a.body) == 0 {
		pl.fault = None // nothing to cut
	}
	ex.Fault = pl.fault
	if pl.fault != ResetAfter {
		ex.Status = a.code
	}
	p.record(ex)
	switch pl.fault {
	case ResetAfter:
		reset(conn)
		return false
	case Truncated:
		_ = writeAnswer(bw, a, int(pl.cut*float64(len(a.body))))
		return false // serve closes the connection
	case Slow:
		if !p.hold(conn, br) {
			return false
		}
	}
	return writeAnswer(bw, a, len(a.body)) == nil && !req.close
}

// hold waits for Config.SlowHold, and reports false if the client hung up
// (or the proxy closed) in the meantime.
func (p *Proxy) hold(conn net.Conn, br *bufio.Reader) bool {
	_ = conn.SetReadDeadline(time.Now().Add(p.cfg.SlowHold))
	_, err := br.Peek(1)
	_ = conn.SetReadDeadline(time.Time{})
	return err == nil || errors.Is(err, os.ErrDeadlineExceeded)
}

// errNotSent is the failure of a forward that could not connect: the
// upstream never saw the request.
var errNotSent = errors.New("chaos: upstream unreachable")

// roundTrip sends req over a new connection to the upstream and reads its
// whole answer.
func (p *Proxy) roundTrip(req *request) (*answer, error) {
	d := net.Dialer{Timeout: dialTimeout}
	up, err := d.DialContext(p.ctx, "tcp", p.cfg.Upstream)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errNotSent, err)
	}
	if _, ok := p.track(up, false); !ok {
		_ = up.Close()
		return nil, fmt.Errorf("%w: %w", errNotSent, errClosed)
	}
	defer p.untrack(up)
	_ = up.SetDeadline(time.Now().Add(upstreamTimeout))
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
