package stats

import "math"

// EWMA writes into dst the exponentially weighted moving average of xs with
// bias correction, the smoothing of the DeepLearning.AI course:
//
//	v_t = β·v_{t−1} + (1 − β)·x_t,  v_0 = 0
//	v̂_t = v_t / (1 − β^t)
//
// and returns dst, grown to len(xs) if needed. Non-finite values of xs are
// skipped: their output is NaN and they neither update v nor advance t. A β
// outside [0, 1) leaves the values as they are.
func EWMA(dst, xs []float64, beta float64) []float64 {
	if cap(dst) < len(xs) {
		dst = make([]float64, len(xs))
	}
	dst = dst[:len(xs)]
	if !(beta > 0 && beta < 1) {
		copy(dst, xs)
		return dst
	}
	var v float64
	corr := 1.0 // β^t
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			dst[i] = math.NaN()
			continue
		}
		v = beta*v + (1-beta)*x
		corr *= beta
		dst[i] = v / (1 - corr)
	}
	return dst
}

// PerEpoch summarizes series epoch by epoch: element i summarizes the
// finite values at index i of every series that is long enough. Series may
// differ in length (a diverged or early-stopped run is shorter).
func PerEpoch(series [][]float64, level float64) []Summary {
	n := 0
	for _, s := range series {
		n = max(n, len(s))
	}
	out := make([]Summary, n)
	buf := make([]float64, 0, len(series))
	for i := range out {
		buf = buf[:0]
		for _, s := range series {
			if i < len(s) {
				buf = append(buf, s[i])
			}
		}
		out[i] = Summarize(buf, level)
	}
	return out
}

// FirstReach returns the index of the first finite value of curve that has
// reached target under g, or −1 if none has: the DeepOBS speed measure
// applied to a seed-mean curve.
func FirstReach(curve []float64, target float64, g Goal) int {
	for i, v := range curve {
		if g.Reached(v, target) {
			return i
		}
	}
	return -1
}
