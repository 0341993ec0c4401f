package reports

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

func TestParamScatters(t *testing.T) {
	r, err := Analyze(context.Background(), searchInput(60), Options{})
	if err != nil {
		t.Fatal(err)
	}
	figs, err := r.Figures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range figs {
		if strings.HasPrefix(f.Name, "param-") || f.Name == "parallel-coordinates" {
			names = append(names, f.Name)
		}
	}
	want := []string{"param-activation", "param-beta1", "param-lr", "parallel-coordinates"}
	if !slices.Equal(names, want) {
		t.Fatalf("search figures %v, want %v", names, want)
	}
	for _, tc := range []struct {
		name, x string
		logX    bool
		ticks   []string // nominal x ticks of a categorical parameter
	}{
		{"param-lr", "lr (log scale)", true, nil},
		{"param-beta1", "beta1", false, nil},
		{"param-activation", "activation", false, []string{"relu", "tanh"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := figureByName(figs, tc.name)
			if f.Plot.X.Label.Text != tc.x || f.Plot.Y.Label.Text != "final val_accuracy (fraction correct)" {
				t.Errorf("x %q, y %q", f.Plot.X.Label.Text, f.Plot.Y.Label.Text)
			}
			if _, isLog := f.Plot.X.Scale.(plot.LogScale); isLog != tc.logX {
				t.Errorf("log x = %v, want %v", isLog, tc.logX)
			}
			if !slices.Equal(f.Series, []string{"adam"}) {
				t.Errorf("series %q", f.Series)
			}
			// Every configuration with a value is a point: 60 less the 6 that diverged.
			points := 0
			for _, p := range f.drawn {
				if sc, ok := p.(*plotter.Scatter); ok {
					points += len(sc.XYs)
				}
			}
			if points != 54 {
				t.Errorf("%d points, want 54", points)
			}
			var ticks []string
			for _, tk := range f.Plot.X.Tick.Marker.Ticks(f.Plot.X.Min, f.Plot.X.Max) {
				if tk.Label != "" {
					ticks = append(ticks, tk.Label)
				}
			}
			if tc.ticks != nil && !slices.Equal(ticks, tc.ticks) {
				t.Errorf("ticks %q, want %q", ticks, tc.ticks)
			}
			if f.Caption == "" {
				t.Error("no caption")
			}
		})
	}
}

func TestParallelCoordinates(t *testing.T) {
	for _, tc := range []struct {
		name    string
		configs int
		lines   int
		capped  bool
	}{
		{"all", 60, 54, false},
		{"capped", 600, parallelMaxLines, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Analyze(context.Background(), searchInput(tc.configs), Options{})
			if err != nil {
				t.Fatal(err)
			}
			f := r.ParallelCoordinates()
			if f == nil {
				t.Fatal("no figure")
			}
			var ticks []string
			for _, tk := range f.Plot.X.Tick.Marker.Ticks(f.Plot.X.Min, f.Plot.X.Max) {
				ticks = append(ticks, tk.Label)
			}
			if want := []string{"activation", "beta1", "lr (log)", "val_accuracy"}; !slices.Equal(ticks, want) {
				t.Errorf("axes %q, want %q", ticks, want)
			}
			// One line per configuration across all four axes (none
			// breaks: every configuration has every parameter), after
			// the four axes themselves.
			lines := 0
			for _, p := range f.drawn {
				if l, ok := p.(*plotter.Line); ok && len(l.XYs) == 4 {
					lines++
					for _, xy := range l.XYs {
						if xy.Y < 0 || xy.Y > 1 {
							t.Fatalf("point %v off the normalized axes", xy)
						}
					}
				}
			}
			if lines != tc.lines {
				t.Errorf("%d lines, want %d", lines, tc.lines)
			}
			if f.ColorScale == nil || f.ColorScale.Min >= f.ColorScale.Max {
				t.Errorf("colour scale %+v", f.ColorScale)
			}
			if got := strings.Contains(f.Caption, "are shown"); got != tc.capped {
				t.Errorf("caption says capped = %v, want %v: %s", got, tc.capped, f.Caption)
			}
			// The best line is drawn last, on top, in the brightest colour.
			var last *plotter.Line
			for _, p := range f.drawn {
				if l, ok := p.(*plotter.Line); ok && len(l.XYs) == 4 {
					last = l
				}
			}
			if last.XYs[3].Y != 1 {
				t.Errorf("last line ends at %v on the metric axis, want the best (1)", last.XYs[3].Y)
			}
		})
	}
}

// TestSearchFiguresRender draws the search figures in every format; with
// OPTBENCH_FIGURES=DIR it leaves them there to look at.
func TestSearchFiguresRender(t *testing.T) {
	r, err := Analyze(context.Background(), searchInput(60), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("OPTBENCH_FIGURES")
	for _, f := range r.searchFigures() {
		for _, format := range FigureFormats {
			var b bytes.Buffer
			if err := f.Render(&b, format); err != nil {
				t.Fatalf("%s.%s: %v", f.Name, format, err)
			}
			if b.Len() == 0 {
				t.Fatalf("%s.%s is empty", f.Name, format)
			}
			if dir != "" {
				if err := os.WriteFile(filepath.Join(dir, f.Name+"."+format), b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
