package reports

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/optbench/optbench/reports/stats"
)

// historyMinConfigs is the fewest configurations with a value for which
// the optimization history is drawn: below it, the leaderboard says as
// much.
const historyMinConfigs = 6

// historyLogCaption says in a history's caption that its y axis is
// logarithmic (Figure.logYIfWide).
const historyLogCaption = " The y axis is logarithmic: the values span more than two decades."

// historyPoint is a configuration placed in proposal order.
type historyPoint struct {
	index int     // trial index, from 1: the plan position of the configuration's last completed seed, plus 1
	value float64 // the configuration's seed mean, as the leaderboard ranks it
}

// History draws the optimization history of the sweep, as Optuna's
// plot_optimization_history does: the best value of the sweep's metric
// found so far, in the goal's direction, against the trial index, the
// order in which the search proposed the trials (their plan position,
// results.TrialRecord.Position):
//
//	best(i) = best { mean(c) : configuration c whose last completed seed has index ≤ i }
//
// with mean(c) the configuration's mean over its completed seeds, the
// value the leaderboard ranks, so the line ends at the leaderboard's
// first. Every such configuration is also marked at its index.
// Configurations with no completed seed in the current plan are left out;
// pruned, diverged and failed trials take their index but have no value.
// It returns nil when fewer than historyMinConfigs configurations have a
// value and a place in the plan.
//
// A report holds one sweep, and so one search seed of one method: this
// is one line. Across.History compares methods (a line each) and search
// seeds (a band over them) when a comparison's sweeps share a problem.
func (r *Report) History() *Figure {
	values, best, outside := r.history()
	if len(values) < historyMinConfigs {
		return nil
	}
	method := searchMethod(r.Sweep.Search)
	f := newFigure("history", fmt.Sprintf("Optimization history: best %s so far (%s)", r.Metric, r.Goal),
		"trial index (order proposed by the search, 1 = first)", metricAxis("", r.Metric))
	if sc, err := plotter.NewScatter(values); err == nil {
		sc.GlyphStyle = draw.GlyphStyle{Color: translucent(seriesColor(4), 0xb0), Radius: vg.Points(2.25), Shape: draw.CircleGlyph{}}
		f.draw(sc)
		f.add("configuration (seed mean)", sc)
	}
	if line, err := plotter.NewLine(best); err == nil {
		line.StepStyle = plotter.PostStep
		line.LineStyle = lineStyle(0)
		line.LineStyle.Width = vg.Points(2)
		f.draw(line)
		name := "best so far"
		if method != "" {
			name += " (" + method + ")"
		}
		f.add(name, line)
	}
	f.Plot.X.Min = 0
	var ys []float64
	for _, xy := range append(slices.Clone(values), best...) {
		ys = append(ys, xy.Y)
	}
	logY := f.logYIfWide(ys)
	f.Caption = fmt.Sprintf("The best seed mean of %s found so far (line, %s is better) against the trial index, "+
		"the order in which the %s search proposed the trials; each point is a configuration, placed at the index "+
		"of its last completed seed. Pruned, diverged and failed trials take an index but have no value.",
		r.Metric, goalWord(r.Goal), cmp.Or(method, "sweep's"))
	if outside > 0 {
		f.Caption += fmt.Sprintf(" %d configuration%s outside the current plan (no index) not shown.", outside, plural(outside))
	}
	if logY {
		f.Caption += historyLogCaption
	}
	return f
}

// history returns the configurations with a value in proposal order (x
// the trial index, y the seed mean), the best so far as the corners of a
// post-step line that runs to the last trial proposed, and how many
// configurations with a value have no completed seed in the plan.
func (r *Report) history() (values, best plotter.XYs, outside int) {
	pts, last, outside := r.historyPoints()
	values, best = bestSoFar(pts, last, r.Goal)
	return values, best, outside
}

// historyPoints places each configuration with a value at its trial
// index, in proposal order. last is the largest plan position of any
// trial (−1 without trials); outside counts the configurations with a
// value but no completed seed in the plan.
func (r *Report) historyPoints() (pts []historyPoint, last, outside int) {
	position := make(map[string]int, len(r.Input.Trials))
	last = -1
	for _, t := range r.Input.Trials {
		position[t.Key] = t.Position
		last = max(last, t.Position)
	}
	for _, c := range r.Configs {
		if !c.Usable() {
			continue
		}
		at := -1
		for _, k := range c.Keys() {
			if p, ok := position[k]; ok {
				at = max(at, p)
			}
		}
		if at < 0 {
			outside++
			continue
		}
		pts = append(pts, historyPoint{index: at + 1, value: c.Metric.Mean})
	}
	slices.SortStableFunc(pts, func(a, b historyPoint) int { return cmp.Compare(a.index, b.index) })
	return pts, last, outside
}

// bestSoFar returns the points, sorted by index, as XYs and the best
// value so far in the goal's direction as the corners of a post-step
// line that runs to index last+1, the last trial proposed; both nil
// without points.
func bestSoFar(pts []historyPoint, last int, goal stats.Goal) (values, best plotter.XYs) {
	if len(pts) == 0 {
		return nil, nil
	}
	values = make(plotter.XYs, len(pts))
	for i, p := range pts {
		values[i] = plotter.XY{X: float64(p.index), Y: p.value}
		switch {
		case len(best) == 0:
			best = append(best, values[i])
		case goal.Better(p.value, best[len(best)-1].Y):
			if best[len(best)-1].X == values[i].X {
				best[len(best)-1].Y = p.value // several configurations complete at one index
			} else {
				best = append(best, values[i])
			}
		}
	}
	// The best so far holds until the last trial proposed.
	if end := float64(last + 1); end > best[len(best)-1].X {
		best = append(best, plotter.XY{X: end, Y: best[len(best)-1].Y})
	}
	return values, best
}

// searchMethod names the search method of a sweep from its stored search
// fingerprint ("tpe:…"); "" when none is stored.
func searchMethod(search string) string {
	method, _, _ := strings.Cut(search, ":")
	return strings.TrimSpace(method)
}

// goalWord says which way the metric is better, for captions.
func goalWord(g stats.Goal) string {
	if g == stats.Maximize {
		return "higher"
	}
	return "lower"
}
