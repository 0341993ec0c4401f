package reports

import (
	"fmt"
	"math"
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

func (r *Report) paramsColumn() Column {
	keys := r.displayParams()
	if len(keys) == 0 {
		// A sweep of one configuration per optimizer: nothing distinguishes
		// them but the optimizer. Keep the column so layouts stay alike.
		return Column{Name: "parameters", Keys: nil, Flexible: true}
	}
	return Column{Name: "parameters", Keys: keys, Flexible: true}
}

func (r *Report) paramsCell(c *stats.Config) Cell {
	keys := r.displayParams()
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
	return Cell{Text: r.paramText(c), Values: vals}
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

// Leaderboard ranks each optimizer's best configuration by the seed mean of
// the sweep's metric, with its spread, confidence interval, seeds, epochs
// to the target (when Options.Target is set) and mean wall time.
func (r *Report) Leaderboard() *Table {
	t := &Table{
		Name:  "leaderboard",
		Title: fmt.Sprintf("Leaderboard: each optimizer's best configuration by %s (%s, seed mean)", r.Metric, r.Goal),
	}
	t.Columns = []Column{
		{Name: "#", Keys: []string{"rank"}, Numeric: true},
		r.optimizerColumn(),
		r.paramsColumn(),
		{Name: "mean ± sd", Keys: []string{"mean", "sd"}, Numeric: true},
		{Name: r.ciHeader(), Keys: []string{"ci_low", "ci_high"}, Numeric: true},
		seedsColumn(),
	}
	target := r.Options.Target != nil && epochField(r.Metric) != nil && len(r.Curves) > 0
	if target {
		t.Columns = append(t.Columns, Column{Name: "epochs to " + fmtMetric(*r.Options.Target), Keys: []string{"epochs_to_target"}, Numeric: true})
	}
	t.Columns = append(t.Columns, Column{Name: "wall s", Keys: []string{"wall_seconds"}, Numeric: true})
	for i, c := range r.Best {
		row := []Cell{
			rankCell(r.bestPlaces[i].Place, r.bestPlaces[i].Tied),
			r.optimizerCell(c),
			r.paramsCell(c),
			meanSDCell(c),
			ciCell(c.Metric),
			seedsCell(c),
		}
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
		t.Rows = append(t.Rows, row)
	}
	t.Notes = append(t.Notes, r.Warnings...)
	t.Notes = append(t.Notes, r.rankNote(len(r.Best))...)
	t.Notes = append(t.Notes, r.intervalNote(r.Best)...)
	t.Notes = append(t.Notes, r.seedsNote(r.Best)...)
	if target {
		t.Notes = append(t.Notes, fmt.Sprintf("epochs to %s: first epoch at which the seed mean of %s reaches it", fmtMetric(*r.Options.Target), r.Metric))
	}
	return t
}

// Sensitivity shows, for each swept parameter, the seed mean of the
// sweep's metric as the parameter varies while each optimizer's other
// parameters stay at their best values. The best value is starred.
func (r *Report) Sensitivity() *Table {
	t := &Table{
		Name:  "sensitivity",
		Title: fmt.Sprintf("Sensitivity of %s: one parameter varied, the others at each optimizer's best", r.Metric),
		Columns: []Column{
			{Name: "parameter", Keys: []string{"parameter"}},
			r.optimizerColumn(),
			{Name: "value", Keys: []string{"value"}, Numeric: true},
			{Name: "mean ± sd", Keys: []string{"mean", "sd"}, Numeric: true},
			{Name: r.ciHeader(), Keys: []string{"ci_low", "ci_high"}, Numeric: true},
			seedsColumn(),
		},
	}
	var shown []*stats.Config
	for _, p := range r.displayParams() {
		for _, best := range r.Best {
			if _, ok := best.Values[p]; !ok {
				continue
			}
			slice := stats.Slice(r.Configs, best, p)
			if len(slice) < 2 {
				continue
			}
			for _, c := range slice {
				text := compactValue(c.Params[p], c.Values[p])
				if c == best {
					text += " *"
				}
				value := c.Params[p]
				if _, ok := value.(float64); !ok {
					value = c.Values[p]
				}
				t.Rows = append(t.Rows, []Cell{
					{Text: p, Values: []any{p}},
					r.optimizerCell(c),
					{Text: text, Values: []any{value}},
					meanSDCell(c),
					ciCell(c.Metric),
					seedsCell(c),
				})
				shown = append(shown, c)
			}
		}
	}
	if len(t.Rows) > 0 {
		t.Notes = append(t.Notes, "* the optimizer's best value")
	} else if len(r.Best) > 0 {
		t.Notes = append(t.Notes, "no parameter takes more than one value around any optimizer's best configuration")
	}
	t.Notes = append(t.Notes, r.intervalNote(shown)...)
	t.Notes = append(t.Notes, r.seedsNote(shown)...)
	return t
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
			{Name: r.ciHeader(), Keys: []string{"ci_low", "ci_high"}, Numeric: true},
			seedsColumn(),
			{Name: "wall s", Keys: []string{"wall_seconds"}, Numeric: true},
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
