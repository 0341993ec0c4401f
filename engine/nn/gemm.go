package nn

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// gemm computes C = alpha·op(A)·op(B) + beta·C like blas64.Gemm, but in
// tiles small enough that gonum runs each one serially. gonum parallelizes
// a product once it spans four 64×64 blocks of C, starting goroutines and
// allocating on every call; a trial already has a core of its own (the
// executor runs one trial per worker), so serial tiles are faster overall
// and keep a training step free of allocations. Every element of C is
// summed over k in one serial pass, so the result does not depend on the
// machine's core count (gonum's parallel path blocks k and may round
// differently in the last bit).
func gemm(tA, tB blas.Transpose, alpha float64, a, b blas64.General, beta float64, c blas64.General) {
	const rowTile, colTile = 64, 192 // 1×3 blocks of 64: below gonum's parallel threshold
	if c.Rows <= rowTile && c.Cols <= colTile || c.Rows <= 64*3 && c.Cols <= 64 {
		blas64.Gemm(tA, tB, alpha, a, b, beta, c)
		return
	}
	k := a.Cols
	if tA == blas.Trans {
		k = a.Rows
	}
	for i := 0; i < c.Rows; i += rowTile {
		ri := min(rowTile, c.Rows-i)
		as := a
		if tA == blas.NoTrans {
			as = blas64.General{Rows: ri, Cols: k, Stride: a.Stride, Data: a.Data[i*a.Stride:]}
		} else {
			as = blas64.General{Rows: k, Cols: ri, Stride: a.Stride, Data: a.Data[i:]}
		}
		for j := 0; j < c.Cols; j += colTile {
			cj := min(colTile, c.Cols-j)
			bs := b
			if tB == blas.NoTrans {
				bs = blas64.General{Rows: k, Cols: cj, Stride: b.Stride, Data: b.Data[j:]}
			} else {
				bs = blas64.General{Rows: cj, Cols: k, Stride: b.Stride, Data: b.Data[j*b.Stride:]}
			}
			cs := blas64.General{Rows: ri, Cols: cj, Stride: c.Stride, Data: c.Data[i*c.Stride+j:]}
			blas64.Gemm(tA, tB, alpha, as, bs, beta, cs)
		}
	}
}
