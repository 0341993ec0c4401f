package schedule

// PiecewiseConstant holds the rate constant between epoch boundaries:
//
//	f(e) = Rates[i]  where i is the number of boundaries ≤ e
//
// so Rates[0] applies before Boundaries[0] and Rates[i] from Boundaries[i−1]
// on. Source: torch.optim.lr_scheduler.MultiStepLR (Rates[i] = α0·γ^i, with
// milestones as boundaries), stepped after every epoch, hence the default
// timing BeforeEpoch: epoch Boundaries[0] is the first at the new rate.
// AfterEpoch is also accepted; epoch 0 then trains at α0. tf.keras's
// PiecewiseConstantDecay switches one step later (values[i+1] only once
// step > boundaries[i]); to reproduce it, add one to every boundary.
type PiecewiseConstant struct {
	Initial    float64   // α0, the rate of epoch 0 under AfterEpoch timing; > 0
	Boundaries []int     // epochs at which the next rate starts; increasing, ≥ 1
	Rates      []float64 // len(Boundaries) + 1 rates, each > 0
	Timing     Timing    // DefaultTiming means BeforeEpoch
}

var _ Schedule = PiecewiseConstant{}

// LR returns the rate for an update in epoch (from 0); step is ignored.
func (s PiecewiseConstant) LR(epoch, step int) float64 {
	e, ok := epochIndex(s.Timing.or(BeforeEpoch), epoch)
	if !ok {
		return s.Initial
	}
	i := 0
	for i < len(s.Boundaries) && s.Boundaries[i] <= e {
		i++
	}
	return s.Rates[i]
}
