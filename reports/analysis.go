package reports

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/reports/stats"
	"github.com/optbench/optbench/results"
)

// Report is a sweep analysed: configurations ranked, each optimizer's best
// (each value's of Options.By), the curves of those, and the caveats found
// on the way. Tables and figures are drawn from it; build it with Analyze.
type Report struct {
	Sweep      results.SweepRecord
	Provenance []results.Provenance
	Metric     string                   // the metric ranked by
	Goal       stats.Goal               // of Metric
	Configs    []*stats.Config          // every configuration, best first
	Best       []*stats.Config          // the best configuration of each value of Options.By (each optimizer's), best first
	Swept      []string                 // parameters that take more than one value, sorted
	Totals     stats.Outcome            // how the sweep's trials ended
	Warnings   []string                 // statistical caveats, in the order found
	Options    Options                  // with defaults filled in
	Input      Input                    // what the report was made from
	Curves     map[string][]train.Epoch // per-epoch metrics of the best configurations' trials, by key

	// Numerics counts the trials by the engine.NumericsVersion that
	// trained them; versions other than this build's are results kept
	// with optbench run --keep-stale.
	Numerics map[string]int

	ranked      []*stats.Config               // Configs in the order of stats.Rank, before ties move up
	rank        map[*stats.Config]int         // 1-based place of usable configurations among Configs
	tied        map[*stats.Config]bool        // configurations of Configs tied with the best
	bestPlaces  []stats.Standing              // of Best, in order
	experiments int                           // distinct experiments among the trials
	finalByKey  map[string]map[string]float64 // final metrics of Input.Trials by key
}

// Analyze groups the sweep's trials into configurations, ranks them by the
// sweep's metric and goal, and loads the curves of each optimizer's (each
// Options.By value's) best configuration. Caveats are collected in
// Report.Warnings; errors are reserved for invalid options (ErrOption) and
// failed loads.
func Analyze(ctx context.Context, in Input, opt Options) (*Report, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	r := &Report{Sweep: in.Sweep, Provenance: in.Provenance, Options: opt, Input: in, Numerics: map[string]int{},
		finalByKey: make(map[string]map[string]float64, len(in.Trials))}
	for _, t := range in.Trials {
		r.finalByKey[t.Key] = t.Final
		if t.Numerics != "" {
			r.Numerics[t.Numerics]++
		}
	}
	for _, n := range in.Notes {
		r.warn("%s", n)
	}
	r.Metric = strings.TrimSpace(in.Sweep.Metric)
	if r.Metric == "" {
		r.Metric = defaultMetric(in.Trials)
		r.warn("the sweep names no metric: ranking by %s", r.Metric)
	}
	goal, ok := stats.ParseGoal(in.Sweep.Goal)
	if !ok {
		goal = stats.Minimize
		if strings.Contains(r.Metric, "accuracy") || strings.Contains(r.Metric, "correct") {
			goal = stats.Maximize
		}
		if in.Sweep.Goal == "" {
			r.warn("the sweep names no goal: assuming %s %s", goal, r.Metric)
		} else {
			r.warn("unknown goal %q: assuming %s %s", in.Sweep.Goal, goal, r.Metric)
		}
	}
	r.Goal = goal

	configs := stats.Group(in.Trials, r.Metric, opt.Level)
	if err := checkBy(opt.By, configs); err != nil {
		return nil, err
	}
	ranked := stats.Rank(configs, goal)
	r.ranked = ranked
	// Each optimizer's best is picked from the order by failures and
	// means, before ties move up, so that a noisier configuration tied
	// with the best does not displace its optimizer's better one.
	versus := stats.CompareOptions{Test: rankTest, Alpha: rankAlpha, Goal: goal, Level: opt.Level}
	r.Best, r.bestPlaces = stats.Standings(stats.BestPerGroup(ranked, r.group), versus)
	var places []stats.Standing
	r.Configs, places = stats.Standings(ranked, versus)
	r.Swept = stats.Swept(configs)
	r.Totals = stats.Totals(configs)
	r.rank = make(map[*stats.Config]int, len(r.Configs))
	r.tied = make(map[*stats.Config]bool)
	exps := make(map[string]bool)
	for i, c := range r.Configs {
		if places[i].Place > 0 {
			r.rank[c] = places[i].Place
		}
		if places[i].Tied {
			r.tied[c] = true
		}
		exps[c.Experiment] = true
	}
	r.experiments = len(exps)
	r.caveats()

	if err := r.loadCurves(ctx); err != nil {
		return nil, err
	}
	if opt.Target != nil && epochField(r.Metric) == nil {
		r.warn("%s has no per-epoch curve: epochs to target not computed", r.Metric)
	}
	if len(opt.Sort) > 0 {
		if _, err := r.AllTrials(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// checkBy accepts the optimizer or a parameter that some configuration
// has as the factor to group by.
func checkBy(by string, cs []*stats.Config) error {
	if by == ByOptimizer {
		return nil
	}
	names := map[string]bool{}
	for _, c := range cs {
		for n := range c.Values {
			names[n] = true
		}
	}
	if names[by] || len(cs) == 0 {
		return nil
	}
	valid := append([]string{ByOptimizer}, stats.Swept(cs)...)
	return fmt.Errorf("%w: by %q is not a parameter of the sweep (swept: %s)", ErrOption, by, strings.Join(valid, ", "))
}

// group names the value of Options.By that c has; "" when c lacks the
// parameter.
func (r *Report) group(c *stats.Config) string {
	if r.Options.By == ByOptimizer {
		return c.Optimizer
	}
	return c.Values[r.Options.By]
}

// byOptimizer reports whether the report groups by optimizer, its default.
func (r *Report) byOptimizer() bool { return r.Options.By == ByOptimizer }

// groupText shows c's value of Options.By, e.g. "adam" or "cosine".
func (r *Report) groupText(c *stats.Config) string {
	if r.byOptimizer() {
		return r.optimizerText(c)
	}
	v, ok := c.Values[r.Options.By]
	if !ok {
		return dash
	}
	return compactValue(r.Options.By, c.Params[r.Options.By], v)
}

// The test that decides whether a configuration is tied with the best:
// that of optbench compare by default.
const (
	rankTest  = stats.Welch
	rankAlpha = stats.DefaultAlpha
)

func defaultMetric(trials []results.TrialRecord) string {
	for _, t := range trials {
		if _, ok := t.Final["val_loss"]; ok {
			return "val_loss"
		}
	}
	return "train_loss"
}

// staleNumerics counts the trials of other numerics versions than this
// build's and lists the versions.
func (r *Report) staleNumerics() (int, string) {
	n := 0
	var parts []string
	for _, v := range slices.Sorted(maps.Keys(r.Numerics)) {
		if v != engine.NumericsVersion {
			n += r.Numerics[v]
			parts = append(parts, fmt.Sprintf("%d of version %s", r.Numerics[v], v))
		}
	}
	return n, strings.Join(parts, ", ")
}

func (r *Report) warn(format string, args ...any) {
	r.Warnings = append(r.Warnings, fmt.Sprintf(format, args...))
}

// caveats records the statistical caveats of the sweep.
func (r *Report) caveats() {
	t := r.Totals
	n := t.Total()
	if stale, versions := r.staleNumerics(); stale > 0 {
		r.warn("%d of %d trials were trained by a build with other numerics (%s; this build: %s) and were kept "+
			"with --keep-stale: their results may differ from what this build computes", stale, len(r.Input.Trials),
			versions, engine.NumericsVersion)
	}
	if n == 0 && r.Input.LeftOut > 0 {
		r.warn("no trial of the current plan has been run yet: run the sweep again")
		return
	}
	if n == 0 {
		r.warn("empty sweep: no trials recorded")
		return
	}
	if t.Completed == 0 {
		switch {
		case t.Diverged == n:
			r.warn("every trial diverged (%d of %d): nothing to rank", t.Diverged, n)
		default:
			r.warn("no trial has a value of %s (%s): nothing to rank", r.Metric, outcomeText(t))
		}
		return
	}
	if t.Diverged > 0 {
		r.warn("%d of %d trials diverged: excluded from means and named beside them", t.Diverged, n)
	}
	if t.Pruned > 0 {
		r.warn("%d of %d trials were pruned (stopped by a rule before their budget): excluded from means, "+
			"whose trials all trained their whole budget, and named beside them", t.Pruned, n)
	}
	if t.Failed > 0 {
		msg := ""
		for _, c := range r.Configs {
			for _, s := range c.Seeds {
				if msg == "" && s.Error != "" {
					msg = s.Error
				}
			}
		}
		if msg != "" {
			msg = "; first error: " + truncate(oneLine(msg), 200)
		}
		r.warn("%d of %d trials failed: excluded from means and named beside them%s", t.Failed, n, msg)
	}
	if t.Interrupted > 0 {
		r.warn("%d of %d trials were interrupted: excluded from means (a rerun trains them again)", t.Interrupted, n)
	}
	if t.Missing > 0 {
		r.warn("%d of %d trials completed without a finite %s: excluded from means and named beside them", t.Missing, n, r.Metric)
	}
	usable, single, few := 0, 0, 0
	for _, c := range r.Configs {
		if c.Usable() {
			usable++
			if c.Metric.N == 1 {
				single++
			}
			if c.Metric.N < stats.MinIntervalSeeds {
				few++
			}
		}
	}
	switch {
	case single == usable:
		r.warn("1 seed: no confidence interval")
	case few == usable:
		r.warn("fewer than %d seeds per configuration: no confidence interval", stats.MinIntervalSeeds)
	case few > 0:
		r.warn("%d of %d configurations have fewer than %d seeds: no confidence interval for them", few, usable, stats.MinIntervalSeeds)
	}
}

func outcomeText(t stats.Outcome) string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{t.Pruned, "pruned"}, {t.Diverged, "diverged"}, {t.Failed, "failed"}, {t.Interrupted, "interrupted"}, {t.Missing, "without the metric"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	return strings.Join(parts, ", ")
}

// loadCurves loads the curves of the best configurations' trials and of
// each schedule's best, the only ones the report draws or measures.
func (r *Report) loadCurves(ctx context.Context) error {
	r.Curves = map[string][]train.Epoch{}
	if len(r.Best) == 0 {
		return nil
	}
	if r.Input.Curves == nil {
		if r.Options.Target != nil {
			r.warn("no curves available: epochs to target not computed")
		}
		return nil
	}
	var keys []string
	seen := map[*stats.Config]bool{}
	for _, c := range append(slices.Clone(r.Best), r.scheduleBests()...) {
		if !seen[c] {
			seen[c] = true
			keys = append(keys, c.Keys()...)
		}
	}
	curves, err := r.Input.Curves(ctx, keys)
	if err != nil {
		return fmt.Errorf("reports: load curves of %d trials: %w", len(keys), err)
	}
	if curves != nil {
		r.Curves = curves
	}
	return nil
}

// Rank returns the 1-based rank of c among every configuration, or 0 when
// it has no value. Configurations tied with the best (see Tied) share
// its rank 1.
func (r *Report) Rank(c *stats.Config) int { return r.rank[c] }

// Tied reports whether c is not the best configuration but its metric is
// not significantly different from the best's (stats.Standings).
func (r *Report) Tied(c *stats.Config) bool { return r.tied[c] }

// epochField returns the accessor of a per-epoch metric, or nil when the
// metric is only computed at the end of training.
func epochField(name string) func(train.Epoch) float64 {
	id, ok := metric.EpochID(name)
	if !ok {
		return nil
	}
	return func(e train.Epoch) float64 { return e.Values[id] }
}

// meanCurve is a configuration's per-epoch metric over its seeds.
type meanCurve struct {
	X       []float64       // epoch number (from 1) or, for 2-D functions, step (from 0)
	Summary []stats.Summary // over seeds, at X
	Steps   bool            // X counts steps of a 2-D function rather than epochs
}

// curve averages the metric called name over the seeds of c whose curves were loaded,
// smoothing each seed first when smooth is set. It returns nil when no
// seed has a finite value of the metric.
func (r *Report) curve(c *stats.Config, name string, smooth bool) *meanCurve {
	field := epochField(name)
	if field == nil {
		return nil
	}
	var series [][]float64
	var longest []train.Epoch
	for _, k := range c.Keys() {
		eps := r.Curves[k]
		if len(eps) == 0 {
			continue
		}
		s := make([]float64, len(eps))
		hasValue := false
		for i, e := range eps {
			s[i] = field(e)
			hasValue = hasValue || !math.IsNaN(s[i])
		}
		if !hasValue {
			continue
		}
		if smooth && r.Options.Smoothing > 0 {
			s = stats.EWMA(s, s, r.Options.Smoothing)
		}
		series = append(series, s)
		if len(eps) > len(longest) {
			longest = eps
		}
	}
	if len(series) == 0 {
		return nil
	}
	mc := &meanCurve{Summary: stats.PerEpoch(series, r.Options.Level), X: make([]float64, len(longest))}
	mc.Steps = !math.IsNaN(longest[0].Values[metric.X])
	for i, e := range longest {
		mc.X[i] = float64(e.Epoch)
		if !mc.Steps {
			mc.X[i]++
		}
	}
	return mc
}

// epochsToTarget returns the epoch (or step) at which the seed mean of the
// sweep's metric first reaches the target, −1 for never, and ok = false
// when it cannot be measured (no target, no curves, no per-epoch metric).
func (r *Report) epochsToTarget(c *stats.Config) (at float64, ok bool) {
	if r.Options.Target == nil {
		return 0, false
	}
	mc := r.curve(c, r.Metric, false)
	if mc == nil {
		return 0, false
	}
	means := make([]float64, len(mc.Summary))
	for i, s := range mc.Summary {
		means[i] = s.Mean
	}
	i := stats.FirstReach(means, *r.Options.Target, r.Goal)
	if i < 0 {
		return -1, true
	}
	return mc.X[i], true
}

// label names a configuration compactly for legends and tables: the
// optimizer (with the experiment when the sweep has several) and the swept
// parameters, e.g. "adam lr=0.001 bs=64".
func (r *Report) label(c *stats.Config) string {
	p := r.paramText(c)
	if p == "" {
		return r.optimizerText(c)
	}
	return r.optimizerText(c) + " " + p
}

func (r *Report) optimizerText(c *stats.Config) string {
	if r.experiments > 1 {
		return c.Experiment + "/" + c.Optimizer
	}
	return c.Optimizer
}

// paramOrder puts the most telling parameters first.
var paramOrder = []string{"lr", "batch_size"}

// shortNames abbreviates long parameter names in compact labels.
var shortNames = map[string]string{"batch_size": "bs", "beta1": "β1", "beta2": "β2"}

// displayParams returns the swept parameters in display order.
func (r *Report) displayParams() []string {
	out := make([]string, 0, len(r.Swept))
	for _, n := range paramOrder {
		if slices.Contains(r.Swept, n) {
			out = append(out, n)
		}
	}
	for _, n := range r.Swept {
		if !slices.Contains(paramOrder, n) {
			out = append(out, n)
		}
	}
	return out
}

func (r *Report) paramText(c *stats.Config) string { return paramTextOf(c, r.displayParams()) }

// paramsBut returns the display parameters other than Options.By, which
// a column of its own shows where rows are grouped by it.
func (r *Report) paramsBut() []string {
	if r.byOptimizer() {
		return r.displayParams()
	}
	return slices.DeleteFunc(r.displayParams(), func(n string) bool { return n == r.Options.By })
}

// each names the groups of Options.By for titles: "each optimizer's",
// "each schedule's".
func (r *Report) each() string { return "each " + r.Options.By + "'s" }

// bestText names a group's best configuration in legends: the optimizer,
// and the value of Options.By when it is not the optimizer.
func (r *Report) bestText(c *stats.Config) string {
	if r.byOptimizer() {
		return r.optimizerText(c)
	}
	name := r.Options.By
	if s, ok := shortNames[name]; ok {
		name = s
	}
	return r.optimizerText(c) + " " + name + "=" + r.groupText(c)
}

func paramTextOf(c *stats.Config, keys []string) string {
	var sb strings.Builder
	for _, n := range keys {
		v, ok := c.Values[n]
		if !ok {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		label := n
		if s, ok := shortNames[n]; ok {
			label = s
		}
		sb.WriteString(label)
		sb.WriteByte('=')
		sb.WriteString(compactValue(n, c.Params[n], v)) // looked up by the parameter's own name, not its label
	}
	return sb.String()
}

// compactValue shows a value of param with numbers of at most five
// significant digits, so that a log-uniform learning rate reads
// lr=0.003981 rather than lr=0.003981071705534973, and a batch size of 0,
// the whole training set, as "full", as figures do; CSV and JSON keep
// every digit, and 0.
func compactValue(param string, v any, formatted string) string {
	if f, ok := v.(float64); ok {
		if param == "batch_size" && f == 0 {
			return "full"
		}
		return strconv.FormatFloat(f, 'g', 5, 64)
	}
	return formatted
}
