package search

import (
	"math"
	"reflect"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/optbench/optbench/engine/testfunc"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/reports/stats"
)

// boxSpace is one branch without optimizer or schedule whose dimensions
// x1, x2, … are the box of f.
func boxSpace(f testfunc.Objective) *Space {
	lo, hi := f.Bounds()
	dims := make([]Dimension, len(lo))
	for i := range lo {
		dims[i] = Dimension{Name: xName(i), Domain: Uniform{lo[i], hi[i]}}
	}
	return &Space{Branches: []Branch{{Dimensions: dims}}}
}

func xName(i int) string { return "x" + string(rune('1'+i)) }

func point(f testfunc.Objective, c Configuration) []float64 {
	lo, _ := f.Bounds()
	x := make([]float64, len(lo))
	for i := range x {
		x[i] = c.Params[xName(i)].(float64)
	}
	return x
}

// runTPE drives a TPE search over f generation by generation, as the
// engine would, and returns the history.
func runTPE(t testing.TB, f testfunc.Objective, opt TPEOptions) []Observation {
	t.Helper()
	m, err := NewTPE(boxSpace(f), opt)
	if err != nil {
		t.Fatal(err)
	}
	var history []Observation
	for g := 0; ; g++ {
		props, done, err := m.Next(g, history)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range props {
			history = append(history, Observation{Index: len(history), Proposal: p,
				Value: f.Value(point(f, p.Config)), Status: train.Completed})
		}
		if done {
			return history
		}
	}
}

func bestOf(history []Observation) float64 {
	best := math.Inf(1)
	for _, o := range history {
		best = min(best, o.Value)
	}
	return best
}

func randomBest(t testing.TB, f testfunc.Objective, samples int, seed uint64) float64 {
	m := mustRandom(t.(*testing.T), boxSpace(f), samples, seed)
	best := math.Inf(1)
	for {
		c, ok := m.Propose()
		if !ok {
			return best
		}
		m.Tell(true)
		best = min(best, f.Value(point(f, c)))
	}
}

// oneSidedLess is the p-value of the one-sided Mann–Whitney test that a
// tends to be smaller than b. stats.MannWhitneyU gives U of a and the
// two-sided p of the normal approximation (20 against 20 values, above
// scipy's exact limit of 8), p₂ = 2·(1 − Φ(z)) with z from
// max(U, na·nb − U). When a's ranks are low, U < na·nb/2 and the one-sided
// p is half the two-sided one, p₂/2, as scipy's alternative='less' gives
// (the same continuity correction); otherwise it is 1 − p₂/2.
func oneSidedLess(a, b []float64) float64 {
	u, p := stats.MannWhitneyU(a, b)
	if u < float64(len(a)*len(b))/2 {
		return p / 2
	}
	return 1 - p/2
}

// TestTPEBranin is the acceptance test of issue 10: over 20 search seeds,
// TPE's median best after 100 evaluations of Branin is at most 0.45
// (Optuna 3.1's defaults give 0.410) and beats random search's, 100
// samples over the same space, by a one-sided Mann–Whitney test at
// p < 0.01.
func TestTPEBranin(t *testing.T) {
	f := testfunc.Branin{}
	var tpe, random []float64
	for seed := range uint64(20) {
		tpe = append(tpe, bestOf(runTPE(t, f, TPEOptions{Samples: 100, Seed: seed})))
		random = append(random, randomBest(t, f, 100, seed))
	}
	mt, mr, p := median(slices.Clone(tpe)), median(slices.Clone(random)), oneSidedLess(tpe, random)
	t.Logf("Branin after 100: TPE median best %.4f, random %.4f, one-sided Mann–Whitney p = %.2g", mt, mr, p)
	if mt > 0.45 {
		t.Errorf("TPE median best %.4f; want at most 0.45", mt)
	}
	if p >= 0.01 {
		t.Errorf("TPE against random: one-sided p = %.3g; want below 0.01", p)
	}
}

// TestTPEHartmann6: TPE's best after 100 evaluations is clearly better
// than random search's median.
func TestTPEHartmann6(t *testing.T) {
	f := testfunc.Hartmann6{}
	var tpe, random []float64
	for seed := range uint64(20) {
		tpe = append(tpe, bestOf(runTPE(t, f, TPEOptions{Samples: 100, Seed: seed})))
		random = append(random, randomBest(t, f, 100, seed))
	}
	mt, mr, p := median(slices.Clone(tpe)), median(slices.Clone(random)), oneSidedLess(tpe, random)
	t.Logf("Hartmann6 after 100: TPE median best %.4f, random %.4f, one-sided p = %.2g", mt, mr, p)
	if !(mt < mr-0.1) || p >= 0.01 {
		t.Errorf("TPE median %.4f, random median %.4f, p = %.3g: want TPE lower by 0.1 and p < 0.01", mt, mr, p)
	}
}

// TestTPEPure: Next is a function of g and the history: asked again with
// the same history, or with a copy built by hand from the same values,
// it proposes the same configurations, bit for bit.
func TestTPEPure(t *testing.T) {
	f := testfunc.Branin{}
	opt := TPEOptions{Samples: 40, Seed: 7}
	history := runTPE(t, f, opt)
	m, err := NewTPE(boxSpace(f), opt)
	if err != nil {
		t.Fatal(err)
	}
	for g := range 5 {
		h := history[:g*8]
		a, _, err := m.Next(g, h)
		if err != nil {
			t.Fatal(err)
		}
		// Rebuilt: fresh maps, statuses and curves that TPE ignores.
		rebuilt := make([]Observation, len(h))
		for i, o := range h {
			c := o.Proposal.Config
			rebuilt[i] = Observation{Index: i, Value: o.Value, Status: train.Completed, Curve: []float64{o.Value},
				Proposal: Proposal{Config: Configuration{Branch: c.Branch, Params: c.Params.Clone(), Index: slices.Clone(c.Index)}}}
		}
		b, _, err := m.Next(g, rebuilt)
		if err != nil {
			t.Fatal(err)
		}
		c, _, _ := m.Next(g, h)
		if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(a, c) {
			t.Errorf("generation %d: proposals differ between calls with the same history", g)
		}
		if g*8+8 <= len(history) && !reflect.DeepEqual(a, proposalsOf(history[g*8:g*8+8])) {
			t.Errorf("generation %d: proposals differ from those of the run", g)
		}
	}
}

func proposalsOf(obs []Observation) []Proposal {
	out := make([]Proposal, len(obs))
	for i, o := range obs {
		out[i] = o.Proposal
	}
	return out
}

// TestTPEGenerations: Samples caps the proposals, done comes with the
// last generation, and a history of the wrong length is an error.
func TestTPEGenerations(t *testing.T) {
	f := testfunc.Branin{}
	h := runTPE(t, f, TPEOptions{Samples: 21, Seed: 1, Generation: 5})
	if len(h) != 21 {
		t.Errorf("%d proposals, want 21", len(h))
	}
	m, _ := NewTPE(boxSpace(f), TPEOptions{Samples: 21, Seed: 1, Generation: 5})
	if ps, done, err := m.Next(4, h[:20]); err != nil || !done || len(ps) != 1 {
		t.Errorf("last generation: %d proposals, done %v, %v; want 1, true", len(ps), done, err)
	}
	if _, _, err := m.Next(2, h[:9]); err == nil {
		t.Error("a history of 9 for generation 2 was accepted")
	}
	// A failed (NaN) observation counts as worst, never good.
	bad := slices.Clone(h[:20])
	bad[3].Value = math.NaN()
	if good := m.good(bad); good[3] {
		t.Error("a NaN observation is in the good group")
	}
}

// TestTPEMixedSpace runs TPE over branches with every kind of domain and
// checks each proposal lies in its branch's domains.
func TestTPEMixedSpace(t *testing.T) {
	space := &Space{Branches: []Branch{
		{Optimizer: "gd", Schedule: "constant", Dimensions: []Dimension{
			{"lr", LogUniform{1e-4, 1}}, {"batch_size", PowersOfTwo{16, 256}}, {"fixed", Points{3}}}},
		{Optimizer: "adam", Schedule: "constant", Dimensions: []Dimension{
			{"lr", LogUniform{1e-4, 1}}, {"beta1", Quantized{Lo: 0.8, Q: 0.05, N: 4}},
			{"hidden", IntUniform{1, 5}}, {"activation", Categorical{"relu", "tanh"}}, {"width", Uniform{0, 1}}}},
	}}
	for _, mv := range []bool{false, true} {
		m, err := NewTPE(space, TPEOptions{Samples: 40, Seed: 3, Multivariate: mv})
		if err != nil {
			t.Fatal(err)
		}
		var history []Observation
		for g := 0; ; g++ {
			ps, done, err := m.Next(g, history)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				c := p.Config
				b := space.Branches[c.Branch]
				for j, d := range b.Dimensions {
					v := c.Params[d.Name]
					switch dom := d.Domain.(type) {
					case Uniform:
						if x := v.(float64); x < dom.Lo || x >= dom.Hi {
							t.Errorf("%s = %v outside %v", d.Name, x, dom)
						}
					case LogUniform:
						if x := v.(float64); x < dom.Lo || x >= dom.Hi {
							t.Errorf("%s = %v outside %v", d.Name, x, dom)
						}
					default:
						if !reflect.DeepEqual(v, dom.At(c.Index[j])) {
							t.Errorf("%s = %v, index %d", d.Name, v, c.Index[j])
						}
					}
				}
				// The objective prefers adam with a small lr.
				v := math.Abs(math.Log10(c.Params["lr"].(float64)) + 3)
				if c.Branch == 0 {
					v += 1
				}
				history = append(history, Observation{Index: len(history), Proposal: p, Value: v, Status: train.Completed})
			}
			if done {
				break
			}
		}
		adam := 0
		for _, o := range history[20:] {
			adam += o.Proposal.Config.Branch
		}
		if adam < 12 {
			t.Errorf("multivariate %v: %d of the last 20 proposals in the better branch; want most", mv, adam)
		}
	}
}

// TestTPEWeights checks default_weights against numpy: for n = 27,
// np.linspace(1/27, 1, 2) then 25 ones; for n = 28, linspace(1/28, 1, 3).
func TestTPEWeights(t *testing.T) {
	for _, c := range []struct {
		n    int
		head []float64
	}{
		{0, nil}, {3, []float64{1, 1, 1}}, {25, []float64{1}},
		{26, []float64{1.0 / 26, 1}},
		{27, []float64{1.0 / 27, 1, 1}},
		{28, []float64{1.0 / 28, (1 + 1.0/28) / 2, 1, 1}},
	} {
		w := tpeWeights(c.n)
		if len(w) != c.n {
			t.Fatalf("n = %d: %d weights", c.n, len(w))
		}
		for i, want := range c.head {
			if !scalar.EqualWithinAbsOrRel(w[i], want, 1e-15, 1e-15) {
				t.Errorf("n = %d: w[%d] = %v, want %v", c.n, i, w[i], want)
			}
		}
		for i := max(0, c.n-25); i < c.n; i++ {
			if w[i] != 1 {
				t.Errorf("n = %d: w[%d] = %v, want 1", c.n, i, w[i])
			}
		}
	}
}

func TestTPEGamma(t *testing.T) {
	for n, want := range map[int]int{0: 0, 1: 1, 10: 1, 11: 2, 100: 10, 241: 25, 1000: 25} {
		if got := tpeGamma(n); got != want {
			t.Errorf("γ(%d) = %d, want %d", n, got, want)
		}
	}
}

// TestMagicClip checks bandwidths computed by hand. On [0, 10] with
// observations 5, 1, 2: sorted 1, 2, 5 with ends 0 and 10; the inner one
// (2) takes max(2−1, 5−2) = 3, the extremes their inner gaps 1 and 3;
// the clip is [10/min(100, 1+4), 10] = [2, 10], so σ = 3, 2, 3 (obs order
// 5, 1, 2) and the prior σ = 10 at 5. With one observation 9: max(9, 1) =
// 9, clip [10/3, 10].
func TestMagicClip(t *testing.T) {
	for _, c := range []struct {
		obs       []float64
		lo, hi    float64
		discrete  bool
		wantSigma []float64
		wantMu    []float64
	}{
		{[]float64{5, 1, 2}, 0, 10, false, []float64{3, 2, 3, 10}, []float64{5, 1, 2, 5}},
		{[]float64{9}, 0, 10, false, []float64{9, 10}, []float64{9, 5}},
		{nil, 0, 10, false, []float64{10}, []float64{5}},
		// Discrete indices 0…4 widen to [−½, 4½]: obs 0 and 4 take their
		// inner gap 4; clip [5/3, 5]; the prior N(2, 5).
		{[]float64{0, 4}, 0, 4, true, []float64{4, 4, 5}, []float64{0, 4, 2}},
		// 30 identical observations: gaps 0, clipped to 10/32.
		{slices.Repeat([]float64{1}, 30), 0, 10, false, append(slices.Repeat([]float64{10.0 / 32}, 30), 10), nil},
	} {
		k := numericKernels(c.obs, c.lo, c.hi, c.discrete)
		for i, want := range c.wantSigma {
			if !scalar.EqualWithinAbsOrRel(k.sigma[i], want, 1e-12, 1e-12) {
				t.Errorf("obs %v: σ[%d] = %v, want %v", c.obs, i, k.sigma[i], want)
			}
		}
		for i, want := range c.wantMu {
			if k.mu[i] != want {
				t.Errorf("obs %v: μ[%d] = %v, want %v", c.obs, i, k.mu[i], want)
			}
		}
	}
}

// TestCategoricalKernels: 2 observations of 3 choices give 3 kernels,
// each choice weighing 1/3 before the observed one gets 1: rows
// (1/3+1, 1/3, 1/3)/2 and the prior uniform.
func TestCategoricalKernels(t *testing.T) {
	k := categoricalKernels([]int{0, 2}, 3)
	want := [][]float64{{2.0 / 3, 1.0 / 6, 1.0 / 6}, {1.0 / 6, 1.0 / 6, 2.0 / 3}, {1.0 / 3, 1.0 / 3, 1.0 / 3}}
	for r := range want {
		for c := range want[r] {
			if !scalar.EqualWithinAbsOrRel(k.probs[r][c], want[r][c], 1e-15, 1e-15) {
				t.Errorf("row %d: %v, want %v", r, k.probs[r], want[r])
			}
		}
	}
	if got := mixtureWeights([]float64{1, 1}); !reflect.DeepEqual(got, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}) {
		t.Errorf("mixture weights %v", got)
	}
}

// TestTruncNorm checks the truncated normal's pieces against published
// values: the median of N(0,1) on [0, ∞) is the normal's 0.75 quantile
// 0.6744897501960817, Φ(1) − Φ(−1) = 0.6826894921370859 (the 68% rule,
// to 16 digits), and far in the tail log Φ(−40) = −800 − log 40 −
// ½ log 2π + log(1 − 1/40² + 3/40⁴ − …) = −804.60844201375 by hand.
func TestTruncNorm(t *testing.T) {
	if got := truncNormPPF(0.5, 0, math.Inf(1)); !scalar.EqualWithinAbsOrRel(got, 0.6744897501960817, 1e-12, 1e-12) {
		t.Errorf("median of the half normal %v", got)
	}
	if got := math.Exp(logGaussMass(-1, 1)); !scalar.EqualWithinAbsOrRel(got, 0.6826894921370859, 1e-14, 1e-14) {
		t.Errorf("mass of [−1, 1] %v", got)
	}
	// The mass of [40, 41] is all of the tail above 40 to rounding.
	if got := logNdtr(-40); !scalar.EqualWithinAbsOrRel(got, -804.60844201375, 0, 1e-12) {
		t.Errorf("log Φ(−40) = %v", got)
	}
	if got := logGaussMass(40, 41); !scalar.EqualWithinAbsOrRel(got, logNdtr(-40), 0, 1e-12) {
		t.Errorf("log mass of [40, 41] = %v", got)
	}
}
