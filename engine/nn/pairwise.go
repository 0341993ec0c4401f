package nn

// Numpy's reduction constants (numpy/_core/src/umath/loops_utils.h.src and
// the ufunc machinery's default buffer size, NPY_BUFSIZE).
const (
	pairwiseBlock  = 128  // PW_BLOCKSIZE: below it, eight running sums
	numpyBufferLen = 8192 // elements a reduction sees per inner-loop call
)

// PairwiseSum returns the sum of xs in the order numpy's np.sum (and
// np.add.reduce) adds a contiguous 1-D float64 array, so that a cost
// computed as np.sum(losses)/m by a numpy reference is reproduced bit for
// bit. numpy hands the inner loop chunks of at most 8192 elements (its
// buffer size) and adds each chunk's pairwise_sum to a running total that
// starts at 0:
//
//	S = ((0 + P(x[0:8192])) + P(x[8192:16384])) + …
//	P(x), n = len(x):
//	  n < 8:     ((−0 + x0) + x1) + … left to right
//	  n ≤ 128:   r_k = x_k + x_{k+8} + x_{k+16} + …  (k = 0…7, over the
//	             first n − n mod 8 elements), then
//	             ((r0+r1)+(r2+r3)) + ((r4+r5)+(r6+r7)), then the last
//	             n mod 8 elements left to right
//	  otherwise: P(x[:h]) + P(x[h:]), h = ⌊n/2⌋ − ⌊n/2⌋ mod 8
//
// Source: numpy's DOUBLE_pairwise_sum in loops_utils.h.src (numpy 1.24
// to 2.x), checked against numpy 1.24.2 on lengths 0 to 20 000 around the
// unroll, block and buffer sizes (testdata/numpy_sums.py). Network.Loss
// sums left to right by default and with PairwiseSum under
// Config.PairwiseLoss (the experiments' reduction: pairwise), for
// experiments that follow a numpy reference. It does not allocate.
func PairwiseSum(xs []float64) float64 {
	s := 0.0
	for len(xs) > 0 {
		n := min(len(xs), numpyBufferLen)
		s += pairwiseSum(xs[:n])
		xs = xs[n:]
	}
	return s
}

// pairwiseSum is numpy's pairwise_sum of one inner-loop chunk.
func pairwiseSum(x []float64) float64 {
	n := len(x)
	switch {
	case n < 8:
		// −0 so that a sum of negative zeros stays −0, as in numpy.
		res := -0.0
		for _, v := range x {
			res += v
		}
		return res
	case n <= pairwiseBlock:
		var r [8]float64
		copy(r[:], x[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			r[0] += x[i]
			r[1] += x[i+1]
			r[2] += x[i+2]
			r[3] += x[i+3]
			r[4] += x[i+4]
			r[5] += x[i+5]
			r[6] += x[i+6]
			r[7] += x[i+7]
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += x[i]
		}
		return res
	default:
		h := n / 2
		h -= h % 8
		return pairwiseSum(x[:h]) + pairwiseSum(x[h:])
	}
}
