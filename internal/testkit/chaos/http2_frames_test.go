package chaos

// Tests of the proxy's HTTP/2 at the level of frames, with a client
// written with x/net's framer: flow control both ways, PING, trailers,
// streams the client resets, requests it breaks.

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// frameClient is an HTTP/2 client at the level of frames.
type frameClient struct {
	t      *testing.T
	conn   *tls.Conn
	fr     *http2.Framer
	enc    *hpack.Encoder
	encBuf bytes.Buffer
}

// dialFrames opens a connection to p's TLS listener, sends the preface
// and settings, and reads the proxy's settings.
func dialFrames(t *testing.T, p *Proxy, settings ...http2.Setting) *frameClient {
	t.Helper()
	conn, err := tls.Dial("tcp", strings.TrimPrefix(p.TLSURL, "https://"), &tls.Config{RootCAs: p.RootCAs(), NextProtos: []string{"h2"}, MinVersion: tls.VersionTLS12})
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)), "bounds a test that would hang")
	require.Equal(t, "h2", conn.ConnectionState().NegotiatedProtocol)
	c := &frameClient{t: t, conn: conn, fr: http2.NewFramer(conn, bufio.NewReader(conn))}
	c.fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	c.enc = hpack.NewEncoder(&c.encBuf)
	_, err = io.WriteString(conn, http2.ClientPreface)
	require.NoError(t, err)
	require.NoError(t, c.fr.WriteSettings(settings...))
	f := c.next()
	sf, ok := f.(*http2.SettingsFrame)
	require.True(t, ok, "the proxy speaks first with its settings, not %v", f)
	v, _ := sf.Value(http2.SettingInitialWindowSize)
	assert.Equal(t, uint32(h2Window), v)
	return c
}

// next reads the next frame that is not a SETTINGS acknowledgement nor a
// WINDOW_UPDATE for the connection.
func (c *frameClient) next() http2.Frame {
	c.t.Helper()
	for {
		f, err := c.fr.ReadFrame()
		require.NoError(c.t, err)
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if f.IsAck() {
				continue
			}
		case *http2.WindowUpdateFrame:
			continue
		}
		return f
	}
}

// request sends the headers of a request on stream id.
func (c *frameClient) request(id uint32, method, path string, endStream bool, extra ...string) {
	c.t.Helper()
	c.encBuf.Reset()
	fields := []string{":method", method, ":scheme", "https", ":authority", "127.0.0.1", ":path", path}
	for i := 0; i+1 < len(fields); i += 2 {
		require.NoError(c.t, c.enc.WriteField(hpack.HeaderField{Name: fields[i], Value: fields[i+1]}))
	}
	for i := 0; i+1 < len(extra); i += 2 {
		require.NoError(c.t, c.enc.WriteField(hpack.HeaderField{Name: extra[i], Value: extra[i+1]}))
	}
	require.NoError(c.t, c.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: c.encBuf.Bytes(), EndStream: endStream, EndHeaders: true}))
}

// answer reads the answer on stream id: its status and body, granting
// window as it goes when grant is set.
func (c *frameClient) answer(id uint32, grant bool) (string, []byte) {
	c.t.Helper()
	var status string
	var body []byte
	for {
		switch f := c.next().(type) {
		case *http2.MetaHeadersFrame:
			require.Equal(c.t, id, f.StreamID)
			status = f.PseudoValue("status")
			if f.StreamEnded() {
				return status, body
			}
		case *http2.DataFrame:
			require.Equal(c.t, id, f.StreamID)
			body = append(body, f.Data()...)
			if grant && len(f.Data()) > 0 {
				require.NoError(c.t, c.fr.WriteWindowUpdate(id, uint32(len(f.Data()))))
				require.NoError(c.t, c.fr.WriteWindowUpdate(0, uint32(len(f.Data()))))
			}
			if f.StreamEnded() {
				return status, body
			}
		default:
			c.t.Fatalf("unexpected frame %v", f)
		}
	}
}

func TestHTTP2FlowControlOfAnswers(t *testing.T) {
	p, _ := startTLSProxy(t, Config{})
	c := dialFrames(t, p, http2.Setting{ID: http2.SettingInitialWindowSize, Val: 1000}, http2.Setting{ID: http2.SettingMaxFrameSize, Val: 1 << 14})
	c.request(1, "GET", "/big", true)
	// The proxy sends no more than the window granted, and goes on when
	// granted more.
	status, body := c.answer(1, true)
	assert.Equal(t, "200", status)
	assert.Len(t, body, 64<<10)

	// A window made larger by new settings applies to streams under way.
	c.request(3, "GET", "/big", true)
	f := c.next()
	require.IsType(t, &http2.MetaHeadersFrame{}, f)
	data, ok := c.next().(*http2.DataFrame)
	require.True(t, ok)
	assert.Len(t, data.Data(), 1000, "the first window")
	require.NoError(t, c.fr.WriteWindowUpdate(0, 1<<20)) // the connection's window, shared by all streams
	require.NoError(t, c.fr.WriteSettings(http2.Setting{ID: http2.SettingInitialWindowSize, Val: 1 << 20}))
	_, rest := c.answer(3, false)
	assert.Len(t, rest, 64<<10-1000)
}

func TestHTTP2RequestBodiesTrailersAndPing(t *testing.T) {
	p, up := startTLSProxy(t, Config{})
	c := dialFrames(t, p)
	require.NoError(t, c.fr.WritePing(false, [8]byte{1, 2, 3}))
	ping, ok := c.next().(*http2.PingFrame)
	require.True(t, ok)
	assert.True(t, ping.IsAck())
	assert.Equal(t, [8]byte{1, 2, 3}, ping.Data)

	c.request(1, "PUT", "/v1/a", false, "content-length", "7", "x-odd", "v")
	require.NoError(t, c.fr.WriteData(1, false, []byte("{\"a\":")))
	require.NoError(t, c.fr.WriteDataPadded(1, false, []byte("1}"), []byte{0, 0, 0}))
	c.encBuf.Reset()
	require.NoError(t, c.enc.WriteField(hpack.HeaderField{Name: "x-trailer", Value: "t"}))
	require.NoError(t, c.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: c.encBuf.Bytes(), EndStream: true, EndHeaders: true}))
	status, _ := c.answer(1, false)
	assert.Equal(t, "200", status)
	assert.Equal(t, []string{`PUT /v1/a {"a":1}`}, up.seen())
}

func TestHTTP2StreamsTheClientEnds(t *testing.T) {
	p, up := startTLSProxy(t, Config{})
	c := dialFrames(t, p)
	// A request reset before it is whole is never forwarded.
	c.request(1, "POST", "/v1/a", false)
	require.NoError(t, c.fr.WriteData(1, false, []byte("{")))
	require.NoError(t, c.fr.WriteRSTStream(1, http2.ErrCodeCancel))
	// DATA on a stream that is over changes nothing but the window.
	require.NoError(t, c.fr.WriteData(1, true, []byte("}")))
	// A header the protocol forbids resets its stream only.
	c.request(3, "GET", "/x", true, "Upper-Case", "x")
	rst, ok := c.next().(*http2.RSTStreamFrame)
	require.True(t, ok)
	assert.Equal(t, uint32(3), rst.StreamID)
	assert.Equal(t, http2.ErrCodeProtocol, rst.ErrCode)
	// A request without its path is refused.
	c.encBuf.Reset()
	require.NoError(t, c.enc.WriteField(hpack.HeaderField{Name: ":method", Value: "GET"}))
	require.NoError(t, c.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 5, BlockFragment: c.encBuf.Bytes(), EndStream: true, EndHeaders: true}))
	rst, ok = c.next().(*http2.RSTStreamFrame)
	require.True(t, ok)
	assert.Equal(t, uint32(5), rst.StreamID)
	assert.Equal(t, http2.ErrCodeProtocol, rst.ErrCode)
	c.request(7, "GET", "/x", true)
	status, _ := c.answer(7, false)
	assert.Equal(t, "200", status, "the connection goes on")
	assert.Equal(t, []string{"GET /x "}, up.seen())
}

func TestHTTP2ClientThatHangsUpDuringAHeldAnswer(t *testing.T) {
	p, _ := startTLSProxy(t, Config{Rates: Rates{Slow: 1}, SlowHold: time.Hour})
	c := dialFrames(t, p)
	c.request(1, "GET", "/x", true)
	for p.Stats().Faults[Slow] == 0 {
		time.Sleep(time.Millisecond)
	}
	require.NoError(t, c.conn.Close())
	require.Eventually(t, func() bool { return p.Stats().OpenConns == 0 }, 10*time.Second, time.Millisecond, "the held stream does not keep the connection")
}

func TestHTTP2WithoutItsPreface(t *testing.T) {
	p, up := startTLSProxy(t, Config{})
	conn, err := tls.Dial("tcp", strings.TrimPrefix(p.TLSURL, "https://"), &tls.Config{RootCAs: p.RootCAs(), NextProtos: []string{"h2"}, MinVersion: tls.VersionTLS12})
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\nand more to fill a preface")
	require.NoError(t, err)
	_, err = io.ReadAll(conn)
	require.NoError(t, err, "the proxy closes the connection")
	assert.Empty(t, up.seen())
	assert.Zero(t, p.Stats().Requests)
}

func TestTLSHandshakeFailures(t *testing.T) {
	p, _ := startTLSProxy(t, Config{})
	_, err := tls.Dial("tcp", strings.TrimPrefix(p.TLSURL, "https://"), &tls.Config{MinVersion: tls.VersionTLS12})
	require.Error(t, err, "a certificate of its own, which only RootCAs vouches for")
	assert.Nil(t, startProxy(t, Config{Upstream: "x:1"}).RootCAs(), "no TLS, no pool")

	// An upstream that does not speak TLS: the request is not forwarded.
	plain := newUpstream(t)
	cfg := Config{Upstream: plain.Listener.Addr().String(), TLSUpstream: plain.Listener.Addr().String()}
	q := startProxy(t, cfg)
	status, _, err := send(t, h2Client(t, q, 0), "GET", q.TLSURL+"/x", "")
	require.NoError(t, err)
	assert.Equal(t, 502, status)
	assert.Equal(t, 1, q.Stats().UpstreamErrors)
	assert.Zero(t, q.Stats().Forwarded)

	_, err = Start(Config{Upstream: "x:1", TLSUpstream: "no port"})
	assert.Error(t, err)
	_, err = Start(Config{Upstream: "x:1", TLSUpstream: "x:1", TLSAddr: "256.0.0.1:0"})
	assert.Error(t, err)
}
