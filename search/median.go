package search

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

var _ engine.Rule = (*MedianRule)(nil)

// Median is the settings of the median stopping rule.
type Median struct {
	// Metric is the per-epoch metric compared: the sweep's metric, whose
	// declared goal says which way is better; required.
	Metric string
	// WarmupEpochs is the epochs a trial trains before the rule may stop
	// it; default 0 (Optuna's n_warmup_steps).
	WarmupEpochs int
	// Startup is the completed configurations of earlier generations
	// needed before the rule stops any trial; default (0) 5 (Optuna's
	// n_startup_trials).
	Startup int
}

// MedianRule is the median stopping rule (Golovin et al., "Google
// Vizier", KDD 2017, §3.2.2) with the semantics of Optuna 4.x's
// MedianPruner: after epoch e, a trial stops, as pruned, when
//
//	best_(j ≤ e) y_j  is worse than  median { c_e : c an earlier completed configuration }
//
// where y is the trial's own metric, c the mean curve over seeds of a
// configuration (Observation.Curve) and "worse" follows the metric's goal
// strictly; an even number of values has the mean of the middle two as
// median. Only configurations of earlier generations whose every seed
// completed count (Optuna counts completed trials only): their curves
// reach the full budget, and pruned ones would weigh the early epochs.
// The rule does not decide in a trial's first WarmupEpochs epochs, before
// Startup such configurations exist, or at an epoch none of them reached.
//
// A MedianRule is built from the history of completed generations and
// does not change, so its decisions depend on the proposal order of what
// came before, never on which trial finished first; NewMedianSource
// builds one for each generation.
//
// The executor calls Decide from the worker that trains a trial,
// concurrently for different trials, and after each epoch in order for a
// given trial. The running best of each trial is per trial: a
// mutex-guarded map by trial key, reset at epoch 0 and dropped when the
// trial stops or reaches its budget. Two trials with the same key (the
// same configuration and seed proposed twice) in one generation would
// share it.
type MedianRule struct {
	id      metric.ID
	name    string
	goal    Goal
	warmup  int
	active  bool      // Startup completed configurations exist
	medians []float64 // by epoch, NaN where no reference curve has a value
	counts  []int     // values behind each median

	mu   sync.Mutex
	best map[string]float64 // running best by trial key
}

// NewMedianRule returns the median rule for the trials of a generation,
// history being the observations of every generation before it.
func NewMedianRule(s Median, history []Observation) (*MedianRule, error) {
	if s.Startup == 0 {
		s.Startup = 5
	}
	if s.WarmupEpochs < 0 || s.Startup < 0 {
		return nil, fmt.Errorf("search: median rule: warmup_epochs %d, startup %d; want neither negative", s.WarmupEpochs, s.Startup)
	}
	id, ok := metric.EpochID(s.Metric)
	if !ok {
		return nil, fmt.Errorf("search: median rule: %q is not a per-epoch metric", s.Metric)
	}
	r := &MedianRule{id: id, name: s.Metric, warmup: s.WarmupEpochs, best: map[string]float64{}}
	switch id.Def().Goal {
	case metric.Minimize:
		r.goal = Minimize
	case metric.Maximize:
		r.goal = Maximize
	default:
		return nil, fmt.Errorf("search: median rule: %s has no better direction", s.Metric)
	}
	var ref [][]float64 // by epoch
	completed := 0
	for _, o := range history {
		if o.Status != train.Completed || len(o.Curve) == 0 {
			continue
		}
		completed++
		for e, v := range o.Curve {
			if e == len(ref) {
				ref = append(ref, nil)
			}
			if !math.IsNaN(v) {
				ref[e] = append(ref[e], v)
			}
		}
	}
	r.active = completed >= s.Startup
	r.medians = make([]float64, len(ref))
	r.counts = make([]int, len(ref))
	for e, vs := range ref {
		r.medians[e], r.counts[e] = median(vs), len(vs)
	}
	return r, nil
}

// median returns the median of vs (NaN when empty), sorting vs.
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return math.NaN()
	}
	slices.Sort(vs)
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2]
	}
	return (vs[n/2-1] + vs[n/2]) / 2
}

// Decide updates the trial's running best with epoch e and stops it when
// that best is worse than the median of the earlier configurations at e.
func (r *MedianRule) Decide(t engine.Trial, e train.Epoch) train.Decision {
	v := e.Values[r.id]
	key := t.Key()
	r.mu.Lock()
	best, ok := r.best[key]
	if !ok || e.Epoch == 0 {
		best = math.NaN()
	}
	if r.goal.Better(v, best) {
		best = v
	}
	med := math.NaN()
	if r.active && e.Epoch >= r.warmup && e.Epoch < len(r.medians) {
		med = r.medians[e.Epoch]
	}
	stop := !math.IsNaN(best) && r.goal.Better(med, best)
	ends := e.Epoch+1 >= t.Budget.Epochs || (t.Budget.PruneAt > 0 && e.Epoch+1 >= t.Budget.PruneAt)
	if stop || ends {
		delete(r.best, key)
	} else {
		r.best[key] = best
	}
	r.mu.Unlock()
	if !stop {
		return train.Decision{}
	}
	return train.Decision{Stop: true, Reason: fmt.Sprintf("median rule: best %s %v is worse than the median %v of %d earlier configurations",
		r.name, best, med, r.counts[e.Epoch])}
}

// NewMedianSource is NewAdaptiveSource with the median rule: the source
// it returns is also an engine.Rule, which the executor uses when its
// Rule is nil. The trials of generation g are judged by
// NewMedianRule(s, observations of generations 0 … g−1), built when
// generation g is proposed; no trial of an earlier generation is running
// then (a generation starts once every outcome of the one before has been
// told), so each trial is judged by one rule throughout. The objective
// is s.Metric.
func NewMedianSource(m Adaptive, tmpl Template, s Median) (engine.Source, error) {
	rule, err := NewMedianRule(s, nil)
	if err != nil {
		return nil, err
	}
	src := &medianSource{generationSource: &generationSource{m: m, tmpl: tmpl, metric: s.Metric}, settings: s}
	src.rule.Store(rule)
	return src, nil
}

type medianSource struct {
	*generationSource
	settings Median
	observed int // observations the current rule was built from
	rule     atomic.Pointer[MedianRule]
}

func (s *medianSource) Next(ctx context.Context, n int) ([]engine.Trial, error) {
	trials, err := s.generationSource.Next(ctx, n)
	if h := s.History(); len(h) != s.observed {
		rule, rerr := NewMedianRule(s.settings, h)
		if rerr != nil {
			return nil, rerr
		}
		s.rule.Store(rule)
		s.observed = len(h)
	}
	return trials, err
}

func (s *medianSource) Decide(t engine.Trial, e train.Epoch) train.Decision {
	return s.rule.Load().Decide(t, e)
}
