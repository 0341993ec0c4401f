package search

import (
	"math"
	"slices"
	"testing"


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

func median(x []float64) float64 {
	s := slices.Sorted(slices.Values(x))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
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
	mt, mr, p := median(tpe), median(random), oneSidedLess(tpe, random)
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
	mt, mr, p := median(tpe), median(random), oneSidedLess(tpe, random)
	t.Logf("Hartmann6 after 100: TPE median best %.4f, random %.4f, one-sided p = %.2g", mt, mr, p)
	if !(mt < mr-0.1) || p >= 0.01 {
		t.Errorf("TPE median %.4f, random median %.4f, p = %.3g: want TPE lower by 0.1 and p < 0.01", mt, mr, p)
	}
}
