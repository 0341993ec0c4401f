package experiments

import (
	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/optim"
	"github.com/optbench/optbench/engine/schedule"
)

// NewOptimizer builds the optimizer that resolved parameters name: the
// optimizer parameter with each of its settings read from p, which
// Resolve has filled.
func NewOptimizer(p engine.Params) (optim.Optimizer, error) {
	name, _ := p.String("optimizer")
	specs, err := optim.Settings(name)
	if err != nil {
		return nil, err
	}
	settings := make(map[string]float64, len(specs))
	for _, s := range specs {
		settings[s.Name], _ = p.Float(s.Name)
	}
	return optim.New(name, settings)
}

// NewSchedule builds the learning-rate schedule that resolved parameters
// name: the schedule parameter from lr, with its numeric settings, its
// lists (piecewise_constant's boundaries, factors and values) and timing
// read from p. Trials build their schedule with it, and sweeps build each
// configuration's once while validating, so that rules between settings
// fail before anything runs and in the same words.
func NewSchedule(p engine.Params) (schedule.Schedule, error) {
	name, _ := p.String("schedule")
	specs, err := schedule.Specs(name)
	if err != nil {
		return nil, err
	}
	timing, _ := p.String("timing")
	set := schedule.Settings{Values: make(map[string]float64, len(specs)), Lists: map[string][]float64{}, Timing: timing}
	for _, s := range specs {
		set.Values[s.Name], _ = p.Float(s.Name)
	}
	for _, list := range []string{"boundaries", "factors", "values"} {
		if l, ok := p.List(list); ok {
			set.Lists[list] = l
		}
	}
	lr, _ := p.Float("lr")
	return schedule.New(name, lr, set)
}
