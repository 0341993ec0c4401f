package results

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

// oneEpoch is a trial that does no training: what remains is the cost of
// scheduling it and storing it.
func oneEpoch(_ context.Context, t engine.Trial, observe train.Observer) (train.Result, error) {
	e := train.Epoch{Epoch: 0, Values: metric.Values{metric.TrainLoss: float64(t.Seed), metric.TrainAccuracy: 0.5, metric.ValLoss: 0.7, metric.ValAccuracy: 0.5, metric.LR: 0.1}}
	observe(e)
	return train.Result{Status: train.Completed, Epochs: 1, Steps: 1, Last: e, Final: e.Metrics()}, nil
}

func overheadTrials(n int) []engine.Trial {
	ts := make([]engine.Trial, n)
	for i := range ts {
		ts[i] = engine.Trial{Experiment: "moons-mlp", Seed: uint64(i), Budget: engine.Budget{Epochs: 1},
			Params: engine.Params{"optimizer": "adam", "lr": 0.01, "batch_size": 32.0}}
	}
	return ts
}

// runOverhead trains n one-epoch trials and stores them; with claims,
// through the stored plan: Plan, a Claimer as the source, its Recorder.
// The recorder commits with batch (the zero Batch: each outcome in its
// own transaction).
func runOverhead(tb testing.TB, n int, progress func(engine.Progress), claims bool, batch Batch) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(tb.TempDir(), "o.db"))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	sw, err := db.PutSweep(ctx, SweepRecord{Name: "overhead", Experiment: "moons-mlp", Source: "x"})
	if err != nil {
		tb.Fatal(err)
	}
	run, err := db.StartRun(ctx, sw.ID, Provenance{})
	if err != nil {
		tb.Fatal(err)
	}
	x := &engine.Executor{Workers: 2, Run: oneEpoch, Progress: progress}
	var p engine.Progress
	if claims {
		if _, err := db.Plan(ctx, sw.ID, overheadTrials(n)); err != nil {
			tb.Fatal(err)
		}
		c, err := db.Claimer(ctx, sw.ID, run, ClaimOptions{})
		if err != nil {
			tb.Fatal(err)
		}
		defer c.Close(ctx)
		r := c.Recorder()
		r.Batch = batch
		p, err = x.Drive(ctx, c, r)
	} else {
		r := db.Recorder(sw.ID, run)
		r.Batch = batch
		p, err = x.Execute(ctx, overheadTrials(n), r)
	}
	if err != nil || p.Done != n {
		tb.Fatalf("%d of %d trials, err %v", p.Done, n, err)
	}
}

// BenchmarkTrialOverhead measures scheduling plus storage per trial on
// 10 000 one-epoch trials (goal: at most 0.2 ms per trial; Optuna 3.1
// with SQLite storage spends about 22 ms), from a slice of trials and, as
// optbench run does and several processes sharing a sweep do, from the
// stored plan with claims and leases (storing the plan included). Each
// commits every outcome in its own transaction (commit=each, as optbench
// did before batching) and in batches (commit=batch, DefaultBatch, what
// optbench run does now), so one run shows what batching saves. Besides
// the time per trial it reports the process's CPU time per trial (both
// workers, the recorder and the garbage collector), which other work on a
// shared machine disturbs less. Run with
//
//	go test -run '^$' -bench TrialOverhead -benchtime 1x ./results/
func BenchmarkTrialOverhead(b *testing.B) {
	const n = 10000
	for _, claims := range []bool{false, true} {
		for _, batch := range []Batch{{}, DefaultBatch} {
			name := "slice"
			if claims {
				name = "claims"
			}
			name += "/commit=each"
			if batch.batched() {
				name = strings.Replace(name, "each", "batch", 1)
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				cpu0, ok := processCPU()
				for b.Loop() {
					runOverhead(b, n, nil, claims, batch)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n)/1e6, "ms/trial")
				if cpu1, ok1 := processCPU(); ok && ok1 {
					b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/float64(b.N*n)/1e6, "cpu-ms/trial")
				}
			})
		}
	}
}

// TestMemoryFlat: outcomes are streamed to the database, so the live heap
// while the last of 6000 trials is recorded is no larger than with 1000,
// give or take a small constant.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("stores 7000 trials")
	}
	heap := func(n int) uint64 {
		var live uint64
		runOverhead(t, n, func(p engine.Progress) {
			if p.Done == n { // still inside the sweep: the executor and recorder are live
				runtime.GC()
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				live = m.HeapAlloc
			}
		}, false, DefaultBatch)
		return live
	}
	small, large := heap(1000), heap(6000)
	if large > small+2<<20 {
		t.Errorf("heap %s after 6000 trials, %s after 1000: it grows with the number of trials", mib(large), mib(small))
	}
}

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
