package scpvpn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"

	"github.com/scpsdk/scpvpn/internal/errbody"
	"github.com/scpsdk/scpvpn/internal/rest"
)

// Version is the SDK's version, sent in the User-Agent.
const Version = "0.1.0"

// Client calls the VPN API of Samsung Cloud Platform. Choose the API version
// through its fields: c.V1Dot1.Gateways, c.V1Dot1.Tunnels, and the deprecated
// c.V1Dot0. A Client is safe for concurrent use by many goroutines and should
// be reused: it keeps connections open between calls.
type Client struct {
	// V1Dot1 calls version 1.1 of the API, the current one.
	V1Dot1 *V1Dot1Services

	// V1Dot0 calls version 1.0 of the API.
	//
	// Deprecated: SCP marks version 1.0 deprecated, with support guaranteed
	// only until 2025-12-31, a date now past. Use V1Dot1. V1Dot0 keeps
	// working for as long as the service answers it.
	V1Dot0 *V1Dot0Services

	endpoint   string
	accessKey  string
	httpClient *http.Client // sends each attempt; rest holds it too
	rest       *rest.Client
	validate   bool
	wait       WaitPolicy
}

// V1Dot1Services are the services of version 1.1 of the API; every call sends
// Scp-Api-Version: vpn 1.1.
type V1Dot1Services struct {
	// Gateways manages VPN gateways.
	Gateways *GatewayService
	// Tunnels manages VPN tunnels with several remote subnets each.
	Tunnels *TunnelServiceV1Dot1
}

// V1Dot0Services are the services of version 1.0 of the API; every call sends
// Scp-Api-Version: vpn 1.0.
type V1Dot0Services struct {
	// Gateways manages VPN gateways.
	Gateways *GatewayService
	// Tunnels manages VPN tunnels with one remote subnet each.
	Tunnels *TunnelService
}

// API version header values.
const (
	apiVersion1Dot0 = "vpn 1.0"
	apiVersion1Dot1 = "vpn 1.1"
)

// NewClient returns a client configured by opts. An endpoint (WithEndpoint or
// WithRegion) and credentials (WithCredentials) are required; without them
// NewClient returns an error wrapping ErrNoEndpoint or ErrNoCredentials.
func NewClient(opts ...Option) (*Client, error) {
	s := settings{
		retry:          DefaultRetryPolicy(),
		wait:           DefaultWaitPolicy(),
		acceptLanguage: DefaultAcceptLanguage,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(&s)
		}
	}
	endpoint, err := s.resolveEndpoint()
	if err != nil {
		return nil, err
	}
	if err := s.checkHeaderValues(); err != nil {
		return nil, err
	}
	if s.accessKey == "" || s.secretKey == "" {
		return nil, fmt.Errorf("%w: set an access key and a secret key with WithCredentials or SCP_ACCESS_KEY and SCP_SECRET_KEY", ErrNoCredentials)
	}
	signer := &Signer{AccessKey: s.accessKey, SecretKey: s.secretKey, AccountID: s.accountID}

	c := &Client{
		endpoint:  endpoint,
		accessKey: s.accessKey,
		validate:  !s.noValidation,
		wait:      s.wait,
	}
	c.httpClient = s.buildHTTPClient(signer)
	c.rest = rest.New(rest.Config{
		BaseURL:     endpoint,
		HTTPClient:  c.httpClient,
		Header:      s.header(),
		Retry:       s.retry.internal(),
		Logger:      s.logger,
		LogBodies:   s.logBodies,
		StatusError: newAPIError,
	})
	gateways10 := &GatewayService{newGatewayAPI(c, apiVersion1Dot0)}
	gateways11 := &GatewayService{newGatewayAPI(c, apiVersion1Dot1)}
	c.V1Dot0 = &V1Dot0Services{
		Gateways: gateways10,
		Tunnels:  &TunnelService{newTunnelAPI[Tunnel, tunnelWire](c, apiVersion1Dot0)},
	}
	c.V1Dot1 = &V1Dot1Services{
		Gateways: gateways11,
		Tunnels:  &TunnelServiceV1Dot1{newTunnelAPI[TunnelV1Dot1, tunnelV1Dot1Wire](c, apiVersion1Dot1)},
	}
	return c, nil
}

// Environment variables read by NewClientFromEnv.
const (
	EnvAccessKey   = "SCP_ACCESS_KEY"
	EnvSecretKey   = "SCP_SECRET_KEY" //nolint:gosec // the name of a variable, not a credential
	EnvAccountID   = "SCP_ACCOUNT_ID"
	EnvEndpoint    = "SCP_VPN_ENDPOINT"
	EnvRegion      = "SCP_REGION"
	EnvEnvironment = "SCP_ENVIRONMENT"
)

// NewClientFromEnv returns a client configured by the environment:
// SCP_ACCESS_KEY, SCP_SECRET_KEY, SCP_ACCOUNT_ID, and SCP_VPN_ENDPOINT or
// SCP_REGION with SCP_ENVIRONMENT. opts are applied after the environment, so
// they override it.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	env := []Option{
		WithCredentials(os.Getenv(EnvAccessKey), os.Getenv(EnvSecretKey)),
		WithAccountID(os.Getenv(EnvAccountID)),
	}
	// SCP_VPN_ENDPOINT, when set, wins over the region: it comes later.
	if region, environment := os.Getenv(EnvRegion), os.Getenv(EnvEnvironment); region != "" || environment != "" {
		env = append(env, WithRegion(region, environment))
	}
	if endpoint := os.Getenv(EnvEndpoint); endpoint != "" {
		env = append(env, WithEndpoint(endpoint))
	}
	return NewClient(append(env, opts...)...)
}

// CloseIdleConnections closes the connections the client keeps open between
// calls. A client stays usable; call it when done with a client that is not
// reused, such as in a short-lived tool.
func (c *Client) CloseIdleConnections() {
	c.httpClient.CloseIdleConnections()
}

// Endpoint returns the service URL the client calls.
func (c *Client) Endpoint() string { return c.endpoint }

// String describes the client without its secret key.
func (c *Client) String() string {
	return "scpvpn.Client{Endpoint: " + c.endpoint + ", AccessKey: " + c.accessKey + "}"
}

// Format shows String under every verb, so that no fmt verb can reach the
// signer's secret key through the client's unexported fields.
func (c *Client) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, c.String())
}

// resolveEndpoint checks the endpoint or builds it from region and environment.
func (s *settings) resolveEndpoint() (string, error) {
	raw := s.endpoint
	if raw == "" && (s.region != "" || s.environment != "") {
		if !dnsLabel(s.region) || !dnsLabel(s.environment) {
			return "", fmt.Errorf("%w: region %q and environment %q must both be DNS labels, such as kr-west1 and e", ErrNoEndpoint, s.region, s.environment)
		}
		raw = "https://vpn." + s.region + "." + s.environment + ".samsungsdscloud.com"
	}
	if raw == "" {
		return "", fmt.Errorf("%w: set WithEndpoint or WithRegion, or SCP_VPN_ENDPOINT or SCP_REGION and SCP_ENVIRONMENT", ErrNoEndpoint)
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url's error repeats the input, which may hold a password.
		return "", fmt.Errorf("%w: endpoint is not a URL", ErrNoEndpoint)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		// Redacted: a password written into the URL is not repeated.
		return "", fmt.Errorf("%w: endpoint %q must be http(s)://host[:port][/prefix], without credentials, query or fragment", ErrNoEndpoint, u.Redacted())
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

func dnsLabel(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// checkHeaderValues refuses option values that cannot go into a header,
// which would otherwise fail every request at send time.
func (s *settings) checkHeaderValues() error {
	for _, v := range []struct{ option, value string }{
		{"WithUserAgent", s.userAgent},
		{"WithAcceptLanguage", s.acceptLanguage},
		{"WithAccountID", s.accountID},
		{"WithCredentials (access key)", s.accessKey},
	} {
		if !headerSafe(v.value) {
			return fmt.Errorf("scpvpn: %s: the value cannot be sent in an HTTP header as it is (control characters or surrounding white space)", v.option)
		}
	}
	return nil
}

// header returns the headers of every request.
func (s *settings) header() http.Header {
	ua := "scpvpn-go/" + Version + " go/" + runtime.Version()
	if s.userAgent != "" {
		ua += " " + s.userAgent
	}
	h := http.Header{}
	h.Set("User-Agent", ua)
	h.Set("Accept", "application/json")
	h.Set("Accept-Language", s.acceptLanguage)
	return h
}

// newAPIError makes the error callers get for an answer that is not 2xx.
func newAPIError(se *rest.StatusError) error {
	return &APIError{
		StatusCode: se.StatusCode,
		Method:     se.Method,
		URL:        se.URL,
		Details:    errbody.Details(se.Body),
		Body:       se.Body,
		RequestID:  rest.RequestID(se.Header),
		Attempts:   se.Attempts,
	}
}

// do sends one API call through the request path and turns its failures into
// the SDK's errors. body, when not nil, is encoded once: every attempt sends
// the same bytes.
func (c *Client) do(ctx context.Context, method, path, query string, header http.Header, body, out any) error {
	if ctx == nil {
		return errors.New("scpvpn: nil context")
	}
	req := &rest.Request{Method: method, Path: path, Query: query, Header: header}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("scpvpn: encoding %s %s: %w", method, path, err)
		}
		req.Body = b
	}
	err := c.rest.Do(ctx, req, out)
	if err == nil {
		return nil
	}
	if _, ok := err.(*APIError); ok { //nolint:errorlint // an answer's error is returned as it is; others get the prefix
		return err
	}
	return fmt.Errorf("scpvpn: %w", err)
}
