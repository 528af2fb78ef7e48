package scpvpn_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/scpsdk/scpvpn"
)

// Quick benchmarks of single calls and of the signer, for -benchmem and
// profiles. The SDK is compared with plain net/http and plain resty by
// BenchmarkContenders, interleaved call by call (bench_contenders_test.go);
// see BENCHMARKS.md.

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
