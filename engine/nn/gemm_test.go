package nn

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/optbench/optbench/engine/rng"
)

// TestGemmTiles checks the tiled product against a plain triple loop for
// every transpose combination and shapes that straddle the tile sizes.
// Summation order differs from the loop's, so elements agree to a few ulps
// of the sum of absolute products (tolerance 1e-13 relative to that sum).
func TestGemmTiles(t *testing.T) {
	r := rng.New(7)
	for _, sz := range [][3]int{{3, 4, 5}, {64, 192, 7}, {65, 193, 31}, {256, 128, 784}, {300, 10, 70}, {10, 300, 9}} {
		for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			for _, tB := range []blas.Transpose{blas.NoTrans, blas.Trans} {
				m, n, k := sz[0], sz[1], sz[2]
				t.Run(fmt.Sprintf("%dx%dx%d/%c%c", m, n, k, tA, tB), func(t *testing.T) {
					mk := func(rows, cols int) blas64.General {
						g := blas64.General{Rows: rows, Cols: cols, Stride: cols, Data: make([]float64, rows*cols)}
						r.Randn(g.Data)
						return g
					}
					a := mk(m, k)
					if tA == blas.Trans {
						a = mk(k, m)
					}
					b := mk(k, n)
					if tB == blas.Trans {
						b = mk(n, k)
					}
					want := mk(m, n)
					got := blas64.General{Rows: m, Cols: n, Stride: n, Data: append([]float64(nil), want.Data...)}
					at := func(g blas64.General, tr blas.Transpose, i, j int) float64 {
						if tr == blas.Trans {
							i, j = j, i
						}
						return g.Data[i*g.Stride+j]
					}
					scale := make([]float64, m*n)
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							var s, abs float64
							for l := 0; l < k; l++ {
								p := at(a, tA, i, l) * at(b, tB, l, j)
								s += p
								abs += math.Abs(p)
							}
							want.Data[i*n+j] = 1.5*s + 0.5*want.Data[i*n+j]
							scale[i*n+j] = 1.5*abs + 0.5*math.Abs(got.Data[i*n+j])
						}
					}
					gemm(tA, tB, 1.5, a, b, 0.5, got)
					for i := range want.Data {
						if math.Abs(got.Data[i]-want.Data[i]) > 1e-13*scale[i] {
							t.Fatalf("element %d: tiled %v, loop %v", i, got.Data[i], want.Data[i])
						}
					}
				})
			}
		}
	}
}
