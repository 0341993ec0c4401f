package reports

import (
	"cmp"
	"context"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/reports/stats"
)

// Figures draws every figure that applies to the sweep, in page order:
// learning curves, the learning rate of scheduled sweeps, the optimization
// history, a search's parameters (scatters, parallel coordinates), the
// learning curves of a
// pruned sweep's trials, learning-rate and batch-size sensitivity, heatmaps,
// seed spread, trajectories over 2-D test functions and the decision
// boundary of a 2-D classifier. A loader that fails costs only its figure,
// with a warning added to r.Warnings; a cancelled context is an error.
func (r *Report) Figures(ctx context.Context) ([]*Figure, error) {
	var out []*Figure
	if r.Input.Curves == nil && len(r.Best) > 0 {
		r.warn("no curves available: learning curves and trajectories left out")
	}
	out = append(out, r.LearningCurves()...)
	if f := r.LRCurves(); f != nil {
		out = append(out, f)
	}
	if f := r.History(); f != nil {
		out = append(out, f)
	}
	out = append(out, r.searchFigures()...)
	switch f, err := r.PrunedCurves(ctx); {
	case err != nil:
		return nil, err
	case f != nil:
		out = append(out, f)
	}
	if f := r.LRSensitivity(); f != nil {
		out = append(out, f)
	}
	out = append(out, r.BatchSize()...)
	out = append(out, r.Heatmaps()...)
	if f := r.SeedSpread(); f != nil {
		out = append(out, f)
	}
	if r.Input.Surface != nil && len(r.Best) > 0 {
		var exps []string
		for _, c := range r.Best {
			if !slices.Contains(exps, c.Experiment) {
				exps = append(exps, c.Experiment)
			}
		}
		for _, e := range exps {
			s, err := r.Input.Surface(e)
			if err != nil {
				r.warn("trajectories of %s left out: %v", e, err)
				continue
			}
			if f := r.Trajectories(e, s); f != nil {
				out = append(out, f)
			}
		}
	}
	if r.Input.Boundary != nil && len(r.Best) > 0 {
		best := r.Best[0]
		key := bestSeed(best, r.Goal)
		b, err := r.Input.Boundary(ctx, key)
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case err != nil:
			r.warn("decision boundary left out: %v", err)
		case b != nil:
			if f := r.DecisionBoundary(b, best, key); f != nil {
				out = append(out, f)
			}
		}
	}
	return out, ctx.Err()
}

// bestSeed returns the key of c's seed with the best value of the metric.
func bestSeed(c *stats.Config, g stats.Goal) string {
	key, best := "", math.NaN()
	for _, s := range c.Seeds {
		if key == "" || g.Better(s.Value, best) {
			key, best = s.Key, s.Value
		}
	}
	return key
}

// colorIndex gives each optimizer (each value of Options.By) the same
// colour in every figure: its position on the leaderboard.
func (r *Report) colorIndex(c *stats.Config) int {
	for i, b := range r.Best {
		if b.Experiment == c.Experiment && r.group(b) == r.group(c) {
			return i
		}
	}
	return len(r.Best)
}

// oneSeed reports whether no configuration has more than one seed with a
// value: then there is no spread to draw, and no band is claimed.
func (r *Report) oneSeed() bool {
	for _, c := range r.Configs {
		if c.Metric.N > 1 {
			return false
		}
	}
	return true
}

// statText says what a line and its band are, for titles: "seed mean,
// band: ±1 sd", or "one seed" when there is no spread to show.
func (r *Report) statText() string {
	if r.oneSeed() {
		return "one seed"
	}
	return "seed mean, " + r.bandText()
}

// bandCaption says what the line and the shading are, for captions.
func (r *Report) bandCaption() string {
	if r.oneSeed() {
		return "the line is the value of the one seed (one seed per configuration: no band)"
	}
	return "the line is the mean over seeds, the shaded " + r.bandText()
}

func (r *Report) bandText() string {
	if r.Options.Band == BandCI {
		return fmt.Sprintf("band: %s%% confidence interval", strconv.FormatFloat(r.Options.Level*100, 'g', 4, 64))
	}
	return "band: ±1 sd"
}

func (r *Report) band(s stats.Summary) (lo, hi float64) {
	if r.Options.Band == BandCI {
		return s.Low, s.High
	}
	return s.Mean - s.SD, s.Mean + s.SD
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// addMean draws a mean line (with glyphs when marked) and its band, and
// adds a legend entry. Points whose x is not acceptable (e.g. not positive
// on a log axis) or whose mean is not finite are skipped; the band is
// drawn over each run of points that have one.
func (r *Report) addMean(f *Figure, ci int, name string, xs []float64, sums []stats.Summary, marked bool, okX func(float64) bool) bool {
	var pts plotter.XYs
	var seg plotter.XYs // upper edge of the current band segment
	var low plotter.XYs
	col := seriesColor(ci)
	_, logY := f.Plot.Y.Scale.(plot.LogScale)
	flush := func() {
		if len(seg) == 1 {
			// A lone point with a spread (its neighbours have none) gets
			// an error bar instead of a band.
			if bar, err := plotter.NewLine(plotter.XYs{low[0], seg[0]}); err == nil {
				bar.LineStyle = draw.LineStyle{Color: translucent(col, 0xa0), Width: vg.Points(4)}
				f.draw(bar)
			}
		}
		if len(seg) >= 2 {
			ring := append(plotter.XYs(nil), seg...)
			for i := len(low) - 1; i >= 0; i-- {
				ring = append(ring, low[i])
			}
			if poly, err := plotter.NewPolygon(ring); err == nil {
				poly.Color = translucent(col, 0x40)
				poly.LineStyle.Width = 0
				f.draw(poly)
			}
		}
		seg, low = seg[:0], low[:0]
	}
	for i, s := range sums {
		if i >= len(xs) || !finite(xs[i], s.Mean) || (okX != nil && !okX(xs[i])) {
			flush()
			continue
		}
		if logY && !(s.Mean > 0) {
			flush()
			continue
		}
		pts = append(pts, plotter.XY{X: xs[i], Y: s.Mean})
		lo, hi := r.band(s)
		if logY {
			lo = max(lo, f.logFloor)
		}
		if s.N < 2 || !finite(lo, hi) {
			flush()
			continue
		}
		seg = append(seg, plotter.XY{X: xs[i], Y: hi})
		low = append(low, plotter.XY{X: xs[i], Y: lo})
	}
	flush()
	if len(pts) == 0 {
		return false
	}
	line, err := plotter.NewLine(pts)
	if err != nil {
		return false
	}
	line.LineStyle = lineStyle(ci)
	f.draw(line)
	thumbs := []plot.Thumbnailer{line}
	if marked {
		sc, err := plotter.NewScatter(pts)
		if err == nil {
			sc.GlyphStyle = glyphStyle(ci)
			f.draw(sc)
			thumbs = append(thumbs, sc)
		}
	}
	f.add(name, thumbs...)
	return true
}

// metricAxis labels an axis of a metric with its unit where it has one.
func metricAxis(prefix, metric string) string {
	label := metric
	if prefix != "" {
		label = prefix + " " + metric
	}
	switch {
	case strings.HasSuffix(metric, "accuracy"):
		return label + " (fraction correct)"
	case strings.HasSuffix(metric, "correct"):
		return label + " (examples)"
	case metric == "distance_to_minimum":
		return label + " (Euclidean, x–y units)"
	case metric == "lr":
		return label + " (α)"
	}
	return label
}

// curveMetric describes a learning-curve panel.
type curveMetric struct {
	metric, title, axis string
}

var curveMetrics = []curveMetric{
	{"train_loss", "Training loss", "training loss (mean over the epoch's batches)"},
	{"val_loss", "Validation loss", "validation loss"},
	{"train_accuracy", "Training accuracy", "training accuracy (fraction correct)"},
	{"val_accuracy", "Validation accuracy", "validation accuracy (fraction correct)"},
}

// LearningCurves draws, for each of train and val loss and accuracy that
// was recorded, the seed mean per epoch of each optimizer's best
// configuration (each Options.By value's) with a band (Options.Band),
// smoothed when Options.Smoothing is set.
func (r *Report) LearningCurves() []*Figure {
	var out []*Figure
	for _, m := range curveMetrics {
		smooth := ""
		if r.Options.Smoothing > 0 {
			smooth = fmt.Sprintf(", EWMA β = %g", r.Options.Smoothing)
		}
		f := newFigure("curve-"+m.metric, fmt.Sprintf("%s per epoch (%s%s)", m.title, r.statText(), smooth), "epoch", m.axis)
		steps := false
		type drawnCurve struct {
			c  *stats.Config
			mc *meanCurve
		}
		var curves []drawnCurve
		var means []float64
		for _, c := range r.Best {
			mc := r.curve(c, m.metric, true)
			if mc == nil {
				continue
			}
			curves = append(curves, drawnCurve{c, mc})
			for _, s := range mc.Summary {
				means = append(means, s.Mean)
			}
		}
		logY := f.logYIfWide(means)
		for _, dc := range curves {
			steps = steps || dc.mc.Steps
			r.addMean(f, r.colorIndex(dc.c), r.bestLabel(dc.c), dc.mc.X, dc.mc.Summary, false, nil)
		}
		if len(f.Series) == 0 {
			continue
		}
		if steps {
			f.Plot.X.Label.Text = "step (0 = start)"
			if m.metric == "train_loss" {
				f.Plot.Title.Text = fmt.Sprintf("Function value per step (%s%s)", r.statText(), smooth)
				f.Plot.Y.Label.Text = "f(x, y)"
			}
		}
		f.Caption = fmt.Sprintf("%s of %s best configuration by %s: %s.",
			m.title, r.each(), r.Metric, r.bandCaption()) + r.placeCaption(len(r.Best) > 1, r.bestTied(), "the leaderboard")
		if logY {
			f.Caption += logCaption
		}
		if r.Options.Smoothing > 0 {
			f.Caption += fmt.Sprintf(" Each seed is smoothed by a bias-corrected exponentially weighted average with β = %g before averaging.", r.Options.Smoothing)
		}
		out = append(out, f)
	}
	return out
}

// LRSensitivity draws the final metric against the learning rate α on a
// log axis, one line per optimizer with its other parameters at their
// best, with bands over seeds. It returns nil unless lr is swept.
func (r *Report) LRSensitivity() *Figure {
	if !slices.Contains(r.Swept, "lr") {
		return nil
	}
	f := newFigure("sensitivity-lr", fmt.Sprintf("Final %s vs learning rate (%s)", r.Metric, r.statText()),
		"learning rate α (log scale)", metricAxis("final", r.Metric))
	f.Plot.X.Scale = plot.LogScale{}
	f.Plot.X.Tick.Marker = plot.LogTicks{Prec: -1}
	positive := func(x float64) bool { return x > 0 }
	for _, best := range r.Best {
		xs, sums := sliceSeries(stats.Slice(r.Configs, best, "lr"), "lr")
		if len(xs) < 2 {
			continue
		}
		r.addMean(f, r.colorIndex(best), r.bestTextPlaced(best), xs, sums, true, positive)
	}
	if len(f.Series) == 0 {
		return nil
	}
	f.Caption = fmt.Sprintf("Final %s against the learning rate, the other parameters of %s best held at their values; points are configurations; %s.", r.Metric, r.each(), r.bandCaption())
	f.Caption += r.placeCaption(len(r.Best) > 1, r.bestTied(), "the leaderboard")
	return f
}

// sliceSeries returns the numeric values of param along a slice of
// configurations and their summaries, skipping configurations without a
// value of the metric.
func sliceSeries(cs []*stats.Config, param string) ([]float64, []stats.Summary) {
	var xs []float64
	var sums []stats.Summary
	for _, c := range cs {
		x, ok := c.Params.Float(param)
		if !ok || !c.Usable() {
			continue
		}
		xs = append(xs, x)
		sums = append(sums, c.Metric)
	}
	return xs, sums
}

// log2Ticks marks powers of two, for batch sizes, and the training-set
// size as "full" when full is above 0; a power of two too close to it to
// label apart is left unlabelled.
type log2Ticks struct{ full float64 }

func (t log2Ticks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !finite(lo, hi) || hi < lo {
		return nil
	}
	var out []plot.Tick
	for k := math.Floor(math.Log2(lo)); k <= math.Ceil(math.Log2(hi)) && len(out) < 64; k++ {
		v := math.Exp2(k)
		label := strconv.FormatFloat(v, 'g', -1, 64)
		if t.full > 0 && (v == t.full || math.Abs(math.Log2(v/t.full)) < 0.5) {
			label = ""
		}
		out = append(out, plot.Tick{Value: v, Label: label})
	}
	if t.full > 0 {
		out = append(out, plot.Tick{Value: t.full, Label: "full"})
	}
	return out
}

// sortByX sorts xs ascending and sums with them, so that a line through a
// full batch drawn at the training-set size runs left to right.
func sortByX(xs []float64, sums []stats.Summary) {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(xs[a], xs[b]) })
	x2, s2 := slices.Clone(xs), slices.Clone(sums)
	for i, j := range idx {
		xs[i], sums[i] = x2[j], s2[j]
	}
}

// BatchSize draws the final metric and the mean wall time against the
// batch size on a log2 axis, one line per optimizer with its other
// parameters at their best. It returns nil unless batch_size is swept.
// Full-batch runs (batch_size = 0) are drawn at the training-set size
// (Input.TrainSize) and the tick there reads "full"; without the size
// they are left out, as the caption says.
func (r *Report) BatchSize() []*Figure {
	if !slices.Contains(r.Swept, "batch_size") {
		return nil
	}
	metric := newFigure("batchsize-metric", fmt.Sprintf("Final %s vs batch size (%s)", r.Metric, r.statText()),
		"batch size (examples per update, log₂ scale)", metricAxis("final", r.Metric))
	wall := newFigure("batchsize-wall", "Wall time vs batch size ("+r.statText()+")",
		"batch size (examples per update, log₂ scale)", "wall time per trial (s)")
	positive := func(x float64) bool { return x > 0 }
	fullBatch, fullAt := false, 0.0
	// full places a full-batch configuration at its training-set size.
	full := func(c *stats.Config, x float64) float64 {
		if x != 0 {
			return x
		}
		fullBatch = true
		if r.Input.TrainSize == nil {
			return 0
		}
		n, err := r.Input.TrainSize(c.Experiment, c.Params)
		if err != nil || n <= 0 {
			return 0
		}
		fullAt = float64(n)
		return float64(n)
	}
	for _, best := range r.Best {
		slice := stats.Slice(r.Configs, best, "batch_size")
		var xs []float64
		var sums []stats.Summary
		for _, c := range slice {
			if x, ok := c.Params.Float("batch_size"); ok && c.Usable() {
				xs = append(xs, full(c, x))
				sums = append(sums, c.Metric)
			}
		}
		if len(xs) < 2 {
			continue
		}
		sortByX(xs, sums)
		r.addMean(metric, r.colorIndex(best), r.bestTextPlaced(best), xs, sums, true, positive)
		var wx []float64
		var ws []stats.Summary
		for _, c := range slice {
			x, ok := c.Params.Float("batch_size")
			if !ok {
				continue
			}
			var secs []float64
			for _, s := range c.Seeds {
				if s.Status == train.Completed || s.Status == train.Diverged {
					secs = append(secs, s.WallSeconds)
				}
			}
			wx = append(wx, full(c, x))
			ws = append(ws, stats.Summarize(secs, r.Options.Level))
		}
		sortByX(wx, ws)
		r.addMean(wall, r.colorIndex(best), r.bestTextPlaced(best), wx, ws, true, positive)
	}
	var out []*Figure
	for _, f := range []*Figure{metric, wall} {
		if len(f.Series) == 0 {
			continue
		}
		f.Plot.X.Scale = plot.LogScale{}
		f.Plot.X.Tick.Marker = log2Ticks{full: fullAt}
		f.Caption = "The other parameters of " + r.each() + " best held at their values; " + r.bandCaption() + "." +
			r.placeCaption(len(r.Best) > 1, r.bestTied(), "the leaderboard")
		switch {
		case fullBatch && fullAt > 0:
			f.Caption += fmt.Sprintf(" Full-batch runs are drawn at the training-set size, %g examples, marked full.", fullAt)
		case fullBatch:
			f.Caption += " Full-batch runs (batch_size full) are not shown: the training-set size is not known."
		}
		out = append(out, f)
	}
	if len(out) == 2 {
		out[1].Caption = "Mean wall time of a trial. " + out[1].Caption
	}
	return out
}

// grid2 is a rectangular grid of values for heatmaps and contours.
type grid2 struct {
	xs, ys []float64
	z      []float64 // row-major, len(ys) rows of len(xs)
}

func (g grid2) Dims() (c, r int)   { return len(g.xs), len(g.ys) }
func (g grid2) Z(c, r int) float64 { return g.z[r*len(g.xs)+c] }
func (g grid2) X(c int) float64    { return g.xs[c] }
func (g grid2) Y(r int) float64    { return g.ys[r] }
func (g grid2) minMax() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range g.z {
		if finite(v) {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	return lo, hi
}

// Heatmaps draw the metric over the two parameters of Options.Heatmap
// (β1 × β2 by default), one per optimizer that sweeps both, its other
// parameters at their best. Cells are annotated with their seed mean.
func (r *Report) Heatmaps() []*Figure {
	px, py := r.Options.Heatmap[0], r.Options.Heatmap[1]
	if px == py || !slices.Contains(r.Swept, px) || !slices.Contains(r.Swept, py) {
		return nil
	}
	var out []*Figure
	for _, best := range r.Best {
		slice := stats.Slice(r.Configs, best, px, py)
		var xv, yv []any
		for _, c := range slice {
			x, y := c.Params[px], c.Params[py]
			if x == nil || y == nil {
				continue
			}
			if !slices.ContainsFunc(xv, func(v any) bool { return stats.CompareValues(v, x) == 0 }) {
				xv = append(xv, x)
			}
			if !slices.ContainsFunc(yv, func(v any) bool { return stats.CompareValues(v, y) == 0 }) {
				yv = append(yv, y)
			}
		}
		if len(xv) < 2 || len(yv) < 2 {
			continue
		}
		slices.SortFunc(xv, stats.CompareValues)
		slices.SortFunc(yv, stats.CompareValues)
		g := grid2{xs: make([]float64, len(xv)), ys: make([]float64, len(yv)), z: make([]float64, len(xv)*len(yv))}
		for i := range g.xs {
			g.xs[i] = float64(i)
		}
		for i := range g.ys {
			g.ys[i] = float64(i)
		}
		for i := range g.z {
			g.z[i] = math.NaN()
		}
		for _, c := range slice {
			xi := slices.IndexFunc(xv, func(v any) bool { return stats.CompareValues(v, c.Params[px]) == 0 })
			yi := slices.IndexFunc(yv, func(v any) bool { return stats.CompareValues(v, c.Params[py]) == 0 })
			if xi >= 0 && yi >= 0 {
				g.z[yi*len(xv)+xi] = c.Metric.Mean
			}
		}
		lo, hi := g.minMax()
		if !finite(lo, hi) {
			continue
		}
		f := newFigure(fmt.Sprintf("heatmap-%s-%s-%s", px, py, best.Optimizer),
			fmt.Sprintf("%s over %s × %s (%s, seed mean)", r.Metric, px, py, r.bestText(best)), px, py)
		f.draw(heatmap(g, lo, hi))
		f.ColorScale = &ColorScale{Palette: ramp(viridis, 64), Min: lo, Max: hi, Label: r.Metric + " (seed mean)"}
		var labels plotter.XYLabels
		var colors []color.Color
		pal := ramp(viridis, 64)
		for yi := range yv {
			for xi := range xv {
				v := g.Z(xi, yi)
				text := fmtMetric(v)
				labels.XYs = append(labels.XYs, plotter.XY{X: float64(xi), Y: float64(yi)})
				labels.Labels = append(labels.Labels, text)
				colors = append(colors, textColorOver(pal, v, lo, hi))
			}
		}
		if l, err := plotter.NewLabels(labels); err == nil {
			for i := range l.TextStyle {
				l.TextStyle[i].Color = colors[i]
				l.TextStyle[i].Font = sans(10)
				l.TextStyle[i].XAlign = text.XCenter
				l.TextStyle[i].YAlign = text.YCenter
			}
			f.draw(l)
		}
		f.Plot.NominalX(r.legendValues(px, xv)...)
		f.Plot.NominalY(r.legendValues(py, yv)...)
		f.Plot.X.Padding, f.Plot.Y.Padding = 0, 0
		f.Width = vg.Length(max(5, min(8, 1+0.8*float64(len(xv))))) * vg.Inch
		f.Height = vg.Length(max(3, min(8, 1.2+0.6*float64(len(yv))))) * vg.Inch
		f.Caption = fmt.Sprintf("Seed mean of %s for each pair of %s and %s, %s's other parameters at their best; brighter is higher, as the colour scale beside the map shows (goal: %s). Blank cells were not run.",
			r.Metric, px, py, r.bestText(best), r.Goal)
		out = append(out, f)
	}
	return out
}

func heatmap(g grid2, lo, hi float64) *plotter.HeatMap {
	h := plotter.NewHeatMap(g, ramp(viridis, 64))
	if hi <= lo {
		lo, hi = lo-0.5, hi+0.5
	}
	h.Min, h.Max = lo, hi
	h.NaN = color.Transparent
	return h
}

func textColorOver(pal rampPalette, v, lo, hi float64) color.Color {
	if !finite(v) {
		return color.Black
	}
	t := 0.5
	if hi > lo {
		t = (v - lo) / (hi - lo)
	}
	c := pal[min(len(pal)-1, max(0, int(t*float64(len(pal)-1))))]
	if luminance(c) < 0.45 {
		return color.White
	}
	return color.Black
}

func formatAll(vs []any) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = engine.FormatValue(v)
	}
	return out
}

// minBoxSeeds is the fewest seeds a configuration needs for a box: the
// quartiles of one or two values are the values themselves.
const minBoxSeeds = 3

// SeedSpread draws a box plot of the metric over seeds for the best few
// configurations (Options.Spread): each optimizer's best first, then the
// next best overall, with every seed marked beside its box; a
// configuration with fewer than minBoxSeeds seeds gets its points only.
func (r *Report) SeedSpread() *Figure {
	var picked []*stats.Config
	for _, c := range r.Best {
		if len(picked) < r.Options.Spread {
			picked = append(picked, c)
		}
	}
	for _, c := range r.Configs {
		if len(picked) >= r.Options.Spread || !c.Usable() {
			break
		}
		if !slices.Contains(picked, c) {
			picked = append(picked, c)
		}
	}
	slices.SortStableFunc(picked, func(a, b *stats.Config) int { return r.Rank(a) - r.Rank(b) })
	if len(picked) == 0 {
		return nil
	}
	f := newFigure("seed-spread", fmt.Sprintf("Spread of final %s over seeds (best %d configurations)", r.Metric, len(picked)),
		"configuration (rank)", metricAxis("final", r.Metric))
	names := make([]string, len(picked))
	boxed, unboxed := 0, 0
	for i, c := range picked {
		values := plotter.Values(c.MetricValues())
		ci := r.colorIndex(c)
		names[i] = r.configPlaceText(c)
		var thumb plot.Thumbnailer
		if len(values) >= minBoxSeeds {
			box, err := plotter.NewBoxPlot(vg.Points(18), float64(i), values)
			if err != nil {
				continue
			}
			box.FillColor = translucent(seriesColor(ci), 0x60)
			box.GlyphStyle.Radius = 0 // outliers are drawn with the seeds below
			f.draw(box)
			thumb = swatch{box.FillColor, color.Black}
			boxed++
		} else {
			unboxed++
		}
		seeds := make(plotter.XYs, len(values))
		for j, v := range values {
			// Spread the seeds sideways deterministically so equal values
			// stay visible.
			off := 0.0
			if len(values) > 1 {
				off = 0.3 * (float64(j)/float64(len(values)-1) - 0.5)
			}
			x := float64(i) + off
			if thumb != nil {
				x += 0.35 - off/2 // beside the box
			}
			seeds[j] = plotter.XY{X: x, Y: v}
		}
		if sc, err := plotter.NewScatter(seeds); err == nil {
			sc.GlyphStyle = glyphStyle(ci)
			sc.GlyphStyle.Radius = vg.Points(2)
			if thumb == nil {
				sc.GlyphStyle.Radius = vg.Points(3)
				thumb = sc
			}
			f.draw(sc)
		}
		f.add(r.configPlaceText(c)+" "+r.legendLabel(c), thumb)
	}
	f.Plot.NominalX(names...)
	f.Width = vg.Length(max(4.5, min(9, 1.5+0.75*float64(len(picked))))) * vg.Inch
	switch {
	case unboxed == 0:
		f.Caption = fmt.Sprintf("Final %s of each seed (points) and their quartiles (boxes; whiskers to the furthest seed within 1.5 IQR) for the best configurations by seed mean.", r.Metric)
	case boxed == 0:
		f.Caption = fmt.Sprintf("Final %s of each seed (points) for the best configurations by seed mean; with fewer than %d seeds a configuration has no quartiles to draw.", r.Metric, minBoxSeeds)
	default:
		f.Caption = fmt.Sprintf("Final %s of each seed (points) and their quartiles (boxes; whiskers to the furthest seed within 1.5 IQR) for the best configurations by seed mean; configurations with fewer than %d seeds are shown as points only.", r.Metric, minBoxSeeds)
	}
	f.Caption += r.placeCaption(true, slices.ContainsFunc(picked, r.Tied), "the table of every configuration")
	return f
}
