package scpvpn_test

// Echoed secrets never come back out: error answers and headers that
// repeat the secrets a call sent (the pre-shared key, the secret key, the
// token, the signature), however the server escaped or encoded them, are
// scrubbed from errors, logs and Response.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// echoedSecret is a pre-shared key with characters JSON escapes.
const echoedSecret = `Psk<&>"echo'é-4711`

// TestEchoedSecretsNeverComeBackOut answers a tunnel create with error
// bodies that repeat the pre-shared key (and the secret key) in the shapes
// validation layers use, and looks for them in every output of the SDK.
func TestEchoedSecretsNeverComeBackOut(t *testing.T) {
	t.Parallel()
	quoted := func(s string) string { // s as Go's JSON writes it inside a string
		b, err := json.Marshal(s)
		require.NoError(t, err)
		return string(b[1 : len(b)-1])
	}
	// s as Python's json.dumps writes it: every non-ASCII character escaped.
	const pythonQuoted = `Psk<&>\"echo'\u00e9-4711`
	bodies := map[string]string{
		"pydantic list": `[{"loc":["body","phase1","pre_shared_key"],"msg":"bad key ` + quoted(echoedSecret) + `","type_":"value_error","input":"` + quoted(echoedSecret) + `"}]`,
		"detail quoting the body": `{"errors":[{"code":"InvalidBody","detail":"invalid body: {\"phase1\":{\"pre_shared_key\":\"` +
			quoted(quoted(echoedSecret)) + `\"}}"}]}`,
		"other spellings": `{"errors":[{"code":"Bad","detail":"bad","preSharedKey":"` + quoted(echoedSecret) + `","psk":"` + quoted(echoedSecret) + `"}]}`,
		"plain text":      `the key ` + echoedSecret + ` is refused`,
		"python escaping": `{"errors":[{"code":"Bad","detail":"key ` + pythonQuoted + ` refused"}]}`,
		"the secret key":  `{"errors":[{"code":"HmacValidFail","detail":"signature with key ` + testSecretKey + ` did not verify"}]}`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock, scpvpn.WithLogger(logger), scpvpn.WithBodyLogging())
			mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-tunnels", func(*http.Request) (*http.Response, error) {
				return httpmockResponse(http.StatusBadRequest, body), nil
			})
			req := tunnelCreateRequestV1Dot1()
			req.Phase1.PreSharedKey = echoedSecret
			_, err := c.V1Dot1.Tunnels.Create(context.Background(), req)
			var apiErr *scpvpn.APIError
			require.ErrorAs(t, err, &apiErr)

			outputs := map[string]string{
				"Error()":  err.Error(),
				"%v":       fmt.Sprintf("%v", err),
				"%+v":      fmt.Sprintf("%+v", err),
				"%#v":      fmt.Sprintf("%#v", err),
				"Details":  strings.Join(apiErr.Details, "\n"),
				"Body":     string(apiErr.Body),
				"APIError": fmt.Sprintf("%#v", *apiErr),
				"logs":     logs.String(),
			}
			for where, out := range outputs {
				for _, secret := range []string{echoedSecret, quoted(echoedSecret), pythonQuoted, `u00e9-4711`, testSecretKey} {
					assert.NotContains(t, out, secret, "%s shows a secret", where)
				}
			}
			assert.Contains(t, string(apiErr.Body), "[REDACTED]", "the body says where something was removed")
		})
	}
}

// A pre-shared key made like most are (base64: '+', '/', '=') is scrubbed
// however the server's JSON library escapes it: PHP writes "/" as "\/",
// .NET writes "+" as "\u002B", Gson writes "=" as "\u003d", Jackson
// writes a non-ASCII character in upper-case hex; and the same again when
// the body is quoted inside another JSON string.
func TestEchoedSecretsInEveryEscaping(t *testing.T) {
	t.Parallel()
	const psk = `Kq3+vZ/9wX=Yt8é`
	forms := map[string]string{
		"PHP":                      `Kq3+vZ\/9wX=Yt8\u00e9`,
		".NET":                     `Kq3\u002BvZ/9wX=Yt8\u00E9`,
		"Gson":                     `Kq3+vZ/9wX\u003dYt8é`,
		"Jackson":                  `Kq3+vZ/9wX=Yt8\u00E9`,
		"PHP, quoted in a string":  `Kq3+vZ\\\/9wX=Yt8\\u00e9`,
		".NET, quoted in a string": `Kq3\\u002BvZ/9wX=Yt8\\u00E9`,
	}
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock, scpvpn.WithLogger(logger), scpvpn.WithBodyLogging())
			body := `{"errors":[{"code":"Bad","detail":"pre_shared_key ` + form + ` is refused"}]}`
			mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-tunnels", func(*http.Request) (*http.Response, error) {
				return httpmockResponse(http.StatusBadRequest, body), nil
			})
			req := tunnelCreateRequestV1Dot1()
			req.Phase1.PreSharedKey = psk
			_, err := c.V1Dot1.Tunnels.Create(context.Background(), req)
			var apiErr *scpvpn.APIError
			require.ErrorAs(t, err, &apiErr)

			for where, out := range map[string]string{
				"Error()": err.Error(),
				"Details": strings.Join(apiErr.Details, "\n"),
				"Body":    string(apiErr.Body),
				"logs":    logs.String(),
			} {
				assert.NotContains(t, out, "9wX", "%s shows the key: %s", where, out)
				assert.NotContains(t, out, "vZ", "%s shows the key: %s", where, out)
			}
			assert.Contains(t, apiErr.Details[0], "Bad: pre_shared_key [REDACTED] is refused")
		})
	}
}

// A 401 that echoes the signature it refused (as some gateways do) does not
// carry it out: not in the error, not in the logs.
func TestEchoedSignatureNeverComesBackOut(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), scpvpn.WithBodyLogging())
	var signature string
	mock.RegisterResponder(http.MethodGet, gatewayPath, func(req *http.Request) (*http.Response, error) {
		signature = req.Header.Get(scpvpn.HeaderSignature)
		return httpmockResponse(http.StatusUnauthorized, `{"errors":[{"code":"HmacValidFail","detail":"signature `+signature+` does not match"}],"signatureProvided":"`+signature+`"}`), nil
	})
	_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
	var apiErr *scpvpn.APIError
	require.ErrorAs(t, err, &apiErr)
	require.NotEmpty(t, signature)
	for where, out := range map[string]string{"Error()": err.Error(), "%#v": fmt.Sprintf("%#v", *apiErr), "Body": string(apiErr.Body), "logs": logs.String()} {
		assert.NotContains(t, out, signature, where)
	}
	assert.Contains(t, err.Error(), "HmacValidFail: signature [REDACTED] does not match")
}

// Secrets with characters that URL encodings and base64 change.
const (
	encodedPSK       = `Kq3+vZ/9 wX=&é-4711`
	encodedToken     = `tok+en/Value=42==`
	encodedSecretKey = `Sk/9f8e+7d6c=TopSecret`
)

// lowerHexEscapes writes the hex digits of every %XX escape in s in lower
// case.
func lowerHexEscapes(s string) string {
	return regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(s, strings.ToLower)
}

// encodedForms are the spellings of secret a server may echo it in: as it
// is, URL-encoded (query and path, upper- and lower-case hex) and in base64
// (standard and URL alphabets, padded and raw).
func encodedForms(secret string) []string {
	b := []byte(secret)
	q, p := url.QueryEscape(secret), url.PathEscape(secret)
	return []string{secret, q, p, lowerHexEscapes(q), lowerHexEscapes(p),
		base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)}
}

// assertNoEncodedSecret checks that no spelling of any secret is in text.
func assertNoEncodedSecret(t *testing.T, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, form := range encodedForms(s) {
			assert.NotContains(t, text, form, "%s shows a secret", where)
		}
	}
}

// echoingServer answers a tunnel create with status, a body that echoes
// every secret of the request in some encoding (the tunnel, for a 2xx), and
// headers that echo them too; it returns the signature of the last request
// it saw.
func echoingServer(t *testing.T, mock *httpmock.MockTransport, status int) *string {
	t.Helper()
	created := fixture(t, "v1.1", "tunnel_create_response")
	var signature string
	mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-tunnels", func(req *http.Request) (*http.Response, error) {
		signature = req.Header.Get(scpvpn.HeaderSignature)
		token := req.Header.Get("X-Auth-Token")
		var sent struct {
			Phase1 struct {
				PreSharedKey string `json:"pre_shared_key"`
			} `json:"phase1"`
		}
		if err := json.NewDecoder(req.Body).Decode(&sent); err != nil {
			return nil, err
		}
		psk := sent.Phase1.PreSharedKey
		pskBytes := []byte(psk)
		echo := `{"errors":[{"code":"InvalidParameter","detail":"pre_shared_key ` + url.QueryEscape(psk) + ` (` +
			lowerHexEscapes(url.PathEscape(psk)) + `, ` + base64.StdEncoding.EncodeToString(pskBytes) + `, ` +
			base64.RawURLEncoding.EncodeToString(pskBytes) + `) refused"},` +
			`{"detail":"retry with ?token=` + url.QueryEscape(token) + `&sig=` + url.QueryEscape(signature) + `&lower=` + lowerHexEscapes(url.QueryEscape(signature)) + `"},` +
			`{"detail":"key ` + url.PathEscape(encodedSecretKey) + `"}]}`
		if status/100 == 2 {
			echo = created
		}
		resp := httpmockResponse(status, echo)
		resp.Header.Set("X-Auth-Token", token)
		resp.Header.Set(scpvpn.HeaderSignature, signature)
		resp.Header.Set("X-Echo", "psk="+url.QueryEscape(psk)+"; sig="+url.PathEscape(signature))
		resp.Header.Add("X-Echo", base64.URLEncoding.EncodeToString(pskBytes))
		resp.Header.Set("X-Request-Id", "req-"+url.QueryEscape(token))
		resp.Header.Set("Location", "/v1/vpn-tunnels/t1?psk="+url.QueryEscape(psk))
		return resp, nil
	})
	return &signature
}

// TestEchoedSecretsInEveryEncoding: an error answer and its headers that
// echo the pre-shared key URL-encoded and in base64, the token and the
// signature URL-encoded, and the secret key path-escaped, carry none of
// them out: not in the error, the logs, nor Response.
func TestEchoedSecretsInEveryEncoding(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithCredentials(testAccessKey, encodedSecretKey), scpvpn.WithAuthToken(encodedToken),
		scpvpn.WithLogger(logger), scpvpn.WithBodyLogging())
	signature := echoingServer(t, mock, http.StatusBadRequest)
	req := tunnelCreateRequestV1Dot1()
	req.Phase1.PreSharedKey = encodedPSK
	var resp scpvpn.Response
	_, err := c.V1Dot1.Tunnels.Create(context.Background(), req, scpvpn.WithResponse(&resp))
	var apiErr *scpvpn.APIError
	require.ErrorAs(t, err, &apiErr)
	require.NotEmpty(t, *signature)

	headers, herr := json.Marshal(resp.Header)
	require.NoError(t, herr)
	secrets := []string{encodedPSK, encodedToken, encodedSecretKey, *signature}
	for where, out := range map[string]string{
		"Error()":            err.Error(),
		"%+v":                fmt.Sprintf("%+v", err),
		"APIError":           fmt.Sprintf("%#v", *apiErr),
		"Body":               string(apiErr.Body),
		"Details":            strings.Join(apiErr.Details, "\n"),
		"logs":               logs.String(),
		"Response.Header":    string(headers),
		"Response.RequestID": resp.RequestID,
	} {
		assertNoEncodedSecret(t, where, out, secrets...)
	}
	assert.Equal(t, "InvalidParameter: pre_shared_key [REDACTED] ([REDACTED], [REDACTED], [REDACTED]) refused", apiErr.Details[0])
	assert.Equal(t, "retry with ?token=[REDACTED]&sig=[REDACTED]&lower=[REDACTED]", apiErr.Details[1])
	assert.Equal(t, "key [REDACTED]", apiErr.Details[2])
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

// TestResponseHeaderHoldsNoSecret: a successful answer whose headers echo
// X-Auth-Token and Scp-Signature, or hold a secret of the call in another
// header, hands none of them back in Response; the rest of the headers are
// as they came.
func TestResponseHeaderHoldsNoSecret(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithCredentials(testAccessKey, encodedSecretKey), scpvpn.WithAuthToken(encodedToken))
	signature := echoingServer(t, mock, http.StatusAccepted)
	req := tunnelCreateRequestV1Dot1()
	req.Phase1.PreSharedKey = encodedPSK
	var resp scpvpn.Response
	_, err := c.V1Dot1.Tunnels.Create(context.Background(), req, scpvpn.WithResponse(&resp))
	require.NoError(t, err)
	require.NotEmpty(t, *signature)

	h := resp.Header
	assert.Equal(t, []string{"[REDACTED]"}, h.Values("X-Auth-Token"))
	assert.Equal(t, []string{"[REDACTED]"}, h.Values(scpvpn.HeaderSignature))
	assert.Equal(t, []string{"psk=[REDACTED]; sig=[REDACTED]", "[REDACTED]"}, h.Values("X-Echo"))
	assert.Equal(t, "/v1/vpn-tunnels/t1?psk=[REDACTED]", h.Get("Location"))
	assert.Equal(t, "application/json", h.Get("Content-Type"), "the other headers are as they came")
	assert.Equal(t, "req-[REDACTED]", resp.RequestID)
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	headers, herr := json.Marshal(h)
	require.NoError(t, herr)
	assertNoEncodedSecret(t, "Response.Header", string(headers), encodedPSK, encodedToken, encodedSecretKey, *signature)
}

// A transport failure whose message quotes what a server sent (net/http
// quotes a malformed status line) says it without the call's secrets, and
// still wraps the failure.
func TestTransportErrorHoldsNoSecret(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithCredentials(testAccessKey, encodedSecretKey), scpvpn.WithAuthToken(encodedToken), scpvpn.WithoutRetries())
	failure := fmt.Errorf("malformed HTTP response %q", "HTTP/1.1 200 token="+url.QueryEscape(encodedToken)+" key="+encodedSecretKey)
	mock.RegisterResponder(http.MethodGet, gatewayPath, httpmock.NewErrorResponder(failure))
	_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
	require.Error(t, err)
	require.ErrorIs(t, err, failure, "the failure is still wrapped")
	assertNoEncodedSecret(t, "Error()", err.Error(), encodedToken, encodedSecretKey)
	assertNoEncodedSecret(t, "%+v", fmt.Sprintf("%+v", err), encodedToken, encodedSecretKey)
	assert.Contains(t, err.Error(), `token=[REDACTED] key=[REDACTED]`)
}
