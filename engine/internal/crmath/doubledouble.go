package crmath

import "math"

// A double-double number is the unevaluated sum hi + lo of two float64s with
// |lo| ≤ ½ ULP of hi, about 106 bits of precision. The helpers below take and
// return the two parts separately so that they do not allocate.

// twoSum returns s = fl(a+b) and the exact error a+b−s (Knuth).
func twoSum(a, b float64) (s, err float64) {
	s = a + b
	bb := s - a
	err = (a - (s - bb)) + (b - bb)
	return s, err
}

// fastTwoSum is twoSum for |a| ≥ |b| or a = 0 (Dekker).
func fastTwoSum(a, b float64) (s, err float64) {
	s = a + b
	err = b - (s - a)
	return s, err
}

// twoProd returns p = fl(a·b) and the exact error a·b−p.
func twoProd(a, b float64) (p, err float64) {
	p = float64(a * b) // the conversion forbids fusing p into a later sum
	return p, math.FMA(a, b, -p)
}

// ddMul multiplies two double-double numbers.
func ddMul(ah, al, bh, bl float64) (float64, float64) {
	p, e := twoProd(ah, bh)
	e = math.FMA(ah, bl, e)
	e = math.FMA(al, bh, e)
	return fastTwoSum(p, e)
}

// ddDiv divides a double-double number by a float64 d.
func ddDiv(ah, al, d float64) (float64, float64) {
	q := ah / d
	rem := math.FMA(-q, d, ah) + al
	return fastTwoSum(q, rem/d)
}

// ddAdd adds two double-double numbers, accurately even when they cancel
// (the "IEEE" addition of Bailey's QD library).
func ddAdd(ah, al, bh, bl float64) (float64, float64) {
	s, e := twoSum(ah, bh)
	t, f := twoSum(al, bl)
	e += t
	s, e = fastTwoSum(s, e)
	e += f
	return fastTwoSum(s, e)
}

// ddAddSloppy adds two double-double numbers whose sum does not cancel
// heavily (the "sloppy" addition of Bailey's QD library). [Log] uses it: its
// series terms share one sign, and |e·ln 2| is at least twice the series
// whenever e ≠ 0, so none of its sums loses more than one bit to
// cancellation.
func ddAddSloppy(ah, al, bh, bl float64) (float64, float64) {
	s, e := twoSum(ah, bh)
	e += al + bl
	return fastTwoSum(s, e)
}
