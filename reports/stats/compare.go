package stats

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Test names the two-sample test that decides whether a change is
// significant.
type Test int

const (
	// Welch is Welch's unequal-variance t-test (WelchTTest): it compares
	// means and suits metrics whose seed-to-seed noise is roughly normal.
	Welch Test = iota
	// MannWhitney is the Mann–Whitney U rank-sum test (MannWhitneyU), the
	// test benchstat uses: it assumes no distribution, but with few seeds
	// it cannot reach small p-values at all.
	MannWhitney
)

// ParseTest reads "welch" (also "t", "ttest") or "mann-whitney" (also
// "mannwhitney", "mwu", "utest"); ok is false for anything else.
func ParseTest(s string) (t Test, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "welch", "t", "ttest", "t-test":
		return Welch, true
	case "mann-whitney", "mannwhitney", "mwu", "utest", "u-test":
		return MannWhitney, true
	}
	return Welch, false
}

func (t Test) String() string {
	if t == MannWhitney {
		return "mann-whitney"
	}
	return "welch"
}

// Verdict is what a comparison concludes about the candidate.
type Verdict int

const (
	NoChange  Verdict = iota // not significant, or smaller than the smallest change that counts
	Improved                 // significantly better in the goal's direction, by more than MinChange
	Regressed                // significantly worse in the goal's direction, by more than MinChange
)

func (v Verdict) String() string {
	switch v {
	case Improved:
		return "improved"
	case Regressed:
		return "regressed"
	}
	return "~"
}

// Defaults of CompareOptions, used where a field is zero.
const (
	DefaultAlpha     = 0.05
	DefaultMinChange = 0.01
)

// CompareOptions says how Compare decides. The zero value is a Welch test
// at alpha 0.05 with a 1% threshold, for a metric to minimize.
type CompareOptions struct {
	Test      Test    // the test that gives P; default Welch
	Alpha     float64 // significance level, in (0, 1); 0 means DefaultAlpha (0.05)
	MinChange float64 // smallest |Change| that counts, as a fraction of |base mean|; 0 means DefaultMinChange (0.01, 1%); negative means any significant change counts
	Goal      Goal    // the metric's better direction; default Minimize
	Level     float64 // confidence level of the change's interval and of the summaries, in (0, 1); 0 means DefaultLevel (0.95)
}

// Comparison is the comparison of one metric of one configuration between
// a base and a candidate sample, with the caveats that qualify it.
type Comparison struct {
	Base, Candidate Summary // of each side's finite values, at Level

	// BaseDropped and CandidateDropped count the non-finite values (NaN,
	// ±Inf) left out of each side; a drop is also a warning.
	BaseDropped, CandidateDropped int

	// Change is the candidate's mean relative to the base's,
	//
	//	(mean(cand) − mean(base)) / |mean(base)|
	//
	// so a positive change is a higher value whatever the goal or the
	// sign of the base. It is NaN when the base mean is 0 or undefined.
	Change float64

	// ChangeLow and ChangeHigh bound Change at Level: Welch's interval
	// for the difference of means, divided by |mean(base)|,
	//
	//	(d ± t(1 − (1 − Level)/2; df) · √(vb/nb + vc/nc)) / |mean(base)|
	//
	// with d, df as in WelchTTest (whatever Test is). Treating the base
	// mean as a fixed scale ignores its own noise, which is small next to
	// the difference's when the base's coefficient of variation is small,
	// as it is for the seeds of a benchmark; in exchange the interval
	// excludes 0 exactly when Welch's p is below 1 − Level. NaN when
	// Change is, or when a side has fewer than two values.
	ChangeLow, ChangeHigh float64

	Test    Test    // the test that gave P
	P       float64 // two-sided p-value; NaN when a side has fewer than two values
	Alpha   float64 // the significance level applied
	Level   float64 // the confidence level of the interval
	Verdict Verdict

	// Warnings are the caveats: values dropped, too few samples for the
	// test to run or to reach Alpha, ties that forced an approximation, a
	// base mean of 0. An empty list means none apply.
	Warnings []string
}

// Compare compares cand against base, samples of one metric of one
// configuration over seeds, and returns the verdict with its caveats.
//
// Non-finite values are dropped, counted and warned about. With fewer than
// two values on a side no test is run: P is NaN, the verdict NoChange and a
// warning says so. Otherwise P comes from opt.Test, and the verdict is
//
//   - Regressed when P < Alpha and Change is worse than MinChange in the
//     goal's direction (Change < −MinChange when maximizing, > MinChange
//     when minimizing);
//   - Improved when P < Alpha and Change is better by more than MinChange;
//   - NoChange otherwise.
//
// When the base mean is 0 the relative change is undefined: the direction
// comes from the sign of the difference of means, MinChange does not
// apply, and a warning says so. The direction is always that of the means,
// also under MannWhitney.
//
// With MannWhitney, when even the most extreme ranking of samples of these
// sizes could not give P < Alpha, a warning says how many samples it
// takes, as benchstat does.
func Compare(base, cand []float64, opt CompareOptions) Comparison {
	if opt.Test != MannWhitney {
		opt.Test = Welch
	}
	if !(opt.Alpha > 0 && opt.Alpha < 1) {
		opt.Alpha = DefaultAlpha
	}
	if opt.MinChange == 0 {
		opt.MinChange = DefaultMinChange
	}
	if !(opt.Level > 0 && opt.Level < 1) {
		opt.Level = DefaultLevel
	}
	nan := math.NaN()
	c := Comparison{
		Change: nan, ChangeLow: nan, ChangeHigh: nan,
		Test: opt.Test, P: nan, Alpha: opt.Alpha, Level: opt.Level,
	}
	base, c.BaseDropped = finiteValues(base)
	cand, c.CandidateDropped = finiteValues(cand)
	c.Base = Summarize(base, opt.Level)
	c.Candidate = Summarize(cand, opt.Level)
	for _, d := range []struct {
		side string
		n    int
	}{{"base", c.BaseDropped}, {"candidate", c.CandidateDropped}} {
		if d.n > 0 {
			c.Warnings = append(c.Warnings, fmt.Sprintf("%s: dropped %d non-finite %s (NaN or ±Inf)", d.side, d.n, plural(d.n, "value")))
		}
	}

	nb, nc := len(base), len(cand)
	diff := c.Candidate.Mean - c.Base.Mean
	scale := math.Abs(c.Base.Mean)
	if nb > 0 && nc > 0 && scale != 0 {
		c.Change = diff / scale
	}
	if nb < 2 || nc < 2 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("too few samples for a test: base has %d, candidate has %d; need >= 2 on each side", nb, nc))
		return c
	}
	if scale == 0 {
		c.Warnings = append(c.Warnings, "base mean is 0: the relative change is undefined; the verdict rests on p and the sign of the difference")
	}

	_, df, pWelch := WelchTTest(base, cand)
	if scale != 0 {
		// Welch's interval for mean(cand) − mean(base); WelchTTest's df is
		// symmetric in its arguments.
		se := math.Sqrt(c.Base.SD*c.Base.SD/float64(nb) + c.Candidate.SD*c.Candidate.SD/float64(nc))
		half := 0.0
		if se != 0 {
			half = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(1-(1-opt.Level)/2) * se
		}
		c.ChangeLow, c.ChangeHigh = (diff-half)/scale, (diff+half)/scale
	}

	switch opt.Test {
	case MannWhitney:
		var exact bool
		_, c.P, exact = mannWhitneyU(base, cand)
		if minP := mannWhitneyMinP(nb, nc); !(minP < opt.Alpha) {
			c.Warnings = append(c.Warnings, fmt.Sprintf("need >= %d samples to detect a difference at alpha level %s: with %d and %d the smallest possible p is %.3g",
				mannWhitneyNeed(opt.Alpha), strconv.FormatFloat(opt.Alpha, 'g', -1, 64), nb, nc, minP))
		}
		if !exact && (nb <= mannWhitneyExactMax || nc <= mannWhitneyExactMax) {
			c.Warnings = append(c.Warnings, "ties among the values: p is the normal approximation, not the exact distribution")
		}
	default:
		c.P = pWelch
	}

	if !(c.P < opt.Alpha) {
		return c
	}
	higher, lower := diff > 0, diff < 0
	if scale != 0 && opt.MinChange > 0 {
		higher, lower = c.Change > opt.MinChange, c.Change < -opt.MinChange
	}
	switch {
	case higher && opt.Goal == Maximize, lower && opt.Goal == Minimize:
		c.Verdict = Improved
	case higher, lower:
		c.Verdict = Regressed
	}
	return c
}

// mannWhitneyMinP returns the smallest two-sided p that MannWhitneyU can
// give for samples of sizes na and nb: that of two samples without ties,
// one entirely below the other.
func mannWhitneyMinP(na, nb int) float64 {
	a := make([]float64, na)
	b := make([]float64, nb)
	for i := range a {
		a[i] = float64(i)
	}
	for i := range b {
		b[i] = float64(na + i)
	}
	_, p := MannWhitneyU(a, b)
	return p
}

// mannWhitneyNeed returns the smallest n for which two samples of n values
// can give a MannWhitneyU p below alpha: 4 at alpha 0.05, as benchstat says.
func mannWhitneyNeed(alpha float64) int {
	n := 2
	for ; n < 1000 && !(mannWhitneyMinP(n, n) < alpha); n++ {
	}
	return n
}

// finiteValues returns xs without its NaN and ±Inf values, and how many it
// left out. It copies only when something must be dropped.
func finiteValues(xs []float64) ([]float64, int) {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			out := make([]float64, i, len(xs))
			copy(out, xs[:i])
			for _, y := range xs[i+1:] {
				if !math.IsNaN(y) && !math.IsInf(y, 0) {
					out = append(out, y)
				}
			}
			return out, len(xs) - len(out)
		}
	}
	return xs, 0
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
