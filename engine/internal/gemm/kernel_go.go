package gemm

import "math"

// goKernel is the portable kernel: a 4×4 block of C in sixteen local
// variables, each updated by math.FMA, which rounds once on every platform
// (a fused instruction where the CPU has one, an exact software emulation
// where it does not).
var goKernel = &Kernel{Name: "go", mr: 4, nr: 4, kc: 256, mc: 64, nc: 512, micro: microGo}

func microGo(k int, a, b, c []float64, ldc int, load bool) {
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 float64
	if load {
		r := c[0*ldc : 0*ldc+4]
		c00, c01, c02, c03 = r[0], r[1], r[2], r[3]
		r = c[1*ldc : 1*ldc+4]
		c10, c11, c12, c13 = r[0], r[1], r[2], r[3]
		r = c[2*ldc : 2*ldc+4]
		c20, c21, c22, c23 = r[0], r[1], r[2], r[3]
		r = c[3*ldc : 3*ldc+4]
		c30, c31, c32, c33 = r[0], r[1], r[2], r[3]
	}
	a, b = a[:4*k], b[:4*k]
	for l := 0; l < k; l++ {
		ap := a[4*l : 4*l+4 : 4*l+4]
		bp := b[4*l : 4*l+4 : 4*l+4]
		a0, a1, a2, a3 := ap[0], ap[1], ap[2], ap[3]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		c00 = math.FMA(a0, b0, c00)
		c01 = math.FMA(a0, b1, c01)
		c02 = math.FMA(a0, b2, c02)
		c03 = math.FMA(a0, b3, c03)
		c10 = math.FMA(a1, b0, c10)
		c11 = math.FMA(a1, b1, c11)
		c12 = math.FMA(a1, b2, c12)
		c13 = math.FMA(a1, b3, c13)
		c20 = math.FMA(a2, b0, c20)
		c21 = math.FMA(a2, b1, c21)
		c22 = math.FMA(a2, b2, c22)
		c23 = math.FMA(a2, b3, c23)
		c30 = math.FMA(a3, b0, c30)
		c31 = math.FMA(a3, b1, c31)
		c32 = math.FMA(a3, b2, c32)
		c33 = math.FMA(a3, b3, c33)
	}
	r := c[0*ldc : 0*ldc+4]
	r[0], r[1], r[2], r[3] = c00, c01, c02, c03
	r = c[1*ldc : 1*ldc+4]
	r[0], r[1], r[2], r[3] = c10, c11, c12, c13
	r = c[2*ldc : 2*ldc+4]
	r[0], r[1], r[2], r[3] = c20, c21, c22, c23
	r = c[3*ldc : 3*ldc+4]
	r[0], r[1], r[2], r[3] = c30, c31, c32, c33
}
