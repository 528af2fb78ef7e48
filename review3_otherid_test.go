package scpvpn_test

// Review 3: answers about another resource than the one asked about. Get
// refuses them (heldIn); CheckSubnet checks that its answer names a
// gateway and a subnet, but not that they are the ones asked about, and a
// list filtered by gateway takes tunnels of any gateway. A cache that keys
// GETs by path and ignores the query (a common misconfiguration) answers
// both with what it kept for another question: CheckSubnet says AVAILABLE
// for a subnet the gateway already reaches, and a clean-up ranging over
// All(VPNGatewayID: X) deletes the tunnels of another gateway.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/scpsdk/scpvpn"
)

func review3Serve(t *testing.T, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestReview3CheckSubnetAnswerAboutAnotherQuestionIsUnexpected(t *testing.T) {
	for name, answer := range map[string]string{
		"another gateway": `{"vpn_tunnel_subnet_availability":{"vpn_gateway_id":"othergateway","remote_subnet":"10.1.0.0/16","availability":"AVAILABLE"}}`,
		"another subnet":  `{"vpn_tunnel_subnet_availability":{"vpn_gateway_id":"gw1","remote_subnet":"192.168.0.0/24","availability":"AVAILABLE"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			c := urlClient(t, review3Serve(t, answer))
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			av, err := c.V1Dot1.Tunnels.CheckSubnet(ctx, "gw1", "10.1.0.0/16")
			if err == nil {
				t.Fatalf("CheckSubnet(gw1, 10.1.0.0/16) answered about gateway %q and subnet %q was taken as its answer (%s): an answer about another question must match ErrUnexpectedAnswer",
					av.VPNGatewayID, av.RemoteSubnet, av.Availability)
			}
			assert.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
		})
	}
}

func TestReview3TunnelListOfAGatewayRefusesAnotherGatewaysTunnels(t *testing.T) {
	answer := `{"count":1,"page":0,"size":20,"sort":[],"vpn_tunnels":[{"id":"t1","name":"tn1","vpn_gateway_id":"othergateway","state":"ACTIVE","created_at":"2024-05-17T00:23:17Z"}]}`
	c := urlClient(t, review3Serve(t, answer))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for tn, err := range c.V1Dot1.Tunnels.All(ctx, &scpvpn.TunnelListOptionsV1Dot1{VPNGatewayID: "gw1"}) {
		if err == nil {
			t.Errorf("All(VPNGatewayID: gw1) yielded tunnel %s of gateway %q: a clean-up deleting what it yields would delete another gateway's tunnels; such an answer must match ErrUnexpectedAnswer", tn.ID, tn.VPNGatewayID)
		} else {
			assert.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
		}
		break
	}
}
