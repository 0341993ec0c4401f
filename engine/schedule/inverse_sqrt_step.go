package schedule

import "math"

// InverseSqrtStep decays the rate with the inverse square root of the global
// step, at every update:
//
//	f(t) = α0·k/√t,  t = 1, 2, …
//
// Its only timing is PerStep, so the first update trains at α0·k. The
// Transformer's schedule (Vaswani et al., 2017) is this rule after a linear
// warm-up; see Warmup. In torch it is LambdaLR(lambda i: k/sqrt(i + 1))
// stepped after every batch.
type InverseSqrtStep struct {
	Initial float64 // α0; > 0
	K       float64 // k, a dimensionless factor; > 0 (default 1)
}

var _ Schedule = InverseSqrtStep{}

// LR returns the rate for global step (from 1); epoch is ignored.
func (s InverseSqrtStep) LR(epoch, step int) float64 {
	return s.Initial * s.K / math.Sqrt(float64(max(step, 1)))
}
