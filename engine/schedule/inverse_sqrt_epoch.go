package schedule

import "math"

// InverseSqrtEpoch decays the rate with the inverse square root of the epoch:
//
//	f(e) = α0·k/√e   for e ≥ 1
//	f(0) = α0
//
// Source: the DeepLearning.AI course's lecture on learning-rate decay, which
// writes α = k/√epoch_num · α0. The formula has no value at epoch 0, where
// this schedule uses the undecayed α0; so with the default timing,
// BeforeEpoch, epoch 0 trains at α0 and epoch e ≥ 1 at α0·k/√e (with k ≠ 1
// the rate jumps from α0 to α0·k between epochs 0 and 1). With AfterEpoch
// epochs 0 and 1 train at α0 and epoch e ≥ 2 at α0·k/√(e − 1).
type InverseSqrtEpoch struct {
	Initial float64 // α0; > 0
	K       float64 // k, a dimensionless factor; > 0 (default 1)
	Timing  Timing  // DefaultTiming means BeforeEpoch
}

var _ Schedule = InverseSqrtEpoch{}

// LR returns the rate for an update in epoch (from 0); step is ignored.
func (s InverseSqrtEpoch) LR(epoch, step int) float64 {
	e, ok := epochIndex(s.Timing.or(BeforeEpoch), epoch)
	if !ok || e == 0 {
		return s.Initial
	}
	return s.Initial * s.K / math.Sqrt(float64(e))
}
