package scpvpn_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/sigverify"
)

// NewClient: endpoints and credentials, a client that shows no secret, the
// token on the wire and nowhere else, and any answer fed to a client.

func TestNewClientNeedsEndpointAndCredentials(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []scpvpn.Option
		want error
		says string // in the message
	}{
		{"nothing", nil, scpvpn.ErrNoEndpoint, "endpoint (give it with WithEndpoint, WithCatalog or WithRegion)"},
		{"no credentials", []scpvpn.Option{scpvpn.WithEndpoint(testEndpoint)}, scpvpn.ErrNoCredentials, "access key (give it with WithCredentials); secret key"},
		{"no secret key", []scpvpn.Option{scpvpn.WithEndpoint(testEndpoint), scpvpn.WithCredentials("ak", "")}, scpvpn.ErrNoCredentials, "missing configuration: secret key"},
		{"not a URL", []scpvpn.Option{scpvpn.WithEndpoint("://nope"), scpvpn.WithCredentials("ak", "sk")}, scpvpn.ErrInvalidEndpoint, `"://nope" is not a URL`},
		{"no scheme", []scpvpn.Option{scpvpn.WithEndpoint("vpn.example.com"), scpvpn.WithCredentials("ak", "sk")}, scpvpn.ErrInvalidEndpoint, `did you mean "https://vpn.example.com"?`},
		{"no scheme, loopback", []scpvpn.Option{scpvpn.WithEndpoint("127.0.0.1:18080"), scpvpn.WithCredentials("ak", "sk")}, scpvpn.ErrInvalidEndpoint, `did you mean "http://127.0.0.1:18080"?`},
		{"no scheme, localhost", []scpvpn.Option{scpvpn.WithEndpoint("localhost:18080"), scpvpn.WithCredentials("ak", "sk")}, scpvpn.ErrInvalidEndpoint, `did you mean "http://localhost:18080"?`},
		{"ftp", []scpvpn.Option{scpvpn.WithEndpoint("ftp://vpn.example.com"), scpvpn.WithCredentials("ak", "sk")}, scpvpn.ErrInvalidEndpoint, "must start with https://"},
		{"query", []scpvpn.Option{scpvpn.WithEndpoint("https://vpn.example.com?x=1"), scpvpn.WithCredentials("ak", "sk")}, scpvpn.ErrInvalidEndpoint, "must not hold a query"},
		{"fragment", []scpvpn.Option{scpvpn.WithEndpoint("https://vpn.example.com#x"), scpvpn.WithCredentials("ak", "sk")}, scpvpn.ErrInvalidEndpoint, "must not hold a query or fragment"},
		{"user info", []scpvpn.Option{scpvpn.WithEndpoint("https://u:p4ssw0rd@vpn.example.com"), scpvpn.WithCredentials("ak", "sk")}, scpvpn.ErrInvalidEndpoint, `"https://xxxxx:xxxxx@vpn.example.com" must not hold credentials`},
		{"user info, unparsable", []scpvpn.Option{scpvpn.WithEndpoint("https://u:p4ssw0rd@vpn.example.com:port"), scpvpn.WithCredentials("ak", "sk")}, scpvpn.ErrInvalidEndpoint, "//xxxxx:xxxxx@vpn.example.com:port"},
		{"ends in /v1", []scpvpn.Option{scpvpn.WithEndpoint("https://vpn.kr-west1.e.samsungsdscloud.com/v1"), scpvpn.WithCredentials("ak", "sk")}, scpvpn.ErrInvalidEndpoint, `ends in /v1, which the SDK adds itself: did you mean "https://vpn.kr-west1.e.samsungsdscloud.com"?`},
		{"ends in /v1/", []scpvpn.Option{scpvpn.WithEndpoint("https://proxy.example/vpn/v1/"), scpvpn.WithCredentials("ak", "sk")}, scpvpn.ErrInvalidEndpoint, `did you mean "https://proxy.example/vpn"?`},
		{"white space", []scpvpn.Option{scpvpn.WithEndpoint(" https://vpn.example.com"), scpvpn.WithCredentials("ak", "sk")}, scpvpn.ErrInvalidEndpoint, "white space"},
		{"half a region", []scpvpn.Option{scpvpn.WithRegion("kr-west1", ""), scpvpn.WithCredentials("ak", "sk")}, scpvpn.ErrInvalidEndpoint, "must both be DNS labels"},
		{"region injection", []scpvpn.Option{scpvpn.WithRegion("evil.com/x", "e"), scpvpn.WithCredentials("ak", "sk")}, scpvpn.ErrInvalidEndpoint, "must both be DNS labels"},
		{"bad auth URL", []scpvpn.Option{scpvpn.WithCatalog("iam.example.com", ""), scpvpn.WithCredentials("ak", "sk")}, scpvpn.ErrInvalidEndpoint, `IAM auth URL "iam.example.com" is not a URL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := scpvpn.NewClient(tt.opts...)
			assert.Nil(t, c)
			require.ErrorIs(t, err, tt.want)
			assert.Contains(t, err.Error(), tt.says)
			assert.NotContains(t, err.Error(), "sk\"", "no secret in the message")
			assert.NotContains(t, err.Error(), "p4ssw0rd", "no password in the message")
		})
	}
}

// Everything missing is named in one error, which matches every sentinel
// that applies.
func TestNewClientNamesEverythingMissing(t *testing.T) {
	t.Parallel()
	_, err := scpvpn.NewClient()
	require.ErrorIs(t, err, scpvpn.ErrNoEndpoint)
	require.ErrorIs(t, err, scpvpn.ErrNoCredentials)
	assert.Equal(t, "scpvpn: missing configuration: access key (give it with WithCredentials); secret key (give it with WithCredentials); endpoint (give it with WithEndpoint, WithCatalog or WithRegion)", err.Error())
}

func TestNewClientEndpoints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		opts []scpvpn.Option
		want string
	}{
		{[]scpvpn.Option{scpvpn.WithRegion("kr-west1", "e")}, "https://vpn.kr-west1.e.samsungsdscloud.com"},
		{[]scpvpn.Option{scpvpn.WithEndpoint("http://127.0.0.1:8080/")}, "http://127.0.0.1:8080"},
		{[]scpvpn.Option{scpvpn.WithEndpoint("https://proxy.example/scp/vpn/")}, "https://proxy.example/scp/vpn"},
		{[]scpvpn.Option{scpvpn.WithRegion("kr-east1", "s"), scpvpn.WithEndpoint("https://override.example")}, "https://override.example"},
		{[]scpvpn.Option{scpvpn.WithEndpoint("https://proxy.example/v1x/vpn")}, "https://proxy.example/v1x/vpn"},
		{[]scpvpn.Option{scpvpn.WithEndpoint("https://proxy.example/v1/vpn")}, "https://proxy.example/v1/vpn"},
		{[]scpvpn.Option{scpvpn.WithEndpoint("https://override.example"), scpvpn.WithCatalog("https://iam.example/v1", "")}, ""},
	}
	for _, tt := range tests {
		c, err := scpvpn.NewClient(append(tt.opts, scpvpn.WithCredentials("ak", "sk"))...)
		require.NoError(t, err)
		assert.Equal(t, tt.want, c.Endpoint())
	}
}

func TestEndpointPathPrefixIsKept(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithEndpoint("https://proxy.example/scp/vpn"))
	var rec recorder
	mock.RegisterResponder(http.MethodDelete, "https://proxy.example/scp/vpn/v1/vpn-gateways/g1", rec.respond(http.StatusAccepted, ""))
	require.NoError(t, c.V1Dot1.Gateways.Delete(context.Background(), "g1"))
	req := rec.only(t).Request
	assert.Equal(t, "/scp/vpn/v1/vpn-gateways/g1", req.URL.Path)
	assert.NoError(t, sigverify.Verify(req, testSecretKey))
}

func TestClientHidesSecrets(t *testing.T) {
	t.Parallel()
	c := newClient(t, httpmock.NewMockTransport())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := sprintf(verb, c)
		assert.NotContains(t, out, testSecretKey, verb)
		assert.NotContains(t, out, hexOf(testSecretKey), verb)
	}
	assert.Contains(t, c.String(), testEndpoint)
}

func TestNilContext(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	//lint:ignore SA1012 the point is to pass a nil context
	_, err := c.V1Dot1.Gateways.Get(nil, "g1") //nolint:staticcheck // the point is a nil context
	require.Error(t, err)
	assert.Zero(t, mock.GetTotalCallCount())
}

// logToken is a token to look for where it must not be.
const logToken = "Tok-3e4f5a6b7c8d-AuthToken"

// TestTokenIsSentAndKept: WithAuthToken sends X-Auth-Token on every attempt,
// besides a signature that does not cover it, and the token shows neither
// in the client under any fmt verb, nor in logs with bodies, nor in errors,
// even when the service echoes it back.
func TestTokenIsSentAndKept(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithCredentials(testAccessKey, logSecretKey), scpvpn.WithAuthToken(logToken),
		scpvpn.WithLogger(logger), scpvpn.WithBodyLogging())
	echo := `{"errors":[{"code":"` + logToken + `","detail":"token ` + logToken + ` has expired; header X-Auth-Token: \"` + logToken + `\""}]}`
	var rec recorder
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/g1", httpmock.ResponderFromMultipleResponses([]*http.Response{
		httpmockResponse(http.StatusServiceUnavailable, echo),
		httpmockResponse(http.StatusUnauthorized, echo),
	}))
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", rec.respond(http.StatusOK, `{"count":0,"page":0,"size":20,"vpn_gateways":[],"note":"`+logToken+`"}`))

	_, err := c.V1Dot1.Gateways.Get(context.Background(), "g1")
	require.ErrorIs(t, err, scpvpn.ErrUnauthorized)
	apiErr := e2eAPIError(t, err)
	assert.Equal(t, 2, apiErr.Attempts)
	for _, shown := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", apiErr), apiErr.Code, strings.Join(apiErr.Details, " "), string(apiErr.Body)} {
		assertNoSecret(t, shown, logToken, logSecretKey)
	}
	assert.Contains(t, string(apiErr.Body), "has expired", "the rest of the body stays")

	_, err = c.V1Dot1.Gateways.List(context.Background(), nil)
	require.NoError(t, err)
	req := rec.only(t).Request
	assert.Equal(t, []string{logToken}, req.Header.Values("X-Auth-Token"))
	assert.NoError(t, sigverify.Verify(req, logSecretKey), "the token is not signed")

	out := logs.String()
	require.Len(t, jsonRecords(t, out), 3, "one record per attempt")
	assert.Contains(t, out, "has expired", "the bodies are logged")
	assertNoSecret(t, out, logToken, logSecretKey)

	for _, verb := range fmtVerbs {
		assertNoSecret(t, sprintf(verb, c), logToken, logSecretKey)
		assertNoSecret(t, fmt.Sprintf(verb, *c), logToken, logSecretKey)
	}
}

// TestTokenIsChecked: a token that cannot go into a header is refused when
// the client is made, without showing it.
func TestTokenIsChecked(t *testing.T) {
	t.Parallel()
	for _, token := range []string{logToken + "\n", " " + logToken, logToken + "\x00"} {
		_, err := scpvpn.NewClient(scpvpn.WithEndpoint(testEndpoint), scpvpn.WithCredentials(testAccessKey, testSecretKey), scpvpn.WithAuthToken(token))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "WithAuthToken")
		assertNoSecret(t, err.Error(), logToken)
	}
}

// TestNewClientErrorsShowNoSecret: an endpoint written with a password in
// it is refused without repeating the password.
func TestNewClientErrorsShowNoSecret(t *testing.T) {
	t.Parallel()
	for _, endpoint := range []string{
		"https://user:" + logSecretKey + "@vpn.kr-west1.e.samsungsdscloud.com",
		"https://user:" + logSecretKey + "@vpn.example.com/%zz",
		"ftp://user:" + logSecretKey + "@vpn.example.com",
		"user:" + logSecretKey + "@vpn.example.com",
	} {
		_, err := scpvpn.NewClient(scpvpn.WithEndpoint(endpoint), scpvpn.WithCredentials(testAccessKey, logSecretKey))
		require.ErrorIs(t, err, scpvpn.ErrInvalidEndpoint)
		assertNoSecret(t, err.Error(), logSecretKey)
	}
}

// FuzzClientAnswer feeds any status and body to every read of the client:
// it returns a value or an error, never both, never neither, never a panic;
// an answer that is not 2xx is an *APIError with a bounded body.
func FuzzClientAnswer(f *testing.F) {
	for _, name := range []string{"gateway_get_response", "tunnel_get_response", "gateway_list_response", "tunnel_list_response"} {
		f.Add(200, fixture(f, "v1.1", name))
	}
	f.Add(404, `{"errors":[{"detail":"not found"}]}`)
	f.Add(400, `[{"loc":["body","name"],"msg":"bad","type_":"x"}]`)
	f.Add(500, `{"errors":[{"detail":["a","b"],"code":"ContactAdminForAssistance"}]}`)
	f.Add(401, `{"errors":[{"code":"HmacValidFail"}]}`)
	f.Add(302, ``)
	f.Add(204, ``)
	f.Add(200, `{"vpn_gateway":{"id":1}}`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock, scpvpn.WithoutRetries())
		mock.RegisterNoResponder(httpmock.NewStringResponder(status, body))
		ctx := context.Background()
		checks := []func() (any, error){
			func() (any, error) { return c.V1Dot1.Gateways.Get(ctx, gatewayID) },
			func() (any, error) { return c.V1Dot1.Tunnels.Get(ctx, tunnelID) },
			func() (any, error) { return c.V1Dot0.Tunnels.Get(ctx, tunnelID) },
			func() (any, error) { return c.V1Dot1.Gateways.List(ctx, nil) },
			func() (any, error) { return c.V1Dot1.Tunnels.List(ctx, nil) },
			func() (any, error) { return c.V1Dot0.Tunnels.List(ctx, nil) },
			func() (any, error) { return nil, c.V1Dot1.Gateways.Delete(ctx, gatewayID) },
		}
		for i, call := range checks {
			v, err := call()
			hasValue := v != nil && !isNilPointer(v)
			if hasValue && err != nil {
				t.Fatalf("call %d: a value and an error: %v", i, err)
			}
			if status >= 300 {
				var apiErr *scpvpn.APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("call %d: status %d gave %v", i, status, err)
				}
				if apiErr.StatusCode != status || len(apiErr.Body) > 1<<20 || apiErr.Attempts != 1 {
					t.Fatalf("call %d: %+v", i, apiErr)
				}
				_ = apiErr.Error()
				continue
			}
			if i < 6 && !hasValue && err == nil {
				t.Fatalf("call %d: neither a value nor an error", i)
			}
			if err != nil {
				_ = err.Error()
			}
		}
	})
}
