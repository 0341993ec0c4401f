// Package gemm is the engine's matrix product: C = op(A)·op(B), or
// C += op(A)·op(B), with op either the identity or the transpose, computed
// under one rule that makes its bits independent of the machine:
//
//	c[i,j] = fma(a[i,k−1], b[k−1,j], … fma(a[i,1], b[1,j], fma(a[i,0], b[0,j], s)))
//
// Each element of C is one chain of fused multiply-adds over k in
// ascending order, starting from s = +0 (Set) or from C's old value
// (Add). The chain is never split: vector registers hold neighbouring
// elements of C (one lane per row or column of C, never per k), k is
// blocked only by storing the running value in C and resuming the chain
// from it (a float64 store and load are exact, so blocking changes no
// bit), and a product is never divided among threads. Products of fewer
// than 4096 multiply-adds skip packing and run the same chains with
// their running values in registers: when op(B)'s rows are contiguous,
// sixteen columns of a row of C at a time through all k steps; when op(B)
// is a transpose (the weight gradients δ·Aᵀ), with AVX and FMA, up to
// eight rows × four columns side by side (or the same for Cᵀ when that
// takes fewer passes), otherwise four elements at a time. Every kernel —
// AVX-512 and AVX2 micro-kernels in Go assembly on amd64, and a pure-Go
// kernel built on math.FMA for every other CPU — therefore returns the
// same bits as the reference loop above. TestKernelsMatchReference checks
// that for every kernel against a plain math.FMA loop on ragged shapes (1×1×1
// up to sizes that are not multiples of any register block), both
// transposes of each operand, strides larger than the row length, and
// both Set and Add.
//
// The kernel is chosen at run time from golang.org/x/sys/cpu, which
// honours GODEBUG=cpu.avx512=off, cpu.avx2=off and cpu.fma=off, so the
// fallbacks can be exercised on one machine (see Best).
//
// A product's Epilogue (bias, ReLU's derivative as a mask, ReLU) is done
// in the same pass for small products and by engine/internal/vecmath's
// loops after large ones; both do the same IEEE operations (TestMulWith).
//
// gemm is part of the engine stage (one trial's numerics). It imports only
// the standard library, golang.org/x/sys/cpu and engine/internal/vecmath,
// keeps no mutable package-level state, and does not allocate once its
// Workspace has grown to the largest product it is asked for.
package gemm
