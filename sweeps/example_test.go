package sweeps_test

import (
	"context"
	"fmt"

	"github.com/optbench/optbench/search"
	"github.com/optbench/optbench/sweeps"
)

func ExampleParse() {
	src := []byte(`
name: example
experiment: moons-mlp
seeds: 2
budget: {epochs: 20}
parameters:
  optimizer:
    momentum: {beta: 0.95}
    adam:
  lr: [0.1, 0.01]
`)
	s, err := sweeps.Parse("example.yaml", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	trials, err := s.Trials()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d configurations × %d seeds = %d trials of %d epochs\n",
		s.Configurations(), len(s.Seeds), len(trials), s.Budget.Epochs)
	for _, t := range trials {
		opt, _ := t.Params.String("optimizer")
		lr, _ := t.Params.Float("lr")
		batch, _ := t.Params.Float("batch_size") // the experiment's default
		fmt.Printf("%-8s lr=%-4g batch=%g seed=%d\n", opt, lr, batch, t.Seed)
	}
	// Output:
	// 4 configurations × 2 seeds = 8 trials of 20 epochs
	// momentum lr=0.1  batch=32 seed=0
	// momentum lr=0.1  batch=32 seed=1
	// momentum lr=0.01 batch=32 seed=0
	// momentum lr=0.01 batch=32 seed=1
	// adam     lr=0.1  batch=32 seed=0
	// adam     lr=0.1  batch=32 seed=1
	// adam     lr=0.01 batch=32 seed=0
	// adam     lr=0.01 batch=32 seed=1
}

func ExampleErrorList() {
	src := []byte(`
name: broken
experiment: moons-mlp
seeds: 0
parameters:
  lr: {log_uniform: [1e-4, 1e-1]}
  batch_size: {pow2: [5, 9]}
  optimizer:
    momentum: {beta1: 0.9}
`)
	_, err := sweeps.Parse("broken.yaml", src)
	fmt.Println(err)
	// Output:
	// broken.yaml:4:8: seeds: the count must be at least 1, got 0
	// broken.yaml:6:8: lr: log_uniform draws at random and needs search: {method: random}; in a grid use log_space or lin_space, or list the points
	// broken.yaml:7:22: batch_size: pow2 bounds are batch sizes, not exponents: did you mean [32, 512]?
	// broken.yaml:9:16: beta1 does not apply to optimizer momentum; it is a setting of optimizer adam, adamax, adamw, amsgrad and nadam; give it under optimizer: {adam: {beta1: …}}
}

func ExampleSweep_Space() {
	s, err := sweeps.Load(context.Background(), "random-adam.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range s.Space().Branches {
		fmt.Println(b.Optimizer, "with", b.Schedule)
		for _, d := range b.Dimensions {
			fmt.Printf("  %-10s %v\n", d.Name, d.Domain)
		}
	}
	// Output:
	// adam with constant
	//   lr         log-uniform [0.0001, 0.1)
	//   batch_size powers of two [16, 256]
	//   beta1      uniform [0.8, 0.95)
	//   beta2      [0.99 0.999]
}

// A sweep's trials as a source for the executor, and the same trials
// proposed again by the sweep's search method.
func ExampleSweep_TrialSource() {
	s, err := sweeps.Load(context.Background(), "quickstart.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	src, err := s.TrialSource() // for (*engine.Executor).Drive
	if err != nil {
		fmt.Println(err)
		return
	}
	first, _ := src.Next(context.Background(), 4)
	method, err := s.Search() // a search.Grid over s.Space()
	if err != nil {
		fmt.Println(err)
		return
	}
	again, err := search.NewSource(method, s.Template())
	if err != nil {
		fmt.Println(err)
		return
	}
	second, _ := again.Next(context.Background(), 4)
	for i, t := range first {
		fmt.Println(t.Params["optimizer"], t.Params["lr"], t.Params["batch_size"], t.Seed, t.Key() == second[i].Key())
	}
	// Output:
	// gd 0.001 32 0 true
	// gd 0.001 32 1 true
	// gd 0.001 32 2 true
	// gd 0.001 128 0 true
}
