package reports

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/reports/stats"
	"github.com/optbench/optbench/results"
)

// CompareOptions says what CompareSnapshots compares and how it decides.
type CompareOptions struct {
	// Metrics are the final metrics compared across seeds; empty means the
	// base sweep's metric. Each must have a goal (metric.Def.Goal).
	Metrics []string
	// Stats chooses the test, alpha and the smallest change that counts;
	// its Goal is set per metric from the declaration.
	Stats stats.CompareOptions
	// Ignore names parameters left out when configurations are matched
	// (--ignore lr: a run at another learning rate is the same
	// configuration). Matching then uses the experiment and the other
	// parameters; trials of matched configurations have other keys, so
	// nothing is compared bit for bit.
	Ignore []string
	// Curves loads a trial's stored curve from each side, to say where a
	// changed trial first differs; nil for a side read from a baseline
	// file, which holds only a digest of each curve.
	BaseCurve, CandidateCurve func(ctx context.Context, key string) ([]train.Epoch, error)
}

// Comparison is a comparison of two snapshots of a sweep: what changed
// bit for bit, and what became better or worse across seeds.
type Comparison struct {
	Base, Candidate *results.Snapshot
	Metrics         []string
	Configs         []*ConfigComparison // matched configurations, by label
	// OnlyBase and OnlyCandidate are the configurations one side lacks,
	// listed, never dropped silently.
	OnlyBase, OnlyCandidate []*ConfigComparison
	Changed                 int // matched configurations with a trial that differs
	Regressions             int // configurations with a regressed metric or a status change for the worse
	Improvements            int
	Notes                   []string // differences of the two sides as a whole (numerics versions, sweep file)
}

// ConfigComparison is one configuration on both sides.
type ConfigComparison struct {
	ConfigKey string
	Label     string // optimizer and the parameters that vary across configurations
	Seeds     int    // trials matched by key (same configuration and seed)
	BaseOnly  int    // trials of this configuration on one side only
	CandOnly  int

	// Changed: how many matched trials differ at all (status, a final
	// metric or any bit of the curve), where the first one first differs,
	// and the largest absolute difference of a compared final metric.
	Differ    int
	FirstDiff string
	MaxDiff   float64

	// StatusChanges lists trials whose status got worse (completed →
	// diverged or failed): a regression by itself.
	StatusChanges []string

	Metrics []MetricComparison
	// Verdict is Regressed if a metric regressed or a status got worse,
	// else Improved if a metric improved, else NoChange.
	Verdict stats.Verdict
}

// MetricComparison is one metric of one configuration across seeds.
type MetricComparison struct {
	Metric string
	stats.Comparison
}

// CompareSnapshots matches the trials of base and cand by configuration
// (engine.Trial.ConfigKey: everything but the seed) and, within one, by
// trial key (the same seed), then answers two questions for each
// configuration: did any matched trial change at all (optbench is
// deterministic, so any difference is news), and did each compared metric
// get better or worse across seeds (stats.Compare, in the direction of the
// metric's goal).
func CompareSnapshots(ctx context.Context, base, cand *results.Snapshot, opt CompareOptions) (*Comparison, error) {
	if len(opt.Ignore) > 0 {
		for _, s := range []*results.Snapshot{base, cand} {
			// A snapshot keeps the sweep's experiments, not each trial's:
			// configurations of two experiments that differ only in an
			// ignored parameter could not be told apart.
			if strings.Contains(s.Experiment, ",") {
				return nil, fmt.Errorf("reports: compare: --ignore: sweep %s lists several experiments (%s), whose configurations "+
					"it could merge across them; compare without --ignore", s.Sweep, s.Experiment)
			}
		}
	}
	c := &Comparison{Base: base, Candidate: cand, Metrics: opt.Metrics}
	if len(c.Metrics) == 0 {
		c.Metrics = []string{base.Metric}
	}
	goals := map[string]stats.Goal{}
	for _, m := range c.Metrics {
		d, ok := metric.Lookup(m)
		if !ok {
			return nil, fmt.Errorf("reports: compare: unknown metric %q", m)
		}
		switch d.Goal {
		case metric.Minimize:
			goals[m] = stats.Minimize
		case metric.Maximize:
			goals[m] = stats.Maximize
		default:
			return nil, fmt.Errorf("reports: compare: metric %s has no better direction to compare by", m)
		}
	}
	c.header()

	matchKey := func(s *results.Snapshot, t results.SnapshotTrial) string {
		if len(opt.Ignore) == 0 {
			return t.ConfigKey
		}
		p := t.Params.Clone()
		for _, name := range opt.Ignore {
			delete(p, name)
		}
		return engine.Trial{Experiment: s.Experiment, Params: p}.ConfigKey()
	}
	byConfig := func(s *results.Snapshot) (map[string][]results.SnapshotTrial, []string) {
		m := map[string][]results.SnapshotTrial{}
		var order []string
		for _, t := range s.Trials {
			key := matchKey(s, t)
			if _, ok := m[key]; !ok {
				order = append(order, key)
			}
			t.ConfigKey = key
			m[key] = append(m[key], t)
		}
		return m, order
	}
	bc, border := byConfig(base)
	cc, corder := byConfig(cand)
	labels := configLabels(opt.Ignore, base, cand)
	for _, key := range border {
		if _, ok := cc[key]; !ok {
			c.OnlyBase = append(c.OnlyBase, &ConfigComparison{ConfigKey: key, Label: labels[key], BaseOnly: len(bc[key])})
			continue
		}
		cfg, err := compareConfig(ctx, key, labels[key], bc[key], cc[key], c.Metrics, goals, opt)
		if err != nil {
			return nil, err
		}
		c.Configs = append(c.Configs, cfg)
		if cfg.Differ > 0 {
			c.Changed++
		}
		switch cfg.Verdict {
		case stats.Regressed:
			c.Regressions++
		case stats.Improved:
			c.Improvements++
		}
	}
	for _, key := range corder {
		if _, ok := bc[key]; !ok {
			c.OnlyCandidate = append(c.OnlyCandidate, &ConfigComparison{ConfigKey: key, Label: labels[key], CandOnly: len(cc[key])})
		}
	}
	byLabel := func(a, b *ConfigComparison) int {
		return cmp.Or(strings.Compare(a.Label, b.Label), strings.Compare(a.ConfigKey, b.ConfigKey))
	}
	slices.SortFunc(c.Configs, byLabel)
	slices.SortFunc(c.OnlyBase, byLabel)
	slices.SortFunc(c.OnlyCandidate, byLabel)
	return c, nil
}

// header notes how the two sides differ as a whole.
func (c *Comparison) header() {
	b, k := c.Base, c.Candidate
	if bn, kn := strings.Join(b.Numerics, ", "), strings.Join(k.Numerics, ", "); bn != kn {
		c.Notes = append(c.Notes, fmt.Sprintf("numerics versions differ: base %s, candidate %s: results are expected to change", orNone(bn), orNone(kn)))
	}
	if b.Sweep != k.Sweep || b.Experiment != k.Experiment {
		c.Notes = append(c.Notes, fmt.Sprintf("the sides are different sweeps (base %s of %s, candidate %s of %s): only the configurations they share are compared",
			b.Sweep, b.Experiment, k.Sweep, k.Experiment))
	} else if b.FileSHA256 != "" && k.FileSHA256 != "" && b.FileSHA256 != k.FileSHA256 {
		c.Notes = append(c.Notes, "the sweep files differ (another SHA-256): only the configurations they share are compared")
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func compareConfig(ctx context.Context, key, label string, base, cand []results.SnapshotTrial, metrics []string,
	goals map[string]stats.Goal, opt CompareOptions) (*ConfigComparison, error) {
	cfg := &ConfigComparison{ConfigKey: key, Label: label}
	cands := map[string]results.SnapshotTrial{}
	for _, t := range cand {
		cands[t.Key] = t
	}
	matched := map[string]bool{}
	for _, b := range base {
		k, ok := cands[b.Key]
		if !ok {
			cfg.BaseOnly++
			continue
		}
		matched[b.Key] = true
		cfg.Seeds++
		if b.Status == train.Completed && (k.Status == train.Diverged || k.Status == train.Failed) {
			cfg.StatusChanges = append(cfg.StatusChanges, fmt.Sprintf("seed %d: %s → %s", b.Seed, b.Status, k.Status))
		}
		for _, m := range metrics {
			if d := math.Abs(b.Final[m] - k.Final[m]); d > cfg.MaxDiff {
				cfg.MaxDiff = d
			}
		}
		if b.Status == k.Status && b.Digest == k.Digest {
			if _, _, _, ok := FinalDifference(b.Final, k.Final); !ok {
				continue
			}
		}
		if cfg.Differ == 0 { // only the first is described: the curves are read for it alone
			what, err := trialDifference(ctx, b, k, opt)
			if err != nil {
				return nil, err
			}
			cfg.FirstDiff = fmt.Sprintf("seed %d: %s", b.Seed, what)
		}
		cfg.Differ++
	}
	cfg.CandOnly = len(cand) - len(matched)
	regressed, improved := len(cfg.StatusChanges) > 0, false
	for _, m := range metrics {
		o := opt.Stats
		o.Goal = goals[m]
		mc := MetricComparison{Metric: m, Comparison: stats.Compare(values(base, m), values(cand, m), o)}
		regressed = regressed || mc.Verdict == stats.Regressed
		improved = improved || mc.Verdict == stats.Improved
		cfg.Metrics = append(cfg.Metrics, mc)
	}
	switch {
	case regressed:
		cfg.Verdict = stats.Regressed
	case improved:
		cfg.Verdict = stats.Improved
	}
	return cfg, nil
}

// values returns the metric of the trials that completed (diverged and
// failed ones have no value to average; their statuses are compared
// apart), in seed order.
func values(ts []results.SnapshotTrial, m string) []float64 {
	var out []float64
	for _, t := range ts {
		if t.Status != train.Completed {
			continue
		}
		v, ok := t.Final[m]
		if !ok {
			v = math.NaN()
		}
		out = append(out, v)
	}
	return out
}

// trialDifference says where one trial of both sides first differs:
// status, then the curve (the first epoch and metric when both curves can
// be loaded, else that the digests differ), then a final metric.
func trialDifference(ctx context.Context, b, k results.SnapshotTrial, opt CompareOptions) (string, error) {
	if b.Status != k.Status {
		return fmt.Sprintf("status %s, now %s", b.Status, k.Status), nil
	}
	if b.Digest != k.Digest {
		if opt.BaseCurve == nil || opt.CandidateCurve == nil {
			return fmt.Sprintf("curve digest %.12s, now %.12s", b.Digest, k.Digest), nil
		}
		bc, err := opt.BaseCurve(ctx, b.Key)
		if err != nil {
			return "", err
		}
		kc, err := opt.CandidateCurve(ctx, k.Key)
		if err != nil {
			return "", err
		}
		if d, ok := FirstDifference(bc, kc); ok {
			return d.String(), nil
		}
		return "curve digests differ", nil
	}
	name, w, g, _ := FinalDifference(b.Final, k.Final)
	return fmt.Sprintf("final %s: %s, now %s", name, formatBits(w), formatBits(g)), nil
}

// configLabels names each configuration of either side by its optimizer
// and the parameters that vary across all of them.
func configLabels(ignore []string, snaps ...*results.Snapshot) map[string]string {
	params := map[string]engine.Params{}
	var optimizer = map[string]string{}
	for _, s := range snaps {
		for _, t := range s.Trials {
			p := t.Params.Clone()
			for _, name := range ignore {
				delete(p, name)
			}
			key := t.ConfigKey
			if len(ignore) > 0 {
				key = engine.Trial{Experiment: s.Experiment, Params: p}.ConfigKey()
			}
			params[key], optimizer[key] = p, t.Optimizer
		}
	}
	seen := map[string]map[string]bool{}
	for _, p := range params {
		for name, v := range p {
			if name == "optimizer" {
				continue
			}
			if seen[name] == nil {
				seen[name] = map[string]bool{}
			}
			seen[name][engine.FormatValue(v)] = true
		}
	}
	var varying []string // parameters with two values or more among the configurations that have them
	for name, vals := range seen {
		if len(vals) > 1 {
			varying = append(varying, name)
		}
	}
	slices.SortFunc(varying, func(a, b string) int {
		ia, ib := slices.Index(paramOrder, a), slices.Index(paramOrder, b)
		if ia < 0 {
			ia = len(paramOrder)
		}
		if ib < 0 {
			ib = len(paramOrder)
		}
		return cmp.Or(cmp.Compare(ia, ib), strings.Compare(a, b))
	})
	out := make(map[string]string, len(params))
	for key, p := range params {
		parts := []string{optimizer[key]}
		for _, name := range varying {
			v, ok := p[name]
			if !ok {
				continue
			}
			short := name
			if s, ok := shortNames[name]; ok {
				short = s
			}
			parts = append(parts, short+"="+engine.FormatValue(v))
		}
		out[key] = strings.Join(parts, " ")
	}
	return out
}
