package schedule

import "math"

// Step multiplies the rate by γ every StepSize epochs:
//
//	f(e) = α0·γ^⌊e/step_size⌋
//
// Source: torch.optim.lr_scheduler.StepLR(step_size, gamma=γ), stepped
// after every epoch, hence the default timing BeforeEpoch; AfterEpoch is
// also accepted. It is piecewise_constant with a boundary every step_size epochs;
// the rates agree with torch 1.13 to 1.4e-16 of α0 (testdata/torch_schedules.py).
// torch multiplies its current rate by γ at each boundary; the closed form
// here may differ from that product in the last place after many decays.
type Step struct {
	Initial  float64 // α0, the rate of the first StepSize epochs; > 0
	Gamma    float64 // γ, the factor per decay; in (0, 1]
	StepSize int     // step_size, epochs between decays; ≥ 1
	Timing   Timing  // DefaultTiming means BeforeEpoch
}

var _ Schedule = Step{}

// LR returns the rate for an update in epoch (from 0); step is ignored.
func (s Step) LR(epoch, step int) float64 {
	e, ok := epochIndex(s.Timing.or(BeforeEpoch), epoch)
	if !ok || s.StepSize < 1 {
		return s.Initial
	}
	return s.Initial * math.Pow(s.Gamma, float64(e/s.StepSize))
}
