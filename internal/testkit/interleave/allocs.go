package interleave

import (
	"fmt"
	"runtime"
)

// This file counts what a contender allocates per call.

// Allocs is what one call allocates on the heap, on average: in the whole
// process, so an in-process test server's share and that of net/http's
// connection goroutines are included.
type Allocs struct {
	Objects float64 // heap allocations
	Bytes   float64 // heap bytes
}

// MeasureAllocs runs fn n times, each run making callsPerRun calls, and
// returns the heap allocations per call. It counts in a block of its own,
// not interleaved: allocation counts do not drift with the machine's load,
// and reading the counters (which stops the world) between interleaved
// calls would disturb the timing.
func MeasureAllocs(n, callsPerRun int, fn func() error) (Allocs, error) {
	if n < 1 || callsPerRun < 1 {
		return Allocs{}, fmt.Errorf("interleave: runs %d and calls per run %d must be positive", n, callsPerRun)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < n; i++ {
		if err := fn(); err != nil {
			return Allocs{}, err
		}
	}
	runtime.ReadMemStats(&after)
	calls := float64(n * callsPerRun)
	return Allocs{
		Objects: float64(after.Mallocs-before.Mallocs) / calls,
		Bytes:   float64(after.TotalAlloc-before.TotalAlloc) / calls,
	}, nil
}
