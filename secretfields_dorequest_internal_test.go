package scpvpn

// A Client.Do Request holds no Secret field that reflection finds (its
// Body is an any), so secretfields_internal_test.go's walk does not reach
// what it carries. These tests give it, as Body, every request type that
// holds a Secret (found by that walk), the JSON and maps a caller builds,
// and a Secret under a key not named like one, with a secret in its Query
// too, and check fmt, slog and the errors and logs of Do.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// doBodies returns the bodies a caller may give a Request, each holding
// secrets of its own (suffixed, as withSecrets does), and those secrets.
func doBodies(t *testing.T, secret string) map[string]struct {
	body    any
	secrets []string
} {
	out := map[string]struct {
		body    any
		secrets []string
	}{}
	add := func(name string, body any, secrets ...string) {
		out[name] = struct {
			body    any
			secrets []string
		}{body, secrets}
	}
	add("json.RawMessage", json.RawMessage(`{"phase1":{"pre_shared_key":"`+secret+`raw"}}`), secret+"raw")
	add("map", map[string]any{"phase1": map[string]any{"preSharedKey": secret + "map"}}, secret+"map")
	add("caller's struct with a Secret under another name", struct {
		Shared Secret `json:"shared"`
		Inner  *struct{ S []Secret }
	}{Shared: Secret(secret + "own"), Inner: &struct{ S []Secret }{S: []Secret{Secret(secret + "inner")}}}, secret+"own", secret+"inner")
	for typ, paths := range secretHolders(t) {
		if typ == reflect.TypeFor[Secret]() {
			continue
		}
		v, secrets := withSecrets(t, typ, paths, secret+typ.Name())
		add(typ.Name(), v.Interface(), secrets...)
		add("*"+typ.Name(), v.Addr().Interface(), secrets...)
	}
	return out
}

func TestEverySecretOfADoRequestIsHiddenFromFmtAndSlog(t *testing.T) {
	t.Parallel()
	const secret = "Do-Secret-Value-1234"
	for name, b := range doBodies(t, secret) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			querySecret := secret + "query"
			secrets := append([]string{querySecret}, b.secrets...)
			req := Request{Method: http.MethodPost, Path: "/v1/vpn-tunnels", APIVersion: "vpn 1.1",
				Query: url.Values{"psk": {querySecret}, "name": {"t1"}}, Body: b.body}
			wire, err := json.Marshal(wireBody(req.Body))
			require.NoError(t, err)
			for _, s := range b.secrets {
				require.Contains(t, string(wire), s, "the body carries the secret to the API")
			}

			v := reflect.ValueOf(&req).Elem()
			for how, x := range holders(v) {
				for _, verb := range secretVerbs {
					out := fmt.Sprintf(verb, x)
					if form := leakedForm(out, secrets); form != "" {
						t.Errorf("a Request, as a %s, under %s shows %q: %s", how, verb, form, out)
					}
				}
				out := fmt.Sprint(x) + fmt.Sprintln(x) + fmt.Errorf("wrapped: %v", x).Error()
				if form := leakedForm(out, secrets); form != "" {
					t.Errorf("a Request, as a %s, printed or wrapped shows %q: %s", how, form, out)
				}
			}
			goString := req.GoString()
			if form := leakedForm(goString, secrets); form != "" {
				t.Errorf("GoString shows %q: %s", form, goString)
			}
			assert.Equal(t, fmt.Sprintf("%#v", req), goString, "GoString is what %%#v prints")
			assert.True(t, strings.HasPrefix(goString, "scpvpn.Request{"), "%%#v names the type: %s", goString)
			assert.Contains(t, fmt.Sprint(req), "t1", "what is not secret still shows")

			for name, handler := range map[string]func(*strings.Builder) slog.Handler{
				"json": func(b *strings.Builder) slog.Handler { return slog.NewJSONHandler(b, nil) },
				"text": func(b *strings.Builder) slog.Handler { return slog.NewTextHandler(b, nil) },
			} {
				var out strings.Builder
				slog.New(handler(&out)).Info("sending", "req", req, "pointer", &req)
				if form := leakedForm(out.String(), secrets); form != "" {
					t.Errorf("slog's %s handler shows %q: %s", name, form, out.String())
				}
			}
		})
	}
}

// TestEverySecretOfADoRequestIsHiddenFromItsErrors sends a Request whose
// body and query hold secrets by their keys' names to a service that
// refuses it quoting all of it, and to a transport that fails quoting the
// URL: no error, detail or log shows them.
func TestEverySecretOfADoRequestIsHiddenFromItsErrors(t *testing.T) {
	t.Parallel()
	const secret = "Do-Error-Secret-5678"
	for _, answer := range []string{"echo", "transport error"} {
		t.Run(answer, func(t *testing.T) {
			t.Parallel()
			var received string
			mock := httpmock.NewMockTransport()
			mock.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
				body, err := io.ReadAll(req.Body)
				if err != nil {
					return nil, err
				}
				received = req.URL.String() + " " + string(body)
				if answer == "transport error" {
					return nil, errors.New("malformed answer to " + req.URL.String())
				}
				quoted, err := json.Marshal("invalid: " + received)
				if err != nil {
					return nil, err
				}
				resp := httpmock.NewStringResponse(http.StatusBadRequest, `{"errors":[{"code":"Invalid","detail":`+string(quoted)+`}]}`)
				resp.Header.Set("Content-Type", "application/json")
				return resp, nil
			})
			var logs strings.Builder
			c, err := NewClient(WithEndpoint("https://vpn.example.test"), WithCredentials("AK", "SK"), WithTransport(mock),
				WithoutRetries(), WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), WithBodyLogging())
			require.NoError(t, err)
			secrets := []string{secret + "body", secret + "query/+ &"}
			req := &Request{Method: http.MethodPost, Path: "/v1/vpn-tunnels", APIVersion: "vpn 1.1",
				Query: url.Values{"Pre-Shared-Key": {secrets[1]}},
				Body:  map[string]any{"phase1": map[string]any{"pre_shared_key": secrets[0]}}}
			err = c.Do(context.Background(), req, nil)
			require.Error(t, err)
			require.Contains(t, received, secrets[0], "the wire carries the body's secret")
			require.Contains(t, received, url.QueryEscape(secrets[1]), "the wire carries the query's secret")

			shown := map[string]string{"Error()": err.Error(), "%+v": fmt.Sprintf("%+v", err), "logs": logs.String()}
			var apiErr *APIError
			if answer == "echo" {
				require.ErrorAs(t, err, &apiErr)
				shown["APIError"] = fmt.Sprintf("%#v", *apiErr)
				shown["URL"] = apiErr.URL
				shown["Details"] = strings.Join(apiErr.Details, "\n")
				shown["Body"] = string(apiErr.Body)
			}
			for how, out := range shown {
				for _, s := range secrets {
					for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
						if strings.Contains(out, form) {
							t.Errorf("%s shows %q: %s", how, form, out)
						}
					}
				}
			}
			assert.Contains(t, err.Error(), "Pre-Shared-Key="+redactedText, "the message says where the secret was")
		})
	}
}
