package scpvpn_test

// Review 3: a create's answer is taken as the create's result whatever
// resource it describes. Get, Set and the waiters refuse an answer about
// another id (heldIn); a create has no id to compare yet, but it has the
// request, and the SDK already knows how to tell whether a resource is
// the request's doing (madeAs, used to settle lost creates). A proxy or
// cache that answers a POST with another gateway's record (another name,
// another VPC) makes Create report that other gateway as made: the caller
// then waits on, tags or deletes a gateway it never made, and the one the
// service did make (if any) is left unknown.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/scpsdk/scpvpn"
)

func TestReview3CreateAnswerAboutAnotherGatewayIsNotItsResult(t *testing.T) {
	var posts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts.Add(1)
			w.WriteHeader(http.StatusAccepted)
			_, _ = w.Write([]byte(`{"vpn_gateway":{"id":"someoneelsesgateway","name":"OtherGW","vpc_id":"othervpc","ip_id":"otherip","ip_type":"PUBLIC","ip_address":"10.9.9.9","state":"ACTIVE","created_at":"2020-01-01T00:00:00Z"}}`))
			return
		}
		_, _ = w.Write([]byte(`{"count":0,"page":0,"size":20,"sort":[],"vpn_gateways":[]}`))
	}))
	t.Cleanup(srv.Close)
	c := urlClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	req := gatewayCreateRequest()
	gw, err := c.V1Dot1.Gateways.Create(ctx, req)
	assert.Equal(t, int64(1), posts.Load())
	if err == nil {
		t.Fatalf("Create of gateway %q in VPC %q reported success with gateway %q named %q in VPC %q, created in 2020: an answer about another resource is an answer the API does not give to this request (ErrUnexpectedAnswer, and settled by reading back as any create whose answer confirms nothing)",
			req.Name, req.VPCID, gw.ID, gw.Name, gw.VPCID)
	}
	assert.ErrorIs(t, err, scpvpn.ErrOutcomeUnknown, "the POST reached a server that answered 202: what it did is unknown")
}
