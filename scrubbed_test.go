package scpvpn_test

// A transport error that says a secret is reported scrubbed, and hides the
// chain that says it: errors.Is still matches what it wraps, errors.As
// finds only what says no secret.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// quotingError is a transport's error whose message quotes what a server
// sent (a token, here) and wraps the cause.
type quotingError struct {
	quote string
	err   error
}

func (e *quotingError) Error() string { return "server sent " + e.quote + ": " + e.err.Error() }
func (e *quotingError) Unwrap() error { return e.err }

// timeoutError is a net.Error that timed out, and says no secret.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

// chain returns every error reachable from err by errors.Unwrap, in
// either form.
func chain(err error) []error {
	var out []error
	for _, e := range unwrapped(err) {
		out = append(out, e)
		out = append(out, chain(e)...)
	}
	return out
}

func unwrapped(err error) []error {
	switch e := err.(type) { //nolint:errorlint // walks the chain itself
	case interface{ Unwrap() error }:
		if inner := e.Unwrap(); inner != nil {
			return []error{inner}
		}
	case interface{ Unwrap() []error }:
		return e.Unwrap()
	}
	return nil
}

func TestAScrubbedErrorMatchesWithoutHandingOutTheSecret(t *testing.T) {
	t.Parallel()
	const token = "tok-Scrubbed-0123456789"
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithAuthToken(token), scpvpn.WithoutRetries())
	cause := fmt.Errorf("%w (%w)", context.DeadlineExceeded, timeoutError{})
	mock.RegisterResponder(http.MethodGet, gatewayPath, httpmock.NewErrorResponder(&quotingError{quote: "token=" + token, err: cause}))
	_, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "server sent token=[REDACTED]: context deadline exceeded (i/o timeout)")
	for i, e := range chain(err) {
		assert.NotContains(t, e.Error(), token, "error %d down the chain (%T)", i+1, e)
	}

	assert.ErrorIs(t, err, context.DeadlineExceeded, "errors.Is sees the chain")
	var ne net.Error
	require.ErrorAs(t, err, &ne, "errors.As finds a net.Error that says no secret")
	assert.True(t, ne.Timeout())
	assert.NotContains(t, ne.Error(), token)
	var quoting *quotingError
	assert.False(t, errors.As(err, &quoting), "nor one that says the token")
}
