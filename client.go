package scpvpn

// This file holds the Client, how NewClient builds it, and the versions of
// the API it reaches.

import (
	"fmt"
	"io"
	"net/http"
	"runtime"

	"github.com/scpsdk/scpvpn/internal/redact"
	"github.com/scpsdk/scpvpn/internal/rest"
)

// Version is the SDK's version, sent in the User-Agent.
const Version = "0.3.0"

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

	endpoint   string   // "" until the catalog is asked, with WithCatalog
	catalog    *catalog // nil unless WithCatalog
	accessKey  string
	httpClient *http.Client // sends each attempt; rest holds it too
	rest       *rest.Client
	secrets    *redact.Scrubber // the secret key and the token
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

// NewClient returns a client configured by opts. An endpoint (WithEndpoint,
// WithCatalog or WithRegion) and credentials (WithCredentials) are required;
// without them NewClient returns one error that names everything missing and
// wraps ErrNoEndpoint, ErrNoCredentials or both. An endpoint that is given
// but unusable is ErrInvalidEndpoint. NewClient never panics.
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
	if err := s.checkRequired(); err != nil {
		return nil, err
	}
	c := &Client{
		accessKey: s.accessKey,
		validate:  !s.noValidation,
		wait:      s.wait,
		secrets:   redact.NewScrubber(s.secretKey, s.token),
	}
	if err := s.resolveEndpoint(c); err != nil {
		return nil, err
	}
	if err := s.checkHeaderValues(); err != nil {
		return nil, err
	}
	signer := &Signer{AccessKey: s.accessKey, SecretKey: s.secretKey, AccountID: s.accountID}
	c.httpClient = s.buildHTTPClient()
	c.rest = rest.New(rest.Config{
		HTTPClient:     c.httpClient,
		Sign:           signer.Sign,
		Header:         s.header(),
		Retry:          s.retry.internal(),
		AttemptTimeout: s.attemptTimeout(),
		Logger:         s.logger,
		LogBodies:      s.logBodies,
		Secrets:        c.secrets,
		SecretHeaders:  []string{HeaderSignature},
	})
	c.V1Dot0 = &V1Dot0Services{
		Gateways: &GatewayService{newGatewayAPI(c, apiVersion1Dot0)},
		Tunnels:  &TunnelService{newTunnelAPI[Tunnel, tunnelWire, tunnelAnswer](c, apiVersion1Dot0)},
	}
	c.V1Dot1 = &V1Dot1Services{
		Gateways: &GatewayService{newGatewayAPI(c, apiVersion1Dot1)},
		Tunnels:  &TunnelServiceV1Dot1{newTunnelAPI[TunnelV1Dot1, tunnelV1Dot1Wire, tunnelV1Dot1Answer](c, apiVersion1Dot1)},
	}
	return c, nil
}

// resolveEndpoint sets the client's endpoint, or its catalog: an explicit
// endpoint first, then the catalog, then region and environment.
func (s *settings) resolveEndpoint(c *Client) error {
	var err error
	switch {
	case s.endpoint != "":
		c.endpoint, err = checkEndpoint("endpoint", s.endpoint)
	case s.authURL != "":
		var authURL string
		authURL, err = checkEndpoint("IAM auth URL", s.authURL)
		region := s.catalogRegion
		if region == "" {
			region = s.defaultRegion
		}
		c.catalog = newCatalog(authURL, region)
	default:
		var raw string
		if raw, err = regionEndpoint(s.region, s.environment); err == nil {
			c.endpoint, err = checkEndpoint("endpoint", raw)
		}
	}
	return err
}

// CloseIdleConnections closes the connections the client keeps open between
// calls. A client stays usable; call it when done with a client that is not
// reused, such as in a short-lived tool.
func (c *Client) CloseIdleConnections() {
	c.httpClient.CloseIdleConnections()
}

// Endpoint returns the service URL the client calls. With WithCatalog it is
// "" until a call has found it in the catalog.
func (c *Client) Endpoint() string {
	if c.catalog != nil {
		if p := c.catalog.found.Load(); p != nil {
			return *p
		}
	}
	return c.endpoint
}

// String describes the client without its secret key or token.
func (c *Client) String() string {
	return "scpvpn.Client{Endpoint: " + c.Endpoint() + ", AccessKey: " + c.accessKey + "}"
}

// Format shows String under every verb, so that no fmt verb can reach the
// signer's secret key or the token through the client's unexported
// fields. Its receiver is a value so that a Client printed by value, whose
// fields fmt would otherwise walk under a verb they do not support, is
// covered too.
func (c Client) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, c.String())
}

// checkHeaderValues refuses option values that cannot go into a header,
// which would otherwise fail every request at send time.
func (s *settings) checkHeaderValues() error {
	for _, v := range []struct{ option, value string }{
		{"WithUserAgent", s.userAgent},
		{"WithAcceptLanguage", s.acceptLanguage},
		{"WithAccountID", s.accountID},
		{"WithCredentials (access key)", s.accessKey},
		{"WithAuthToken", s.token},
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
	if s.token != "" {
		h.Set("X-Auth-Token", s.token)
	}
	return h
}
