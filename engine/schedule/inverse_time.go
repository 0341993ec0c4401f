package schedule

// InverseTime decays the rate in proportion to the inverse of the epoch:
//
//	f(e) = α0/(1 + r·e)
//
// Source: the DeepLearning.AI course's update_lr ("Optimization Methods"),
// which the training loop calls at the end of epoch i with epoch_num = i; the
// default timing is therefore AfterEpoch, so epochs 0 and 1 both train at
// α0 and epoch 2 at α0/(1 + r). BeforeEpoch is also accepted.
type InverseTime struct {
	Initial   float64 // α0, the rate before any decay; > 0
	DecayRate float64 // r, per epoch; ≥ 0 (the course uses 1)
	Timing    Timing  // DefaultTiming means AfterEpoch
}

var _ Schedule = InverseTime{}

// LR returns the rate for an update in epoch (from 0); step is ignored.
func (s InverseTime) LR(epoch, step int) float64 {
	e, ok := epochIndex(s.Timing.or(AfterEpoch), epoch)
	if !ok {
		return s.Initial
	}
	return s.Initial / (1 + float64(s.DecayRate*float64(e))) // rounded product: no fused multiply-add
}
