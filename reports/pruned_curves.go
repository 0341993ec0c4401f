package reports

import (
	"cmp"
	"context"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

// maxPrunedCurves bounds the curves the pruned-curves figure draws: a
// Hyperband sweep has hundreds of trials, and beyond a few hundred faint
// lines the figure shows no more and its SVG only grows.
const maxPrunedCurves = 200

// PrunedCurves draws, for a sweep whose early stopping pruned trials, the
// per-epoch curve of the sweep's metric of every completed and pruned
// trial: pruned trials faint, completed ones solid, and the rungs, the
// epochs at which trials were pruned (the distinct Epochs of pruned
// trials), as dotted vertical lines. With more than maxPrunedCurves such
// trials it draws a deterministic sample (see prunedSelection), and the
// caption says how many of how many. The curves are loaded with one call to
// Input.Curves. It returns nil, and no error, when no trial was pruned,
// the metric has no per-epoch curve or no curves are available; a
// loader's failure costs only this figure, with a warning.
func (r *Report) PrunedCurves(ctx context.Context) (*Figure, error) {
	field := epochField(r.Metric)
	if r.Totals.Pruned == 0 || field == nil || r.Input.Curves == nil {
		return nil, nil
	}
	completed, pruned, rungs, total := r.prunedSelection()
	if len(pruned) == 0 {
		return nil, nil
	}
	picked := len(completed) + len(pruned)
	keys := make([]string, 0, len(completed)+len(pruned))
	for _, t := range append(append([]results.TrialRecord(nil), pruned...), completed...) {
		keys = append(keys, t.Key)
	}
	curves, err := r.Input.Curves(ctx, keys)
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		r.warn("learning curves of pruned trials left out: %v", err)
		return nil, nil
	}

	f := newFigure("pruned-curves", fmt.Sprintf("%s per epoch of completed and pruned trials", r.Metric),
		"epoch", metricAxis("", r.Metric))
	for _, m := range curveMetrics {
		if m.metric == r.Metric {
			f.Plot.Y.Label.Text = m.axis
		}
	}
	prunedColor, completedColor := seriesColor(3), seriesColor(4)
	faint := draw.LineStyle{Color: translucent(prunedColor, 0x50), Width: vg.Points(0.75)}
	// Completed curves stay a little translucent so that the pruned
	// curves they cross still show.
	solid := draw.LineStyle{Color: translucent(completedColor, 0xd0), Width: vg.Points(1)}

	// Rungs first, beneath the curves; then pruned curves beneath the
	// completed ones.
	rungStyle := draw.LineStyle{Color: color.Gray{Y: 90}, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(2), vg.Points(3)}}
	for _, e := range rungs {
		f.draw(verticalLine{x: float64(e), style: rungStyle})
	}
	drawn := map[bool]plot.Thumbnailer{}
	counts := map[bool]int{}
	for _, set := range []struct {
		trials []results.TrialRecord
		style  draw.LineStyle
		done   bool
	}{{pruned, faint, false}, {completed, solid, true}} {
		for _, t := range set.trials {
			line := epochLine(curves[t.Key], field, set.style)
			if len(line) == 0 {
				continue
			}
			for _, l := range line {
				f.draw(l)
			}
			drawn[set.done] = line[0]
			counts[set.done]++
		}
	}
	if counts[true]+counts[false] == 0 {
		r.warn("learning curves of pruned trials left out: no curve of %s was recorded", r.Metric)
		return nil, nil
	}
	if l, ok := drawn[true]; ok {
		f.add(fmt.Sprintf("completed (%d)", counts[true]), l)
	}
	if _, ok := drawn[false]; ok {
		f.add(fmt.Sprintf("pruned (%d)", counts[false]), thumbStyle{faint, prunedColor})
	}
	if len(rungs) > 0 {
		f.add("rung (epoch of pruning)", verticalLine{style: rungStyle})
	}

	f.Caption = fmt.Sprintf("The %s of each trial after every epoch: trials stopped early by the pruner are faint, "+
		"trials that trained their whole budget solid.", r.Metric)
	if len(rungs) > 0 {
		f.Caption += fmt.Sprintf(" Dotted vertical lines mark the rungs, the epochs at which trials were pruned (%s).", intList(rungs))
	}
	if picked < total {
		f.Caption += fmt.Sprintf(" %d of the %d trials are drawn (at most %d): %d completed and %d pruned, "+
			"each evenly spaced in proposal order.", picked, total, maxPrunedCurves, len(completed), len(pruned))
	}
	if n := counts[true] + counts[false]; n < picked {
		f.Caption += fmt.Sprintf(" %d trials have no recorded value of %s per epoch and are not drawn.", picked-n, r.Metric)
	}
	return f, nil
}

// prunedSelection returns the trials whose curves PrunedCurves draws, each
// in proposal order: at most maxPrunedCurves in all, completed trials
// taking no more than half of the cap when pruned trials would be left
// out, each kind evenly spaced when it is sampled; the rungs,
// the distinct epochs at which trials were pruned, ascending; and how many
// completed and pruned trials there are in all.
func (r *Report) prunedSelection() (completed, pruned []results.TrialRecord, rungs []int, total int) {
	seen := map[int]bool{}
	for _, t := range r.Input.Trials {
		switch t.Status {
		case train.Completed:
			completed = append(completed, t)
		case train.Pruned:
			pruned = append(pruned, t)
			if t.Epochs > 0 && !seen[t.Epochs] {
				seen[t.Epochs] = true
				rungs = append(rungs, t.Epochs)
			}
		}
	}
	slices.Sort(rungs)
	byProposal := func(a, b results.TrialRecord) int {
		// Trials outside the plan (position −1) go last, by key.
		pa, pb := a.Position, b.Position
		if pa < 0 {
			pa = math.MaxInt
		}
		if pb < 0 {
			pb = math.MaxInt
		}
		return cmp.Or(cmp.Compare(pa, pb), cmp.Compare(a.Key, b.Key))
	}
	slices.SortFunc(completed, byProposal)
	slices.SortFunc(pruned, byProposal)
	total = len(completed) + len(pruned)
	// Completed trials take what the pruned leave of the cap, but no more
	// than half of it while pruned trials are left out.
	keep := min(len(completed), max(maxPrunedCurves-len(pruned), maxPrunedCurves/2))
	completed = evenSample(completed, keep)
	pruned = evenSample(pruned, maxPrunedCurves-len(completed))
	return completed, pruned, rungs, total
}

// evenSample returns n of ts, evenly spaced and in their order; all of
// them when there are no more than n.
func evenSample[T any](ts []T, n int) []T {
	if n <= 0 {
		return nil
	}
	if len(ts) <= n {
		return ts
	}
	out := make([]T, n)
	for i := range out {
		out[i] = ts[i*len(ts)/n]
	}
	return out
}

// epochLine draws a trial's curve, x = epoch from 1, as one line per run
// of finite values (a NaN epoch, which did not define the metric, breaks
// the line).
func epochLine(eps []train.Epoch, field func(train.Epoch) float64, style draw.LineStyle) []*plotter.Line {
	var out []*plotter.Line
	var seg plotter.XYs
	flush := func() {
		if len(seg) > 0 {
			if l, err := plotter.NewLine(seg); err == nil {
				l.LineStyle = style
				out = append(out, l)
			}
		}
		seg = nil
	}
	for _, e := range eps {
		v := field(e)
		if !finite(v) {
			flush()
			continue
		}
		seg = append(seg, plotter.XY{X: float64(e.Epoch + 1), Y: v})
	}
	flush()
	return out
}

// verticalLine is a line across the data area at x.
type verticalLine struct {
	x     float64
	style draw.LineStyle
}

func (v verticalLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(v.x)
	c.StrokeLine2(v.style, x, c.Min.Y, x, c.Max.Y)
}

// DataRange makes the line's x part of the axis, and leaves y alone.
func (v verticalLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	return v.x, v.x, math.Inf(1), math.Inf(-1)
}

// Thumbnail is a vertical stroke in the legend.
func (v verticalLine) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(v.style, x, c.Min.Y, x, c.Max.Y)
}

// thumbStyle is a legend thumbnail of a horizontal line drawn more
// strongly than the faint lines it stands for, so that it stays visible.
type thumbStyle struct {
	style draw.LineStyle
	base  color.NRGBA
}

func (t thumbStyle) Thumbnail(c *draw.Canvas) {
	s := t.style
	s.Color = translucent(t.base, 0x90)
	s.Width = vg.Points(1.25)
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(s, c.Min.X, y, c.Max.X, y)
}

// maxListedRungs bounds the rungs a caption lists one by one: the median
// rule prunes at any epoch after its warm-up.
const maxListedRungs = 10

// intList formats epochs as "3, 9 and 27", or as a range when there are
// many.
func intList(vs []int) string {
	if len(vs) > maxListedRungs {
		return fmt.Sprintf("%d distinct epochs from %d to %d", len(vs), vs[0], vs[len(vs)-1])
	}
	s := ""
	for i, v := range vs {
		switch {
		case i == 0:
		case i == len(vs)-1:
			s += " and "
		default:
			s += ", "
		}
		s += fmt.Sprint(v)
	}
	return s
}
