package scpvpn_test

// Review of release 0.3 (issue 17, item 5): answers the API does not
// give, decoded silently rather than refused. An answer holding one object
// with a member given twice takes the last of two contradicting values (a
// list answer that holds its items twice is refused); a list page that
// holds more items than its count says exist is cut to the count by All.
// Each test fails on the code it was written against.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// TestReview1AMemberGivenTwiceIsUnexpected: a subnet check that says
// DUPLICATE and then AVAILABLE is returned as AVAILABLE (the caller then
// creates a tunnel that overlaps another), a gateway whose state is given
// as ACTIVE and then DELETED is DELETED, a quota whose maximum is given
// twice takes the second. Each is an answer the API does not give, and
// must match ErrUnexpectedAnswer rather than be decoded by picking one.
func TestReview1AMemberGivenTwiceIsUnexpected(t *testing.T) {
	t.Parallel()
	type call func(c *scpvpn.Client) (any, error)
	for name, tc := range map[string]struct {
		url, body string
		call      call
	}{
		"subnet availability": {testEndpoint + "/v1/vpn-tunnels/vpn-tunnel-subnet-availabilities",
			`{"vpn_tunnel_subnet_availability": {"vpn_gateway_id": "b156740b6335468d8354eb9ef8eddf5a", "remote_subnet": "10.1.0.0/16", "availability": "DUPLICATE", "availability": "AVAILABLE"}}`,
			func(c *scpvpn.Client) (any, error) {
				return c.V1Dot1.Tunnels.CheckSubnet(context.Background(), "b156740b6335468d8354eb9ef8eddf5a", "10.1.0.0/16")
			}},
		"gateway state": {gatewayPath,
			`{"vpn_gateway": {"id": "` + gatewayID + `", "name": "gw", "state": "ACTIVE", "state": "DELETED"}}`,
			func(c *scpvpn.Client) (any, error) { return c.V1Dot1.Gateways.Get(context.Background(), gatewayID) }},
		"quota": {testEndpoint + "/v1/vpn-gateways/metrics/quotas",
			`{"vpn_gateway_max_quota": 3, "vpn_gateway_used_quota": 1, "vpn_gateway_max_quota": 1}`,
			func(c *scpvpn.Client) (any, error) { return c.V1Dot1.Gateways.Quota(context.Background(), nil) }},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			mock.RegisterResponder(http.MethodGet, tc.url, func(*http.Request) (*http.Response, error) {
				return httpmockResponse(http.StatusOK, tc.body), nil
			})
			got, err := tc.call(newClient(t, mock))
			assert.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer, "decoded as %+v", got)
		})
	}
}

// TestReview1AllDoesNotCutAPageToAWrongCount: a page that holds three
// gateways and says the count of all of them is 1 contradicts itself. All
// yields the first and stops, silently: the command line's "gateways list"
// (every page) shows one gateway, and a clean-up that deletes what All
// yields leaves the other two running. The read-back of a create does not
// trust a count alone; All does.
func TestReview1AllDoesNotCutAPageToAWrongCount(t *testing.T) {
	t.Parallel()
	var items []map[string]any
	for i := range 3 {
		items = append(items, map[string]any{"id": fmt.Sprintf("%032d", i+1), "name": fmt.Sprintf("gw%d", i+1), "state": "ACTIVE"})
	}
	body, err := json.Marshal(map[string]any{"count": 1, "page": 0, "size": 20, "vpn_gateways": items})
	require.NoError(t, err)
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(r *http.Request) (*http.Response, error) {
		if r.URL.Query().Get("page") != "" {
			return httpmockResponse(http.StatusOK, `{"count": 1, "page": 1, "size": 20, "vpn_gateways": []}`), nil
		}
		return httpmockResponse(http.StatusOK, string(body)), nil
	})
	var ids []string
	var last error
	for gw, err := range newClient(t, mock).V1Dot1.Gateways.All(context.Background(), nil) {
		if err != nil {
			last = err
			break
		}
		ids = append(ids, gw.ID)
	}
	if last == nil {
		assert.Len(t, ids, 3, "the page held three gateways; All yielded %v and no error", ids)
		return
	}
	assert.ErrorIs(t, last, scpvpn.ErrUnexpectedAnswer)
}
