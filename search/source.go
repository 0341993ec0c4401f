package search

import (
	"errors"
	"fmt"
	"strings"

	"github.com/optbench/optbench/engine"
)

// Template is what the trials of a search share: everything but their
// parameters and seed, and how a proposed configuration becomes a trial's
// full parameters.
type Template struct {
	Sweep      string        // copied to every trial; not part of the key
	Experiment string        // a name in the experiments registry
	Seeds      []uint64      // every configuration runs once per seed
	Budget     engine.Budget // of every trial
	// Resolve fills a configuration's defaults, so that a trial's key does
	// not depend on whether a default was written out (experiments'
	// (*Experiment).Resolve). Nil keeps configurations as proposed.
	Resolve func(engine.Params) (engine.Params, error)
}

// Cross returns the trials of configs × Seeds: configurations in order,
// each repeated for every seed with the seed varying fastest. Each trial
// gets its own copy of its parameters.
func (t Template) Cross(configs []engine.Params) []engine.Trial {
	trials := make([]engine.Trial, 0, len(configs)*len(t.Seeds))
	for _, p := range configs {
		for _, seed := range t.Seeds {
			trials = append(trials, engine.Trial{
				Sweep: t.Sweep, Experiment: t.Experiment, Params: p.Clone(), Seed: seed, Budget: t.Budget,
			}.Keyed()) // hashed once here, not again by plan, store and executor
		}
	}
	return trials
}

// Configurations runs m to the end and returns the distinct configurations
// it proposed, resolved, in order. It tells m of each: kept, or not kept
// when it repeats an earlier one after resolution.
func (t Template) Configurations(m Method) ([]engine.Params, error) {
	var configs []engine.Params
	seen := map[string]bool{}
	for {
		c, ok := m.Propose()
		if !ok {
			break
		}
		p := c.Params
		if t.Resolve != nil {
			var err error
			if p, err = t.Resolve(p); err != nil {
				return nil, fmt.Errorf("search: configuration %s: %w", describe(c.Params), err)
			}
		}
		canonical := string(engine.Trial{Experiment: t.Experiment, Params: p}.Canonical())
		if seen[canonical] {
			m.Tell(false)
			continue
		}
		seen[canonical] = true
		configs = append(configs, p)
		m.Tell(true)
	}
	return configs, nil
}

// ErrNoTrials is returned by NewSource when a method proposes nothing or
// there are no seeds.
var ErrNoTrials = errors.New("search: no trials")

// NewSource returns the trials of the configurations m proposes, crossed
// with t's seeds as Cross does, as a source for the executor. Grid, random
// and list searches do not learn from outcomes, so NewSource runs m to the
// end first; the source then proposes the same trials in the same order
// however the executor asks for them, and knows how many there are.
func NewSource(m Method, t Template) (engine.Source, error) {
	configs, err := t.Configurations(m)
	if err != nil {
		return nil, err
	}
	if len(configs) == 0 || len(t.Seeds) == 0 {
		return nil, fmt.Errorf("%w: %d configurations × %d seeds", ErrNoTrials, len(configs), len(t.Seeds))
	}
	return engine.Trials(t.Cross(configs)), nil
}

// describe lists a configuration's parameters sorted by name.
func describe(p engine.Params) string {
	parts := make([]string, 0, len(p))
	for _, name := range p.Names() {
		parts = append(parts, name+"="+engine.FormatValue(p[name]))
	}
	return "{" + strings.Join(parts, " ") + "}"
}
