package scpvpn_test

// Review 4: a Client.Do Request whose Body is a string of JSON (Body:
// string(b), a careless caller's way of passing a body it already has)
// was encoded by Do as a JSON string, which holds the pre-shared key
// inside its text. Nothing redacted it there: Request's Format printed
// it, and the SDK's scrubber (redact.SecretsIn of the encoded body) finds
// no key named like a secret, so a server that echoes the input it
// refuses (as validation errors do) put the key into APIError's message.
// Every endpoint's body is a JSON object, so Do now refuses, before
// sending, a Body that encodes to anything else, and fmt shows such a
// Body as its type only.

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

func TestReview4DoRequestWithAStringBodyKeepsItsSecrets(t *testing.T) {
	t.Parallel()
	const psk = "PreSharedKey1"
	text := `{"name":"t1","phase1":{"pre_shared_key":"` + psk + `"}}`
	for name, body := range map[string]any{
		"a string of JSON":                   text,
		"a []byte of JSON":                   []byte(text),
		"a json.RawMessage of a JSON string": json.RawMessage(`"` + strings.ReplaceAll(text, `"`, `\"`) + `"`),
		"a json.RawMessage of a list":        json.RawMessage(`[` + text + `]`),
		"a list":                             []any{map[string]any{"pre_shared_key": psk}},
		"a number":                           42,
		"a bool":                             true,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := &scpvpn.Request{Method: http.MethodPost, Path: "/v1/vpn-tunnels", APIVersion: "vpn 1.1", Body: body}
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
				out := fmt.Sprintf(verb, req)
				assert.NotContains(t, out, psk, "fmt %s", verb)
				assert.NotContains(t, out, fmt.Sprintf("%x", psk), "fmt %s", verb)
			}
			var logged strings.Builder
			slog.New(slog.NewJSONHandler(&logged, nil)).Info("sending", "req", req)
			assert.NotContains(t, logged.String(), psk)

			mock := httpmock.NewMockTransport()
			mock.RegisterNoResponder(httpmock.NewStringResponder(http.StatusOK, `{}`))
			err := newClient(t, mock).Do(context.Background(), req, nil)
			var ve *scpvpn.ValidationError
			require.ErrorAs(t, err, &ve, "a Body that is not a JSON object is refused before sending")
			assert.Contains(t, err.Error(), "Body")
			assert.Contains(t, err.Error(), "json.RawMessage", "says what to pass instead")
			assert.NotContains(t, err.Error(), psk)
			assert.Zero(t, mock.GetTotalCallCount(), "nothing is sent")
		})
	}
}

// A Body that encodes to an object or null is sent as before.
func TestReview4DoRequestWithAnObjectBodyIsSent(t *testing.T) {
	t.Parallel()
	type input struct {
		Name string `json:"name"`
	}
	for name, body := range map[string]any{
		"a json.RawMessage of an object": json.RawMessage(` {"name":"t1"}`),
		"a map":                          map[string]string{"name": "t1"},
		"a struct":                       input{Name: "t1"},
		"a pointer to a struct":          &input{Name: "t1"},
		"a nil pointer":                  (*input)(nil),
		"a json.RawMessage of null":      json.RawMessage(`null`),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-tunnels", httpmock.NewStringResponder(http.StatusOK, `{}`))
			err := newClient(t, mock).Do(context.Background(), &scpvpn.Request{Method: http.MethodPost, Path: "/v1/vpn-tunnels", APIVersion: "vpn 1.1", Body: body}, nil)
			require.NoError(t, err)
			assert.Equal(t, 1, mock.GetTotalCallCount())
		})
	}
}
