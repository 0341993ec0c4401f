package crmath

import "math"

// ln2Hi + ln2Lo is ln 2 to about 107 bits.
const (
	ln2Hi = 0x1.62e42fefa39efp-01
	ln2Lo = 0x1.abc9e3b39803fp-56
)

// Log returns the natural logarithm of x, evaluated in double-double
// arithmetic so that the result is correctly rounded except when ln x lies
// within about 2^-70 relative of a halfway point between two float64s.
//
// math.Log is not used because its bits depend on the platform (assembly on
// amd64, pure Go elsewhere, and the compiler may fuse multiply-adds on arm64
// and others); a seed of engine/rng must give the same Gaussians everywhere.
// Only exact operations (math.FMA, error-free sums and products) and explicit
// roundings are used here, so the result is the same on every platform.
//
// With x = 2^e·m, m in (√½, √2], and s = (m−1)/(m+1),
//
//	ln x = e·ln 2 + 2·(s + s³/3 + s⁵/5 + s⁷·Σ_{k≥0} s^{2k}/(2k+7))
//
// |s| ≤ 0.1716, so s² ≤ 0.0295. The first three terms are carried in
// double-double; the tail is below 3.6e-6 of the result and twelve float64
// terms of its series suffice.
func Log(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 1) {
		return math.Log(x) // NaN, ±Inf and 0 follow IEEE 754; no rounding involved
	}
	h, _ := logPair(x)
	return h
}

// logPair returns ln x in double-double for finite x > 0.
func logPair(x float64) (float64, float64) {
	m, e := math.Frexp(x) // m in [½, 1)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	// s = (m−1)/(m+1) in double-double; m−1 is exact (Sterbenz).
	num := m - 1
	dh, dl := twoSum(m, 1)
	sh := num / dh
	sl := (math.FMA(-sh, dh, num) - float64(sh*dl)) / dh
	sh, sl = fastTwoSum(sh, sl)

	zh, zl := ddMul(sh, sl, sh, sl) // s²
	ch, cl := ddMul(sh, sl, zh, zl) // s³
	fh, fl := ddMul(ch, cl, zh, zl) // s⁵
	t3h, t3l := ddDiv(ch, cl, 3)
	t5h, t5l := ddDiv(fh, fl, 5)

	z := zh
	q := 1.0 / 29
	for k := 10; k >= 0; k-- {
		q = math.FMA(q, z, 1/float64(2*k+7))
	}
	tail := float64(fh*z) * q // s⁷·Q(s²)

	uh, ul := ddAddSloppy(t5h, t5l, tail, 0)
	uh, ul = ddAddSloppy(t3h, t3l, uh, ul)
	uh, ul = ddAddSloppy(sh, sl, uh, ul)
	uh, ul = 2*uh, 2*ul

	k := float64(e)
	kh, kl := twoProd(k, ln2Hi)
	kl = math.FMA(k, ln2Lo, kl)
	kh, kl = fastTwoSum(kh, kl)
	return ddAddSloppy(kh, kl, uh, ul)
}
