package scpvpn_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/sigverify"
)

// Secrets stay secret: the SDK's debug logs and every fmt verb on the
// client, the signer, the request types and Secret show neither the secret
// key, nor a pre-shared key, nor a signature.

const (
	logSecretKey = "Sk-9f8e7d6c5b4a-TopSecret"
	logPSK       = "PSK-Only-The-Peers-Know-42"
)

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// secretForms are the ways a secret could show up in text.
func secretForms(secret string) []string {
	return []string{secret, hex.EncodeToString([]byte(secret)), strings.ToUpper(hex.EncodeToString([]byte(secret))), fmt.Sprintf("%q", secret)[1:10]}
}

func assertNoSecret(t *testing.T, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, form := range secretForms(s) {
			if strings.Contains(text, form) {
				t.Errorf("%q shows in %s", form, text)
			}
		}
	}
}

// loggedCalls drives a client through creates, sets, retries, errors and
// transport failures, all carrying the pre-shared key, and returns every
// request sent.
func loggedCalls(t *testing.T, opts ...scpvpn.Option) []recorded {
	t.Helper()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, append([]scpvpn.Option{scpvpn.WithCredentials(testAccessKey, logSecretKey)}, opts...)...)
	var rec recorder
	// An answer that, against the API's word, repeats the pre-shared key.
	echo := strings.Replace(fixture(t, "v1.0", "tunnel_set_response"), `"phase1": {`, `"phase1": {"pre_shared_key": "`+logPSK+`", `, 1)
	require.Contains(t, echo, logPSK)
	mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-tunnels", sequence(
		rec.respond(http.StatusTooManyRequests, "", "X-Request-Id", "req-create-1"),
		rec.respond(http.StatusAccepted, fixture(t, "v1.1", "tunnel_create_response"), "X-Request-Id", "req-create-2"),
	))
	mock.RegisterResponder(http.MethodPut, testEndpoint+"/v1/vpn-tunnels/"+tunnelID, sequence(
		failWith(&rec, faultReset),
		rec.respond(http.StatusServiceUnavailable, ""),
		rec.respond(http.StatusAccepted, echo, "X-Request-Id", "req-set"),
	))
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+gatewayID,
		rec.respond(http.StatusOK, fixture(t, "v1.1", "gateway_get_response"), "X-Request-Id", "req-get"))
	mock.RegisterResponder(http.MethodDelete, testEndpoint+"/v1/vpn-gateways/"+gatewayID,
		rec.respond(http.StatusConflict, `{"errors":[{"detail":"gateway has tunnels"}]}`, "X-Request-Id", "req-delete"))

	ctx := context.Background()
	create := tunnelCreateRequestV1Dot1()
	create.Phase1.PreSharedKey = logPSK
	_, err := c.V1Dot1.Tunnels.Create(ctx, create)
	require.NoError(t, err)
	_, err = c.V1Dot0.Tunnels.Set(ctx, tunnelID, &scpvpn.TunnelSetRequest{Phase1: &scpvpn.TunnelPhase1SetRequest{PreSharedKey: logPSK}})
	require.NoError(t, err)
	_, err = c.V1Dot1.Gateways.Get(ctx, gatewayID)
	require.NoError(t, err)
	require.ErrorIs(t, c.V1Dot1.Gateways.Delete(ctx, gatewayID), scpvpn.ErrConflict)

	sent := rec.all()
	require.Len(t, sent, 7)
	for _, s := range sent {
		require.NoError(t, sigverify.Verify(s.Request, logSecretKey))
	}
	return sent
}

// signatures returns the Scp-Signature of every request sent.
func signatures(sent []recorded) []string {
	var out []string
	for _, s := range sent {
		out = append(out, s.Request.Header.Get("Scp-Signature"))
	}
	return out
}

// jsonRecords parses the lines a slog JSON handler wrote.
func jsonRecords(t *testing.T, out string) []map[string]any {
	t.Helper()
	var records []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r), sc.Text())
		records = append(records, r)
	}
	return records
}

// TestLogsAttempts: each attempt is one debug record with what a reader
// needs, and nothing secret.
func TestLogsAttempts(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	sent := loggedCalls(t, scpvpn.WithLogger(logger))
	out := buf.String()
	assertNoSecret(t, out, append([]string{logSecretKey, logPSK}, signatures(sent)...)...)

	records := jsonRecords(t, out)
	require.Len(t, records, len(sent), "one record per attempt")
	wantStatus := []float64{429, 202, 0, 503, 202, 200, 409}
	wantAttempt := []float64{1, 2, 1, 2, 3, 1, 1}
	wantID := []string{"req-create-1", "req-create-2", "", "", "req-set", "req-get", "req-delete"}
	for i, r := range records {
		assert.Equal(t, "DEBUG", r["level"], "record %d", i)
		assert.Equal(t, sent[i].Request.Method, r["method"], "record %d", i)
		assert.Equal(t, sent[i].Request.URL.String(), r["url"], "record %d", i)
		assert.Equal(t, wantAttempt[i], r["attempt"], "record %d", i)
		assert.Contains(t, r, "duration", "record %d", i)
		if wantStatus[i] == 0 {
			assert.NotContains(t, r, "status", "record %d: no answer", i)
			assert.Contains(t, r["error"], "connection reset", "record %d", i)
		} else {
			assert.Equal(t, wantStatus[i], r["status"], "record %d", i)
		}
		if wantID[i] != "" {
			assert.Equal(t, wantID[i], r["request_id"], "record %d", i)
		}
		assert.NotContains(t, r, "request_body", "bodies only when asked")
		assert.NotContains(t, r, "response_body", "bodies only when asked")
	}
}

// TestLogsBodies: with WithBodyLogging the bodies are in the records, with
// every secret replaced, on a text handler as on a JSON one.
func TestLogsBodies(t *testing.T) {
	t.Parallel()
	for name, newHandler := range map[string]func(*syncBuffer) slog.Handler{
		"json": func(b *syncBuffer) slog.Handler {
			return slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})
		},
		"text": func(b *syncBuffer) slog.Handler {
			return slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug, AddSource: true})
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf syncBuffer
			sent := loggedCalls(t, scpvpn.WithLogger(slog.New(newHandler(&buf))), scpvpn.WithBodyLogging())
			out := buf.String()
			assertNoSecret(t, out, append([]string{logSecretKey, logPSK}, signatures(sent)...)...)
			assert.Contains(t, out, "request_body")
			assert.Contains(t, out, "response_body")
			assert.Contains(t, out, "ExampleVpnTunnel1", "the bodies are there")
			assert.Contains(t, out, "[REDACTED]", "with the secrets replaced")
			assert.Contains(t, out, "pre_shared_key")
		})
	}
}

// TestLogsQuiet: a logger that does not enable debug records gets none.
func TestLogsQuiet(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	loggedCalls(t, scpvpn.WithLogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))), scpvpn.WithBodyLogging())
	assert.Empty(t, buf.String())
	loggedCalls(t, scpvpn.WithLogger(nil))
}

// fmtVerbs are the verbs and flags a caller may print a value with.
var fmtVerbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "% x", "%#x", "%T", "%d", "%p", "%20v", "%-40s", "%.100s", "%#q", "%U", "%c", "%b", "%o", "%e"}

// TestFmtShowsNoSecret prints the client, the signer, every request type and
// Secret, as values and as pointers, alone and nested, under every verb.
func TestFmtShowsNoSecret(t *testing.T) {
	t.Parallel()
	c := newClient(t, httpmock.NewMockTransport(), scpvpn.WithCredentials(testAccessKey, logSecretKey), scpvpn.WithAccountID("acct-1"))
	signer := scpvpn.Signer{AccessKey: testAccessKey, SecretKey: logSecretKey, AccountID: "acct-1"}

	psk := scpvpn.Secret(logPSK)
	phase1 := phase1CreateRequest()
	phase1.PreSharedKey = psk
	phase1Set := phase1SetRequest()
	phase1Set.PreSharedKey = psk
	create10 := tunnelCreateRequest()
	create10.Phase1 = phase1
	create11 := tunnelCreateRequestV1Dot1()
	create11.Phase1 = phase1
	set10 := &scpvpn.TunnelSetRequest{Description: ptr("d"), Phase1: phase1Set, Phase2: &scpvpn.TunnelPhase2SetRequest{RemoteSubnet: "10.0.0.0/8"}}
	set11 := &scpvpn.TunnelSetRequestV1Dot1{Description: ptr("d"), Phase1: phase1Set, Phase2: &scpvpn.TunnelPhase2SetRequestV1Dot1{RemoteSubnets: []string{"10.0.0.0/8"}}}

	values := map[string]any{
		"*Client":                     c,
		"Client":                      *c,
		"V1Dot1":                      c.V1Dot1,
		"GatewayService":              *c.V1Dot1.Gateways,
		"TunnelServiceV1Dot1":         *c.V1Dot1.Tunnels,
		"Signer":                      signer,
		"*Signer":                     &signer,
		"Secret":                      psk,
		"*Secret":                     &psk,
		"[]Secret":                    []scpvpn.Secret{psk, psk},
		"map[string]Secret":           map[string]scpvpn.Secret{"psk": psk},
		"TunnelPhase1CreateRequest":   phase1,
		"*TunnelPhase1CreateRequest":  &phase1,
		"TunnelPhase1SetRequest":      *phase1Set,
		"*TunnelPhase1SetRequest":     phase1Set,
		"TunnelCreateRequest":         *create10,
		"*TunnelCreateRequest":        create10,
		"[]TunnelCreateRequest":       []scpvpn.TunnelCreateRequest{*create10},
		"TunnelCreateRequestV1Dot1":   *create11,
		"*TunnelCreateRequestV1Dot1":  create11,
		"TunnelSetRequest":            *set10,
		"*TunnelSetRequest":           set10,
		"TunnelSetRequestV1Dot1":      *set11,
		"*TunnelSetRequestV1Dot1":     set11,
		"GatewayCreateRequest":        *gatewayCreateRequest(),
		"*GatewaySetRequest":          &scpvpn.GatewaySetRequest{Description: ptr("d")},
		"*TunnelPhase2CreateRequest":  &create10.Phase2,
		"map[string]any with request": map[string]any{"req": create11, "signer": &signer},
		"a caller's struct": struct {
			Set    *scpvpn.TunnelSetRequestV1Dot1
			Create scpvpn.TunnelCreateRequest
			Any    any
			Signer *scpvpn.Signer
			Key    scpvpn.Secret
		}{set11, *create10, set10, &signer, psk},
	}
	for name, v := range values {
		for _, verb := range fmtVerbs {
			if verb == "%p" && !addressable(v) {
				// fmt answers %p on a non-pointer before consulting any
				// method and then prints the value raw; go vet reports
				// that call as a mistake, and no type can intercept it.
				continue
			}
			out := fmt.Sprintf(verb, v)
			for _, secret := range []string{logSecretKey, logPSK} {
				for _, form := range secretForms(secret) {
					if strings.Contains(out, form) {
						t.Errorf("%s under %s shows %q: %s", name, verb, form, out)
					}
				}
			}
		}
		// fmt.Print, Println and errors wrapping the value go the same way.
		assertNoSecret(t, fmt.Sprint(v)+fmt.Sprintln(v)+fmt.Errorf("wrapped: %v", v).Error(), logSecretKey, logPSK)
	}

	// What the redactions look like.
	assert.Equal(t, "[REDACTED]", fmt.Sprint(psk))
	assert.Equal(t, `"[REDACTED]"`, fmt.Sprintf("%q", psk))
	assert.Equal(t, "", fmt.Sprint(scpvpn.Secret("")), "an unset secret shows as unset")
	assert.Contains(t, fmt.Sprint(signer), testAccessKey, "the access key is not a secret")
	assert.Contains(t, fmt.Sprint(c), testEndpoint)
	assert.Equal(t, logPSK, string(psk), "the value itself is intact")

	// JSON carries the real value: that is what the API needs.
	body, err := json.Marshal(create11)
	require.NoError(t, err)
	assert.Contains(t, string(body), `"pre_shared_key":"`+logPSK+`"`)
}

// addressable reports whether %p prints v as an address.
func addressable(v any) bool {
	switch reflect.ValueOf(v).Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	}
	return false
}

// TestSlogShowsNoSecret: the signer and Secret stay redacted in a caller's
// own slog records, on text and JSON handlers.
func TestSlogShowsNoSecret(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	signer := &scpvpn.Signer{AccessKey: testAccessKey, SecretKey: logSecretKey}
	for _, h := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		l := slog.New(h)
		l.Info("signer", "signer", signer, "value", *signer, "psk", scpvpn.Secret(logPSK))
		l.Info("group", slog.Group("g", slog.Any("signer", signer), slog.Any("psk", scpvpn.Secret(logPSK))))
		// Requests that hold a pre-shared key, as values and pointers: a
		// JSON handler would otherwise encode the real key.
		create := tunnelCreateRequestV1Dot1()
		create.Phase1.PreSharedKey = logPSK
		create10 := tunnelCreateRequest()
		create10.Phase1.PreSharedKey = logPSK
		set := &scpvpn.TunnelSetRequestV1Dot1{Phase1: &scpvpn.TunnelPhase1SetRequest{PreSharedKey: logPSK}}
		set10 := &scpvpn.TunnelSetRequest{Phase1: &scpvpn.TunnelPhase1SetRequest{PreSharedKey: logPSK}}
		l.Info("requests", "create", create, "create-value", *create, "create10", create10, "set", set,
			"set-value", *set, "set10", set10, "phase1", create.Phase1, "phase1-set", *set.Phase1)
	}
	out := buf.String()
	assertNoSecret(t, out, logSecretKey, logPSK)
	assert.Contains(t, out, testAccessKey)
	assert.Contains(t, out, "[REDACTED]")
}

// TestNewClientErrorsShowNoSecret: an endpoint written with a password in
// it is refused without repeating the password.
func TestNewClientErrorsShowNoSecret(t *testing.T) {
	t.Parallel()
	for _, endpoint := range []string{
		"https://user:" + logSecretKey + "@vpn.kr-west1.e.samsungsdscloud.com",
		"https://user:" + logSecretKey + "@vpn.example.com/%zz",
		"ftp://user:" + logSecretKey + "@vpn.example.com",
	} {
		_, err := scpvpn.NewClient(scpvpn.WithEndpoint(endpoint), scpvpn.WithCredentials(testAccessKey, logSecretKey))
		require.ErrorIs(t, err, scpvpn.ErrNoEndpoint)
		assertNoSecret(t, err.Error(), logSecretKey)
	}
}

// TestLogsConcurrent: many goroutines logging through one client under
// -race keep every record whole and secret-free.
func TestLogsConcurrent(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithCredentials(testAccessKey, logSecretKey), scpvpn.WithLogger(logger), scpvpn.WithBodyLogging())
	var rec recorder
	mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-tunnels", rec.respond(http.StatusAccepted, fixture(t, "v1.1", "tunnel_create_response")))
	mock.RegisterResponder(http.MethodGet, `=~^`+testEndpoint+`/v1/vpn-gateways/`, httpmock.Responder(rec.respond(http.StatusOK, fixture(t, "v1.1", "gateway_get_response"))))
	var wg sync.WaitGroup
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				r := tunnelCreateRequestV1Dot1()
				r.Phase1.PreSharedKey = logPSK
				_, _ = c.V1Dot1.Tunnels.Create(context.Background(), r)
				_, _ = c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
			}
		}()
	}
	wg.Wait()
	sent := rec.all()
	require.Len(t, sent, 32*5*2)
	out := buf.String()
	assert.Len(t, jsonRecords(t, out), len(sent))
	assertNoSecret(t, out, append([]string{logSecretKey, logPSK}, signatures(sent)...)...)
}

// TestLoggerLevelChangesAreFollowed: a handler whose level is raised to
// debug after the client was built starts receiving the attempts.
func TestLoggerLevelChangesAreFollowed(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	var level slog.LevelVar
	level.Set(slog.LevelInfo)
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithLogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: &level}))))
	var rec recorder
	mock.RegisterNoResponder(rec.respond(http.StatusAccepted, ""))

	require.NoError(t, c.V1Dot1.Gateways.Delete(context.Background(), "g1"))
	assert.Empty(t, buf.String(), "info level: no attempt records")

	level.Set(slog.LevelDebug)
	require.NoError(t, c.V1Dot1.Gateways.Delete(context.Background(), "g2"))
	assert.Contains(t, buf.String(), "/v1/vpn-gateways/g2")
}

// TestBodyLoggingShowsErrorAnswers: with body logging on, the body of an
// answer that is not 2xx is logged too (it says why the call failed).
func TestBodyLoggingShowsErrorAnswers(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithoutRetries(), scpvpn.WithBodyLogging(),
		scpvpn.WithLogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	var rec recorder
	mock.RegisterNoResponder(rec.respond(http.StatusConflict, `{"errors":[{"detail":"vpn gateway has tunnels"}]}`))
	err := c.V1Dot1.Gateways.Delete(context.Background(), "g1")
	require.ErrorIs(t, err, scpvpn.ErrConflict)
	assert.Contains(t, buf.String(), "vpn gateway has tunnels")
	assert.Contains(t, buf.String(), `"status":409`)
}

// TestNoLoggingWorkWhenLoggingIsOff: a logger whose handler does not take
// debug records costs what no logger costs, and is never handed a record.
// Not parallel: AllocsPerRun counts every allocation of the process.
func TestNoLoggingWorkWhenLoggingIsOff(t *testing.T) {
	measure := func(opts ...scpvpn.Option) func() float64 {
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock, opts...)
		mock.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
			return httpmockResponse(http.StatusOK, `{"vpn_gateway":{"id":"g1","state":"ACTIVE"}}`), nil
		})
		ctx := context.Background()
		return func() float64 {
			// The least of a few runs: the first calls fill caches, and the
			// runtime allocates now and then on its own.
			least := math.MaxFloat64
			for range 4 {
				least = min(least, testing.AllocsPerRun(100, func() {
					if _, err := c.V1Dot1.Gateways.Get(ctx, "g1"); err != nil {
						t.Fatal(err)
					}
				}))
			}
			return least
		}
	}
	quietHandler := &countingHandler{level: slog.LevelInfo}
	none := measure()
	quiet := measure(scpvpn.WithLogger(slog.New(quietHandler)), scpvpn.WithBodyLogging())
	assert.InDelta(t, none(), quiet(), 0.5, "a logger that takes no debug records adds no allocation")
	assert.Zero(t, quietHandler.handled.Load(), "and is never handed a record")
	assert.Positive(t, quietHandler.asked.Load(), "it is asked, per attempt, whether it takes debug records")

	loudHandler := &countingHandler{level: slog.LevelDebug}
	loud := measure(scpvpn.WithLogger(slog.New(loudHandler)))
	loud()
	assert.Positive(t, loudHandler.handled.Load(), "the measure sees logging when it happens")
}

// countingHandler takes records at or above level and counts what it is
// asked and handed.
type countingHandler struct {
	level   slog.Level
	asked   atomic.Int64
	handled atomic.Int64
}

func (h *countingHandler) Enabled(_ context.Context, l slog.Level) bool {
	h.asked.Add(1)
	return l >= h.level
}

func (h *countingHandler) Handle(context.Context, slog.Record) error {
	h.handled.Add(1)
	return nil
}

func (h *countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countingHandler) WithGroup(string) slog.Handler      { return h }
