package scpvpn_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// End to end, against vpntest's IAM catalog: a client made WithCatalog
// finds the fake, in the region asked for, once for many first calls; a
// failed catalog is asked again; a region without VPN is reported with
// those that have it.

// e2eCatalogPath is where the fake serves its catalog.
func e2eCatalogPath(t testing.TB, srv *vpntest.Server) string {
	t.Helper()
	path := strings.TrimPrefix(srv.AuthURL, srv.URL) + "/endpoints"
	require.True(t, strings.HasPrefix(path, "/"), "AuthURL %q is below URL %q", srv.AuthURL, srv.URL)
	return path
}

// e2eCatalogClient is a client of srv that knows only its IAM catalog.
func e2eCatalogClient(t testing.TB, srv *vpntest.Server, region string, opts ...scpvpn.Option) *scpvpn.Client {
	t.Helper()
	return newClient(t, srv, append([]scpvpn.Option{scpvpn.WithCatalog(srv.AuthURL, region)}, opts...)...)
}

func TestE2ECatalogFindsTheFake(t *testing.T) {
	t.Parallel()
	srv := e2eServer(t, e2eImmediate)
	ctx := e2eCtx(t)
	c := e2eCatalogClient(t, srv, "")
	assert.Empty(t, c.Endpoint())

	gw, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
	require.NoError(t, err)
	assert.Equal(t, srv.URL, c.Endpoint())
	_, err = c.V1Dot0.Gateways.Get(ctx, gw.ID)
	require.NoError(t, err, "both versions go where the catalog says")
	q, err := c.V1Dot1.Gateways.Quota(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, q.Used)

	assert.Equal(t, 1, srv.CountRequests(http.MethodGet, e2eCatalogPath(t, srv)), "asked once; the fake verified its signature")
	assert.Equal(t, 3, srv.CountRequests("", "/v1/*"))
}

func TestE2ECatalogPicksTheRegion(t *testing.T) {
	t.Parallel()
	keys := vpntest.Options{AccessKey: "e2eAccessKey", SecretKey: "e2eSecretKey", TransitionDelay: -1}
	south := e2eServer(t, keys)
	opts := keys
	opts.Region = "kr-east1"
	opts.Catalog = []vpntest.CatalogEntry{
		{Region: "kr-west1", ServiceType: "scp-vpn", ServiceName: "vpn", URL: "http://127.0.0.1:9"},
		{Region: "kr-south1", ServiceType: "scp-vpc", ServiceName: "vpc"},
		{Region: "kr-south1", ServiceType: "scp-vpn", ServiceName: "vpn", URL: south.URL},
	}
	srv := e2eServer(t, opts)
	ctx := e2eCtx(t)

	c := e2eCatalogClient(t, srv, "kr-east1")
	_, err := c.V1Dot1.Gateways.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, srv.URL, c.Endpoint())
	assert.Equal(t, 1, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways"))

	c = e2eCatalogClient(t, srv, "kr-south1")
	_, err = c.V1Dot1.Gateways.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, south.URL, c.Endpoint(), "the entry of the region, not the first")
	assert.Equal(t, 1, south.CountRequests(http.MethodGet, "/v1/vpn-gateways"))
	assert.Equal(t, 1, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways"))

	c = e2eCatalogClient(t, srv, "us-west1")
	_, err = c.V1Dot1.Gateways.List(ctx, nil)
	require.ErrorIs(t, err, scpvpn.ErrNoEndpoint)
	assert.Contains(t, err.Error(), `no scp-vpn endpoint in region "us-west1"; the regions with VPN are kr-east1, kr-south1, kr-west1`)

	c = e2eCatalogClient(t, srv, "")
	_, err = c.V1Dot1.Gateways.List(ctx, nil)
	require.ErrorIs(t, err, scpvpn.ErrNoEndpoint, "several regions and none asked for")
	assert.Contains(t, err.Error(), "kr-east1, kr-south1, kr-west1")
}

func TestE2ECatalogAskedOnce(t *testing.T) {
	t.Parallel()
	const callers = 50
	srv := e2eServer(t, e2eImmediate)
	ctx := e2eCtx(t)
	path := e2eCatalogPath(t, srv)
	srv.SetLatency(http.MethodGet, path, 20*time.Millisecond) // so that the first calls overlap
	c := e2eCatalogClient(t, srv, "")

	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.V1Dot1.Gateways.Quota(ctx, nil)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.CountRequests(http.MethodGet, path), "one catalog request")
	assert.Equal(t, callers, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways/metrics/quotas"))
}

func TestE2ECatalogFailureIsAskedAgain(t *testing.T) {
	t.Parallel()
	srv := e2eServer(t, e2eImmediate)
	ctx := e2eCtx(t)
	path := e2eCatalogPath(t, srv)
	srv.Script(http.MethodGet, path, vpntest.Respond(http.StatusInternalServerError), vpntest.Drop())
	c := e2eCatalogClient(t, srv, "", scpvpn.WithoutRetries())

	_, err := c.V1Dot1.Gateways.List(ctx, nil)
	apiErr := e2eAPIError(t, err)
	assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
	_, err = c.V1Dot1.Gateways.List(ctx, nil)
	require.Error(t, err, "a dropped connection")
	assert.Contains(t, err.Error(), "IAM catalog")
	assert.Empty(t, c.Endpoint())

	_, err = c.V1Dot1.Gateways.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, srv.CountRequests(http.MethodGet, path))
	assert.Equal(t, 1, srv.CountRequests("", "/v1/*"), "no call went anywhere before the endpoint was known")
}

func TestE2ECatalogChecksTheSignature(t *testing.T) {
	t.Parallel()
	srv := e2eServer(t, e2eImmediate)
	c := e2eCatalogClient(t, srv, "", scpvpn.WithCredentials(srv.AccessKey, "not-the-secret"))
	_, err := c.V1Dot1.Gateways.List(e2eCtx(t), nil)
	require.ErrorIs(t, err, scpvpn.ErrUnauthorized)
	assert.Equal(t, "HmacValidFail", e2eAPIError(t, err).Code)
	assert.Equal(t, 0, srv.CountRequests("", "/v1/*"))
}
