package main

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/reports"
	"github.com/optbench/optbench/results"
)

// BenchmarkReportFromDB times what `optbench report` does for a sweep of
// 10 000 trials with 300-epoch curves: read the sweep from SQLite, analyze
// it, load the curves the figures need and write the HTML page. Goal:
// under 5 s. Filling the database is setup and not timed.
func BenchmarkReportFromDB(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	store, err := results.Open(ctx, filepath.Join(dir, "r.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	sw, err := store.PutSweep(ctx, results.SweepRecord{Name: "big", Experiment: "moons-mlp", Metric: "val_accuracy",
		Goal: "maximize", Source: "name: big\n"})
	if err != nil {
		b.Fatal(err)
	}
	run, err := store.StartRun(ctx, sw.ID, results.CurrentProvenance([]string{"bench"}, 2))
	if err != nil {
		b.Fatal(err)
	}
	rec := store.Recorder(sw.ID, run)
	opts := []string{"gd", "momentum", "rmsprop", "adam"}
	const configs, seeds, epochs = 2000, 5, 300
	for c := 0; c < configs; c++ {
		lr := math.Pow(10, -4+3*float64(c/4)/float64(configs/4))
		for s := 0; s < seeds; s++ {
			t := engine.Trial{Experiment: "moons-mlp", Seed: uint64(s), Budget: engine.Budget{Epochs: epochs},
				Params: engine.Params{"optimizer": opts[c%4], "lr": lr, "batch_size": 32.0}}
			curve := make([]train.Epoch, epochs)
			for e := range curve {
				acc := 1 - 0.5*math.Exp(-float64(e)*lr*10) - 0.01*float64(s)
				curve[e] = train.Epoch{Epoch: e, Values: metric.Values{metric.TrainLoss: 1 - acc, metric.TrainAccuracy: acc, metric.ValLoss: 1.1 - acc, metric.ValAccuracy: acc - 0.02, metric.LR: lr, metric.GradNorm: 1, metric.X: math.NaN(), metric.Y: math.NaN()}, Seconds: float64(e) / 100}
			}
			last := curve[epochs-1]
			o := engine.Outcome{Trial: t, Key: t.Key(), Status: train.Completed, Curve: curve,
				Result: train.Result{Status: train.Completed, Epochs: epochs, Last: last, Final: last.Metrics()},
				Start:  time.Unix(0, 0), End: time.Unix(3, 0)}
			if err := rec.Record(ctx, o); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		in, err := reportInput(ctx, store, "big")
		if err != nil {
			b.Fatal(err)
		}
		in.Boundary = nil // retraining the best trial is measured by the experiments benchmarks
		if len(in.Trials) != configs*seeds {
			b.Fatalf("%d trials", len(in.Trials))
		}
		if _, err := reports.WriteHTML(ctx, filepath.Join(dir, "out"), in, reports.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
