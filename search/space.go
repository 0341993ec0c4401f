package search

import "github.com/optbench/optbench/engine"

// Space is what a search explores: branches, each an optimizer with a
// schedule and the dimensions that vary there. A sweep over optimizers
// [gd, adam] and schedules [constant, exponential] has four branches, in
// the order gd/constant, gd/exponential, adam/constant, adam/exponential
// (optimizer outermost); each has its own dimensions, since adam's beta1
// exists only where the optimizer is adam.
type Space struct {
	Branches []Branch
}

// Branch is one optimizer with one schedule and the dimensions of the
// configurations there, in the order they were written.
type Branch struct {
	Optimizer  string // a name in engine/optim's registry
	Schedule   string // a name in engine/schedule's registry
	Dimensions []Dimension
}

// Dimension is one parameter of a branch and the values it takes. A
// parameter fixed to one value is a dimension with one point.
type Dimension struct {
	Name   string // the parameter, e.g. lr or beta1
	Domain Domain
}

// Configuration is one point of a space: the branch it lies in and the
// parameters that place it there.
type Configuration struct {
	// Branch is the index of its branch in Space.Branches.
	Branch int
	// Params holds optimizer, schedule and every dimension of the branch
	// by name: the parameters as written, before an experiment fills its
	// defaults.
	Params engine.Params
	// Index says, for each dimension of the branch in order, which value
	// of a finite domain the configuration took; −1 for a value drawn from
	// a continuous domain. A caller that knows where each value was
	// written maps an index back to it.
	Index []int
}

// params starts a configuration of branch b: its optimizer and schedule.
func (b Branch) params() engine.Params {
	p := make(engine.Params, len(b.Dimensions)+2)
	if b.Optimizer != "" {
		p["optimizer"] = b.Optimizer
	}
	if b.Schedule != "" {
		p["schedule"] = b.Schedule
	}
	return p
}
