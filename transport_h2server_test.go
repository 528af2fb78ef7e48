package scpvpn_test

import (
	"bytes"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/scpsdk/scpvpn"
)

// An HTTP/2 server over TLS written frame by frame, for the tests of what
// net/http's own server never sends: a stream reset after acting on the
// request, a GOAWAY that disowns it, an informational answer, headers of
// any size. And the SDK's default transport, trusting a test server.

// discardLog silences a test server's complaints about clients that leave.
var discardLog = log.New(io.Discard, "", 0)

// startQuiet starts srv, unstarted, over HTTP/2 with TLS when h2, else
// over HTTP/1.1, its complaints silenced, and closes it when the test ends.
func startQuiet(t *testing.T, srv *httptest.Server, h2 bool) {
	t.Helper()
	srv.EnableHTTP2 = h2
	srv.Config.ErrorLog = discardLog
	if h2 {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
}

// h2Reply is what a raw HTTP/2 server does with each complete request,
// on its stream; it runs on the connection's only goroutine.
type h2Reply func(fr *http2.Framer, streamID uint32) error

// rawH2Server is an httptest TLS server that speaks only HTTP/2, by hand.
type rawH2Server struct {
	*httptest.Server
	requests atomic.Int64 // complete requests received (END_STREAM seen)

	mu       sync.Mutex
	conns    []net.Conn
	byMethod map[string]int64 // complete requests received, by method
}

// sent returns how many complete requests of method the server received.
func (s *rawH2Server) sent(method string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byMethod[method]
}

// received counts a complete request of method.
func (s *rawH2Server) received(method string) {
	s.requests.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byMethod == nil {
		s.byMethod = make(map[string]int64)
	}
	s.byMethod[method]++
}

// newRawH2Server starts a server that answers every request with reply.
func newRawH2Server(t *testing.T, reply h2Reply) *rawH2Server {
	t.Helper()
	s := &rawH2Server{}
	s.Server = httptest.NewUnstartedServer(nil)
	s.EnableHTTP2 = true // ALPN offers only "h2"
	s.Config.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){
		"h2": func(_ *http.Server, c *tls.Conn, _ http.Handler) { s.serve(c, reply) },
	}
	s.Config.ErrorLog = discardLog
	s.StartTLS()
	t.Cleanup(s.Close)
	t.Cleanup(s.closeConns) // first: Close waits for the connections
	return s
}

func (s *rawH2Server) closeConns() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		_ = c.Close()
	}
}

// serve speaks HTTP/2 on one connection until it fails or is closed.
func (s *rawH2Server) serve(c *tls.Conn, reply h2Reply) {
	s.mu.Lock()
	s.conns = append(s.conns, c)
	s.mu.Unlock()
	preface := make([]byte, len(http2.ClientPreface))
	if _, err := io.ReadFull(c, preface); err != nil || string(preface) != http2.ClientPreface {
		return
	}
	fr := http2.NewFramer(c, c)
	fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	if fr.WriteSettings() != nil {
		return
	}
	methods := make(map[uint32]string) // of each stream, from its headers
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			return
		}
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() {
				err = fr.WriteSettingsAck()
			}
		case *http2.PingFrame:
			if !f.IsAck() {
				err = fr.WritePing(true, f.Data)
			}
		case *http2.MetaHeadersFrame:
			methods[f.StreamID] = f.PseudoValue("method")
			if f.StreamEnded() {
				s.received(methods[f.StreamID])
				err = reply(fr, f.StreamID)
			}
		case *http2.DataFrame:
			if f.StreamEnded() {
				s.received(methods[f.StreamID])
				err = reply(fr, f.StreamID)
			}
		}
		if err != nil {
			return
		}
	}
}

// h2Headers encodes a header block: ":status" first, then the fields in
// pairs; each value is sent as never indexed, so that a decoder keeps
// none of it in its table.
func h2Headers(status int, fields ...string) []byte {
	var b bytes.Buffer
	enc := hpack.NewEncoder(&b)
	_ = enc.WriteField(hpack.HeaderField{Name: ":status", Value: strconv.Itoa(status)})
	for i := 0; i+1 < len(fields); i += 2 {
		_ = enc.WriteField(hpack.HeaderField{Name: fields[i], Value: fields[i+1], Sensitive: true})
	}
	return b.Bytes()
}

// writeH2Headers sends a header block on a stream, in frames of 16 KiB.
func writeH2Headers(fr *http2.Framer, streamID uint32, block []byte, endStream bool) error {
	const frame = 16 << 10
	first := block[:min(len(block), frame)]
	block = block[len(first):]
	err := fr.WriteHeaders(http2.HeadersFrameParam{StreamID: streamID, BlockFragment: first, EndStream: endStream, EndHeaders: len(block) == 0})
	for err == nil && len(block) > 0 {
		part := block[:min(len(block), frame)]
		block = block[len(part):]
		err = fr.WriteContinuation(streamID, len(block) == 0, part)
	}
	return err
}

// defaultTransportTrusting returns the SDK's default transport, trusting
// srv's certificate: what a client made without WithTransport uses, as
// far as the server can tell.
func defaultTransportTrusting(t *testing.T, srv *httptest.Server) *http.Transport {
	t.Helper()
	tr := scpvpn.NewDefaultTransport()
	tr.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}
