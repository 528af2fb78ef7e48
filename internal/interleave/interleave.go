// Package interleave times several contenders that do the same work against
// one another, interleaved call by call, so that drift in the machine's load
// (other processes on a shared machine, frequency changes) hits every
// contender alike. Benchmarks use it to state one client's cost as a ratio
// to another's, which is stable where absolute times are not.
package interleave

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// Call is one call of a contender; an error stops the measurement.
type Call func() error

// Contender is one of the clients being compared.
type Contender struct {
	Name string
	Call Call
}

// Config shapes a measurement.
type Config struct {
	// Segments is how many segments the measurement has; each yields one
	// ratio per pair of contenders.
	Segments int
	// Rounds is how many rounds a segment has. In a round every contender
	// makes one call (Run) or one burst of calls (RunParallel), in an order
	// that rotates from round to round.
	Rounds int
	// Warmup is how many untimed rounds come first: connections are opened
	// and caches filled before anything is timed.
	Warmup int
}

// Result is what a measurement timed.
type Result struct {
	// Names are the contenders' names, in the order they were given.
	Names []string
	// Time[s][c] is the time contender c took in segment s, all its calls
	// together.
	Time [][]time.Duration
	// Calls is how many calls each contender made per segment.
	Calls int
}

// order returns the contenders' order in round r of n contenders: round 0
// is 0, 1, ..., n-1, and each later round starts one further on, so that no
// contender always follows the same one.
func order(r, n int) []int {
	o := make([]int, n)
	for k := range o {
		o[k] = (r + k) % n
	}
	return o
}

func (c Config) check(n int) error {
	if n < 2 {
		return errors.New("interleave: at least two contenders are needed")
	}
	if c.Segments < 1 || c.Rounds < 1 || c.Warmup < 0 {
		return fmt.Errorf("interleave: segments %d and rounds %d must be positive, warmup %d not negative", c.Segments, c.Rounds, c.Warmup)
	}
	return nil
}

func names(cs []Contender) []string {
	n := make([]string, len(cs))
	for i, c := range cs {
		n[i] = c.Name
	}
	return n
}

// Run times the contenders call by call: in every round each makes one
// call, in the rotating order, and only the call itself is timed.
func Run(cfg Config, cs []Contender) (*Result, error) {
	if err := cfg.check(len(cs)); err != nil {
		return nil, err
	}
	for r := 0; r < cfg.Warmup; r++ {
		for _, c := range order(r, len(cs)) {
			if err := cs[c].Call(); err != nil {
				return nil, fmt.Errorf("interleave: %s (warm-up): %w", cs[c].Name, err)
			}
		}
	}
	res := &Result{Names: names(cs), Time: make([][]time.Duration, cfg.Segments), Calls: cfg.Rounds}
	round := 0
	for s := range res.Time {
		seg := make([]time.Duration, len(cs))
		for i := 0; i < cfg.Rounds; i++ {
			for _, c := range order(round, len(cs)) {
				start := time.Now()
				err := cs[c].Call()
				seg[c] += time.Since(start)
				if err != nil {
					return nil, fmt.Errorf("interleave: %s: %w", cs[c].Name, err)
				}
			}
			round++
		}
		res.Time[s] = seg
	}
	return res, nil
}

// RunParallel times the contenders under concurrency: in every round each
// contender in turn runs a burst, workers goroutines making perWorker calls
// each, and the burst's wall time is what counts. Calls cannot be
// interleaved one by one when many are in flight, so bursts are kept short.
func RunParallel(cfg Config, workers, perWorker int, cs []Contender) (*Result, error) {
	if err := cfg.check(len(cs)); err != nil {
		return nil, err
	}
	if workers < 1 || perWorker < 1 {
		return nil, fmt.Errorf("interleave: workers %d and calls per worker %d must be positive", workers, perWorker)
	}
	for r := 0; r < cfg.Warmup; r++ {
		for _, c := range order(r, len(cs)) {
			if err := Burst(workers, perWorker, cs[c].Call); err != nil {
				return nil, fmt.Errorf("interleave: %s (warm-up): %w", cs[c].Name, err)
			}
		}
	}
	res := &Result{Names: names(cs), Time: make([][]time.Duration, cfg.Segments), Calls: cfg.Rounds * workers * perWorker}
	round := 0
	for s := range res.Time {
		seg := make([]time.Duration, len(cs))
		for i := 0; i < cfg.Rounds; i++ {
			for _, c := range order(round, len(cs)) {
				start := time.Now()
				err := Burst(workers, perWorker, cs[c].Call)
				seg[c] += time.Since(start)
				if err != nil {
					return nil, fmt.Errorf("interleave: %s: %w", cs[c].Name, err)
				}
			}
			round++
		}
		res.Time[s] = seg
	}
	return res, nil
}

// Burst makes workers goroutines call perWorker times each and returns when
// all are done, with the first error any of them met.
func Burst(workers, perWorker int, call Call) error {
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				if err := call(); err != nil {
					once.Do(func() { first = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// Append adds the segments of o, a measurement of the same contenders, to r.
func (r *Result) Append(o *Result) {
	if r.Names == nil {
		r.Names, r.Calls = o.Names, o.Calls
	}
	r.Time = append(r.Time, o.Time...)
}

// Ratios returns, per segment, contender a's time over contender b's.
func (r *Result) Ratios(a, b int) []float64 {
	out := make([]float64, len(r.Time))
	for s, seg := range r.Time {
		out[s] = float64(seg[a]) / float64(seg[b])
	}
	return out
}

// PerCall returns, per segment, contender c's mean time per call in
// nanoseconds.
func (r *Result) PerCall(c int) []float64 {
	out := make([]float64, len(r.Time))
	for s, seg := range r.Time {
		out[s] = float64(seg[c]) / float64(r.Calls)
	}
	return out
}
