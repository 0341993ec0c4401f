package main

import (
	"context"
	"io"
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
// bigSweep stores a sweep "big" of 2000 configurations × 5 seeds with
// 300-epoch curves; adam's accuracies are lowered by shift.
func bigSweep(b *testing.B, path string, shift float64) *results.DB {
	ctx := context.Background()
	store, err := results.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
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
				if opts[c%4] == "adam" {
					acc -= shift
				}
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
	return store
}

// BenchmarkCompare10k times optbench compare of two databases of 10 000
// trials with 300-epoch curves, where every adam trial (2 500) changed and
// regressed: load both snapshots (digesting every curve), match, test, and
// render the table. Goal: under 5 s. Filling the databases is not timed.
func BenchmarkCompare10k(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	base, cand := filepath.Join(dir, "base.db"), filepath.Join(dir, "cand.db")
	bigSweep(b, base, 0).Close()
	bigSweep(b, cand, 0.05).Close()
	b.ResetTimer()
	for b.Loop() {
		bs, bcurve, closeBase, err := loadSide(ctx, base, "big", "")
		if err != nil {
			b.Fatal(err)
		}
		cs, ccurve, closeCand, err := loadSide(ctx, cand, "big", "")
		if err != nil {
			b.Fatal(err)
		}
		c, err := reports.CompareSnapshots(ctx, bs, cs, reports.CompareOptions{BaseCurve: bcurve, CandidateCurve: ccurve})
		if err != nil {
			b.Fatal(err)
		}
		if len(c.Configs) != 2000 || c.Changed != 500 || c.Regressions != 500 {
			b.Fatalf("%d configurations, %d changed, %d regressed; want 2000, 500, 500", len(c.Configs), c.Changed, c.Regressions)
		}
		if err := c.Table().WriteText(io.Discard, 160); err != nil {
			b.Fatal(err)
		}
		closeBase()
		closeCand()
	}
}

func BenchmarkReportFromDB(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	store := bigSweep(b, filepath.Join(dir, "r.db"), 0)
	defer store.Close()
	const configs, seeds = 2000, 5
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
