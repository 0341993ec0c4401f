package reports

import (
	"slices"
	"strings"
)

// Problems splits the input of a sweep of several experiments (a sweep
// file whose experiment is a list; the record's Experiment names them,
// comma-separated) into one input per experiment, in the sweep's order,
// for AnalyzeAcross: each is a problem named by its experiment, with that
// experiment's trials and the sweep's loaders. The sweep's notes go with
// the first problem only, so a comparison shows them once. The input of
// a sweep of one experiment comes back alone and unchanged.
func (in Input) Problems() []Input {
	var order []string
	for _, name := range strings.Split(in.Sweep.Experiment, ",") {
		if name = strings.TrimSpace(name); name != "" && !slices.Contains(order, name) {
			order = append(order, name)
		}
	}
	// A trial of an experiment the record does not name (a record
	// written before the file listed it) is a problem too.
	for _, t := range in.Trials {
		if !slices.Contains(order, t.Experiment) {
			order = append(order, t.Experiment)
		}
	}
	if len(order) <= 1 {
		return []Input{in}
	}
	out := make([]Input, len(order))
	for i, name := range order {
		p := in
		p.Sweep.Name, p.Sweep.Experiment = name, name
		p.Trials = nil
		for _, t := range in.Trials {
			if t.Experiment == name {
				p.Trials = append(p.Trials, t)
			}
		}
		if i > 0 {
			p.Notes, p.LeftOut = nil, 0
		}
		out[i] = p
	}
	return out
}
