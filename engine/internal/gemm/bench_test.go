package gemm

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkGemm times each kernel on the products of one 784-256-10 step
// at batch 128 (forward Z = W·X, weight gradient dW = δ·Xᵀ, back-propagated
// δ = Wᵀ·δ) and reports GFLOP/s (2mnk floating-point operations per product).
// Goal on AVX-512: ≥ 40 GFLOP/s on the large products.
func BenchmarkGemm(b *testing.B) {
	for _, bc := range []struct {
		name    string
		tA, tB  Transpose
		m, n, k int
	}{
		{"forward-256x128x784", NoTrans, NoTrans, 256, 128, 784},
		{"dW-256x784x128", NoTrans, Trans, 256, 784, 128},
		{"forward-10x128x256", NoTrans, NoTrans, 10, 128, 256},
		{"dW-10x256x128", NoTrans, Trans, 10, 256, 128},
		{"delta-256x128x10", Trans, NoTrans, 256, 128, 10},
	} {
		r := rand.New(rand.NewPCG(5, 6))
		ar, ac := bc.m, bc.k
		if bc.tA == Trans {
			ar, ac = ac, ar
		}
		br, bcol := bc.k, bc.n
		if bc.tB == Trans {
			br, bcol = bcol, br
		}
		a, bm, c := randomMatrix(r, ar, ac, 0), randomMatrix(r, br, bcol, 0), randomMatrix(r, bc.m, bc.n, 0)
		for _, kern := range Kernels() {
			b.Run(kern.Name+"/"+bc.name, func(b *testing.B) {
				w := NewWorkspace(kern)
				w.Mul(bc.tA, bc.tB, a, bm, Set, c)
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					w.Mul(bc.tA, bc.tB, a, bm, Set, c)
				}
				b.ReportMetric(2*float64(bc.m*bc.n*bc.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
