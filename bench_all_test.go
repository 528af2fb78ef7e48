package scpvpn_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"

	"github.com/scpsdk/scpvpn"
)

// BenchmarkAll walks 20,000 gateways in pages of 100. Besides time and
// allocations per walk, it reports max-live-KB: the most heap the walk keeps
// in use (after a collection, above what the server holds), which stays near
// one page's worth because All holds a single page at a time, where the
// 20,000 decoded gateways together would take megabytes.
func BenchmarkAll(b *testing.B) {
	const total, size = 20000, 100
	pages := make([][]byte, total/size)
	for p := range pages {
		items := make([]map[string]any, size)
		for i := range items {
			n := p*size + i
			items[i] = map[string]any{
				"account_id": "0e3dffc50eb247a1adf4f2e5c82c4f99", "created_at": "2024-05-17T00:23:17Z",
				"created_by": "90dddfc2b1e04edba54ba2b41539a9ac", "description": "gateway " + strconv.Itoa(n),
				"id": strconv.Itoa(n), "ip_address": "123.0.0.1", "ip_id": "fcde872f75c145a0893d656cc698f13e",
				"ip_type": "PUBLIC", "modified_at": "2024-05-17T00:23:17Z", "modified_by": "90dddfc2b1e04edba54ba2b41539a9ac",
				"name": "gw" + strconv.Itoa(n), "state": "ACTIVE", "vpc_id": "ceb44ea5ecb34a49b16495f9a63b0718", "vpc_name": "ExampleVPC1",
			}
		}
		body, err := json.Marshal(map[string]any{"count": total, "page": p, "size": size, "vpn_gateways": items})
		if err != nil {
			b.Fatal(err)
		}
		pages[p] = body
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := strconv.Atoi(r.URL.Query().Get("page"))
		w.Header().Set("Content-Type", "application/json")
		if p >= len(pages) {
			_, _ = w.Write([]byte(`{"count":20000,"page":0,"size":100,"vpn_gateways":[]}`))
			return
		}
		_, _ = w.Write(pages[p])
	}))
	defer srv.Close()
	c := benchClient(b, srv.URL)
	ctx := context.Background()

	// live returns the heap in use after two collections: the second frees
	// what sync.Pools kept through the first, so that buffers pooled by an
	// earlier walk count neither in base nor as live.
	live := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	// The server's pages are live for the whole benchmark: measure above
	// them, from the least heap seen between walks (before the first one,
	// the heap may still hold what an earlier run of the benchmark left).
	floor := live()
	var peak uint64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		for gw, err := range c.V1Dot1.Gateways.All(ctx, &scpvpn.GatewayListOptions{Size: size}) {
			if err != nil {
				b.Fatal(err)
			}
			if n%5000 == 2500 { // mid-page, a few times per walk
				b.StopTimer()
				peak = max(peak, live())
				b.StartTimer()
			}
			_ = gw
			n++
		}
		if n != total {
			b.Fatalf("walked %d gateways, want %d", n, total)
		}
		b.StopTimer()
		floor = min(floor, live())
		b.StartTimer()
	}
	var maxLive uint64
	if peak > floor {
		maxLive = peak - floor
	}
	b.ReportMetric(float64(maxLive)/1024, "max-live-KB")
}
