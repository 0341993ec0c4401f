package optim

import "math"

// powInt returns x^n for n ≥ 0, correctly rounded except in cases too close
// to a tie between two floats to matter.
//
// Bias corrections compute 1 − β^t, which cancels: near t = 1 with
// β2 = 0.999, one unit in the last place of β^t is 5e-14 of the result.
// math.Pow can be a unit or more off for integer powers, while the C
// library's pow, which torch and numpy call, is correctly rounded in
// practice; squaring in double-double arithmetic (about 106 bits) gives the
// same float.
func powInt(x float64, n int) float64 {
	rh, rl := 1.0, 0.0
	bh, bl := x, 0.0
	for n > 0 {
		if n&1 == 1 {
			rh, rl = mulDD(rh, rl, bh, bl)
		}
		n >>= 1
		if n > 0 {
			bh, bl = mulDD(bh, bl, bh, bl)
		}
	}
	return rh + rl
}

// mulDD multiplies two double-double numbers (ah + al)·(bh + bl) and
// returns the product normalised as h + l with |l| ≤ ulp(h)/2.
func mulDD(ah, al, bh, bl float64) (h, l float64) {
	p := float64(ah * bh)
	e := math.FMA(ah, bh, -p) // the rounding error of p, exactly
	e += float64(ah*bl) + float64(al*bh)
	h = p + e
	l = e - (h - p)
	return h, l
}
