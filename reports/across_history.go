package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// historyGroup is the sweeps of one search method in a comparison: its
// search seeds.
type historyGroup struct {
	method string
	best   []plotter.XYs // each sweep's best-so-far corners (bestSoFar)
	last   []int         // each sweep's last trial index
}

// sameProblem reports whether the comparison's sweeps, at least two,
// share one experiment, metric and goal: runs of search methods, or
// search seeds, on one problem.
func (a *Across) sameProblem() bool {
	if len(a.Problems) < 2 {
		return false
	}
	p := a.Problems[0]
	for _, r := range a.Problems[1:] {
		if r.Sweep.Experiment != p.Sweep.Experiment || r.Metric != p.Metric || r.Goal != p.Goal {
			return false
		}
	}
	return true
}

// historyGroups groups the sweeps with a value by search method
// (searchMethod of SweepRecord.Search; a sweep without one is a method of
// its own, named by the sweep), in the order the methods first appear.
func (a *Across) historyGroups() []*historyGroup {
	var groups []*historyGroup
	for _, r := range a.Problems {
		pts, last, _ := r.historyPoints()
		_, best := bestSoFar(pts, last, r.Goal)
		if best == nil {
			continue
		}
		method := searchMethod(r.Sweep.Search)
		if method == "" {
			method = r.Sweep.Name
		}
		i := slices.IndexFunc(groups, func(g *historyGroup) bool { return g.method == method })
		if i < 0 {
			i = len(groups)
			groups = append(groups, &historyGroup{method: method})
		}
		groups[i].best = append(groups[i].best, best)
		groups[i].last = append(groups[i].last, last+1)
	}
	return groups
}

// bestAt reads a best-so-far step line at trial index x: NaN before its
// first value and after its last trial.
func bestAt(best plotter.XYs, x float64) float64 {
	if len(best) == 0 || x < best[0].X || x > best[len(best)-1].X {
		return math.NaN()
	}
	i, _ := slices.BinarySearchFunc(best, x, func(p plotter.XY, x float64) int {
		switch {
		case p.X > x:
			return 1
		case p.X < x:
			return -1
		}
		return 0
	})
	if i == len(best) || best[i].X > x {
		i--
	}
	return best[i].Y
}

// spread returns, at each trial index 1 … n, the median, min and max of
// the group's sweeps' best so far over the sweeps that have one there
// (NaN where none has), and how many do.
func (g *historyGroup) spread(n int) (median, lo, hi []float64, count []int) {
	median, lo, hi, count = make([]float64, n), make([]float64, n), make([]float64, n), make([]int, n)
	vs := make([]float64, 0, len(g.best))
	for i := range n {
		vs = vs[:0]
		for _, b := range g.best {
			if v := bestAt(b, float64(i+1)); !math.IsNaN(v) {
				vs = append(vs, v)
			}
		}
		count[i] = len(vs)
		if len(vs) == 0 {
			median[i], lo[i], hi[i] = math.NaN(), math.NaN(), math.NaN()
			continue
		}
		slices.Sort(vs)
		k := len(vs) / 2
		median[i] = vs[k]
		if len(vs)%2 == 0 {
			median[i] = (vs[k-1] + vs[k]) / 2
		}
		lo[i], hi[i] = vs[0], vs[len(vs)-1]
	}
	return median, lo, hi, count
}

// History draws the optimization history of the comparison's search
// methods when its sweeps share one experiment, metric and goal (see
// Report.History for one sweep's): for each method, the best seed mean
// of the metric found so far against the trial index. A method run with
// several search seeds (several sweeps of one method) is drawn as the
// median over its sweeps of their best so far, with a band from their
// minimum to their maximum; at each index only the sweeps that have
// reached it and found a value count, and the band is drawn where at
// least two do. It returns nil when the sweeps are not of one problem or
// none has a value.
func (a *Across) History() *Figure {
	if !a.sameProblem() {
		return nil
	}
	groups := a.historyGroups()
	if len(groups) == 0 {
		return nil
	}
	p := a.Problems[0]
	f := newFigure("history", fmt.Sprintf("Optimization history by search method: best %s so far (%s)", p.Metric, p.Goal),
		"trial index (order proposed by the search, 1 = first)", metricAxis("", p.Metric))
	seeded := false
	var ys []float64
	for ci, g := range groups {
		n := slices.Max(g.last)
		median, lo, hi, count := g.spread(n)
		ys = append(append(append(ys, median...), lo...), hi...)
		var line, upper, lower plotter.XYs
		for i := range n {
			if math.IsNaN(median[i]) {
				continue
			}
			x := float64(i + 1)
			line = append(line, plotter.XY{X: x, Y: median[i]})
			if count[i] >= 2 {
				upper = append(upper, plotter.XY{X: x, Y: hi[i]})
				lower = append(lower, plotter.XY{X: x, Y: lo[i]})
			}
		}
		for _, seg := range bandSegments(upper, lower) {
			seeded = true
			if poly, err := plotter.NewPolygon(seg); err == nil {
				poly.Color = translucent(seriesColor(ci), 0x40)
				poly.LineStyle.Width = 0
				f.draw(poly)
			}
		}
		l, err := plotter.NewLine(line)
		if err != nil {
			continue
		}
		l.StepStyle = plotter.PostStep
		l.LineStyle = lineStyle(ci)
		l.LineStyle.Width = vg.Points(2)
		l.LineStyle.Dashes = profileDashes[ci%len(profileDashes)]
		f.draw(l)
		name := g.method
		if k := len(g.best); k > 1 {
			name += fmt.Sprintf(" (median of %d search seeds)", k)
		}
		f.add(name, l)
	}
	if len(f.Series) == 0 {
		return nil
	}
	f.Plot.X.Min = 0
	var names []string
	for _, r := range a.Problems {
		names = append(names, r.Sweep.Name)
	}
	f.Caption = fmt.Sprintf("The best seed mean of %s found so far (%s is better) against the trial index, the order "+
		"in which each search proposed its trials, one line per search method, over the sweeps %s of %s.",
		p.Metric, goalWord(p.Goal), strings.Join(names, ", "), p.Sweep.Experiment)
	if seeded {
		f.Caption += " A method run with several search seeds is the median over its sweeps, the shaded band their " +
			"minimum to maximum, over the sweeps that have reached the index."
	}
	if f.logYIfWide(ys) {
		f.Caption += historyLogCaption
	}
	return f
}

// bandSegments turns a band's upper and lower edges, at increasing
// integer indices, into the rings of post-step polygons, one per run of
// consecutive indices: each value holds until the next index, as the
// line's do. A run of one index has no width and is left out.
func bandSegments(upper, lower plotter.XYs) []plotter.XYs {
	var rings []plotter.XYs
	for start := 0; start < len(upper); {
		end := start + 1
		for end < len(upper) && upper[end].X == upper[end-1].X+1 {
			end++
		}
		if end-start >= 2 {
			var ring plotter.XYs
			for k := start; k < end; k++ {
				if k > start {
					ring = append(ring, plotter.XY{X: upper[k].X, Y: upper[k-1].Y})
				}
				ring = append(ring, upper[k])
			}
			for k := end - 1; k >= start; k-- {
				ring = append(ring, lower[k])
				if k > start {
					ring = append(ring, plotter.XY{X: lower[k].X, Y: lower[k-1].Y})
				}
			}
			rings = append(rings, ring)
		}
		start = end
	}
	return rings
}
