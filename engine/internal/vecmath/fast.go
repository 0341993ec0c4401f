package vecmath

import "github.com/optbench/optbench/engine/internal/crmath"

// Log sets dst[i] = crmath.FastLog(src[i]) for every i (dst may be src;
// it must be at least as long). Where the CPU has AVX-512 (eight at a
// time) or AVX2 and FMA (four), groups of positive, normal, finite
// arguments go through assembly that does FastLog's operations in its
// order, so the bits are FastLog's (TestLogMatchesFastLog); every other
// group is done in Go.
func Log(dst, src []float64) {
	n := len(src)
	dst = dst[:n]
	i := 0
	for hasAVX512 && n-i >= 8 {
		i += logAVX512(&dst[i], &src[i], (n-i)&^7)
		if n-i < 8 {
			break
		}
		// The group at i has a lane the assembly leaves to Go.
		for j := i; j < i+8; j++ {
			dst[j] = crmath.FastLog(src[j])
		}
		i += 8
	}
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
// CPU has AVX-512 (eight at a time) or AVX2 and FMA (four), groups of
// arguments with |src[i]| ≤ 707 go through assembly that does the same
// operations in the same order (TestSigmoidMatchesFastExp); every other
// group is done in Go.
func Sigmoid(dst, src []float64) {
	n := len(src)
	dst = dst[:n]
	i := 0
	for hasAVX512 && n-i >= 8 {
		i += sigmoidAVX512(&dst[i], &src[i], (n-i)&^7)
		if n-i < 8 {
			break
		}
		// The group at i has a lane the assembly leaves to Go.
		for j := i; j < i+8; j++ {
			dst[j] = sigmoidGo(src[j])
		}
		i += 8
	}
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

// ReLU sets dst[i] = +0 where z[i] ≤ 0 and x[i] elsewhere (NaN z
// included), for i < len(z): ReLU(a, z, z) is max(0, z) with NaN kept and
// −0 made +0; ReLU(da, z, da) multiplies da by ReLU's derivative (torch's
// 0 at the kink). dst and x must be at least as long as z. With AVX it
// runs four at a time without branches (data-dependent branches
// mispredict on half the examples); the bits are the same as the Go
// loop's (TestReLUMatchesGo).
func ReLU(dst, z, x []float64) {
	n := len(z)
	dst, x = dst[:n], x[:n]
	done := 0
	if hasAVX && n >= 4 {
		done = n &^ 3
		reluAVX(&dst[0], &z[0], &x[0], done)
	}
	reluGo(dst[done:], z[done:], x[done:])
}

func reluGo(dst, z, x []float64) {
	for i, v := range z {
		if v <= 0 {
			dst[i] = 0
		} else {
			dst[i] = x[i]
		}
	}
}

// ScaledDiff sets dst[i] = s·(a[i] − y[i]) for i < len(a) (dst and y at
// least as long): engine/nn's output delta (1/B)·(A − Y). With AVX it runs
// four at a time, the same subtraction and product as the Go loop
// (TestScaledDiffMatchesGo).
func ScaledDiff(dst, a, y []float64, s float64) {
	n := len(a)
	dst, y = dst[:n], y[:n]
	done := 0
	if hasAVX && n >= 4 {
		done = n &^ 3
		scaledDiffAVX(&dst[0], &a[0], &y[0], s, done)
	}
	scaledDiffGo(dst[done:], a[done:], y[done:], s)
}

func scaledDiffGo(dst, a, y []float64, s float64) {
	for i := range dst {
		dst[i] = s * (a[i] - y[i])
	}
}

// SelectBinary sets dst[i] = a[i] where y[i] is 1 and 1 − a[i] where y[i]
// is 0, for i < len(a) (dst and y at least as long): the argument of the
// one logarithm of a binary cross-entropy term whose target is 0 or 1. It
// reports false, leaving dst unspecified, when some y[i] is neither or,
// with unit, some a[i] is outside [0, 1] (NaN included). With AVX it runs
// four at a time with a blend instead of a branch (the targets go either
// way at random); the results are the Go loop's (TestSelectBinaryMatchesGo).
func SelectBinary(dst, a, y []float64, unit bool) bool {
	n := len(a)
	dst, y = dst[:n], y[:n]
	done := 0
	if hasAVX && n >= 4 {
		done = n &^ 3
		if !selectBinaryAVX(&dst[0], &a[0], &y[0], done, unit) {
			return false
		}
	}
	return selectBinaryGo(dst[done:], a[done:], y[done:], unit)
}

func selectBinaryGo(dst, a, y []float64, unit bool) bool {
	for i, t := range y {
		if t != 0 && t != 1 || unit && !(a[i] >= 0 && a[i] <= 1) {
			return false
		}
		if t == 1 {
			dst[i] = a[i]
		} else {
			dst[i] = 1 - a[i]
		}
	}
	return true
}

// AddConst adds b to every element of x in place (the bias add of a large product's epilogue, engine/internal/gemm),
// four at a time with AVX: the same IEEE additions as the Go loop
// (TestAddConstMatchesGo).
func AddConst(x []float64, b float64) {
	n := len(x)
	done := 0
	if hasAVX && n >= 4 {
		done = n &^ 3
		addConstAVX(&x[0], b, done)
	}
	for i := done; i < n; i++ {
		x[i] += b
	}
}

// Hits returns the number of i < len(a) with p == y[i], p = 1 where
// a[i] > 0.5 and 0 elsewhere (NaN included): engine/nn's count of correct
// predictions of one sigmoid unit. With AVX2 it compares four at a time
// without branches (half the predictions would mispredict one); the count
// is the Go loop's (TestHitsMatchesGo).
func Hits(a, y []float64) int {
	n := len(a)
	y = y[:n]
	done := 0
	var count [4]int64
	if hasAVX2FMA && n >= 4 {
		done = n &^ 3
		hitsAVX(&a[0], &y[0], done, &count)
	}
	hits := int(count[0] + count[1] + count[2] + count[3])
	return hits + hitsGo(a[done:], y[done:])
}

func hitsGo(a, y []float64) int {
	hits := 0
	for i, v := range a {
		p := 0.0
		if v > 0.5 {
			p = 1
		}
		if p == y[i] {
			hits++
		}
	}
	return hits
}
