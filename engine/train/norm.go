package train

import "math"

// l2Norm returns ‖x‖₂ by the scaled sum of squares of LAPACK's dnrm2 (the
// algorithm of gonum's floats.Norm(x, 2), which it replaces: gonum runs
// assembly on amd64 and Go elsewhere, and the two round differently).
// Each product that feeds an addition is rounded explicitly, float64(…),
// so that no compiler fuses it into a multiply-add: the bits are the same
// on every platform.
func l2Norm(x []float64) float64 {
	scale, sumSquares := 0.0, 1.0
	for _, v := range x {
		if v == 0 {
			continue
		}
		a := math.Abs(v)
		if math.IsNaN(a) {
			return math.NaN()
		}
		if scale < a {
			s := scale / a
			sumSquares = 1 + float64(sumSquares*s*s)
			scale = a
		} else {
			s := a / scale
			sumSquares += float64(s * s)
		}
	}
	if math.IsInf(scale, 1) {
		return math.Inf(1)
	}
	return float64(scale * math.Sqrt(sumSquares)) // rounded: callers add it
}

// hypot returns √(x² + y²) without undue overflow, as math.Hypot does (which
// has assembly on amd64 and fusable Go elsewhere), rounding its one product
// before the addition so that the bits are the same on every platform.
func hypot(x, y float64) float64 {
	p, q := math.Abs(x), math.Abs(y)
	switch {
	case math.IsInf(p, 1) || math.IsInf(q, 1):
		return math.Inf(1)
	case math.IsNaN(p) || math.IsNaN(q):
		return math.NaN()
	}
	if p < q {
		p, q = q, p
	}
	if p == 0 {
		return 0
	}
	q /= p
	return float64(p * math.Sqrt(1+float64(q*q)))
}
