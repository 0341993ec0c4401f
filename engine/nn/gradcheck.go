package nn

import (
	"math"

	"github.com/optbench/optbench/engine/rng"
)

// GradCheckEpsilon is the step of the two-sided difference, as in the course.
const GradCheckEpsilon = 1e-7

// GradCheckThreshold is the course's verdict: its gradient_check_n prints
// "There is a mistake in the backward propagation!" when the relative
// difference exceeds 2e-7, and "Your backward propagation works
// perfectly fine!" otherwise.
const GradCheckThreshold = 2e-7

// Objective is what a gradient check differentiates: a function J of a
// flat parameter vector together with its analytic gradient.
type Objective interface {
	// Params returns the parameters; the check perturbs them in place and
	// restores them.
	Params() []float64
	// Value returns J at the current parameters.
	Value() float64
	// Gradient returns the analytic ∇J at the current parameters. The
	// check calls it once, before any Value.
	Gradient() []float64
}

// GradCheck is the outcome of a gradient check.
type GradCheck struct {
	// Difference is the course's ‖g − ĝ‖/(‖g‖ + ‖ĝ‖) over all parameters.
	Difference float64
	// Parts holds the same relative difference over each consecutive part
	// of the parameters CheckGradient was given sizes for (per layer for
	// BatchObjective and Network.ParamsPerLayer).
	Parts []float64
}

// Passed reports whether the check passes the course's verdict.
func (c GradCheck) Passed() bool { return c.Difference <= GradCheckThreshold }

// CheckGradient compares obj's analytic gradient g with the two-sided
// difference ĝ_i = (J(θ+ε·e_i) − J(θ−ε·e_i))/(2ε), overall and over the
// consecutive parts of the parameters whose sizes are given (their sum
// must be len(obj.Params()); nil for the overall difference only). The
// parameters are left as they were.
func CheckGradient(obj Objective, eps float64, sizes []int) GradCheck {
	params := obj.Params()
	total := 0
	for _, s := range sizes {
		total += s
	}
	if sizes != nil && total != len(params) {
		panic("nn: CheckGradient: part sizes do not add up to the parameter count")
	}
	grad := append([]float64(nil), obj.Gradient()...)
	if len(grad) != len(params) {
		panic("nn: CheckGradient: gradient and parameters differ in length")
	}
	type sums struct{ num, den1, den2 float64 }
	var all sums
	parts := make([]sums, len(sizes))
	part, end := 0, 0
	if len(sizes) > 0 {
		end = sizes[0]
	}
	for i := range params {
		for len(sizes) > 0 && i >= end && part < len(sizes)-1 {
			part++
			end += sizes[part]
		}
		orig := params[i]
		params[i] = orig + eps
		plus := obj.Value()
		params[i] = orig - eps
		minus := obj.Value()
		params[i] = orig
		approx := (plus - minus) / (2 * eps)
		d := grad[i] - approx
		// Rounded squares (float64(…)): no fused multiply-add on any platform.
		dd, gg, aa := float64(d*d), float64(grad[i]*grad[i]), float64(approx*approx)
		all.num += dd
		all.den1 += gg
		all.den2 += aa
		if len(sizes) > 0 {
			p := &parts[part]
			p.num += dd
			p.den1 += gg
			p.den2 += aa
		}
	}
	rel := func(s sums) float64 {
		if s.den1 == 0 && s.den2 == 0 {
			return 0
		}
		return math.Sqrt(s.num) / (math.Sqrt(s.den1) + math.Sqrt(s.den2))
	}
	c := GradCheck{Difference: rel(all)}
	if sizes != nil {
		c.Parts = make([]float64, len(sizes))
		for i, s := range parts {
			c.Parts[i] = rel(s)
		}
	}
	return c
}

// BatchObjective returns the training objective of n on the batch x, y,
// J(θ) = (1/B)·Σ loss + Penalty(B), for CheckGradient. Dropout masks are
// drawn from dropout when the gradient is computed and then held fixed, so
// the check is of the same function throughout.
func BatchObjective(n *Network, x, y []float64, batch int, dropout *rng.RandomState) Objective {
	return &batchObjective{n: n, x: x, y: y, batch: batch, dropout: dropout}
}

type batchObjective struct {
	n       *Network
	x, y    []float64
	batch   int
	dropout *rng.RandomState
}

func (o *batchObjective) Params() []float64 { return o.n.params }

func (o *batchObjective) value() float64 {
	o.n.Forward(o.x, o.batch, true, o.dropout)
	return o.n.Loss(o.y)/float64(o.batch) + o.n.Penalty(o.batch)
}

func (o *batchObjective) Value() float64 {
	o.n.frozen = true
	defer func() { o.n.frozen = false }()
	return o.value()
}

func (o *batchObjective) Gradient() []float64 {
	o.value()
	o.n.Backward(o.y)
	return o.n.grads
}

// ParamsPerLayer returns the number of parameters of each layer (weights,
// biases and batch-norm scales of layer l at index l−1), in the order
// Params holds them.
func (n *Network) ParamsPerLayer() []int {
	sizes := make([]int, len(n.layers))
	for i, ly := range n.layers {
		sizes[i] = len(ly.w) + len(ly.b) + len(ly.g)
	}
	return sizes
}

// GradientCheck compares the analytic gradient of the training objective
// on the batch x, y (BatchObjective) with the two-sided difference and
// returns the course's relative difference ‖g − ĝ‖/(‖g‖ + ‖ĝ‖) over all
// parameters (CheckGradient gives it per layer too). The parameters are
// left as they were.
func GradientCheck(n *Network, x, y []float64, batch int, dropout *rng.RandomState, eps float64) float64 {
	return CheckGradient(BatchObjective(n, x, y, batch, dropout), eps, nil).Difference
}
