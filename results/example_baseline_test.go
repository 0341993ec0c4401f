package results_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

// Save a sweep's results as a baseline file, then read it back as a
// comparison would.
func ExampleWriteBaseline() {
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
	sweep, err := db.PutSweep(ctx, results.SweepRecord{Name: "lr", Experiment: "trig", Metric: "train_loss",
		Goal: "minimize", File: "sweeps/lr.yaml", Source: "name: lr\n"})
	if err != nil {
		log.Fatal(err)
	}
	trial := engine.Trial{Experiment: "trig", Seed: 1, Budget: engine.Budget{Epochs: 1},
		Params: engine.Params{"optimizer": "gd", "lr": 0.01}}
	epoch := train.NewEpoch(0).With(metric.TrainLoss, 0.5)
	r := db.Recorder(sweep.ID, 0)
	r.Numerics = "1"
	err = r.Record(ctx, engine.Outcome{Trial: trial, Key: trial.Key(), Status: train.Completed,
		Curve: []train.Epoch{epoch}, Result: train.Result{Epochs: 1, Final: epoch.Metrics()}})
	if err != nil {
		log.Fatal(err)
	}

	snap, err := db.Snapshot(ctx, "lr")
	if err != nil {
		log.Fatal(err)
	}
	var file bytes.Buffer
	if err := results.WriteBaseline(&file, snap); err != nil {
		log.Fatal(err)
	}
	fmt.Print(file.String())

	base, err := results.ReadBaseline(&file, "baselines/lr.jsonl")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(base.Source, len(base.Trials), base.Trials[0].Digest == snap.Trials[0].Digest)
	// Output:
	// {"baseline":"optbench baseline 1","experiment":"trig","file":"sweeps/lr.yaml","goal":"minimize","metric":"train_loss","numerics":["1"],"sha256":"63434e247790b9bb48a8d482d6c8cc3f3c1e4d2af90984e51700614b47b3275a","sweep":"lr","trials":1}
	// {"config":"7b86e68a7f246d14","digest":"1257ad3f4e9de89982fdfab5fd9ab1f15066c9265a765fb698199683362562cf","epochs":1,"final":{"train_loss":0.5},"key":"2cdbd6b28f43f081","numerics":"1","optimizer":"gd","params":{"lr":0.01,"optimizer":"gd"},"seed":1,"status":"completed"}
	// baseline baselines/lr.jsonl 1 true
}
