package scpvpn_test

// Review 2 (hostile review of issues 17, 19 and 20): secrets that still
// come back out. Each test fails on the code reviewed and shows one leak:
// the signature quoted by net/http in a transport error (and logged), the
// token or signature that an IAM catalog echoes into the entry it lists,
// and a pre-shared key that a server echoes HTML-escaped or inside the
// base64 of the request body.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"html"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// review2EchoStatusLine is a server on a real socket that answers every
// request with a malformed status line quoting the request's signature, as
// a broken or hostile server may: net/http then fails the attempt with
// `malformed HTTP status code "<signature>"`. It returns its URL and the
// signatures it saw.
func review2EchoStatusLine(t *testing.T) (string, func() []string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var seen []string
	var wg sync.WaitGroup
	t.Cleanup(func() { _ = ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				sig := req.Header.Get(scpvpn.HeaderSignature)
				mu.Lock()
				seen = append(seen, sig)
				mu.Unlock()
				_, _ = conn.Write([]byte("HTTP/1.1 " + sig + " OK\r\nContent-Length: 0\r\n\r\n"))
			}()
		}
	}()
	return "http://" + ln.Addr().String(), func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// TestReview2SignatureInATransportErrorIsScrubbed: a server that quotes the
// signature in a malformed status line gets it back out through the error's
// message and the debug log (JSON and text handlers). The signature does not
// cover the body: replayed within 15 minutes on the same method and URL it
// authorizes any body (a PUT that changes a tunnel, a POST that creates
// one). The SDK scrubs it from answers it read, but a transport error has
// no answer, so the signature sent is not known to the scrubber
// (rest.Result.SentHeader is nil, and logAttempt has no response).
func TestReview2SignatureInATransportErrorIsScrubbed(t *testing.T) {
	t.Parallel()
	base, seen := review2EchoStatusLine(t)
	var jsonLogs, textLogs bytes.Buffer
	jsonLogger := slog.New(slog.NewJSONHandler(&jsonLogs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	textLogger := slog.New(slog.NewTextHandler(&textLogs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	for _, logger := range []*slog.Logger{jsonLogger, textLogger} {
		c, err := scpvpn.NewClient(scpvpn.WithEndpoint(base), scpvpn.WithCredentials(testAccessKey, testSecretKey),
			scpvpn.WithoutRetries(), scpvpn.WithLogger(logger), scpvpn.WithBodyLogging())
		require.NoError(t, err)
		_, err = c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
		c.CloseIdleConnections()
		require.Error(t, err)
		sigs := seen()
		require.NotEmpty(t, sigs)
		sig := sigs[len(sigs)-1]
		require.NotEmpty(t, sig)
		require.Contains(t, err.Error(), "malformed HTTP status code", "the server's status line is quoted")
		assert.NotContains(t, err.Error(), sig, "the error quotes the signature: %v", err)
	}
	for _, sig := range seen() {
		assert.NotContains(t, jsonLogs.String(), sig, "the JSON debug log holds the signature")
		assert.NotContains(t, textLogs.String(), sig, "the text debug log holds the signature")
	}
}

// TestReview2CatalogEchoIsScrubbed: an IAM catalog is a server like any
// other and receives the call's X-Auth-Token and signature. What it lists
// comes back in the SDK's own errors (an unusable URL is quoted, the
// regions are listed) without passing through the scrubber that every
// APIError goes through, so a catalog that echoes the token or the
// signature into an entry has them printed.
func TestReview2CatalogEchoIsScrubbed(t *testing.T) {
	t.Parallel()
	const token = "tok-Review2-0123456789abcdef"
	for name, entries := range map[string]func(token, sig string) []catalogEntry{
		// checkEndpoint refuses the query, quoting the URL.
		"token in the URL's query": func(token, _ string) []catalogEntry {
			return []catalogEntry{{"kr-west1", "scp-vpn", "https://vpn.example/?auth=" + url.QueryEscape(token)}}
		},
		// redactURL hides a password, not a user name.
		"token as the URL's user": func(token, _ string) []catalogEntry {
			return []catalogEntry{{"kr-west1", "scp-vpn", "https://" + url.PathEscape(token) + "@vpn.example"}}
		},
		// pickEndpoint lists the regions that do exist.
		"signature as a region": func(_, sig string) []catalogEntry {
			return []catalogEntry{{sig, "scp-vpn", "https://vpn.example"}, {"kr-east1", "scp-vpn", "https://vpn2.example"}}
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := catalogClient(t, mock, "kr-west1", scpvpn.WithAuthToken(token), scpvpn.WithoutRetries())
			var sig string
			mock.RegisterResponder(http.MethodGet, testCatalogURL, func(req *http.Request) (*http.Response, error) {
				sig = req.Header.Get(scpvpn.HeaderSignature)
				require.Equal(t, token, req.Header.Get("X-Auth-Token"))
				return httpmockResponse(http.StatusOK, catalogBody(entries(token, sig)...)), nil
			})
			err := deleteGateway(context.Background(), c)
			require.Error(t, err)
			require.NotEmpty(t, sig)
			assert.NotContains(t, err.Error(), token, "the catalog's echo of the token is in the error")
			assert.NotContains(t, err.Error(), url.QueryEscape(token), "the catalog's echo of the token is in the error")
			assert.NotContains(t, err.Error(), sig, "the catalog's echo of the signature is in the error")
		})
	}
}

// review2PSK holds the characters that HTML escapes, as the SDK's own echo
// tests do (a pre-shared key may hold any of them).
const review2PSK = `Rv2<&>"psk'-0042`

// TestReview2PSKEchoedInOtherSpellingsIsScrubbed: two ways a server or the
// firewall in front of it echoes a request that the scrubber does not
// know. A web application firewall's block page quotes the body
// HTML-escaped (html.EscapeString, as Go's html/template and most page
// templates write it); a gateway's error quotes the whole body in base64,
// where the key's bytes sit at whatever offset the body puts them, so the
// base64 of the key alone (what the scrubber looks for) is not in it. Both
// give the key back to anyone who reads the error or the log.
func TestReview2PSKEchoedInOtherSpellingsIsScrubbed(t *testing.T) {
	t.Parallel()
	for name, echo := range map[string]func(body []byte) (status int, answer string){
		"HTML-escaped, in a firewall's page": func(body []byte) (int, string) {
			return http.StatusForbidden, "<html><body><h1>Request blocked</h1><pre>" + html.EscapeString(string(body)) + "</pre></body></html>"
		},
		"HTML-escaped, in an error detail": func(body []byte) (int, string) {
			var sent struct {
				Phase1 struct {
					PreSharedKey string `json:"pre_shared_key"`
				} `json:"phase1"`
			}
			_ = json.Unmarshal(body, &sent)
			detail, _ := json.Marshal("pre_shared_key <b>" + html.EscapeString(sent.Phase1.PreSharedKey) + "</b> is weak")
			return http.StatusBadRequest, `{"errors":[{"code":"InvalidParameter","detail":` + string(detail) + `}]}`
		},
		"the body in base64": func(body []byte) (int, string) {
			return http.StatusBadRequest, `{"errors":[{"code":"InvalidParameter","detail":"bad body","body":"` + base64.StdEncoding.EncodeToString(body) + `"}]}`
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock, scpvpn.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), scpvpn.WithBodyLogging())
			mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-tunnels", func(req *http.Request) (*http.Response, error) {
				var body bytes.Buffer
				_, _ = body.ReadFrom(req.Body)
				status, answer := echo(body.Bytes())
				return httpmockResponse(status, answer), nil
			})
			req := tunnelCreateRequestV1Dot1()
			req.Phase1.PreSharedKey = review2PSK
			_, err := c.V1Dot1.Tunnels.Create(context.Background(), req)
			var apiErr *scpvpn.APIError
			require.ErrorAs(t, err, &apiErr)
			// The key as the request carried it: json.Marshal writes <, & and >
			// as \u escapes, which the echoes below keep.
			wire, merr := json.Marshal(review2PSK)
			require.NoError(t, merr)
			onWire := string(wire[1 : len(wire)-1])
			outputs := map[string]string{"Error()": err.Error(), "Body": string(apiErr.Body), "logs": logs.String()}
			for where, out := range outputs {
				assert.NotContains(t, out, html.EscapeString(review2PSK), "%s holds the key HTML-escaped", where)
				assert.NotContains(t, html.UnescapeString(out), onWire, "%s holds the request body HTML-escaped, key included", where)
				if b64 := review2Base64Field(out); b64 != "" {
					decoded, derr := base64.StdEncoding.DecodeString(b64)
					require.NoError(t, derr)
					assert.NotContains(t, string(decoded), onWire, "%s holds the body in base64, key included", where)
				}
			}
			if name == "the body in base64" {
				require.NotEmpty(t, review2Base64Field(string(apiErr.Body)), "the echo is in Body")
			}
		})
	}
}

// review2Base64Field returns the value of the first "body":"..." member
// of text (JSON, or JSON escaped once more in a log), or "".
func review2Base64Field(text string) string {
	for _, marker := range []string{`"body":"`, `\"body\":\"`} {
		if _, rest, ok := strings.Cut(text, marker); ok {
			end := strings.IndexAny(rest, `"\`)
			if end > 0 {
				return rest[:end]
			}
		}
	}
	return ""
}
