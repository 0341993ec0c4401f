package crmath

import "math"

// ln2 split for FastExp's argument reduction: ln2Hi32 has 32 trailing
// zero bits, so k·ln2Hi32 is exact for every |k| < 2^21, and
// ln2Hi32 + ln2Lo32 is ln 2 to about 85 bits.
const (
	ln2Hi32 = 0x1.62e42feep-01
	ln2Lo32 = 0x1.a39ef35793c76p-33
)

// FastExp returns e^x within 1 ULP (TestFastAccuracy: at most 0.76 ULP on
// random arguments over the normal range), the same bits on every
// platform, several times faster than [Exp]. engine/nn uses it for
// sigmoid and softmax, where correct rounding buys nothing and the
// course network evaluates one per example per step.
//
// With k = round(x/ln 2) and r = x − k·ln 2 (|r| ≤ 0.347, as hi − lo),
//
//	e^x = 2^k·(1 + hi + (r²·Σ_{n=2…13} r^{n−2}/n! − lo))
//
// evaluated with math.FMA and explicitly rounded products only.
func FastExp(x float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case x > 710:
		return math.Inf(1)
	case x < -746:
		return 0
	}
	k := math.Round(x * (1 / math.Ln2))
	hi := x - float64(k*ln2Hi32) // exact: the product is exact, and hi ≪ x when k ≠ 0 (Sterbenz)
	lo := float64(k * ln2Lo32)
	r := hi - lo
	z := float64(r * r)
	// Σ r^{n−2}/n!, n = 2…13, as even and odd chains in z = r².
	even := math.FMA(math.FMA(math.FMA(math.FMA(math.FMA(1.0/479001600, z, 1.0/3628800), z, 1.0/40320), z, 1.0/720), z, 1.0/24), z, 1.0/2)
	odd := math.FMA(math.FMA(math.FMA(math.FMA(math.FMA(1.0/6227020800, z, 1.0/39916800), z, 1.0/362880), z, 1.0/5040), z, 1.0/120), z, 1.0/6)
	q := math.FMA(odd, r, even)
	t := float64(z * q)
	y := 1 + (hi + (t - lo))
	if k < -1021 || k > 1023 {
		return math.Ldexp(y, int(k)) // near overflow or subnormal
	}
	return y * math.Float64frombits(uint64(int64(k)+1023)<<52) // exact: 2^k is a normal number
}

// FastLog returns ln x within 1 ULP (TestFastAccuracy: at most 0.76 ULP
// on random arguments), the same bits on every platform, several times
// faster than [Log]. engine/nn uses it for the cross-entropy losses.
//
// With x = 2^e·m, m in [√½, √2), f = m − 1, s = f/(2 + f), z = s² and
// R = Σ_{k=1…11} 2z^k/(2k+1) (so that ln m = 2·atanh s = 2s + s·R, and
// 2s = f − f²/2 + s·f²/2),
//
//	ln x = e·ln2Hi32 + (f − (f²/2 − (s·(f²/2 + R) + e·ln2Lo32)))
//
// evaluated with math.FMA and explicitly rounded products only.
func FastLog(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 1) {
		return math.Log(x) // NaN, ±Inf and 0 follow IEEE 754; no rounding involved
	}
	m, e := math.Frexp(x)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	f := m - 1 // exact
	s := f / (2 + f)
	z := float64(s * s)
	w := float64(z * z)
	// R = z·(Σ 2z^{k−1}/(2k+1)), as even and odd chains in w = z².
	even := math.FMA(math.FMA(math.FMA(math.FMA(math.FMA(2.0/23, w, 2.0/19), w, 2.0/15), w, 2.0/11), w, 2.0/7), w, 2.0/3)
	odd := math.FMA(math.FMA(math.FMA(math.FMA(2.0/21, w, 2.0/17), w, 2.0/13), w, 2.0/9), w, 2.0/5)
	r := float64(z * math.FMA(odd, z, even))
	hfsq := float64(0.5 * float64(f*f))
	k := float64(e)
	return float64(k*ln2Hi32) + (f - (hfsq - (float64(s*(hfsq+r)) + float64(k*ln2Lo32))))
}
