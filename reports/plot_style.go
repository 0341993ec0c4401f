package reports

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// okabeIto is the colour-blind-safe palette of Okabe and Ito (2008),
// "Color Universal Design", ordered so that the first colours contrast
// best on white; yellow and black come last.
var okabeIto = []color.NRGBA{
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0xF0, 0xE4, 0x42, 0xFF}, // yellow
	{0x00, 0x00, 0x00, 0xFF}, // black
}

// dashes tell series apart beyond the palette and in greyscale print.
var dashes = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(2), vg.Points(2)},
	{vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)},
}

// glyphs mark points of series, again distinct in shape as well as colour.
var glyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.TriangleGlyph{}, draw.SquareGlyph{}, draw.PyramidGlyph{},
	draw.RingGlyph{}, draw.BoxGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{},
}

func seriesColor(i int) color.NRGBA { return okabeIto[i%len(okabeIto)] }

func lineStyle(i int) draw.LineStyle {
	return draw.LineStyle{
		Color:  seriesColor(i),
		Width:  vg.Points(1.5),
		Dashes: dashes[(i/len(okabeIto))%len(dashes)],
	}
}

func glyphStyle(i int) draw.GlyphStyle {
	return draw.GlyphStyle{Color: seriesColor(i), Radius: vg.Points(2.5), Shape: glyphs[i%len(glyphs)]}
}

// translucent returns c with the given opacity, for bands.
func translucent(c color.NRGBA, alpha uint8) color.NRGBA {
	c.A = alpha
	return c
}

// viridis is the perceptually uniform, colour-blind-safe sequential map of
// matplotlib (van der Walt and Smith), sampled at nine stops.
var viridis = []color.NRGBA{
	{0x44, 0x01, 0x54, 0xFF}, {0x47, 0x2c, 0x7a, 0xFF}, {0x3b, 0x51, 0x8b, 0xFF},
	{0x2c, 0x71, 0x8e, 0xFF}, {0x21, 0x90, 0x8d, 0xFF}, {0x27, 0xad, 0x81, 0xFF},
	{0x5c, 0xc8, 0x63, 0xFF}, {0xaa, 0xdc, 0x32, 0xFF}, {0xfd, 0xe7, 0x25, 0xFF},
}

// rampPalette is a palette.Palette interpolated between stops.
type rampPalette []color.Color

func (p rampPalette) Colors() []color.Color { return p }

func ramp(stops []color.NRGBA, n int) rampPalette {
	out := make(rampPalette, n)
	for i := range out {
		t := float64(i) / float64(max(n-1, 1)) * float64(len(stops)-1)
		j := min(int(t), len(stops)-2)
		out[i] = lerp(stops[j], stops[j+1], t-float64(j))
	}
	return out
}

func lerp(a, b color.NRGBA, t float64) color.NRGBA {
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), mix(a.A, b.A)}
}

// luminance is the relative luminance of c, to pick a readable text colour
// over it.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}

// swatch is a legend thumbnail of a filled box, for plotters that have no
// thumbnail of their own (box plots).
type swatch struct{ fill, edge color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Min.X, Y: c.Max.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Min.Y},
	}
	c.FillPolygon(s.fill, c.ClipPolygonY(pts))
	c.StrokeLines(draw.LineStyle{Color: s.edge, Width: vg.Points(1)}, append(pts, pts[0]))
}
