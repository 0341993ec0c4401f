package glibcmath_test

import (
	"fmt"

	"github.com/optbench/optbench/engine/internal/crmath"
	"github.com/optbench/optbench/engine/internal/glibcmath"
)

// One of the rare inputs where glibc's log is not correctly rounded:
// Python's math.log (glibc 2.36) prints -1.2293443132531172, as Log does.
func ExampleLog() {
	x := 0x1.2b8100a253c24p-02
	fmt.Println(glibcmath.Log(x))
	fmt.Println(crmath.Log(x))
	// Output:
	// -1.2293443132531172
	// -1.229344313253117
}
