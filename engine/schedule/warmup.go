package schedule

// Warmup raises the rate linearly from Start·α0 towards α0 over the first
// Epochs epochs or Steps steps, then hands over to Schedule, which starts
// afresh:
//
//	by epochs (N = Epochs):  α = α0·(s + (1 − s)·e/N)          for e < N
//	                         α = Schedule.LR(e − N, t)          for e ≥ N
//	by steps  (N = Steps):   α = α0·(s + (1 − s)·(t − 1)/N)    for t ≤ N
//	                         α = Schedule.LR(e, t − N)          for t > N
//
// Source: torch.optim.lr_scheduler.LinearLR(start_factor=s, end_factor=1,
// total_iters=N) followed by the main schedule through
// SequentialLR(milestones=[N]), stepped after every epoch (or every batch
// for warm-up by steps). The ramp never reaches α0 itself: the first update
// after warm-up is the main schedule's first. Warm-up by epochs shifts the
// main schedule's epochs and leaves steps alone; warm-up by steps shifts its
// steps and leaves epochs alone, so it suits per-step schedules (an epoch
// schedule keeps counting epochs from the start of training). With both
// Epochs and Steps zero, Warmup is Schedule.
type Warmup struct {
	Schedule Schedule // the schedule after warm-up
	Initial  float64  // α0, the rate the ramp climbs towards; > 0
	Start    float64  // s, the factor of α0 at the first warm-up update; in [0, 1]
	Epochs   int      // warm-up length in epochs; ≥ 0
	Steps    int      // warm-up length in steps, if Epochs is 0; ≥ 0
}

var _ Schedule = Warmup{}

// LR returns the rate for an update in epoch (from 0) at global step (from 1).
func (w Warmup) LR(epoch, step int) float64 {
	switch {
	case w.Epochs > 0:
		if epoch < w.Epochs {
			return w.ramp(max(epoch, 0), w.Epochs)
		}
		return w.Schedule.LR(epoch-w.Epochs, step)
	case w.Steps > 0:
		if step <= w.Steps {
			return w.ramp(max(step, 1)-1, w.Steps)
		}
		return w.Schedule.LR(epoch, step-w.Steps)
	}
	return w.Schedule.LR(epoch, step)
}

// ramp is torch's LinearLR closed form at index i of n.
func (w Warmup) ramp(i, n int) float64 {
	return w.Initial * (w.Start + (1-w.Start)*float64(i)/float64(n))
}
