package schedule

import (
	"math"

	"github.com/optbench/optbench/engine/internal/crmath"
)

// Cosine anneals the rate from α0 to η_min along half a cosine over T
// epochs:
//
//	f(e) = η_min + (α0 − η_min)·(1 + cos(π·e/T))/2
//
// Source: the closed form of torch.optim.lr_scheduler.CosineAnnealingLR
// (Loshchilov and Hutter, 2017, without restarts), stepped after every
// epoch, hence the default timing BeforeEpoch: epoch 0 trains at α0 and
// epoch T at η_min. AfterEpoch is also accepted. As in torch, the formula
// is not clamped: after epoch T the rate climbs back towards α0, reaching it
// at 2T, and the cycle repeats. Set T to the number of epochs trained (or
// beyond) for a single descent.
//
// T is the schedule's own setting (t_max in sweep files), never read from
// the trial's budget: a trial stopped at a rung and continued to a larger
// budget (engine.Trial.Continue) follows the same rates, so a sweep whose
// trials stop early sets t_max to its largest budget, the budget the
// descent is meant for.
type Cosine struct {
	Initial float64 // α0, the rate of epoch 0; > 0
	Min     float64 // η_min, the rate at epoch T; in [0, α0]
	Period  int     // T (torch's T_max), epochs from α0 to η_min; ≥ 1
	Timing  Timing  // DefaultTiming means BeforeEpoch
}

var _ Schedule = Cosine{}

// LR returns the rate for an update in epoch (from 0); step is ignored.
func (s Cosine) LR(epoch, step int) float64 {
	e, ok := epochIndex(s.Timing.or(BeforeEpoch), epoch)
	if !ok {
		return s.Initial
	}
	// crmath.Cos and the float64(…) rounding keep the bits the same on every
	// platform (math.Cos's depend on multiply-add fusion).
	return s.Min + float64((s.Initial-s.Min)*(1+crmath.Cos(math.Pi*float64(e)/float64(max(s.Period, 1)))))/2
}
