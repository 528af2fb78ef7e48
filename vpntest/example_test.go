package vpntest_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

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
	if err := srv.ForceState(id, "ERROR"); err != nil {
		fmt.Println(err)
		return
	}
	state, _ := srv.State(id)
	fmt.Println(state)
	// Output: ERROR
}
