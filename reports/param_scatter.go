package reports

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// ParamScatters draw, for a search (random, sobol, tpe, or any sweep
// with a numeric parameter of continuousMinValues values or more), the
// seed mean of the sweep's metric of every configuration against each
// swept parameter, one figure per parameter, as Optuna's plot_slice does:
// a point per configuration, coloured by optimizer. The x axis is
// logarithmic when the values span more than two decades or the
// parameter is a learning rate or ε; a categorical parameter takes one
// position per category, its points stacked there without jitter.
func (r *Report) ParamScatters() []*Figure {
	cs := r.searchConfigs()
	var out []*Figure
	for _, d := range r.searchDomains(cs) {
		xLabel := d.Name
		if d.Log {
			xLabel += " (log scale)"
		}
		f := newFigure("param-"+d.Name, fmt.Sprintf("%s vs %s (every configuration, %s)", r.Metric, d.Name, r.seedWord()),
			xLabel, metricAxis("final", r.Metric))
		byColor := map[int]plotter.XYs{}
		var order []int
		names := map[int]string{}
		for _, c := range cs {
			x, ok := d.value(c)
			if !ok || (d.Log && !(x > 0)) {
				continue
			}
			ci := r.colorIndex(c)
			if _, seen := byColor[ci]; !seen {
				order = append(order, ci)
				names[ci] = c.Optimizer
			}
			byColor[ci] = append(byColor[ci], plotter.XY{X: x, Y: c.Metric.Mean})
		}
		for _, ci := range order {
			sc, err := plotter.NewScatter(byColor[ci])
			if err != nil {
				continue
			}
			sc.GlyphStyle = glyphStyle(ci)
			sc.GlyphStyle.Color = translucent(seriesColor(ci), 0xc0)
			sc.GlyphStyle.Radius = vg.Points(2.5)
			f.draw(sc)
			f.add(names[ci], sc)
		}
		if len(f.Series) == 0 {
			continue
		}
		switch {
		case d.Log:
			f.Plot.X.Scale = plot.LogScale{}
			f.Plot.X.Tick.Marker = plot.LogTicks{Prec: -1}
		case !d.Numeric:
			f.Plot.NominalX(d.Choices...)
			f.Plot.X.Min, f.Plot.X.Max = -0.5, float64(len(d.Choices))-0.5
		}
		f.Caption = fmt.Sprintf("The %s of every configuration with a value (a point each, coloured by optimizer) against its %s; "+
			"%s is better. Other parameters vary from point to point: the spread at one %s is their effect and the seeds'.",
			r.seedWord(), d.Name, goalWord(r.Goal), d.Name)
		if d.Log {
			f.Caption += " The x axis is logarithmic."
		}
		out = append(out, f)
	}
	return out
}

// seedWord says what a configuration's value is: the seed mean, or the
// one seed's value.
func (r *Report) seedWord() string {
	if r.oneSeed() {
		return "one seed"
	}
	return "seed mean"
}
