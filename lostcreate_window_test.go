package scpvpn_test

// Tests of how a create whose answer confirmed nothing recognises what it
// made, on the wire: the window of creation times, taken from the service's
// clock (the Date of the read-back's answer) whatever the local clock says,
// or from the local clock within a minute when there is no Date; every
// field of the request compared; every page read.

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// gatewayItem is the gateway req would make, as a list shows it, created
// at created (in the API's format, without a zone).
func gatewayItem(req *scpvpn.GatewayCreateRequest, id string, created time.Time) map[string]any {
	return map[string]any{
		"account_id": "0e3dffc50eb247a1adf4f2e5c82c4f99", "created_by": "u", "modified_by": "u",
		"created_at": created.UTC().Format("2006-01-02T15:04:05"), "modified_at": created.UTC().Format("2006-01-02T15:04:05"),
		"description": req.Description, "id": id, "ip_address": req.IPAddress, "ip_id": req.IPID, "ip_type": string(req.IPType),
		"name": req.Name, "state": "CREATING", "vpc_id": req.VPCID, "vpc_name": "ExampleVPC1",
	}
}

// readBackMock answers a gateway create with 502, and each list with the
// items pages gives for its page, as a server whose clock is skew ahead of
// the local one would, with a Date header unless noDate. It records the
// list queries.
type readBackMock struct {
	skew    time.Duration
	noDate  bool
	pages   func(serverNow time.Time) [][]map[string]any
	count   int // reported; the number of items when 0
	rec     recorder
	badPage bool // answers page 0 whatever is asked
}

func (m *readBackMock) client(t *testing.T) *scpvpn.Client {
	t.Helper()
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-gateways", m.rec.respond(http.StatusBadGateway, ""))
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(r *http.Request) (*http.Response, error) {
		m.rec.record(r)
		now := time.Now().Add(m.skew)
		pages := m.pages(now)
		n, count := 0, m.count
		if !m.badPage {
			n, _ = strconv.Atoi(r.URL.Query().Get("page"))
		}
		items := []map[string]any{}
		if n < len(pages) {
			items = pages[n]
		}
		if count == 0 {
			for _, p := range pages {
				count += len(p)
			}
		}
		body, err := json.Marshal(map[string]any{"count": count, "page": n, "size": 20, "vpn_gateways": items})
		require.NoError(t, err)
		resp := httpmockResponse(http.StatusOK, string(body))
		if !m.noDate {
			resp.Header.Set("Date", now.UTC().Format(http.TimeFormat))
		}
		return resp, nil
	})
	return newClient(t, mock)
}

func (m *readBackMock) queries() []string {
	var out []string
	for _, r := range m.rec.all() {
		if r.Request.Method == http.MethodGet {
			out = append(out, r.Request.URL.RawQuery)
		}
	}
	return out
}

func TestTheWindowIsTheServicesClock(t *testing.T) {
	t.Parallel()
	req := gatewayCreateRequest()
	for name, skew := range map[string]time.Duration{"ahead": 3 * time.Hour, "behind": -3 * time.Hour, "agreeing": 0} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := &readBackMock{skew: skew, pages: func(now time.Time) [][]map[string]any {
				return [][]map[string]any{{
					gatewayItem(req, "old", now.Add(-time.Hour)),
					gatewayItem(req, "new", now),
					gatewayItem(req, "older", now.Add(-10*time.Minute)),
				}}
			}}
			var resp scpvpn.Response
			gw, err := m.client(t).V1Dot1.Gateways.Create(context.Background(), req, scpvpn.WithResponse(&resp))
			require.NoError(t, err)
			assert.Equal(t, "new", gw.ID, "made since the call began on the service's clock")
			assert.True(t, resp.Settled)
			assert.Equal(t, time.UTC, gw.CreatedAt.Location(), "a zone-less created_at is UTC")
			assert.Equal(t, []string{"name=ExampleVpnGW1&vpc_id=ceb44ea5ecb34a49b16495f9a63b0718"}, m.queries())
		})
	}
}

func TestWithoutADateTheWindowIsAMinuteOfTheLocalClock(t *testing.T) {
	t.Parallel()
	req := gatewayCreateRequest()
	for name, tc := range map[string]struct {
		before time.Duration // how long before the call the gateway was made
		found  bool
	}{
		"made during the call":       {0, true},
		"made 30 s before the call":  {30 * time.Second, true},
		"made two minutes before it": {2 * time.Minute, false},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			began := time.Now()
			m := &readBackMock{noDate: true, pages: func(time.Time) [][]map[string]any {
				return [][]map[string]any{{gatewayItem(req, "g1", began.Add(-tc.before))}}
			}}
			gw, err := m.client(t).V1Dot1.Gateways.Create(context.Background(), req)
			if !tc.found {
				assert.Nil(t, gw)
				assert.Empty(t, unknownOutcome(t, err).Candidates)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "g1", gw.ID)
		})
	}
}

// A resource created, by its created_at, after the answer that lists it
// was given shows that the clock of created_at is not the window's: any
// resource of the read-back, a candidate or not, settles nothing then, and
// the candidates are every one that matches the request.
func TestClocksThatDisagreeSettleNothing(t *testing.T) {
	t.Parallel()
	req := gatewayCreateRequest()
	for name, tc := range map[string]struct {
		noDate  bool
		ahead   time.Duration // how far after the answer the other gateway was created
		settled bool
	}{
		"after its Date":                   {false, 4 * time.Second, false},
		"after the local clock, no Date":   {true, 90 * time.Second, false}, // well over the minute: the local clock is read later than the answer was made, by as much as the machine stalls
		"after its Date, by hours":         {false, 9 * time.Hour, false},
		"after the local clock, by hours":  {true, 9 * time.Hour, false},
		"within whole seconds of its Date": {false, time.Second, true},
		"within a minute, no Date":         {true, 50 * time.Second, true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := &readBackMock{noDate: tc.noDate, pages: func(now time.Time) [][]map[string]any {
				other := gatewayItem(req, "other", now.Add(tc.ahead))
				other["ip_address"] = "123.0.0.99" // not a candidate: it does not match
				return [][]map[string]any{{gatewayItem(req, "new", now), other}}
			}}
			var resp scpvpn.Response
			gw, err := m.client(t).V1Dot1.Gateways.Create(context.Background(), req, scpvpn.WithResponse(&resp))
			if tc.settled {
				require.NoError(t, err, "within the slack of whole seconds, or a minute of the local clock")
				assert.Equal(t, "new", gw.ID)
				return
			}
			assert.Nil(t, gw)
			assert.False(t, resp.Settled)
			unknown := unknownOutcome(t, err)
			assert.Contains(t, unknown.Found, "VPN gateway other was created at ")
			assert.Contains(t, unknown.Found, "after the answer that lists it was given")
			assert.Contains(t, unknown.Found, "the clocks disagree")
			assert.Contains(t, unknown.Found, "1 VPN gateways named ExampleVpnGW1 match the request: new")
			require.Len(t, unknown.Candidates, 1, "every gateway that matches the request")
			assert.Equal(t, "new", unknown.Candidates[0].(*scpvpn.Gateway).ID)
		})
	}
}

// Every field of the request that a gateway reads back must match; a
// gateway that differs in any is not what the create made.
func TestEveryFieldOfAGatewayCreateIsCompared(t *testing.T) {
	t.Parallel()
	req := gatewayCreateRequest()
	for field, other := range map[string]any{
		"name":        "ExampleVpnGW10", // the service's name filter may match a part
		"vpc_id":      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"ip_id":       "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
		"ip_address":  "123.0.0.2",
		"ip_type":     "PRIVATE",
		"description": "another",
	} {
		t.Run(field, func(t *testing.T) {
			t.Parallel()
			m := &readBackMock{pages: func(now time.Time) [][]map[string]any {
				item := gatewayItem(req, "g1", now)
				item[field] = other
				return [][]map[string]any{{item}}
			}}
			gw, err := m.client(t).V1Dot1.Gateways.Create(context.Background(), req)
			assert.Nil(t, gw)
			assert.Empty(t, unknownOutcome(t, err).Candidates)
		})
	}
	t.Run("the same address written otherwise", func(t *testing.T) {
		t.Parallel()
		v6 := *req
		v6.IPAddress = "2001:db8::1"
		m := &readBackMock{pages: func(now time.Time) [][]map[string]any {
			item := gatewayItem(&v6, "g1", now)
			item["ip_address"] = "2001:0db8:0:0::1"
			return [][]map[string]any{{item}}
		}}
		gw, err := m.client(t).V1Dot1.Gateways.Create(context.Background(), &v6)
		require.NoError(t, err)
		assert.Equal(t, "g1", gw.ID)
	})
}

// Every page is read: the gateway made may be on the last.
func TestTheReadBackReadsEveryPage(t *testing.T) {
	t.Parallel()
	req := gatewayCreateRequest()
	pages := func(now time.Time) [][]map[string]any {
		first := make([]map[string]any, 20)
		for i := range first {
			first[i] = gatewayItem(req, "old", now.Add(-time.Hour))
		}
		return [][]map[string]any{first, {gatewayItem(req, "new", now)}}
	}
	m := &readBackMock{pages: pages}
	gw, err := m.client(t).V1Dot1.Gateways.Create(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, "new", gw.ID)
	q := "name=ExampleVpnGW1&vpc_id=ceb44ea5ecb34a49b16495f9a63b0718"
	assert.Equal(t, []string{q, "name=ExampleVpnGW1&page=1&vpc_id=ceb44ea5ecb34a49b16495f9a63b0718"}, m.queries())

	t.Run("a count too small is not trusted alone", func(t *testing.T) {
		t.Parallel()
		// A full first page, and a count that says it is all: the next
		// page is read all the same, and holds more than that count
		// leaves for it. The answer contradicts itself: nothing is
		// settled.
		m := &readBackMock{pages: pages, count: 20}
		_, err := m.client(t).V1Dot1.Gateways.Create(context.Background(), req)
		unknown := unknownOutcome(t, err)
		assert.Contains(t, unknown.Found, "page 1 holds 1 VPN gateways, more than the 0 that its count of 20 leaves after the 20 of the pages before")
		assert.Len(t, m.queries(), 2, "both pages were read")
	})
	t.Run("a page holding more than its count", func(t *testing.T) {
		t.Parallel()
		m := &readBackMock{pages: pages, count: 1}
		_, err := m.client(t).V1Dot1.Gateways.Create(context.Background(), req)
		unknown := unknownOutcome(t, err)
		assert.Contains(t, unknown.Found, "page 0 holds 20 VPN gateways, more than its count of 1")
	})
	t.Run("a server that ignores page", func(t *testing.T) {
		t.Parallel()
		m := &readBackMock{pages: pages, badPage: true}
		_, err := m.client(t).V1Dot1.Gateways.Create(context.Background(), req)
		unknown := unknownOutcome(t, err)
		assert.Contains(t, unknown.Found, "asked for page 1, the answer is page 0")
	})
}

// A tunnel's list leaves out the groups and proposals of its phases: the
// one found is read whole, and compared again.
func TestATunnelFoundIsComparedWhole(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		mutate func(*scpvpn.TunnelV1Dot1)
		found  bool
	}{
		"as asked": {func(*scpvpn.TunnelV1Dot1) {}, true},
		"lists in another order": {func(tn *scpvpn.TunnelV1Dot1) {
			tn.Phase1.Encryptions = []string{"chacha20poly1305-prfsha256", "des-md5"}
		}, true},
		"a subnet written with host bits": {func(tn *scpvpn.TunnelV1Dot1) { tn.Phase2.RemoteSubnets[0] = "10.1.1.7/24" }, true},
		"phase 1 groups":                  {func(tn *scpvpn.TunnelV1Dot1) { tn.Phase1.DiffieHellmanGroups = []int{30, 31} }, false},
		"phase 1 proposals":               {func(tn *scpvpn.TunnelV1Dot1) { tn.Phase1.Encryptions = []string{"des-md5"} }, false},
		"phase 2 groups":                  {func(tn *scpvpn.TunnelV1Dot1) { tn.Phase2.DiffieHellmanGroups = []int{14} }, false},
		"phase 2 proposals":               {func(tn *scpvpn.TunnelV1Dot1) { tn.Phase2.Encryptions = []string{"aes128gcm"} }, false},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := tunnelCreateRequestV1Dot1()
			whole := wantTunnelV1Dot1(true, scpvpn.TunnelStatusDown)
			whole.State = scpvpn.StateCreating
			tc.mutate(whole)
			mock := httpmock.NewMockTransport()
			var rec recorder
			mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-tunnels", rec.respond(http.StatusGatewayTimeout, ""))
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-tunnels", func(r *http.Request) (*http.Response, error) {
				rec.record(r)
				now := time.Now()
				listed := *wantTunnelV1Dot1(false, "")
				listed.State, listed.CreatedAt = scpvpn.StateCreating, now
				body, err := json.Marshal(map[string]any{"count": 1, "page": 0, "size": 20, "vpn_tunnels": []any{listed}})
				require.NoError(t, err)
				resp := httpmockResponse(http.StatusOK, string(body))
				resp.Header.Set("Date", now.UTC().Format(http.TimeFormat))
				return resp, nil
			})
			mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-tunnels/"+whole.ID, func(r *http.Request) (*http.Response, error) {
				rec.record(r)
				w := *whole
				w.CreatedAt = time.Now()
				body, err := json.Marshal(map[string]any{"vpn_tunnel": w})
				require.NoError(t, err)
				return httpmockResponse(http.StatusOK, string(body)), nil
			})
			c := newClient(t, mock)

			tn, err := c.V1Dot1.Tunnels.Create(context.Background(), req)
			var paths []string
			for _, r := range rec.all() {
				paths = append(paths, r.Request.Method+" "+r.Request.URL.RequestURI())
			}
			assert.Equal(t, []string{
				"POST /v1/vpn-tunnels",
				"GET /v1/vpn-tunnels?name=ExampleVpnTunnel1&vpn_gateway_id=b156740b6335468d8354eb9ef8eddf5a",
				"GET /v1/vpn-tunnels/" + whole.ID,
			}, paths)
			if !tc.found {
				assert.Nil(t, tn)
				assert.Empty(t, unknownOutcome(t, err).Candidates)
				return
			}
			require.NoError(t, err)
			whole.CreatedAt = tn.CreatedAt
			assert.Equal(t, whole, tn, "the tunnel read whole")
		})
	}
}
