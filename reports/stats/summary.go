package stats

import (
	"math"
	"sync"

	"github.com/optbench/optbench/engine/metric"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// DefaultLevel is the confidence level used when none is given.
const DefaultLevel = 0.95

// MinIntervalSeeds is the fewest values SummarizeIn computes an interval
// from. With two seeds the t quantile is 12.7 (95%) and the interval is
// the spread of the two values times nine: noise, not evidence.
const MinIntervalSeeds = 3

// Interval names how a Summary's Low and High were computed.
type Interval uint8

const (
	NoInterval Interval = iota // too few values: Low and High are NaN
	StudentT                   // mean ± t·sd/√n on the values
	LogT                       // the Student t interval of the mean of log(x), back-transformed with exp
	LogitT                     // the Student t interval of the mean of logit(x), back-transformed with the logistic function
	ClippedT                   // the Student t interval on the values, clipped to the metric's range: a value on a bound leaves log or logit undefined
)

func (m Interval) String() string {
	switch m {
	case StudentT:
		return "Student t"
	case LogT:
		return "Student t on the log scale"
	case LogitT:
		return "Student t on the logit scale"
	case ClippedT:
		return "Student t clipped to the range"
	}
	return "none"
}

// Summary describes a sample of one metric over seeds.
type Summary struct {
	N         int      // finite values summarized
	Mean      float64  // NaN when N = 0
	SD        float64  // sample standard deviation (n−1); NaN when N < 2
	Low, High float64  // two-sided confidence interval; NaN when there is none (see Interval)
	Level     float64  // confidence level of [Low, High], e.g. 0.95
	Interval  Interval // how Low and High were computed
}

// SummarizeIn is Summarize for a metric whose values lie in r, with an
// interval that never leaves r and none below MinIntervalSeeds values.
// The interval is a Student t interval on a scale on which the range is
// the whole real line, mapped back (Bland and Altman, "Transformations,
// means, and confidence intervals", BMJ 1996;312:1079):
//
//	metric.Fraction:    logistic(m ± t(1 − (1 − level)/2; n − 1) · s / √n),  m, s of logit(x) = log(x / (1 − x))
//	metric.NonNegative: exp(m ± t(1 − (1 − level)/2; n − 1) · s / √n),       m, s of log(x)
//	metric.Real:        mean ± t(1 − (1 − level)/2; n − 1) · sd / √n
//
// The t quantile keeps the interval honest with few seeds (4.30 at n = 3,
// 95%), and the transform keeps it inside the range and lets it be
// asymmetric, as a sample near a bound is. Back-transformed, it bounds
// the mean on the transformed scale (the geometric mean for log), which
// is close to but not the arithmetic mean that Mean reports; a percentile
// bootstrap would bound the latter, but with 3 to 5 seeds it is no wider
// than the sample's range and covers well below its nominal level.
//
// When a value lies on a bound (an accuracy of exactly 0 or 1, a loss of
// exactly 0) the transform is undefined there, and the interval is the
// Student t interval on the values clipped to r (ClippedT). When a value
// lies outside r the declaration does not hold for the sample, and the
// interval is the plain Student t one (StudentT).
func SummarizeIn(xs []float64, level float64, r metric.Range) Summary {
	s := Summarize(xs, level)
	if s.N < MinIntervalSeeds {
		s.Low, s.High, s.Interval = math.NaN(), math.NaN(), NoInterval
		return s
	}
	if r != metric.NonNegative && r != metric.Fraction {
		return s
	}
	finite, _ := finiteValues(xs)
	onBound := false
	for _, x := range finite {
		if x < 0 || (r == metric.Fraction && x > 1) {
			return s
		}
		onBound = onBound || x == 0 || (r == metric.Fraction && x == 1)
	}
	if onBound {
		s.Low = max(s.Low, 0)
		if r == metric.Fraction {
			s.High = min(s.High, 1)
		}
		s.Interval = ClippedT
		return s
	}
	to, from, method := math.Log, math.Exp, LogT
	if r == metric.Fraction {
		to, from, method = logit, logistic, LogitT
	}
	ys := make([]float64, len(finite))
	for i, x := range finite {
		ys[i] = to(x)
	}
	m, sd := stat.MeanStdDev(ys, nil)
	half := TQuantile(1-(1-s.Level)/2, s.N-1) * sd / math.Sqrt(float64(s.N))
	s.Low, s.High, s.Interval = from(m-half), from(m+half), method
	return s
}

func logit(p float64) float64    { return math.Log(p / (1 - p)) }
func logistic(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

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
	s.Low, s.High, s.Interval = s.Mean-half, s.Mean+half, StudentT
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
