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
	assert.Len(t, res.Time, 2)
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
	for s, seg := range res.Time {
		for c, d := range sleeps {
			assert.GreaterOrEqual(t, seg[c], 2*d, "segment %d, contender %d", s, c)
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
	_, err = RunParallel(Config{Segments: 1, Rounds: 1}, 4, 2, []Contender{ok, bad})
	require.ErrorIs(t, err, boom)
	assert.Equal(t, int32(8), calls.Load(), "the burst before the failing one")
}

func TestConfigIsChecked(t *testing.T) {
	two := []Contender{{Name: "a", Call: func() error { return nil }}, {Name: "b", Call: func() error { return nil }}}
	for _, cfg := range []Config{{Segments: 0, Rounds: 1}, {Segments: 1, Rounds: 0}, {Segments: 1, Rounds: 1, Warmup: -1}} {
		_, err := Run(cfg, two)
		assert.Error(t, err, "%+v", cfg)
	}
	_, err := Run(Config{Segments: 1, Rounds: 1}, two[:1])
	assert.Error(t, err, "one contender")
	_, err = RunParallel(Config{Segments: 1, Rounds: 1}, 0, 1, two)
	assert.Error(t, err, "no workers")
}

func TestRunParallelRunsBurstsInTurn(t *testing.T) {
	var mu sync.Mutex
	var seq []string
	mk := func(name string) Contender {
		return Contender{Name: name, Call: func() error {
			mu.Lock()
			seq = append(seq, name)
			mu.Unlock()
			return nil
		}}
	}
	res, err := RunParallel(Config{Segments: 2, Rounds: 1, Warmup: 1}, 8, 3, []Contender{mk("a"), mk("b")})
	require.NoError(t, err)
	assert.Equal(t, 24, res.Calls)
	require.Len(t, seq, 3*2*24)
	// Bursts do not overlap: each is 24 calls of one contender, and the
	// order of the timed rounds rotates.
	want := []string{"a", "b", "a", "b", "b", "a"}
	for i, name := range want {
		for _, got := range seq[i*24 : (i+1)*24] {
			require.Equal(t, name, got, "burst %d", i)
		}
	}
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
	a := &Result{Names: []string{"x", "y"}, Time: [][]time.Duration{{1, 2}}, Calls: 7}
	all.Append(a)
	all.Append(a)
	assert.Equal(t, a.Names, all.Names)
	assert.Equal(t, 7, all.Calls)
	assert.Equal(t, []float64{0.5, 0.5}, all.Ratios(0, 1))
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
