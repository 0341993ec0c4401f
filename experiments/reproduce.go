package experiments

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/optbench/optbench/engine"
)

// CostTolerance is how far a reproduced cost may be from the published
// one: the table prints six decimals, so half a unit in the last place.
const CostTolerance = 1e-6

// Stored is what a reproduction needs of a stored trial: its final metrics
// and its per-epoch training loss (the course's cost).
type Stored struct {
	Final map[string]float64
	Costs []float64 // train_loss by epoch
}

// RunCheck is one published row beside what was stored.
type RunCheck struct {
	Run     PublishedRun
	Key     string // the trial that reproduces the row
	Found   bool   // a stored trial has the key
	Correct float64
	OK      bool // Correct equals the published count
	// TestCorrect is the stored test accuracy times Reference.TestExamples,
	// and TestOK whether it equals the published count (both unset when
	// the reference has no test set).
	TestCorrect float64
	TestOK      bool
	Costs       []float64 // the stored cost at each of Reference.Epochs(), NaN past the curve
	CostOK      []bool    // each within the row's tolerance of the published cost (an infinite cost equals only itself)
}

// Check is a reproduction: each published row and whether it matches.
type Check struct {
	Reference  Reference
	Epochs     []int // the epochs whose cost the table prints, ascending
	Runs       []RunCheck
	Mismatches int // values that differ, a missing trial counting once
}

// Trial returns the trial that reproduces run: the experiment's resolved
// parameters, the reference's seed and budget.
func (r Reference) Trial(run PublishedRun) (engine.Trial, error) {
	x, err := Lookup(r.Experiment)
	if err != nil {
		return engine.Trial{}, err
	}
	p, err := x.Resolve(run.Params)
	if err != nil {
		return engine.Trial{}, fmt.Errorf("reference %s, %s: %w", r.Name, run.Run, err)
	}
	return engine.Trial{Experiment: r.Experiment, Params: p, Seed: r.Seed, Budget: engine.Budget{Epochs: r.Epochs}}.Keyed(), nil
}

// Check compares every published row with the stored trial that
// reproduces it; lookup returns a stored trial by key. Counts must be
// equal, costs within CostTolerance.
func (r Reference) Check(lookup func(key string) (Stored, bool)) (Check, error) {
	c := Check{Reference: r}
	for ep := range r.Runs[0].Costs {
		c.Epochs = append(c.Epochs, ep)
	}
	slices.Sort(c.Epochs)
	for _, run := range r.Runs {
		t, err := r.Trial(run)
		if err != nil {
			return Check{}, err
		}
		rc := RunCheck{Run: run, Key: t.Key()}
		s, ok := lookup(rc.Key)
		if !ok {
			c.Mismatches++
			c.Runs = append(c.Runs, rc)
			continue
		}
		rc.Found = true
		rc.Correct = s.Final[r.Metric]
		if rc.OK = rc.Correct == float64(run.Correct); !rc.OK {
			c.Mismatches++
		}
		if r.TestExamples > 0 {
			acc, ok := s.Final["test_accuracy"]
			rc.TestCorrect = math.NaN()
			if ok {
				rc.TestCorrect = math.Round(acc * float64(r.TestExamples))
			}
			if rc.TestOK = rc.TestCorrect == float64(run.TestCorrect); !rc.TestOK {
				c.Mismatches++
			}
		}
		tol := run.CostTolerance
		if tol == 0 {
			tol = CostTolerance
		}
		for _, ep := range c.Epochs {
			got := math.NaN()
			if ep < len(s.Costs) {
				got = s.Costs[ep]
			}
			want := run.Costs[ep]
			ok := scalar.EqualWithinAbs(got, want, tol) || (math.IsInf(want, 0) && got == want)
			if !ok {
				c.Mismatches++
			}
			rc.Costs, rc.CostOK = append(rc.Costs, got), append(rc.CostOK, ok)
		}
		c.Runs = append(c.Runs, rc)
	}
	return c, nil
}
