package search

import (
	"fmt"
	"math"
	"slices"

	"github.com/optbench/optbench/engine/rng"
	"github.com/optbench/optbench/engine/train"
)

var _ Adaptive = (*TPE)(nil)

// TPEOptions are the settings of a [TPE] search. The zero value of each
// field but Samples is its default.
type TPEOptions struct {
	// Samples is the number of configurations to propose in all; at
	// least 1.
	Samples int
	// Seed is the search seed; proposal i draws from
	// rng.New(rng.Derive(Seed, "tpe<i>")).
	Seed uint64
	// Generation is the number of proposals made from the same history;
	// default 8. It fixes the trials, so it must not follow the number of
	// workers.
	Generation int
	// Startup is the number of proposals, by index, drawn at random
	// before the estimator is used (Optuna's n_startup_trials); default 10.
	Startup int
	// Multivariate fits one joint estimator over a branch's dimensions
	// instead of one per dimension (Optuna's multivariate=True).
	Multivariate bool
	// Goal says whether a lower (Minimize, the zero value) or a higher
	// objective is better.
	Goal Goal
}

// TPE is the Tree-structured Parzen Estimator (Bergstra et al., NeurIPS
// 2011) with the semantics of Optuna 4.x's TPESampler and its defaults,
// made deterministic by proposing in generations.
//
// Proposal i of generation g (i counted over the whole search) draws from
// its own stream rng.New(rng.Derive(seed, "tpe<i>")). The first Startup
// proposals draw like random search: a branch uniformly, then each
// dimension (see [Random]). After them, with n the observations of the
// generations before g, ranked best first (completed by value, then pruned
// by epochs reached and value; NaN, a diverged or failed trial, last and
// never good):
//
//	good  = the first γ(n) = min(⌈0.1·n⌉, 25) ranked observations
//	bad   = the others, plus the proposals of generation g before i
//	        (the constant liar: treated as worst, as Optuna puts running
//	        trials with the bad)
//	l, g  = Parzen estimators fitted to good and bad, each a mixture of
//	        one kernel per observation (weights: 1 for the newest 25, a
//	        linear ramp from 1/n before them) and a prior kernel of weight 1
//	x     = argmax over 24 draws x_j from l of log l(x_j) − log g(x_j)
//
// The branch (optimizer and schedule) is a categorical parameter chosen
// first; then each dimension of the chosen branch is fitted only to the
// good and bad observations in that branch, one dimension at a time, or
// jointly when Multivariate. Kernels, in the space the domain is searched
// in:
//
//	Uniform      truncated normal on [lo, hi]
//	LogUniform   truncated normal of log x on [log lo, log hi]
//	IntUniform, Quantized, PowersOfTwo
//	             the value's index with step 1: a truncated normal on
//	             [−½, N−½] whose mass over [k−½, k+½] is the probability of
//	             index k (Optuna's step handling; for powers of two the
//	             exponent is the index)
//	Points, Categorical
//	             categorical: 1 on the observed choice plus 1/(n+1) on
//	             each, normalised; the prior uniform
//
// with each normal centred on its observation and its bandwidth the
// larger gap to its sorted neighbours (the extreme observations take
// their inner gap), clipped to [(hi−lo)/min(100, n+2), hi−lo]; the prior
// is N((lo+hi)/2, hi−lo). A dimension with one value draws nothing.
//
// Next is a pure function of the settings, g and the history, so the
// same history gives the same proposals however it was produced.
type TPE struct {
	space *Space
	opt   TPEOptions
}

// tpeCandidates is Optuna's n_ei_candidates.
const tpeCandidates = 24

// NewTPE returns a TPE search over space. Every finite domain must have a
// value, and continuous domains a non-empty range (a positive one for
// LogUniform).
func NewTPE(space *Space, opt TPEOptions) (*TPE, error) {
	if opt.Samples < 1 {
		return nil, fmt.Errorf("search: tpe: samples %d; want at least 1", opt.Samples)
	}
	if opt.Generation < 0 || opt.Startup < 0 {
		return nil, fmt.Errorf("search: tpe: generation %d, startup %d; want at least 0 (0 for the default)",
			opt.Generation, opt.Startup)
	}
	if opt.Generation == 0 {
		opt.Generation = 8
	}
	if opt.Startup == 0 {
		opt.Startup = 10
	}
	if opt.Goal != Minimize && opt.Goal != Maximize {
		return nil, fmt.Errorf("search: tpe: unknown goal %d", opt.Goal)
	}
	if len(space.Branches) == 0 {
		return nil, fmt.Errorf("search: tpe: the space has no branches")
	}
	for _, b := range space.Branches {
		for _, d := range b.Dimensions {
			ok := true
			switch dom := d.Domain.(type) {
			case Uniform:
				ok = dom.Lo < dom.Hi
			case LogUniform:
				ok = 0 < dom.Lo && dom.Lo < dom.Hi
			default:
				ok = dom.Len() >= 1
			}
			if !ok {
				return nil, fmt.Errorf("search: tpe: %s with schedule %s: cannot search %s over %v",
					b.Optimizer, b.Schedule, d.Name, d.Domain)
			}
		}
	}
	return &TPE{space: space, opt: opt}, nil
}

// Next returns generation g: the proposals with indices g·Generation up to
// the next generation or Samples, and done with the last generation.
func (t *TPE) Next(g int, history []Observation) ([]Proposal, bool, error) {
	size := t.opt.Generation
	if g < 0 {
		return nil, false, fmt.Errorf("search: tpe: generation %d", g)
	}
	first := min(g*size, t.opt.Samples)
	if len(history) != first {
		return nil, false, fmt.Errorf("search: tpe: generation %d needs the %d observations of the generations before it, got %d",
			g, first, len(history))
	}
	for i, o := range history {
		if err := t.check(i, o); err != nil {
			return nil, false, err
		}
	}
	if first == t.opt.Samples {
		return nil, true, nil
	}
	last := min(first+size, t.opt.Samples)
	good := t.good(history)
	props := make([]Proposal, 0, last-first)
	for i := first; i < last; i++ {
		props = append(props, Proposal{Config: t.propose(i, history, good, props)})
	}
	return props, last == t.opt.Samples, nil
}

// check says whether observation o can be read as the i-th proposal of
// this space.
func (t *TPE) check(i int, o Observation) error {
	c := o.Proposal.Config
	if o.Index != i {
		return fmt.Errorf("search: tpe: observation %d has index %d; the history must be in index order", i, o.Index)
	}
	if c.Branch < 0 || c.Branch >= len(t.space.Branches) {
		return fmt.Errorf("search: tpe: observation %d: branch %d of %d", i, c.Branch, len(t.space.Branches))
	}
	dims := t.space.Branches[c.Branch].Dimensions
	if len(c.Index) != len(dims) {
		return fmt.Errorf("search: tpe: observation %d: %d indices for %d dimensions", i, len(c.Index), len(dims))
	}
	for j, d := range dims {
		switch d.Domain.(type) {
		case Uniform, LogUniform:
			if _, ok := c.Params[d.Name].(float64); !ok {
				return fmt.Errorf("search: tpe: observation %d: %s is not a number", i, d.Name)
			}
		default:
			if c.Index[j] < 0 || c.Index[j] >= d.Domain.Len() {
				return fmt.Errorf("search: tpe: observation %d: %s index %d of %d", i, d.Name, c.Index[j], d.Domain.Len())
			}
		}
	}
	return nil
}

// good marks the γ(n) best observations: completed ones by objective,
// then pruned ones (more epochs first, then objective), as Optuna fills
// the good group from complete trials before pruned ones; an observation
// without a value (NaN) is never good. Ties keep index order.
func (t *TPE) good(history []Observation) []bool {
	type ranked struct {
		i      int
		pruned bool
		epochs int
		v      float64
	}
	var rs []ranked
	for i, o := range history {
		if math.IsNaN(o.Value) {
			continue
		}
		v := o.Value
		if t.opt.Goal == Maximize {
			v = -v
		}
		p := o.Status == train.Pruned
		rs = append(rs, ranked{i, p, len(o.Curve), v})
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		switch {
		case a.pruned != b.pruned:
			if a.pruned {
				return 1
			}
			return -1
		case a.pruned && a.epochs != b.epochs:
			return b.epochs - a.epochs
		}
		return cmpFloat(a.v, b.v)
	})
	out := make([]bool, len(history))
	for _, r := range rs[:min(tpeGamma(len(history)), len(rs))] {
		out[r.i] = true
	}
	return out
}

// propose makes proposal i from the history (good marks the good group)
// and the proposals of its generation before it (liars, counted bad).
func (t *TPE) propose(i int, history []Observation, good []bool, liars []Proposal) Configuration {
	r := rng.New(rng.Derive(t.opt.Seed, fmt.Sprint("tpe", i)))
	finite := slices.ContainsFunc(history, func(o Observation) bool { return !math.IsNaN(o.Value) })
	if i < t.opt.Startup || !finite {
		return t.atRandom(r)
	}
	return t.fromModel(r, history, good, liars)
}

// atRandom draws a configuration as random search does: a branch
// uniformly, then each dimension.
func (t *TPE) atRandom(r *rng.RandomState) Configuration {
	bi := pick(r, len(t.space.Branches))
	b := t.space.Branches[bi]
	c := Configuration{Branch: bi, Params: b.params(), Index: make([]int, len(b.Dimensions))}
	for j, d := range b.Dimensions {
		c.Params[d.Name], c.Index[j] = draw(r, d.Domain)
	}
	return c
}

// fromModel draws a configuration from the estimators fitted to history
// (good marks the good group) and liars (counted bad).
func (t *TPE) fromModel(r *rng.RandomState, history []Observation, good []bool, liars []Proposal) Configuration {
	// Every configuration seen, split into the good and the bad, in index
	// order: the liars come last, having the highest indices.
	var below, above []Configuration
	for j, o := range history {
		if good[j] {
			below = append(below, o.Proposal.Config)
		} else {
			above = append(above, o.Proposal.Config)
		}
	}
	for _, p := range liars {
		above = append(above, p.Config)
	}

	bi := 0
	if n := len(t.space.Branches); n > 1 {
		branchOf := func(cs []Configuration) mixture {
			obs := make([]int, len(cs))
			for j, c := range cs {
				obs[j] = c.Branch
			}
			return mixture{weights: mixtureWeights(tpeWeights(len(obs))), dims: []kernels{categoricalKernels(obs, n)}}
		}
		bi = int(bestCandidate(r, branchOf(below), branchOf(above))[0])
	}
	b := t.space.Branches[bi]
	inBranch := func(cs []Configuration) []Configuration {
		var out []Configuration
		for _, c := range cs {
			if c.Branch == bi {
				out = append(out, c)
			}
		}
		return out
	}
	below, above = inBranch(below), inBranch(above)

	c := Configuration{Branch: bi, Params: b.params(), Index: make([]int, len(b.Dimensions))}
	var free []int // the dimensions with more than one value
	for j, d := range b.Dimensions {
		switch d.Domain.(type) {
		case Uniform, LogUniform:
		default:
			if d.Domain.Len() == 1 {
				c.Params[d.Name], c.Index[j] = d.Domain.At(0), 0
				continue
			}
		}
		free = append(free, j)
	}
	fit := func(cs []Configuration, dims []int) mixture {
		m := mixture{weights: mixtureWeights(tpeWeights(len(cs)))}
		for _, j := range dims {
			m.dims = append(m.dims, t.kernelsOf(b.Dimensions[j], j, cs))
		}
		return m
	}
	set := func(j int, x float64) {
		d := b.Dimensions[j]
		switch dom := d.Domain.(type) {
		case Uniform:
			c.Params[d.Name], c.Index[j] = inside(x, dom.Lo, dom.Hi), -1
		case LogUniform:
			c.Params[d.Name], c.Index[j] = inside(math.Exp(x), dom.Lo, dom.Hi), -1
		default:
			k := int(x)
			c.Params[d.Name], c.Index[j] = d.Domain.At(k), k
		}
	}
	if t.opt.Multivariate {
		if len(free) > 0 {
			x := bestCandidate(r, fit(below, free), fit(above, free))
			for k, j := range free {
				set(j, x[k])
			}
		}
	} else {
		for _, j := range free {
			x := bestCandidate(r, fit(below, []int{j}), fit(above, []int{j}))
			set(j, x[0])
		}
	}
	return c
}

// inside keeps a drawn value in [lo, hi): a truncated normal may return
// its upper bound, which the half-open domain excludes.
func inside(x, lo, hi float64) float64 {
	if x >= hi {
		return math.Nextafter(hi, lo)
	}
	return max(x, lo)
}

// kernelsOf fits the kernels of dimension d (index j in its branch) to
// the configurations cs.
func (t *TPE) kernelsOf(d Dimension, j int, cs []Configuration) kernels {
	switch dom := d.Domain.(type) {
	case Uniform, LogUniform:
		obs := make([]float64, len(cs))
		for k, c := range cs {
			obs[k] = c.Params[d.Name].(float64)
		}
		if l, ok := dom.(LogUniform); ok {
			for k := range obs {
				obs[k] = math.Log(obs[k])
			}
			return numericKernels(obs, math.Log(l.Lo), math.Log(l.Hi), false)
		}
		u := dom.(Uniform)
		return numericKernels(obs, u.Lo, u.Hi, false)
	case IntUniform, Quantized, PowersOfTwo:
		obs := make([]float64, len(cs))
		for k, c := range cs {
			obs[k] = float64(c.Index[j])
		}
		return numericKernels(obs, 0, float64(d.Domain.Len()-1), true)
	}
	obs := make([]int, len(cs))
	for k, c := range cs {
		obs[k] = c.Index[j]
	}
	return categoricalKernels(obs, d.Domain.Len())
}

// bestCandidate draws tpeCandidates points from l and returns the first
// that maximises log l(x) − log g(x).
func bestCandidate(r *rng.RandomState, l, g mixture) []float64 {
	var best []float64
	bestScore := math.Inf(-1)
	for _, x := range l.sample(r, tpeCandidates) {
		if s := l.logPDF(x) - g.logPDF(x); best == nil || s > bestScore {
			best, bestScore = x, s
		}
	}
	return best
}
