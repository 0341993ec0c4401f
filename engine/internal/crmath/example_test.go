package crmath_test

import (
	"fmt"

	"github.com/optbench/optbench/engine/internal/crmath"
)

func ExampleLog() {
	fmt.Println(crmath.Log(2))
	// Output: 0.6931471805599453
}

func ExampleSin() {
	// The float64 nearest π is not π, so its sine is not 0.
	fmt.Println(crmath.Sin(3.141592653589793))
	// Output: 1.2246467991473532e-16
}

func ExampleCos() {
	fmt.Println(crmath.Cos(1))
	// Output: 0.5403023058681398
}
