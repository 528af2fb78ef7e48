package scpvpn_test

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// End to end, against vpntest: All walks every page of gateways and tunnels
// in each version, with filters, sorts, start pages and early stops, and
// asks for exactly the pages it needs.

// e2eCollect drains an All iterator into the ids it yielded.
func e2eCollect[T any](t testing.TB, seq iter.Seq2[*T, error], id func(*T) string) []string {
	t.Helper()
	var ids []string
	for item, err := range seq {
		require.NoError(t, err)
		require.NotNil(t, item)
		ids = append(ids, id(item))
	}
	return ids
}

// e2ePages returns the page parameters of the list requests recorded on
// path, after checking that each asked for size. Page 0 is not sent (zero
// values are not): its parameter is "".
func e2ePages(t testing.TB, srv *vpntest.Server, path string, size int) []string {
	t.Helper()
	var pages []string
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet || r.Path != path {
			continue
		}
		q, err := url.ParseQuery(r.RawQuery)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprint(size), q.Get("size"))
		pages = append(pages, q.Get("page"))
	}
	return pages
}

// e2eSeed is a server holding 7 gateways and 23 tunnels on the first 3,
// whose names are not in creation order.
type e2eSeed struct {
	srv            *vpntest.Server
	gateways       []string          // ids, in creation order
	tunnels        []string          // ids, in creation order
	names          map[string]string // name of each id
	tunnelsOf      map[string][]string
	gatewayNames   []string // names of the gateways, in creation order
	tunnelNamesAsc []string
}

func e2eSeedPages(t testing.TB) *e2eSeed {
	t.Helper()
	srv := e2eServer(t, vpntest.Options{TransitionDelay: -1, GatewayQuota: 50, TunnelQuota: 50})
	s := &e2eSeed{srv: srv, names: map[string]string{}, tunnelsOf: map[string][]string{}}
	for i := range 7 {
		name := fmt.Sprintf("Gw%02d", (i*3)%7) // a permutation of 0..6
		id, err := srv.AddGateway(vpntest.GatewaySeed{Name: name})
		require.NoError(t, err)
		s.gateways = append(s.gateways, id)
		s.gatewayNames = append(s.gatewayNames, name)
		s.names[id] = name
	}
	for i := range 23 {
		name := fmt.Sprintf("Tun%02d", (i*7)%23) // a permutation of 0..22
		gw := s.gateways[i%3]
		id, err := srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw, Name: name})
		require.NoError(t, err)
		s.tunnels = append(s.tunnels, id)
		s.names[id] = name
		s.tunnelsOf[gw] = append(s.tunnelsOf[gw], id)
		s.tunnelNamesAsc = append(s.tunnelNamesAsc, name)
	}
	sort.Strings(s.tunnelNamesAsc)
	return s
}

func (s *e2eSeed) namesOf(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = s.names[id]
	}
	return out
}

// e2ePageParam is the page parameter the SDK sends for page p.
func e2ePageParam(p int) string {
	if p == 0 {
		return ""
	}
	return fmt.Sprint(p)
}

func e2eReversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

func TestE2EAllAcrossPages(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"1.0", "1.1"} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			ctx := e2eCtx(t)
			s := e2eSeedPages(t)
			srv := s.srv
			c := newClient(t, srv)

			// tunnelsAll walks the tunnels of this version with opts.
			type opts struct {
				Page, Size   int
				Sort, GwID   string
				stopAfter    int
				wantRequests int
			}
			tunnelsAll := func(t *testing.T, o opts) []string {
				t.Helper()
				srv.ClearRequests()
				var ids []string
				if version == "1.0" {
					lo := &scpvpn.TunnelListOptions{Page: o.Page, Size: o.Size, Sort: o.Sort, VPNGatewayID: o.GwID}
					before := *lo
					for tun, err := range c.V1Dot0.Tunnels.All(ctx, lo) {
						require.NoError(t, err)
						ids = append(ids, tun.ID)
						assert.Empty(t, tun.Phase1.Encryptions, "list items are lighter")
						if len(ids) == o.stopAfter {
							break
						}
					}
					assert.Equal(t, before, *lo, "All changed the caller's options")
				} else {
					lo := &scpvpn.TunnelListOptionsV1Dot1{Page: o.Page, Size: o.Size, Sort: o.Sort, VPNGatewayID: o.GwID}
					before := *lo
					for tun, err := range c.V1Dot1.Tunnels.All(ctx, lo) {
						require.NoError(t, err)
						ids = append(ids, tun.ID)
						assert.Empty(t, tun.Phase1.Encryptions, "list items are lighter")
						if len(ids) == o.stopAfter {
							break
						}
					}
					assert.Equal(t, before, *lo, "All changed the caller's options")
				}
				var wantPages []string
				for p := o.Page; p < o.Page+o.wantRequests; p++ {
					wantPages = append(wantPages, e2ePageParam(p))
				}
				assert.Equal(t, wantPages, e2ePages(t, srv, "/v1/vpn-tunnels", o.Size), "pages requested")
				assert.Equal(t, o.wantRequests, srv.CountRequests(http.MethodGet, "/v1/vpn-tunnels"))
				return ids
			}

			t.Run("every tunnel once, in creation order", func(t *testing.T) {
				ids := tunnelsAll(t, opts{Size: 5, wantRequests: 5}) // 5+5+5+5+3
				assert.Equal(t, s.tunnels, ids)
			})
			t.Run("created_at asc and desc", func(t *testing.T) {
				assert.Equal(t, s.tunnels, tunnelsAll(t, opts{Size: 5, Sort: "created_at:asc", wantRequests: 5}))
				assert.Equal(t, e2eReversed(s.tunnels), tunnelsAll(t, opts{Size: 5, Sort: "created_at:desc", wantRequests: 5}))
			})
			t.Run("name asc and desc", func(t *testing.T) {
				asc := tunnelsAll(t, opts{Size: 5, Sort: "name:asc", wantRequests: 5})
				assert.Len(t, asc, 23)
				assert.Equal(t, s.tunnelNamesAsc, s.namesOf(asc))
				desc := tunnelsAll(t, opts{Size: 5, Sort: "name:desc", wantRequests: 5})
				assert.Equal(t, e2eReversed(s.tunnelNamesAsc), s.namesOf(desc))
			})
			t.Run("from a later page", func(t *testing.T) {
				// Pages 2, 3 and 4 hold the last 13 of the 23 matches, after
				// the 10 places of pages 0 and 1: All stops at the count
				// there, without asking for page 5.
				ids := tunnelsAll(t, opts{Page: 2, Size: 5, wantRequests: 3})
				assert.Equal(t, s.tunnels[10:], ids)
			})
			t.Run("a size that divides the count", func(t *testing.T) {
				// The filter keeps the 8 tunnels of the first gateway: two
				// full pages, and no third request.
				ids := tunnelsAll(t, opts{Size: 4, GwID: s.gateways[0], wantRequests: 2})
				assert.Equal(t, s.tunnelsOf[s.gateways[0]], ids)
			})
			t.Run("filter and sort", func(t *testing.T) {
				gw := s.gateways[2]
				ids := tunnelsAll(t, opts{Size: 3, GwID: gw, Sort: "name:desc", wantRequests: 3}) // 7 tunnels
				want := s.namesOf(s.tunnelsOf[gw])
				sort.Sort(sort.Reverse(sort.StringSlice(want)))
				assert.Equal(t, want, s.namesOf(ids))
			})
			t.Run("one page holds all", func(t *testing.T) {
				assert.Equal(t, s.tunnels, tunnelsAll(t, opts{Size: 100, wantRequests: 1}))
			})
			t.Run("several sort keys", func(t *testing.T) {
				ids := tunnelsAll(t, opts{Size: 5, Sort: "vpn_gateway_name:asc,name:desc", wantRequests: 5})
				var want []string
				byName := func(gw string) []string {
					names := s.namesOf(s.tunnelsOf[gw])
					sort.Sort(sort.Reverse(sort.StringSlice(names)))
					return names
				}
				gws := slices.Clone(s.gateways[:3])
				sort.Slice(gws, func(i, j int) bool { return s.names[gws[i]] < s.names[gws[j]] })
				for _, gw := range gws {
					want = append(want, byName(gw)...)
				}
				assert.Equal(t, want, s.namesOf(ids))
			})
			t.Run("a start page past the end", func(t *testing.T) {
				assert.Empty(t, tunnelsAll(t, opts{Page: 9, Size: 5, wantRequests: 1}))
			})
			t.Run("the caller stops early", func(t *testing.T) {
				ids := tunnelsAll(t, opts{Size: 5, stopAfter: 7, wantRequests: 2})
				assert.Equal(t, s.tunnels[:7], ids)
			})

			t.Run("gateways", func(t *testing.T) {
				gws := c.V1Dot1.Gateways
				if version == "1.0" {
					gws = c.V1Dot0.Gateways
				}
				srv.ClearRequests()
				o := &scpvpn.GatewayListOptions{Size: 3}
				ids := e2eCollect(t, gws.All(ctx, o), func(g *scpvpn.Gateway) string { return g.ID })
				assert.Equal(t, s.gateways, ids)
				assert.Equal(t, []string{"", "1", "2"}, e2ePages(t, srv, "/v1/vpn-gateways", 3))
				assert.Equal(t, scpvpn.GatewayListOptions{Size: 3}, *o)

				srv.ClearRequests()
				ids = e2eCollect(t, gws.All(ctx, &scpvpn.GatewayListOptions{Size: 2, Sort: "name:asc"}), func(g *scpvpn.Gateway) string { return g.Name })
				want := slices.Clone(s.gatewayNames)
				sort.Strings(want)
				assert.Equal(t, want, ids)
				assert.Equal(t, 4, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways"))

				srv.ClearRequests()
				ids = e2eCollect(t, gws.All(ctx, &scpvpn.GatewayListOptions{Page: 1, Size: 2, Sort: "created_at:desc"}), func(g *scpvpn.Gateway) string { return g.ID })
				assert.Equal(t, e2eReversed(s.gateways)[2:], ids)
				// From page 1, the 2 places of page 0 count: the walk ends at
				// the count, on page 3, without asking for an empty page.
				assert.Equal(t, []string{"1", "2", "3"}, e2ePages(t, srv, "/v1/vpn-gateways", 2))

				// A filter that matches nothing: one request, nothing yielded.
				srv.ClearRequests()
				ids = e2eCollect(t, gws.All(ctx, &scpvpn.GatewayListOptions{Size: 2, Name: "NoSuchName"}), func(g *scpvpn.Gateway) string { return g.ID })
				assert.Empty(t, ids)
				assert.Equal(t, 1, srv.CountRequests(http.MethodGet, "/v1/vpn-gateways"))
			})
		})
	}
}

// A server that ignores the page asked for and reports a huge count cannot
// keep All walking: the answer must be the page asked for.
func TestAllRefusesAPageItDidNotAskFor(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(*http.Request) (*http.Response, error) {
		return httpmockResponse(http.StatusOK, `{"count":1000000,"page":0,"size":2,"vpn_gateways":[{"id":"a"},{"id":"b"}]}`), nil
	})
	n := 0
	var last error
	for gw, err := range c.V1Dot1.Gateways.All(context.Background(), &scpvpn.GatewayListOptions{Size: 2}) {
		if err != nil {
			last = err
			break
		}
		require.NotNil(t, gw)
		n++
	}
	assert.Equal(t, 2, n, "the first page is walked")
	require.ErrorIs(t, last, scpvpn.ErrUnexpectedAnswer)
	assert.Contains(t, last.Error(), "asked for page 1, the answer is page 0")
}
