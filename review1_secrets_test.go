package scpvpn_test

// Review of release 0.3 (issue 17, item 7), as a hostile server would
// attack it: the signature of a request echoed where the SDK does not
// know it (an informational answer, a status line net/http refuses), and
// the pre-shared key in spellings the scrubber does not know (HTML
// entities, inside the base64 of the body it came in). Each test fails on
// the code it was written against.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/scpsdk/scpvpn"
)

// review1EchoSignature1xx answers every request with an informational
// answer (103 Early Hints) whose headers carry the request's signature, as
// a hostile server or a proxy that echoes request headers as hints would,
// over HTTP/1.1 or HTTP/2 (net/http's own server), then holds the request
// until the client leaves.
func review1EchoSignature1xx(t *testing.T, h2 bool) *httptest.Server {
	t.Helper()
	stop := make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sig := r.Header.Get(scpvpn.HeaderSignature)
		w.Header().Set("Link", "</v1/vpn-gateways?sig="+sig+">; rel=preload")
		w.Header().Set("X-Request-Id", sig)
		w.WriteHeader(http.StatusEarlyHints)
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	startQuiet(t, srv, h2)
	t.Cleanup(func() { close(stop) })
	return srv
}

// TestReview1SignatureEchoedInAnInformationalAnswer: an informational
// answer ends the attempt (as it should), but its headers are reported
// with the call's signature left in them: Response.Header (Link),
// Response.RequestID, the error's request id and the debug log all carry
// a signature that can be replayed for 15 minutes. The attempt built for
// a 1xx has no Request, so the SDK never learns the signature it sent.
func TestReview1SignatureEchoedInAnInformationalAnswer(t *testing.T) {
	t.Parallel()
	for _, h2 := range []bool{false, true} {
		t.Run(fmt.Sprintf("h2=%v", h2), func(t *testing.T) {
			t.Parallel()
			srv := review1EchoSignature1xx(t, h2)
			var logs bytes.Buffer
			var sig string
			var mu sync.Mutex
			base := http.DefaultTransport.(*http.Transport).Clone()
			if h2 {
				base = defaultTransportTrusting(t, srv)
			}
			t.Cleanup(base.CloseIdleConnections)
			// The signature as it left: the signing transport is above this one.
			spy := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
				mu.Lock()
				sig = r.Header.Get(scpvpn.HeaderSignature)
				mu.Unlock()
				return base.RoundTrip(r)
			})
			c := urlClient(t, srv.URL, scpvpn.WithTransport(spy), scpvpn.WithoutRetries(),
				scpvpn.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			var resp scpvpn.Response
			_, err := c.V1Dot1.Gateways.Get(e2eCtx(t), gatewayID, scpvpn.WithResponse(&resp))
			require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer, "a 1xx ends the attempt")
			require.Equal(t, http.StatusEarlyHints, resp.StatusCode)
			mu.Lock()
			defer mu.Unlock()
			require.NotEmpty(t, sig)
			headers, jerr := json.Marshal(resp.Header)
			require.NoError(t, jerr)
			for where, out := range map[string]string{
				"Error()":            err.Error(),
				"Response.Header":    string(headers),
				"Response.RequestID": resp.RequestID,
				"logs":               logs.String(),
			} {
				assert.NotContains(t, out, sig, "%s shows the signature", where)
			}
		})
	}
}

// review1SignatureEchoes are servers that echo the signature of each
// request in what net/http then quotes in an error, with no answer
// given: a status line it cannot read (HTTP/1.1), the debug data of the
// GOAWAY that closes the connection under the request (HTTP/2). Each
// returns the base URL and a client transport for it, and sends every
// signature it saw on sigs.
var review1SignatureEchoes = map[string]func(t *testing.T, sigs chan<- string) (string, http.RoundTripper){
	"HTTP/1.1 malformed status line": func(t *testing.T, sigs chan<- string) (string, http.RoundTripper) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		t.Cleanup(func() { _ = ln.Close() })
		go func() {
			for {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				go func() {
					defer func() { _ = conn.Close() }()
					req, err := http.ReadRequest(bufio.NewReader(conn))
					if err != nil {
						return
					}
					sig := req.Header.Get(scpvpn.HeaderSignature)
					sigs <- sig
					_, _ = fmt.Fprintf(conn, "HTTP/1.1 %s\r\nContent-Length: 0\r\n\r\n", sig)
				}()
			}
		}()
		tr := http.DefaultTransport.(*http.Transport).Clone()
		t.Cleanup(tr.CloseIdleConnections)
		return "http://" + ln.Addr().String(), tr
	},
	"HTTP/2 GOAWAY debug data": func(t *testing.T, sigs chan<- string) (string, http.RoundTripper) {
		srv := httptest.NewUnstartedServer(nil)
		srv.EnableHTTP2 = true
		srv.Config.ErrorLog = discardLog
		srv.Config.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){
			"h2": func(_ *http.Server, c *tls.Conn, _ http.Handler) {
				defer func() { _ = c.Close() }()
				preface := make([]byte, len(http2.ClientPreface))
				if _, err := io.ReadFull(c, preface); err != nil {
					return
				}
				fr := http2.NewFramer(c, c)
				fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
				if fr.WriteSettings() != nil {
					return
				}
				for {
					f, err := fr.ReadFrame()
					if err != nil {
						return
					}
					switch f := f.(type) {
					case *http2.SettingsFrame:
						if !f.IsAck() {
							_ = fr.WriteSettingsAck()
						}
					case *http2.MetaHeadersFrame:
						var sig string
						for _, hf := range f.RegularFields() {
							if strings.EqualFold(hf.Name, scpvpn.HeaderSignature) {
								sig = hf.Value
							}
						}
						sigs <- sig
						// The request was taken (its stream is below the
						// last one), and the connection goes away under it.
						_ = fr.WriteGoAway(f.StreamID, http2.ErrCodeInternal, []byte("request signed "+sig+" refused"))
						return
					}
				}
			},
		}
		srv.StartTLS()
		t.Cleanup(srv.Close)
		return srv.URL, defaultTransportTrusting(t, srv)
	},
}

// TestReview1SignatureEchoedInATransportError: net/http quotes what a
// server sent in some of its errors (a status line it cannot read, the
// debug data of a GOAWAY). The SDK scrubs the token and the secret key
// from such a message, but not the signature: without an answer it does
// not know the one it sent. The error, and the log record of the attempt,
// carry a signature that can be replayed for 15 minutes.
func TestReview1SignatureEchoedInATransportError(t *testing.T) {
	t.Parallel()
	for name, echo := range review1SignatureEchoes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sigs := make(chan string, 8)
			url, tr := echo(t, sigs)
			var logs bytes.Buffer
			c := urlClient(t, url, scpvpn.WithTransport(tr), scpvpn.WithoutRetries(),
				scpvpn.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			_, err := c.V1Dot1.Gateways.Get(e2eCtx(t), gatewayID)
			require.Error(t, err)
			sig := <-sigs
			require.NotEmpty(t, sig)
			assert.NotContains(t, err.Error(), sig, "the error shows the signature")
			assert.NotContains(t, logs.String(), sig, "the log shows the signature")
		})
	}
}

// TestReview1AScrubbedErrorStillWrapsTheSecret: a transport error whose
// message quoted the token or the secret key is reported with them
// scrubbed from its message, but it wraps net/http's error as it was
// ("still matches what it wraps"): errors.Unwrap, and every error reporter
// that walks the chain and records each error's message (as sentry-go
// does), gets the secrets back.
func TestReview1AScrubbedErrorStillWrapsTheSecret(t *testing.T) {
	t.Parallel()
	const token, secretKey = "tok+en/Value=42==", "Sk/9f8e+7d6c=TopSecret"
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithCredentials(testAccessKey, secretKey), scpvpn.WithAuthToken(token), scpvpn.WithoutRetries())
	failure := fmt.Errorf("malformed HTTP response %q", "HTTP/1.1 200 token="+token+" key="+secretKey)
	mock.RegisterResponder(http.MethodGet, gatewayPath, httpmock.NewErrorResponder(failure))
	_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
	require.Error(t, err)
	require.NotContains(t, err.Error(), token, "the message is scrubbed")
	for e, depth := errors.Unwrap(err), 1; e != nil; e, depth = errors.Unwrap(e), depth+1 {
		assert.NotContains(t, e.Error(), token, "the error %d down the chain (%T) shows the token", depth, e)
		assert.NotContains(t, e.Error(), secretKey, "the error %d down the chain (%T) shows the secret key", depth, e)
	}
}

// base64Run finds runs of base64 text long enough to hide a secret.
var base64Run = regexp.MustCompile(`[A-Za-z0-9+/_-]{16,}={0,2}`)

// decodedRuns returns what every base64 run of text decodes to, in either
// alphabet, padded or not.
func decodedRuns(text string) string {
	var b strings.Builder
	for _, run := range base64Run.FindAllString(text, -1) {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if d, err := enc.DecodeString(run); err == nil {
				b.Write(d)
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

// TestReview1PreSharedKeyEchoedInOtherSpellings: a tunnel create refused
// by a server that echoes the pre-shared key HTML-escaped (an HTML error
// page, or a detail written by an HTML template), or the request body it
// refused in base64 (as API gateways hand bodies to their backends), still
// carries the key out: in the error, APIError.Body and Details, and the
// debug log. The scrubber knows the key's own base64 but not the key
// inside the base64 of a longer text, whose alignment differs.
func TestReview1PreSharedKeyEchoedInOtherSpellings(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		psk  string
		echo func(psk string, body []byte) string
	}{
		"HTML entities": {`Kq3<vZ>9&wX"y'-4711`, func(psk string, _ []byte) string {
			return `{"errors":[{"code":"InvalidParameter","detail":"<p>pre_shared_key ` + html.EscapeString(psk) + ` refused</p>"}]}`
		}},
		"the body in base64": {"Kq3vZ9wXy4711", func(_ string, body []byte) string {
			return `{"errors":[{"code":"InvalidParameter","detail":"refused request body (base64) ` + base64.StdEncoding.EncodeToString(body) + `"}]}`
		}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock, scpvpn.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), scpvpn.WithBodyLogging())
			mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-tunnels", func(r *http.Request) (*http.Response, error) {
				var body bytes.Buffer
				_, _ = body.ReadFrom(r.Body)
				return httpmockResponse(http.StatusBadRequest, tc.echo(tc.psk, body.Bytes())), nil
			})
			req := tunnelCreateRequestV1Dot1()
			req.Phase1.PreSharedKey = scpvpn.Secret(tc.psk)
			_, err := c.V1Dot1.Tunnels.Create(context.Background(), req)
			var apiErr *scpvpn.APIError
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
			for where, out := range map[string]string{
				"Error()": err.Error(),
				"Body":    string(apiErr.Body),
				"Details": strings.Join(apiErr.Details, "\n"),
				"logs":    logs.String(),
			} {
				assert.NotContains(t, out, html.EscapeString(tc.psk), "%s shows the key HTML-escaped", where)
				assert.False(t, strings.Contains(decodedRuns(out), tc.psk), "%s shows the key inside base64: %.120s...", where, out)
			}
		})
	}
}
