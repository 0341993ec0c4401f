package stats

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// WelchTTest returns Welch's unequal-variance t statistic of a against b,
// its Welch–Satterthwaite degrees of freedom and the two-sided p-value,
// matching scipy.stats.ttest_ind(a, b, equal_var=False):
//
//	t  = (mean(a) − mean(b)) / √(va/na + vb/nb)
//	df = (va/na + vb/nb)² / ((va/na)²/(na − 1) + (vb/nb)²/(nb − 1))
//	p  = 2 · F(−|t|; df)
//
// where va and vb are the sample variances (n − 1) and F is the Student t
// distribution function (gonum's distuv.StudentsT; scipy uses stdtr).
// The values should be finite; Compare drops those that are not.
//
// Degenerate cases are decided, not left to 0/0:
//   - fewer than two values on a side: no variance, so t, df and p are NaN
//     (scipy gives NaN too); the caller says why;
//   - both samples constant: df is 0/0 and, as in scipy, reported as 1
//     (any df gives the same p). If the constants differ, t is ±Inf and
//     p = 0, as scipy returns; if they are equal, t = 0 and p = 1, where
//     scipy returns NaN: identical measurements are no evidence of a
//     difference.
//
// Constancy is checked on the values, not on a computed variance, which
// rounding can leave a hair above zero.
func WelchTTest(a, b []float64) (t, df, p float64) {
	na, nb := float64(len(a)), float64(len(b))
	if len(a) < 2 || len(b) < 2 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	ma, va := meanVariance(a)
	mb, vb := meanVariance(b)
	if va == 0 && vb == 0 {
		switch {
		case ma == mb:
			return 0, 1, 1
		case ma > mb:
			return math.Inf(1), 1, 0
		}
		return math.Inf(-1), 1, 0
	}
	vna, vnb := va/na, vb/nb
	df = (vna + vnb) * (vna + vnb) / (vna*vna/(na-1) + vnb*vnb/(nb-1))
	t = (ma - mb) / math.Sqrt(vna+vnb)
	return t, df, 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.CDF(-math.Abs(t))
}

// meanVariance returns the mean and the sample variance (n − 1) of xs,
// exactly xs[0] and 0 when every value is the same.
func meanVariance(xs []float64) (mean, variance float64) {
	constant := true
	for _, x := range xs[1:] {
		if x != xs[0] {
			constant = false
			break
		}
	}
	if constant {
		return xs[0], 0
	}
	return stat.MeanVariance(xs, nil)
}
