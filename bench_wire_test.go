package scpvpn_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/scpsdk/scpvpn"
)

// What the shape of each request costs on each protocol, for -benchmem:
// allocation counts tell, timings on a shared machine hardly do.

// BenchmarkWire makes Get, Delete and Create calls over HTTP/1.1 and
// HTTP/2 (TLS) against loopback servers, for -benchmem: what the request
// path's shape of a request (bodies, traces) costs on each protocol.
func BenchmarkWire(b *testing.B) {
	get, err := os.ReadFile(filepath.Join("testdata", "v1.1", "gateway_get_response.json"))
	if err != nil {
		b.Fatal(err)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.Method {
		case http.MethodGet:
			_, _ = w.Write(get)
		case http.MethodPost:
			w.WriteHeader(http.StatusAccepted)
			_, _ = w.Write(get)
		default:
			w.WriteHeader(http.StatusAccepted)
		}
	})
	h1 := httptest.NewServer(h)
	b.Cleanup(h1.Close)
	h2 := httptest.NewUnstartedServer(h)
	h2.EnableHTTP2 = true
	h2.StartTLS()
	b.Cleanup(h2.Close)
	clients := map[string]*scpvpn.Client{}
	for name, opts := range map[string][]scpvpn.Option{
		"h1": {scpvpn.WithEndpoint(h1.URL)},
		"h2": {scpvpn.WithEndpoint(h2.URL), scpvpn.WithTransport(h2.Client().Transport)},
	} {
		c, err := scpvpn.NewClient(append(opts, scpvpn.WithCredentials(testAccessKey, testSecretKey))...)
		if err != nil {
			b.Fatal(err)
		}
		clients[name] = c
	}
	ctx := context.Background()
	calls := map[string]func(*scpvpn.Client) error{
		"Get": func(c *scpvpn.Client) error {
			_, err := c.V1Dot1.Gateways.Get(ctx, gatewayID)
			return err
		},
		"Delete": func(c *scpvpn.Client) error { return c.V1Dot1.Gateways.Delete(ctx, gatewayID) },
		"Create": func(c *scpvpn.Client) error {
			_, err := c.V1Dot1.Gateways.Create(ctx, gatewayCreateRequest())
			return err
		},
	}
	for _, proto := range []string{"h1", "h2"} {
		for _, call := range []string{"Get", "Delete", "Create"} {
			b.Run(proto+"/"+call, func(b *testing.B) {
				c, f := clients[proto], calls[call]
				b.ReportAllocs()
				for b.Loop() {
					if err := f(c); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
