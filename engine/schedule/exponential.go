package schedule

import "math"

// Exponential multiplies the rate by γ every epoch:
//
//	f(e) = α0·γ^e
//
// Source: torch.optim.lr_scheduler.ExponentialLR, stepped after every epoch,
// hence the default timing BeforeEpoch; the DeepLearning.AI course's lecture
// on learning-rate decay gives the same rule (with γ = 0.95). AfterEpoch is
// also accepted. torch multiplies its current rate by γ at every step; the
// closed form here differs from that product by a few units in the last
// place after many epochs.
type Exponential struct {
	Initial float64 // α0, the rate of epoch 0; > 0
	Gamma   float64 // γ, the factor per epoch; in (0, 1]
	Timing  Timing  // DefaultTiming means BeforeEpoch
}

var _ Schedule = Exponential{}

// LR returns the rate for an update in epoch (from 0); step is ignored.
func (s Exponential) LR(epoch, step int) float64 {
	e, ok := epochIndex(s.Timing.or(BeforeEpoch), epoch)
	if !ok {
		return s.Initial
	}
	return s.Initial * math.Pow(s.Gamma, float64(e))
}
