package stats

import (
	"math"
	"slices"
)

// MannWhitneyU returns the Mann–Whitney U statistic of a and the
// two-sided p-value of the rank-sum test of a against b, matching
// scipy.stats.mannwhitneyu(a, b, alternative='two-sided') with its
// defaults, method='auto' and use_continuity=True (SciPy 1.7 and later;
// checked against SciPy 1.10.1):
//
//	U  = R_a − na(na + 1)/2        (R_a: the sum of a's ranks in a ∪ b, ties averaged)
//	U' = max(U, na·nb − U)
//
// When there are no ties and one sample has at most 8 values, p is exact:
//
//	p = min(1, 2 · P(U ≥ U'))
//
// under the null distribution of U (Mann and Whitney 1947, by the
// recurrence of Di Bucchianico 1999, Theorem 2.5, as scipy computes it).
// Otherwise p is the normal approximation with tie and continuity
// corrections:
//
//	z = (U' − na·nb/2 − 1/2) / √(na·nb/12 · ((n + 1) − Σ(t³ − t)/(n(n − 1))))
//	p = min(1, 2 · (1 − Φ(z)))
//
// where n = na + nb and t runs over the sizes of groups of tied values.
// When every value is the same, z is −Inf and p = 1.
//
// The values should be finite; Compare drops those that are not. An empty
// sample gives NaN for both (scipy raises an error).
func MannWhitneyU(a, b []float64) (u, p float64) {
	u, p, _ = mannWhitneyU(a, b)
	return u, p
}

// mannWhitneyExactMax is the size at or below which one sample must be for
// scipy's method='auto' to use the exact distribution (absent ties).
const mannWhitneyExactMax = 8

// mannWhitneyU is MannWhitneyU that also says whether p is exact.
func mannWhitneyU(a, b []float64) (u, p float64, exact bool) {
	na, nb := len(a), len(b)
	if na == 0 || nb == 0 {
		return math.NaN(), math.NaN(), false
	}
	type value struct {
		x     float64
		fromA bool
	}
	all := make([]value, 0, na+nb)
	for _, x := range a {
		all = append(all, value{x, true})
	}
	for _, x := range b {
		all = append(all, value{x, false})
	}
	slices.SortFunc(all, func(p, q value) int {
		switch {
		case p.x < q.x:
			return -1
		case p.x > q.x:
			return 1
		}
		return 0
	})
	var rankSumA, tieTerm float64
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].x == all[i].x {
			j++
		}
		// Values i..j−1 share the ranks i+1..j; each gets their mean.
		rank := float64(i+1+j) / 2
		for _, v := range all[i:j] {
			if v.fromA {
				rankSumA += rank
			}
		}
		if t := float64(j - i); t > 1 {
			tieTerm += t*t*t - t
		}
		i = j
	}
	fa, fb := float64(na), float64(nb)
	u = rankSumA - fa*(fa+1)/2
	upper := max(u, fa*fb-u)

	if tieTerm == 0 && (na <= mannWhitneyExactMax || nb <= mannWhitneyExactMax) {
		return u, min(1, 2*mannWhitneyUpperTail(int(upper), na, nb)), true
	}
	n := fa + fb
	s := math.Sqrt(fa * fb / 12 * ((n + 1) - tieTerm/(n*(n-1))))
	z := (upper - fa*fb/2 - 0.5) / s
	return u, min(1, 2*0.5*math.Erfc(z/math.Sqrt2)), false
}

// mannWhitneyUpperTail returns P(U ≥ k) under the null hypothesis for
// samples of sizes m and n without ties. It counts the orderings of m
// values of one sample among n of the other with f(i, j, k), the number
// with statistic k for sizes i and j:
//
//	f(i, j, k) = f(i − 1, j, k − j) + f(i, j − 1, k),  f(i, j, 0) = 1
//
// over j = 1…n with i ≤ min(m, n), in float64 as scipy does: the counts
// grow like C(m + n, m), and only their ratios matter.
func mannWhitneyUpperTail(k, m, n int) float64 {
	if m > n {
		m, n = n, m
	}
	// f[i][k] holds f(i, j, k) for the j of the current pass.
	f := make([][]float64, m+1)
	for i := range f {
		f[i] = make([]float64, i*n+1)
		f[i][0] = 1
	}
	for j := 1; j <= n; j++ {
		for i := 1; i <= m; i++ {
			prev, cur := f[i-1], f[i]
			// prev already holds f(i − 1, j, ·): i − 1 came first in this pass.
			for kk := j; kk <= i*j; kk++ {
				cur[kk] += prev[kk-j]
			}
		}
	}
	counts := f[m]
	if k <= 0 {
		return 1
	}
	if k >= len(counts) {
		return 0
	}
	var tail, total float64
	// Smallest terms first for the least rounding.
	for kk := len(counts) - 1; kk >= 0; kk-- {
		total += counts[kk]
		if kk == k {
			tail = total
		}
	}
	return tail / total
}
