package engine_test

import (
	"fmt"

	"github.com/optbench/optbench/engine"
)

func ExampleTrial_Key() {
	t := engine.Trial{Experiment: "moons-mlp", Seed: 3, Budget: engine.Budget{Epochs: 10},
		Params: engine.Params{"optimizer": "adam", "lr": 0.001, "hidden": []float64{16, 16}, "batch_norm": false}}
	fmt.Println(string(t.Canonical()))
	fmt.Println(t.Key())
	// Output:
	// {"experiment":"moons-mlp","params":{"batch_norm":false,"hidden":[16,16],"lr":0.001,"optimizer":"adam"},"seed":3,"budget":{"epochs":10}}
	// 6700b507362992f5
}
