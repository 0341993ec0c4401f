//go:build !amd64 || purego

package gemm

// Kernels lists the kernels this CPU can run, fastest first.
func Kernels() []*Kernel { return []*Kernel{goKernel} }

// Best returns the fastest kernel this CPU can run.
func Best() *Kernel { return goKernel }

const hasFMA = false

func chains4FMA(k int, pa, pb *[4]*float64, al, bl int, acc *[4]float64) {
	panic("gemm: no assembly on this platform")
}

func axpyFMA(alpha float64, x, y *float64, n int) {
	panic("gemm: no assembly on this platform")
}
