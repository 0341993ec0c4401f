package search_test

import (
	"fmt"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/search"
)

// Table 1 of Li et al. (JMLR 2018): Hyperband with max_epochs 81, η 3.
func ExampleFormatBrackets() {
	fmt.Print(search.FormatBrackets(search.Brackets(1, 81, 3)))
	// Output:
	// bracket  gen 0  gen 1  gen 2  gen 3  gen 4  configurations  epochs (survivors continue)  epochs (every rung retrains)
	// s=4       81×1   27×3    9×9   3×27   1×81              81                          297                           405
	// s=3              34×3   11×9   3×27   1×81              34                          276                           363
	// s=2                     15×9   5×27   1×81              15                          279                           351
	// s=1                            8×27   2×81               8                          324                           378
	// s=0                                   5×81               5                          405                           405
	// total                                                  143                         1581                          1902
}

func ExampleBrackets() {
	for _, b := range search.Brackets(1, 9, 3) {
		fmt.Println("s =", b.S, b.Rungs, b.RetrainedEpochs(), "epochs")
	}
	// Output:
	// s = 2 [{9 1} {3 3} {1 9}] 27 epochs
	// s = 1 [{5 3} {1 9}] 24 epochs
	// s = 0 [{3 9}] 27 epochs
}

func ExampleNewSuccessiveHalving() {
	s := &search.Space{Branches: []search.Branch{{Optimizer: "adam", Schedule: "constant",
		Dimensions: []search.Dimension{{Name: "lr", Domain: search.LogUniform{Lo: 1e-4, Hi: 1}}}}}}
	sampler, err := search.NewRandom(s, 9, 1)
	if err != nil {
		panic(err)
	}
	sh, err := search.NewSuccessiveHalving(search.Halving{MinEpochs: 1, MaxEpochs: 9, Eta: 3}, 0, sampler)
	if err != nil {
		panic(err)
	}
	var history []search.Observation
	for g := 0; ; g++ {
		props, done, err := sh.Next(g, history)
		if err != nil {
			panic(err)
		}
		fmt.Printf("generation %d:", g)
		for _, p := range props {
			lr, _ := p.Config.Params.Float("lr")
			fmt.Printf(" %.2g", lr)
			// Told as the generation source would; here the loss is the
			// factor by which lr misses 0.01.
			loss := max(lr/0.01, 0.01/lr)
			history = append(history, search.Observation{Index: len(history), Proposal: p, Value: loss})
		}
		fmt.Printf(" (epochs %d, pruned at %d)\n", props[0].Epochs, props[0].PruneAt)
		if done {
			break
		}
	}
	// Output:
	// generation 0: 0.0013 0.025 0.056 0.0013 0.0023 0.0088 0.00082 0.13 0.015 (epochs 9, pruned at 1)
	// generation 1: 0.025 0.0088 0.015 (epochs 9, pruned at 3)
	// generation 2: 0.0088 (epochs 9, pruned at 0)
}

func ExampleNewMedianRule() {
	// Two earlier configurations completed with these train_loss curves:
	// the medians by epoch are 2, 1.5 and 1.
	history := []search.Observation{
		{Status: train.Completed, Curve: []float64{3, 2, 1.5}},
		{Status: train.Completed, Curve: []float64{1, 1, 0.5}},
	}
	rule, err := search.NewMedianRule(search.Median{Metric: "train_loss", Startup: 2}, history)
	if err != nil {
		panic(err)
	}
	trial := engine.Trial{Experiment: "moons-mlp", Seed: 1, Budget: engine.Budget{Epochs: 3}}.Keyed()
	for e, loss := range []float64{1.8, 1.7, 1.6} {
		d := rule.Decide(trial, train.NewEpoch(e).With(metric.TrainLoss, loss))
		if d.Stop {
			fmt.Println("stopped after epoch", e, "—", d.Reason)
			break
		}
		fmt.Println("epoch", e, "goes on")
	}
	// Output:
	// epoch 0 goes on
	// stopped after epoch 1 — median rule: best train_loss 1.7 is worse than the median 1.5 of 2 earlier configurations
}
