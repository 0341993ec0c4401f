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
//
// A sweep of several experiments has one search per experiment: Search
// returns an error, and Template describes the first; see Problems.
func (s *Sweep) Search() (search.Method, error) {
	if s.problems != nil {
		return nil, fmt.Errorf("sweeps: sweep %q has %d experiments, each searched on its own (see Problems)", s.Name, len(s.problems))
	}
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
	case Sobol:
		return search.NewSobol(s.space, s.samples, s.searchSeed)
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
	if s.problems != nil {
		return s.severalFingerprint()
	}
	desc := fmt.Sprintf("%s samples=%d seed=%d space=%#v", s.Method, s.samples, s.searchSeed, s.space)
	sum := sha256.Sum256([]byte(desc))
	return s.Method + ":" + hex.EncodeToString(sum[:8])
}

// IsAdaptive reports whether the sweep is trained generation by
// generation (Adaptive): a tpe search, or any search with a pruner. Its
// trials are not known before it runs, so Trials returns none.
func (s *Sweep) IsAdaptive() bool { return s.Method == TPE || s.pruner.Method != "" }

// Pruner returns the sweep's early stopping; zero when it has none.
func (s *Sweep) Pruner() Pruner { return s.pruner }

func (s *Sweep) goal() search.Goal {
	if s.Goal == "maximize" {
		return search.Maximize
	}
	return search.Minimize
}

// halving returns the settings of a successive halving or hyperband
// pruner.
func (s *Sweep) halving() search.Halving {
	return search.Halving{MinEpochs: s.pruner.MinEpochs, MaxEpochs: s.pruner.MaxEpochs, Eta: s.pruner.Eta, Goal: s.goal()}
}

// Adaptive returns the search of an adaptive sweep (IsAdaptive), a fresh
// one each call: tpe; successive halving or hyperband drawing their
// configurations from the sweep's method (grid, random, list, sobol);
// hyperband with tpe proposing each bracket's configurations as it
// starts (search.NewHyperbandTPE, a BOHB-like search); or the method in
// generations of Generation() with the median rule (MedianRule) stopping
// trials.
func (s *Sweep) Adaptive() (search.Adaptive, error) {
	if s.space == nil {
		return nil, fmt.Errorf("sweeps: sweep %q has no search space (make sweeps with Parse or Load)", s.Name)
	}
	var tpe search.Adaptive
	if s.Method == TPE {
		opt := search.TPEOptions{Samples: s.samples, Seed: s.searchSeed,
			Generation: s.generation, Startup: s.startup, Multivariate: s.multivar, Goal: s.goal()}
		if s.pruner.Method == "hyperband" {
			return search.NewHyperbandTPE(s.halving(), s.space, opt)
		}
		m, err := search.NewTPE(s.space, opt)
		if err != nil {
			return nil, err
		}
		tpe = m
	}
	switch s.pruner.Method {
	case "":
		if tpe != nil {
			return tpe, nil
		}
		return nil, fmt.Errorf("sweeps: sweep %q is not adaptive", s.Name)
	case "median":
		if tpe != nil {
			return tpe, nil
		}
		m, err := s.Search()
		if err != nil {
			return nil, err
		}
		return search.NewBatched(m, s.Generation()), nil
	}
	sampler, err := s.Search()
	if err != nil {
		return nil, err
	}
	if s.pruner.Method == "hyperband" {
		return search.NewHyperband(s.halving(), sampler)
	}
	return search.NewSuccessiveHalving(s.halving(), s.prunerConfigs(), sampler)
}

// Brackets returns the plan of a successive halving or hyperband pruner:
// per bracket, its rungs' configurations and epochs; nil for other sweeps.
func (s *Sweep) Brackets() ([]search.Bracket, error) {
	switch s.pruner.Method {
	case "hyperband":
		h := s.halving()
		if _, err := h.Rungs(); err != nil {
			return nil, err
		}
		return search.Brackets(max(h.MinEpochs, 1), h.MaxEpochs, max(h.Eta, 2)), nil
	case "successive_halving":
		b, err := s.halving().Bracket(s.prunerConfigs())
		if err != nil {
			return nil, err
		}
		return []search.Bracket{b}, nil
	}
	return nil, nil
}

// prunerConfigs is the number of configurations successive halving starts
// with (and hyperband may draw): random's, sobol's and tpe's samples, the
// grid's or list's size.
func (s *Sweep) prunerConfigs() int {
	if s.Method == Random || s.Method == Sobol || s.Method == TPE {
		return s.samples
	}
	return len(s.configs)
}

// MedianRule returns the median stopping rule of a sweep with pruner
// median, built from the observations of the generations before the one
// it will judge; nil for other sweeps.
func (s *Sweep) MedianRule(history []search.Observation) (engine.Rule, error) {
	if s.pruner.Method != "median" {
		return nil, nil
	}
	return search.NewMedianRule(search.Median{Metric: s.Metric, WarmupEpochs: s.pruner.WarmupEpochs,
		Startup: s.pruner.Startup}, history)
}

// Generation is the number of proposals of one generation of an adaptive
// sweep (search: generation; default 8).
func (s *Sweep) Generation() int {
	if s.generation > 0 {
		return s.generation
	}
	return 8
}
