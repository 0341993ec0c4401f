package reports

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/reports/stats"
)

// The tables of a report. Each builds a fresh Table, so callers may sort
// or edit it.

func (r *Report) ciHeader() string {
	return strconv.FormatFloat(r.Options.Level*100, 'g', 4, 64) + "% CI"
}

// optimizerColumn names the configuration's optimizer, with its experiment
// when the sweep spans several.
func (r *Report) optimizerColumn() Column {
	if r.experiments > 1 {
		return Column{Name: "optimizer", Keys: []string{"experiment", "optimizer"}}
	}
	return Column{Name: "optimizer", Keys: []string{"optimizer"}}
}

func (r *Report) optimizerCell(c *stats.Config) Cell {
	if r.experiments > 1 {
		return Cell{Text: r.optimizerText(c), Values: []any{c.Experiment, c.Optimizer}}
	}
	return Cell{Text: c.Optimizer, Values: []any{c.Optimizer}}
}

func (r *Report) paramsColumn() Column { return paramsColumnOf(r.displayParams()) }

func paramsColumnOf(keys []string) Column {
	if len(keys) == 0 {
		// A sweep of one configuration per optimizer: nothing distinguishes
		// them but the optimizer. Keep the column so layouts stay alike.
		return Column{Name: "parameters", Keys: nil, Flexible: true}
	}
	return Column{Name: "parameters", Keys: keys, Flexible: true}
}

func (r *Report) paramsCell(c *stats.Config) Cell { return paramsCellOf(c, r.displayParams()) }

func paramsCellOf(c *stats.Config, keys []string) Cell {
	vals := make([]any, len(keys))
	for i, k := range keys {
		switch v := c.Params[k].(type) {
		case nil:
		case float64, string, bool:
			vals[i] = v
		default:
			vals[i] = c.Values[k] // lists as "16x16"
		}
	}
	return Cell{Text: paramTextOf(c, keys), Values: vals}
}

// meanSDCell shows the seed mean and spread of c's metric and, beside
// them, the trials that have no value, e.g. "0.89 (1/3 diverged)": a mean
// over the survivors alone would flatter the configuration.
func meanSDCell(c *stats.Config) Cell {
	s := c.Metric
	text := fmtMetric(s.Mean)
	if s.N > 1 {
		text += " ± " + fmtSpread(s.SD)
	}
	if lost := lostText(c.Outcome); lost != "" {
		text += " (" + lost + ")"
	}
	return Cell{Text: text, Values: []any{s.Mean, s.SD}}
}

// lostText lists the trials without a value as fractions of all, e.g.
// "1/3 diverged, 1/3 failed"; "" when every trial has one.
func lostText(o stats.Outcome) string {
	var parts []string
	n := strconv.Itoa(o.Total())
	for _, p := range []struct {
		k    int
		what string
	}{{o.Diverged, "diverged"}, {o.Pruned, "pruned"}, {o.Failed, "failed"}, {o.Missing, "without a value"}, {o.Interrupted, "interrupted"}} {
		if p.k > 0 {
			parts = append(parts, strconv.Itoa(p.k)+"/"+n+" "+p.what)
		}
	}
	return strings.Join(parts, ", ")
}

func ciCell(s stats.Summary) Cell {
	text := dash
	if !math.IsNaN(s.Low) && !math.IsNaN(s.High) {
		text = "[" + fmtMetric(s.Low) + ", " + fmtMetric(s.High) + "]"
	}
	return Cell{Text: text, Values: []any{s.Low, s.High}}
}

// rankCell shows a rank, with "~" before it when the configuration shares
// it with the best for want of a significant difference.
func rankCell(place int, tied bool) Cell {
	switch {
	case place <= 0:
		return Cell{Text: dash, Values: []any{nil}}
	case tied:
		return Cell{Text: "~" + strconv.Itoa(place), Values: []any{place}}
	}
	return Cell{Text: strconv.Itoa(place), Values: []any{place}}
}

// rankNote says how the ranks were decided, when there is more than one.
func (r *Report) rankNote(rows int) []string {
	if rows < 2 {
		return nil
	}
	return []string{fmt.Sprintf("#: a configuration with a diverged, pruned or failed seed ranks below those without; "+
		"~ shares #1's rank: %s is not significantly different (%s, two-sided, α = %s, ≥ 2 seeds each)",
		r.Metric, testName(rankTest), strconv.FormatFloat(rankAlpha, 'g', -1, 64))}
}

func testName(t stats.Test) string {
	if t == stats.MannWhitney {
		return "Mann–Whitney U test"
	}
	return "Welch's t-test"
}

// intervalNote says how the intervals of cs were computed, with the
// source of the method.
func (r *Report) intervalNote(cs []*stats.Config) []string {
	used := map[stats.Interval]bool{}
	for _, c := range cs {
		used[c.Metric.Interval] = true
	}
	var how []string
	rng := ""
	if d, ok := metric.Lookup(r.Metric); ok {
		rng = d.Range.String()
	}
	if used[stats.LogitT] {
		how = append(how, "Student t on the logit scale, mapped back into [0, 1]")
	}
	if used[stats.LogT] {
		how = append(how, "Student t on the log scale, mapped back into (0, ∞)")
	}
	if used[stats.ClippedT] {
		how = append(how, "Student t clipped to "+rng+" where a seed lies on a bound of the range")
	}
	if used[stats.StudentT] {
		how = append(how, "Student t on the values")
	}
	if len(how) == 0 && !used[stats.NoInterval] {
		return nil
	}
	note := r.ciHeader() + ": "
	if len(how) > 0 {
		note += strings.Join(how, "; ") + " (Bland & Altman, BMJ 1996;312:1079); "
	}
	return []string{note + fmt.Sprintf("none below %d seeds", stats.MinIntervalSeeds)}
}

// byCell shows c's value of Options.By.
func (r *Report) byCell(c *stats.Config) Cell {
	v, ok := c.Params[r.Options.By]
	if !ok {
		return Cell{Text: dash, Values: []any{nil}}
	}
	if _, num := v.(float64); !num {
		v = c.Values[r.Options.By]
	}
	return Cell{Text: r.groupText(c), Values: []any{v}}
}

// seedsCell shows the seeds summarized out of the configuration's trials,
// e.g. "8/10" when two diverged.
func seedsCell(c *stats.Config) Cell {
	o := c.Outcome
	text := strconv.Itoa(o.Completed)
	if o.Total() != o.Completed {
		text += "/" + strconv.Itoa(o.Total())
	}
	return Cell{Text: text, Values: []any{o.Completed, o.Total(), o.Diverged, o.Pruned, o.Failed}}
}

func seedsColumn() Column {
	return Column{Name: "seeds", Keys: []string{"seeds", "trials", "diverged", "pruned", "failed"}, Numeric: true}
}

func (r *Report) seedsNote(cs []*stats.Config) []string {
	for _, c := range cs {
		if c.Outcome.Total() != c.Outcome.Completed {
			return []string{"seeds: summarized/trials; diverged, pruned, failed and interrupted trials are excluded from means and named beside them"}
		}
	}
	return nil
}

// Leaderboard ranks each optimizer's best configuration (the best of each
// value of Options.By) by the seed mean of the sweep's metric, with its
// byHint points a leaderboard of one optimizer, one row, to --by: the
// sweep compares something else (the schedule of lr-decay), which --by
// ranks value by value. Empty otherwise.
func (r *Report) byHint() string {
	if !r.byOptimizer() || len(r.Best) != 1 {
		return ""
	}
	var swept []string
	for _, n := range r.Swept {
		if n != ByOptimizer {
			swept = append(swept, n)
		}
	}
	if len(swept) == 0 {
		return ""
	}
	// The schedule first: a schedule's settings are compared within it.
	if i := slices.Index(swept, scheduleParam); i > 0 {
		swept = append([]string{scheduleParam}, slices.Delete(swept, i, i+1)...)
	}
	return fmt.Sprintf("one optimizer, so one row: --by %s ranks each of its values' best configuration (swept: %s)",
		swept[0], strings.Join(swept, ", "))
}

// spread, confidence interval, seeds, epochs to the target (when
// Options.Target is set) and mean wall time.
func (r *Report) Leaderboard() *Table {
	t := &Table{
		Name:  "leaderboard",
		Title: fmt.Sprintf("Leaderboard: %s best configuration by %s (%s, seed mean)", r.each(), r.Metric, r.Goal),
	}
	t.Columns = []Column{{Name: "#", Keys: []string{"rank"}, Numeric: true}}
	if !r.byOptimizer() {
		t.Columns = append(t.Columns, Column{Name: r.Options.By, Keys: []string{r.Options.By}})
	}
	t.Columns = append(t.Columns,
		r.optimizerColumn(),
		paramsColumnOf(r.paramsBut()),
		Column{Name: "mean ± sd", Keys: []string{"mean", "sd"}, Numeric: true},
		Column{Name: r.ciHeader(), Keys: []string{"ci_low", "ci_high"}, Numeric: true, Omit: omitCI},
		seedsColumn(),
	)
	target := r.Options.Target != nil && epochField(r.Metric) != nil && len(r.Curves) > 0
	if target {
		t.Columns = append(t.Columns, Column{Name: "epochs to " + fmtMetric(*r.Options.Target), Keys: []string{"epochs_to_target"}, Numeric: true})
	}
	t.Columns = append(t.Columns, Column{Name: "wall s", Keys: []string{"wall_seconds"}, Numeric: true, Omit: omitWall})
	evaluation := r.evaluationMetric()
	if evaluation != "" {
		t.Columns = append(t.Columns, Column{Name: evaluation + " (evaluation)", Keys: []string{"test_mean", "test_sd"}, Numeric: true})
	}
	for i, c := range r.Best {
		row := []Cell{rankCell(r.bestPlaces[i].Place, r.bestPlaces[i].Tied)}
		if !r.byOptimizer() {
			row = append(row, r.byCell(c))
		}
		row = append(row,
			r.optimizerCell(c),
			paramsCellOf(c, r.paramsBut()),
			meanSDCell(c),
			ciCell(c.Metric),
			seedsCell(c),
		)
		if target {
			cell := Cell{Text: dash, Values: []any{nil}}
			if at, ok := r.epochsToTarget(c); ok {
				if at < 0 {
					cell = Cell{Text: "never", Values: []any{nil}}
				} else {
					cell = Cell{Text: strconv.FormatFloat(at, 'f', -1, 64), Values: []any{at}}
				}
			}
			row = append(row, cell)
		}
		row = append(row, Cell{Text: fmtWall(c.Wall), Values: []any{c.Wall}})
		if evaluation != "" {
			row = append(row, r.evaluationCell(c, evaluation))
		}
		t.Rows = append(t.Rows, row)
	}
	t.Notes = append(t.Notes, r.Warnings...)
	t.Notes = append(t.Notes, r.rankNote(len(r.Best))...)
	t.Notes = append(t.Notes, r.intervalNote(r.Best)...)
	t.Notes = append(t.Notes, r.seedsNote(r.Best)...)
	if target {
		t.Notes = append(t.Notes, fmt.Sprintf("epochs to %s: first epoch at which the seed mean of %s reaches it", fmtMetric(*r.Options.Target), r.Metric))
	}
	if hint := r.byHint(); hint != "" {
		t.Notes = append(t.Notes, hint)
	}
	if evaluation != "" {
		t.Notes = append(t.Notes, fmt.Sprintf("%s (evaluation): seed mean ± sd on the separately generated test set of the "+
			"configuration chosen by %s, over the seeds summarized beside it; evaluation, not selection: it took no part "+
			"in choosing the configurations or ranking them", evaluation, r.Metric))
	}
	return t
}

// evaluationMetric names the test metric the leaderboard shows beside the
// sweep's metric: test_accuracy when the sweep ranks by an accuracy or a
// count of correct examples, test_loss otherwise, and the other when the
// trials recorded only that; "" when no best configuration's trial
// recorded a test metric.
func (r *Report) evaluationMetric() string {
	if strings.HasPrefix(r.Metric, "test_") {
		return "" // ranked by the test metric itself: nothing separate to show
	}
	want := []string{"test_loss", "test_accuracy"}
	if strings.Contains(r.Metric, "accuracy") || strings.Contains(r.Metric, "correct") {
		want = []string{"test_accuracy", "test_loss"}
	}
	for _, name := range want {
		for _, c := range r.Best {
			for _, s := range c.Seeds {
				if _, ok := r.finalByKey[s.Key][name]; ok {
					return name
				}
			}
		}
	}
	return ""
}

// evaluationCell shows the seed mean ± sd of the test metric name over the
// seeds of c whose sweep metric is summarized, so that selection and
// evaluation describe the same trials.
func (r *Report) evaluationCell(c *stats.Config, name string) Cell {
	var xs []float64
	for _, s := range c.Seeds {
		if math.IsNaN(s.Value) {
			continue
		}
		if v, ok := r.finalByKey[s.Key][name]; ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
			xs = append(xs, v)
		}
	}
	if len(xs) == 0 {
		return Cell{Text: dash, Values: []any{nil, nil}}
	}
	def, _ := metric.Lookup(name)
	sum := stats.SummarizeIn(xs, r.Options.Level, def.Range)
	text := fmtMetric(sum.Mean)
	if sum.N > 1 {
		text += " ± " + fmtSpread(sum.SD)
	}
	return Cell{Text: text, Values: []any{sum.Mean, sum.SD}}
}

// Sensitivity shows, for each swept parameter and each optimizer (each
// value of Options.By), the seed mean of the sweep's metric for each value
// of the parameter two ways, labelled: the conditional slice, the other
// parameters held at the optimizer's best configuration (a categorical
// parameter's own settings, a schedule's decay rate, at their best for
// each value); and the profile, the best configuration with that value, the
// other parameters re-optimized for it, which is how DeepOBS and AlgoPerf
// measure tuneability. The best configuration's value is starred.
func (r *Report) Sensitivity() *Table {
	t := &Table{
		Name:    "sensitivity",
		Title:   fmt.Sprintf("Sensitivity of %s: one parameter varied, the others at %s best (slice) or re-optimized (profile)", r.Metric, r.each()),
		Columns: []Column{{Name: "parameter", Keys: []string{"parameter"}}},
	}
	if !r.byOptimizer() {
		t.Columns = append(t.Columns, Column{Name: r.Options.By, Keys: []string{r.Options.By}})
	}
	t.Columns = append(t.Columns,
		r.optimizerColumn(),
		Column{Name: "value", Keys: []string{"value"}, Numeric: true},
		Column{Name: "slice mean ± sd", Keys: []string{"mean", "sd"}, Numeric: true},
		Column{Name: r.ciHeader(), Keys: []string{"ci_low", "ci_high"}, Numeric: true, Omit: omitCI},
		seedsColumn(),
		Column{Name: "profile mean ± sd", Keys: []string{"profile_mean", "profile_sd"}, Numeric: true},
		Column{Name: "profile at", Keys: []string{"profile_parameters"}, Flexible: true},
	)
	var shown []*stats.Config
	for _, p := range r.displayParams() {
		if p == r.Options.By {
			continue // the leaderboard compares the groups themselves
		}
		others := slices.DeleteFunc(r.displayParams(), func(n string) bool { return n == p })
		for _, best := range r.Best {
			if _, ok := best.Values[p]; !ok {
				continue
			}
			var slice []*stats.Config
			if _, num := best.Params[p].(float64); num {
				slice = stats.Slice(r.Configs, best, p)
			} else {
				slice = stats.SliceEach(r.ranked, best, p)
			}
			within := func(c *stats.Config) bool {
				return c.Experiment == best.Experiment && c.Optimizer == best.Optimizer && r.group(c) == r.group(best)
			}
			profile := stats.Profile(r.ranked, p, within)
			candidates := 0
			for _, c := range r.ranked {
				if _, ok := c.Values[p]; ok && c.Usable() && within(c) {
					candidates++
				}
			}
			// A profile that chose among no alternatives (every value
			// tried once, as in a random search) says nothing a slice
			// would not.
			reoptimized := len(profile) >= 2 && candidates > len(profile)
			if len(slice) < 2 && !reoptimized {
				continue
			}
			if !reoptimized {
				profile = nil
			}
			for _, v := range sensitivityValues(p, slice, profile) {
				sc, pc := v[0], v[1]
				ref := cmp.Or(sc, pc)
				text := compactValue(p, ref.Params[p], ref.Values[p])
				if ref.Values[p] == best.Values[p] {
					text += " *"
				}
				value := ref.Params[p]
				if _, ok := value.(float64); !ok {
					value = ref.Values[p]
				}
				row := []Cell{{Text: p, Values: []any{p}}}
				if !r.byOptimizer() {
					row = append(row, r.byCell(best))
				}
				row = append(row, r.optimizerCell(best), Cell{Text: text, Values: []any{value}})
				if sc != nil {
					row = append(row, meanSDCell(sc), ciCell(sc.Metric), seedsCell(sc))
					shown = append(shown, sc)
				} else {
					row = append(row, Cell{Text: dash, Values: []any{nil, nil}}, Cell{Text: dash, Values: []any{nil, nil}},
						Cell{Text: dash, Values: []any{nil, nil, nil, nil, nil}})
				}
				switch {
				case pc == nil:
					row = append(row, Cell{Text: dash, Values: []any{nil, nil}}, Cell{Text: dash, Values: []any{nil}})
				default:
					at := paramTextOf(pc, others)
					if pc == sc {
						at = "="
					}
					row = append(row, meanSDCell(pc), Cell{Text: at, Values: []any{paramTextOf(pc, others)}})
				}
				t.Rows = append(t.Rows, row)
			}
		}
	}
	if len(t.Rows) > 0 {
		t.Notes = append(t.Notes, "* the value in "+r.each()+" best configuration",
			"slice: the other parameters held at that best configuration's values (a categorical value's own settings, "+
				"such as a schedule's, at their best for it); conditional, so it can make a parameter look more sensitive than it is",
			"profile: the best configuration with the value, every other parameter re-optimized for it "+
				"(tuneability as DeepOBS, Schneider et al. 2019, and AlgoPerf, Dahl et al. 2023, report it); "+
				"profile at: its other parameters, = where they are the slice's; — where the sweep has no alternatives to re-optimize over")
	} else if len(r.Best) > 0 {
		t.Notes = append(t.Notes, "no parameter takes more than one value around any "+r.Options.By+"'s best configuration")
	}
	t.Notes = append(t.Notes, r.intervalNote(shown)...)
	t.Notes = append(t.Notes, r.seedsNote(shown)...)
	return t
}

// sensitivityValues pairs the slice's and the profile's configurations
// by the value of p, in the order of the values.
func sensitivityValues(p string, slice, profile []*stats.Config) [][2]*stats.Config {
	var out [][2]*stats.Config
	at := map[string]int{}
	for _, c := range slice {
		at[c.Values[p]] = len(out)
		out = append(out, [2]*stats.Config{c, nil})
	}
	for _, c := range profile {
		if i, ok := at[c.Values[p]]; ok {
			out[i][1] = c
			continue
		}
		out = append(out, [2]*stats.Config{nil, c})
	}
	slices.SortStableFunc(out, func(a, b [2]*stats.Config) int {
		ca, cb := cmp.Or(a[0], a[1]), cmp.Or(b[0], b[1])
		return stats.CompareValues(ca.Params[p], cb.Params[p])
	})
	return out
}

// AllTrials lists every configuration with its seeds aggregated, ranked,
// or sorted by Options.Sort.
func (r *Report) AllTrials() (*Table, error) {
	t := &Table{
		Name:  "trials",
		Title: fmt.Sprintf("All configurations: %s over seeds", r.Metric),
		Columns: []Column{
			{Name: "#", Keys: []string{"rank"}, Numeric: true},
			r.optimizerColumn(),
			r.paramsColumn(),
			{Name: "mean ± sd", Keys: []string{"mean", "sd"}, Numeric: true},
			{Name: r.ciHeader(), Keys: []string{"ci_low", "ci_high"}, Numeric: true, Omit: omitCI},
			seedsColumn(),
			{Name: "wall s", Keys: []string{"wall_seconds"}, Numeric: true, Omit: omitWall},
		},
	}
	for _, c := range r.Configs {
		t.Rows = append(t.Rows, []Cell{
			rankCell(r.Rank(c), r.Tied(c)),
			r.optimizerCell(c),
			r.paramsCell(c),
			meanSDCell(c),
			ciCell(c.Metric),
			seedsCell(c),
			{Text: fmtWall(c.Wall), Values: []any{c.Wall}},
		})
	}
	if r.Options.Sort != "" {
		if err := t.SortBy(r.Options.Sort); err != nil {
			return nil, err
		}
	}
	t.Notes = append(t.Notes, r.rankNote(len(r.Configs))...)
	t.Notes = append(t.Notes, r.intervalNote(r.Configs)...)
	t.Notes = append(t.Notes, r.seedsNote(r.Configs)...)
	return t, nil
}

// Tables returns the leaderboard, the sensitivity table, the table of
// every configuration and, for a search, parameter importance.
func (r *Report) Tables() ([]*Table, error) {
	all, err := r.AllTrials()
	if err != nil {
		return nil, err
	}
	return append([]*Table{r.Leaderboard(), r.Sensitivity(), all}, r.searchTables()...), nil
}
