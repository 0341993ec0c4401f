package reports_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/reports"
	"github.com/optbench/optbench/results"
)

// exampleInput is a sweep of two optimizers at two learning rates, three
// seeds each; one Adam seed diverged.
func exampleInput() reports.Input {
	in := reports.Input{Sweep: results.SweepRecord{Name: "example", Experiment: "moons", Metric: "val_accuracy", Goal: "maximize"}}
	finals := map[string][]float64{"adam": {0.91, 0.93, 0.92}, "sgd": {0.88, 0.87, 0.89}}
	for _, opt := range []string{"adam", "sgd"} {
		for _, lr := range []float64{0.01, 0.1} {
			for seed, v := range finals[opt] {
				p := engine.Params{"optimizer": opt, "lr": lr}
				t := engine.Trial{Experiment: "moons", Params: p, Seed: uint64(seed)}
				rec := results.TrialRecord{Key: t.Key(), Experiment: "moons", Optimizer: opt, Params: p, Seed: uint64(seed),
					Status: train.Completed, WallSeconds: 2, Final: map[string]float64{"val_accuracy": v - lr + 0.01}}
				if opt == "adam" && lr == 0.1 && seed == 2 {
					rec.Status, rec.Final = train.Diverged, nil
				}
				in.Trials = append(in.Trials, rec)
			}
		}
	}
	return in
}

func ExampleReport_Leaderboard() {
	r, err := reports.Analyze(context.Background(), exampleInput(), reports.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r.Leaderboard().WriteText(os.Stdout, 80)
	// Output:
	// Leaderboard: each optimizer's best configuration by val_accuracy (maximize, seed
	// mean)
	// ┌───┬───────────┬────────────┬─────────────┬─────────────────┬───────┬────────┐
	// │ # │ optimizer │ parameters │ mean ± sd   │ 95% CI          │ seeds │ wall s │
	// ├───┼───────────┼────────────┼─────────────┼─────────────────┼───────┼────────┤
	// │ 1 │ adam      │ lr=0.01    │ 0.92 ± 0.01 │ [0.8917, 0.942] │     3 │      2 │
	// │ 2 │ sgd       │ lr=0.01    │ 0.88 ± 0.01 │ [0.8531, 0.903] │     3 │      2 │
	// └───┴───────────┴────────────┴─────────────┴─────────────────┴───────┴────────┘
	// Note: 1 of 12 trials diverged: excluded from means and named beside them
	// Note: 1 of 4 configurations have fewer than 3 seeds: no confidence interval for
	//       them
	// Note: #: a configuration with a diverged, pruned or failed seed ranks below
	//       those without; ~ shares #1's rank: val_accuracy is not significantly
	//       different (Welch's t-test, two-sided, α = 0.05, ≥ 2 seeds each)
	// Note: 95% CI: Student t on the logit scale, mapped back into [0, 1] (Bland &
	//       Altman, BMJ 1996;312:1079); none below 3 seeds
}

func ExampleTable_WriteMarkdown() {
	r, err := reports.Analyze(context.Background(), exampleInput(), reports.Options{Sort: "-lr"})
	if err != nil {
		fmt.Println(err)
		return
	}
	all, err := r.AllTrials()
	if err != nil {
		fmt.Println(err)
		return
	}
	all.WriteMarkdown(os.Stdout)
	// Output:
	// **All configurations: val\_accuracy over seeds**
	//
	// | # | optimizer | parameters | mean ± sd                   | 95% CI           | seeds | wall s |
	// |--:|:----------|:-----------|----------------------------:|-----------------:|------:|-------:|
	// | 3 | sgd       | lr=0.1     |                 0.79 ± 0.01 | [0.7642, 0.8139] |     3 |      2 |
	// | 4 | adam      | lr=0.1     | 0.83 ± 0.014 (1/3 diverged) |                — |   2/3 |      2 |
	// | 1 | adam      | lr=0.01    |                 0.92 ± 0.01 |  [0.8917, 0.942] |     3 |      2 |
	// | 2 | sgd       | lr=0.01    |                 0.88 ± 0.01 |  [0.8531, 0.903] |     3 |      2 |
	//
	// - #: a configuration with a diverged, pruned or failed seed ranks below those without; ~ shares #1's rank: val\_accuracy is not significantly different (Welch's t-test, two-sided, α = 0.05, ≥ 2 seeds each)
	// - 95% CI: Student t on the logit scale, mapped back into [0, 1] (Bland & Altman, BMJ 1996;312:1079); none below 3 seeds
	// - seeds: summarized/trials; diverged, pruned, failed and interrupted trials are excluded from means and named beside them
}

func ExampleWriteHTML() {
	dir, err := os.MkdirTemp("", "report")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path, err := reports.WriteHTML(context.Background(), dir, exampleInput(), reports.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(filepath.Base(path))
	// Output:
	// index.html
}
