package scpvpn_test

// A runnable example of a write whose outcome is unknown, against vpntest.

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

func ExampleOutcomeUnknownError() {
	srv := vpntest.NewServer(vpntest.Options{})
	defer srv.Close()
	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	// A proxy in front of the service answers 502: the create may or may
	// not have reached it. The SDK reads back and finds no gateway it made.
	srv.Script(http.MethodPost, "/v1/vpn-gateways", vpntest.Respond(http.StatusBadGateway))

	gw, err := c.V1Dot1.Gateways.Create(context.Background(), &scpvpn.GatewayCreateRequest{
		Name: "edge1", VPCID: "ceb44ea5ecb34a49b16495f9a63b0718", IPID: "fcde872f75c145a0893d656cc698f13e",
		IPAddress: "123.0.0.1", IPType: scpvpn.IPTypePublic,
	})
	var unknown *scpvpn.OutcomeUnknownError
	var apiErr *scpvpn.APIError
	switch {
	case errors.As(err, &unknown):
		// It may exist: look before creating it again.
		fmt.Println(unknown.Op, "- candidates:", len(unknown.Candidates))
		for _, cand := range unknown.Candidates {
			fmt.Println(" ", cand.(*scpvpn.Gateway).ID)
		}
		if errors.As(err, &apiErr) {
			fmt.Println("the create's answer:", apiErr.StatusCode)
		}
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println("created", gw.ID)
	}
	// Output:
	// create VPN gateway edge1 - candidates: 0
	// the create's answer: 502
}
