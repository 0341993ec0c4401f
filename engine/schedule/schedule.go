package schedule

// Schedule gives the learning rate for each update.
//
// The trainer calls LR before every parameter update with the epoch being
// trained (from 0) and the global step number of that update (from 1). A
// schedule decides from its own Timing whether it moves per epoch (before
// or after the epoch) or per step.
type Schedule interface {
	LR(epoch, step int) float64
}
