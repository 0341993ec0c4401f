package reports

import (
	"fmt"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// parallelMaxLines caps the lines of parallel coordinates: beyond a few
// hundred they merge into a block. The best configurations by the
// leaderboard are kept, so the cap is deterministic.
const parallelMaxLines = 500

// ParallelCoordinates draws every configuration of a search (as
// ParamScatters decides) as a line across one vertical axis per swept
// parameter and a last axis for the metric, as Optuna's
// plot_parallel_coordinate does. Each axis runs from the smallest value
// tried (bottom) to the largest (top), on a log scale where the
// parameter's scatter is; a categorical axis spaces its categories
// evenly. Lines are coloured by the seed mean of the metric, with its
// colour scale beside the plot, and the best are drawn last, on top. A
// line breaks at a parameter its configuration does not have. At most
// parallelMaxLines configurations, the best, are drawn.
func (r *Report) ParallelCoordinates() *Figure {
	cs := r.searchConfigs()
	domains := r.searchDomains(cs)
	if len(domains) < 2 || len(cs) < 2 {
		return nil
	}
	shown := len(cs)
	cs = cs[:min(len(cs), parallelMaxLines)]
	lo, hi := cs[0].Metric.Mean, cs[0].Metric.Mean
	for _, c := range cs {
		lo, hi = min(lo, c.Metric.Mean), max(hi, c.Metric.Mean)
	}
	metricAxis := paramDomain{Name: r.Metric, Numeric: true, Low: lo, High: hi}
	axes := append(slices.Clone(domains), metricAxis)

	names := make([]string, len(axes))
	for i, d := range axes {
		names[i] = d.Name
		if d.Log {
			names[i] += " (log)"
		}
	}
	f := newFigure("parallel-coordinates", fmt.Sprintf("Parallel coordinates of %d configurations, coloured by %s (%s)",
		len(cs), r.Metric, r.seedWord()), "", "scaled per axis: smallest to largest")
	pal := ramp(viridis, 64)
	for i := range axes {
		if l, err := plotter.NewLine(plotter.XYs{{X: float64(i), Y: 0}, {X: float64(i), Y: 1}}); err == nil {
			l.LineStyle.Color = color.Gray{Y: 90}
			l.LineStyle.Width = vg.Points(1)
			f.draw(l)
		}
	}
	// Worst first, so that the best lie on top.
	for _, c := range slices.Backward(cs) {
		col := colorOn(pal, c.Metric.Mean, lo, hi)
		var run plotter.XYs
		flush := func() {
			if len(run) >= 2 {
				if l, err := plotter.NewLine(run); err == nil {
					l.LineStyle.Color = translucent(col, 0xb0)
					l.LineStyle.Width = vg.Points(1)
					f.draw(l)
				}
			}
			run = nil
		}
		for i, d := range axes {
			x, ok := d.value(c)
			if i == len(axes)-1 {
				x, ok = c.Metric.Mean, true
			}
			if !ok || (d.Log && !(x > 0)) {
				flush()
				continue
			}
			run = append(run, plotter.XY{X: float64(i), Y: d.unit(x)})
		}
		flush()
	}
	f.draw(axisLabels(axes))
	f.Plot.NominalX(names...)
	f.Plot.Y.Tick.Marker = plot.ConstantTicks(nil)
	f.Plot.Y.Min, f.Plot.Y.Max = -0.08, 1.08
	f.Plot.X.Min, f.Plot.X.Max = -0.3, float64(len(axes)-1)+0.3
	if !axes[0].Numeric {
		f.Plot.X.Min = -0.6 // room for the first axis's categories, left of it
	}
	f.ColorScale = &ColorScale{Palette: pal, Min: lo, Max: hi, Label: r.Metric + " (" + r.seedWord() + ")"}
	f.Width = vg.Length(max(5, min(9, 1.5+1.1*float64(len(axes))))) * vg.Inch
	f.Caption = fmt.Sprintf("Each line is a configuration, crossing each parameter's axis at its value and the last axis at its %s of %s; "+
		"its colour is that value too (brighter is higher; %s is better), and the best are drawn on top. "+
		"Axes marked (log) are logarithmic; a line breaks at a parameter its optimizer does not have.",
		r.seedWord(), r.Metric, goalWord(r.Goal))
	if shown > len(cs) {
		f.Caption += fmt.Sprintf(" The best %d of %d configurations are shown.", len(cs), shown)
	}
	return f
}

// colorOn picks the colour of v on a palette spread from lo to hi.
func colorOn(pal rampPalette, v, lo, hi float64) color.NRGBA {
	t := 0.5
	if hi > lo {
		t = (v - lo) / (hi - lo)
	}
	c := pal[min(len(pal)-1, max(0, int(t*float64(len(pal)-1)+0.5)))]
	return color.NRGBAModel.Convert(c).(color.NRGBA)
}

// axisLabels marks each axis with its smallest value below it and its
// largest above it, or with its categories left of their positions.
func axisLabels(axes []paramDomain) *plotter.Labels {
	var xy plotter.XYLabels
	var align []text.XAlignment
	var valign []text.YAlignment
	for i, d := range axes {
		if !d.Numeric {
			for k, s := range d.Choices {
				xy.XYs = append(xy.XYs, plotter.XY{X: float64(i), Y: d.unit(float64(k))})
				xy.Labels = append(xy.Labels, s+" ")
				align, valign = append(align, text.XRight), append(valign, text.YCenter)
			}
			continue
		}
		xy.XYs = append(xy.XYs, plotter.XY{X: float64(i), Y: -0.02}, plotter.XY{X: float64(i), Y: 1.02})
		xy.Labels = append(xy.Labels, fmtMetric(d.Low), fmtMetric(d.High))
		align = append(align, text.XCenter, text.XCenter)
		valign = append(valign, text.YTop, text.YBottom)
	}
	l, err := plotter.NewLabels(xy)
	if err != nil {
		panic("reports: axis labels: " + err.Error())
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font = sans(8)
		l.TextStyle[i].XAlign = align[i]
		l.TextStyle[i].YAlign = valign[i]
	}
	return l
}
