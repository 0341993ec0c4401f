package schedule

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/optbench/optbench/engine/hparam"
)

// Settings configures a schedule from a config file.
type Settings struct {
	// Values holds the numeric settings that Specs describes: decay_rate,
	// interval, gamma, step_size, k, t_max, eta_min, and for every schedule
	// warmup_epochs, warmup_steps and warmup_start. Missing ones take their
	// defaults.
	Values map[string]float64
	// Lists holds list settings: boundaries with either factors (of the
	// initial rate) or values (rates), for piecewise_constant.
	Lists map[string][]float64
	// Timing is "before_epoch", "after_epoch" or "per_step"; "" means the
	// schedule's documented default.
	Timing string
}

// Names returns the names config files use for the schedules, sorted.
func Names() []string {
	return []string{
		"constant", "cosine", "exponential", "inverse_sqrt_epoch",
		"inverse_sqrt_step", "inverse_time", "piecewise_constant", "step", "stepped_inverse_time",
	}
}

// maxCount bounds the whole-number settings (epochs, steps, intervals) so
// that they convert to int exactly.
const maxCount = 1e9

// kind connects a registered name to its settings and constructor.
type kind struct {
	specs    []hparam.Spec // own numeric settings, without the warm-up ones
	required []string      // numeric settings without a usable default
	lists    []string      // accepted list settings
	timings  []Timing      // accepted timings; the first is the default
	build    func(lr0 float64, v map[string]float64, lists map[string][]float64, t Timing) (Schedule, error)
}

func lookup(name string) (kind, error) {
	switch name {
	case "constant":
		return kind{
			timings: []Timing{BeforeEpoch, AfterEpoch, PerStep},
			build: func(lr0 float64, _ map[string]float64, _ map[string][]float64, _ Timing) (Schedule, error) {
				return Constant{Initial: lr0}, nil
			},
		}, nil
	case "inverse_time":
		return kind{
			specs:   []hparam.Spec{decayRateSpec()},
			timings: []Timing{AfterEpoch, BeforeEpoch},
			build: func(lr0 float64, v map[string]float64, _ map[string][]float64, t Timing) (Schedule, error) {
				return InverseTime{Initial: lr0, DecayRate: v["decay_rate"], Timing: t}, nil
			},
		}, nil
	case "stepped_inverse_time":
		return kind{
			specs: []hparam.Spec{
				decayRateSpec(),
				countSpec("interval", 1000, 1, "epochs between decays (the course's time_interval)"),
			},
			timings: []Timing{AfterEpoch, BeforeEpoch},
			build: func(lr0 float64, v map[string]float64, _ map[string][]float64, t Timing) (Schedule, error) {
				return SteppedInverseTime{Initial: lr0, DecayRate: v["decay_rate"], Interval: int(v["interval"]), Timing: t}, nil
			},
		}, nil
	case "exponential":
		return kind{
			specs: []hparam.Spec{{Name: "gamma", Default: 0.95, Min: 0, Max: 1, MinOpen: true,
				Doc: "factor per epoch: rate = lr0·gamma^epoch"}},
			timings: []Timing{BeforeEpoch, AfterEpoch},
			build: func(lr0 float64, v map[string]float64, _ map[string][]float64, t Timing) (Schedule, error) {
				return Exponential{Initial: lr0, Gamma: v["gamma"], Timing: t}, nil
			},
		}, nil
	case "step":
		return kind{
			specs: []hparam.Spec{
				// The default is outside the range: step_size must be given, as in torch.
				countSpec("step_size", 0, 1, "required: epochs between decays (torch step_size)"),
				{Name: "gamma", Default: 0.1, Min: 0, Max: 1, MinOpen: true,
					Doc: "factor per decay: rate = lr0·gamma^⌊epoch/step_size⌋ (torch's default 0.1)"},
			},
			required: []string{"step_size"},
			timings:  []Timing{BeforeEpoch, AfterEpoch},
			build: func(lr0 float64, v map[string]float64, _ map[string][]float64, t Timing) (Schedule, error) {
				return Step{Initial: lr0, Gamma: v["gamma"], StepSize: int(v["step_size"]), Timing: t}, nil
			},
		}, nil
	case "inverse_sqrt_epoch":
		return kind{
			specs:   []hparam.Spec{kSpec("rate = lr0·k/√epoch from epoch 1")},
			timings: []Timing{BeforeEpoch, AfterEpoch},
			build: func(lr0 float64, v map[string]float64, _ map[string][]float64, t Timing) (Schedule, error) {
				return InverseSqrtEpoch{Initial: lr0, K: v["k"], Timing: t}, nil
			},
		}, nil
	case "inverse_sqrt_step":
		return kind{
			specs:   []hparam.Spec{kSpec("rate = lr0·k/√step")},
			timings: []Timing{PerStep},
			build: func(lr0 float64, v map[string]float64, _ map[string][]float64, _ Timing) (Schedule, error) {
				return InverseSqrtStep{Initial: lr0, K: v["k"]}, nil
			},
		}, nil
	case "piecewise_constant":
		return kind{
			lists:   []string{"boundaries", "factors", "values"},
			timings: []Timing{BeforeEpoch, AfterEpoch},
			build:   buildPiecewiseConstant,
		}, nil
	case "cosine":
		return kind{
			specs: []hparam.Spec{
				// The default is outside the range: t_max must be given.
				countSpec("t_max", 0, 1, "required: epochs from lr0 down to eta_min (torch T_max)"),
				{Name: "eta_min", Default: 0, Min: 0, Max: math.Inf(1), MaxOpen: true, Doc: "the rate at epoch t_max; at most lr0"},
			},
			required: []string{"t_max"},
			timings:  []Timing{BeforeEpoch, AfterEpoch},
			build: func(lr0 float64, v map[string]float64, _ map[string][]float64, t Timing) (Schedule, error) {
				if v["eta_min"] > lr0 {
					return nil, fmt.Errorf("eta_min = %g must not exceed the initial rate %g", v["eta_min"], lr0)
				}
				return Cosine{Initial: lr0, Min: v["eta_min"], Period: int(v["t_max"]), Timing: t}, nil
			},
		}, nil
	}
	return kind{}, fmt.Errorf("schedule: unknown schedule %q (valid: %s)", name, strings.Join(Names(), ", "))
}

func decayRateSpec() hparam.Spec {
	return hparam.Spec{Name: "decay_rate", Default: 1, Min: 0, Max: math.Inf(1), MaxOpen: true,
		Doc: "r in lr0/(1 + r·epoch)"}
}

func kSpec(doc string) hparam.Spec {
	return hparam.Spec{Name: "k", Default: 1, Min: 0, Max: math.Inf(1), MinOpen: true, MaxOpen: true, Doc: doc}
}

// countSpec describes a whole number of epochs or steps in [lo, maxCount].
func countSpec(name string, def, lo float64, doc string) hparam.Spec {
	return hparam.Spec{Name: name, Default: def, Min: lo, Max: maxCount, Integer: true, Doc: doc}
}

// warmupSpecs describes the warm-up settings every schedule accepts.
func warmupSpecs() []hparam.Spec {
	return []hparam.Spec{
		countSpec("warmup_epochs", 0, 0, "epochs of linear warm-up before the schedule; 0 for none"),
		countSpec("warmup_steps", 0, 0, "steps of linear warm-up before the schedule; 0 for none"),
		{Name: "warmup_start", Default: 1.0 / 3, Min: 0, Max: 1,
			Doc: "factor of lr0 at the first warm-up update (torch LinearLR start_factor)"},
	}
}

// lrSpec describes the initial rate New takes.
func lrSpec() hparam.Spec {
	return hparam.Spec{Name: "lr", Min: 0, Max: math.Inf(1), MinOpen: true, MaxOpen: true}
}

// Specs describes the numeric settings of the named schedule, with their
// defaults and allowed ranges, including the warm-up settings.
func Specs(name string) ([]hparam.Spec, error) {
	k, err := lookup(name)
	if err != nil {
		return nil, err
	}
	return append(slices.Clip(k.specs), warmupSpecs()...), nil
}

// New returns the named schedule starting from the learning rate lr0 (> 0).
// Settings left out take their defaults; unknown names and settings, values
// out of range and timings the schedule does not support are errors that
// say what is allowed. A warmup_epochs or warmup_steps above 0 puts a
// linear warm-up (Warmup) in front of the schedule.
func New(name string, lr0 float64, s Settings) (Schedule, error) {
	k, err := lookup(name)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (Schedule, error) {
		return nil, fmt.Errorf("schedule: %s: %w", name, err)
	}
	if err := lrSpec().Check(lr0); err != nil {
		return fail(err)
	}
	for _, req := range k.required {
		if _, ok := s.Values[req]; !ok {
			return fail(fmt.Errorf("%s is required", req))
		}
	}
	specs := append(slices.Clip(k.specs), warmupSpecs()...)
	v, err := hparam.Resolve(name, specs, s.Values)
	if err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	for _, key := range slices.Sorted(maps.Keys(s.Lists)) {
		if !slices.Contains(k.lists, key) {
			valid := "none"
			if len(k.lists) > 0 {
				valid = strings.Join(k.lists, ", ")
			}
			return fail(fmt.Errorf("unknown list setting %q (valid: %s)", key, valid))
		}
	}
	timing, err := parseTiming(s.Timing)
	if err != nil {
		return fail(err)
	}
	timing = timing.or(k.timings[0])
	if !slices.Contains(k.timings, timing) {
		valid := make([]string, len(k.timings))
		for i, t := range k.timings {
			valid[i] = t.String()
		}
		return fail(fmt.Errorf("timing %s is not supported (valid: %s)", timing, strings.Join(valid, ", ")))
	}
	main, err := k.build(lr0, v, s.Lists, timing)
	if err != nil {
		return fail(err)
	}

	epochs, steps := int(v["warmup_epochs"]), int(v["warmup_steps"])
	switch {
	case epochs > 0 && steps > 0:
		return fail(fmt.Errorf("warmup_epochs and warmup_steps cannot both be set"))
	case epochs > 0 && timing == PerStep:
		return fail(fmt.Errorf("warmup_epochs needs an epoch timing; use warmup_steps with %s", timing))
	case epochs == 0 && steps == 0:
		return main, nil
	}
	return Warmup{Schedule: main, Initial: lr0, Start: v["warmup_start"], Epochs: epochs, Steps: steps}, nil
}

func buildPiecewiseConstant(lr0 float64, _ map[string]float64, lists map[string][]float64, t Timing) (Schedule, error) {
	bounds, ok := lists["boundaries"]
	if !ok {
		return nil, fmt.Errorf("boundaries is required")
	}
	factors, hasFactors := lists["factors"]
	values, hasValues := lists["values"]
	if hasFactors == hasValues {
		return nil, fmt.Errorf("give exactly one of factors and values")
	}
	rates, what := values, "values"
	if hasFactors {
		rates, what = factors, "factors"
	}
	if len(rates) != len(bounds)+1 {
		return nil, fmt.Errorf("%d %s for %d boundaries, want %d", len(rates), what, len(bounds), len(bounds)+1)
	}
	s := PiecewiseConstant{Initial: lr0, Boundaries: make([]int, len(bounds)), Rates: make([]float64, len(rates)), Timing: t}
	for i, b := range bounds {
		spec := countSpec(fmt.Sprintf("boundaries[%d]", i), 0, 1, "")
		if err := spec.Check(b); err != nil {
			return nil, err
		}
		if i > 0 && b <= bounds[i-1] {
			return nil, fmt.Errorf("boundaries must increase: boundaries[%d] = %g follows %g", i, b, bounds[i-1])
		}
		s.Boundaries[i] = int(b)
	}
	for i, r := range rates {
		spec := hparam.Spec{Name: fmt.Sprintf("%s[%d]", what, i), Min: 0, Max: math.Inf(1), MinOpen: true, MaxOpen: true}
		if err := spec.Check(r); err != nil {
			return nil, err
		}
		if hasFactors {
			r *= lr0
		}
		s.Rates[i] = r
	}
	return s, nil
}
