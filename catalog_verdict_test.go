package scpvpn_test

// Tests of what a failure of the IAM catalog says: never a verdict about a
// gateway or tunnel (no call reached the VPN service), but what concerns
// the client (its keys refused, no catalog at the auth URL); and of the
// catalog's entries listed twice.

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

func TestACatalogFailureIsNoVerdictOnAResource(t *testing.T) {
	t.Parallel()
	const errBody = `{"errors":[{"code":"Code","detail":"the catalog's detail"}]}`
	verdicts := []error{scpvpn.ErrNotFound, scpvpn.ErrConflict, scpvpn.ErrBadRequest, scpvpn.ErrResourceFailed, scpvpn.ErrOutcomeUnknown}
	for _, tc := range []struct {
		status  int
		body    string
		matches []error // besides ErrNoEndpoint, which only a 404 matches
	}{
		{http.StatusNotFound, errBody, []error{scpvpn.ErrNoEndpoint}},
		{http.StatusNotFound, "404 page not found", []error{scpvpn.ErrNoEndpoint, scpvpn.ErrUnexpectedAnswer}},
		{http.StatusUnauthorized, errBody, []error{scpvpn.ErrUnauthorized}},
		{http.StatusForbidden, errBody, []error{scpvpn.ErrForbidden}},
		{http.StatusBadRequest, errBody, nil},
		{http.StatusConflict, errBody, nil},
		{http.StatusTooManyRequests, errBody, []error{scpvpn.ErrRateLimited}},
		{http.StatusInternalServerError, errBody, nil},
	} {
		t.Run(strconv.Itoa(tc.status)+" "+tc.body, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := catalogClient(t, mock, "kr-west1", scpvpn.WithoutRetries())
			mock.RegisterResponder(http.MethodGet, testCatalogURL, httpmock.NewStringResponder(tc.status, tc.body))
			for name, call := range map[string]func() error{
				"Get":              func() error { _, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID); return err },
				"Delete":           func() error { return c.V1Dot1.Gateways.Delete(context.Background(), gatewayID) },
				"WaitUntilDeleted": func() error { return c.V1Dot1.Gateways.WaitUntilDeleted(context.Background(), gatewayID) },
				"Set": func() error {
					_, err := c.V1Dot1.Gateways.Set(context.Background(), gatewayID, &scpvpn.GatewaySetRequest{Description: scpvpn.Ptr("x")})
					return err
				},
			} {
				err := call()
				require.Error(t, err, name)
				assert.Contains(t, err.Error(), "IAM catalog", name)
				for _, v := range verdicts {
					assert.NotErrorIs(t, err, v, "%s: the catalog's %d says nothing of the gateway", name, tc.status)
				}
				for _, m := range tc.matches {
					assert.ErrorIs(t, err, m, name)
				}
				assert.Equal(t, tc.status == http.StatusNotFound, errors.Is(err, scpvpn.ErrNoEndpoint), "%s: ErrNoEndpoint", name)
				if tc.status == http.StatusNotFound {
					assert.Contains(t, err.Error(), "not the VPN service's: is the IAM auth URL right?", name)
				}
				var apiErr *scpvpn.APIError
				require.ErrorAs(t, err, &apiErr, name)
				assert.Equal(t, testCatalogURL, apiErr.URL, "%s: the catalog's answer", name)
			}
			assert.Equal(t, 4, mock.GetTotalCallCount(), "only the catalog was asked, once a call")
		})
	}
}

// A catalog may list one entry twice: it is one. One region listed with
// two different URLs is an error, with the URLs, whether the region was
// asked for or is the only one: which to call is not clear.
func TestCatalogListingARegionTwice(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, region string
		entries      []catalogEntry
		want, says   string
	}{
		{"an entry twice, no region asked", "", []catalogEntry{{"kr-west1", "scp-vpn", "https://vpn.example"}, {"kr-west1", "scp-vpn", "https://vpn.example"}}, "https://vpn.example", ""},
		{"an entry twice, its region asked", "kr-west1", []catalogEntry{{"kr-west1", "scp-vpn", "https://vpn.example"}, {"kr-east1", "scp-vpn", "https://vpn2.example"}, {"kr-west1", "scp-vpn", "https://vpn.example/v1/"}}, "https://vpn.example", ""},
		{"two URLs, no region asked", "", []catalogEntry{{"kr-west1", "scp-vpn", "https://vpn.example"}, {"kr-west1", "scp-vpn", "https://other.example"}},
			"", `it lists 2 different scp-vpn endpoints in region kr-west1 ("https://vpn.example", "https://other.example"), and which to call is not clear`},
		{"two URLs, the region asked", "kr-west1", []catalogEntry{{"kr-west1", "scp-vpn", "https://vpn.example"}, {"kr-east1", "scp-vpn", "https://vpn2.example"}, {"kr-west1", "scp-vpn", "https://someone@other.example"}},
			"", `it lists 2 different scp-vpn endpoints in region kr-west1 ("https://vpn.example", "https://xxxxx@other.example")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := catalogClient(t, mock, tc.region)
			mock.RegisterResponder(http.MethodGet, testCatalogURL, httpmock.NewStringResponder(http.StatusOK, catalogBody(tc.entries...)))
			mock.RegisterResponder(http.MethodDelete, "https://vpn.example/v1/vpn-gateways/g1", httpmock.NewStringResponder(http.StatusAccepted, ""))
			err := deleteGateway(context.Background(), c)
			if tc.want != "" {
				require.NoError(t, err)
				assert.Equal(t, tc.want, c.Endpoint())
				return
			}
			require.ErrorIs(t, err, scpvpn.ErrNoEndpoint)
			assert.Contains(t, err.Error(), tc.says)
			assert.NotContains(t, err.Error(), "someone", "a URL's user name is hidden")
			assert.Equal(t, 1, mock.GetTotalCallCount(), "nothing but the catalog was asked")
		})
	}
}
