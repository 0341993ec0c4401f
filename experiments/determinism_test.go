package experiments

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

type memSink map[string]engine.Outcome

func (s memSink) Record(_ context.Context, o engine.Outcome) error {
	s[o.Key] = o
	return nil
}

// TestWorkersDoNotChangeResults: the per-epoch metrics of a sweep trained
// with -j 1 and with -j 4 are bit-identical (wall time aside), whatever
// order the trials finish in.
func TestWorkersDoNotChangeResults(t *testing.T) {
	var trials []engine.Trial
	for _, opt := range []string{"gd", "momentum", "adam", "rmsprop"} {
		for seed := uint64(0); seed < 3; seed++ {
			p := engine.Params{"optimizer": opt, "lr": 0.05, "batch_size": 32.0, "keep_prob": 0.9, "n_samples": 300.0}
			trials = append(trials, engine.Trial{Experiment: "moons-mlp", Params: p, Seed: seed, Budget: engine.Budget{Epochs: 15}})
		}
	}
	run := func(workers int) memSink {
		sink := memSink{}
		x := &engine.Executor{Workers: workers, Run: Run}
		if _, err := x.Execute(context.Background(), trials, sink); err != nil {
			t.Fatal(err)
		}
		return sink
	}
	one, four := run(1), run(4)
	if len(one) != len(trials) || len(four) != len(trials) {
		t.Fatalf("recorded %d and %d of %d trials", len(one), len(four), len(trials))
	}
	distinct := map[string]bool{}
	for key, a := range one {
		b := four[key]
		if a.Status != train.Completed || b.Status != train.Completed {
			t.Fatalf("trial %s: %s / %s %s%s", key, a.Status, b.Status, a.Error, b.Error)
		}
		if len(a.Curve) != 15 || len(b.Curve) != 15 {
			t.Fatalf("trial %s: %d and %d epochs", key, len(a.Curve), len(b.Curve))
		}
		for e := range a.Curve {
			ma, mb := a.Curve[e].Metrics(), b.Curve[e].Metrics()
			for i := range ma {
				if math.Float64bits(ma[i].Value) != math.Float64bits(mb[i].Value) {
					t.Fatalf("trial %s epoch %d %s: -j 1 gives %v, -j 4 gives %v", key, e, ma[i].Name, ma[i].Value, mb[i].Value)
				}
			}
		}
		distinct[fmt.Sprint(a.Curve[14].Values[metric.TrainLoss])] = true
	}
	if len(distinct) < len(trials) {
		t.Errorf("only %d distinct final losses among %d trials: seeds or optimizers are not taking effect", len(distinct), len(trials))
	}
}
