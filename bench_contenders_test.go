package scpvpn_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/scpsdk/scpvpn/internal/testkit/interleave"
)

// BenchmarkContenders measures the SDK against the same calls written by
// hand with net/http alone and with resty alone (contenders_test.go), all
// three against one loopback server that verifies every signature
// (contenders_server_test.go). The three are interleaved call by call in a
// rotating order, so that the load of a shared machine hits them alike,
// and the SDK's cost is stated as ratios of time per segment.
//
// Run it with -benchtime=1x: one iteration is one whole measurement of
// contenderSegments segments; more iterations add segments. ns/op, B/op and
// allocs/op are those of that whole measurement, all contenders together;
// the custom metrics are the figures to read:
//
//	sdk/nethttp, sdk/resty      median over the segments of the SDK's time
//	                            over the other's, all calls (-min, -max:
//	                            the extreme segments)
//	sdk/nethttp-trim, ...-trim  the same without each contender's slowest
//	                            tenth of calls in each segment, which on a
//	                            shared machine are mostly waits for the
//	                            processor (see interleave.TrimmedRatios)
//	resty/nethttp(-trim)        resty's own cost over net/http's
//	<contender>-ns/call         median over the segments of the mean call
//	<contender>-allocs/call     heap allocations per call, server's included
//	<contender>-B/call          heap bytes per call, server's included
//	server-allocs/call,         the server's own share of those, the same
//	server-B/call               for every contender
//
// With -v it also logs a Markdown table of all calls. The benchmark asserts
// nothing about time; it fails only when a call does.
func BenchmarkContenders(b *testing.B) {
	srv := newContenderServer(b)
	ctx := context.Background()
	var reports []contenderReport
	keep := func(r contenderReport) {
		for i := range reports {
			if reports[i].name == r.name {
				reports[i] = r // a later, larger b.N
				return
			}
		}
		reports = append(reports, r)
	}
	calls := contenderCalls(b)
	for _, call := range calls {
		b.Run(call.name, func(b *testing.B) {
			clients := newContenderClients(b, srv, false)
			keep(measureContenders(b, srv, call.name, clients.contenders(ctx, call), wireRequest(b, srv, call), false))
		})
	}
	b.Run("ParallelGet", func(b *testing.B) {
		clients := newContenderClients(b, srv, true)
		keep(measureContenders(b, srv, "ParallelGet", clients.contenders(ctx, calls[0]), wireRequest(b, srv, calls[0]), true))
	})
	if len(reports) > 0 {
		b.Log("\n" + contenderTable(reports))
	}
}

// BenchmarkContenderAlone runs one contender's calls back to back, as
// BenchmarkContenders/<call>/<contender>: for profiling one contender at a
// time (-cpuprofile, -memprofile) and for Go's own allocation count
// (-benchmem), not for comparing times, which drift with the machine's
// load from one benchmark to the next.
func BenchmarkContenderAlone(b *testing.B) {
	srv := newContenderServer(b)
	ctx := context.Background()
	for _, call := range contenderCalls(b) {
		b.Run(call.name, func(b *testing.B) {
			clients := newContenderClients(b, srv, false)
			for _, c := range clients.contenders(ctx, call) {
				b.Run(c.Name, func(b *testing.B) {
					b.ReportAllocs()
					for i := 0; i < b.N; i++ {
						if err := c.Call(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// The shape of a measurement. A sequential one has contenderSegments
// segments of contenderRounds rounds, each round one call of every
// contender. A parallel one has as many segments, in which each of
// parallelWorkers goroutines makes parallelRounds rounds: 960 calls of
// every contender per segment, about 32 calls in flight at any time (a
// third of them of each contender). Latencies under concurrency vary more
// than one call at a time, hence the longer segments.
const (
	contenderSegments = 15
	contenderRounds   = 300
	contenderWarmup   = 50
	parallelWorkers   = 32
	parallelRounds    = 30
	parallelWarmup    = 2
	// contenderTrim is the fraction of each contender's slowest calls in
	// a segment that the trimmed ratios leave out.
	contenderTrim = 0.1
	// allocCalls is how many calls of each contender are counted for its
	// allocations, in a block after the timed segments.
	allocCalls = 1024
)

// Indexes of the contenders in the order contenderClients.contenders gives.
const (
	sdkIdx = iota
	netHTTPIdx
	restyIdx
)

// contenderReport is what a measurement found.
type contenderReport struct {
	name string
	// Ratios of time over the segments: all calls, and trimmed.
	sdkHTTP, sdkResty, restyHTTP             interleave.Summary
	sdkHTTPTrim, sdkRestyTrim, restyHTTPTrim interleave.Summary
	perCall                                  [3]interleave.Summary // ns per call
	allocs                                   [3]interleave.Allocs
	server                                   interleave.Allocs // the server's share of allocs
	conns                                    int64             // connections the server accepted while timing
	calls                                    int               // calls of each contender per segment
}

// measureContenders measures cs, the contenders of one call whose request
// on the wire (as net/http sends it) is wire.
func measureContenders(b *testing.B, srv *contenderServer, name string, cs []interleave.Contender, wire []byte, parallel bool) contenderReport {
	b.Helper()
	cfg := interleave.Config{Segments: contenderSegments, Rounds: contenderRounds, Warmup: contenderWarmup}
	run := func() (*interleave.Result, error) { return interleave.Run(cfg, cs) }
	countAllocs := func(call interleave.Call) (interleave.Allocs, error) {
		return interleave.MeasureAllocs(allocCalls, 1, call)
	}
	if parallel {
		cfg.Rounds, cfg.Warmup = parallelRounds, parallelWarmup
		run = func() (*interleave.Result, error) {
			return interleave.RunParallel(cfg, parallelWorkers, cs)
		}
		// Counted in bursts of one contender's calls, as many at once.
		countAllocs = func(call interleave.Call) (interleave.Allocs, error) {
			return interleave.MeasureAllocs(allocCalls/parallelWorkers, parallelWorkers, func() error {
				return interleave.Burst(parallelWorkers, 1, call)
			})
		}
	}

	runtime.GC()
	conns := srv.conns.Load()
	var all interleave.Result
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := run()
		if err != nil {
			b.Fatal(err)
		}
		all.Append(res)
	}
	b.StopTimer()

	rep := contenderReport{
		name:          name,
		sdkHTTP:       interleave.Summarize(all.Ratios(sdkIdx, netHTTPIdx)),
		sdkResty:      interleave.Summarize(all.Ratios(sdkIdx, restyIdx)),
		restyHTTP:     interleave.Summarize(all.Ratios(restyIdx, netHTTPIdx)),
		sdkHTTPTrim:   interleave.Summarize(all.TrimmedRatios(sdkIdx, netHTTPIdx, contenderTrim)),
		sdkRestyTrim:  interleave.Summarize(all.TrimmedRatios(sdkIdx, restyIdx, contenderTrim)),
		restyHTTPTrim: interleave.Summarize(all.TrimmedRatios(restyIdx, netHTTPIdx, contenderTrim)),
		conns:         srv.conns.Load() - conns,
		calls:         all.Calls,
	}
	for i, c := range cs {
		rep.perCall[i] = interleave.Summarize(all.PerCall(i))
		a, err := countAllocs(c.Call)
		if err != nil {
			b.Fatal(err)
		}
		rep.allocs[i] = a
	}
	rep.server = srv.serverAllocs(b, wire, allocCalls)

	reportRatio := func(s interleave.Summary, unit string) {
		b.ReportMetric(s.Median, unit)
		b.ReportMetric(s.Min, unit+"-min")
		b.ReportMetric(s.Max, unit+"-max")
	}
	reportRatio(rep.sdkHTTP, "sdk/nethttp")
	reportRatio(rep.sdkResty, "sdk/resty")
	reportRatio(rep.sdkHTTPTrim, "sdk/nethttp-trim")
	reportRatio(rep.sdkRestyTrim, "sdk/resty-trim")
	b.ReportMetric(rep.restyHTTP.Median, "resty/nethttp")
	b.ReportMetric(rep.restyHTTPTrim.Median, "resty/nethttp-trim")
	for i, c := range cs {
		b.ReportMetric(rep.perCall[i].Median, c.Name+"-ns/call")
		b.ReportMetric(rep.allocs[i].Objects, c.Name+"-allocs/call")
		b.ReportMetric(rep.allocs[i].Bytes, c.Name+"-B/call")
	}
	b.ReportMetric(rep.server.Objects, "server-allocs/call")
	b.ReportMetric(rep.server.Bytes, "server-B/call")
	b.Logf("%d segments of %d calls of each contender, %d connections opened\n"+
		"all calls: SDK/net/http %v; SDK/resty %v; resty/net/http %v\n"+
		"trimmed:   SDK/net/http %v; SDK/resty %v; resty/net/http %v",
		rep.sdkHTTP.N, rep.calls, rep.conns,
		rep.sdkHTTP, rep.sdkResty, rep.restyHTTP,
		rep.sdkHTTPTrim, rep.sdkRestyTrim, rep.restyHTTPTrim)
	return rep
}

// contenderTable shows the reports as a Markdown table.
func contenderTable(reports []contenderReport) string {
	var sb strings.Builder
	sb.WriteString("| call | SDK / net/http | SDK / resty | resty / net/http | same, trimmed: SDK / net/http | SDK / resty | resty / net/http | µs per call SDK / net/http / resty | allocations SDK / net/http / resty (server's share) | bytes SDK / net/http / resty (server's share) |\n")
	sb.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	ratio := func(s interleave.Summary) string {
		return fmt.Sprintf("%.3f (%.3f..%.3f, IQR %.3f..%.3f)", s.Median, s.Min, s.Max, s.Q1, s.Q3)
	}
	for _, r := range reports {
		fmt.Fprintf(&sb, "| %s | %s | %s | %s | %s | %s | %s | %.1f / %.1f / %.1f | %.0f / %.0f / %.0f (%.0f) | %.0f / %.0f / %.0f (%.0f) |\n",
			r.name, ratio(r.sdkHTTP), ratio(r.sdkResty), ratio(r.restyHTTP),
			ratio(r.sdkHTTPTrim), ratio(r.sdkRestyTrim), ratio(r.restyHTTPTrim),
			r.perCall[sdkIdx].Median/1e3, r.perCall[netHTTPIdx].Median/1e3, r.perCall[restyIdx].Median/1e3,
			r.allocs[sdkIdx].Objects, r.allocs[netHTTPIdx].Objects, r.allocs[restyIdx].Objects, r.server.Objects,
			r.allocs[sdkIdx].Bytes, r.allocs[netHTTPIdx].Bytes, r.allocs[restyIdx].Bytes, r.server.Bytes)
	}
	return sb.String()
}
