package experiments_test

import (
	"context"
	"fmt"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/experiments"
)

// The first published cost of the DeepLearning.AI optimization table:
// plain gradient descent with α = 0.0007 on the course's moons.
func ExampleRun() {
	t := engine.Trial{Experiment: "c2w2-moons", Seed: 3, Budget: engine.Budget{Epochs: 1},
		Params: engine.Params{"optimizer": "gd", "lr": 0.0007}}
	_, err := experiments.Run(context.Background(), t, func(e train.Epoch) {
		fmt.Printf("cost after epoch %d: %.6f\n", e.Epoch, e.TrainLoss)
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// cost after epoch 0: 0.702405
}

func ExampleExperiment_Resolve() {
	x, _ := experiments.Lookup("moons-mlp")
	p, err := x.Resolve(engine.Params{"optimizer": "adam", "lr": 0.001})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p["beta1"], p["beta2"], p["eps"], engine.FormatValue(p["hidden"]))
	_, err = x.Resolve(engine.Params{"optimizer": "momentum", "beta1": 0.9})
	fmt.Println(err)
	// Output:
	// 0.9 0.999 1e-08 16x16
	// parameter "beta1" does not apply to experiment moons-mlp with optimizer momentum and schedule constant (did you mean "beta"?)
}
