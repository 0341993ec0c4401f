package experiments

import (
	"maps"
	"math"
	"testing"
)

// TestReferenceCheck: a stored trial with the published count and costs
// matches; a missing trial, a count one off and a cost 2e-6 off are
// mismatches, each counted once.
func TestReferenceCheck(t *testing.T) {
	ref := C2W2
	stored := map[string]Stored{}
	for i, run := range ref.Runs {
		tr, err := ref.Trial(run)
		if err != nil {
			t.Fatal(err)
		}
		costs := make([]float64, ref.Epochs)
		for ep, c := range run.Costs {
			costs[ep] = c + 4e-7 // within the table's rounding
		}
		s := Stored{Final: map[string]float64{ref.Metric: float64(run.Correct)}, Costs: costs}
		switch i {
		case 1:
			continue // not run
		case 2:
			s.Final = maps.Clone(s.Final)
			s.Final[ref.Metric]++
		case 3:
			s.Costs[1000] += 2e-6
		}
		stored[tr.Key()] = s
	}
	c, err := ref.Check(func(key string) (Stored, bool) { s, ok := stored[key]; return s, ok })
	if err != nil {
		t.Fatal(err)
	}
	if c.Mismatches != 3 || len(c.Runs) != len(ref.Runs) || len(c.Epochs) != 5 || c.Epochs[1] != 1000 {
		t.Fatalf("%d mismatches over %d rows and epochs %v; want 3 over %d rows at 0, 1000, …", c.Mismatches,
			len(c.Runs), c.Epochs, len(ref.Runs))
	}
	if c.Runs[1].Found || !c.Runs[0].OK || c.Runs[2].OK || c.Runs[3].CostOK[1] || !c.Runs[3].CostOK[0] ||
		math.Abs(c.Runs[0].Costs[0]-ref.Runs[0].Costs[0]) > 1e-6 {
		t.Errorf("rows: %+v", c.Runs[:4])
	}
}

// TestReferenceCheckTestSet: C2W1's check counts test predictions, takes
// an infinite published cost as equal only to an infinite stored one, and
// applies a row's own tolerance.
func TestReferenceCheckTestSet(t *testing.T) {
	ref := C2W1
	stored := map[string]Stored{}
	for i, run := range ref.Runs {
		tr, err := ref.Trial(run)
		if err != nil {
			t.Fatal(err)
		}
		costs := make([]float64, ref.Epochs)
		for ep, c := range run.Costs {
			costs[ep] = c
		}
		test := float64(run.TestCorrect) / float64(ref.TestExamples)
		switch i {
		case 0:
			test += 0.01 // one test example more
		case 1:
			costs[7000] += 5e-3 // within the row's 1e-2
		case 2:
			costs[0] = math.Inf(1)
		}
		stored[tr.Key()] = Stored{Final: map[string]float64{ref.Metric: float64(run.Correct), "test_accuracy": test}, Costs: costs}
	}
	c, err := ref.Check(func(key string) (Stored, bool) { s, ok := stored[key]; return s, ok })
	if err != nil {
		t.Fatal(err)
	}
	if c.Mismatches != 2 || c.Runs[0].TestOK || !c.Runs[1].TestOK || !c.Runs[1].CostOK[0] || !c.Runs[1].CostOK[7] ||
		c.Runs[2].CostOK[0] {
		t.Errorf("%d mismatches (want 2); rows %+v", c.Mismatches, c.Runs)
	}
}
