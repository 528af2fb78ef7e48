package chaos

// HTTP/1.1 on the client side: requests read one after the other off a
// connection, plain or TLS, and each answered as its plan says.

import (
	"bufio"
	"errors"
	"os"
	"time"
)

// serveHTTP1 relays the requests of one client connection until it closes
// or a fault ends it.
func (p *Proxy) serveHTTP1(cc *clientConn) {
	br := bufio.NewReader(cc.conn)
	bw := bufio.NewWriter(cc.conn)
	for reused := false; ; reused = true {
		if _, err := br.Peek(1); err != nil {
			return // the client hung up
		}
		ex := &Exchange{Conn: cc.id, Proto: HTTP1, TLS: cc.side.serverTLS != nil, Reused: reused, Start: time.Now()}
		pl := p.draw()
		if pl.fault == ResetBefore {
			arrived, _ := br.Peek(br.Buffered())
			ex.Method, ex.Target = requestLine(arrived)
			ex.Tag = arrivedHeader(arrived, p.cfg.TagHeader)
			ex.Fault = ResetBefore
			p.record(ex)
			reset(cc.raw)
			return
		}
		req, err := readRequest(br, p.cfg.TagHeader)
		if err != nil {
			return // the client hung up mid-request, or sent no HTTP
		}
		if !p.exchange(cc, br, bw, req, pl, ex) {
			return
		}
	}
}

// exchange answers one request as pl says, and reports whether the
// connection stays open.
func (p *Proxy) exchange(cc *clientConn, br *bufio.Reader, bw *bufio.Writer, req *request, pl plan, ex *Exchange) bool {
	a, pl := p.act(cc.side, req, pl, ex)
	_ = cc.conn.SetWriteDeadline(time.Now().Add(upstreamTimeout))
	switch pl.fault {
	case ResetAfter:
		reset(cc.raw)
		return false
	case Dropped:
		return false // serve closes the connection: a FIN, no answer
	case Truncated:
		_ = writeAnswer(bw, a, int(pl.cut*float64(len(a.body))))
		return false // serve closes the connection
	case Slow:
		if !p.hold(cc, br) {
			return false
		}
	case Informational:
		if writeInformational(bw, pl.status) != nil {
			return false
		}
		if a == nil {
			p.hold(cc, br)
			return false
		}
	}
	_ = cc.conn.SetWriteDeadline(time.Now().Add(upstreamTimeout))
	return writeAnswer(bw, a, len(a.body)) == nil && !req.close
}

// hold waits for Config.SlowHold, and reports false if the client hung up
// (or the proxy closed) in the meantime.
func (p *Proxy) hold(cc *clientConn, br *bufio.Reader) bool {
	_ = cc.conn.SetReadDeadline(time.Now().Add(p.cfg.SlowHold))
	_, err := br.Peek(1)
	_ = cc.conn.SetReadDeadline(time.Time{})
	return err == nil || errors.Is(err, os.ErrDeadlineExceeded)
}
