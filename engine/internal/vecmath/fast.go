package vecmath

import "github.com/optbench/optbench/engine/internal/crmath"

// Log sets dst[i] = crmath.FastLog(src[i]) for every i (dst may be src;
// it must be at least as long). Where the CPU has AVX2 and FMA, groups of
// four positive, normal, finite arguments go through assembly that does
// FastLog's operations in its order, so the bits are FastLog's
// (TestLogMatchesFastLog); every other group is done in Go.
func Log(dst, src []float64) {
	n := len(src)
	dst = dst[:n]
	i := 0
	for hasAVX2FMA && n-i >= 4 {
		i += logAVX2(&dst[i], &src[i], (n-i)&^3)
		if n-i < 4 {
			break
		}
		// The group at i has a lane the assembly leaves to Go.
		for j := i; j < i+4; j++ {
			dst[j] = crmath.FastLog(src[j])
		}
		i += 4
	}
	for ; i < n; i++ {
		dst[i] = crmath.FastLog(src[i])
	}
}

// Sigmoid sets dst[i] = 1/(1 + crmath.FastExp(−src[i])) for every i (dst
// may be src; it must be at least as long): engine/nn's sigmoid. Where the
// CPU has AVX2 and FMA, groups of four arguments with |src[i]| ≤ 707 go
// through assembly that does the same operations in the same order
// (TestSigmoidMatchesFastExp); every other group is done in Go.
func Sigmoid(dst, src []float64) {
	n := len(src)
	dst = dst[:n]
	i := 0
	for hasAVX2FMA && n-i >= 4 {
		i += sigmoidAVX2(&dst[i], &src[i], (n-i)&^3)
		if n-i < 4 {
			break
		}
		for j := i; j < i+4; j++ {
			dst[j] = sigmoidGo(src[j])
		}
		i += 4
	}
	for ; i < n; i++ {
		dst[i] = sigmoidGo(src[i])
	}
}

func sigmoidGo(v float64) float64 { return 1 / (1 + crmath.FastExp(-v)) }
