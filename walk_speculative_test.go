package scpvpn_test

// This file holds the tests of All's pages asked past the end: when the
// first page it reads is short, the pages before it are counted by a lower
// bound, and a later answer that is an earlier page, or repeats an item of
// the page before it, is a page past the end, not yielded.

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"

	"github.com/scpsdk/scpvpn"
)

// A paginator that answers a page past the end with the last size items
// (a window, not the last page): page 2 of size 2 over 3 gateways is gw1
// and gw2. Only gw2 repeats the page before; neither is yielded, and the
// walk asks no page after it.
func TestAllYieldsNothingOfAPagePastTheEndThatRepeatsAnItem(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	const total = 3
	var asked []string
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(req *http.Request) (*http.Response, error) {
		q := req.URL.Query()
		asked = append(asked, q.Get("page"))
		page, _ := strconv.Atoi(q.Get("page"))
		size, _ := strconv.Atoi(q.Get("size"))
		from := min(page*size, total-size) // past the end: the last window
		items := []map[string]any{}
		for i := max(from, 0); i < total && i < from+size; i++ {
			items = append(items, map[string]any{"id": "gw" + strconv.Itoa(i), "state": "ACTIVE", "created_at": "2024-05-17T00:23:17Z"})
		}
		if page*size < total && page*size+size > total { // the last page proper is short
			items = items[len(items)-(total-page*size):]
		}
		body, _ := json.Marshal(map[string]any{"count": total, "page": page, "size": size, "vpn_gateways": items})
		return httpmockResponse(http.StatusOK, string(body)), nil
	})
	var got []string
	for gw, err := range c.V1Dot1.Gateways.All(context.Background(), &scpvpn.GatewayListOptions{Page: 1, Size: 2}) {
		if err != nil {
			got = append(got, "error: "+err.Error())
			continue
		}
		got = append(got, gw.ID)
	}
	assert.Equal(t, []string{"gw2"}, got)
	assert.Equal(t, []string{"1", "2"}, asked, "the short page 1 leaves the count open; page 2 is past the end")
}

// A full first page counts the pages before it exactly: All from page 1 of
// size 2 over 4 gateways reads page 1 alone, and a service that would
// answer page 2 with anything is never asked.
func TestAllFromAFullPageCountsThePagesBeforeExactly(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	var asked []string
	mock.RegisterResponder(http.MethodGet, testEndpoint+"/v1/vpn-gateways", func(req *http.Request) (*http.Response, error) {
		page := req.URL.Query().Get("page")
		asked = append(asked, page)
		body := `{"count":4,"page":1,"size":2,"vpn_gateways":[` +
			`{"id":"gw2","state":"ACTIVE","created_at":"2024-05-17T00:23:17Z"},` +
			`{"id":"gw3","state":"ACTIVE","created_at":"2024-05-17T00:23:17Z"}]}`
		return httpmockResponse(http.StatusOK, body), nil
	})
	var got []string
	for gw, err := range c.V1Dot1.Gateways.All(context.Background(), &scpvpn.GatewayListOptions{Page: 1, Size: 2}) {
		if err != nil {
			got = append(got, "error: "+err.Error())
			continue
		}
		got = append(got, gw.ID)
	}
	assert.Equal(t, []string{"gw2", "gw3"}, got)
	assert.Equal(t, []string{"1"}, asked)
}
