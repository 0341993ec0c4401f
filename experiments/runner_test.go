package experiments

import (
	"context"
	"math"
	"sync"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

// TestRunnerSharesOrders: the seven published course runs (80 epochs
// each) trained through one Runner, two at a time, share their
// permutations and give the bits of each trained alone with Run: every
// epoch's metrics, the final metrics and the status. A second seed (5)
// trains alongside and must not take seed 3's permutations.
func TestRunnerSharesOrders(t *testing.T) {
	var trials []engine.Trial
	for _, seed := range []uint64{3, 5} {
		for _, run := range C2W2.Runs {
			trials = append(trials, engine.Trial{Experiment: C2W2.Experiment, Seed: seed,
				Budget: engine.Budget{Epochs: 80}, Params: run.Params})
		}
	}
	type outcome struct {
		res   train.Result
		curve []train.Epoch
	}
	train1 := func(run func(context.Context, engine.Trial, train.Observer) (train.Result, error), tr engine.Trial) outcome {
		var o outcome
		res, err := run(context.Background(), tr, train.Watch(func(e train.Epoch) { o.curve = append(o.curve, e) }))
		if err != nil {
			t.Error(err)
		}
		o.res = res
		return o
	}
	var r Runner
	shared := make([]outcome, len(trials))
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(trials); i += 2 {
				shared[i] = train1(r.Run, trials[i])
			}
		}()
	}
	wg.Wait()
	if n := r.orders.Entries(); n != 2*80*300 {
		t.Errorf("the runner holds %d indices, want %d (80 epochs of 300 for two seeds)", n, 2*80*300)
	}
	same := func(a, b float64) bool {
		return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
	}
	for i, tr := range trials {
		alone := train1(Run, tr)
		got := shared[i]
		if got.res.Status != alone.res.Status || len(got.curve) != len(alone.curve) || len(got.res.Final) != len(alone.res.Final) {
			t.Fatalf("%v seed %d: %s after %d epochs shared, %s after %d alone", tr.Params, tr.Seed,
				got.res.Status, len(got.curve), alone.res.Status, len(alone.curve))
		}
		for e := range alone.curve {
			for j, v := range alone.curve[e].Values {
				if !same(got.curve[e].Values[j], v) {
					t.Fatalf("%v seed %d, epoch %d, metric %d: %v shared, %v alone", tr.Params, tr.Seed, e, j, got.curve[e].Values[j], v)
				}
			}
		}
		for j, m := range alone.res.Final {
			if got.res.Final[j].Name != m.Name || !same(got.res.Final[j].Value, m.Value) {
				t.Fatalf("%v seed %d: final %v shared, %v alone", tr.Params, tr.Seed, got.res.Final[j], m)
			}
		}
	}
}
