package scpvpn_test

// This file holds the tests of what answer to a Delete says it was done:
// only the API's 202 with no body (or JSON's white space) is done at once;
// any other 2xx, empty or not, is read back.

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// A 202 whose body is white space of Unicode's but not of JSON's is not
// the API's empty answer, 202 or not: it is read back (the gateway is
// ACTIVE, so the outcome is unknown). JSON's own white space is empty.
func TestDeleteAnswered202WithWhiteSpaceOnlyJSONsIsEmpty(t *testing.T) {
	t.Parallel()
	const id = "0fdd87aab8cb46f59b7c1f81ed03fb3e"
	for name, tc := range map[string]struct {
		body string
		done bool
	}{
		"JSON's white space": {" \t\r\n", true},
		"a no-break space":   {"\u00a0", false},
		"a form feed":        {"\f", false},
		"a vertical tab":     {"\v", false},
		"a NEL":              {"\u0085", false},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			var deletes, gets recorder
			mock.RegisterResponder(http.MethodDelete, testEndpoint+"/v1/vpn-gateways/"+id, deletes.respond(http.StatusAccepted, tc.body))
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+id,
				gets.respond(http.StatusOK, fixture(t, "v1.1", "gateway_get_response")))
			c := newClient(t, mock, scpvpn.WithoutRetries())
			err := c.V1Dot1.Gateways.Delete(context.Background(), id)
			deletes.only(t)
			if tc.done {
				require.NoError(t, err)
				assert.Empty(t, gets.all(), "the API's answer needs no read-back")
				return
			}
			assert.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "the gateway is ACTIVE")
			assert.Len(t, gets.all(), 1, "read back")
		})
	}
}

// An empty 200 or 204 to a Delete is read back like any 2xx that is not
// the API's: the Delete is done, and Response.Settled, when the read-back
// finds the gateway DELETING.
func TestDeleteAnsweredWithAnEmpty2xxOtherThan202IsSettledByTheReadBack(t *testing.T) {
	t.Parallel()
	const id = "0fdd87aab8cb46f59b7c1f81ed03fb3e"
	deleting := strings.Replace(fixture(t, "v1.1", "gateway_get_response"), `"ACTIVE"`, `"DELETING"`, 1)
	require.Contains(t, deleting, `"DELETING"`)
	for _, status := range []int{http.StatusOK, http.StatusNoContent} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			var deletes, gets recorder
			mock.RegisterResponder(http.MethodDelete, testEndpoint+"/v1/vpn-gateways/"+id, deletes.respond(status, ""))
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways/"+id, gets.respond(http.StatusOK, deleting))
			c := newClient(t, mock, scpvpn.WithoutRetries())
			var resp scpvpn.Response
			err := c.V1Dot1.Gateways.Delete(context.Background(), id, scpvpn.WithResponse(&resp))
			require.NoError(t, err)
			deletes.only(t)
			gets.only(t)
			assert.True(t, resp.Settled, "the read-back decided")
		})
	}
}
