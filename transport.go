package scpvpn

// This file holds the HTTP client and transport each attempt is sent
// through: the caller's or the SDK's, bounded, never redirected.

import (
	"net/http"
	"time"

	"github.com/scpsdk/scpvpn/internal/transport"
)

// buildHTTPClient returns the client that sends each attempt: the caller's
// (copied) or a new one, with redirects never followed. The request path
// signs every attempt itself (rest.Config.Sign). Its Timeout is always
// zero: the request path bounds each attempt with a context deadline
// instead (see attemptTimeout), which net/http honours without the timer
// and goroutines that http.Client.Timeout costs.
func (s *settings) buildHTTPClient() *http.Client {
	var hc http.Client
	if s.httpClient != nil {
		hc = *s.httpClient // a copy: the caller's client stays as it is
	}
	hc.Timeout = 0
	base := hc.Transport
	if s.transport != nil {
		base = s.transport
	}
	// A signing transport of the caller's (NewSigningTransport) handed
	// over as it is is set aside: the request path signs every attempt
	// with the client's keys. Its base, when it has none, is the SDK's
	// default transport, not http.DefaultTransport, which lacks the SDK's
	// bounds. (Wrapped in another transport, it stays, and sends the
	// attempts the path signed as they are: signingTransport.RoundTrip.)
	if st, ok := base.(*signingTransport); ok {
		base = st.base
	}
	if base == nil {
		base = newTransport()
	}
	hc.Transport = base
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &hc
}

// attemptTimeout is the bound of each attempt: WithTimeout's, else the
// caller's http.Client's Timeout, else DefaultTimeout (http.Client's zero
// means no bound; the SDK's promise is one); 0 for none.
func (s *settings) attemptTimeout() time.Duration {
	switch {
	case s.timeout < 0:
		return 0
	case s.timeout > 0:
		return s.timeout
	case s.httpClient != nil && s.httpClient.Timeout > 0:
		return s.httpClient.Timeout
	}
	return DefaultTimeout
}

// newTransport is the default transport of a client (internal/transport
// says what it bounds); the acceptance suite sends over the same one.
func newTransport() *http.Transport { return transport.New() }
