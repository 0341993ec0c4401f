package experiments

import (
	"context"
	"fmt"
	"testing"

	"github.com/optbench/optbench/engine"
)

type discard struct{}

func (discard) Record(context.Context, engine.Outcome) error { return nil }

// BenchmarkSweepWorkers trains the same 16 CPU-bound trials with one and
// with two workers. Goal on 2 cores: j2 at least 1.8× faster than j1
// (compare the two ns/op of one run).
func BenchmarkSweepWorkers(b *testing.B) {
	var trials []engine.Trial
	for i := 0; i < 16; i++ {
		trials = append(trials, engine.Trial{Experiment: "moons-mlp", Seed: uint64(i), Budget: engine.Budget{Epochs: 40},
			Params: engine.Params{"optimizer": "adam", "lr": 0.01, "hidden": []float64{32, 32}}})
	}
	for _, j := range []int{1, 2} {
		b.Run(fmt.Sprintf("j%d", j), func(b *testing.B) {
			x := &engine.Executor{Workers: j, Run: Run}
			for b.Loop() {
				if _, err := x.Execute(context.Background(), trials, discard{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkC2W2 trains one of the published course runs (5000 epochs).
func BenchmarkC2W2(b *testing.B) {
	t := engine.Trial{Experiment: "c2w2-moons", Seed: 3, Budget: engine.Budget{Epochs: 5000},
		Params: engine.Params{"optimizer": "adam", "lr": 0.0007}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), t, nil); err != nil {
			b.Fatal(err)
		}
	}
}
