package scpvpn_test

// Review 7 (issue 18's speed work): a single answer is now read by
// jsonscan's Scanner, which stops at the end of the JSON value or at the
// first byte that cannot start one, where the SDK used to read the whole
// answer and let encoding/json judge it. These tests hold the single
// answers to what they were before: text that is not JSON, before or
// after a value, carries a *json.SyntaxError; JSON that stops before its
// end is an io.ErrUnexpectedEOF; white space alone is an empty body; and
// an answer whose reading fails after its first 32 KiB is still told as
// cut short and asked again, over HTTP/1.1 and HTTP/2, directly and
// through a reverse proxy.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// review7Get sends a Get whose one answer is a 200 with body, and returns
// its error, having checked that it is an unexpected answer, sent once.
func review7Get(t *testing.T, body string) error {
	t.Helper()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID, rec.respond(http.StatusOK, body))
	got, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
	require.Error(t, err)
	assert.Nil(t, got)
	assert.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
	rec.only(t) // an answer that is not JSON is not asked again
	return err
}

// TestReview7NotJSONAroundTheValueIsASyntaxError: callers find a
// *json.SyntaxError in the chain of an answer that is not JSON
// (TestBadJSON). The Scanner stops at a value's end and at a byte that
// cannot start one, and said so in words of its own ("the answer goes on
// after its end", "expected a value in the answer"), or reported a member
// given twice in text that is not JSON at all; encoding/json, reading the
// whole answer, said *json.SyntaxError for each.
func TestReview7NotJSONAroundTheValueIsASyntaxError(t *testing.T) {
	t.Parallel()
	gw := fixture(t, "v1.1", "gateway_get_response")
	twice := `{"vpn_gateway": {"id": "` + gatewayID + `", "state": "ACTIVE", "state": "DELETED"}}`
	for name, body := range map[string]string{
		"a value and an HTML page":           gw + "<html><body>Bad Gateway</body></html>",
		"a value and another":                gw + ` {"vpn_gateway": null}`,
		"a value and a word":                 gw + "\nnull",
		"a closing brace first":              "} upstream said no {",
		"a colon first":                      ": error 502",
		"a bracket first":                    "]]> CDATA",
		"a member twice, then HTML":          twice + "<html></html>",
		"a member twice with a stray comma":  `{"vpn_gateway": {"state": "ACTIVE", "state": "DELETED",}}`,
		"nesting past encoding/json's bound": strings.Repeat("[", 100000), // not "unexpected EOF"
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := review7Get(t, body)
			var syntax *json.SyntaxError
			assert.ErrorAs(t, err, &syntax, "%v", err)
			assert.Contains(t, err.Error(), "could not be decoded")
		})
	}
}

// TestReview7StopsBeforeItsEndOrIsBlank: JSON that stops before its end
// is an io.ErrUnexpectedEOF, as TestBadJSON's truncated gateway is (the
// Scanner took a literal cut short for a whole one, and encoding/json then
// spoke of a space that is not in the answer: "invalid character ' ' in
// literal true"); and an answer of white space alone, Unicode's included,
// is an empty body, as bytes.TrimSpace told it before.
func TestReview7StopsBeforeItsEndOrIsBlank(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"a literal":  "tru",
		"null":       " nul\n",
		"a number":   "-",
		"a fraction": "1.",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := review7Get(t, body)
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
			assert.NotContains(t, err.Error(), "' '")
		})
	}
	for name, body := range map[string]string{
		"a vertical tab":      "\v",
		"a form feed":         "\r\n\f\r\n",
		"a no-break space":    "\u00a0",
		"an ideographic one":  " \u3000\u3000 ",
		"a paragraph divider": "\u2029",
		// Review 8: runs of it parted by JSON's own white space.
		"no-break spaces apart":  "\u00a0 \u00a0",
		"vertical tabs on lines": "\v\n\v\n",
		"form feed, space, nbsp": "\f \u00a0",
		"line separators, crlf":  "\u2028\r\n\u2028\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := review7Get(t, body)
			assert.Contains(t, err.Error(), "empty body")
		})
	}
}

// review7CutPageServer answers the first request of each method with a
// 200 that announces an HTML page of 64 KiB and breaks off after 40 KiB
// (past the 32 KiB the Scanner reads ahead), and every later one with
// answer. Over HTTP/1.1 the connection closes; over HTTP/2 the stream is
// reset.
func review7CutPageServer(t *testing.T, h2 bool, answer string) (*httptest.Server, func(method string) int) {
	t.Helper()
	page := "<html><body>" + strings.Repeat("Please wait while we check your browser. ", 64<<10/41) + "</body></html>"
	const sent = 40 << 10
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		seen[r.Method]++
		first := seen[r.Method] == 1
		mu.Unlock()
		if !first {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, answer)
			return
		}
		if r.ProtoMajor == 1 {
			conn, buf, err := http.NewResponseController(w).Hijack()
			require.NoError(t, err)
			defer conn.Close()
			_, _ = fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s", len(page), page[:sent])
			_ = buf.Flush()
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", strconv.Itoa(len(page)))
		_, _ = io.WriteString(w, page[:sent])
		_ = http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler) // the stream is reset
	}))
	startQuiet(t, srv, h2)
	return srv, func(method string) int {
		mu.Lock()
		defer mu.Unlock()
		return seen[method]
	}
}

// review7Proxy is an httputil.ReverseProxy in front of back, over HTTP/2
// (TLS) when h2, else HTTP/1.1: an answer cut short behind it is cut short
// in front of it too.
func review7Proxy(t *testing.T, back *httptest.Server, h2 bool) *httptest.Server {
	t.Helper()
	u, err := url.Parse(back.URL)
	require.NoError(t, err)
	tr := back.Client().Transport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(u); r.Out.Host = r.In.Host }, Transport: tr,
		ErrorLog: discardLog}
	front := httptest.NewUnstartedServer(rp)
	startQuiet(t, front, h2)
	return front
}

// TestReview7AnswerCutAfterItsFirst32KiBIsAskedAgain: a Get or a Set
// whose answer breaks off is asked again (the service answered; what it
// said was lost on the way), however the bytes before the break look: the
// SDK read a whole answer before it judged it. The Scanner reads 32 KiB
// ahead and then stops at the first byte that is not JSON, so a page
// broken off past that was reported as not JSON, at once, and the answer
// that the next attempt would have brought was never asked for.
func TestReview7AnswerCutAfterItsFirst32KiBIsAskedAgain(t *testing.T) {
	t.Parallel()
	for _, h2 := range []bool{false, true} {
		for _, proxied := range []bool{false, true} {
			t.Run(fmt.Sprintf("h2=%v proxied=%v", h2, proxied), func(t *testing.T) {
				t.Parallel()
				back, seen := review7CutPageServer(t, h2 && !proxied, fixture(t, "v1.1", "gateway_get_response"))
				srv := back
				if proxied {
					srv = review7Proxy(t, back, h2)
				}
				var opts []scpvpn.Option
				if h2 {
					opts = append(opts, scpvpn.WithTransport(defaultTransportTrusting(t, srv)))
				}
				c := urlClient(t, srv.URL, opts...)

				got, err := c.V1Dot1.Gateways.Get(e2eCtx(t), gatewayID)
				require.NoError(t, err, "the cut answer is asked again")
				assert.Equal(t, wantGateway(), got)
				assert.Equal(t, 2, seen(http.MethodGet))

				set, err := c.V1Dot1.Gateways.Set(e2eCtx(t), gatewayID, &scpvpn.GatewaySetRequest{Description: ptr("Example Description for VPN Gateway")})
				require.NoError(t, err, "the cut answer is asked again")
				assert.Equal(t, wantGateway(), set)
				assert.Equal(t, 2, seen(http.MethodPut))
			})
		}
	}
}

// TestReview7AnswerCutAfterAValueAndJunkIsCut: the same over a socket
// closed by hand, with the value whole and then something that is not
// JSON: the break, read before any verdict, makes the answer one cut
// short, with the last attempt's error saying so.
func TestReview7AnswerCutAfterAValueAndJunkIsCut(t *testing.T) {
	t.Parallel()
	body := fixture(t, "v1.1", "gateway_get_response") + "<!-- " + strings.Repeat("x", 40<<10) + " -->"
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		n++
		mu.Unlock()
		conn, _, err := http.NewResponseController(w).Hijack()
		require.NoError(t, err)
		defer conn.Close()
		bw := bufio.NewWriter(conn)
		_, _ = fmt.Fprintf(bw, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(body)+100, body)
		_ = bw.Flush()
	}))
	t.Cleanup(srv.Close)
	c := urlClient(t, srv.URL, scpvpn.WithRetryPolicy(fastRetries))
	_, err := c.V1Dot1.Gateways.Get(e2eCtx(t), gatewayID)
	require.Error(t, err)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "%v", err)
	assert.NotErrorIs(t, err, scpvpn.ErrUnexpectedAnswer, "%v", err)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, fastRetries.MaxAttempts, n, "a cut answer is asked again")
}
