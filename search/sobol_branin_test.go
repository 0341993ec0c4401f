package search

import (
	"math"
	"slices"
	"testing"

	"github.com/optbench/optbench/engine/testfunc"
)

// TestSobolBeatsRandomBranin is issue 10's acceptance for sobol: over 20
// search seeds, the median of the best Branin value after 100 scrambled
// Sobol points is lower than random search's after 100 draws over the same
// space.
func TestSobolBeatsRandomBranin(t *testing.T) {
	f := testfunc.Branin{}
	var sobol, random []float64
	for seed := range uint64(20) {
		m, err := NewSobol(boxSpace(f), 100, seed)
		if err != nil {
			t.Fatal(err)
		}
		best := math.Inf(1)
		for {
			c, ok := m.Propose()
			if !ok {
				break
			}
			m.Tell(true)
			best = min(best, f.Value(point(f, c)))
		}
		sobol = append(sobol, best)
		random = append(random, randomBest(t, f, 100, seed))
	}
	ms, mr := median(slices.Clone(sobol)), median(slices.Clone(random))
	t.Logf("Branin after 100: sobol median best %.4f, random %.4f", ms, mr)
	if !(ms < mr) {
		t.Errorf("sobol median best %.4f is not below random's %.4f", ms, mr)
	}
}
