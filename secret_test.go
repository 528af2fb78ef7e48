package scpvpn_test

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// Secrets stay secret: every fmt verb and slog handler on the client, the
// signer, the request types and Secret show neither the secret key nor a
// pre-shared key, while JSON carries the real key. The helpers that look for
// secrets in text serve the logging tests too.

const (
	logSecretKey = "Sk-9f8e7d6c5b4a-TopSecret"
	logPSK       = "PSK-Only-The-Peers-Know-42"
)

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

// TestSlogShowsNoSecretOfARequest: a Client.Do Request whose Body holds a
// pre-shared key (a tunnel request, as a pointer or a value, a map, raw
// JSON) logs without it, on JSON and text handlers, alone and in a group;
// and it still says what the call is.
func TestSlogShowsNoSecretOfARequest(t *testing.T) {
	t.Parallel()
	create := tunnelCreateRequestV1Dot1()
	create.Phase1.PreSharedKey = logPSK
	set := &scpvpn.TunnelSetRequest{Phase1: &scpvpn.TunnelPhase1SetRequest{PreSharedKey: logPSK}}
	bodies := map[string]any{
		"create":     create,
		"create10":   *tunnelCreateRequestWithPSK(logPSK),
		"set":        set,
		"set-value":  *set,
		"a map":      map[string]any{"phase1": map[string]any{"preSharedKey": logPSK}},
		"raw JSON":   json.RawMessage(`{"phase1":{"pre_shared_key":"` + logPSK + `"}}`),
		"a psk list": []map[string]string{{"psk": logPSK}},
	}
	for name, body := range bodies {
		req := scpvpn.Request{Method: "POST", Path: "/v1/vpn-tunnels", APIVersion: "vpn 1.1", Body: body,
			Query: url.Values{"token": {logPSK}, "page": {"2"}}}
		var buf syncBuffer
		for _, h := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
			l := slog.New(h)
			l.Info("do", "req", req, "ptr", &req)
			l.Info("group", slog.Group("g", slog.Any("req", &req)))
		}
		out := buf.String()
		assertNoSecret(t, out, logPSK)
		assert.Contains(t, out, "/v1/vpn-tunnels", name)
		assert.Contains(t, out, "page=2", name)
		assert.Contains(t, out, "[REDACTED]", name)
	}
}

// tunnelCreateRequestWithPSK is a version 1.0 create request holding psk.
func tunnelCreateRequestWithPSK(psk scpvpn.Secret) *scpvpn.TunnelCreateRequest {
	r := tunnelCreateRequest()
	r.Phase1.PreSharedKey = psk
	return r
}

func TestSecretIsRealInJSONAndHiddenInPrint(t *testing.T) {
	t.Parallel()
	req := tunnelCreateRequestV1Dot1()
	b, err := json.Marshal(req)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"pre_shared_key":"PreSharedKey1"`, "the wire carries the real key")

	var back scpvpn.TunnelCreateRequestV1Dot1
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, scpvpn.Secret("PreSharedKey1"), back.Phase1.PreSharedKey)

	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10s", "%d"} {
		for _, v := range []any{req, *req, req.Phase1, req.Phase1.PreSharedKey} {
			out := sprintf(verb, v)
			assert.NotContains(t, out, "PreSharedKey1", "%s of %T", verb, v)
			assert.NotContains(t, strings.ToLower(out), hexOf("PreSharedKey1"), "%s of %T", verb, v)
		}
	}
	assert.Equal(t, "[REDACTED]", req.Phase1.PreSharedKey.String())
	assert.Equal(t, "", scpvpn.Secret("").String(), "an empty secret shows as empty, so a missing key is visible")
}
