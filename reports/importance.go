package reports

import (
	"math"
	"slices"

	"github.com/optbench/optbench/reports/stats"
)

// PED-ANOVA settings, those of Optuna's PedAnovaImportanceEvaluator.
const (
	pedTargetQuantile = 0.1 // γ′: the top tenth of configurations
	pedGridSteps      = 50  // a numeric domain is discretized into this many points
	pedPriorWeight    = 1.0 // weight of the uniform prior kernel
	pedMinInRegime    = 2   // fewest configurations with a parameter for it to count
	pedPDFFloor       = 1e-12
)

// Importance is how much one parameter matters to reach the top
// quantile of the metric.
type Importance struct {
	Param      string
	Divergence float64 // the Pearson divergence, PED-ANOVA's importance
	Share      float64 // Divergence over the sum of all parameters', in [0, 1]
}

// Importances ranks the swept parameters of a search by PED-ANOVA
// (Watanabe, Bansal and Hutter, "PED-ANOVA: Efficiently Quantifying
// Hyperparameter Importance in Arbitrary Subspaces", IJCAI 2023), with
// the settings and the handling of parameters some configurations lack of
// Optuna's PedAnovaImportanceEvaluator (target quantile γ′ = 0.1, region
// quantile γ = 1, the whole sweep). Each configuration's seed mean is one
// observation. The importance of parameter d is the Pearson divergence
// between the distribution of d among the top-γ′ configurations and among
// all of them,
//
//	D(d) = (n_top/n)² · α²/β · Σ_x p(x) (p_top(x)/p(x) − 1)²
//
// with p and p_top Parzen estimates over a grid of pedGridSteps points of
// d's range (log-scaled when the domain is) or over its categories, α and
// β the fractions of the top and of all configurations that have d. The
// estimators are a mixture of the observations, each a normal truncated to
// the grid with Scott's bandwidth (at least 0.5/1.64 grid steps), and one
// broad prior kernel at the centre; categories get Optuna's categorical
// kernel. It returns nil when the sweep is not a search with at least
// two configurations.
func (r *Report) Importances() []Importance {
	cs := r.searchConfigs()
	domains := r.searchDomains(cs)
	if len(cs) < 2 || len(domains) == 0 {
		return nil
	}
	losses := make([]float64, len(cs))
	for i, c := range cs {
		losses[i] = c.Metric.Mean
		if r.Goal == stats.Maximize {
			losses[i] = -losses[i]
		}
	}
	xs := make([][]float64, len(domains))
	for p, d := range domains {
		xs[p] = make([]float64, len(cs))
		for i, c := range cs {
			xs[p][i] = math.NaN()
			if v, ok := d.value(c); ok {
				xs[p][i] = v
			}
		}
	}
	div := pedANOVA(losses, xs, domains)
	total := 0.0
	for _, v := range div {
		total += v
	}
	out := make([]Importance, len(domains))
	for p, d := range domains {
		out[p] = Importance{Param: d.Name, Divergence: div[p]}
		if total > 0 {
			out[p].Share = div[p] / total
		}
	}
	slices.SortStableFunc(out, func(a, b Importance) int {
		switch {
		case a.Divergence > b.Divergence:
			return -1
		case a.Divergence < b.Divergence:
			return 1
		}
		return 0
	})
	return out
}

// pedANOVA returns the PED-ANOVA importance of each parameter. losses are
// the observations' values, lower better; xs[p][i] is observation i's
// value of parameter p (the category's index for a categorical one), NaN
// when it does not have the parameter.
func pedANOVA(losses []float64, xs [][]float64, domains []paramDomain) []float64 {
	if len(xs) != len(domains) {
		panic("reports: pedANOVA: parameters and domains differ in number")
	}
	out := make([]float64, len(domains))
	n := len(losses)
	if n <= 1 {
		return out
	}
	// The top quantile: every observation at or below the ⌈γ′n⌉-th
	// smallest loss, ties included.
	sorted := slices.Clone(losses)
	slices.Sort(sorted)
	cutoff := sorted[int(math.Ceil(pedTargetQuantile*float64(n)))-1]
	top := make([]bool, n)
	nTop := 0
	for i, l := range losses {
		if l <= cutoff {
			top[i], nTop = true, nTop+1
		}
	}
	q := float64(nTop) / float64(n)
	for p, d := range domains {
		if len(xs[p]) != n {
			panic("reports: pedANOVA: a parameter's values and the losses differ in length")
		}
		var region, target []float64
		for i, x := range xs[p] {
			if math.IsNaN(x) {
				continue
			}
			region = append(region, x)
			if top[i] {
				target = append(target, x)
			}
		}
		if len(region) < pedMinInRegime || len(target) == 0 || d.single() {
			continue
		}
		alpha := float64(len(target)) / float64(nTop)
		beta := float64(len(region)) / float64(n)
		out[p] = q * q * alpha * alpha / beta * pearsonDivergence(d, target, region)
	}
	return out
}

func (d paramDomain) single() bool {
	if d.Numeric {
		return d.Low == d.High
	}
	return len(d.Choices) <= 1
}

// pearsonDivergence is Σ_x p(x) (p_top(x)/p(x) − 1)² over the grid of d.
func pearsonDivergence(d paramDomain, target, region []float64) float64 {
	pTop := gridParzen(d, target)
	pAll := gridParzen(d, region)
	sum := 0.0
	for i := range pTop {
		t, a := pTop[i]+pedPDFFloor, pAll[i]+pedPDFFloor
		sum += a * (t/a - 1) * (t/a - 1)
	}
	return sum
}

// gridParzen counts the values on the grid of d and returns the Parzen
// estimate of their probability at each grid point.
func gridParzen(d paramDomain, values []float64) []float64 {
	var counts []float64
	if d.Numeric {
		counts = make([]float64, pedGridSteps)
		lo, hi := d.Low, d.High
		if d.Log {
			lo, hi = math.Log(lo), math.Log(hi)
		}
		step := (hi - lo) / (pedGridSteps - 1)
		for _, v := range values {
			if d.Log {
				v = math.Log(v)
			}
			// Midpoints go to the lower grid point, as in Optuna.
			i := int(math.Ceil((v-lo)/step - 0.5))
			counts[min(pedGridSteps-1, max(0, i))]++
		}
	} else {
		counts = make([]float64, len(d.Choices))
		for _, v := range values {
			counts[int(v)]++
		}
	}
	var obs, weights []float64
	for i, c := range counts {
		if c > 0 {
			obs = append(obs, float64(i))
			weights = append(weights, c)
		}
	}
	// The mixture's weights: the counts and the prior, normalized.
	mix := append(slices.Clone(weights), pedPriorWeight)
	total := 0.0
	for _, w := range mix {
		total += w
	}
	for i := range mix {
		mix[i] /= total
	}
	pdf := make([]float64, len(counts))
	if !d.Numeric {
		// Kernel k puts prior/K on every category and 1 more on its own,
		// normalized; the prior kernel is uniform.
		kernels := float64(len(obs) + 1)
		rowSum := pedPriorWeight/kernels*float64(len(counts)) + 1
		for k, o := range obs {
			for c := range pdf {
				w := pedPriorWeight / kernels
				if c == int(o) {
					w++
				}
				pdf[c] += mix[k] * w / rowSum
			}
		}
		for c := range pdf {
			pdf[c] += mix[len(obs)] / float64(len(counts))
		}
		return pdf
	}
	sigma := scottBandwidth(obs, weights)
	mus := append(slices.Clone(obs), float64(len(counts)-1)/2)
	sigmas := make([]float64, len(mus))
	for i := range obs {
		sigmas[i] = sigma
	}
	sigmas[len(obs)] = float64(len(counts)) // the prior: the grid's length
	// Each kernel is a normal truncated to [−½, K−½], its mass at grid
	// point x that of [x−½, x+½].
	lo, hi := -0.5, float64(len(counts))-0.5
	for k, mu := range mus {
		s := sigmas[k]
		z := gaussMass((lo-mu)/s, (hi-mu)/s)
		for x := range pdf {
			pdf[x] += mix[k] * gaussMass((float64(x)-0.5-mu)/s, (float64(x)+0.5-mu)/s) / z
		}
	}
	return pdf
}

// scottBandwidth is Scott's rule over weighted grid indices, as Optuna's
// ScottParzenEstimator: 1.059 min(IQR/1.34, σ) n^(−1/5), at least 0.5/1.64
// so that 90% of a kernel falls within a grid step of its centre.
func scottBandwidth(obs, weights []float64) float64 {
	n := 0.0
	cum := make([]float64, len(weights))
	for i, w := range weights {
		n += w
		cum[i] = n
	}
	mean := 0.0
	for i, o := range obs {
		mean += o * weights[i]
	}
	mean /= n
	ss := 0.0
	for i, o := range obs {
		ss += (o - mean) * (o - mean) * weights[i]
	}
	sd := math.Sqrt(ss / max(1, n-1))
	// Quartile positions as numpy's searchsorted over the cumulative
	// counts: the first index reaching ⌊n/4⌋, the first exceeding ⌊3n/4⌋.
	q1 := len(cum)
	q3 := len(cum)
	for i, c := range cum {
		if q1 == len(cum) && c >= math.Floor(n/4) {
			q1 = i
		}
		if q3 == len(cum) && c > math.Floor(3*n/4) {
			q3 = i
		}
	}
	iqr := obs[min(len(obs)-1, q3)] - obs[min(len(obs)-1, q1)]
	sigma := 1.059 * min(iqr/1.34, sd) * math.Pow(n, -0.2)
	return max(sigma, 0.5/1.64)
}

// gaussMass is the standard normal's probability of [a, b], computed on
// the side of the tails where the difference keeps its precision.
func gaussMass(a, b float64) float64 {
	switch {
	case b <= 0:
		return 0.5 * (math.Erfc(-b/math.Sqrt2) - math.Erfc(-a/math.Sqrt2))
	case a >= 0:
		return 0.5 * (math.Erfc(a/math.Sqrt2) - math.Erfc(b/math.Sqrt2))
	}
	return 1 - 0.5*math.Erfc(-a/math.Sqrt2) - 0.5*math.Erfc(b/math.Sqrt2)
}
