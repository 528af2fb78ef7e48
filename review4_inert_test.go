package scpvpn_test

// Review 4: the third review made APIError.Error quote what the server
// sent inert (control characters, line separators, bidi formatting as \u
// escapes) so that "a hostile answer cannot forge lines ... in a log".
// The read-backs' verdicts put the server's text into an
// OutcomeUnknownError unquoted: the state a read-back found ("the VPN
// gateway is %s", lostanswer.go settleDelete) and the ids of the
// candidates (idsOf, lostcreate.go). A server that answers the read-back
// with a state holding a carriage return and a terminal escape writes,
// in the caller's log and on the command line's standard error, a line
// of its own choosing: here that the delete succeeded.

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

func TestReview4OutcomeUnknownQuotesTheServersTextInert(t *testing.T) {
	t.Parallel()
	const id = "0fdd87aab8cb46f59b7c1f81ed03fb3e"
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodDelete, testEndpoint+"/v1/vpn-gateways/"+id,
		httpmock.NewStringResponder(http.StatusBadGateway, "<html>502 Bad Gateway</html>"))
	hostile := strings.Replace(fixture(t, "v1.1", "gateway_get_response"), `"state": "ACTIVE"`,
		`"state": "ACTIVE\r\u001b[2K\nscpvpn: VPN gateway `+id+` deleted\u2028"`, 1)
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+id, httpmock.NewStringResponder(http.StatusOK, hostile))
	c := newClient(t, mock, scpvpn.WithoutRetries())

	err := c.V1Dot1.Gateways.Delete(context.Background(), id)
	require.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown)
	var unknown *scpvpn.OutcomeUnknownError
	require.True(t, errors.As(err, &unknown))
	msg := err.Error()
	for _, r := range msg {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			assert.Failf(t, "the server's text acts on the log", "control or separator %U in %q", r, msg)
			break
		}
	}
}
