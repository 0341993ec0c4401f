package results

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

// benchOutcomes returns n outcomes of distinct trials with curves of the
// given length defining four metrics (train and validation loss and
// accuracy) and wall time, as a network trial without lr or gradient
// tracking would.
func benchOutcomes(n, epochs int) []engine.Outcome {
	nan := math.NaN()
	out := make([]engine.Outcome, n)
	for i := range out {
		trial := engine.Trial{Experiment: "trig", Seed: uint64(i % 5), Budget: engine.Budget{Epochs: epochs},
			Params: engine.Params{"optimizer": "adam", "lr": 1e-4 * float64(1+i/5), "hidden": []float64{16, 16}}}
		curve := make([]train.Epoch, epochs)
		for e := range curve {
			f := float64(e + 1)
			curve[e] = train.Epoch{Epoch: e, TrainLoss: 1 / f, TrainAccuracy: 1 - 1/(f+1), ValLoss: 1.1 / f,
				ValAccuracy: 1 - 1.1/(f+1), LR: nan, GradNorm: nan, X: nan, Y: nan, Seconds: 0.01 * f}
		}
		last := curve[epochs-1]
		start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		out[i] = engine.Outcome{Trial: trial, Key: trial.Key(), Status: train.Completed, Curve: curve,
			Start: start, End: start.Add(time.Minute),
			Result: train.Result{Status: train.Completed, Epochs: epochs, Steps: 10 * epochs, Last: last,
				Final: append(last.Metrics(), train.Metric{Name: "train_eval_loss", Value: 0.01})}}
	}
	return out
}

// BenchmarkWriteCurves records a sweep of 1000 trials of 1000 epochs: one
// op is the whole sweep, the writer's time (opening the database is not
// counted). The goal is under 5 s.
//
//	go test -bench WriteCurves -benchtime 1x ./results/
func BenchmarkWriteCurves(b *testing.B) {
	const trials, epochs = 1000, 1000
	outcomes := benchOutcomes(trials, epochs)
	ctx := context.Background()
	b.ReportAllocs()
	var size int64
	for range b.N {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "bench.db")
		db, err := Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		s, err := db.PutSweep(ctx, SweepRecord{Name: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		r := db.Recorder(s.ID, 0)
		b.StartTimer()
		for _, o := range outcomes {
			if err := r.Record(ctx, o); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		if fi, err := os.Stat(path); err == nil {
			size = fi.Size()
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/trials/1e6, "ms/trial")
	b.ReportMetric(float64(b.N*trials*epochs)/b.Elapsed().Seconds(), "epochs/s")
	b.ReportMetric(float64(size)/1e6, "MB-on-disk")
}

// BenchmarkCurves loads the curves of three 1000-epoch trials from a
// sweep of 200, as a report comparing the best configurations does.
func BenchmarkCurves(b *testing.B) {
	const trials, epochs = 200, 1000
	outcomes := benchOutcomes(trials, epochs)
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s, err := db.PutSweep(ctx, SweepRecord{Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	r := db.Recorder(s.ID, 0)
	for _, o := range outcomes {
		if err := r.Record(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
	keys := []string{outcomes[7].Key, outcomes[70].Key, outcomes[170].Key}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		curves, err := db.Curves(ctx, "bench", keys)
		if err != nil {
			b.Fatal(err)
		}
		if len(curves[keys[0]]) != epochs {
			b.Fatalf("got %d epochs, want %d", len(curves[keys[0]]), epochs)
		}
	}
}
