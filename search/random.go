package search

import (
	"fmt"
	"math"
	"slices"

	"github.com/optbench/optbench/engine/rng"
)

var _ Method = (*Random)(nil)

// Random draws distinct configurations of a space from the "search" stream
// of its seed, rng.New(rng.Derive(seed, "search")). Each draw takes, in
// this order,
//
//	an optimizer     uniformly among the space's optimizers
//	a schedule       uniformly among its schedules
//	each dimension   of that branch, in order: a finite domain's index
//	                 uniformly (rng's Interval, numpy's random_interval),
//	                 Uniform as U[lo, hi), LogUniform as exp(U[log lo, log hi))
//
// where a choice between one value draws nothing. A configuration that is
// told not kept (a repeat) is drawn again, until Samples are kept or
// 100·Samples+1000 draws have been made. The draws are numpy's legacy
// RandomState draws, so a sweep's configurations are the same on every
// platform.
type Random struct {
	space      *Space
	samples    int
	r          *rng.RandomState
	optimizers int // distinct optimizers; branch = optimizer·schedules + schedule
	schedules  int
	kept       int
	attempts   int
}

// NewRandom returns a random search of samples configurations over space,
// drawn from the "search" stream of seed. The space's branches must be
// every pair of its optimizers and schedules, optimizer outermost, so that
// a draw of each picks a branch.
func NewRandom(space *Space, samples int, seed uint64) (*Random, error) {
	if samples < 1 {
		return nil, fmt.Errorf("search: random: samples %d; want at least 1", samples)
	}
	var optimizers, schedules []string
	for _, b := range space.Branches {
		if !slices.Contains(optimizers, b.Optimizer) {
			optimizers = append(optimizers, b.Optimizer)
		}
		if !slices.Contains(schedules, b.Schedule) {
			schedules = append(schedules, b.Schedule)
		}
		for _, d := range b.Dimensions {
			switch d.Domain.(type) {
			case Uniform, LogUniform:
			default:
				if d.Domain.Len() < 1 {
					return nil, fmt.Errorf("search: random: %s with schedule %s: cannot draw %s from %T",
						b.Optimizer, b.Schedule, d.Name, d.Domain)
				}
			}
		}
	}
	if len(space.Branches) == 0 {
		return nil, fmt.Errorf("search: random: the space has no branches")
	}
	for i, o := range optimizers {
		for j, s := range schedules {
			k := i*len(schedules) + j
			if k >= len(space.Branches) || space.Branches[k].Optimizer != o || space.Branches[k].Schedule != s {
				return nil, fmt.Errorf("search: random: branch %d is not optimizer %s with schedule %s; "+
					"random search needs every optimizer with every schedule, optimizer outermost", k+1, o, s)
			}
		}
	}
	if len(space.Branches) != len(optimizers)*len(schedules) {
		return nil, fmt.Errorf("search: random: %d branches for %d optimizers and %d schedules",
			len(space.Branches), len(optimizers), len(schedules))
	}
	return &Random{
		space: space, samples: samples, r: rng.New(rng.Derive(seed, "search")),
		optimizers: len(optimizers), schedules: len(schedules),
	}, nil
}

// MaxAttempts is the number of draws after which a random search of
// samples configurations gives up, when too many repeat.
func MaxAttempts(samples int) int { return 100*samples + 1000 }

// Propose draws the next configuration, or returns false when Samples
// have been kept or the draws are spent.
func (m *Random) Propose() (Configuration, bool) {
	if m.kept >= m.samples || m.attempts >= MaxAttempts(m.samples) {
		return Configuration{}, false
	}
	m.attempts++
	oi, si := pick(m.r, m.optimizers), pick(m.r, m.schedules)
	bi := oi*m.schedules + si
	b := m.space.Branches[bi]
	c := Configuration{Branch: bi, Params: b.params(), Index: make([]int, len(b.Dimensions))}
	for i, d := range b.Dimensions {
		c.Params[d.Name], c.Index[i] = draw(m.r, d.Domain)
	}
	return c, true
}

// Tell counts a kept configuration towards Samples.
func (m *Random) Tell(kept bool) {
	if kept {
		m.kept++
	}
}

// pick draws an index below n; with one choice it draws nothing.
func pick(r *rng.RandomState, n int) int {
	if n <= 1 {
		return 0
	}
	return int(r.Interval(uint64(n - 1)))
}

// draw takes one value of a domain and its index (−1 when continuous).
func draw(r *rng.RandomState, d Domain) (any, int) {
	switch d := d.(type) {
	case Uniform:
		return r.Uniform(d.Lo, d.Hi), -1
	case LogUniform:
		return math.Exp(r.Uniform(math.Log(d.Lo), math.Log(d.Hi))), -1
	}
	i := pick(r, d.Len())
	return d.At(i), i
}
