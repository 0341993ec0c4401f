package stats

import (
	"math"
	"sync"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// DefaultLevel is the confidence level used when none is given.
const DefaultLevel = 0.95

// Summary describes a sample of one metric over seeds.
type Summary struct {
	N         int     // finite values summarized
	Mean      float64 // NaN when N = 0
	SD        float64 // sample standard deviation (n−1); NaN when N < 2
	Low, High float64 // two-sided confidence interval for the mean; NaN when N < 2
	Level     float64 // confidence level of [Low, High], e.g. 0.95
}

// Summarize returns the mean, sample standard deviation and the two-sided
// Student t confidence interval for the mean of the finite values of xs,
//
//	mean ± t(1 − (1 − level)/2; n − 1) · sd / √n
//
// Non-finite values are skipped. A level outside (0, 1) means DefaultLevel.
// With fewer than two values there is no spread, and SD, Low and High are
// NaN: a caveat for the caller to report, not an error.
func Summarize(xs []float64, level float64) Summary {
	if !(level > 0 && level < 1) {
		level = DefaultLevel
	}
	nan := math.NaN()
	s := Summary{Mean: nan, SD: nan, Low: nan, High: nan, Level: level}
	finite := xs
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			// Copy only when something must be dropped; the common case
			// allocates nothing.
			finite = make([]float64, i, len(xs))
			copy(finite, xs[:i])
			for _, y := range xs[i+1:] {
				if !math.IsNaN(y) && !math.IsInf(y, 0) {
					finite = append(finite, y)
				}
			}
			break
		}
	}
	s.N = len(finite)
	switch s.N {
	case 0:
		return s
	case 1:
		s.Mean = finite[0]
		return s
	}
	s.Mean, s.SD = stat.MeanStdDev(finite, nil)
	half := TQuantile(1-(1-level)/2, s.N-1) * s.SD / math.Sqrt(float64(s.N))
	s.Low, s.High = s.Mean-half, s.Mean+half
	return s
}

// TQuantile returns the p-quantile of the standard Student t distribution
// with df degrees of freedom, from gonum's distuv.StudentsT. Small df at the
// usual levels are cached: reports ask for the same few values thousands of
// times.
func TQuantile(p float64, df int) float64 {
	if df < 1 {
		return math.NaN()
	}
	if p == 0.975 && df < t975Size {
		return t975()[df]
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(p)
}

const t975Size = 128

// t975 caches the 0.975-quantile (95% two-sided) for 1 ≤ df < t975Size,
// computed on first use.
var t975 = sync.OnceValue(func() []float64 {
	out := make([]float64, t975Size)
	out[0] = math.NaN()
	for df := 1; df < len(out); df++ {
		out[df] = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
	}
	return out
})
