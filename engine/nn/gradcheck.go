package nn

import (
	"math"

	"github.com/optbench/optbench/engine/rng"
)

// GradCheckEpsilon is the step of the two-sided difference, as in the course.
const GradCheckEpsilon = 1e-7

// GradientCheck compares the analytic gradient of the training objective
// J(θ) = (1/B)·Σ loss + Penalty(B) on the batch x, y with the two-sided
// difference ĝ_i = (J(θ+ε·e_i) − J(θ−ε·e_i))/(2ε), and returns the course's
// relative difference ‖g − ĝ‖/(‖g‖ + ‖ĝ‖). Dropout masks are drawn once from
// dropout and then held fixed, so the check is of the same function
// throughout. The parameters are left as they were.
func GradientCheck(n *Network, x, y []float64, batch int, dropout *rng.RandomState, eps float64) float64 {
	return gradientCheck(n, x, y, batch, dropout, eps, nil)
}

// gradientCheck is GradientCheck with a hook that may alter the analytic
// gradient, so tests can show that the check fails on a wrong one.
func gradientCheck(n *Network, x, y []float64, batch int, dropout *rng.RandomState, eps float64, alter func([]float64)) float64 {
	objective := func() float64 {
		n.Forward(x, batch, true, dropout)
		return n.Loss(y)/float64(batch) + n.Penalty(batch)
	}
	objective()
	n.Backward(y)
	grad := append([]float64(nil), n.grads...)
	if alter != nil {
		alter(grad)
	}
	n.frozen = true
	defer func() { n.frozen = false }()
	var num, den1, den2 float64
	for i := range n.params {
		orig := n.params[i]
		n.params[i] = orig + eps
		plus := objective()
		n.params[i] = orig - eps
		minus := objective()
		n.params[i] = orig
		approx := (plus - minus) / (2 * eps)
		d := grad[i] - approx
		num += d * d
		den1 += grad[i] * grad[i]
		den2 += approx * approx
	}
	if den1 == 0 && den2 == 0 {
		return 0
	}
	return math.Sqrt(num) / (math.Sqrt(den1) + math.Sqrt(den2))
}
