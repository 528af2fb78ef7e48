package scpvpn_test

// What the fixes of review 3's SDK verdicts must still let through, and
// their edges that the review's tests do not reach: a Delete's 202 with an
// empty or JSON body is done, a page with fewer items than its count
// leaves is taken, a gateway list filtered by VPC refuses another VPC's
// gateway, and a write answered by a proxy's 4xx is sent once and settled.

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// verdictsCtx is a context that only catches hangs.
func verdictsCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestDeleteAcceptedWithAnEmptyBodyIsDone(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{"empty": "", "white space": " \n"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var gets atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodDelete {
					gets.Add(1)
				}
				w.WriteHeader(http.StatusAccepted)
				_, _ = w.Write([]byte(body))
			}))
			t.Cleanup(srv.Close)
			var resp scpvpn.Response
			require.NoError(t, urlClient(t, srv.URL).V1Dot1.Gateways.Delete(verdictsCtx(t), "gw1", scpvpn.WithResponse(&resp)))
			assert.False(t, resp.Settled, "the service's own answer needs no read-back")
			assert.Zero(t, gets.Load(), "nothing read back")
		})
	}
}

// The API's answer to a DELETE has no body: one with JSON is not its
// word, and is settled by reading back, as a page is.
func TestDeleteAcceptedWithAJSONBodyIsSettledByReadingBack(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{"an object": `{}`, "null": "null", "a string": `"ok"`} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var deletes, gets atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodDelete {
					deletes.Add(1)
					w.WriteHeader(http.StatusAccepted)
					_, _ = w.Write([]byte(body))
					return
				}
				gets.Add(1)
				_, _ = w.Write([]byte(`{"vpn_gateway":{"id":"gw1","state":"DELETING","created_at":"2024-05-17T00:23:17Z"}}`))
			}))
			t.Cleanup(srv.Close)
			var resp scpvpn.Response
			require.NoError(t, urlClient(t, srv.URL).V1Dot1.Gateways.Delete(verdictsCtx(t), "gw1", scpvpn.WithResponse(&resp)))
			assert.True(t, resp.Settled, "the gateway read back is DELETING")
			assert.Equal(t, int64(1), deletes.Load(), "sent once")
			assert.Equal(t, int64(1), gets.Load(), "read back")
		})
	}
}

func TestDeleteAnsweredByAPageIsSettledByReadingBack(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			_, _ = w.Write([]byte("<html>welcome</html>"))
			return
		}
		_, _ = w.Write([]byte(`{"vpn_gateway":{"id":"gw1","state":"DELETING","created_at":"2024-05-17T00:23:17Z"}}`))
	}))
	t.Cleanup(srv.Close)
	var resp scpvpn.Response
	require.NoError(t, urlClient(t, srv.URL).V1Dot1.Gateways.Delete(verdictsCtx(t), "gw1", scpvpn.WithResponse(&resp)))
	assert.True(t, resp.Settled, "the gateway read back is DELETING: the delete is done, as the read-back says")
}

func TestListPageWithFewerItemsThanItsCountLeavesIsTaken(t *testing.T) {
	t.Parallel()
	// Page 1 of size 10, count 25: 10 places before it, 15 left, 3 given
	// (the service's lists are eventually consistent).
	body := `{"count":25,"page":1,"size":10,"sort":[],"vpn_gateways":[` +
		`{"id":"a","vpc_id":"v1"},{"id":"b","vpc_id":"v1"},{"id":"c","vpc_id":"v1"}]}`
	l, err := urlClient(t, review3Serve(t, body)).V1Dot1.Gateways.List(verdictsCtx(t), &scpvpn.GatewayListOptions{Page: 1, Size: 10, VPCID: "v1"})
	require.NoError(t, err)
	assert.Len(t, l.Gateways, 3)

	// The pages before are counted by the only bound always true, whatever
	// the size asked or echoed (a service may cap its pages): each is full,
	// so holds at least as many as this one. Page 1 of 1 item fits a count
	// of 2 (and of 10, though its size says 10 places come before it)...
	for _, count := range []int{2, 10} {
		body = fmt.Sprintf(`{"count":%d,"page":1,"size":10,"sort":[],"vpn_gateways":[{"id":"a"}]}`, count)
		_, err = urlClient(t, review3Serve(t, body)).V1Dot1.Gateways.List(verdictsCtx(t), &scpvpn.GatewayListOptions{Page: 1, Size: 10})
		require.NoError(t, err, "count %d", count)
	}
	// ... not one of 1; page 2 of 2 items needs a count of 6.
	body = `{"count":1,"page":1,"size":10,"sort":[],"vpn_gateways":[{"id":"a"}]}`
	_, err = urlClient(t, review3Serve(t, body)).V1Dot1.Gateways.List(verdictsCtx(t), &scpvpn.GatewayListOptions{Page: 1, Size: 10})
	assert.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
	body = `{"count":6,"page":2,"size":2,"sort":[],"vpn_gateways":[{"id":"a"},{"id":"b"}]}`
	_, err = urlClient(t, review3Serve(t, body)).V1Dot1.Gateways.List(verdictsCtx(t), &scpvpn.GatewayListOptions{Page: 2, Size: 2})
	require.NoError(t, err)
	body = `{"count":5,"page":2,"size":2,"sort":[],"vpn_gateways":[{"id":"a"},{"id":"b"}]}`
	_, err = urlClient(t, review3Serve(t, body)).V1Dot1.Gateways.List(verdictsCtx(t), &scpvpn.GatewayListOptions{Page: 2, Size: 2})
	require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
	assert.Contains(t, err.Error(), "page 2 holds 2 VPN gateways, more than its count of 5 leaves after the pages before it, each full and so holding at least 2")

	// The last page of a count near math.MaxInt: nothing overflows.
	body = fmt.Sprintf(`{"count":%d,"page":%d,"size":1,"sort":[],"vpn_gateways":[{"id":"a"}]}`, math.MaxInt, math.MaxInt-1)
	_, err = urlClient(t, review3Serve(t, body)).V1Dot1.Gateways.List(verdictsCtx(t), &scpvpn.GatewayListOptions{Page: math.MaxInt - 1, Size: 1})
	require.NoError(t, err)
	body = fmt.Sprintf(`{"count":%d,"page":%d,"size":1,"sort":[],"vpn_gateways":[{"id":"a"}]}`, math.MaxInt, math.MaxInt)
	_, err = urlClient(t, review3Serve(t, body)).V1Dot1.Gateways.List(verdictsCtx(t), &scpvpn.GatewayListOptions{Page: math.MaxInt, Size: 1})
	assert.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
}

func TestGatewayListOfAVPCRefusesAnotherVPCsGateway(t *testing.T) {
	t.Parallel()
	body := `{"count":2,"page":0,"size":20,"sort":[],"vpn_gateways":[{"id":"a","vpc_id":"v1"},{"id":"b","vpc_id":"v2"}]}`
	c := urlClient(t, review3Serve(t, body))
	_, err := c.V1Dot1.Gateways.List(verdictsCtx(t), &scpvpn.GatewayListOptions{VPCID: "v1"})
	require.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
	assert.Contains(t, err.Error(), `item 2 of the answer is not of the vpc_id "v1" asked for`)

	// A name filter matches in part: it is not compared.
	l, err := c.V1Dot1.Gateways.List(verdictsCtx(t), &scpvpn.GatewayListOptions{Name: "gw"})
	require.NoError(t, err)
	assert.Len(t, l.Gateways, 2)
}

func TestCheckSubnetAnswerWritingTheSubnetAnotherWayIsTaken(t *testing.T) {
	t.Parallel()
	answer := `{"vpn_tunnel_subnet_availability":{"vpn_gateway_id":"gw1","remote_subnet":"10.1.0.0/16","availability":"DUPLICATE"}}`
	av, err := urlClient(t, review3Serve(t, answer)).V1Dot1.Tunnels.CheckSubnet(verdictsCtx(t), "gw1", "10.1.7.0/16")
	require.NoError(t, err, "10.1.7.0/16 is the network 10.1.0.0/16")
	assert.Equal(t, scpvpn.SubnetDuplicate, av.Availability)
}

// A write answered by a proxy's 4xx (no API error body) may have been
// acted on behind it: it is settled by reading back. A PUT or DELETE is
// idempotent, so a proxy's 429 is waited out first, up to the policy's
// attempts, as a 502 would be; a 404 is not retried: it is sent once.
func TestWriteAnsweredByAProxys4xxIsSettled(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ status, attempts int }{
		"429": {http.StatusTooManyRequests, 3},
		"404": {http.StatusNotFound, 1},
	} {
		status := tc.status
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var puts, deletes atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.Method {
				case http.MethodPut:
					puts.Add(1)
					w.WriteHeader(status)
				case http.MethodDelete:
					deletes.Add(1)
					w.WriteHeader(status)
				default:
					_, _ = w.Write([]byte(`{"vpn_gateway":{"id":"gw1","state":"EDITING","description":"new","created_at":"2024-05-17T00:23:17Z"}}`))
				}
			}))
			t.Cleanup(srv.Close)
			c := urlClient(t, srv.URL, scpvpn.WithRetryPolicy(scpvpn.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond}))

			var resp scpvpn.Response
			gw, err := c.V1Dot1.Gateways.Set(verdictsCtx(t), "gw1", &scpvpn.GatewaySetRequest{Description: ptr("new")}, scpvpn.WithResponse(&resp))
			require.NoError(t, err)
			assert.True(t, resp.Settled)
			assert.Equal(t, "new", gw.Description)
			assert.Equal(t, int64(tc.attempts), puts.Load(), "sent again only after a 429")

			err = c.V1Dot1.Gateways.Delete(verdictsCtx(t), "gw1")
			assert.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "the gateway read back is EDITING, not being deleted")
			assert.Equal(t, int64(tc.attempts), deletes.Load(), "sent again only after a 429")
		})
	}
}

// All from a later page of a service that caps its pages (2 a page) and
// echoes the size asked (500): the pages before are counted by the items
// of the first page read, a lower bound, so the walk reaches the end.
func TestAllFromALaterPageOfACappedServiceReachesTheEnd(t *testing.T) {
	t.Parallel()
	const total, capped = 7, 2
	var pages atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pages.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		items := []string{}
		for i := page * capped; i < total && i < (page+1)*capped; i++ {
			items = append(items, fmt.Sprintf(`{"id":"gw%d","state":"ACTIVE","created_at":"2024-05-17T00:23:17Z"}`, i))
		}
		_, _ = fmt.Fprintf(w, `{"count":%d,"page":%d,"size":%s,"sort":[],"vpn_gateways":[%s]}`, total, page, r.URL.Query().Get("size"), strings.Join(items, ","))
	}))
	t.Cleanup(srv.Close)
	var got []string
	for gw, err := range urlClient(t, srv.URL).V1Dot1.Gateways.All(verdictsCtx(t), &scpvpn.GatewayListOptions{Page: 1, Size: 500}) {
		require.NoError(t, err)
		got = append(got, gw.ID)
	}
	assert.Equal(t, []string{"gw2", "gw3", "gw4", "gw5", "gw6"}, got)
	assert.Equal(t, int64(3), pages.Load(), "pages 1 to 3: the walk ends at the count")
}
