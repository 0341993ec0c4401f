package reports

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	_ "gonum.org/v1/plot/vg/vgimg" // registers png
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
	Width   vg.Length   // of the plot, without the legend
	Height  vg.Length
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
)

// legendGap separates the plot from its legend.
const legendGap = vg.Length(8) // points

// Render draws the figure as PNG or SVG to w.
func (f *Figure) Render(w io.Writer, format string) (err error) {
	format = strings.ToLower(format)
	if format != PNG && format != SVG {
		return fmt.Errorf("%w: figure format %q (valid: png, svg)", ErrOption, format)
	}
	// gonum/plot panics on some degenerate data (a log axis over
	// non-positive values, an empty contour range). Data is cleaned
	// before it gets here; this is the last line of the no-panic promise.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("reports: draw figure %s: %v", f.Name, p)
		}
	}()
	legendWidth, height := vg.Length(0), f.Height
	if len(f.Series) > 0 {
		// The legend's size depends only on its fonts and entries, not on
		// the canvas it is measured against.
		size := f.Legend.Rectangle(draw.Canvas{}).Size()
		legendWidth = size.X + 2*legendGap
		height = max(height, size.Y+2*legendGap+f.titleHeight())
	}
	c, err := draw.NewFormattedCanvas(f.Width+legendWidth, height, format)
	if err != nil {
		return fmt.Errorf("reports: figure %s: %w", f.Name, err)
	}
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	f.Plot.Draw(draw.Crop(dc, 0, -legendWidth, 0, 0))
	if len(f.Series) > 0 {
		f.Legend.Draw(draw.Crop(dc, f.Width+legendGap, -legendGap, 0, -f.titleHeight()))
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

// SaveFigure writes f to path, as PNG or SVG by the path's extension. It
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
