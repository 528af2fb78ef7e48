package scpvpn_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/scpsdk/scpvpn"
)

// Benchmarks of the SDK next to a hand-written net/http client doing the same
// work: the same headers, an HMAC signature, and a decode into an equivalent
// struct, against the same loopback server. See BENCHMARKS.md.

// gatewayServer answers every request with the reference's gateway.
func gatewayServer(b *testing.B) *httptest.Server {
	b.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "v1.1", "gateway_get_response.json"))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchClient(b *testing.B, url string) *scpvpn.Client {
	b.Helper()
	c, err := scpvpn.NewClient(scpvpn.WithEndpoint(url), scpvpn.WithCredentials(testAccessKey, testSecretKey))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func BenchmarkGet(b *testing.B) {
	srv := gatewayServer(b)
	c := benchClient(b, srv.URL)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		gw, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
		if err != nil || gw.ID != gatewayID {
			b.Fatal(gw, err)
		}
	}
}

// rawGateway is what a hand-written client would decode into.
type rawGateway struct {
	AccountID   string    `json:"account_id"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"`
	Description string    `json:"description"`
	ID          string    `json:"id"`
	IPAddress   string    `json:"ip_address"`
	IPID        string    `json:"ip_id"`
	IPType      string    `json:"ip_type"`
	ModifiedAt  time.Time `json:"modified_at"`
	ModifiedBy  string    `json:"modified_by"`
	Name        string    `json:"name"`
	State       string    `json:"state"`
	VPCID       string    `json:"vpc_id"`
	VPCName     string    `json:"vpc_name"`
}

// rawGet is the baseline: one signed GET with net/http alone.
func rawGet(ctx context.Context, hc *http.Client, base, id string) (*rawGateway, error) {
	u := base + "/v1/vpn-gateways/" + id
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(testSecretKey))
	_, _ = io.WriteString(mac, http.MethodGet+u+ts+testAccessKey+"Openapi")
	req.Header.Set("Scp-Accesskey", testAccessKey)
	req.Header.Set("Scp-Timestamp", ts)
	req.Header.Set("Scp-ClientType", "Openapi")
	req.Header.Set("Scp-Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	req.Header.Set("Scp-Api-Version", "vpn 1.1")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Accept-Language", "en-US")
	req.Header.Set("User-Agent", "raw/1.0")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	var env struct {
		Gateway *rawGateway `json:"vpn_gateway"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return env.Gateway, nil
}

func rawHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t, Timeout: time.Minute}
}

func BenchmarkGetRawHTTP(b *testing.B) {
	srv := gatewayServer(b)
	hc := rawHTTPClient()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		gw, err := rawGet(ctx, hc, srv.URL, gatewayID)
		if err != nil || gw.ID != gatewayID {
			b.Fatal(gw, err)
		}
	}
}

func BenchmarkParallelGet(b *testing.B) {
	srv := gatewayServer(b)
	c := benchClient(b, srv.URL)
	ctx := context.Background()
	b.SetParallelism(16) // 32 goroutines on 2 cores
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.V1Dot1.Gateways.Get(ctx, gatewayID); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkParallelGetRawHTTP(b *testing.B) {
	srv := gatewayServer(b)
	hc := rawHTTPClient()
	ctx := context.Background()
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := rawGet(ctx, hc, srv.URL, gatewayID); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkSign(b *testing.B) {
	s := &scpvpn.Signer{AccessKey: testAccessKey, SecretKey: testSecretKey}
	req, err := http.NewRequest(http.MethodGet, "https://vpn.kr-west1.e.samsungsdscloud.com/v1/vpn-gateways?page=0&size=20&sort=created_at%3Adesc", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Sign(req); err != nil {
			b.Fatal(err)
		}
	}
}
