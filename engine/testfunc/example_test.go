package testfunc_test

import (
	"fmt"

	"github.com/optbench/optbench/engine/testfunc"
)

// Plain gradient descent on the ill-conditioned bowl: the step that is
// nearly too large for the steep x direction barely moves y.
func ExampleIllConditionedQuadratic() {
	var f testfunc.Function = testfunc.IllConditionedQuadratic{}
	x, y := f.Start()
	const rate = 0.09
	for step := range 4 {
		gx, gy := f.Gradient(x, y)
		x, y = x-rate*gx, y-rate*gy
		fmt.Printf("step %d: x = %+.4f  y = %+.4f  f = %.4f\n", step+1, x, y, f.Value(x, y))
	}
	// Output:
	// step 1: x = -1.2000  y = -8.1900  f = 47.9380
	// step 2: x = +0.9600  y = -7.4529  f = 36.9889
	// step 3: x = -0.7680  y = -6.7821  f = 28.8969
	// step 4: x = +0.6144  y = -6.1717  f = 22.8201
}

func ExampleRosenbrock() {
	var f testfunc.Function = testfunc.Rosenbrock{}
	x, y := f.Start()
	gx, gy := f.Gradient(x, y)
	fmt.Printf("f%v = %.1f, gradient (%.1f, %.1f)\n", [2]float64{x, y}, f.Value(x, y), gx, gy)
	// Output:
	// f[-1.2 1] = 24.2, gradient (-215.6, -88.0)
}

// Beale's function is zero at its minimum and steep at the usual start.
func ExampleBeale() {
	f := testfunc.Beale{}
	fmt.Println(f.Value(f.Minimum()))
	fmt.Println(f.Value(f.Start()))
	// Output:
	// 0
	// 39062.953125
}
