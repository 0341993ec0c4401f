package search_test

import (
	"context"
	"fmt"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/search"
)

// space is momentum over two learning rates and two betas, and adam over
// the same learning rates, both with the constant schedule.
func space() *search.Space {
	lr := search.Dimension{Name: "lr", Domain: search.Points{0.1, 0.01}}
	return &search.Space{Branches: []search.Branch{
		{Optimizer: "momentum", Schedule: "constant", Dimensions: []search.Dimension{
			lr, {Name: "beta", Domain: search.Points{0.8, 0.9}}}},
		{Optimizer: "adam", Schedule: "constant", Dimensions: []search.Dimension{lr}},
	}}
}

func ExampleNewGrid() {
	g, err := search.NewGrid(space())
	if err != nil {
		panic(err)
	}
	for {
		c, ok := g.Propose()
		if !ok {
			break
		}
		fmt.Println(c.Params["optimizer"], c.Params["lr"], c.Params["beta"], c.Index)
		g.Tell(true)
	}
	// Output:
	// momentum 0.1 0.8 [0 0]
	// momentum 0.1 0.9 [0 1]
	// momentum 0.01 0.8 [1 0]
	// momentum 0.01 0.9 [1 1]
	// adam 0.1 <nil> [0]
	// adam 0.01 <nil> [1]
}

func ExampleNewRandom() {
	s := &search.Space{Branches: []search.Branch{{Optimizer: "adam", Schedule: "constant", Dimensions: []search.Dimension{
		{Name: "lr", Domain: search.LogUniform{Lo: 1e-4, Hi: 1e-1}},
		{Name: "batch_size", Domain: search.PowersOfTwo{Lo: 16, Hi: 256}},
	}}}}
	m, err := search.NewRandom(s, 3, 1)
	if err != nil {
		panic(err)
	}
	for {
		c, ok := m.Propose()
		if !ok {
			break
		}
		fmt.Printf("lr=%.3g batch_size=%v index=%v\n", c.Params["lr"], c.Params["batch_size"], c.Index)
		m.Tell(true) // a repeat would be told false and drawn again
	}
	// Output:
	// lr=0.000673 batch_size=64 index=[-1 2]
	// lr=0.0115 batch_size=32 index=[-1 1]
	// lr=0.00105 batch_size=32 index=[-1 1]
}

func ExampleNewList() {
	s := &search.Space{Branches: []search.Branch{
		{Optimizer: "gd", Schedule: "constant", Dimensions: []search.Dimension{
			{Name: "lr", Domain: search.Points{0.5}}}},
		{Optimizer: "adam", Schedule: "exponential", Dimensions: []search.Dimension{
			{Name: "gamma", Domain: search.Points{0.9}}, {Name: "hidden", Domain: search.Categorical{[]float64{8, 8}}}}},
	}}
	l, err := search.NewList(s)
	if err != nil {
		panic(err)
	}
	for {
		c, ok := l.Propose()
		if !ok {
			break
		}
		fmt.Println(c.Params)
		l.Tell(true)
	}
	// Output:
	// map[lr:0.5 optimizer:gd schedule:constant]
	// map[gamma:0.9 hidden:[8 8] optimizer:adam schedule:exponential]
}

func ExampleNewSource() {
	g, err := search.NewGrid(space())
	if err != nil {
		panic(err)
	}
	src, err := search.NewSource(g, search.Template{
		Sweep: "example", Experiment: "moons-mlp", Seeds: []uint64{0, 1}, Budget: engine.Budget{Epochs: 10},
	})
	if err != nil {
		panic(err)
	}
	trials, _ := src.Next(context.Background(), 4) // the executor asks for as many as it has workers
	for _, t := range trials {
		fmt.Println(t.Params["optimizer"], t.Params["lr"], t.Params["beta"], "seed", t.Seed)
	}
	fmt.Println(src.(engine.Sized).Total(), "trials")
	// Output:
	// momentum 0.1 0.8 seed 0
	// momentum 0.1 0.8 seed 1
	// momentum 0.1 0.9 seed 0
	// momentum 0.1 0.9 seed 1
	// 12 trials
}

func ExampleTemplate_Cross() {
	t := search.Template{Experiment: "quadratic", Seeds: []uint64{7, 3}, Budget: engine.Budget{Epochs: 100}}
	for _, trial := range t.Cross([]engine.Params{{"lr": 0.1}, {"lr": 0.01}}) {
		fmt.Println(trial.Params["lr"], trial.Seed)
	}
	// Output:
	// 0.1 7
	// 0.1 3
	// 0.01 7
	// 0.01 3
}
