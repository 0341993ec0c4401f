package search_test

import (
	"fmt"

	"github.com/optbench/optbench/search"
)

func ExampleNewSobol() {
	s := &search.Space{Branches: []search.Branch{
		{Optimizer: "gd", Schedule: "constant", Dimensions: []search.Dimension{
			{Name: "lr", Domain: search.LogUniform{Lo: 1e-4, Hi: 1e-1}}}},
		{Optimizer: "adam", Schedule: "constant", Dimensions: []search.Dimension{
			{Name: "lr", Domain: search.LogUniform{Lo: 1e-4, Hi: 1e-1}},
			{Name: "batch_size", Domain: search.PowersOfTwo{Lo: 16, Hi: 256}}}},
	}}
	m, err := search.NewSobol(s, 4, 1)
	if err != nil {
		panic(err)
	}
	for {
		c, ok := m.Propose()
		if !ok {
			break
		}
		fmt.Printf("%s lr=%.3g batch_size=%v index=%v\n", c.Params["optimizer"], c.Params["lr"], c.Params["batch_size"], c.Index)
		m.Tell(true) // a repeat would be told false and replaced by the next point
	}
	// Output:
	// gd lr=0.00356 batch_size=<nil> index=[-1]
	// adam lr=0.00282 batch_size=16 index=[-1 0]
	// adam lr=0.0201 batch_size=128 index=[-1 3]
	// gd lr=0.0005 batch_size=<nil> index=[-1]
}
