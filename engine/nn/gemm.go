package nn

import "github.com/optbench/optbench/engine/internal/gemm"

// matrix views the first rows×cols values of data as a row-major matrix.
func matrix(data []float64, rows, cols int) gemm.Matrix {
	return gemm.Matrix{Rows: rows, Cols: cols, Stride: cols, Data: data[:rows*cols]}
}

// mul sets c = op(a)·op(b) with the engine's deterministic product: each
// element of c is one chain of fused multiply-adds over k in ascending
// order, so its bits are the same on every CPU and kernel (see
// engine/internal/gemm).
func (n *Network) mul(tA, tB gemm.Transpose, a, b, c gemm.Matrix) {
	n.mm.Mul(tA, tB, a, b, gemm.Set, c)
}
