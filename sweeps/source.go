package sweeps

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/search"
)

// Space returns the search space of the sweep: one branch per optimizer
// and schedule (per config for search: list), each with its parameters as
// dimensions in file order. It is nil for a Sweep not made by Parse or
// Load.
func (s *Sweep) Space() *search.Space { return s.space }

// Search returns a new search of the sweep's Space by its Method: a
// search.Grid, a search.Random with the file's samples and seed, or a
// search.List. Run through search.NewSource with Template, it proposes the
// sweep's configurations again, in the order Trials gives them.
func (s *Sweep) Search() (search.Method, error) {
	if s.space == nil {
		return nil, fmt.Errorf("sweeps: sweep %q has no search space (make sweeps with Parse or Load)", s.Name)
	}
	switch s.Method {
	case Grid:
		return search.NewGrid(s.space)
	case Random:
		return search.NewRandom(s.space, s.samples, s.searchSeed)
	case List:
		return search.NewList(s.space)
	}
	return nil, fmt.Errorf("sweeps: sweep %q: unknown search method %q", s.Name, s.Method)
}

// Template returns what every trial of the sweep shares: its name,
// experiment, Seeds and Budget as they are when it is called (so a command
// may override them), and the experiment's Resolve.
func (s *Sweep) Template() search.Template {
	return search.Template{
		Sweep: s.Name, Experiment: s.Experiment, Seeds: s.Seeds, Budget: s.Budget, Resolve: s.resolve,
	}
}

// TrialSource returns the sweep's trials, in the order of Trials, as a source
// for the executor. The configurations are those Parse validated; nothing
// is drawn or resolved again.
func (s *Sweep) TrialSource() (engine.Source, error) {
	trials, err := s.Trials()
	if err != nil {
		return nil, err
	}
	return engine.Trials(trials), nil
}

// SearchFingerprint describes what the sweep searches — its method,
// random search's samples and seed, and its space — as a short hash, so
// that a store can tell two sweep files that share a name apart. Seeds,
// budget and metric are not part of it.
func (s *Sweep) SearchFingerprint() string {
	desc := fmt.Sprintf("%s samples=%d seed=%d space=%#v", s.Method, s.samples, s.searchSeed, s.space)
	sum := sha256.Sum256([]byte(desc))
	return s.Method + ":" + hex.EncodeToString(sum[:8])
}

// Adaptive returns the search of a sweep that is trained generation by
// generation, and ok: a tpe search, or any search with a pruner. It is
// nil and false for grid, random, list and sobol without a pruner, whose
// trials are all known before any runs (Trials).
func (s *Sweep) Adaptive() (m search.Adaptive, ok bool, err error) {
	if s.space == nil {
		return nil, false, nil
	}
	goal := search.Minimize
	if s.Goal == "maximize" {
		goal = search.Maximize
	}
	if s.Method == TPE {
		m, err := search.NewTPE(s.space, search.TPEOptions{Samples: s.samples, Seed: s.searchSeed,
			Generation: s.generation, Startup: s.startup, Multivariate: s.multivar, Goal: goal})
		return m, true, err
	}
	return nil, false, nil
}

// Generation is the number of proposals of one generation of an adaptive
// sweep (search: generation; default 8).
func (s *Sweep) Generation() int {
	if s.generation > 0 {
		return s.generation
	}
	return 8
}
