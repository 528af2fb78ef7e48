package interleave

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunRotatesTheOrderCallByCall(t *testing.T) {
	var seq []string
	mk := func(name string) Contender {
		return Contender{Name: name, Call: func() error { seq = append(seq, name); return nil }}
	}
	res, err := Run(Config{Segments: 2, Rounds: 2, Warmup: 1}, []Contender{mk("a"), mk("b"), mk("c")})
	require.NoError(t, err)
	// One warm-up round, then two segments of two rounds; each timed round
	// starts one contender further on than the one before.
	assert.Equal(t, []string{
		"a", "b", "c", // warm-up
		"a", "b", "c", "b", "c", "a", // segment 0
		"c", "a", "b", "a", "b", "c", // segment 1
	}, seq)
	assert.Equal(t, []string{"a", "b", "c"}, res.Names)
	require.Len(t, res.Times, 2)
	for _, seg := range res.Times {
		for c := range seg {
			assert.Len(t, seg[c], 2, "a time per call")
		}
	}
	assert.Equal(t, 2, res.Calls)
}

func TestRunCreditsEachContenderWithItsOwnTime(t *testing.T) {
	// Sleep lasts at least as long as asked, and nothing bounds it above on
	// a loaded machine, so only lower bounds are checked. With sleeps of
	// distinct lengths they still catch time credited to the wrong
	// contender: some contender would then get less than it slept.
	sleeps := []time.Duration{time.Millisecond, 3 * time.Millisecond, 9 * time.Millisecond}
	cs := make([]Contender, len(sleeps))
	for i, d := range sleeps {
		cs[i] = Contender{Name: d.String(), Call: func() error { time.Sleep(d); return nil }}
	}
	res, err := Run(Config{Segments: 2, Rounds: 2}, cs)
	require.NoError(t, err)
	for s, seg := range res.Times {
		for c, d := range sleeps {
			for _, got := range seg[c] {
				assert.GreaterOrEqual(t, got, d, "segment %d, contender %d", s, c)
			}
		}
	}
	for c, d := range sleeps {
		for _, ns := range res.PerCall(c) {
			assert.GreaterOrEqual(t, ns, float64(d), "contender %d", c)
		}
	}
}

func TestRunStopsAtTheFirstError(t *testing.T) {
	boom := errors.New("boom")
	var calls atomic.Int32
	ok := Contender{Name: "ok", Call: func() error { calls.Add(1); return nil }}
	bad := Contender{Name: "bad", Call: func() error { return boom }}
	_, err := Run(Config{Segments: 5, Rounds: 5}, []Contender{ok, bad})
	require.ErrorIs(t, err, boom)
	assert.Contains(t, err.Error(), "bad")
	assert.Equal(t, int32(1), calls.Load())

	calls.Store(0)
	_, err = RunParallel(Config{Segments: 1, Rounds: 1}, 4, []Contender{ok, bad})
	require.ErrorIs(t, err, boom)
	assert.Contains(t, err.Error(), "bad")
}

func TestConfigIsChecked(t *testing.T) {
	two := []Contender{{Name: "a", Call: func() error { return nil }}, {Name: "b", Call: func() error { return nil }}}
	for _, cfg := range []Config{{Segments: 0, Rounds: 1}, {Segments: 1, Rounds: 0}, {Segments: 1, Rounds: 1, Warmup: -1}} {
		_, err := Run(cfg, two)
		assert.Error(t, err, "%+v", cfg)
	}
	_, err := Run(Config{Segments: 1, Rounds: 1}, two[:1])
	assert.Error(t, err, "one contender")
	_, err = RunParallel(Config{Segments: 1, Rounds: 1}, 0, two)
	assert.Error(t, err, "no workers")
}

func TestRunParallelRotatesEveryWorker(t *testing.T) {
	const workers = 3
	mk := func(name string) Contender {
		return Contender{Name: name, Call: func() error { return nil }}
	}
	cs := []Contender{mk("a"), mk("b"), mk("c")}
	res, err := RunParallel(Config{Segments: 2, Rounds: 4, Warmup: 1}, workers, cs)
	require.NoError(t, err)
	assert.Equal(t, 12, res.Calls)
	require.Len(t, res.Times, 2)
	for s, seg := range res.Times {
		for c := range seg {
			assert.Len(t, seg[c], 12, "segment %d, contender %d: a time per call", s, c)
		}
	}

	// Each worker's first call waits until every worker has made its
	// first: the segment only completes if they run at once. They record
	// which contender they called first.
	var (
		arrived sync.WaitGroup
		calls   atomic.Int32
		mu      sync.Mutex
		firsts  []string
	)
	arrived.Add(workers)
	seq := make([]Contender, len(cs))
	for i, c := range cs {
		seq[i] = Contender{Name: c.Name, Call: func() error {
			if calls.Add(1) <= workers {
				mu.Lock()
				firsts = append(firsts, c.Name)
				mu.Unlock()
				arrived.Done()
				arrived.Wait()
			}
			return nil
		}}
	}
	_, err = RunParallel(Config{Segments: 1, Rounds: 1}, workers, seq)
	require.NoError(t, err)
	// The workers start one contender apart: their first calls are of
	// every contender.
	assert.ElementsMatch(t, []string{"a", "b", "c"}, firsts)
}

func TestBurstRunsItsWorkersConcurrently(t *testing.T) {
	// The first call of every worker waits until all workers have made
	// theirs: the burst only completes if they all run at once.
	const workers = 8
	var calls atomic.Int32
	var arrived sync.WaitGroup
	arrived.Add(workers)
	err := Burst(workers, 3, func() error {
		if calls.Add(1) <= workers {
			arrived.Done()
			arrived.Wait()
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, int32(workers*3), calls.Load())
}

func TestResultAppend(t *testing.T) {
	var all Result
	a := &Result{Names: []string{"x", "y"}, Times: [][][]time.Duration{{{1}, {2}}}, Calls: 1}
	all.Append(a)
	all.Append(a)
	assert.Equal(t, a.Names, all.Names)
	assert.Equal(t, 1, all.Calls)
	assert.Equal(t, []float64{0.5, 0.5}, all.Ratios(0, 1))
}

func TestRatiosTrimmedAndNot(t *testing.T) {
	ms := func(ds ...int) []time.Duration {
		out := make([]time.Duration, len(ds))
		for i, d := range ds {
			out[i] = time.Duration(d) * time.Millisecond
		}
		return out
	}
	r := &Result{Times: [][][]time.Duration{
		// x's slowest call waited for the processor; y's calls did not.
		{ms(9, 11, 10, 10, 100, 10, 11, 9, 10, 10), ms(10, 10, 10, 10, 10, 10, 10, 10, 10, 10)},
		{ms(2, 2), ms(1, 1)},
	}, Calls: 10}
	assert.InDeltaSlice(t, []float64{1.9, 2.0}, r.Ratios(0, 1), 1e-9)
	// A tenth trimmed: the slowest of each one's ten calls goes; of two
	// calls, none does.
	assert.InDeltaSlice(t, []float64{1.0, 2.0}, r.TrimmedRatios(0, 1, 0.1), 1e-9)
	assert.Equal(t, ms(9, 11, 10, 10, 100, 10, 11, 9, 10, 10), r.Times[0][0], "the times are left in their order")
	assert.InDeltaSlice(t, []float64{float64(19 * time.Millisecond), float64(400 * time.Microsecond)}, r.PerCall(0), 1e-6)
}

func TestSummarize(t *testing.T) {
	s := Summarize([]float64{5, 1, 4, 2, 3})
	assert.Equal(t, Summary{Min: 1, Q1: 2, Median: 3, Q3: 4, Max: 5, N: 5}, s)
	s = Summarize([]float64{4, 1, 3, 2})
	assert.Equal(t, Summary{Min: 1, Q1: 1.75, Median: 2.5, Q3: 3.25, Max: 4, N: 4}, s)
	assert.Equal(t, Summary{Min: 7, Q1: 7, Median: 7, Q3: 7, Max: 7, N: 1}, Summarize([]float64{7}))
	assert.Equal(t, Summary{}, Summarize(nil))
	assert.Equal(t, "3.000 (1.000..5.000, IQR 2.000..4.000, n=5)", Summarize([]float64{1, 2, 3, 4, 5}).String())
}

var sink []*[64]byte

func TestMeasureAllocsCountsPerCall(t *testing.T) {
	// Each run makes two calls of three allocations each.
	run := func() error {
		sink = sink[:0]
		for i := 0; i < 6; i++ {
			sink = append(sink, new([64]byte))
		}
		return nil
	}
	sink = make([]*[64]byte, 0, 6)
	a, err := MeasureAllocs(1000, 2, run)
	require.NoError(t, err)
	assert.InDelta(t, 3, a.Objects, 0.05)
	assert.InDelta(t, 3*64, a.Bytes, 5)

	boom := errors.New("boom")
	_, err = MeasureAllocs(10, 1, func() error { return boom })
	assert.ErrorIs(t, err, boom)
	_, err = MeasureAllocs(0, 1, run)
	assert.Error(t, err)
}
