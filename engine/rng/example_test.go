package rng_test

import (
	"fmt"

	"github.com/optbench/optbench/engine/rng"
)

// The same numbers as np.random.seed(0); np.random.random_sample(3).
func ExampleNew() {
	r := rng.New(0)
	for range 3 {
		fmt.Printf("%.8f\n", r.Float64())
	}
	// Output:
	// 0.54881350
	// 0.71518937
	// 0.60276338
}

// The same numbers as np.random.seed(1); np.random.randn(3).
func ExampleRandomState_NormFloat64() {
	r := rng.New(1)
	for range 3 {
		fmt.Printf("%.8f\n", r.NormFloat64())
	}
	// Output:
	// 1.62434536
	// -0.61175641
	// -0.52817175
}

// The same order as np.random.RandomState(11).permutation(8).
func ExampleRandomState_Permutation() {
	perm := make([]int, 8)
	rng.New(11).Permutation(perm)
	fmt.Println(perm)
	// Output:
	// [2 6 4 5 7 3 0 1]
}

// Each named stream of a trial gets its own generator, so drawing more for
// one stream (a bigger dataset, say) leaves the others unchanged.
func ExampleDerive() {
	const trialSeed = 42
	for _, stream := range []string{"data", "init", "shuffle"} {
		seed := rng.Derive(trialSeed, stream)
		fmt.Printf("%-7s %10d %.6f\n", stream, seed, rng.New(seed).Float64())
	}
	// Output:
	// data    4190585761 0.632304
	// init    2437677551 0.076518
	// shuffle  909167729 0.434998
}
