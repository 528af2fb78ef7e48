// Package interleave times several contenders that do the same work against
// one another, interleaved call by call, so that drift in the machine's load
// (other processes on a shared machine, frequency changes) hits every
// contender alike. Benchmarks use it to state one client's cost as a ratio
// to another's, which is stable where absolute times are not.
package interleave

import (
	"errors"
	"fmt"
	"slices"
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
	// Rounds is how many rounds a segment has (for RunParallel, of every
	// worker). In a round every contender makes one call, in an order that
	// rotates from round to round.
	Rounds int
	// Warmup is how many untimed rounds come first: connections are opened
	// and caches filled before anything is timed.
	Warmup int
}

// Result is what a measurement timed.
type Result struct {
	// Names are the contenders' names, in the order they were given.
	Names []string
	// Times[s][c] are the times of contender c's calls in segment s.
	Times [][][]time.Duration
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
	res := newResult(cfg, cs, cfg.Rounds)
	round := 0
	for _, seg := range res.Times {
		for i := 0; i < cfg.Rounds; i++ {
			for _, c := range order(round, len(cs)) {
				start := time.Now()
				err := cs[c].Call()
				seg[c] = append(seg[c], time.Since(start))
				if err != nil {
					return nil, fmt.Errorf("interleave: %s: %w", cs[c].Name, err)
				}
			}
			round++
		}
	}
	return res, nil
}

// newResult makes room for the times of a measurement.
func newResult(cfg Config, cs []Contender, calls int) *Result {
	res := &Result{Names: names(cs), Times: make([][][]time.Duration, cfg.Segments), Calls: calls}
	for s := range res.Times {
		res.Times[s] = make([][]time.Duration, len(cs))
		for c := range cs {
			res.Times[s][c] = make([]time.Duration, 0, cfg.Rounds)
		}
	}
	return res
}

// RunParallel times the contenders under concurrency: workers goroutines
// each make cfg.Rounds rounds per segment, a round being one call of every
// contender in the rotating order (each worker a step further on than the
// one before, so that the calls in flight are of every contender alike),
// and every call's latency counts for its contender. With the processors
// shared among the calls in flight, a contender's latencies are in
// proportion to the work its calls take, whatever else runs at the time.
// Each segment ends when every worker has made its rounds.
func RunParallel(cfg Config, workers int, cs []Contender) (*Result, error) {
	if err := cfg.check(len(cs)); err != nil {
		return nil, err
	}
	if workers < 1 {
		return nil, fmt.Errorf("interleave: workers %d must be positive", workers)
	}
	if _, err := parallelSegment(workers, cfg.Warmup, cs); err != nil {
		return nil, fmt.Errorf("interleave: warm-up: %w", err)
	}
	res := newResult(cfg, cs, cfg.Rounds*workers)
	for s := range res.Times {
		times, err := parallelSegment(workers, cfg.Rounds, cs)
		if err != nil {
			return nil, err
		}
		for _, t := range times {
			for c := range t {
				res.Times[s][c] = append(res.Times[s][c], t[c]...)
			}
		}
	}
	return res, nil
}

// parallelSegment runs workers goroutines for rounds rounds each and
// returns every worker's call times per contender.
func parallelSegment(workers, rounds int, cs []Contender) ([][][]time.Duration, error) {
	times := make([][][]time.Duration, workers)
	for w := range times {
		times[w] = make([][]time.Duration, len(cs))
		for c := range cs {
			times[w][c] = make([]time.Duration, 0, rounds)
		}
	}
	err := spawn(workers, func(w int) error {
		for r := 0; r < rounds; r++ {
			for _, c := range order(w+r, len(cs)) {
				start := time.Now()
				err := cs[c].Call()
				times[w][c] = append(times[w][c], time.Since(start))
				if err != nil {
					return fmt.Errorf("%s: %w", cs[c].Name, err)
				}
			}
		}
		return nil
	})
	return times, err
}

// Burst makes workers goroutines call perWorker times each and returns when
// all are done, with the first error any of them met.
func Burst(workers, perWorker int, call Call) error {
	return spawn(workers, func(int) error {
		for i := 0; i < perWorker; i++ {
			if err := call(); err != nil {
				return err
			}
		}
		return nil
	})
}

// spawn runs work(0) to work(workers-1) in goroutines of their own and
// returns when all have returned, with the first error any of them met.
func spawn(workers int, work func(w int) error) error {
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			if err := work(w); err != nil {
				once.Do(func() { first = err })
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
	r.Times = append(r.Times, o.Times...)
}

// Ratios returns, per segment, contender a's time over contender b's, all
// their calls together.
func (r *Result) Ratios(a, b int) []float64 {
	return r.TrimmedRatios(a, b, 0)
}

// TrimmedRatios returns, per segment, the ratio of contender a's time to
// contender b's with the slowest fraction trim of each one's calls (or
// bursts) left out. On a shared machine a call now and then waits for the
// processor for milliseconds, whichever contender makes it; such waits
// add noise and pull every ratio towards 1, and trimming leaves them out.
// It also leaves out some of the slowest calls that are a contender's own
// doing, such as those that help the garbage collector, so it is reported
// next to the untrimmed ratio, not instead of it.
func (r *Result) TrimmedRatios(a, b int, trim float64) []float64 {
	out := make([]float64, len(r.Times))
	for s, seg := range r.Times {
		out[s] = trimmedSum(seg[a], trim) / trimmedSum(seg[b], trim)
	}
	return out
}

// trimmedSum adds up ts without its slowest fraction trim.
func trimmedSum(ts []time.Duration, trim float64) float64 {
	keep := len(ts) - int(trim*float64(len(ts)))
	if keep < len(ts) {
		ts = slices.Clone(ts)
		slices.Sort(ts)
	}
	var sum time.Duration
	for _, t := range ts[:keep] {
		sum += t
	}
	return float64(sum)
}

// PerCall returns, per segment, contender c's mean time per call in
// nanoseconds.
func (r *Result) PerCall(c int) []float64 {
	out := make([]float64, len(r.Times))
	for s, seg := range r.Times {
		out[s] = trimmedSum(seg[c], 0) / float64(r.Calls)
	}
	return out
}
