package experiments

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

// TestReproduceC2W2 is the engine's proof that it computes what the
// literature computes: all seven published runs of C2W2, costs within 1e-6
// (the table prints six decimals), correct counts exact.
func TestReproduceC2W2(t *testing.T) {
	ref := C2W2
	for _, run := range ref.Runs {
		t.Run(run.Run, func(t *testing.T) {
			t.Parallel()
			got, res := trainPublished(t, ref, run)
			if res.Status != train.Completed || res.Epochs != ref.Epochs {
				t.Fatalf("status %s after %d epochs, want completed after %d", res.Status, res.Epochs, ref.Epochs)
			}
			epochs := make([]int, 0, len(run.Costs))
			for e := range run.Costs {
				epochs = append(epochs, e)
			}
			sort.Ints(epochs)
			for _, e := range epochs {
				if !scalar.EqualWithinAbs(got[e], run.Costs[e], 1e-6) {
					t.Errorf("cost after epoch %d = %.8f, published %.6f", e, got[e], run.Costs[e])
				}
			}
			if correct := finalMetric(res.Final, ref.Metric); correct != float64(run.Correct) {
				t.Errorf("correct = %v of 300, published %d", correct, run.Correct)
			}
		})
	}
}

// trainPublished trains one published run of ref and returns its training
// cost after each epoch the table prints, and its result.
func trainPublished(t *testing.T, ref Reference, run PublishedRun) (map[int]float64, train.Result) {
	t.Helper()
	trial := engine.Trial{Experiment: ref.Experiment, Params: run.Params, Seed: ref.Seed,
		Budget: engine.Budget{Epochs: ref.Epochs}}
	got := map[int]float64{}
	res, err := Run(context.Background(), trial, train.Watch(func(e train.Epoch) {
		if _, ok := run.Costs[e.Epoch]; ok {
			got[e.Epoch] = e.Values[metric.TrainLoss]
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	return got, res
}

func finalMetric(ms []train.Metric, name string) float64 {
	for _, m := range ms {
		if m.Name == name {
			return m.Value
		}
	}
	panic(fmt.Sprintf("no final metric %q", name))
}
