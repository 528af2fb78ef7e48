package scpvpn_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/sigverify"
)

// Endpoint discovery (WithCatalog) on the wire: the entry chosen, the
// catalog request, once per client under concurrency, failures asked
// again, the call's context, and the URLs a catalog may list.

const (
	testAuthURL    = "https://iam.s.samsungsdscloud.com/v1"
	testCatalogURL = testAuthURL + "/endpoints"
)

// catalogEntry is a row of a test catalog.
type catalogEntry struct{ region, serviceType, url string }

// catalogBody is the catalog's answer listing entries.
func catalogBody(entries ...catalogEntry) string {
	var b strings.Builder
	b.WriteString(`{"endpoints":[`)
	for i, e := range entries {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"region":"` + e.region + `","service_type":"` + e.serviceType + `","service_name":"` + e.serviceType + `","url":"` + e.url + `"}`)
	}
	b.WriteString("]}")
	return b.String()
}

// severalRegions lists VPN in three regions, with other services around.
var severalRegions = []catalogEntry{
	{"kr-west1", "scp-vpc", "https://vpc.kr-west1.s.samsungsdscloud.com"},
	{"kr-west1", "scp-vpn", "https://vpn.kr-west1.s.samsungsdscloud.com"},
	{"kr-east1", "scp-vpn", "https://vpn.kr-east1.s.samsungsdscloud.com"},
	{"us-west9", "scp-vpc", "https://vpc.us-west9.s.samsungsdscloud.com"},
	{"kr-south1", "scp-vpn", "https://vpn.kr-south1.s.samsungsdscloud.com"},
}

// catalogClient is a client that finds its endpoint in the catalog at
// testAuthURL, for region, through mock.
func catalogClient(t *testing.T, mock *httpmock.MockTransport, region string, opts ...scpvpn.Option) *scpvpn.Client {
	t.Helper()
	return newClient(t, mock, append([]scpvpn.Option{scpvpn.WithCatalog(testAuthURL, region)}, opts...)...)
}

// deleteGateway is a call that the catalog must route.
func deleteGateway(ctx context.Context, c *scpvpn.Client) error {
	return c.V1Dot1.Gateways.Delete(ctx, "g1")
}

func TestCatalogPicksTheEntry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		region  string
		entries []catalogEntry
		want    string
	}{
		{"the region asked for", "kr-east1", severalRegions, "https://vpn.kr-east1.s.samsungsdscloud.com"},
		{"another region", "kr-south1", severalRegions, "https://vpn.kr-south1.s.samsungsdscloud.com"},
		{"the only entry", "", []catalogEntry{{"kr-west1", "scp-vpc", "https://vpc.example"}, {"kr-west1", "scp-vpn", "https://vpn.example"}}, "https://vpn.example"},
		{"the only entry, in the region asked for", "kr-west1", []catalogEntry{{"kr-west1", "scp-vpn", "https://vpn.example"}}, "https://vpn.example"},
		{"a trailing slash", "", []catalogEntry{{"kr-west1", "scp-vpn", "https://vpn.example/"}}, "https://vpn.example"},
		{"a versioned URL", "", []catalogEntry{{"kr-west1", "scp-vpn", "https://vpn.example/v1/"}}, "https://vpn.example"},
		{"a path prefix", "", []catalogEntry{{"kr-west1", "scp-vpn", "https://gw.example/scp/vpn"}}, "https://gw.example/scp/vpn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := catalogClient(t, mock, tt.region)
			var api recorder
			mock.RegisterResponder(http.MethodGet, testCatalogURL, httpmock.NewStringResponder(http.StatusOK, catalogBody(tt.entries...)))
			mock.RegisterResponder(http.MethodDelete, tt.want+"/v1/vpn-gateways/g1", api.respond(http.StatusAccepted, ""))

			assert.Empty(t, c.Endpoint(), "unknown before the first call")
			require.NoError(t, deleteGateway(context.Background(), c))
			assert.Equal(t, tt.want, c.Endpoint())
			assert.Contains(t, c.String(), tt.want)
			req := api.only(t).Request
			assert.NoError(t, sigverify.Verify(req, testSecretKey), "the call is signed over the URL found")
			assert.Equal(t, "vpn 1.1", req.Header.Get("Scp-Api-Version"))
		})
	}
}

// TestCatalogRequest: the catalog is asked with a GET of {authURL}/endpoints
// through the client's own transport, signed like every call, with the
// account id and the token, and without a version header.
func TestCatalogRequest(t *testing.T) {
	t.Parallel()
	for _, authURL := range []string{testAuthURL, testAuthURL + "/"} {
		mock := httpmock.NewMockTransport()
		c := newClient(t, mock, scpvpn.WithCatalog(authURL, "kr-west1"), scpvpn.WithAccountID("acct-1"), scpvpn.WithAuthToken("tok-1"))
		var catalog recorder
		mock.RegisterResponder(http.MethodGet, testCatalogURL, catalog.respond(http.StatusOK, catalogBody(severalRegions...)))
		mock.RegisterResponder(http.MethodDelete, "https://vpn.kr-west1.s.samsungsdscloud.com/v1/vpn-gateways/g1", httpmock.NewStringResponder(http.StatusAccepted, ""))

		require.NoError(t, deleteGateway(context.Background(), c))
		req := catalog.only(t).Request
		assert.Equal(t, http.MethodGet, req.Method)
		assert.Equal(t, testCatalogURL, req.URL.String(), authURL)
		assert.Empty(t, req.Header.Values("Scp-Api-Version"), "the catalog takes no version")
		assert.Equal(t, testAccessKey, req.Header.Get("Scp-Accesskey"))
		assert.Equal(t, "Openapi", req.Header.Get("Scp-ClientType"))
		assert.Equal(t, "acct-1", req.Header.Get("Scp-AccountId"))
		assert.Equal(t, "en-US", req.Header.Get("Accept-Language"))
		assert.Equal(t, "tok-1", req.Header.Get("X-Auth-Token"))
		assert.NotEmpty(t, req.Header.Get("Scp-Timestamp"))
		assert.NoError(t, sigverify.Verify(req, testSecretKey), "signed over {authURL}/endpoints")
		assert.Error(t, sigverify.Verify(req, "another secret"))
		assert.Empty(t, catalog.only(t).Body)
	}
}

// TestCatalogAskedOnce: many first calls at once ask the catalog once, and
// every call goes to what it found.
func TestCatalogAskedOnce(t *testing.T) {
	t.Parallel()
	const callers = 50
	mock := httpmock.NewMockTransport()
	c := catalogClient(t, mock, "kr-east1")
	var lookups atomic.Int32
	release := make(chan struct{})
	mock.RegisterResponder(http.MethodGet, testCatalogURL, func(*http.Request) (*http.Response, error) {
		lookups.Add(1)
		<-release // until every caller has started
		return httpmockResponse(http.StatusOK, catalogBody(severalRegions...)), nil
	})
	var api recorder
	mock.RegisterResponder(http.MethodDelete, "https://vpn.kr-east1.s.samsungsdscloud.com/v1/vpn-gateways/g1", api.respond(http.StatusAccepted, ""))

	var started, done sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		started.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			started.Done()
			errs <- deleteGateway(context.Background(), c)
		}()
	}
	started.Wait()
	close(release)
	done.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, int32(1), lookups.Load(), "one catalog request")
	assert.Len(t, api.all(), callers, "every call made")
	assert.Equal(t, "https://vpn.kr-east1.s.samsungsdscloud.com", c.Endpoint())
}

// joinWatch is a context that reports, once, when a call first asks for
// its Done channel. A first call made while another asks the catalog asks
// for it only once it waits on that lookup (nothing on its way there asks
// for it before): when it has reported, it waits on the lookup.
type joinWatch struct {
	context.Context
	once   sync.Once
	joined chan<- struct{}
}

func (w *joinWatch) Done() <-chan struct{} {
	w.once.Do(func() { w.joined <- struct{}{} })
	return w.Context.Done()
}

// TestCatalogFailureIsShared: first calls made while the catalog is being
// asked wait for that lookup and share its failure: one request, not one
// per call in turn. A waiting call still ends with its own context; the
// next call after the failure asks again.
func TestCatalogFailureIsShared(t *testing.T) {
	t.Parallel()
	const callers = 10
	mock := httpmock.NewMockTransport()
	c := catalogClient(t, mock, "kr-west1")
	var lookups atomic.Int32
	asking, release := make(chan struct{}), make(chan struct{})
	mock.RegisterResponder(http.MethodGet, testCatalogURL, func(*http.Request) (*http.Response, error) {
		if lookups.Add(1) == 1 {
			close(asking)
			<-release
			return httpmockResponse(http.StatusInternalServerError, `{"errors":[{"code":"ContactAdminForAssistance","detail":"IAM is down"}]}`), nil
		}
		return httpmockResponse(http.StatusOK, catalogBody(severalRegions...)), nil
	})
	var api recorder
	mock.RegisterResponder(http.MethodDelete, "https://vpn.kr-west1.s.samsungsdscloud.com/v1/vpn-gateways/g1", api.respond(http.StatusAccepted, ""))

	joined := make(chan struct{}, callers+1)
	errs := make(chan error, callers)
	go func() { errs <- deleteGateway(context.Background(), c) }() // it asks
	<-asking
	for range callers - 1 {
		go func() { errs <- deleteGateway(&joinWatch{Context: context.Background(), joined: joined}, c) }()
	}
	// One more, whose context ends while it waits: it leaves then.
	leaving, leave := context.WithCancel(context.Background())
	left := make(chan error, 1)
	go func() { left <- deleteGateway(&joinWatch{Context: leaving, joined: joined}, c) }()
	for range callers {
		<-joined
	}
	leave()
	err := <-left
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "waiting for the IAM catalog")

	close(release)
	for range callers {
		err := <-errs
		var apiErr *scpvpn.APIError
		require.ErrorAs(t, err, &apiErr, "every call gets the lookup's failure")
		assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
		assert.Equal(t, testCatalogURL, apiErr.URL)
		assert.Contains(t, err.Error(), "IAM is down")
	}
	assert.Equal(t, int32(1), lookups.Load(), "one lookup for every call that waited on it")
	assert.Empty(t, api.all(), "nothing but the catalog was sent")

	require.NoError(t, deleteGateway(context.Background(), c), "the next call asks again")
	assert.Equal(t, int32(2), lookups.Load())
	assert.Len(t, api.all(), 1)
}

// TestCatalogAskerGivingUpIsNotShared: when the call that asks the catalog
// ends with its own context, that is no verdict on the catalog: a call that
// waited asks in its turn, and succeeds.
func TestCatalogAskerGivingUpIsNotShared(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := catalogClient(t, mock, "kr-west1")
	var lookups atomic.Int32
	asking := make(chan struct{})
	mock.RegisterResponder(http.MethodGet, testCatalogURL, func(req *http.Request) (*http.Response, error) {
		if lookups.Add(1) == 1 {
			close(asking)
			<-req.Context().Done() // until the asking call gives up
			return nil, req.Context().Err()
		}
		return httpmockResponse(http.StatusOK, catalogBody(severalRegions...)), nil
	})
	mock.RegisterResponder(http.MethodDelete, "https://vpn.kr-west1.s.samsungsdscloud.com/v1/vpn-gateways/g1", httpmock.NewStringResponder(http.StatusAccepted, ""))

	joined := make(chan struct{}, 1)
	askerCtx, giveUp := context.WithCancel(context.Background())
	asker := make(chan error, 1)
	go func() { asker <- deleteGateway(askerCtx, c) }()
	<-asking
	waiter := make(chan error, 1)
	go func() { waiter <- deleteGateway(&joinWatch{Context: context.Background(), joined: joined}, c) }()
	<-joined
	giveUp()
	require.ErrorIs(t, <-asker, context.Canceled)
	require.NoError(t, <-waiter, "the waiting call asked in its turn")
	assert.Equal(t, int32(2), lookups.Load())
	assert.Equal(t, "https://vpn.kr-west1.s.samsungsdscloud.com", c.Endpoint())
}

// TestCatalogFailureIsAskedAgain: a catalog that fails (an error status, a
// lost connection, an answer that is not JSON) fails the call, and the next
// call asks again; once found, the endpoint is kept.
func TestCatalogFailureIsAskedAgain(t *testing.T) {
	t.Parallel()
	failures := map[string]httpmock.Responder{
		"500":        httpmock.NewStringResponder(http.StatusInternalServerError, `{"errors":[{"code":"ContactAdminForAssistance","detail":"IAM is down"}]}`),
		"401":        httpmock.NewStringResponder(http.StatusUnauthorized, `{"errors":[{"code":"HmacValidFail"}]}`),
		"connection": httpmock.NewErrorResponder(errors.New("connection refused")),
		"not JSON":   httpmock.NewStringResponder(http.StatusOK, `<html>maintenance</html>`),
	}
	for name, failure := range failures {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := catalogClient(t, mock, "kr-west1", scpvpn.WithoutRetries())
			var lookups atomic.Int32
			mock.RegisterResponder(http.MethodGet, testCatalogURL, func(req *http.Request) (*http.Response, error) {
				if lookups.Add(1) == 1 {
					return failure(req)
				}
				return httpmockResponse(http.StatusOK, catalogBody(severalRegions...)), nil
			})
			mock.RegisterResponder(http.MethodDelete, "https://vpn.kr-west1.s.samsungsdscloud.com/v1/vpn-gateways/g1", httpmock.NewStringResponder(http.StatusAccepted, ""))

			err := deleteGateway(context.Background(), c)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "IAM catalog")
			assert.Empty(t, c.Endpoint(), "nothing found")
			if name == "500" || name == "401" {
				var apiErr *scpvpn.APIError
				require.True(t, errors.As(err, &apiErr), "%v", err)
				assert.Equal(t, testCatalogURL, apiErr.URL)
			}
			if name == "401" {
				assert.ErrorIs(t, err, scpvpn.ErrUnauthorized)
			}
			assert.Equal(t, int32(1), lookups.Load())
			assert.Equal(t, 1, mock.GetTotalCallCount(), "nothing but the catalog was sent")

			require.NoError(t, deleteGateway(context.Background(), c), "the next call asks again")
			require.NoError(t, deleteGateway(context.Background(), c))
			assert.Equal(t, int32(2), lookups.Load(), "asked again after the failure, and no more once found")
			assert.Equal(t, "https://vpn.kr-west1.s.samsungsdscloud.com", c.Endpoint())
		})
	}
}

// TestCatalogWithoutTheRegion: a catalog without VPN in the region asked
// for says which regions have it, even when it lists only one (calls meant
// for one region must not quietly go to another); nothing else is sent,
// and the next call asks again.
func TestCatalogWithoutTheRegion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		region  string
		entries []catalogEntry
		says    string
	}{
		{"another region", "us-west9", severalRegions, `no scp-vpn endpoint in region "us-west9"; the regions with VPN are kr-east1, kr-south1, kr-west1`},
		{"no region, several", "", severalRegions, "several regions (kr-east1, kr-south1, kr-west1); choose one"},
		{"the only entry, in another region", "kr-east1", []catalogEntry{{"kr-west1", "scp-vpn", "https://vpn.example"}, {"kr-east1", "scp-vpc", "https://vpc.example"}},
			`no scp-vpn endpoint in region "kr-east1"; the only region with VPN is kr-west1`},
		{"the only entry, without a region", "kr-east1", []catalogEntry{{"", "scp-vpn", "https://vpn.example"}},
			`no scp-vpn endpoint in region "kr-east1"; the only region with VPN is "" (an entry without a region)`},
		{"no VPN at all", "kr-west1", []catalogEntry{{"kr-west1", "scp-vpc", "https://vpc.example"}}, "lists no scp-vpn endpoint"},
		{"an empty catalog", "", nil, "lists no scp-vpn endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := catalogClient(t, mock, tt.region)
			mock.RegisterResponder(http.MethodGet, testCatalogURL, httpmock.NewStringResponder(http.StatusOK, catalogBody(tt.entries...)))

			for range 2 {
				err := deleteGateway(context.Background(), c)
				require.ErrorIs(t, err, scpvpn.ErrNoEndpoint)
				assert.Contains(t, err.Error(), tt.says)
				assert.Contains(t, err.Error(), testAuthURL, "the error names the catalog")
			}
			assert.Equal(t, 2, mock.GetTotalCallCount(), "the catalog, asked again; nothing else")
			assert.Empty(t, c.Endpoint())
		})
	}
}

// TestCatalogURLIsChecked: a catalog's URL is used only if it is an http(s)
// URL without credentials, query or fragment, and, when the catalog is
// reached over https, an https one: the calls carry the token and
// pre-shared keys.
func TestCatalogURLIsChecked(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{
		"",
		"vpn.kr-west1.s.samsungsdscloud.com",
		"ftp://vpn.example",
		"https://user:p4ssw0rd@vpn.example",
		"https://vpn.example?region=x",
		"https://vpn.example#x",
		"http://vpn.kr-west1.s.samsungsdscloud.com",
		" https://vpn.example",
	} {
		mock := httpmock.NewMockTransport()
		c := catalogClient(t, mock, "")
		mock.RegisterResponder(http.MethodGet, testCatalogURL, httpmock.NewStringResponder(http.StatusOK, catalogBody(catalogEntry{"kr-west1", "scp-vpn", bad})))
		err := deleteGateway(context.Background(), c)
		require.ErrorIs(t, err, scpvpn.ErrInvalidEndpoint, "%q", bad)
		assert.Contains(t, err.Error(), "catalog", bad)
		assert.NotContains(t, err.Error(), "p4ssw0rd")
		assert.Equal(t, 1, mock.GetTotalCallCount(), "%q: nothing sent there", bad)
		assert.Empty(t, c.Endpoint())
	}

	// A catalog reached over http (a test's, a proxy's) may list http.
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock, scpvpn.WithCatalog("http://127.0.0.1:8080/iam/v1", ""))
	mock.RegisterResponder(http.MethodGet, "http://127.0.0.1:8080/iam/v1/endpoints", httpmock.NewStringResponder(http.StatusOK, catalogBody(catalogEntry{"kr-west1", "scp-vpn", "http://127.0.0.1:8080"})))
	mock.RegisterResponder(http.MethodDelete, "http://127.0.0.1:8080/v1/vpn-gateways/g1", httpmock.NewStringResponder(http.StatusAccepted, ""))
	require.NoError(t, deleteGateway(context.Background(), c))
	assert.Equal(t, "http://127.0.0.1:8080", c.Endpoint())
}

// TestCatalogIsBoundedByTheContext: a catalog that does not answer holds a
// call only as long as the call's context, whether the call is the one
// asking or one waiting for it; and a lookup its caller gave up is not
// remembered.
func TestCatalogIsBoundedByTheContext(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := catalogClient(t, mock, "kr-west1", scpvpn.WithoutRetries())
	asking := make(chan struct{}, 1)
	var hang atomic.Bool
	hang.Store(true)
	mock.RegisterResponder(http.MethodGet, testCatalogURL, func(req *http.Request) (*http.Response, error) {
		if hang.Load() {
			asking <- struct{}{}
			<-req.Context().Done()
			return nil, req.Context().Err()
		}
		return httpmockResponse(http.StatusOK, catalogBody(severalRegions...)), nil
	})
	mock.RegisterResponder(http.MethodDelete, "https://vpn.kr-west1.s.samsungsdscloud.com/v1/vpn-gateways/g1", httpmock.NewStringResponder(http.StatusAccepted, ""))

	// The first call asks, and hangs until it is cancelled.
	firstCtx, cancelFirst := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { first <- deleteGateway(firstCtx, c) }()
	<-asking

	// A call with a deadline waits for the lookup no longer than that.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	err := deleteGateway(ctx, c)
	cancel()
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "IAM catalog")

	cancelFirst()
	require.ErrorIs(t, <-first, context.Canceled)

	// The one that asks is bounded too.
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	err = deleteGateway(ctx, c)
	cancel()
	select {
	case <-asking: // it asked (unless its deadline came before its turn)
	default:
	}
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Empty(t, c.Endpoint())

	hang.Store(false)
	require.NoError(t, deleteGateway(context.Background(), c), "a cancelled lookup is not remembered")
	assert.Equal(t, "https://vpn.kr-west1.s.samsungsdscloud.com", c.Endpoint())
}

// TestCatalogResponseDescribesTheCall: WithResponse tells about the call
// made, not the catalog asked on its way.
func TestCatalogResponseDescribesTheCall(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := catalogClient(t, mock, "kr-west1")
	mock.RegisterResponder(http.MethodGet, testCatalogURL, httpmock.NewStringResponder(http.StatusOK, catalogBody(severalRegions...)).HeaderSet(http.Header{"X-Request-Id": {"req-catalog"}}))
	mock.RegisterResponder(http.MethodDelete, "https://vpn.kr-west1.s.samsungsdscloud.com/v1/vpn-gateways/g1", httpmock.NewStringResponder(http.StatusAccepted, "").HeaderSet(http.Header{"X-Request-Id": {"req-delete"}}))
	var resp scpvpn.Response
	require.NoError(t, c.V1Dot1.Gateways.Delete(context.Background(), "g1", scpvpn.WithResponse(&resp)))
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, "req-delete", resp.RequestID)
	assert.Equal(t, 1, resp.Attempts)
}

// A catalog answer cut short is asked again, and what the cut attempt read
// is forgotten: its one VPN entry is not taken for two.
func TestCatalogCutShortIsAskedAgain(t *testing.T) {
	t.Parallel()
	const vpnURL = "https://vpn.kr-west1.s.samsungsdscloud.com"
	entries := []catalogEntry{{"kr-west1", "scp-vpn", vpnURL}}
	for i := range 1500 {
		entries = append(entries, catalogEntry{"kr-west1", "scp-other", "https://other.example/" + strconv.Itoa(i)})
	}
	body := catalogBody(entries...)
	const cutAt = 100 << 10 // past what is read ahead (64 KiB), after the VPN entry
	require.Greater(t, len(body), cutAt)
	mock := httpmock.NewMockTransport()
	var asked atomic.Int32
	mock.RegisterResponder(http.MethodGet, testCatalogURL, func(*http.Request) (*http.Response, error) {
		resp := httpmockResponse(http.StatusOK, body)
		if asked.Add(1) == 1 {
			resp.Body = &cutBody{r: strings.NewReader(body[:cutAt])}
		}
		return resp, nil
	})
	var api recorder
	mock.RegisterResponder(http.MethodDelete, vpnURL+"/v1/vpn-gateways/g1", api.respond(http.StatusAccepted, ""))
	c := catalogClient(t, mock, "")

	require.NoError(t, deleteGateway(context.Background(), c))
	assert.EqualValues(t, 2, asked.Load())
	assert.Equal(t, vpnURL, c.Endpoint())
}
