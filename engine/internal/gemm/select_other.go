//go:build !amd64 || purego

package gemm

// Kernels lists the kernels this CPU can run, fastest first.
func Kernels() []*Kernel { return []*Kernel{goKernel} }

// Best returns the fastest kernel this CPU can run.
func Best() *Kernel { return goKernel }

const (
	hasFMA    = false
	hasAVX512 = false
)

func chains4FMA(k int, pa, pb *[4]*float64, al, bl int, acc *[4]float64) {
	panic("gemm: no assembly on this platform")
}

func rowChains4(k int, a *float64, ai, al int, b *[4]*float64, bl int, m int, acc *[32]float64) {
	panic("gemm: no assembly on this platform")
}

func rowsNN(rows, k int, a *float64, ai, al int, b *float64, bl int, c *float64, ldc, n4 int, load bool, e *epilogueArgs) {
	panic("gemm: no assembly on this platform")
}

func rowsNN512(rows, k int, a *float64, ai, al int, b *float64, bl int, c *float64, ldc, n4 int, load bool, e *epilogueArgs) {
	panic("gemm: no assembly on this platform")
}

func rowChains4uC(k int, a *float64, ai int, b *[4]*float64, m int, c *float64, ci, cj, nb int) {
	panic("gemm: no assembly on this platform")
}
