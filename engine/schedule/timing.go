package schedule

import "fmt"

// Timing says when a schedule's rate changes; see the package documentation.
type Timing int

const (
	// DefaultTiming, the zero value, selects the schedule's documented
	// default timing.
	DefaultTiming Timing = iota
	// BeforeEpoch: epoch e trains at f(e) (torch's scheduler.step() after
	// every epoch).
	BeforeEpoch
	// AfterEpoch: epoch 0 trains at α0 and epoch e ≥ 1 at f(e − 1), the rate
	// computed when epoch e − 1 finished (the course's convention).
	AfterEpoch
	// PerStep: global step t (from 1) trains at f(t).
	PerStep
)

// String returns the name config files use: "before_epoch", "after_epoch",
// "per_step", or "default" for DefaultTiming.
func (t Timing) String() string {
	switch t {
	case DefaultTiming:
		return "default"
	case BeforeEpoch:
		return "before_epoch"
	case AfterEpoch:
		return "after_epoch"
	case PerStep:
		return "per_step"
	}
	return fmt.Sprintf("Timing(%d)", int(t))
}

// ParseTiming returns the Timing that String names. The empty string and
// "default" give DefaultTiming.
func ParseTiming(s string) (Timing, error) {
	t, err := parseTiming(s)
	if err != nil {
		return t, fmt.Errorf("schedule: %w", err)
	}
	return t, nil
}

func parseTiming(s string) (Timing, error) {
	if s == "" {
		return DefaultTiming, nil
	}
	for _, t := range []Timing{DefaultTiming, BeforeEpoch, AfterEpoch, PerStep} {
		if s == t.String() {
			return t, nil
		}
	}
	return DefaultTiming, fmt.Errorf("unknown timing %q (valid: before_epoch, after_epoch, per_step)", s)
}

// or returns t, or def when t is DefaultTiming.
func (t Timing) or(def Timing) Timing {
	if t == DefaultTiming {
		return def
	}
	return t
}

// epochIndex returns the index at which an epoch schedule with timing t is
// evaluated while epoch is trained, or false when that epoch trains at the
// initial rate (AfterEpoch, epoch 0). Negative epochs count as epoch 0.
func epochIndex(t Timing, epoch int) (int, bool) {
	epoch = max(epoch, 0)
	if t == AfterEpoch {
		return epoch - 1, epoch > 0
	}
	return epoch, true
}
