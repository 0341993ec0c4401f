package rng

import (
	"math"
	"math/bits"

	"github.com/optbench/optbench/engine/internal/glibcmath"
)

// Float64 returns a uniform draw from [0, 1) as numpy's random_sample does
// (bit-identical to numpy 1.24.2 on the vectors of
// testdata/numpy_vectors.py): 53 random bits from two 32-bit outputs,
//
//	a = Uint32() >> 5, b = Uint32() >> 6
//	(a·2^26 + b) / 2^53
func (r *RandomState) Float64() float64 {
	a := r.Uint32() >> 5
	b := r.Uint32() >> 6
	// a·2^26 + b < 2^53 is exact, fused into an FMA or not.
	return (float64(a)*67108864 + float64(b)) / 9007199254740992
}

// NormFloat64 returns a standard normal draw by numpy's legacy_gauss, the
// Marsaglia polar method. Each accepted pair yields two values: f·x2 is
// returned and f·x1 is kept for the next call,
//
//	x1, x2 = 2·Float64() − 1, 2·Float64() − 1   until 0 < r² = x1² + x2² < 1
//	f = sqrt(−2·log(r²)/r²)
//
// The logarithm is glibc's, reproduced bit for bit and platform-independently
// by engine/internal/glibcmath (numpy calls the C library's log; glibc's is
// not correctly rounded). With the draws of x1 and x2, the accept/reject
// decisions and the remaining operations done as numpy does them, the
// result is numpy's: tested bit-identical to numpy 1.24.2 on Debian 12
// (glibc 2.36, x86-64 with FMA) on 5×10⁵ draws over seeds 0, 1, 42, 1234
// and 2³²−1 (testdata/numpy_randn.py).
func (r *RandomState) NormFloat64() float64 {
	if r.hasGauss {
		r.hasGauss = false
		g := r.gauss
		r.gauss = 0
		return g
	}
	var x1, x2, r2 float64
	for {
		x1 = 2*r.Float64() - 1 // 2·u is exact
		x2 = 2*r.Float64() - 1
		// The conversions forbid fusing into an FMA, which numpy's build
		// does not do and which could change which pairs are rejected.
		r2 = float64(x1*x1) + float64(x2*x2)
		if r2 < 1 && r2 != 0 {
			break
		}
	}
	f := math.Sqrt(-2 * glibcmath.Log(r2) / r2)
	r.gauss = f * x1
	r.hasGauss = true
	return f * x2
}

// Normal returns loc + scale·NormFloat64(), numpy's legacy normal. numpy
// rejects a negative scale; Normal leaves that check to its caller.
func (r *RandomState) Normal(loc, scale float64) float64 {
	return loc + float64(scale*r.NormFloat64())
}

// Randn fills dst with standard normal draws in order, like
// np.random.randn(len(dst)); for a matrix, pass its backing slice in C
// (row-major) order.
func (r *RandomState) Randn(dst []float64) {
	for i := range dst {
		dst[i] = r.NormFloat64()
	}
}

// Uniform returns lo + (hi−lo)·Float64(), numpy's legacy uniform(lo, hi).
func (r *RandomState) Uniform(lo, hi float64) float64 {
	return lo + float64((hi-lo)*r.Float64())
}

// Interval returns a uniform integer in [0, max] by numpy's random_interval:
// draws are masked to the smallest all-ones mask covering max and rejected
// until one is at most max. 32-bit draws are used when max fits in 32 bits,
// otherwise 64-bit draws made of two 32-bit outputs, high word first.
func (r *RandomState) Interval(max uint64) uint64 {
	if max == 0 {
		return 0
	}
	mask := fillBits(max)
	if max <= 0xffffffff {
		for {
			if v := uint64(r.Uint32()) & mask; v <= max {
				return v
			}
		}
	}
	for {
		if v := r.uint64() & mask; v <= max {
			return v
		}
	}
}

// RandInt returns an integer in [lo, hi), like numpy's legacy
// RandomState.randint(lo, hi) with its default int64 dtype. numpy draws the
// offset from lo by the same masked rejection as [RandomState.Interval] on
// hi−1−lo (32-bit draws when that fits in 32 bits), so
//
//	RandInt(lo, hi) = lo + Interval(hi−1−lo)
//
// with the subtraction done modulo 2^64. RandInt panics if hi <= lo, as
// math/rand's Int63n panics on a bad bound; numpy raises ValueError there.
func (r *RandomState) RandInt(lo, hi int64) int64 {
	if hi <= lo {
		panic("rng: RandInt: lo >= hi")
	}
	return int64(uint64(lo) + r.Interval(uint64(hi)-uint64(lo)-1))
}

// fillBits returns the smallest 2^k−1 that is at least v.
func fillBits(v uint64) uint64 {
	v |= v >> 1
	v |= v >> 2
	v |= v >> 4
	v |= v >> 8
	v |= v >> 16
	v |= v >> 32
	return v
}

// Shuffle permutes a sequence of length n in place through swap, as numpy's
// legacy shuffle of a one-dimensional array does: Fisher–Yates from the end,
//
//	for i = n−1 down to 1: j = Interval(i); swap(i, j)
//
// swap is called even when i == j, as numpy does.
func (r *RandomState) Shuffle(n int, swap func(i, j int)) {
	for i := n - 1; i >= 1; i-- {
		swap(i, int(r.Interval(uint64(i))))
	}
}

// ShuffleInts shuffles x in place like np.random.shuffle on a 1-d array.
//
// It is Shuffle with Interval's 32-bit masked rejection and Uint32 written
// out in the loop (the mask as 2^bits.Len(i) − 1, which is fillBits(i)):
// the course's trainer reshuffles its 300 examples every epoch, and the
// calls were a quarter of a course trial. TestPermutation checks it
// against numpy and against Shuffle.
func (r *RandomState) ShuffleInts(x []int) {
	if uint64(len(x)) > 1<<32 {
		for i := len(x) - 1; i >= 1; i-- {
			j := int(r.Interval(uint64(i)))
			x[i], x[j] = x[j], x[i]
		}
		return
	}
	pos := r.pos
	for i := len(x) - 1; i >= 1; i-- {
		max := uint32(i)
		mask := uint32(uint64(1)<<bits.Len32(max) - 1)
		for {
			if pos == stateLen {
				r.generate()
				pos = 0
			}
			y := r.key[pos]
			pos++
			y ^= y >> 11
			y ^= (y << 7) & 0x9d2c5680
			y ^= (y << 15) & 0xefc60000
			y ^= y >> 18
			if v := y & mask; v <= max {
				j := int(v)
				x[i], x[j] = x[j], x[i]
				break
			}
		}
	}
	r.pos = pos
}

// Permutation sets dst to 0, 1, …, len(dst)−1 and shuffles it, the result of
// np.random.permutation(len(dst)).
func (r *RandomState) Permutation(dst []int) {
	for i := range dst {
		dst[i] = i
	}
	r.ShuffleInts(dst)
}
