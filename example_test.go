package scpvpn_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// The examples run against vpntest, the SDK's fake of the API, so that their
// output is checked by go test. Against the real service, build the client
// with NewClientFromEnv or with WithRegion and WithCredentials instead.

// exampleClient starts a fake whose resources change state at once, and a
// client for it. Call the returned function when done.
func exampleClient() (*scpvpn.Client, func()) {
	srv := vpntest.NewServer(vpntest.Options{TransitionDelay: -1})
	c, err := scpvpn.NewClient(
		scpvpn.WithEndpoint(srv.URL),
		scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey),
		scpvpn.WithWaitPolicy(scpvpn.WaitPolicy{MinDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}),
	)
	if err != nil {
		log.Fatal(err)
	}
	return c, srv.Close
}

// exampleGateway creates an ACTIVE gateway named name.
func exampleGateway(c *scpvpn.Client, name string) *scpvpn.Gateway {
	ctx := context.Background()
	gw, err := c.V1Dot1.Gateways.Create(ctx, &scpvpn.GatewayCreateRequest{
		Name: name, VPCID: "ceb44ea5ecb34a49b16495f9a63b0718", IPID: "fcde872f75c145a0893d656cc698f13e",
		IPAddress: "123.0.0.1", IPType: scpvpn.IPTypePublic,
	})
	if err != nil {
		log.Fatal(err)
	}
	if gw, err = c.V1Dot1.Gateways.WaitUntilActive(ctx, gw.ID); err != nil {
		log.Fatal(err)
	}
	return gw
}

func exampleTunnelRequest(gatewayID, name string) *scpvpn.TunnelCreateRequestV1Dot1 {
	return &scpvpn.TunnelCreateRequestV1Dot1{
		Name:         name,
		VPNGatewayID: gatewayID,
		Phase1: scpvpn.TunnelPhase1CreateRequest{
			IKEVersion: 2, DPDRetryInterval: 60, PeerGatewayIP: "203.0.113.7",
			DiffieHellmanGroups: []int{14}, Encryptions: []string{"aes256-sha256"}, LifeTime: 86400,
			PreSharedKey: "correct horse battery staple",
		},
		Phase2: scpvpn.TunnelPhase2CreateRequestV1Dot1{
			PerfectForwardSecrecy: scpvpn.PFSEnable, DiffieHellmanGroups: []int{14},
			Encryptions: []string{"aes256gcm"}, LifeTime: 43200,
			RemoteSubnets: []string{"10.1.0.0/16", "10.2.0.0/16"},
		},
	}
}

// exampleTunnel creates an ACTIVE version 1.1 tunnel on the gateway.
func exampleTunnel(c *scpvpn.Client, gatewayID, name string) *scpvpn.TunnelV1Dot1 {
	ctx := context.Background()
	tn, err := c.V1Dot1.Tunnels.Create(ctx, exampleTunnelRequest(gatewayID, name))
	if err != nil {
		log.Fatal(err)
	}
	if tn, err = c.V1Dot1.Tunnels.WaitUntilActive(ctx, tn.ID); err != nil {
		log.Fatal(err)
	}
	return tn
}

func ExampleNewClient() {
	srv := vpntest.NewServer(vpntest.Options{})
	defer srv.Close()

	c, err := scpvpn.NewClient(
		scpvpn.WithEndpoint(srv.URL), // or scpvpn.WithRegion("kr-west1", "e")
		scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey),
		scpvpn.WithUserAgent("my-tool/1.0"),
	)
	if err != nil {
		log.Fatal(err)
	}
	list, err := c.V1Dot1.Gateways.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("gateways:", list.Count)

	_, err = scpvpn.NewClient(scpvpn.WithEndpoint(srv.URL))
	fmt.Println(errors.Is(err, scpvpn.ErrNoCredentials))
	// Output:
	// gateways: 0
	// true
}

func ExampleGatewayService_Create() {
	c, done := exampleClient()
	defer done()

	gw, err := c.V1Dot1.Gateways.Create(context.Background(), &scpvpn.GatewayCreateRequest{
		Name:      "gw1",
		VPCID:     "ceb44ea5ecb34a49b16495f9a63b0718",
		IPID:      "fcde872f75c145a0893d656cc698f13e",
		IPAddress: "123.0.0.1",
		IPType:    scpvpn.IPTypePublic,
		Tags:      []scpvpn.Tag{{Key: "team", Value: "network"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(gw.Name, gw.State, gw.IPAddress)
	// Output: gw1 CREATING 123.0.0.1
}

func ExampleGatewayService_Get() {
	c, done := exampleClient()
	defer done()
	id := exampleGateway(c, "gw1").ID

	gw, err := c.V1Dot1.Gateways.Get(context.Background(), id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(gw.Name, gw.State)
	// Output: gw1 ACTIVE
}

func ExampleGatewayService_List() {
	c, done := exampleClient()
	defer done()
	exampleGateway(c, "gwa")
	exampleGateway(c, "gwb")

	page, err := c.V1Dot1.Gateways.List(context.Background(), &scpvpn.GatewayListOptions{Sort: "name:desc", Size: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("matches:", page.Count, "on this page:", page.Gateways[0].Name)
	// Output: matches: 2 on this page: gwb
}

func ExampleGatewayService_All() {
	c, done := exampleClient()
	defer done()
	for _, name := range []string{"gw1", "gw2", "gw3"} {
		exampleGateway(c, name)
	}

	// Two per page: All asks for pages 0 and 1.
	for gw, err := range c.V1Dot1.Gateways.All(context.Background(), &scpvpn.GatewayListOptions{Size: 2, Sort: "name:asc"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(gw.Name)
	}
	// Output:
	// gw1
	// gw2
	// gw3
}

func ExampleGatewayService_Set() {
	c, done := exampleClient()
	defer done()
	id := exampleGateway(c, "gw1").ID

	description := "office uplink"
	gw, err := c.V1Dot1.Gateways.Set(context.Background(), id, &scpvpn.GatewaySetRequest{Description: &description})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(gw.Description)
	// Output: office uplink
}

func ExampleGatewayService_Delete() {
	c, done := exampleClient()
	defer done()
	ctx := context.Background()
	id := exampleGateway(c, "gw1").ID

	if err := c.V1Dot1.Gateways.Delete(ctx, id); err != nil {
		log.Fatal(err)
	}
	if err := c.V1Dot1.Gateways.WaitUntilDeleted(ctx, id); err != nil {
		log.Fatal(err)
	}
	_, err := c.V1Dot1.Gateways.Get(ctx, id)
	fmt.Println(errors.Is(err, scpvpn.ErrNotFound))
	// Output: true
}

func ExampleGatewayService_WaitUntilActive() {
	c, done := exampleClient()
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()

	gw, err := c.V1Dot1.Gateways.Create(ctx, &scpvpn.GatewayCreateRequest{
		Name: "gw1", VPCID: "ceb44ea5ecb34a49b16495f9a63b0718", IPID: "fcde872f75c145a0893d656cc698f13e",
		IPAddress: "123.0.0.1", IPType: scpvpn.IPTypePublic,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(gw.State)
	gw, err = c.V1Dot1.Gateways.WaitUntilActive(ctx, gw.ID)
	if errors.Is(err, scpvpn.ErrResourceFailed) {
		log.Fatal("the gateway failed: see the SCP console")
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(gw.State)
	// Output:
	// CREATING
	// ACTIVE
}

func ExampleTunnelServiceV1Dot1_Create() {
	c, done := exampleClient()
	defer done()
	gw := exampleGateway(c, "gw1")

	tn, err := c.V1Dot1.Tunnels.Create(context.Background(), exampleTunnelRequest(gw.ID, "tunnel1"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tn.Name, tn.State, tn.Phase2.RemoteSubnets)
	// Output: tunnel1 CREATING [10.1.0.0/16 10.2.0.0/16]
}

func ExampleTunnelServiceV1Dot1_Get() {
	c, done := exampleClient()
	defer done()
	tn := exampleTunnel(c, exampleGateway(c, "gw1").ID, "tunnel1")

	tn, err := c.V1Dot1.Tunnels.Get(context.Background(), tn.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tn.Name, tn.State, tn.Status, tn.Phase1.PeerGatewayIP)
	// Output: tunnel1 ACTIVE UP 203.0.113.7
}

func ExampleTunnelServiceV1Dot1_List() {
	c, done := exampleClient()
	defer done()
	gw := exampleGateway(c, "gw1")
	exampleTunnel(c, gw.ID, "tunnel1")

	page, err := c.V1Dot1.Tunnels.List(context.Background(), &scpvpn.TunnelListOptionsV1Dot1{VPNGatewayID: gw.ID})
	if err != nil {
		log.Fatal(err)
	}
	for _, tn := range page.Tunnels {
		fmt.Println(tn.Name, tn.VPNGatewayName, tn.Phase2.RemoteSubnets)
	}
	// Output: tunnel1 gw1 [10.1.0.0/16 10.2.0.0/16]
}

func ExampleTunnelServiceV1Dot1_All() {
	c, done := exampleClient()
	defer done()
	gw := exampleGateway(c, "gw1")
	exampleTunnel(c, gw.ID, "tunnel1")
	exampleTunnel(c, gw.ID, "tunnel2")

	for tn, err := range c.V1Dot1.Tunnels.All(context.Background(), &scpvpn.TunnelListOptionsV1Dot1{Size: 1, Sort: "name:desc"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(tn.Name)
	}
	// Output:
	// tunnel2
	// tunnel1
}

func ExampleTunnelServiceV1Dot1_Set() {
	c, done := exampleClient()
	defer done()
	tn := exampleTunnel(c, exampleGateway(c, "gw1").ID, "tunnel1")

	// Only what is set changes: here the remote subnets and phase 1's lifetime.
	tn, err := c.V1Dot1.Tunnels.Set(context.Background(), tn.ID, &scpvpn.TunnelSetRequestV1Dot1{
		Phase1: &scpvpn.TunnelPhase1SetRequest{LifeTime: 28800},
		Phase2: &scpvpn.TunnelPhase2SetRequestV1Dot1{RemoteSubnets: []string{"10.3.0.0/16"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tn.State, tn.Phase1.LifeTime, tn.Phase2.RemoteSubnets)
	// Output: EDITING 28800 [10.3.0.0/16]
}

func ExampleTunnelServiceV1Dot1_Delete() {
	c, done := exampleClient()
	defer done()
	ctx := context.Background()
	gw := exampleGateway(c, "gw1")
	tn := exampleTunnel(c, gw.ID, "tunnel1")

	// A gateway with tunnels cannot be deleted: delete the tunnels first.
	err := c.V1Dot1.Gateways.Delete(ctx, gw.ID)
	fmt.Println(errors.Is(err, scpvpn.ErrConflict))

	if err := c.V1Dot1.Tunnels.Delete(ctx, tn.ID); err != nil {
		log.Fatal(err)
	}
	if err := c.V1Dot1.Tunnels.WaitUntilDeleted(ctx, tn.ID); err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.V1Dot1.Gateways.Delete(ctx, gw.ID))
	// Output:
	// true
	// <nil>
}

// Version 1.0 of the API is deprecated but still served; its tunnels reach
// one remote subnet.
func ExampleTunnelService_Create() {
	c, done := exampleClient()
	defer done()
	gw := exampleGateway(c, "gw1")

	req := exampleTunnelRequest(gw.ID, "tunnel1")
	tn, err := c.V1Dot0.Tunnels.Create(context.Background(), &scpvpn.TunnelCreateRequest{
		Name:         req.Name,
		VPNGatewayID: req.VPNGatewayID,
		Phase1:       req.Phase1,
		Phase2: scpvpn.TunnelPhase2CreateRequest{
			PerfectForwardSecrecy: scpvpn.PFSDisable, DiffieHellmanGroups: []int{14},
			Encryptions: []string{"aes256gcm"}, LifeTime: 43200, RemoteSubnet: "10.1.0.0/16",
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tn.Name, tn.Phase2.RemoteSubnet)
	// Output: tunnel1 10.1.0.0/16
}

func ExampleTunnelService_All() {
	c, done := exampleClient()
	defer done()
	gw := exampleGateway(c, "gw1")
	exampleTunnel(c, gw.ID, "tunnel1") // created in 1.1 with two subnets

	for tn, err := range c.V1Dot0.Tunnels.All(context.Background(), &scpvpn.TunnelListOptions{VPNGatewayID: gw.ID}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(tn.Name, tn.Phase2.RemoteSubnet) // version 1.0 shows the first
	}
	// Output: tunnel1 10.1.0.0/16
}

func ExampleAPIError() {
	c, done := exampleClient()
	defer done()

	_, err := c.V1Dot1.Gateways.Get(context.Background(), "0123456789abcdef0123456789abcdef")
	var apiErr *scpvpn.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Method, apiErr.RequestID != "")
	}
	fmt.Println(errors.Is(err, scpvpn.ErrNotFound))
	// Output:
	// 404 GET true
	// true
}

func ExampleValidationError() {
	c, done := exampleClient()
	defer done()

	req := exampleTunnelRequest("gw-id", "no spaces allowed")
	req.Phase1.IKEVersion = 3
	req.Phase1.PreSharedKey = "short"
	_, err := c.V1Dot1.Tunnels.Create(context.Background(), req)

	var vErr *scpvpn.ValidationError
	if errors.As(err, &vErr) {
		for _, f := range vErr.Fields {
			fmt.Println(f.Field, f.Problem)
		}
	}
	// Output:
	// name must be 1 to 20 ASCII letters and digits
	// phase1.ike_version must be 1 or 2
	// phase1.pre_shared_key must be 8 to 64 characters
}

func ExampleSecret() {
	psk := scpvpn.Secret("correct horse battery staple")
	fmt.Println(psk)
	fmt.Printf("%v %s %q %#v\n", psk, psk, psk, psk)
	fmt.Println(len(string(psk)))
	// Output:
	// [REDACTED]
	// [REDACTED] [REDACTED] "[REDACTED]" scpvpn.Secret("[REDACTED]")
	// 28
}

// The signer works without the rest of the SDK, with a plain http.Client.
func ExampleNewSigningTransport() {
	srv := vpntest.NewServer(vpntest.Options{})
	defer srv.Close()

	signer := &scpvpn.Signer{AccessKey: srv.AccessKey, SecretKey: srv.SecretKey}
	hc := &http.Client{Transport: scpvpn.NewSigningTransport(signer, nil)}

	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/v1/vpn-gateways?size=10", nil)
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Scp-Api-Version", "vpn 1.1")
	resp, err := hc.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status)
	fmt.Println(string(body))
	// Output:
	// 200 OK
	// {"count":0,"page":0,"size":10,"sort":["created_at:asc"],"vpn_gateways":[]}
}

func ExampleSigner_Sign() {
	s := &scpvpn.Signer{
		AccessKey: "testAccessKey",
		SecretKey: "testSecretKey",
		Now:       func() time.Time { return time.UnixMilli(1605290625682) },
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, "https://vpn.kr-west1.e.samsungsdscloud.com/v1/vpn-tunnels", nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := s.Sign(req); err != nil {
		log.Fatal(err)
	}
	fmt.Println(req.Header.Get("Scp-Timestamp"))
	fmt.Println(req.Header.Get("Scp-Signature"))
	fmt.Println(s) // the secret key never shows
	// Output:
	// 1605290625682
	// /XU+HkxaOsHSdZg2qBXYCIkZZqCVaP2vgvopG4la5Lg=
	// scpvpn.Signer{AccessKey: "testAccessKey", SecretKey: [REDACTED], AccountID: "", ClientType: ""}
}

// exampleTunnelV1Dot0 creates an ACTIVE version 1.0 tunnel on the gateway.
func exampleTunnelV1Dot0(c *scpvpn.Client, gatewayID, name string) *scpvpn.Tunnel {
	ctx := context.Background()
	req := exampleTunnelRequest(gatewayID, name)
	tn, err := c.V1Dot0.Tunnels.Create(ctx, &scpvpn.TunnelCreateRequest{
		Name: req.Name, VPNGatewayID: req.VPNGatewayID, Phase1: req.Phase1,
		Phase2: scpvpn.TunnelPhase2CreateRequest{
			PerfectForwardSecrecy: scpvpn.PFSEnable, DiffieHellmanGroups: []int{14},
			Encryptions: []string{"aes256gcm"}, LifeTime: 43200, RemoteSubnet: "10.1.0.0/16",
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	if tn, err = c.V1Dot0.Tunnels.WaitUntilActive(ctx, tn.ID); err != nil {
		log.Fatal(err)
	}
	return tn
}

func ExampleTunnelService_Get() {
	c, done := exampleClient()
	defer done()
	tn := exampleTunnelV1Dot0(c, exampleGateway(c, "gw1").ID, "tunnel1")

	tn, err := c.V1Dot0.Tunnels.Get(context.Background(), tn.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tn.Name, tn.State, tn.Status, tn.Phase2.RemoteSubnet)
	// Output: tunnel1 ACTIVE UP 10.1.0.0/16
}

func ExampleTunnelService_List() {
	c, done := exampleClient()
	defer done()
	exampleTunnelV1Dot0(c, exampleGateway(c, "gw1").ID, "tunnel1")

	// Version 1.0 can also filter by remote subnet and peer address.
	page, err := c.V1Dot0.Tunnels.List(context.Background(), &scpvpn.TunnelListOptions{RemoteSubnet: "10.1.0.0/16"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(page.Count, page.Tunnels[0].Name)
	// Output: 1 tunnel1
}

func ExampleTunnelService_Set() {
	c, done := exampleClient()
	defer done()
	tn := exampleTunnelV1Dot0(c, exampleGateway(c, "gw1").ID, "tunnel1")

	tn, err := c.V1Dot0.Tunnels.Set(context.Background(), tn.ID, &scpvpn.TunnelSetRequest{
		Phase2: &scpvpn.TunnelPhase2SetRequest{RemoteSubnet: "10.9.0.0/16"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tn.State, tn.Phase2.RemoteSubnet)
	// Output: EDITING 10.9.0.0/16
}

func ExampleTunnelService_Delete() {
	c, done := exampleClient()
	defer done()
	ctx := context.Background()
	tn := exampleTunnelV1Dot0(c, exampleGateway(c, "gw1").ID, "tunnel1")

	if err := c.V1Dot0.Tunnels.Delete(ctx, tn.ID); err != nil {
		log.Fatal(err)
	}
	if err := c.V1Dot0.Tunnels.WaitUntilDeleted(ctx, tn.ID); err != nil {
		log.Fatal(err)
	}
	_, err := c.V1Dot0.Tunnels.Get(ctx, tn.ID)
	fmt.Println(errors.Is(err, scpvpn.ErrNotFound))
	// Output: true
}

func ExampleNewClientFromEnv() {
	srv := vpntest.NewServer(vpntest.Options{})
	defer srv.Close()
	// Usually set outside the program; here the fake's.
	for k, v := range map[string]string{
		scpvpn.EnvEndpoint: srv.URL, scpvpn.EnvAccessKey: srv.AccessKey, scpvpn.EnvSecretKey: srv.SecretKey,
	} {
		old, had := os.LookupEnv(k)
		_ = os.Setenv(k, v)
		defer func() {
			if had {
				_ = os.Setenv(k, old)
			} else {
				_ = os.Unsetenv(k)
			}
		}()
	}

	// Options given override the environment.
	c, err := scpvpn.NewClientFromEnv(scpvpn.WithUserAgent("my-tool/1.0"))
	if err != nil {
		log.Fatal(err)
	}
	page, err := c.V1Dot1.Tunnels.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("tunnels:", page.Count)
	// Output: tunnels: 0
}

func ExampleGatewayService_WaitUntilDeleted() {
	c, done := exampleClient()
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	gw := exampleGateway(c, "gw1")

	if err := c.V1Dot1.Gateways.Delete(ctx, gw.ID); err != nil {
		log.Fatal(err)
	}
	// DELETING, then gone: the waiter returns when Get answers 404.
	if err := c.V1Dot1.Gateways.WaitUntilDeleted(ctx, gw.ID); err != nil {
		log.Fatal(err)
	}
	fmt.Println("deleted")
	// Output: deleted
}
