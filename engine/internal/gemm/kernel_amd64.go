//go:build amd64 && !purego

package gemm

import "golang.org/x/sys/cpu"

//go:noescape
func microAVX512(k int, a, b, c *float64, ldc int, load bool)

//go:noescape
func chains4FMA(k int, pa, pb *[4]*float64, al, bl int, acc *[4]float64)

//go:noescape
func rowChains4uC(k int, a *float64, ai int, b *[4]*float64, m int, c *float64, ci, cj, nb int)

//go:noescape
func rowChains4(k int, a *float64, ai, al int, b *[4]*float64, bl int, m int, acc *[32]float64)

// hasFMA selects chains4FMA, rowChains4, rowChains4uC and rowsNN (which
// need AVX too) for mulSmall's chains.
var hasFMA = cpu.X86.HasFMA && cpu.X86.HasAVX

//go:noescape
func microAVX2(k int, a, b, c *float64, ldc int, load bool)

// avx512Kernel keeps an 8×24 block of C in 24 zmm registers.
var avx512Kernel = &Kernel{Name: "avx512", mr: 8, nr: 24, kc: 128, mc: 96, nc: 480,
	micro: func(k int, a, b, c []float64, ldc int, load bool) {
		_, _, _ = a[8*k-1], b[24*k-1], c[7*ldc+23] // the assembly does not check bounds
		microAVX512(k, &a[0], &b[0], &c[0], ldc, load)
	}}

// avx2Kernel keeps a 4×12 block of C in 12 ymm registers.
var avx2Kernel = &Kernel{Name: "avx2", mr: 4, nr: 12, kc: 256, mc: 96, nc: 480,
	micro: func(k int, a, b, c []float64, ldc int, load bool) {
		_, _, _ = a[4*k-1], b[12*k-1], c[3*ldc+11]
		microAVX2(k, &a[0], &b[0], &c[0], ldc, load)
	}}

// The assembly kernels also need FMA: GODEBUG=cpu.fma=off (which
// golang.org/x/sys/cpu honours, as it does cpu.avx512=off and
// cpu.avx2=off) thus selects the pure-Go kernel, as on a CPU without FMA.
var (
	hasAVX512 = cpu.X86.HasAVX512 && cpu.X86.HasAVX512F && cpu.X86.HasAVX2 && cpu.X86.HasFMA
	hasAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
)

// Kernels lists the kernels this CPU can run, fastest first.
func Kernels() []*Kernel {
	var ks []*Kernel
	if hasAVX512 {
		ks = append(ks, avx512Kernel)
	}
	if hasAVX2 {
		ks = append(ks, avx2Kernel)
	}
	return append(ks, goKernel)
}

// Best returns the fastest kernel this CPU can run.
func Best() *Kernel {
	switch {
	case hasAVX512:
		return avx512Kernel
	case hasAVX2:
		return avx2Kernel
	}
	return goKernel
}

//go:noescape
func rowsNN(rows, k int, a *float64, ai, al int, b *float64, bl int, c *float64, ldc, n4 int, load bool, e *epilogueArgs)

//go:noescape
func rowsNN512(rows, k int, a *float64, ai, al int, b *float64, bl int, c *float64, ldc, n4 int, load bool, e *epilogueArgs)
