package stats

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

// Goal says whether a metric is better low or high.
type Goal int

const (
	Minimize Goal = iota
	Maximize
)

// ParseGoal reads "minimize" or "maximize" (also "min", "max"); ok is false
// for anything else.
func ParseGoal(s string) (g Goal, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "minimize", "min":
		return Minimize, true
	case "maximize", "max":
		return Maximize, true
	}
	return Minimize, false
}

func (g Goal) String() string {
	if g == Maximize {
		return "maximize"
	}
	return "minimize"
}

// Better reports whether a is strictly better than b. NaN is never better
// and anything finite is better than NaN.
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

// Reached reports whether v has reached target under the goal: at most the
// target when minimizing, at least it when maximizing.
func (g Goal) Reached(v, target float64) bool {
	if math.IsNaN(v) {
		return false
	}
	if g == Maximize {
		return v >= target
	}
	return v <= target
}

// Outcome counts how a configuration's trials ended.
type Outcome struct {
	Completed   int // completed with a finite value of the metric: the trials summarized
	Missing     int // completed, but the metric is absent or not finite
	Pruned      int // stopped by a rule before their budget: a result, but of a shorter training, so not summarized
	Diverged    int
	Failed      int
	Interrupted int
}

// Lost counts the trials that ended without a value of the metric
// through the configuration's own doing: diverged, pruned, failed, or
// completed without a finite value. Interrupted trials are not lost: a
// rerun trains them again.
func (o Outcome) Lost() int { return o.Missing + o.Pruned + o.Diverged + o.Failed }

// Total is the number of trials counted.
func (o Outcome) Total() int {
	return o.Completed + o.Missing + o.Pruned + o.Diverged + o.Failed + o.Interrupted
}

func (o *Outcome) add(p Outcome) {
	o.Completed += p.Completed
	o.Missing += p.Missing
	o.Pruned += p.Pruned
	o.Diverged += p.Diverged
	o.Failed += p.Failed
	o.Interrupted += p.Interrupted
}

// Seed is one trial of a configuration.
type Seed struct {
	Key         string
	Seed        uint64
	Status      train.Status
	Value       float64 // the metric; NaN unless the trial completed with a finite value
	WallSeconds float64
	Error       string
}

// Config is a configuration: the trials of one experiment and optimizer that
// share every parameter and differ only in their seed.
type Config struct {
	ID         string            // experiment, optimizer and every name=value, stable across runs
	Experiment string            // the trials' experiment
	Optimizer  string            // the trials' optimizer
	Params     engine.Params     // the parameters (of the first trial seen)
	Values     map[string]string // the parameters formatted by engine.FormatValue
	Seeds      []Seed            // ordered by seed, then key
	Outcome    Outcome
	Metric     Summary // of the metric over completed seeds
	Wall       float64 // mean wall seconds of the trials that ran to an end (completed or diverged); NaN if none
}

// Usable reports whether the configuration has at least one value of the
// metric.
func (c *Config) Usable() bool { return c.Metric.N > 0 }

// Keys returns the keys of the seeds that completed with a finite metric,
// the trials whose curves make up the configuration's mean.
func (c *Config) Keys() []string {
	var out []string
	for _, s := range c.Seeds {
		if s.Status == train.Completed && !math.IsNaN(s.Value) {
			out = append(out, s.Key)
		}
	}
	return out
}

// MetricValues returns the metric of the completed seeds, in seed order.
func (c *Config) MetricValues() []float64 {
	out := make([]float64, 0, c.Metric.N)
	for _, s := range c.Seeds {
		if !math.IsNaN(s.Value) {
			out = append(out, s.Value)
		}
	}
	return out
}

// Group gathers trials into configurations and summarizes metric over each
// configuration's completed seeds at the given confidence level, with
// SummarizeIn and the metric's declared range (unbounded when metric is
// not declared). The configurations are ordered by ID. A parameter named
// "seed" is not part of a configuration's identity.
func Group(trials []results.TrialRecord, metricName string, level float64) []*Config {
	def, _ := metric.Lookup(metricName)
	byID := make(map[string]*Config)
	var sb strings.Builder
	for i := range trials {
		t := &trials[i]
		names := t.Params.Names()
		values := make(map[string]string, len(names))
		sb.Reset()
		sb.WriteString(t.Experiment)
		sb.WriteByte(0x1f)
		sb.WriteString(t.Optimizer)
		for _, n := range names {
			if n == "seed" {
				continue
			}
			v := engine.FormatValue(t.Params[n])
			values[n] = v
			sb.WriteByte(0x1f)
			sb.WriteString(n)
			sb.WriteByte('=')
			sb.WriteString(v)
		}
		id := sb.String()
		c := byID[id]
		if c == nil {
			c = &Config{ID: id, Experiment: t.Experiment, Optimizer: t.Optimizer, Params: t.Params, Values: values}
			byID[id] = c
		}
		s := Seed{Key: t.Key, Seed: t.Seed, Status: t.Status, Value: math.NaN(), WallSeconds: t.WallSeconds, Error: t.Error}
		switch t.Status {
		case train.Completed:
			v, ok := t.Final[metricName]
			if ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
				s.Value = v
				c.Outcome.Completed++
			} else {
				c.Outcome.Missing++
			}
		case train.Pruned:
			c.Outcome.Pruned++
		case train.Diverged:
			c.Outcome.Diverged++
		case train.Interrupted:
			c.Outcome.Interrupted++
		default: // failed, or a status this package does not know
			c.Outcome.Failed++
		}
		c.Seeds = append(c.Seeds, s)
	}
	out := make([]*Config, 0, len(byID))
	for _, c := range byID {
		slices.SortFunc(c.Seeds, func(a, b Seed) int {
			return cmp.Or(cmp.Compare(a.Seed, b.Seed), strings.Compare(a.Key, b.Key))
		})
		c.Metric = SummarizeIn(c.MetricValues(), level, def.Range)
		var wall float64
		n := 0
		for _, s := range c.Seeds {
			if (s.Status == train.Completed || s.Status == train.Diverged) &&
				!math.IsNaN(s.WallSeconds) && !math.IsInf(s.WallSeconds, 0) {
				wall += s.WallSeconds
				n++
			}
		}
		c.Wall = math.NaN()
		if n > 0 {
			c.Wall = wall / float64(n)
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *Config) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Totals sums the outcomes of cs.
func Totals(cs []*Config) Outcome {
	var o Outcome
	for _, c := range cs {
		o.add(c.Outcome)
	}
	return o
}

// Rank returns cs ordered best first: usable configurations before those
// without a value (last, by ID); among usable ones, those that lost no
// trial (Outcome.Lost: diverged, pruned, failed or without a value) before
// those that lost some, in increasing order of the fraction lost; then by
// the seed mean of the metric under the goal, ties broken by more seeds
// then by ID.
//
// A lost seed is a result about the configuration, so it is not dropped
// from the ranking with the mean that leaves it out: a configuration of
// which 1 of 3 seeds survived with a high value ranks below every
// configuration whose seeds all finished, whatever their means.
func Rank(cs []*Config, g Goal) []*Config {
	out := slices.Clone(cs)
	slices.SortStableFunc(out, func(a, b *Config) int {
		switch {
		case a.Usable() != b.Usable():
			if a.Usable() {
				return -1
			}
			return 1
		case !a.Usable():
			return strings.Compare(a.ID, b.ID)
		}
		if r := compareLost(a.Outcome, b.Outcome); r != 0 {
			return r
		}
		switch {
		case g.Better(a.Metric.Mean, b.Metric.Mean):
			return -1
		case g.Better(b.Metric.Mean, a.Metric.Mean):
			return 1
		}
		return cmp.Or(-cmp.Compare(a.Metric.N, b.Metric.N), strings.Compare(a.ID, b.ID))
	})
	return out
}

// compareLost orders outcomes by the fraction of lost trials among the
// completed and lost ones, smaller first, exactly (by cross-multiplying).
func compareLost(a, b Outcome) int {
	na, nb := a.Completed+a.Lost(), b.Completed+b.Lost()
	return cmp.Compare(a.Lost()*nb, b.Lost()*na)
}

// Standing is where a ranked configuration stands against the best.
type Standing struct {
	// Place is the 1-based rank: the best and the configurations tied
	// with it share place 1; any other has its position in the order
	// (competition ranking, "1 1 3"). 0 for a configuration without a
	// value.
	Place int
	// Tied reports that the configuration is not the best and its
	// metric is not significantly different from the best's.
	Tied bool
	// P is the two-sided p-value of the test against the best; NaN for
	// the best itself and for configurations not tested.
	P float64
}

// Standings reorders ranked, configurations ordered by Rank, so that the
// configurations whose metric is not significantly different from the
// best's (ranked[0]) follow it, and returns their standings.
//
// The test is Compare with opt (Welch's t-test at alpha 0.05 by default,
// as optbench compare uses), except that any significant difference
// counts (MinChange is ignored). A configuration is tested only when it
// lost no larger a fraction of its trials than the best (Rank has put the
// others below it for that) and both have at least two values; one that
// is not tested keeps its place in the order.
func Standings(ranked []*Config, opt CompareOptions) ([]*Config, []Standing) {
	out := slices.Clone(ranked)
	st := make([]Standing, len(out))
	if len(out) == 0 || !out[0].Usable() {
		for i := range st {
			st[i].P = math.NaN()
		}
		return out, st
	}
	opt.MinChange = -1
	best := out[0]
	bestValues := best.MetricValues()
	tied := make([]bool, len(out))
	pvalue := make([]float64, len(out))
	pvalue[0] = math.NaN()
	for i, c := range out[1:] {
		i++
		pvalue[i] = math.NaN()
		if !c.Usable() || compareLost(c.Outcome, best.Outcome) != 0 || c.Metric.N < 2 || best.Metric.N < 2 {
			continue
		}
		versus := Compare(bestValues, c.MetricValues(), opt)
		pvalue[i] = versus.P
		tied[i] = versus.Verdict == NoChange
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Compare(boolInt(!tied[a] && a != 0), boolInt(!tied[b] && b != 0))
	})
	reordered := make([]*Config, len(out))
	for pos, i := range idx {
		reordered[pos] = out[i]
		s := Standing{Tied: tied[i], P: pvalue[i]}
		switch {
		case !out[i].Usable():
		case i == 0 || tied[i]:
			s.Place = 1
		default:
			s.Place = pos + 1
		}
		st[pos] = s
	}
	return reordered, st
}

// BestPerOptimizer returns, from configurations ranked best first, the
// first usable one of each experiment and optimizer, in rank order.
func BestPerOptimizer(ranked []*Config) []*Config {
	return BestPerGroup(ranked, func(c *Config) string { return c.Optimizer })
}

// Swept returns, sorted, the parameters that take more than one value
// among cs. The optimizer, which identifies a configuration's family, is
// not counted.
func Swept(cs []*Config) []string {
	seen := make(map[string]string)
	multi := make(map[string]bool)
	for _, c := range cs {
		for n, v := range c.Values {
			if n == "optimizer" {
				continue
			}
			if first, ok := seen[n]; !ok {
				seen[n] = v
			} else if first != v {
				multi[n] = true
			}
		}
	}
	out := make([]string, 0, len(multi))
	for n := range multi {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Slice returns the configurations of best's experiment and optimizer that
// equal best in every parameter except those in vary, ordered by the values
// of vary (numbers numerically, anything else as text). best is among them.
func Slice(cs []*Config, best *Config, vary ...string) []*Config {
	var out []*Config
	for _, c := range cs {
		if c.Experiment == best.Experiment && c.Optimizer == best.Optimizer && sameExcept(c, best, vary) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b *Config) int {
		for _, n := range vary {
			if r := CompareValues(a.Params[n], b.Params[n]); r != 0 {
				return r
			}
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

func sameExcept(a, b *Config, vary []string) bool {
	if len(a.Values) != len(b.Values) {
		return false
	}
	for n, v := range a.Values {
		if slices.Contains(vary, n) {
			continue
		}
		if w, ok := b.Values[n]; !ok || w != v {
			return false
		}
	}
	return true
}

// CompareValues orders parameter values: absent first, then numbers
// numerically, then everything else by its formatted text.
func CompareValues(a, b any) int {
	fa, aNum := a.(float64)
	fb, bNum := b.(float64)
	switch {
	case a == nil || b == nil:
		return cmp.Compare(boolInt(a != nil), boolInt(b != nil))
	case aNum && bNum:
		return cmp.Compare(fa, fb)
	case aNum != bNum:
		return cmp.Compare(boolInt(!aNum), boolInt(!bNum))
	}
	return strings.Compare(engine.FormatValue(a), engine.FormatValue(b))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// BestPerGroup returns, from configurations ranked best first, the first
// usable one of each experiment and group, in rank order; group names a
// configuration's group (its optimizer, its schedule, its batch size).
func BestPerGroup(ranked []*Config, group func(*Config) string) []*Config {
	seen := make(map[[2]string]bool)
	var out []*Config
	for _, c := range ranked {
		k := [2]string{c.Experiment, group(c)}
		if !c.Usable() || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, c)
	}
	return out
}

// SliceEach is Slice for a parameter whose values bring settings of their
// own (a schedule and its decay rate): the configurations of best's
// experiment and optimizer that equal best in every parameter both have,
// except vary, keeping for each value of vary the first in ranked, the
// order best first. Settings that only some values have are thus at their
// best for each value.
func SliceEach(ranked []*Config, best *Config, vary string) []*Config {
	seen := make(map[string]bool)
	var out []*Config
	for _, c := range ranked {
		if c.Experiment != best.Experiment || c.Optimizer != best.Optimizer || !c.Usable() || seen[c.Values[vary]] {
			continue
		}
		if _, ok := c.Values[vary]; !ok || !sameShared(c, best, vary) {
			continue
		}
		seen[c.Values[vary]] = true
		out = append(out, c)
	}
	sortByValue(out, vary)
	return out
}

func sameShared(a, b *Config, vary string) bool {
	for n, v := range a.Values {
		if n == vary {
			continue
		}
		if w, ok := b.Values[n]; ok && w != v {
			return false
		}
	}
	return true
}

// Profile returns, for each value of param, the best configuration among
// those of cs (ranked best first) for which within reports true and that
// take the value: the value reached when every other parameter is
// re-optimized for each value of param (a profile, as DeepOBS and AlgoPerf
// measure tuneability), where Slice holds them at one configuration's.
// The result is ordered by the value of param.
func Profile(ranked []*Config, param string, within func(*Config) bool) []*Config {
	seen := make(map[string]bool)
	var out []*Config
	for _, c := range ranked {
		v, ok := c.Values[param]
		if !ok || !c.Usable() || seen[v] || !within(c) {
			continue
		}
		seen[v] = true
		out = append(out, c)
	}
	sortByValue(out, param)
	return out
}

func sortByValue(cs []*Config, param string) {
	slices.SortFunc(cs, func(a, b *Config) int {
		return cmp.Or(CompareValues(a.Params[param], b.Params[param]), strings.Compare(a.ID, b.ID))
	})
}
