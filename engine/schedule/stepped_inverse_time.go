package schedule

// SteppedInverseTime is InverseTime that moves only every interval epochs:
//
//	f(e) = α0/(1 + r·⌊e/interval⌋)
//
// Source: the DeepLearning.AI course's schedule_lr_decay
// ("Optimization Methods", time_interval = 1000 by default), called at the
// end of each epoch; the default timing is therefore AfterEpoch. With
// α0 = 0.1, r = 1 and interval 1000, f(999) = 0.1, f(1000) = 0.05 and
// f(2000) = 0.1/3, and with AfterEpoch timing epoch 1001 is the first to
// train at 0.05. BeforeEpoch is also accepted.
type SteppedInverseTime struct {
	Initial   float64 // α0, the rate before any decay; > 0
	DecayRate float64 // r, per interval; ≥ 0
	Interval  int     // epochs between decays; ≥ 1 (the course uses 1000)
	Timing    Timing  // DefaultTiming means AfterEpoch
}

var _ Schedule = SteppedInverseTime{}

// LR returns the rate for an update in epoch (from 0); step is ignored.
func (s SteppedInverseTime) LR(epoch, step int) float64 {
	e, ok := epochIndex(s.Timing.or(AfterEpoch), epoch)
	if !ok {
		return s.Initial
	}
	return s.Initial / (1 + float64(s.DecayRate*float64(e/max(s.Interval, 1)))) // rounded product: no fused multiply-add
}
