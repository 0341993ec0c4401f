package results_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

// Store a sweep's outcome as the executor would, then export it.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "results-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	db, err := results.Open(ctx, filepath.Join(dir, "optbench.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	sweep, err := db.PutSweep(ctx, results.SweepRecord{Name: "lr", Experiment: "trig", Source: "name: lr\n"})
	if err != nil {
		log.Fatal(err)
	}
	run, err := db.StartRun(ctx, sweep.ID, results.CurrentProvenance(os.Args, 2))
	if err != nil {
		log.Fatal(err)
	}

	// The executor calls Record once per finished trial.
	trial := engine.Trial{Experiment: "trig", Seed: 1, Budget: engine.Budget{Epochs: 1},
		Params: engine.Params{"optimizer": "gd", "lr": 0.01}}
	nan := math.NaN()
	epoch := train.Epoch{Values: metric.Values{metric.TrainLoss: 0.5, metric.TrainAccuracy: 0.75, metric.ValLoss: nan, metric.ValAccuracy: nan, metric.LR: 0.01, metric.GradNorm: nan, metric.X: nan, metric.Y: nan}}
	err = db.Recorder(sweep.ID, run).Record(ctx, engine.Outcome{Trial: trial, Key: trial.Key(),
		Status: train.Completed, Curve: []train.Epoch{epoch},
		Result: train.Result{Epochs: 1, Final: epoch.Metrics()}})
	if err != nil {
		log.Fatal(err)
	}
	if err := db.FinishRun(ctx, run); err != nil {
		log.Fatal(err)
	}

	done, err := db.Done(ctx, sweep.ID) // what a rerun skips
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("done:", len(done))
	if err := results.Export(ctx, db, os.Stdout, results.ExportOptions{Sweep: "lr"}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// done: 1
	// sweep,trial,seed,status,numerics,experiment,optimizer,lr,final_lr,train_accuracy,train_loss
	// lr,2cdbd6b28f43f081,1,completed,3,trig,gd,0.01,0.01,0.75,0.5
}

// Run a sweep from its stored plan, as each of several processes sharing
// the database does: every trial is trained by one of them.
func ExampleDB_Claimer() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "results-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := results.Open(ctx, filepath.Join(dir, "optbench.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	sweep, err := db.PutSweep(ctx, results.SweepRecord{Name: "lr", Experiment: "trig", File: "/sweeps/lr.yaml"})
	if err != nil {
		log.Fatal(err)
	}
	var trials []engine.Trial
	for _, lr := range []float64{0.1, 0.01, 0.001} {
		trials = append(trials, engine.Trial{Sweep: "lr", Experiment: "trig", Seed: 1,
			Budget: engine.Budget{Epochs: 1}, Params: engine.Params{"optimizer": "gd", "lr": lr}})
	}
	plan, err := db.Plan(ctx, sweep.ID, trials)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("plan: %d trials, %d finished, %d stale\n", plan.Trials, plan.Finished, plan.Stale)

	run, err := db.StartRun(ctx, sweep.ID, results.CurrentProvenance(os.Args, 2))
	if err != nil {
		log.Fatal(err)
	}
	claimer, err := db.Claimer(ctx, sweep.ID, run, results.ClaimOptions{})
	if err != nil {
		log.Fatal(err)
	}
	x := &engine.Executor{Workers: 2, Run: func(_ context.Context, t engine.Trial, observe train.Observer) (train.Result, error) {
		lr, _ := t.Params.Float("lr")
		e := train.NewEpoch(0).With(metric.TrainLoss, lr).With(metric.LR, lr)
		observe(e)
		return train.Result{Epochs: 1, Final: e.Metrics()}, nil
	}}
	_, err = x.Drive(ctx, claimer, claimer.Recorder())
	if err := errors.Join(err, claimer.Close(ctx), db.FinishRun(ctx, run)); err != nil {
		log.Fatal(err)
	}

	runs, err := db.Runs(ctx, "lr")
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range runs {
		fmt.Printf("run %d: trained %d, completed %d, discarded %d\n", r.RunID, r.Trained, r.Completed, r.Discarded)
	}
	// Output:
	// plan: 3 trials, 0 finished, 0 stale
	// run 1: trained 3, completed 3, discarded 0
}
