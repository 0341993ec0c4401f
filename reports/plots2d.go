package reports

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/reports/stats"
)

// gridSize is the number of samples per side of contoured functions.
const gridSize = 120

// sample evaluates fn on a gridSize² grid over the bounds. A function that
// panics yields NaN there: it came from outside the report.
func sample(fn func(x, y float64) float64, x0, x1, y0, y1 float64) grid2 {
	g := grid2{xs: make([]float64, gridSize), ys: make([]float64, gridSize), z: make([]float64, gridSize*gridSize)}
	for i := range g.xs {
		g.xs[i] = x0 + (x1-x0)*float64(i)/float64(gridSize-1)
		g.ys[i] = y0 + (y1-y0)*float64(i)/float64(gridSize-1)
	}
	for r, y := range g.ys {
		for c, x := range g.xs {
			g.z[r*gridSize+c] = safeCall(fn, x, y)
		}
	}
	return g
}

func safeCall(fn func(x, y float64) float64, x, y float64) (v float64) {
	defer func() {
		if recover() != nil {
			v = math.NaN()
		}
	}()
	return fn(x, y)
}

// bounds returns the region to draw: the given one when it is a proper
// rectangle, otherwise the points' extent with a margin.
func bounds(x0, x1, y0, y1 float64, pts plotter.XYs) (float64, float64, float64, float64) {
	if finite(x0, x1, y0, y1) && x1 > x0 && y1 > y0 {
		return x0, x1, y0, y1
	}
	x0, x1, y0, y1 = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		x0, x1, y0, y1 = min(x0, p.X), max(x1, p.X), min(y0, p.Y), max(y1, p.Y)
	}
	if !finite(x0, x1, y0, y1) {
		return -1, 1, -1, 1
	}
	mx, my := max(0.1*(x1-x0), 0.5), max(0.1*(y1-y0), 0.5)
	return x0 - mx, x1 + mx, y0 - my, y1 + my
}

// Trajectories draws each optimizer's path over the contours of a 2-D
// test function: the positions (x, y) per step of the best configuration's
// first seed, from a ring at the start to a filled mark at the end, and
// the function's minimum as a cross. It returns nil when s is nil or no
// trajectory was recorded.
func (r *Report) Trajectories(experiment string, s *Surface) *Figure {
	if s == nil || s.Value == nil {
		return nil
	}
	type path struct {
		c   *stats.Config
		pts plotter.XYs
	}
	var paths []path
	var all plotter.XYs
	for _, c := range r.Best {
		if c.Experiment != experiment {
			continue
		}
		for _, k := range c.Keys() {
			var pts plotter.XYs
			for _, e := range r.Curves[k] {
				if x, y := e.Values[metric.X], e.Values[metric.Y]; finite(x, y) {
					pts = append(pts, plotter.XY{X: x, Y: y})
				}
			}
			if len(pts) > 0 {
				paths = append(paths, path{c, pts})
				all = append(all, pts...)
				break
			}
		}
	}
	if len(paths) == 0 {
		return nil
	}
	if finite(s.MinX, s.MinY) {
		all = append(all, plotter.XY{X: s.MinX, Y: s.MinY})
	}
	x0, x1, y0, y1 := bounds(s.XMin, s.XMax, s.YMin, s.YMax, all)
	name := s.Name
	if name == "" {
		name = experiment
	}
	title := fmt.Sprintf("Trajectories on %s (best configuration per optimizer)", name)
	// addPaths draws the paths and the minimum, and names them.
	addPaths := func(f *Figure) {
		for _, p := range paths {
			ci := r.colorIndex(p.c)
			line, err := plotter.NewLine(p.pts)
			if err != nil {
				continue
			}
			line.LineStyle = lineStyle(ci)
			start, _ := plotter.NewScatter(p.pts[:1])
			start.GlyphStyle = draw.GlyphStyle{Color: seriesColor(ci), Radius: vg.Points(3.5), Shape: draw.RingGlyph{}}
			end, _ := plotter.NewScatter(p.pts[len(p.pts)-1:])
			end.GlyphStyle = glyphStyle(ci)
			end.GlyphStyle.Radius = vg.Points(3.5)
			f.draw(line, start, end)
			f.add(r.bestLabel(p.c), line, end)
		}
		if finite(s.MinX, s.MinY) {
			m, _ := plotter.NewScatter(plotter.XYs{{X: s.MinX, Y: s.MinY}})
			m.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(5), Shape: draw.CrossGlyph{}}
			f.draw(m)
			f.add("minimum", m)
		}
		f.Plot.X.Min, f.Plot.X.Max, f.Plot.Y.Min, f.Plot.Y.Max = x0, x1, y0, y1
		f.Width, f.Height = trajectorySize((y1 - y0) / (x1 - x0))
		f.EqualAspect = true
	}
	// One unit of x is as long as one of y, or an ill-conditioned
	// function looks round: a probe of the same figure without contours
	// finds the region that fills the data area at equal scales, and the
	// contours are sampled over exactly that region.
	probe := newFigure("", title, "x", "y")
	addPaths(probe)
	probe.Plot.Title.Text = wrapTitle(probe.Plot.Title.TextStyle, title, probe.Width-2*legendGap) // as Render draws it
	width, height := probe.size()
	fitEqualAspect(probe.Plot, draw.Crop(draw.NewCanvas(nil, width, height), 0, probe.Width-width, 0, 0))
	x0, x1, y0, y1 = probe.Plot.X.Min, probe.Plot.X.Max, probe.Plot.Y.Min, probe.Plot.Y.Max

	f := newFigure("trajectories-"+experiment, title, "x", "y")
	g := sample(s.Value, x0, x1, y0, y1)
	if lo, hi := g.minMax(); finite(lo, hi) && hi > lo {
		// Contours equally spaced in log(1 + f − f_min) show both the
		// steep walls and the flat valley of functions like Rosenbrock's.
		for i, v := range g.z {
			if finite(v) {
				g.z[i] = math.Log1p(v - lo)
			} else {
				g.z[i] = math.Log1p(hi - lo)
			}
		}
		top := math.Log1p(hi - lo)
		levels := make([]float64, 14)
		for i := range levels {
			levels[i] = top * float64(i+1) / float64(len(levels)+1)
		}
		ct := plotter.NewContour(g, levels, ramp([]color.NRGBA{{0x60, 0x60, 0x60, 0xff}, {0xc8, 0xc8, 0xc8, 0xff}}, len(levels)))
		ct.Min, ct.Max = 0, top
		f.draw(ct)
	}
	addPaths(f)
	f.Caption = fmt.Sprintf("Path of %s best configuration on %s, from the ring (start) to the filled mark (end); grey contours are equally spaced in log(1 + f − f_min).", r.each(), name) +
		r.placeCaption(len(paths) > 1 && len(r.Best) > 1, r.bestTied(), "the leaderboard")
	return f
}

// trajectorySize is the size of a trajectory figure for a region whose
// height is aspect times its width: about 5 inches on the longer side,
// no more than 2:1 either way (the equal scales then widen the shorter
// side's range).
func trajectorySize(aspect float64) (width, height vg.Length) {
	const long = 5.0
	if !(aspect > 0) || !finite(aspect) {
		aspect = 1
	}
	aspect = min(2, max(0.5, aspect))
	if aspect >= 1 {
		return vg.Length(long/aspect+0.6) * vg.Inch, vg.Length(long) * vg.Inch
	}
	return vg.Length(long+0.6) * vg.Inch, vg.Length(long*aspect) * vg.Inch
}

// classColors colour the classes of a 2-D dataset: Okabe–Ito blue and
// vermillion first, as the boundary's background shades toward them.
var classColors = []color.NRGBA{okabeIto[4], okabeIto[3], okabeIto[2], okabeIto[5], okabeIto[0], okabeIto[1]}

// DecisionBoundary draws the predicted probability of class 1 of a trained
// classifier as shading, its 0.5 contour as the boundary, and the data
// points by class. c and key name the configuration and trial drawn.
func (r *Report) DecisionBoundary(b *Boundary, c *stats.Config, key string) *Figure {
	if b == nil || b.Predict == nil {
		return nil
	}
	var all plotter.XYs
	for _, p := range b.Points {
		if finite(p.X, p.Y) {
			all = append(all, plotter.XY{X: p.X, Y: p.Y})
		}
	}
	x0, x1, y0, y1 := bounds(b.XMin, b.XMax, b.YMin, b.YMax, all)
	label := key
	if c != nil {
		label = r.legendLabel(c)
	}
	f := newFigure("decision-boundary", "Decision boundary of the best trial", "x₁", "x₂")
	g := sample(b.Predict, x0, x1, y0, y1)
	light := func(c color.NRGBA) color.NRGBA { return lerp(c, color.NRGBA{0xff, 0xff, 0xff, 0xff}, 0.7) }
	shade := plotter.NewHeatMap(g, ramp([]color.NRGBA{light(classColors[0]), {0xff, 0xff, 0xff, 0xff}, light(classColors[1])}, 64))
	shade.Min, shade.Max = 0, 1
	shade.Underflow, shade.Overflow = light(classColors[0]), light(classColors[1])
	shade.NaN = color.Transparent
	shade.Rasterized = true
	f.draw(shade)
	if lo, hi := g.minMax(); finite(lo, hi) && lo < 0.5 && hi > 0.5 {
		ct := plotter.NewContour(g, []float64{0.5}, nil)
		ct.LineStyles = []draw.LineStyle{{Color: color.Black, Width: vg.Points(1.5)}}
		ct.Min, ct.Max = lo, hi
		f.draw(ct)
		f.add("p = 0.5", plotterLegendLine(color.Black))
	}
	byClass := map[int]plotter.XYs{}
	maxClass := 0
	for _, p := range b.Points {
		if finite(p.X, p.Y) && p.Label >= 0 && p.Label < 64 {
			byClass[p.Label] = append(byClass[p.Label], plotter.XY{X: p.X, Y: p.Y})
			maxClass = max(maxClass, p.Label)
		}
	}
	for k := 0; k <= maxClass; k++ {
		pts := byClass[k]
		if len(pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			continue
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: classColors[k%len(classColors)], Radius: vg.Points(2.5), Shape: glyphs[k%len(glyphs)]}
		f.draw(sc)
		f.add(fmt.Sprintf("class %d", k), sc)
	}
	f.Plot.X.Min, f.Plot.X.Max, f.Plot.Y.Min, f.Plot.Y.Max = x0, x1, y0, y1
	f.Plot.X.Padding, f.Plot.Y.Padding = 0, 0 // the shading fills the axes
	f.Width, f.Height = 5.5*vg.Inch, 5*vg.Inch
	f.Caption = fmt.Sprintf("Predicted probability of class 1 (shading, blue = 0 to vermillion = 1) and the 0.5 boundary of %s (trial %s), over the training data.", label, key)
	return f
}

// plotterLegendLine is a legend thumbnail for a line drawn by another
// plotter.
func plotterLegendLine(c color.Color) *plotter.Line {
	l := &plotter.Line{LineStyle: draw.LineStyle{Color: c, Width: vg.Points(1.5)}}
	return l
}
