package search

import (
	"math"
	"slices"

	"github.com/optbench/optbench/engine/rng"
)

// This file holds the pieces of the Tree-structured Parzen Estimator that
// TPE (tpe.go) fits to its observations: Optuna's default gamma and
// weights, the kernels of one dimension (truncated normals with magic-clip
// bandwidths, or categorical rows), and the mixture they form. They follow
// optuna/samplers/_tpe/sampler.py, parzen_estimator.py,
// probability_distributions.py and _truncnorm.py (Optuna 4.x).

// tpeGamma is Optuna's default_gamma: how many of n finished trials form
// the good group,
//
//	γ(n) = min(⌈0.1·n⌉, 25)
func tpeGamma(n int) int { return min((n+9)/10, 25) }

// tpeWeights is Optuna's default_weights: the weights of n observations
// in trial order, oldest first. The newest 25 weigh 1; before them the
// weights ramp linearly from 1/n (np.linspace(1/n, 1, n−25)).
func tpeWeights(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	if n < 25 {
		return w
	}
	ramp := n - 25
	lo := 1 / float64(n)
	for i := 0; i < ramp; i++ {
		switch {
		case ramp == 1:
			w[i] = lo // numpy's linspace of one point is its start
		case i == ramp-1:
			w[i] = 1 // linspace ends exactly at its stop
		default:
			w[i] = lo + float64(i)*(1-lo)/float64(ramp-1)
		}
	}
	return w
}

// tpePriorWeight is Optuna's prior_weight: the weight of the prior kernel
// next to each observation's weight.
const tpePriorWeight = 1.0

// mixtureWeights normalises the observations' weights with the prior's
// appended; with no observations the prior alone weighs 1.
func mixtureWeights(obs []float64) []float64 {
	if len(obs) == 0 {
		return []float64{1}
	}
	w := append(slices.Clone(obs), tpePriorWeight)
	var sum float64
	for _, v := range w {
		sum += v
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}

// kernels are the kernels of one dimension, one per observation and the
// prior last, in the transformed space (log for LogUniform, the value's
// index for a discrete domain).
type kernels struct {
	categorical bool
	// numeric: truncated normals N(mu, sigma) on [lo, hi]; with step 1
	// (discrete) a value x weighs the mass of [x−½, x+½] and lo, hi are
	// already widened by ½.
	mu, sigma []float64
	lo, hi    float64
	discrete  bool
	// categorical: row k is the probabilities of the choices under kernel k.
	probs [][]float64
}

// numericKernels places a truncated normal on each observation of a
// numeric dimension on [lo, hi] (widened by ½ when discrete, as Optuna
// widens by step/2) and the prior N((lo+hi)/2, hi−lo). Each bandwidth is
// the larger gap to its neighbours among the sorted observations and the
// ends, except that the smallest and largest observation take the gap to
// their inner neighbour (consider_endpoints=False), then clipped (magic
// clip) to
//
//	[(hi − lo) / min(100, 1 + n_kernels), hi − lo],   n_kernels = n + 1
func numericKernels(obs []float64, lo, hi float64, discrete bool) kernels {
	if discrete {
		lo, hi = lo-0.5, hi+0.5
	}
	n := len(obs)
	k := kernels{lo: lo, hi: hi, discrete: discrete, mu: make([]float64, n+1), sigma: make([]float64, n+1)}
	copy(k.mu, obs)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(obs[a], obs[b]) })
	ends := make([]float64, n+2) // lo, sorted observations, hi
	ends[0], ends[n+1] = lo, hi
	for i, j := range order {
		ends[i+1] = obs[j]
	}
	sorted := make([]float64, n)
	for i := range sorted {
		sorted[i] = max(ends[i+1]-ends[i], ends[i+2]-ends[i+1])
	}
	if n >= 2 {
		sorted[0] = ends[2] - ends[1]
		sorted[n-1] = ends[n] - ends[n-1]
	}
	minSigma := (hi - lo) / min(100, 1+float64(n+1))
	maxSigma := hi - lo
	for i, j := range order {
		k.sigma[j] = min(max(sorted[i], minSigma), maxSigma)
	}
	k.mu[n], k.sigma[n] = (lo+hi)/2, hi-lo
	return k
}

// categoricalKernels gives each observed choice c a row with weight
// prior/n_kernels on every choice plus 1 on c, normalised, and the prior a
// row of prior/n_kernels everywhere (uniform once normalised). With no
// observations the one row is uniform.
func categoricalKernels(obs []int, choices int) kernels {
	k := kernels{categorical: true}
	if len(obs) == 0 {
		row := make([]float64, choices)
		for i := range row {
			row[i] = 1 / float64(choices)
		}
		k.probs = [][]float64{row}
		return k
	}
	nk := float64(len(obs) + 1)
	k.probs = make([][]float64, len(obs)+1)
	for r := range k.probs {
		row := make([]float64, choices)
		for i := range row {
			row[i] = tpePriorWeight / nk
		}
		if r < len(obs) {
			row[obs[r]]++
		}
		var sum float64
		for _, v := range row {
			sum += v
		}
		for i := range row {
			row[i] /= sum
		}
		k.probs[r] = row
	}
	return k
}

// sample draws a value from kernel c: a categorical choice by the
// inverse of its cumulative probabilities, a numeric one by the inverse
// CDF of the truncated normal (Optuna's _truncnorm.rvs), rounded to the
// nearest index, halves to even as np.round does, when discrete.
func (k kernels) sample(c int, u float64) float64 {
	if k.categorical {
		row := k.probs[c]
		var cum float64
		for i, p := range row {
			cum += p
			if i == len(row)-1 || !(cum < u) {
				return float64(i)
			}
		}
	}
	mu, sigma := k.mu[c], k.sigma[c]
	x := mu + sigma*truncNormPPF(u, (k.lo-mu)/sigma, (k.hi-mu)/sigma)
	if k.discrete {
		lo, hi := k.lo+0.5, k.hi-0.5
		x = min(max(lo+math.RoundToEven(x-lo), lo), hi)
	}
	return x
}

// logPDF is the log density (numeric) or log probability (categorical,
// discrete) of x under kernel c.
func (k kernels) logPDF(c int, x float64) float64 {
	if k.categorical {
		return math.Log(k.probs[c][int(x)])
	}
	mu, sigma := k.mu[c], k.sigma[c]
	norm := logGaussMass((k.lo-mu)/sigma, (k.hi-mu)/sigma)
	if k.discrete {
		return logGaussMass((x-0.5-mu)/sigma, (x+0.5-mu)/sigma) - norm
	}
	z := (x - mu) / sigma
	return -z*z/2 - logSqrt2Pi - math.Log(sigma) - norm
}

// mixture is a Parzen estimator: weighted kernels over one or more
// dimensions, the same kernel index active in every dimension (a product
// of kernels per component, Optuna's _MixtureOfProductDistribution).
type mixture struct {
	weights []float64
	dims    []kernels
}

// sample draws n points: first each point's component, by the inverse of
// the cumulative weights (numpy's choice), then, dimension by dimension,
// each point's value. Draws come from r in that order.
func (m mixture) sample(r *rng.RandomState, n int) [][]float64 {
	comp := make([]int, n)
	for i := range comp {
		comp[i] = pickWeighted(m.weights, r.Float64())
	}
	pts := make([][]float64, n)
	for i := range pts {
		pts[i] = make([]float64, len(m.dims))
	}
	for d, k := range m.dims {
		for i := range pts {
			pts[i][d] = k.sample(comp[i], r.Float64())
		}
	}
	return pts
}

// logPDF is the log density of x under the mixture,
//
//	log Σ_k w_k Π_d p_kd(x_d)
//
// summed in log space from the largest term.
func (m mixture) logPDF(x []float64) float64 {
	terms := make([]float64, len(m.weights))
	best := math.Inf(-1)
	for c, w := range m.weights {
		t := math.Log(w)
		for d, k := range m.dims {
			t += k.logPDF(c, x[d])
		}
		terms[c] = t
		best = max(best, t)
	}
	if math.IsInf(best, -1) {
		return best
	}
	var sum float64
	for _, t := range terms {
		sum += math.Exp(t - best)
	}
	return best + math.Log(sum)
}

// pickWeighted returns the first index whose cumulative weight exceeds u,
// as numpy's choice(p=…) finds it (searchsorted right on the normalised
// cumulative sum).
func pickWeighted(w []float64, u float64) int {
	var cum float64
	for i, p := range w {
		cum += p
		if u < cum {
			return i
		}
	}
	return len(w) - 1
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

var logSqrt2Pi = 0.5 * math.Log(2*math.Pi)

// logNdtr is log Φ(z), the log of the standard normal CDF, accurate far
// into the left tail by the asymptotic series of Mills' ratio where
// erfc underflows.
func logNdtr(z float64) float64 {
	if z > -20 {
		return math.Log(0.5 * math.Erfc(-z/math.Sqrt2))
	}
	// Φ(z) ≈ φ(z)/|z| · (1 − 1/z² + 3/z⁴ − 15/z⁶ + 105/z⁸)
	z2 := z * z
	s := 1 - 1/z2 + 3/(z2*z2) - 15/(z2*z2*z2) + 105/(z2*z2*z2*z2)
	return -z2/2 - logSqrt2Pi - math.Log(-z) + math.Log(s)
}

// logGaussMass is log(Φ(b) − Φ(a)) for a < b, computed in whichever tail
// keeps it accurate (Optuna's _truncnorm._log_gauss_mass).
func logGaussMass(a, b float64) float64 {
	logDiff := func(hi, lo float64) float64 { return hi + math.Log1p(-math.Exp(lo-hi)) }
	switch {
	case b <= 0:
		return logDiff(logNdtr(b), logNdtr(a))
	case a > 0:
		return logDiff(logNdtr(-a), logNdtr(-b))
	}
	return math.Log1p(-0.5*math.Erfc(-a/math.Sqrt2) - 0.5*math.Erfc(b/math.Sqrt2))
}

// truncNormPPF is the quantile q of the standard normal truncated to
// [a, b], taken in the lower tail (mirrored when a > 0) so that bounds far
// from 0 keep their precision, and clipped to [a, b].
func truncNormPPF(q, a, b float64) float64 {
	if a > 0 {
		return -truncNormPPF(1-q, -b, -a)
	}
	pa := 0.5 * math.Erfc(-a/math.Sqrt2)
	pb := 0.5 * math.Erfc(-b/math.Sqrt2)
	p := pa + q*(pb-pa)
	x := -math.Sqrt2 * math.Erfcinv(2*p)
	if math.IsNaN(x) {
		x = a
	}
	return min(max(x, a), b)
}
