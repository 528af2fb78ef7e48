package scpvpn_test

// Review 2 (hostile review of issues 17, 19 and 20): the IAM catalog's own
// 404 is taken for the VPN service's. Issue 17 (item 3) made only the
// service's 404 mean "not found"; but a catalog lookup that fails is
// wrapped with %w, so an IAM 404 with SCP's error body (CONFIG.md: the
// catalog's errors are error bodies as in SIGNING.md) matches ErrNotFound
// on a call that never reached the VPN service. WaitUntilDeleted then
// reports a gateway gone, Get reports it missing, and the command line's
// `wait --deleted` prints "deleted" and exits 0 (see cmd/scpvpn's
// review2 tests): a teardown script leaves billable gateways running.

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// review2CatalogNotFound is IAM's answer to a lookup it cannot serve (an
// auth URL without its /v1, say): a 404 in SCP's error format.
const review2CatalogNotFound = `{"errors":[{"code":"NotFound","detail":"The requested resource was not found"}]}`

func TestReview2CatalogNotFoundIsNotTheResources(t *testing.T) {
	t.Parallel()
	for name, call := range map[string]func(context.Context, *scpvpn.Client) error{
		"WaitUntilDeleted": func(ctx context.Context, c *scpvpn.Client) error {
			return c.V1Dot1.Gateways.WaitUntilDeleted(ctx, gatewayID)
		},
		"Get": func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
			return err
		},
		"Delete": func(ctx context.Context, c *scpvpn.Client) error {
			return c.V1Dot1.Gateways.Delete(ctx, gatewayID)
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := catalogClient(t, mock, "kr-west1", scpvpn.WithoutRetries())
			mock.RegisterResponder(http.MethodGet, testCatalogURL, httpmock.NewStringResponder(http.StatusNotFound, review2CatalogNotFound))
			err := call(context.Background(), c)
			require.Equal(t, 1, mock.GetTotalCallCount(), "only the catalog was asked: the VPN service never saw the gateway's id")
			require.Error(t, err, "%s reports success on a call that never reached the VPN service", name)
			assert.False(t, errors.Is(err, scpvpn.ErrNotFound), "the catalog's 404 says nothing of the gateway, yet %s matches ErrNotFound: %v", name, err)
		})
	}
}
