package experiments

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/data"
	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/testfunc"
)

// Seeding says how a trial's seed becomes its random streams.
type Seeding int

const (
	// Streams derives independent named streams from the trial seed
	// (rng.Derive(seed, "init"), "shuffle", "dropout"). The dataset is
	// drawn from data_seed so that every seed sees the same data.
	Streams Seeding = iota
	// Course follows the DeepLearning.AI numpy code: the initialization is
	// drawn right after seeding numpy with the trial seed (the course uses
	// 3), and before epoch i numpy is reseeded with seed+8+i (11+i for seed
	// 3) to draw the mini-batch permutation.
	Course
)

// Goal says whether a metric is better low or high.
type Goal string

const (
	Minimize Goal = "minimize"
	Maximize Goal = "maximize"
)

// Experiment is a named problem: dataset, split, model, loss, metric and
// default budget. A trial's parameters override the defaults.
type Experiment struct {
	Name        string
	Description string
	Source      string        // where the setup comes from
	Function    bool          // a 2-D test function rather than a dataset
	Loss        nn.Loss       // network experiments only; unused when the loss follows the data (csv)
	Metric      string        // the metric sweeps optimize by default
	Goal        Goal          // of Metric
	Budget      engine.Budget // default budget
	Defaults    engine.Params // overrides of the common parameter defaults
	Seeding     Seeding
	DataParams  []Param // the experiment's own data settings
	ModelParams []Param // the experiment's own model settings (architecture), after DataParams

	// load returns the data of a trial: the training set, the validation
	// split (nil without one) and the separately generated test set (nil
	// without one).
	load func(p engine.Params) (train, val, test *data.Dataset, err error)
	// shape gives the size of load's data from the parameters, without
	// generating it: what planning needs (TrainSize, CheckModel).
	shape    func(p engine.Params) (Shape, error)
	function func(p engine.Params) testfunc.Function
	// objective, when set, makes this a benchmark-function experiment: it
	// takes no optimizer, its parameters are the inputs (DataParams), and
	// a trial is one evaluation.
	objective func() testfunc.Objective
	// loss, when set, chooses the loss per trial from the resolved
	// parameters and the classes of the training data, instead of Loss.
	loss func(p engine.Params, classes int) nn.Loss
	// splits, when set, says whether a trial with these resolved
	// parameters has a validation split and a test set; without it, a
	// positive val_fraction and n_test say so.
	splits func(p engine.Params) (val, test bool)
	// resolve, when set, completes resolved parameters that are computed
	// rather than defaulted (csv's data_sha256) and checks them.
	resolve func(p engine.Params) error
}

// ParamError is a problem with the value of one parameter that only the
// experiment can see, such as a data file that cannot be read. Sweeps use
// Param to report it where the parameter was written.
type ParamError struct {
	Param string // the parameter's name
	Err   error
}

func (e *ParamError) Error() string { return e.Param + ": " + e.Err.Error() }

func (e *ParamError) Unwrap() error { return e.Err }

// ErrUnknown is wrapped by lookups of names that are not registered.
var ErrUnknown = errors.New("experiments: unknown name")

var registry = map[string]*Experiment{}

func register(e *Experiment) {
	if _, dup := registry[e.Name]; dup {
		panic("experiments: duplicate " + e.Name)
	}
	registry[e.Name] = e
}

// Names returns the registered experiment names, sorted.
func Names() []string {
	out := make([]string, 0, len(registry))
	for k := range registry {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// All returns the registered experiments sorted by name.
func All() []*Experiment {
	out := make([]*Experiment, 0, len(registry))
	for _, n := range Names() {
		out = append(out, registry[n])
	}
	return out
}

// Lookup returns the named experiment.
func Lookup(name string) (*Experiment, error) {
	e, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("%w: experiment %q (valid: %s)", ErrUnknown, name, strings.Join(Names(), ", "))
	}
	return e, nil
}

// Params returns every parameter a trial of this experiment may set when
// it uses the given optimizer and schedule: the common ones (for network
// experiments), the optimizer's and schedule's settings, and the
// experiment's data settings, each with this experiment's default.
func (e *Experiment) Params(optimizer, sched string) ([]Param, error) {
	if e.objective != nil {
		return e.inputs(), nil
	}
	var out []Param
	for _, p := range CommonParams() {
		if e.Function && !functionParam[p.Name] {
			continue
		}
		out = append(out, p)
	}
	op, err := OptimizerParams(optimizer)
	if err != nil {
		return nil, err
	}
	sp, err := ScheduleParams(sched)
	if err != nil {
		return nil, err
	}
	out = append(out, op...)
	out = append(out, sp...)
	out = append(out, e.DataParams...)
	out = append(out, e.ModelParams...)
	for i := range out {
		if v, ok := e.Defaults[out[i].Name]; ok {
			out[i].setDefault(v)
		}
	}
	return out, nil
}

// functionParam are the common parameters that apply to 2-D test functions.
var functionParam = map[string]bool{"optimizer": true, "lr": true, "schedule": true, "timing": true}

func (p *Param) setDefault(v any) {
	if f, ok := v.(float64); ok && (p.Kind == Number || p.Kind == Integer) {
		p.Spec.Default = f
		return
	}
	p.Default = v
}

func (p Param) defaultValue() any {
	switch p.Kind {
	case Number, Integer:
		return p.Spec.Default
	case IntList, List:
		if l, ok := p.Default.([]float64); ok {
			return append([]float64(nil), l...)
		}
	}
	return p.Default
}

// Resolve returns the complete parameters of a trial: given values
// checked, every other parameter at its default. Names that do not apply
// (an Adam setting for momentum, say) are rejected with the nearest valid
// name. For the csv experiment, Resolve reads the data file to fill
// data_sha256 when it is not given.
func (e *Experiment) Resolve(given engine.Params) (engine.Params, error) {
	name := func(key string) string {
		if v, ok := given[key].(string); ok {
			return v
		}
		if v, ok := e.Defaults[key].(string); ok {
			return v
		}
		for _, p := range CommonParams() {
			if p.Name == key {
				return p.Default.(string)
			}
		}
		return ""
	}
	params, err := e.Params(name("optimizer"), name("schedule"))
	if err != nil {
		return nil, err
	}
	out := engine.Params{}
	known := map[string]bool{}
	for _, p := range params {
		known[p.Name] = true
		v, ok := given[p.Name]
		if !ok && p.Kind == Text && p.Required {
			return nil, fmt.Errorf("experiment %s needs %s", e.Name, p.Name)
		}
		if !ok && p.Optional {
			continue // absent means the default behaviour, and keeps the key of trials that predate it
		}
		if !ok {
			v = p.defaultValue()
			if v == nil && (p.Kind == List || p.Kind == IntList) {
				continue // an optional list, such as piecewise_constant's factors when values are given
			}
		}
		if err := p.Check(v); err != nil {
			return nil, err
		}
		out[p.Name] = v
	}
	for _, k := range given.Names() {
		if !known[k] {
			return nil, fmt.Errorf("parameter %q does not apply to experiment %s with optimizer %s and schedule %s%s",
				k, e.Name, name("optimizer"), name("schedule"), Suggest(k, sortedNames(params)))
		}
	}
	if err := e.resolveArchitecture(given, out); err != nil {
		return nil, err
	}
	if e.resolve != nil {
		if err := e.resolve(out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Suggest returns ` (did you mean "x"?)` for the valid name closest to
// name, or "" when none is close.
func Suggest(name string, valid []string) string {
	best, bestD := "", len(name)/2+2
	for _, v := range valid {
		if d := levenshtein(name, v); d < bestD {
			best, bestD = v, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
