package search

import (
	"context"
	"fmt"
	"math"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

// Proposal is one configuration an adaptive method asks to train, with
// the budget to train it for.
type Proposal struct {
	Config Configuration
	// Epochs is the budget to train it for; 0 means the sweep's budget.
	Epochs int
	// PruneAt, when above 0, stops its trials after that many epochs with
	// status pruned: a rung of successive halving. The trial's key
	// includes it (engine.Budget.PruneAt).
	PruneAt int
}

// Observation is what an adaptive method is told of one proposal once
// every seed of it has been trained.
type Observation struct {
	Index    int      // the proposal's index over the whole search, from 0
	Proposal Proposal // as proposed
	// Value is the objective: the mean over the seeds that completed or
	// were pruned of the sweep's metric (at the epoch they stopped), in
	// the metric's own direction; NaN when none did (every seed diverged
	// or failed).
	Value float64
	// Status is the worst status among the seeds: completed, pruned,
	// diverged or failed.
	Status train.Status
	// Curve is the mean over those seeds of the metric after each epoch
	// (the seeds' common length); a median rule compares trials by it.
	Curve []float64
}

// Adaptive is a search that proposes from results, generation by
// generation. Generation g must be a pure function of the method's
// settings (seed included), g, and the observations of every proposal of
// the generations before g, in index order; randomness comes from the
// search seed and the proposal's index, never from what finished first.
// So a sweep proposes the same trials whatever the number of workers, a
// resumed sweep proposes again what it proposed before, and several
// processes sharing a sweep agree on what to train.
//
// Next returns generation g's proposals, or done when the search is over
// (its samples spent). history holds the observations of generations 0 to
// g−1, exactly, in index order; Next must not keep it.
type Adaptive interface {
	Next(g int, history []Observation) (proposals []Proposal, done bool, err error)
}

// Goal says which way an objective is better.
type Goal int

const (
	Minimize Goal = iota
	Maximize
)

// Better reports whether a is better than b; NaN is worse than anything.
func (g Goal) Better(a, b float64) bool {
	switch {
	case math.IsNaN(a):
		return false
	case math.IsNaN(b):
		return true
	case g == Maximize:
		return a > b
	}
	return a < b
}

// Trials returns the trials of a generation: each proposal resolved
// (tmpl.Resolve) and crossed with tmpl.Seeds, seed fastest, with the
// proposal's budget.
func (tmpl Template) Trials(ps []Proposal) ([]engine.Trial, error) {
	var out []engine.Trial
	for _, p := range ps {
		params := p.Config.Params
		if tmpl.Resolve != nil {
			var err error
			if params, err = tmpl.Resolve(params); err != nil {
				return nil, fmt.Errorf("search: configuration %s: %w", describe(p.Config.Params), err)
			}
		}
		budget := tmpl.Budget
		if p.Epochs > 0 {
			budget.Epochs = p.Epochs
		}
		budget.PruneAt = p.PruneAt
		for _, seed := range tmpl.Seeds {
			out = append(out, engine.Trial{Sweep: tmpl.Sweep, Experiment: tmpl.Experiment, Params: params.Clone(),
				Seed: seed, Budget: budget}.Keyed())
		}
	}
	return out, nil
}

// Observe turns the outcomes of a generation's trials (in the order
// Trials returned them: proposals in order, seeds fastest) into
// observations numbered from first, with the objective the metric named
// metric.
func Observe(first int, ps []Proposal, outcomes []engine.Outcome, seeds int, metric string) []Observation {
	obs := make([]Observation, len(ps))
	for i, p := range ps {
		o := Observation{Index: first + i, Proposal: p, Status: train.Completed}
		var sum float64
		n := 0
		var curves [][]float64
		for _, out := range outcomes[i*seeds : (i+1)*seeds] {
			switch out.Status {
			case train.Completed, train.Pruned:
				if v, ok := finalOf(out.Result.Final, metric); ok && !math.IsNaN(v) {
					sum += v
					n++
					curves = append(curves, curveOf(out.Curve, metric))
				}
				if out.Status == train.Pruned && o.Status == train.Completed {
					o.Status = train.Pruned
				}
			default:
				o.Status = worse(o.Status, out.Status)
			}
		}
		o.Value = math.NaN()
		if n > 0 {
			o.Value = sum / float64(n)
			o.Curve = meanCurve(curves)
		}
		obs[i] = o
	}
	return obs
}

// worse orders statuses completed < pruned < diverged < failed <
// interrupted.
func worse(a, b train.Status) train.Status {
	rank := map[train.Status]int{train.Completed: 0, train.Pruned: 1, train.Diverged: 2, train.Failed: 3, train.Interrupted: 4}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

func finalOf(ms []train.Metric, name string) (float64, bool) {
	for _, m := range ms {
		if m.Name == name {
			return m.Value, true
		}
	}
	return 0, false
}

// curveOf returns the named per-epoch metric of a curve; nil when it is not
// a per-epoch metric.
func curveOf(c []train.Epoch, name string) []float64 {
	out := make([]float64, 0, len(c))
	for _, e := range c {
		for _, m := range e.Metrics() {
			if m.Name == name {
				out = append(out, m.Value)
			}
		}
	}
	return out
}

func meanCurve(cs [][]float64) []float64 {
	if len(cs) == 0 {
		return nil
	}
	n := len(cs[0])
	for _, c := range cs {
		n = min(n, len(c))
	}
	out := make([]float64, n)
	for i := range out {
		for _, c := range cs {
			out[i] += c[i]
		}
		out[i] /= float64(len(cs))
	}
	return out
}

// generationSource is an engine.Source over an adaptive method in one
// process: it proposes a generation, waits until the executor has told it
// every outcome of that generation (in proposal order), then asks the
// method for the next.
type generationSource struct {
	m       Adaptive
	tmpl    Template
	metric  string
	g       int
	history []Observation
	props   []Proposal
	trials  []engine.Trial
	next    int
	told    []engine.Outcome
	done    bool
	err     error
}

// NewAdaptiveSource returns a source that trains m's proposals generation
// by generation, the objective being the metric named metric. The
// executor tells outcomes in proposal order, so the history the method
// sees — and so every trial — does not depend on the number of workers.
func NewAdaptiveSource(m Adaptive, tmpl Template, metric string) engine.Source {
	return &generationSource{m: m, tmpl: tmpl, metric: metric}
}

func (s *generationSource) Next(_ context.Context, n int) ([]engine.Trial, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.next == len(s.trials) {
		if len(s.told) < len(s.trials) {
			return nil, nil // the generation's outcomes are not all in
		}
		if len(s.trials) > 0 {
			s.history = append(s.history, Observe(len(s.history), s.props, s.told, len(s.tmpl.Seeds), s.metric)...)
			s.g++
		}
		if s.done {
			return nil, engine.ErrExhausted
		}
		for {
			props, done, err := s.m.Next(s.g, s.history)
			if err != nil {
				s.err = err
				return nil, err
			}
			s.done = done
			if len(props) > 0 {
				trials, err := s.tmpl.Trials(props)
				if err != nil {
					s.err = err
					return nil, err
				}
				s.props, s.trials, s.next, s.told = props, trials, 0, nil
				break
			}
			if done {
				return nil, engine.ErrExhausted
			}
			s.g++ // an empty generation: ask for the next
		}
	}
	hi := min(s.next+n, len(s.trials))
	out := s.trials[s.next:hi:hi]
	s.next = hi
	return out, nil
}

func (s *generationSource) Tell(o engine.Outcome) { s.told = append(s.told, o) }

// History returns what the source has observed so far.
func (s *generationSource) History() []Observation { return s.history }
