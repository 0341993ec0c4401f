package glibcmath

import "math"

// Polynomial coefficients of glibc's log (__log_data.poly and .poly1) and
// the two parts of ln 2 (ln2Hi has 11 trailing zero bits, so k·ln2Hi is
// exact for every exponent k).
const (
	ln2Hi = 0x1.62e42fefa3800p-1
	ln2Lo = 0x1.ef35793c76730p-45

	// log1p(r) − r ≈ r²·(a0 + r·a1 + r²·a2 + r³·a3 + r⁴·a4) for |r| < 2^-8.
	a0 = -0x1.0000000000001p-1
	a1 = 0x1.555555551305bp-2
	a2 = -0x1.fffffffeb459p-3
	a3 = 0x1.999b324f10111p-3
	a4 = -0x1.55575e506c89fp-3

	// log(1+r) ≈ r + b0·r² + r³·(b1 + r·b2 + … + r⁹·b10) near x = 1.
	b0  = -0x1p-1
	b1  = 0x1.5555555555577p-2
	b2  = -0x1.ffffffffffdcbp-3
	b3  = 0x1.999999995dd0cp-3
	b4  = -0x1.55555556745a7p-3
	b5  = 0x1.24924a344de3p-3
	b6  = -0x1.fffffa4423d65p-4
	b7  = 0x1.c7184282ad6cap-4
	b8  = -0x1.999eb43b068ffp-4
	b9  = 0x1.78182f7afd085p-4
	b10 = -0x1.5521375d145cdp-4
)

const (
	// Inputs in [near1Lo, near1Hi) = [1 − 2^-4, 1 + 0x1.09p-4) take the
	// near-1 polynomial.
	near1Lo = 0x3fee000000000000
	near1Hi = 0x3ff1090000000000
	// The reduced argument z lies in [0x1.6p-1, 0x1.6p0): x = 2^k·z.
	reduceOff = 0x3fe6000000000000
)

// Log returns the natural logarithm of x with the bits glibc's log returns
// on x86-64 with FMA (see the package documentation for what that was
// tested against). Special cases are glibc's: Log(±0) = −Inf, Log(+Inf) =
// +Inf, Log(1) = +0, and NaN for x < 0 or NaN.
//
// The algorithm, with every operation rounded to double unless fused:
//
//	near 1:  r = x − 1;  log(x) = r − r²/2 + r³·P(r), with r²/2 split so
//	         that its rounding error is kept
//	else:    x = 2^k·z, z in [0x1.6p-1, 0x1.6p0), i = the subinterval of z,
//	         r = fma(z, 1/c_i, −1)
//	         hi + lo = k·ln2 + log(c_i) + r
//	         log(x) = lo + r²·a0 + r³·(a1 + r·a2 + r²·(a3 + r·a4)) + hi
func Log(x float64) float64 {
	ix := math.Float64bits(x)
	if ix-near1Lo < near1Hi-near1Lo {
		if ix == 0x3ff0000000000000 {
			return 0
		}
		return logNear1(x)
	}
	if top := ix >> 48; top-0x0010 >= 0x7ff0-0x0010 {
		// x is subnormal, zero, negative, Inf or NaN.
		switch {
		case ix<<1 == 0:
			return math.Inf(-1)
		case ix == 0x7ff0000000000000:
			return x
		case top&0x8000 != 0 || top&0x7ff0 == 0x7ff0:
			return math.NaN()
		}
		// Subnormal: scale into the normal range (exact) and take 52 off
		// the exponent.
		ix = math.Float64bits(x*0x1p52) - 52<<52
	}

	tmp := ix - reduceOff
	i := (tmp >> (52 - 7)) % 128
	k := int64(tmp) >> 52 // arithmetic shift
	z := math.Float64frombits(ix - tmp&(0xfff<<52))
	invc, logc := logTable[i].invc, logTable[i].logc
	kd := float64(k)

	// glibc's FMA build: each product below whose only use is a sum is
	// fused (GCC's -ffp-contract=fast); the others are rounded, which the
	// float64 conversions make explicit so that Go does not fuse them.
	r := math.FMA(z, invc, -1)
	w := math.FMA(kd, ln2Hi, logc) // exact either way: table condition 1
	hi := w + r
	lo := math.FMA(kd, ln2Lo, w-hi+r)
	r2 := float64(r * r)
	r3 := float64(r * r2)
	p := math.FMA(r2, math.FMA(r, a4, a3), math.FMA(r, a2, a1))
	y := math.FMA(r3, p, math.FMA(r2, a0, lo))
	return y + hi
}

// logNear1 is log(x) for x in [1 − 2^-4, 1 + 0x1.09p-4), x ≠ 1.
func logNear1(x float64) float64 {
	r := x - 1 // exact (Sterbenz)
	r2 := float64(r * r)
	r3 := float64(r * r2)
	q1 := math.FMA(r2, b3, math.FMA(r, b2, b1))
	q2 := math.FMA(r2, b6, math.FMA(r, b5, b4))
	q3 := math.FMA(r3, b10, math.FMA(r2, b9, math.FMA(r, b8, b7)))
	p := math.FMA(r3, math.FMA(r3, q3, q2), q1)

	// rhi is r rounded to its top 26 bits, so that rhi² and rhi²·b0 are
	// exact; r·2^27 is exact, so the fused and unfused forms agree.
	w := float64(r * 0x1p27)
	rhi := r + w - w
	rlo := r - rhi
	rhi2 := float64(rhi * rhi)
	hi := math.FMA(rhi2, b0, r)
	lo := math.FMA(rhi2, b0, r-hi)
	lo = math.FMA(float64(b0*rlo), rhi+r, lo)
	y := math.FMA(r3, p, lo)
	return y + hi
}
