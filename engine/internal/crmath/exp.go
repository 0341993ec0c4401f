package crmath

import "math"

// 1/n! rounded to float64 for the series' tail, n = 4…15, where the
// rounding of a coefficient is far below the result's ULP.
const (
	f4  = 1.0 / 24
	f5  = 1.0 / 120
	f6  = 1.0 / 720
	f7  = 1.0 / 5040
	f8  = 1.0 / 40320
	f9  = 1.0 / 362880
	f10 = 1.0 / 3628800
	f11 = 1.0 / 39916800
	f12 = 1.0 / 479001600
	f13 = 1.0 / 6227020800
	f14 = 1.0 / 87178291200
	f15 = 1.0 / 1307674368000
)

// expReduce splits x = k·ln 2 + r with k = round(x/ln 2) and |r| ≤ ~0.347,
// r as the double-double rh + rl, and returns k and e^r − 1 in
// double-double:
//
//	e^r − 1 = r + r²/2 + r³/6 + r⁴·Σ_{n=4…15} r^{n−4}/n!
//
// The first three terms are double-double; the tail is below 6.1e-4 and is
// summed in float64 by math.FMA (one rounding per step on every platform),
// its even and odd terms as two Horner chains in r² to halve the latency;
// the truncated terms are below 2^-63 of the result.
//
// The argument is the double-double x + xl (xl = 0 but for [Pow]).
func expReduce(x, xl float64) (k, h, l float64) {
	k = math.Round(x * (1 / math.Ln2))
	ph, pe := twoProd(k, ln2Hi) // k·ln 2 = ph + pe + k·ln2Lo
	pe = math.FMA(k, ln2Lo, pe)
	rh, re := twoSum(x, -ph)
	d := re - pe
	if xl != 0 {
		d += xl
	}
	rh, rl := twoSum(rh, d)

	r2h, r2l := ddMul(rh, rl, rh, rl)
	r3h, r3l := ddMul(r2h, r2l, rh, rl)
	t3h, t3l := ddDiv(r3h, r3l, 6)
	z := r2h
	even := math.FMA(math.FMA(math.FMA(math.FMA(math.FMA(f14, z, f12), z, f10), z, f8), z, f6), z, f4)
	odd := math.FMA(math.FMA(math.FMA(math.FMA(math.FMA(f15, z, f13), z, f11), z, f9), z, f7), z, f5)
	q := math.FMA(odd, rh, even)
	tail := float64(float64(r2h*r2h) * q) // r⁴·Σ; the conversions round each product
	h, l = ddAdd(t3h, t3l, tail, 0)
	h, l = ddAdd(r2h/2, r2l/2, h, l)
	h, l = ddAdd(rh, rl, h, l)
	return k, h, l
}

// Exp returns e^x. Arguments are reduced and summed in double-double
// arithmetic with explicit roundings and math.FMA only, so the bits are the
// same on every platform; for results in the normal range the error is
// below 0.501 ULP (see the package doc for the measurement), so the result
// is the correctly rounded one except in rare near-halfway cases.
// Subnormal results are rounded twice (to 53 bits, then to the subnormal
// grid) and may be off by one unit of the subnormal grid.
//
// math.Exp is not used because it takes an FMA code path on amd64 CPUs
// that have FMA, so its last bit depends on the machine.
func Exp(x float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case x > 710:
		return math.Inf(1)
	case x < -746:
		return 0
	}
	return expPair(x, 0)
}

// expPair returns e^{x+xl} rounded, for −746 ≤ x ≤ 710 and |xl| ≤ ULP(x).
func expPair(x, xl float64) float64 {
	k, h, l := expReduce(x, xl)
	h, _ = ddAdd(1, 0, h, l)
	return math.Ldexp(h, int(k))
}

// Pow returns x^y for finite x > 0 and finite y as e^{y·ln x}, with ln x
// and the product carried in double-double, so that its accuracy is that
// of [Exp] (TestPowAccuracy) and its bits the same on every platform.
// Other arguments go to math.Pow, whose special cases (0, ±Inf, NaN,
// negative x) involve no rounding.
//
// math.Pow is not used for non-integer y because it calls math.Exp and
// math.Log, whose bits depend on the machine.
func Pow(x, y float64) float64 {
	if !(x > 0) || math.IsInf(x, 0) || math.IsInf(y, 0) || math.IsNaN(y) {
		return math.Pow(x, y)
	}
	lh, ll := logPair(x)
	ph, pe := twoProd(y, lh)
	pl := math.FMA(y, ll, pe)
	ph, pl = fastTwoSum(ph, pl)
	switch {
	case ph > 710:
		return math.Inf(1)
	case ph < -746:
		return 0
	}
	return expPair(ph, pl)
}

// Expm1 returns e^x − 1, accurate also for x near 0, with the accuracy and
// platform independence of [Exp].
func Expm1(x float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case x > 710:
		return math.Inf(1)
	case x < -40: // e^x < 2^-57: e^x − 1 rounds to −1
		return -1
	case math.Abs(x) < 0x1p-54: // e^x − 1 = x(1 + x/2 + …) rounds to x (±0 kept)
		return x
	}
	return expm1DD(x)
}

// expm1DD returns e^x − 1 rounded, for −40 ≤ x ≤ 710.
func expm1DD(x float64) float64 {
	h, _ := expm1Pair(x)
	return h
}

// expm1Pair returns e^x − 1 in double-double, for −40 ≤ x ≤ 700 (the scale
// 2^k stays a normal number, so scaling is exact).
func expm1Pair(x float64) (float64, float64) {
	k, h, l := expReduce(x, 0)
	if k == 0 {
		return h, l
	}
	if k > 1000 { // the − 1 is far below the result's ULP
		h, _ = ddAdd(1, 0, h, l)
		return math.Ldexp(h, int(k)), 0
	}
	h, l = ddAdd(1, 0, h, l)
	s := math.Ldexp(1, int(k)) // exact power of two: the products below are exact
	return ddAdd(float64(h*s), float64(l*s), -1, 0)
}

// Tanh returns the hyperbolic tangent of x with the accuracy and platform
// independence of [Exp]:
//
//	tanh |x| = (e^{2|x|} − 1)/(e^{2|x|} − 1 + 2)
//
// with e^{2|x|} − 1 from [Expm1]'s double-double series and the quotient
// formed in double-double before the one final rounding.
func Tanh(x float64) float64 {
	a := math.Abs(x)
	switch {
	case math.IsNaN(x):
		return x
	case a > 22: // 1 − tanh |x| < 2e-19 < ½ ULP of 1
		return math.Copysign(1, x)
	case a < 0x1p-28: // tanh x = x(1 − x²/3 + …) rounds to x (±0 kept)
		return x
	}
	nh, nl := expm1Pair(2 * a)
	dh, dl := ddAdd(nh, nl, 2, 0)
	q := nh / dh
	p, pe := twoProd(q, dh)
	// (nh − p) is exact: p is within an ULP or so of nh.
	rem := float64(float64(nh-p)-pe) + float64(nl-float64(q*dl))
	t := q + rem/dh
	return math.Copysign(t, x)
}
