package search_test

import (
	"fmt"

	"github.com/optbench/optbench/search"
)

func ExampleNewHyperbandTPE() {
	s := &search.Space{Branches: []search.Branch{{Optimizer: "adam", Schedule: "constant",
		Dimensions: []search.Dimension{{Name: "lr", Domain: search.LogUniform{Lo: 1e-4, Hi: 1}}}}}}
	// 17 configurations in three brackets; TPE models once 4 have a value.
	hb, err := search.NewHyperbandTPE(search.Halving{MinEpochs: 1, MaxEpochs: 9, Eta: 3}, s,
		search.TPEOptions{Samples: 17, Seed: 1, Startup: 4})
	if err != nil {
		panic(err)
	}
	var history []search.Observation
	for g := 0; ; g++ {
		props, done, err := hb.Next(g, history)
		if err != nil {
			panic(err)
		}
		fmt.Printf("generation %d:", g)
		for _, p := range props {
			lr, _ := p.Config.Params.Float("lr")
			fmt.Printf(" %.2g@%d", lr, p.PruneAt)
			// The loss is the factor by which lr misses 0.01.
			loss := max(lr/0.01, 0.01/lr)
			history = append(history, search.Observation{Index: len(history), Proposal: p, Value: loss})
		}
		fmt.Println()
		if done {
			break
		}
	}
	// Generation 0 is bracket s=2 drawn at random; bracket s=1 (the last
	// five of generation 1) and s=0 (the last three of generation 2) are
	// proposed by TPE from the results before them. lr@prune_at:

	// Output:
	// generation 0: 0.00092@1 0.0025@1 0.00016@1 0.041@1 0.00047@1 0.91@1 0.00015@1 0.0083@1 0.00046@1
	// generation 1: 0.0025@3 0.041@3 0.0083@3 0.016@3 0.38@3 0.012@3 0.21@3 0.0037@3
	// generation 2: 0.0083@0 0.012@0 0.019@0 0.067@0 0.0065@0
}
