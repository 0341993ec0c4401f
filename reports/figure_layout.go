package reports

import (
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// wrapTitle breaks s at spaces into lines no wider than width in style,
// so that a centred title stays on the page, balancing the lines' lengths
// so that no word is left alone on the last. A single word wider than
// width keeps its own line.
func wrapTitle(style text.Style, s string, width vg.Length) string {
	total := style.Width(s)
	if s == "" || total <= width {
		return s
	}
	lines := int(math.Ceil(float64(total / width)))
	if out := greedyWrap(style, s, min(width, total/vg.Length(lines)*1.1)); strings.Count(out, "\n") < lines {
		return out
	}
	return greedyWrap(style, s, width)
}

// greedyWrap fills each line with as many words as fit in width.
func greedyWrap(style text.Style, s string, width vg.Length) string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch try := line + " " + word; {
		case line == "":
			line = word
		case style.Width(try) <= width:
			line = try
		default:
			lines = append(lines, line)
			line = word
		}
	}
	lines = append(lines, line)
	return strings.Join(lines, "\n")
}

// fitEqualAspect widens the range of one of p's axes about its centre so
// that a unit of x and a unit of y are equally long on c's data area.
// Tick labels change with the range, and the data area with them, so it
// repeats until the scales agree.
func fitEqualAspect(p *plot.Plot, c draw.Canvas) {
	for range 4 {
		da := p.DataCanvas(c)
		w, h := float64(da.Max.X-da.Min.X), float64(da.Max.Y-da.Min.Y)
		dx, dy := p.X.Max-p.X.Min, p.Y.Max-p.Y.Min
		if !(w > 0 && h > 0 && dx > 0 && dy > 0) {
			return
		}
		sx, sy := dx/w, dy/h // data units per point
		if math.Abs(sx-sy) <= 1e-9*max(sx, sy) {
			return
		}
		if sx < sy {
			mid, half := (p.X.Min+p.X.Max)/2, sy*w/2
			p.X.Min, p.X.Max = mid-half, mid+half
		} else {
			mid, half := (p.Y.Min+p.Y.Max)/2, sx*h/2
			p.Y.Min, p.Y.Max = mid-half, mid+half
		}
	}
}

// scaleOf returns the data units per point of p's axes drawn on c, for
// tests of the aspect ratio.
func scaleOf(p *plot.Plot, c draw.Canvas) (sx, sy float64) {
	da := p.DataCanvas(c)
	return (p.X.Max - p.X.Min) / float64(da.Max.X-da.Min.X), (p.Y.Max - p.Y.Min) / float64(da.Max.Y-da.Min.Y)
}

// colorScaleSteps is the number of colours in a colour scale's bar.
const colorScaleSteps = 64

// draw draws the scale as a vertical bar at x, level with the data area
// da of the plot it is the key to, its ticks labelled in the metric's
// units.
func (s *ColorScale) draw(dc draw.Canvas, da draw.Canvas, x vg.Length) {
	lo, hi := s.Min, s.Max
	if hi <= lo {
		lo, hi = lo-0.5, hi+0.5
	}
	// Two columns of cells whose centres sit so that their edges span
	// exactly [lo, hi].
	g := grid2{xs: []float64{0, 1}, ys: make([]float64, colorScaleSteps), z: make([]float64, 2*colorScaleSteps)}
	for i := range g.ys {
		g.ys[i] = lo + (float64(i)+0.5)*(hi-lo)/colorScaleSteps
		g.z[2*i], g.z[2*i+1] = g.ys[i], g.ys[i]
	}
	h := plotter.NewHeatMap(g, rampPalette(s.Palette))
	h.Min, h.Max = lo, hi
	p := plot.New()
	p.Add(h)
	p.HideX()
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Min, p.X.Max = -0.5, 1.5
	p.Y.Min, p.Y.Max = lo, hi
	p.Y.Label.Text = s.Label
	p.Y.Label.TextStyle.Font = sans(9)
	p.Y.Tick.Label.Font = sans(8)
	p.Y.Tick.Marker = scaleTicks{}
	c := draw.Crop(dc, 0, 0, 0, 0)
	c.Min.X, c.Max.X = x, x+colorScaleWidth-2*legendGap
	c.Min.Y, c.Max.Y = da.Min.Y, da.Max.Y
	p.Draw(c)
}

// scaleTicks are gonum's default ticks, with the data's ends labelled so
// that the scale shows the range of the data.
type scaleTicks struct{}

func (scaleTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	out := []plot.Tick{{Value: lo, Label: fmtMetric(lo)}}
	span := hi - lo
	for _, t := range ticks {
		if t.Label == "" || math.Abs(t.Value-lo) < 0.08*span || math.Abs(t.Value-hi) < 0.08*span {
			continue
		}
		out = append(out, plot.Tick{Value: t.Value, Label: fmtMetric(t.Value)})
	}
	return append(out, plot.Tick{Value: hi, Label: fmtMetric(hi)})
}

// logDecades is how many decades a curve's values must span for its y
// axis to be logarithmic: on a linear axis, everything after the first
// drop of a loss that spans more reads as zero.
const logDecades = 2

// logCaption says so in a caption.
const logCaption = " The y axis is logarithmic: the values span more than two decades; band edges below its bottom are cut there."

// logYIfWide makes f's y axis logarithmic when the finite values are all
// positive and span more than logDecades decades, and reports whether it
// did. The bottom of the axis is a tenth of the smallest value, where
// band edges that would go below it (or below zero) are cut.
func (f *Figure) logYIfWide(values []float64) bool {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if !finite(v) {
			continue
		}
		if v <= 0 {
			return false
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	if !finite(lo, hi) || hi/lo <= math.Pow10(logDecades) {
		return false
	}
	f.Plot.Y.Scale = plot.LogScale{}
	f.Plot.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	f.logFloor = lo / 10
	return true
}
