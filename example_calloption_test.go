package scpvpn_test

// Runnable examples of the per-call options, Client.Do, paging by hand,
// and the quota and subnet calls, against vpntest.

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/url"

	"github.com/scpsdk/scpvpn"
)

func ExampleWithResponse() {
	c, done := exampleClient()
	defer done()

	var resp scpvpn.Response
	gw, err := c.V1Dot1.Gateways.Create(context.Background(), &scpvpn.GatewayCreateRequest{
		Name: "edge1", VPCID: "ceb44ea5ecb34a49b16495f9a63b0718", IPID: "fcde872f75c145a0893d656cc698f13e",
		IPAddress: "123.0.0.1", IPType: scpvpn.IPTypePublic,
	}, scpvpn.WithResponse(&resp))
	if err != nil {
		log.Fatal(err)
	}
	// A tool that logs every change can log the request id of a success.
	fmt.Println(gw.State, resp.StatusCode, resp.Attempts, resp.RequestID != "")
	// Output: CREATING 202 1 true
}

func ExampleWithHeader() {
	c, done := exampleClient()
	defer done()
	gw := exampleGateway(c, "edge1")

	got, err := c.V1Dot1.Gateways.Get(context.Background(), gw.ID, scpvpn.WithHeader("X-Correlation-Id", "job-42"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Name)

	// The headers the SDK signs cannot be set per call.
	_, err = c.V1Dot1.Gateways.Get(context.Background(), gw.ID, scpvpn.WithHeader("Scp-Signature", "forged"))
	fmt.Println(err)
	// Output:
	// edge1
	// scpvpn: invalid WithHeader: Scp-Signature is set by the SDK (signing and authentication) and cannot be set per call
}

func ExampleClient_Do() {
	c, done := exampleClient()
	defer done()
	exampleGateway(c, "edge1")

	// An endpoint called without its service method: the gateway quota.
	var quota struct {
		Max  int `json:"vpn_gateway_max_quota"`
		Used int `json:"vpn_gateway_used_quota"`
	}
	err := c.Do(context.Background(), &scpvpn.Request{
		Method:     http.MethodGet,
		Path:       "/v1/vpn-gateways/metrics/quotas",
		Query:      url.Values{"vpc_id": {"ceb44ea5ecb34a49b16495f9a63b0718"}},
		APIVersion: "vpn 1.1",
	}, &quota)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d of %d gateways\n", quota.Used, quota.Max)
	// Output: 1 of 3 gateways
}

func ExampleGatewayList_HasNext() {
	c, done := exampleClient()
	defer done()
	for _, name := range []string{"a1", "b2", "c3"} {
		exampleGateway(c, name)
	}

	opts := &scpvpn.GatewayListOptions{Size: 2, Sort: "name:asc"}
	for {
		page, err := c.V1Dot1.Gateways.List(context.Background(), opts)
		if err != nil {
			log.Fatal(err)
		}
		for _, gw := range page.Gateways {
			fmt.Println(page.Page, gw.Name)
		}
		if !page.HasNext() {
			break
		}
		opts.Page++
	}
	// Output:
	// 0 a1
	// 0 b2
	// 1 c3
}

func ExamplePtr() {
	req := &scpvpn.GatewaySetRequest{Description: scpvpn.Ptr("edge of the office network")}
	fmt.Println(*req.Description)
	// Output: edge of the office network
}

func ExampleGatewayService_Quota() {
	c, done := exampleClient()
	defer done()
	exampleGateway(c, "edge1")

	q, err := c.V1Dot1.Gateways.Quota(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d of %d used\n", q.Used, q.Max)
	// Output: 1 of 3 used
}

func ExampleTunnelServiceV1Dot1_CheckSubnet() {
	c, done := exampleClient()
	defer done()
	gw := exampleGateway(c, "edge1")
	if _, err := c.V1Dot1.Tunnels.Create(context.Background(), exampleTunnelRequest(gw.ID, "office")); err != nil {
		log.Fatal(err)
	}

	for _, subnet := range []string{"10.1.0.0/16", "10.1.7.0/24", "10.3.0.0/16", "ten"} {
		a, err := c.V1Dot1.Tunnels.CheckSubnet(context.Background(), gw.ID, subnet)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(subnet, a.Availability)
	}
	// Output:
	// 10.1.0.0/16 DUPLICATE
	// 10.1.7.0/24 DUPLICATE
	// 10.3.0.0/16 AVAILABLE
	// ten INVALID
}
