package reports

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	_ "gonum.org/v1/plot/vg/vgimg" // registers png
	_ "gonum.org/v1/plot/vg/vgpdf" // registers pdf
	_ "gonum.org/v1/plot/vg/vgsvg" // registers svg
)

// Figure is a plot with its legend kept outside the data area, so that the
// legend never covers a line, and the names of its series for tests and
// captions.
type Figure struct {
	Name    string      // file-name stem, e.g. "curve-val_loss"
	Caption string      // one or two sentences saying what is shown
	Plot    *plot.Plot  // title, axes and data
	Legend  plot.Legend // drawn to the right of the plot
	Series  []string    // the legend's entries, in order
	Width   vg.Length   // of the plot, without the colour scale and legend
	Height  vg.Length

	// EqualAspect makes one unit of x as long on the page as one unit of
	// y, widening the range of one axis about its centre to fit the data
	// area; trajectories over contours need it for the shape of the
	// function to show.
	EqualAspect bool
	// ColorScale, when set, is drawn between the plot and the legend: the
	// key of a heatmap's colours.
	ColorScale *ColorScale

	drawn    []plot.Plotter // what draw added, for structural tests
	logFloor float64        // bottom of a log y axis: band edges below it are cut there
}

// ColorScale is the key of a heatmap: its palette spread from Min to Max.
type ColorScale struct {
	Palette  []color.Color
	Min, Max float64 // the data's range
	Label    string  // what the colours stand for
}

// Default figure size: wide enough for 300 epochs, short enough for a page.
const (
	figureWidth  = 6.5 * vg.Inch
	figureHeight = 4 * vg.Inch
)

// sans is the figures' typeface, embedded in gonum/plot: nothing is
// looked up on the system, so figures render the same everywhere.
func sans(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

func newFigure(name, title, xLabel, yLabel string) *Figure {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = sans(12)
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = sans(10)
		ax.Tick.Label.Font = sans(9)
	}
	p.Add(grid())
	l := plot.NewLegend()
	l.TextStyle.Font = sans(9)
	l.Top, l.Left = true, true
	l.ThumbnailWidth = vg.Points(24)
	l.Padding = vg.Points(4)
	return &Figure{Name: name, Plot: p, Legend: l, Width: figureWidth, Height: figureHeight}
}

// grid is a light grid: it makes values readable without competing with
// the data.
func grid() plot.Plotter {
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 225}
	g.Horizontal.Color = color.Gray{Y: 225}
	return g
}

// maxLegendText bounds legend entries, in characters, so that a long
// configuration name cannot squeeze the plot.
const maxLegendText = 48

// draw adds plotters to the plot and remembers them.
func (f *Figure) draw(ps ...plot.Plotter) {
	f.Plot.Add(ps...)
	f.drawn = append(f.drawn, ps...)
}

// add adds a legend entry.
func (f *Figure) add(name string, thumbs ...plot.Thumbnailer) {
	name = truncate(oneLine(name), maxLegendText)
	f.Legend.Add(name, thumbs...)
	f.Series = append(f.Series, name)
}

func (f *Figure) titleHeight() vg.Length {
	if f.Plot.Title.Text == "" {
		return 0
	}
	return f.Plot.Title.TextStyle.Rectangle(f.Plot.Title.Text).Size().Y + f.Plot.Title.Padding
}

// Formats of figures.
const (
	PNG = "png"
	SVG = "svg"
	PDF = "pdf"
)

// FigureFormats are the formats Render writes.
var FigureFormats = []string{SVG, PDF, PNG}

// legendGap separates the plot from its legend.
const legendGap = vg.Length(8) // points

// colorScaleWidth is the room of a colour scale: its bar, tick labels and
// axis label.
const colorScaleWidth = 1.1 * vg.Inch

// Render draws the figure as SVG, PDF or PNG to w.
func (f *Figure) Render(w io.Writer, format string) (err error) {
	format = strings.ToLower(format)
	if !slices.Contains(FigureFormats, format) {
		return fmt.Errorf("%w: figure format %q (valid: svg, pdf, png)", ErrOption, format)
	}
	// gonum/plot panics on some degenerate data (a log axis over
	// non-positive values, an empty contour range). Data is cleaned
	// before it gets here; this is the last line of the no-panic promise.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("reports: draw figure %s: %v", f.Name, p)
		}
	}()
	// The title is wrapped to the plot's width for drawing only: gonum
	// centres one line over the plot, and a longer one starts left of the
	// page.
	title := f.Plot.Title.Text
	f.Plot.Title.Text = wrapTitle(f.Plot.Title.TextStyle, title, f.Width-2*legendGap)
	defer func() { f.Plot.Title.Text = title }()
	width, height := f.size()
	c, err := draw.NewFormattedCanvas(width, height, format)
	if err != nil {
		return fmt.Errorf("reports: figure %s: %w", f.Name, err)
	}
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	pc := draw.Crop(dc, 0, f.Width-width, 0, 0)
	if f.EqualAspect {
		fitEqualAspect(f.Plot, pc)
	}
	f.Plot.Draw(pc)
	right := f.Width
	if f.ColorScale != nil {
		f.ColorScale.draw(dc, f.Plot.DataCanvas(pc), right+legendGap)
		right += colorScaleWidth
	}
	if len(f.Series) > 0 {
		f.Legend.Draw(draw.Crop(dc, right+legendGap, -legendGap, 0, -f.titleHeight()))
	}
	if format == SVG {
		// gonum's SVG canvas places raster images (the rasterized heatmap
		// of a decision boundary) with the default preserveAspectRatio,
		// which letterboxes them inside the data area; stretch them to
		// the rectangle they were drawn for, as the PNG canvas does.
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return fmt.Errorf("reports: write figure %s: %w", f.Name, err)
		}
		svg := bytes.ReplaceAll(buf.Bytes(), []byte("<image "), []byte(`<image preserveAspectRatio="none" `))
		if _, err := w.Write(svg); err != nil {
			return fmt.Errorf("reports: write figure %s: %w", f.Name, err)
		}
		return nil
	}
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("reports: write figure %s: %w", f.Name, err)
	}
	return nil
}

// size is the canvas the figure is drawn on: the plot, then its colour
// scale and legend to the right; tall enough for the legend.
func (f *Figure) size() (width, height vg.Length) {
	width, height = f.Width, f.Height
	if f.ColorScale != nil {
		width += colorScaleWidth
	}
	if len(f.Series) > 0 {
		// The legend's size depends only on its fonts and entries, not on
		// the canvas it is measured against.
		size := f.Legend.Rectangle(draw.Canvas{}).Size()
		width += size.X + 2*legendGap
		height = max(height, size.Y+2*legendGap+f.titleHeight())
	}
	return width, height
}

// SaveFigure writes f to path, as SVG, PDF or PNG by the path's extension. It
// writes a temporary file beside path and renames it, so a failure leaves
// no partial file.
func SaveFigure(ctx context.Context, path string, f *Figure) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := f.Render(&buf, strings.TrimPrefix(filepath.Ext(path), ".")); err != nil {
		return err
	}
	return writeFileAtomic(path, buf.Bytes())
}

// writeFileAtomic writes data to a temporary file in path's directory and
// renames it over path.
func writeFileAtomic(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("reports: write %s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("reports: write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("reports: write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("reports: write %s: %w", path, err)
	}
	return nil
}
