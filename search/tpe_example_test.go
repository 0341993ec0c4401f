package search_test

import (
	"fmt"

	"github.com/optbench/optbench/engine/testfunc"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/search"
)

// TPE minimises Branin generation by generation: each call of Next
// proposes 8 configurations from the observations of the generations
// before, so the search is the same whatever order the trials finish in.
func ExampleNewTPE() {
	f := testfunc.Branin{}
	space := &search.Space{Branches: []search.Branch{{Dimensions: []search.Dimension{
		{Name: "x1", Domain: search.Uniform{Lo: -5, Hi: 10}},
		{Name: "x2", Domain: search.Uniform{Lo: 0, Hi: 15}},
	}}}}
	tpe, err := search.NewTPE(space, search.TPEOptions{Samples: 64, Seed: 1})
	if err != nil {
		panic(err)
	}
	var history []search.Observation
	best := 1e9
	for g := 0; ; g++ {
		props, done, err := tpe.Next(g, history)
		if err != nil {
			panic(err)
		}
		for _, p := range props {
			x := []float64{p.Config.Params["x1"].(float64), p.Config.Params["x2"].(float64)}
			v := f.Value(x)
			best = min(best, v)
			history = append(history, search.Observation{Index: len(history), Proposal: p, Value: v, Status: train.Completed})
		}
		if g%2 == 1 || done {
			fmt.Printf("after %2d evaluations: best %.3f\n", len(history), best)
		}
		if done {
			break
		}
	}
	// Output:
	// after 16 evaluations: best 1.936
	// after 32 evaluations: best 1.936
	// after 48 evaluations: best 0.772
	// after 64 evaluations: best 0.511
}
