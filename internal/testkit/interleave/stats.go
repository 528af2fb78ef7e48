package interleave

import (
	"fmt"
	"slices"
)

// This file summarises the per-segment figures of a measurement.

// Summary is the spread of a sample.
type Summary struct {
	Min, Q1, Median, Q3, Max float64
	N                        int
}

// Summarize returns the median, quartiles and extremes of xs; the quartiles
// are interpolated between order statistics (type 7, as R and NumPy do by
// default). The zero Summary stands for an empty xs.
func Summarize(xs []float64) Summary {
	if len(xs) == 0 {
		return Summary{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return Summary{
		Min:    s[0],
		Q1:     quantile(s, 0.25),
		Median: quantile(s, 0.5),
		Q3:     quantile(s, 0.75),
		Max:    s[len(s)-1],
		N:      len(s),
	}
}

// quantile interpolates the q-quantile of the sorted s.
func quantile(s []float64, q float64) float64 {
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	frac := pos - float64(i)
	return s[i] + frac*(s[i+1]-s[i])
}

// String shows the median with the range and the interquartile range.
func (s Summary) String() string {
	return fmt.Sprintf("%.3f (%.3f..%.3f, IQR %.3f..%.3f, n=%d)", s.Median, s.Min, s.Max, s.Q1, s.Q3, s.N)
}
