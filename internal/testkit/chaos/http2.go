package chaos

// HTTP/2 on the client side, written with x/net's framer rather than its
// server so that a fault can reset a stream with the error code it
// chooses: REFUSED_STREAM before the upstream saw the request,
// PROTOCOL_ERROR after (the reset on which net/http resends a request it
// can rewind). Each request, once whole, is forwarded as HTTP/1.1 and
// answered on its stream by a goroutine of its own, so that a held answer
// holds only its stream. Flow control is honoured both ways.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

const (
	// h2Window is the window the proxy grants each stream and the
	// connection, given back as DATA arrives.
	h2Window = 1 << 20
	// h2DefaultWindow and h2DefaultFrame are HTTP/2's initial window and
	// largest frame before SETTINGS say otherwise.
	h2DefaultWindow = 65535
	h2DefaultFrame  = 16384
	// h2MaxStreams is how many streams a client may have open at once.
	h2MaxStreams = 250
)

// h2conn is one client connection speaking HTTP/2.
type h2conn struct {
	p  *Proxy
	cc *clientConn
	fr *http2.Framer

	wmu    sync.Mutex // guards writing: fr's writing side, bw, enc, encBuf
	bw     *bufio.Writer
	enc    *hpack.Encoder
	encBuf bytes.Buffer

	mu       sync.Mutex // guards what follows
	cond     *sync.Cond // broadcast when a send window grows or streams end
	ended    bool       // the connection is closed
	connWin  int64      // the DATA the client accepts on the connection
	initWin  int64      // and on a new stream (SETTINGS_INITIAL_WINDOW_SIZE)
	maxFrame int        // the largest frame payload the client accepts
	streams  map[uint32]*h2stream
	requests int // the requests that arrived whole

	wg sync.WaitGroup // the streams' goroutines
}

// h2stream is one request on an HTTP/2 connection.
type h2stream struct {
	id     uint32
	start  time.Time
	method string
	path   string
	host   string
	fields []hpack.HeaderField
	body   []byte
	// dispatched is set once the request is whole and handed to its
	// goroutine; the read loop then no longer touches it.
	dispatched bool

	win      int64 // the DATA the client accepts on it; guarded by h2conn.mu
	gone     chan struct{}
	goneOnce sync.Once
}

// hangUp marks the stream as reset by the client, or lost with its
// connection.
func (st *h2stream) hangUp() { st.goneOnce.Do(func() { close(st.gone) }) }

func (st *h2stream) isGone() bool {
	select {
	case <-st.gone:
		return true
	default:
		return false
	}
}

// serveHTTP2 serves one client connection that chose HTTP/2, until it
// closes or a fault ends it.
func (p *Proxy) serveHTTP2(cc *clientConn) {
	c := &h2conn{p: p, cc: cc, connWin: h2DefaultWindow, initWin: h2DefaultWindow, maxFrame: h2DefaultFrame, streams: map[uint32]*h2stream{}}
	c.cond = sync.NewCond(&c.mu)
	defer c.end()
	preface := make([]byte, len(http2.ClientPreface))
	_ = cc.conn.SetReadDeadline(time.Now().Add(handshakeTimeout))
	if _, err := io.ReadFull(cc.conn, preface); err != nil || string(preface) != http2.ClientPreface {
		return
	}
	_ = cc.conn.SetReadDeadline(time.Time{})
	c.bw = bufio.NewWriter(cc.conn)
	c.fr = http2.NewFramer(c.bw, bufio.NewReader(cc.conn))
	c.fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	c.fr.MaxHeaderListSize = maxHead
	c.enc = hpack.NewEncoder(&c.encBuf)
	err := c.write(func() error {
		err := c.fr.WriteSettings(
			http2.Setting{ID: http2.SettingMaxConcurrentStreams, Val: h2MaxStreams},
			http2.Setting{ID: http2.SettingInitialWindowSize, Val: h2Window},
			http2.Setting{ID: http2.SettingMaxHeaderListSize, Val: maxHead},
		)
		if err != nil {
			return err
		}
		return c.fr.WriteWindowUpdate(0, h2Window-h2DefaultWindow)
	})
	if err != nil {
		return
	}
	for {
		f, err := c.fr.ReadFrame()
		var se http2.StreamError
		switch {
		case errors.As(err, &se):
			c.refuse(se.StreamID)
			if c.resetStream(se.StreamID, se.Code) != nil {
				return
			}
		case err != nil:
			return // the client hung up, or broke the protocol
		case !c.handle(f):
			return
		}
	}
}

// end closes the connection, hangs up every stream, and waits for their
// goroutines.
func (c *h2conn) end() {
	c.mu.Lock()
	c.ended = true
	for _, st := range c.streams {
		st.hangUp()
	}
	c.cond.Broadcast()
	c.mu.Unlock()
	_ = c.cc.conn.Close()
	c.wg.Wait()
}

// handle acts on one frame from the client, and reports whether the
// connection goes on.
func (c *h2conn) handle(f http2.Frame) bool {
	switch f := f.(type) {
	case *http2.SettingsFrame:
		if f.IsAck() {
			return true
		}
		c.settings(f)
		return c.write(c.fr.WriteSettingsAck) == nil
	case *http2.PingFrame:
		if f.IsAck() {
			return true
		}
		return c.write(func() error { return c.fr.WritePing(true, f.Data) }) == nil
	case *http2.WindowUpdateFrame:
		c.mu.Lock()
		if f.StreamID == 0 {
			c.connWin += int64(f.Increment)
		} else if st := c.streams[f.StreamID]; st != nil {
			st.win += int64(f.Increment)
		}
		c.cond.Broadcast()
		c.mu.Unlock()
	case *http2.MetaHeadersFrame:
		return c.headers(f)
	case *http2.DataFrame:
		return c.data(f)
	case *http2.RSTStreamFrame:
		c.mu.Lock()
		if st := c.streams[f.StreamID]; st != nil {
			st.hangUp()
			if !st.dispatched {
				delete(c.streams, f.StreamID)
			}
		}
		c.cond.Broadcast()
		c.mu.Unlock()
	}
	return true // PRIORITY, GOAWAY and the rest change nothing here
}

// settings takes the client's settings that matter to what the proxy
// sends.
func (c *h2conn) settings(f *http2.SettingsFrame) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = f.ForeachSetting(func(s http2.Setting) error {
		switch s.ID {
		case http2.SettingInitialWindowSize:
			delta := int64(s.Val) - c.initWin
			c.initWin = int64(s.Val)
			for _, st := range c.streams {
				st.win += delta
			}
		case http2.SettingMaxFrameSize:
			c.maxFrame = int(s.Val)
		}
		return nil
	})
	c.cond.Broadcast()
}

// headers starts a stream, or ends one with trailers.
func (c *h2conn) headers(f *http2.MetaHeadersFrame) bool {
	id := f.Header().StreamID
	c.mu.Lock()
	st := c.streams[id]
	if st == nil {
		st = &h2stream{
			id: id, start: time.Now(), gone: make(chan struct{}), win: c.initWin,
			method: f.PseudoValue("method"), path: f.PseudoValue("path"), host: f.PseudoValue("authority"),
			fields: f.RegularFields(),
		}
		c.streams[id] = st
	}
	c.mu.Unlock()
	if st.method == "" || st.path == "" {
		c.refuse(id)
		return c.resetStream(id, http2.ErrCodeProtocol) == nil
	}
	if f.StreamEnded() && !st.dispatched {
		c.dispatch(st)
	}
	return true
}

// data adds to a request's body, and gives the client back the window
// it used.
func (c *h2conn) data(f *http2.DataFrame) bool {
	id := f.Header().StreamID
	c.mu.Lock()
	st := c.streams[id]
	c.mu.Unlock()
	n := f.Header().Length // padding included, as flow control counts it
	if n > 0 {
		err := c.write(func() error {
			if err := c.fr.WriteWindowUpdate(0, n); err != nil {
				return err
			}
			if st != nil && !f.StreamEnded() {
				return c.fr.WriteWindowUpdate(id, n)
			}
			return nil
		})
		if err != nil {
			return false
		}
	}
	if st == nil || st.dispatched {
		return true // a stream reset or answered already
	}
	if len(st.body)+len(f.Data()) > maxBody {
		return false
	}
	st.body = append(st.body, f.Data()...)
	if f.StreamEnded() {
		c.dispatch(st)
	}
	return true
}

// dispatch hands a whole request to a goroutine of its own.
func (c *h2conn) dispatch(st *h2stream) {
	st.dispatched = true
	c.mu.Lock()
	c.requests++
	reused := c.requests > 1
	c.mu.Unlock()
	c.wg.Add(1)
	go c.exchange(st, reused)
}

// refuse ends a stream the client broke: its answer, if under way, is
// not sent.
func (c *h2conn) refuse(id uint32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.streams[id]; st != nil {
		st.hangUp()
		c.cond.Broadcast()
	}
	delete(c.streams, id)
}

// forget drops a stream that is over.
func (c *h2conn) forget(id uint32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.streams, id)
}

// exchange answers one request as its plan says.
func (c *h2conn) exchange(st *h2stream, reused bool) {
	defer c.wg.Done()
	defer c.forget(st.id)
	p := c.p
	ex := &Exchange{Conn: c.cc.id, Proto: HTTP2, TLS: true, Reused: reused, Start: st.start}
	a, pl := p.act(c.cc.side, st.request(p.cfg.TagHeader), p.draw(), ex)
	switch pl.fault {
	case ResetBefore:
		_ = c.resetStream(st.id, http2.ErrCodeRefusedStream)
	case ResetAfter:
		_ = c.resetStream(st.id, http2.ErrCodeProtocol)
	case Dropped:
		_ = c.cc.conn.Close() // the read loop then ends the connection
	case Truncated:
		c.answer(st, a, int(pl.cut*float64(len(a.body))))
	case Slow:
		if c.hold(st) {
			c.answer(st, a, len(a.body))
		}
	case Informational:
		fields := []hpack.HeaderField{{Name: ":status", Value: strconv.Itoa(pl.status)}, {Name: "link", Value: "</styles.css>; rel=preload; as=style"}}
		if c.writeHeaders(st.id, fields, false) != nil {
			return
		}
		if a != nil {
			c.answer(st, a, len(a.body))
		} else if c.hold(st) {
			_ = c.resetStream(st.id, http2.ErrCodeCancel)
		}
	default:
		c.answer(st, a, len(a.body))
	}
}

// request is st's request as it is forwarded: HTTP/1.1, with the Host the
// client sent as :authority, its headers, and the length of its body.
func (st *h2stream) request(tagHeader string) *request {
	req := &request{method: st.method, target: st.path, body: st.body}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", st.method, st.path, st.host)
	sized := false
	for _, f := range st.fields {
		switch {
		case f.Name == "content-length":
			sized = true
			continue
		case f.Name == "host" || isHopByHop(f.Name):
			continue
		case tagHeader != "" && strings.EqualFold(f.Name, tagHeader):
			req.tag = f.Value
		}
		fmt.Fprintf(&b, "%s: %s\r\n", f.Name, f.Value)
	}
	if sized || len(st.body) > 0 {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(st.body))
	}
	b.WriteString("\r\n")
	b.Write(st.body)
	req.raw = b.Bytes()
	return req
}

// answer sends a on st's stream with the length of its whole body, but
// only its first n bytes of body.
func (c *h2conn) answer(st *h2stream, a *answer, n int) {
	fields := []hpack.HeaderField{{Name: ":status", Value: strconv.Itoa(a.code)}}
	for k, vs := range a.header {
		if isHopByHop(k) {
			continue
		}
		for _, v := range vs {
			fields = append(fields, hpack.HeaderField{Name: strings.ToLower(k), Value: v})
		}
	}
	fields = append(fields, hpack.HeaderField{Name: "content-length", Value: strconv.Itoa(len(a.body))})
	if c.writeHeaders(st.id, fields, len(a.body) == 0) != nil || len(a.body) == 0 {
		return
	}
	data := a.body[:n]
	for {
		k, ok := c.reserve(st, len(data))
		if !ok {
			return
		}
		last := k == len(data)
		if c.write(func() error { return c.fr.WriteData(st.id, last, data[:k]) }) != nil || last {
			return
		}
		data = data[k:]
	}
}

// reserve takes up to want bytes (at most a frame) of the send windows of
// st and of the connection, waiting for the client to grant some; false
// when the stream or the connection is gone.
func (c *h2conn) reserve(st *h2stream, want int) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if c.ended || st.isGone() {
			return 0, false
		}
		n := min(int64(want), c.connWin, st.win, int64(c.maxFrame))
		if want == 0 || n > 0 {
			c.connWin -= n
			st.win -= n
			return int(n), true
		}
		c.cond.Wait()
	}
}

// hold waits for Config.SlowHold, and reports false if the client reset
// the stream (or the connection or the proxy closed) in the meantime.
func (c *h2conn) hold(st *h2stream) bool {
	t := time.NewTimer(c.p.cfg.SlowHold)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-st.gone:
	case <-c.p.ctx.Done():
	}
	return false
}

// writeHeaders sends a header block on stream id, in HEADERS and as many
// CONTINUATION frames as the client's largest frame requires.
func (c *h2conn) writeHeaders(id uint32, fields []hpack.HeaderField, endStream bool) error {
	c.mu.Lock()
	maxFrame := c.maxFrame
	c.mu.Unlock()
	return c.write(func() error {
		c.encBuf.Reset()
		for _, f := range fields {
			if err := c.enc.WriteField(f); err != nil {
				return err
			}
		}
		block := c.encBuf.Bytes()
		first := block[:min(len(block), maxFrame)]
		block = block[len(first):]
		err := c.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: first, EndStream: endStream, EndHeaders: len(block) == 0})
		for err == nil && len(block) > 0 {
			next := block[:min(len(block), maxFrame)]
			block = block[len(next):]
			err = c.fr.WriteContinuation(id, len(block) == 0, next)
		}
		return err
	})
}

// resetStream sends RST_STREAM with code on stream id.
func (c *h2conn) resetStream(id uint32, code http2.ErrCode) error {
	return c.write(func() error { return c.fr.WriteRSTStream(id, code) })
}

// write runs f, which writes frames, alone, and sends what it wrote.
func (c *h2conn) write(f func() error) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.cc.conn.SetWriteDeadline(time.Now().Add(upstreamTimeout))
	if err := f(); err != nil {
		return err
	}
	return c.bw.Flush()
}
