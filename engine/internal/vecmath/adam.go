package vecmath

import "math"

// AdamConsts are the per-step constants of [Adam].
type AdamConsts struct {
	WeightDecay, Beta1, Beta2, OneMinusBeta1, OneMinusBeta2 float64
	BiasCorrection1, BiasCorrection2, LR, Eps               float64
}

// Adam applies one Adam update (torch.optim.Adam's arithmetic, ε outside
// the square root) to every element, in place:
//
//	g  ← g_i + λ·p
//	m_i ← β1·m_i + (1−β1)·g
//	s_i ← β2·s_i + (1−β2)·g²
//	p_i ← p_i − lr·(m_i/bc1)/(√(s_i/bc2) + ε)
//
// Each product is rounded before it is added (no fused multiply-add), so
// the bits are the same on every platform. The four slices must have one
// length.
func Adam(params, grads, m, s []float64, c *AdamConsts) {
	n := len(params)
	grads, m, s = grads[:n], m[:n], s[:n]
	done := 0
	if hasAVX && n >= 4 {
		done = n &^ 3
		adamAVX(&params[0], &grads[0], &m[0], &s[0], done, c)
	}
	adamGo(params[done:], grads[done:], m[done:], s[done:], c)
}

// adamGo is Adam's definition: the assembly does these operations in
// this order.
func adamGo(params, grads, m, s []float64, c *AdamConsts) {
	n := len(params)
	grads, m, s = grads[:n], m[:n], s[:n]
	wd, b1, b2, c1, c2 := c.WeightDecay, c.Beta1, c.Beta2, c.OneMinusBeta1, c.OneMinusBeta2
	bc1, bc2, lr, eps := c.BiasCorrection1, c.BiasCorrection2, c.LR, c.Eps
	for i, p := range params {
		// float64(…) rounds each product: no compiler may fuse it into the sum.
		gi := grads[i] + float64(wd*p)
		mi := float64(b1*m[i]) + float64(c1*gi)
		si := float64(b2*s[i]) + float64(c2*(gi*gi))
		m[i], s[i] = mi, si
		params[i] = p - lr*(mi/bc1)/(math.Sqrt(si/bc2)+eps)
	}
}
