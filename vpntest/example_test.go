package vpntest_test

// This file holds the package's runnable examples.

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// get sends a GET signed as the SCP API requires, with plain net/http;
// the SDK does this for you.
func get(srv *vpntest.Server, path, version string) (*http.Response, error) {
	url := srv.URL + path
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(srv.SecretKey))
	// METHOD + URL + TIMESTAMP + ACCESS_KEY + ACCOUNT_ID + CLIENT_TYPE
	mac.Write([]byte(req.Method + url + ts + srv.AccessKey + "" + "Openapi"))
	req.Header.Set("Scp-Accesskey", srv.AccessKey)
	req.Header.Set("Scp-Timestamp", ts)
	req.Header.Set("Scp-ClientType", "Openapi")
	req.Header.Set("Scp-Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	req.Header.Set("Scp-Api-Version", version)
	return http.DefaultClient.Do(req)
}

func Example() {
	srv := vpntest.NewServer(vpntest.Options{})
	defer srv.Close()

	resp, err := get(srv, "/v1/vpn-gateways?page=0&size=20&sort=created_at%3Adesc", "vpn 1.1")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status)
	fmt.Println(string(body))
	// Output:
	// 200 OK
	// {"count":0,"page":0,"size":20,"sort":["created_at:desc"],"vpn_gateways":[]}
}

func ExampleServer_Script() {
	srv := vpntest.NewServer(vpntest.Options{})
	defer srv.Close()

	// The next two lists fail, the third is served.
	srv.Script("GET", "/v1/vpn-gateways",
		vpntest.Respond(http.StatusServiceUnavailable, "Retry-After", "1"),
		vpntest.Respond(http.StatusInternalServerError),
	)
	for range 3 {
		resp, err := get(srv, "/v1/vpn-gateways", "vpn 1.1")
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"), string(body))
	}
	fmt.Println(srv.CountRequests("GET", "/v1/vpn-gateways"), "requests")
	// Output:
	// 503 1 {"errors":[{"code":"ServiceUnavailable","detail":"Service Unavailable (injected by vpntest)"}]}
	// 500  {"errors":[{"code":"ContactAdminForAssistance","detail":"Internal Server Error (injected by vpntest)"}]}
	// 200  {"count":0,"page":0,"size":20,"sort":["created_at:asc"],"vpn_gateways":[]}
	// 3 requests
}

func ExampleServer_ForceState() {
	srv := vpntest.NewServer(vpntest.Options{})
	defer srv.Close()

	id, err := srv.AddGateway(vpntest.GatewaySeed{Name: "ExampleVpnGW1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	// A waiter polling this gateway now sees it fail.
	if err := srv.ForceState(id, scpvpn.StateError); err != nil {
		fmt.Println(err)
		return
	}
	state, _ := srv.State(id)
	fmt.Println(state)
	// Output: ERROR
}

func ExampleServer_Client() {
	srv := vpntest.NewServer(vpntest.Options{})
	defer srv.Close()

	// A client of the SDK for the fake: its endpoint and credentials, and
	// waits of a few milliseconds rather than seconds.
	c, err := srv.Client()
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	gw, err := c.V1Dot1.Gateways.Create(ctx, &scpvpn.GatewayCreateRequest{
		IPAddress: "123.0.0.1",
		IPID:      "fcde872f75c145a0893d656cc698f13e",
		IPType:    scpvpn.IPTypePublic,
		Name:      "ExampleVpnGW1",
		VPCID:     "ceb44ea5ecb34a49b16495f9a63b0718",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(gw.State)
	gw, err = c.V1Dot1.Gateways.WaitUntilActive(ctx, gw.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(gw.State)
	// Output:
	// CREATING
	// ACTIVE
}

// The fake's quota and subnet endpoints answer from its state.
func ExampleServer_quotasAndSubnets() {
	srv := vpntest.NewServer(vpntest.Options{})
	defer srv.Close()
	gw, _ := srv.AddGateway(vpntest.GatewaySeed{})
	_, _ = srv.AddTunnel(vpntest.TunnelSeed{VPNGatewayID: gw, RemoteSubnets: []string{"10.1.0.0/16"}})

	for _, path := range []string{
		"/v1/vpn-gateways/metrics/quotas",
		"/v1/vpn-tunnels/metrics/quotas?vpn_gateway_id=" + gw,
		"/v1/vpn-tunnels/vpn-tunnel-subnet-availabilities?" + url.Values{"vpn_gateway_id": {gw}, "remote_subnet": {"10.1.2.0/24"}}.Encode(),
		"/v1/vpn-tunnels/vpn-tunnel-subnet-availabilities?" + url.Values{"vpn_gateway_id": {gw}, "remote_subnet": {"10.2.0.0/16"}}.Encode(),
	} {
		resp, err := get(srv, path, "vpn 1.1")
		if err != nil {
			fmt.Println(err)
			return
		}
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if a, ok := body["vpn_tunnel_subnet_availability"].(map[string]any); ok {
			fmt.Println(a["remote_subnet"], a["availability"])
			continue
		}
		fmt.Println(body)
	}
	// Output:
	// map[vpn_gateway_max_quota:3 vpn_gateway_used_quota:1]
	// map[vpn_tunnel_max_quota:5 vpn_tunnel_used_quota:1]
	// 10.1.2.0/24 DUPLICATE
	// 10.2.0.0/16 AVAILABLE
}

// The fake serves an IAM endpoint catalog at AuthURL that lists itself,
// for clients that find their endpoint there. Here the SDK's Signer signs
// the request, as a client with WithCatalog does.
func ExampleServer_catalog() {
	srv := vpntest.NewServer(vpntest.Options{
		Region:  "kr-west1",
		Catalog: []vpntest.CatalogEntry{{Region: "kr-east1", ServiceType: "scp-vpn", ServiceName: "vpn"}},
	})
	defer srv.Close()

	signer := &scpvpn.Signer{AccessKey: srv.AccessKey, SecretKey: srv.SecretKey}
	hc := &http.Client{Transport: scpvpn.NewSigningTransport(signer, http.DefaultTransport)}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.AuthURL+"/endpoints", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := hc.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var catalog struct {
		Endpoints []vpntest.CatalogEntry `json:"endpoints"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&catalog); err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range catalog.Endpoints {
		fmt.Println(e.Region, e.ServiceType, e.URL == srv.URL)
	}
	// Output:
	// kr-west1 scp-vpn true
	// kr-east1 scp-vpn true
}
