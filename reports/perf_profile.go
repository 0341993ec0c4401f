package reports

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// PerformanceProfile draws each optimizer's performance profile ρ_s(τ)
// for τ in [1, ProfileMaxRatio] as a step line: the fraction of problems
// on which its best configuration is within a factor τ of the best
// optimizer's (Dolan and Moré 2002; see Across for the ratio). A line
// that rises early is often near the best; its height at τ = 4 is the
// share of problems it solves within a factor of 4. It returns nil when
// no problem has ratios.
func (a *Across) PerformanceProfile() *Figure {
	if a.profiled == 0 || len(a.Optimizers) == 0 {
		return nil
	}
	f := newFigure("perf-profile", fmt.Sprintf("Performance profiles over %d problems", a.profiled),
		"τ (ratio to the best optimizer's cost)", "fraction of problems with ratio ≤ τ")
	f.Plot.X.Min, f.Plot.X.Max = 1, ProfileMaxRatio
	f.Plot.Y.Min, f.Plot.Y.Max = 0, 1.04 // a line at 1 stays visible above the frame
	for i, name := range a.Optimizers {
		l, err := plotter.NewLine(a.profilePoints(i))
		if err != nil {
			continue
		}
		l.StepStyle = plotter.PostStep
		l.LineStyle = lineStyle(i)
		// Profiles often coincide; dashes that differ per line keep
		// each one visible where they overlap.
		l.LineStyle.Dashes = profileDashes[i%len(profileDashes)]
		f.draw(l)
		f.add(name, l)
	}
	if len(f.Series) == 0 {
		return nil
	}
	f.Caption = fmt.Sprintf("For each optimizer, the fraction of the %d problems on which the seed mean of its best "+
		"configuration is within a factor τ of the best optimizer's (cost = the metric to minimize, or the error 1 − "+
		"accuracy; ratio = cost / best cost). At τ = 1 the fraction of problems it wins; lines that coincide are dashed "+
		"differently.", a.profiled)
	return f
}

var profileDashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(2), vg.Points(2), vg.Points(2)}}

// profilePoints are the corners of optimizer i's profile: its value at
// τ = 1, at each ratio inside (1, r_max] where it steps up, and at r_max.
func (a *Across) profilePoints(i int) plotter.XYs {
	var steps []float64
	for _, r := range a.Ratio[i] {
		if r > 1 && r <= ProfileMaxRatio*(1+ratioSlack) {
			steps = append(steps, math.Min(r, ProfileMaxRatio))
		}
	}
	slices.Sort(steps)
	pts := plotter.XYs{{X: 1, Y: a.Profile(i, 1)}}
	for _, tau := range slices.Compact(steps) {
		pts = append(pts, plotter.XY{X: tau, Y: a.Profile(i, tau)})
	}
	if last := pts[len(pts)-1]; last.X < ProfileMaxRatio {
		pts = append(pts, plotter.XY{X: ProfileMaxRatio, Y: last.Y})
	}
	return pts
}

// Figures returns the comparison's figures: the performance profiles
// and, when the sweeps share one experiment and metric, the optimization
// history by search method (History).
func (a *Across) Figures() []*Figure {
	var out []*Figure
	for _, f := range []*Figure{a.PerformanceProfile(), a.History()} {
		if f != nil {
			out = append(out, f)
		}
	}
	return out
}
