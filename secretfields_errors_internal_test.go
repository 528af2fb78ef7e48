package scpvpn

// Every Secret found by reflection (see secretfields_internal_test.go) is
// kept out of the error paths: a ValidationError about that field names it
// without its value, and an APIError whose answer echoes the request shows
// it nowhere (message, Details, Body, Response, the client's logs). Each
// request type that checks itself and holds a Secret is sent as a caller
// sends it.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sendRequest sends a request of its type as a caller does.
type sendRequest func(ctx context.Context, c *Client, req any, opts ...CallOption) error

// senders send each request type that holds a Secret.
var senders = map[reflect.Type]sendRequest{
	reflect.TypeFor[TunnelCreateRequest](): func(ctx context.Context, c *Client, req any, opts ...CallOption) error {
		_, err := c.V1Dot0.Tunnels.Create(ctx, req.(*TunnelCreateRequest), opts...)
		return err
	},
	reflect.TypeFor[TunnelCreateRequestV1Dot1](): func(ctx context.Context, c *Client, req any, opts ...CallOption) error {
		_, err := c.V1Dot1.Tunnels.Create(ctx, req.(*TunnelCreateRequestV1Dot1), opts...)
		return err
	},
	reflect.TypeFor[TunnelSetRequest](): func(ctx context.Context, c *Client, req any, opts ...CallOption) error {
		_, err := c.V1Dot0.Tunnels.Set(ctx, "tunnel-1", req.(*TunnelSetRequest), opts...)
		return err
	},
	reflect.TypeFor[TunnelSetRequestV1Dot1](): func(ctx context.Context, c *Client, req any, opts ...CallOption) error {
		_, err := c.V1Dot1.Tunnels.Set(ctx, "tunnel-1", req.(*TunnelSetRequestV1Dot1), opts...)
		return err
	},
}

// sentRequests returns the exported types holding a Secret that check
// themselves: the requests a caller sends. Every other type holding one
// must lie inside one of them (a phase), so that sending those covers it.
func sentRequests(t *testing.T) map[reflect.Type][]secretPath {
	holders := secretHolders(t)
	sent := map[reflect.Type][]secretPath{}
	inside := map[reflect.Type]bool{reflect.TypeFor[Secret](): true}
	for typ, paths := range holders {
		if _, ok := reflect.PointerTo(typ).MethodByName("Validate"); ok {
			sent[typ] = paths
			for _, p := range paths {
				for _, through := range p.through {
					inside[through] = true
				}
			}
		}
	}
	for typ := range holders {
		assert.True(t, inside[typ], "%s holds a Secret, has no Validate, and lies in no request that has: extend these tests to send it", typ)
	}
	require.NotEmpty(t, sent)
	return sent
}

func TestEverySecretIsHiddenFromValidationErrors(t *testing.T) {
	t.Parallel()
	for typ, paths := range sentRequests(t) {
		t.Run(typ.Name(), func(t *testing.T) {
			t.Parallel()
			for _, secret := range []string{"Short", strings.Repeat("Too-Long-Secret-", 5)} {
				v, secrets := withSecrets(t, typ, paths, secret)
				err := v.Addr().Interface().(interface{ Validate() error }).Validate()
				var vErr *ValidationError
				require.ErrorAs(t, err, &vErr, "a Secret of %d characters is refused", len(secrets[0]))
				for _, p := range paths {
					assert.Contains(t, vErr.Fields, FieldError{Field: p.json, Problem: "must be 8 to 64 characters"}, "the error names %s", p.json)
				}
				for how, out := range map[string]string{
					"Error()": err.Error(), "%+v": fmt.Sprintf("%+v", err), "%#v": fmt.Sprintf("%#v", err),
					"Fields": fmt.Sprintf("%#v", vErr.Fields), "wrapped": fmt.Errorf("create: %w", err).Error(),
				} {
					if form := leakedForm(out, secrets); form != "" {
						t.Errorf("%s shows %q: %s", how, form, out)
					}
				}
			}
		})
	}
}

func TestEverySecretIsHiddenFromAnAPIErrorThatEchoesIt(t *testing.T) {
	t.Parallel()
	const secret = "Echoed-Secret-Value-0815"
	for typ, paths := range sentRequests(t) {
		send, ok := senders[typ]
		if !assert.True(t, ok, "%s holds a Secret: add it to senders, so that its error paths are checked", typ) {
			continue
		}
		t.Run(typ.Name(), func(t *testing.T) {
			t.Parallel()
			// The service refuses the request, quoting all of it: in its
			// details, as a field of the error body, in a header.
			var received string
			mock := httpmock.NewMockTransport()
			mock.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
				body, err := io.ReadAll(req.Body)
				if err != nil {
					return nil, err
				}
				received = string(body)
				quoted, err := json.Marshal("invalid body: " + received)
				if err != nil {
					return nil, err
				}
				resp := httpmock.NewStringResponse(http.StatusBadRequest,
					`{"errors":[{"code":"InvalidBody","detail":`+string(quoted)+`}],"input":`+received+`}`)
				resp.Header.Set("Content-Type", "application/json")
				resp.Header.Set("X-Echo", received)
				return resp, nil
			})
			var logs strings.Builder
			c, err := NewClient(WithEndpoint("https://vpn.example.test"), WithCredentials("AK", "SK"), WithTransport(mock),
				WithoutRetries(), WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), WithBodyLogging())
			require.NoError(t, err)

			var resp Response
			v, secrets := withSecrets(t, typ, paths, secret)
			err = send(context.Background(), c, v.Addr().Interface(), WithResponse(&resp))
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			for _, s := range secrets {
				require.Contains(t, received, s, "the wire carries the secret")
			}
			require.Contains(t, string(apiErr.Body), redactedText, "the answer echoed it, and it was replaced")

			for how, out := range map[string]string{
				"Error()": err.Error(), "%+v": fmt.Sprintf("%+v", err), "%#v": fmt.Sprintf("%#v", err),
				"APIError": fmt.Sprintf("%#v", *apiErr), "Details": strings.Join(apiErr.Details, "\n"), "Body": string(apiErr.Body),
				"Response": fmt.Sprintf("%#v", resp), "logs": logs.String(),
				"errors.Unwrap": fmt.Sprint(errors.Unwrap(err)),
			} {
				if form := leakedForm(out, secrets); form != "" {
					t.Errorf("%s shows %q: %s", how, form, out)
				}
			}
		})
	}
}
