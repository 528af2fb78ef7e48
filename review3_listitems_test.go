package scpvpn_test

// Review 3: the items of a list answer are taken as they come. An item
// without an id (null, {}, or a gateway without "id") is an answer the API
// does not give, yet List and All hand it out, and the read-back that
// settles a lost create reports such an item as the create's result:
// Settled, with an empty id, which no later call can use.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// review3ListServer answers every GET of the gateways with a page of
// items (JSON text each), and every POST with 502.
func review3ListServer(t *testing.T, items ...string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var posts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts.Add(1)
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		body := `{"count":` + fmt.Sprint(len(items)) + `,"page":0,"size":20,"sort":[],"vpn_gateways":[`
		for i, it := range items {
			if i > 0 {
				body += ","
			}
			body += it
		}
		body += "]}"
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &posts
}

func TestReview3ListItemWithoutIDIsUnexpected(t *testing.T) {
	for name, item := range map[string]string{
		"null":         `null`,
		"empty object": `{}`,
		"no id":        `{"name":"gw1","state":"ACTIVE","vpc_id":"v1","created_at":"2024-05-17T00:23:17Z"}`,
		"empty id":     `{"id":"","name":"gw1","state":"ACTIVE","vpc_id":"v1","created_at":"2024-05-17T00:23:17Z"}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv, _ := review3ListServer(t, item)
			c := urlClient(t, srv.URL)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()

			list, err := c.V1Dot1.Gateways.List(ctx, nil)
			if err == nil {
				t.Errorf("List answered with the item %s gave %d gateway(s), the first with id %q, and no error; an item without an id is an answer the API does not give and must match ErrUnexpectedAnswer",
					item, len(list.Gateways), list.Gateways[0].ID)
			} else {
				assert.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
			}

			for g, err := range c.V1Dot1.Gateways.All(ctx, nil) {
				if err == nil {
					t.Errorf("All yielded a gateway with id %q from the item %s; it must yield an error matching ErrUnexpectedAnswer", g.ID, item)
				}
				break
			}
		})
	}
}

func TestReview3LostCreateIsNotSettledByAnItemWithoutID(t *testing.T) {
	req := gatewayCreateRequest()
	created := time.Now().UTC().Format(time.RFC3339)
	item := fmt.Sprintf(`{"name":%q,"vpc_id":%q,"ip_id":%q,"ip_type":"PUBLIC","ip_address":%q,"description":%q,"state":"CREATING","created_at":%q}`,
		req.Name, req.VPCID, req.IPID, req.IPAddress, req.Description, created)
	srv, posts := review3ListServer(t, item)
	c := urlClient(t, srv.URL, scpvpn.WithRetryPolicy(scpvpn.RetryPolicy{MaxAttempts: 1}))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var resp scpvpn.Response
	gw, err := c.V1Dot1.Gateways.Create(ctx, req, scpvpn.WithResponse(&resp))
	require.Equal(t, int64(1), posts.Load(), "one create sent")
	if err == nil {
		t.Fatalf("a create answered 502, whose read-back lists one matching gateway without an id, was reported done (Settled=%v) with gateway id %q: a success no later call can use (Get, Delete, wait all need the id); it must be ErrOutcomeUnknown or ErrUnexpectedAnswer",
			resp.Settled, gw.ID)
	}
	if !errors.Is(err, scpvpn.ErrOutcomeUnknown) {
		t.Errorf("a create in doubt must stay ErrOutcomeUnknown, got %v", err)
	}
}

// The items of a list are cut out one by one (answer.go, itemStream), and
// an empty place between commas is cut out as an empty value that the
// decoder skips: an array that is not JSON ([,], a trailing comma, two
// commas in a row) passes for a list, with whatever items it does hold.
func TestReview3ListArrayThatIsNotJSONIsUnexpected(t *testing.T) {
	item := `{"id":"gw1","name":"gw1","state":"ACTIVE","vpc_id":"v1","created_at":"2024-05-17T00:23:17Z"}`
	for name, items := range map[string]string{
		"only a comma":    `,`,
		"trailing comma":  item + `,`,
		"leading comma":   `,` + item,
		"two commas":      item + `,,` + item,
		"commas and null": `,null,`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				_, _ = w.Write([]byte(`{"count":2,"page":0,"size":20,"sort":[],"vpn_gateways":[` + items + `]}`))
			}))
			t.Cleanup(srv.Close)
			c := urlClient(t, srv.URL)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			list, err := c.V1Dot1.Gateways.List(ctx, nil)
			if err == nil {
				t.Fatalf(`a list answer whose array is [%s], which is not JSON, was taken as a list of %d gateway(s) with no error; an answer that does not decode must match ErrUnexpectedAnswer`, items, len(list.Gateways))
			}
			assert.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
		})
	}
}

// List checks that a page holds no more items than its count, but not
// which page it is, nor that the page asked for can hold any: page 2 of
// size 10 answered with 5 items and a count of 5 (a page beyond the
// count), or page 3 answered as page 0 (a server or cache that ignores
// the page asked for), are taken as they come. All refuses the second
// (walk); List does not.
func TestReview3ListPageBeyondTheCountOrAnotherPageIsUnexpected(t *testing.T) {
	items := ""
	for i := range 5 {
		if i > 0 {
			items += ","
		}
		items += fmt.Sprintf(`{"id":"gw%d","name":"gw%d","state":"ACTIVE","vpc_id":"v1","created_at":"2024-05-17T00:23:17Z"}`, i, i)
	}
	for name, tc := range map[string]struct {
		opts   scpvpn.GatewayListOptions
		answer string
	}{
		"a page beyond the count": {scpvpn.GatewayListOptions{Page: 2, Size: 10}, `{"count":5,"page":2,"size":10,"sort":[],"vpn_gateways":[` + items + `]}`},
		"another page":            {scpvpn.GatewayListOptions{Page: 3, Size: 5}, `{"count":20,"page":0,"size":5,"sort":[],"vpn_gateways":[` + items + `]}`},
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				_, _ = w.Write([]byte(tc.answer))
			}))
			t.Cleanup(srv.Close)
			c := urlClient(t, srv.URL)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			opts := tc.opts
			list, err := c.V1Dot1.Gateways.List(ctx, &opts)
			if err == nil {
				t.Fatalf("List(page %d, size %d) answered page %d with %d gateways and a count of %d was taken as it came: an answer the API does not give must match ErrUnexpectedAnswer",
					opts.Page, opts.Size, list.Page, len(list.Gateways), list.Count)
			}
			assert.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
		})
	}
}

// All from a later page counts the items of the pages it skipped as none:
// from page 2 of size 10, a count of 5 leaves nothing, yet the 5 items of
// such an answer are yielded (walk compares them with the count alone).
func TestReview3AllFromALaterPageRefusesItemsBeyondTheCount(t *testing.T) {
	items := ""
	for i := range 5 {
		if i > 0 {
			items += ","
		}
		items += fmt.Sprintf(`{"id":"gw%d","name":"gw%d","state":"ACTIVE","vpc_id":"v1","created_at":"2024-05-17T00:23:17Z"}`, i, i)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") != "2" {
			_, _ = w.Write([]byte(`{"count":5,"page":3,"size":10,"sort":[],"vpn_gateways":[]}`))
			return
		}
		_, _ = w.Write([]byte(`{"count":5,"page":2,"size":10,"sort":[],"vpn_gateways":[` + items + `]}`))
	}))
	t.Cleanup(srv.Close)
	c := urlClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n := 0
	var last error
	for _, err := range c.V1Dot1.Gateways.All(ctx, &scpvpn.GatewayListOptions{Page: 2, Size: 10}) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	if last == nil {
		t.Fatalf("All from page 2 of size 10 yielded %d gateways from an answer whose count is 5, which the 20 places of pages 0 and 1 hold before it: it must end with ErrUnexpectedAnswer", n)
	}
	assert.ErrorIs(t, last, scpvpn.ErrUnexpectedAnswer)
}
