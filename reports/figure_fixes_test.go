package reports

import (
	"bytes"
	"context"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

// Structural tests of the figure complaints of issue 14, each built to
// reproduce the complaint first.

func figuresOf(t *testing.T, in Input, opt Options) []*Figure {
	t.Helper()
	r, err := Analyze(context.Background(), in, opt)
	if err != nil {
		t.Fatal(err)
	}
	figs, err := r.Figures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return figs
}

func mustFigure(t *testing.T, figs []*Figure, name string) *Figure {
	t.Helper()
	f := figureByName(figs, name)
	if f == nil {
		t.Fatalf("no figure %s", name)
	}
	return f
}

var svgText = regexp.MustCompile(`<text x="([-0-9.e]+)"[^>]*font-size:12px"\s*>([^<]*)</text>`)

// TestTitleNotClipped: with --band ci --smooth 0.9 the title of the
// validation-accuracy curves started at x = −6.97 ("alidation accuracy").
func TestTitleNotClipped(t *testing.T) {
	figs := figuresOf(t, demoInput(), Options{Smoothing: 0.9, Band: BandCI})
	for _, f := range figs {
		var buf bytes.Buffer
		if err := f.Render(&buf, SVG); err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, m := range svgText.FindAllStringSubmatch(buf.String(), -1) {
			x, _ := strconv.ParseFloat(m[1], 64)
			if x < 0 {
				t.Errorf("%s: title line %q starts at x = %v", f.Name, m[2], x)
			}
			lines = append(lines, m[2])
		}
		if got := strings.Join(lines, " "); got != f.Plot.Title.Text {
			t.Errorf("%s: title drawn %q, want %q", f.Name, got, f.Plot.Title.Text)
		}
	}
}

// TestLogYAcrossDecades: a loss falling across 9 decades was drawn on a
// linear axis.
func TestLogYAcrossDecades(t *testing.T) {
	in := demoInput()
	in.Curves = func(ctx context.Context, keys []string) (map[string][]train.Epoch, error) {
		out := map[string][]train.Epoch{}
		for _, k := range keys {
			eps := syntheticCurve(0.9, 20, 0)
			for i := range eps {
				eps[i].Values[metric.TrainLoss] = math.Pow(10, -9*float64(i)/19)
			}
			out[k] = eps
		}
		return out, nil
	}
	figs := figuresOf(t, in, Options{})
	if _, ok := mustFigure(t, figs, "curve-train_loss").Plot.Y.Scale.(plot.LogScale); !ok {
		t.Error("train loss across 9 decades on a linear axis")
	}
	if _, ok := mustFigure(t, figs, "curve-val_accuracy").Plot.Y.Scale.(plot.LogScale); ok {
		t.Error("accuracy within one decade on a log axis")
	}
	var buf bytes.Buffer
	if err := mustFigure(t, figs, "curve-train_loss").Render(&buf, PNG); err != nil {
		t.Fatal(err)
	}
}

// TestTrajectoryEqualAspect: x −2..2, y −10..10 drew the ill-conditioned
// quadratic round; a unit of x must be as long as a unit of y.
func TestTrajectoryEqualAspect(t *testing.T) {
	in := rosenbrockInput(30)
	in.Surface = func(string) (*Surface, error) {
		return &Surface{Name: "ill-conditioned quadratic", Value: func(x, y float64) float64 { return 10*x*x + y*y/10 },
			XMin: -2, XMax: 2, YMin: -10, YMax: 10}, nil
	}
	f := mustFigure(t, figuresOf(t, in, Options{}), "trajectories-rosenbrock")
	var buf bytes.Buffer
	if err := f.Render(&buf, SVG); err != nil {
		t.Fatal(err)
	}
	width, height := f.size()
	c := draw.Crop(draw.NewCanvas(nil, width, height), 0, f.Width-width, 0, 0)
	f.Plot.Title.Text = wrapTitle(f.Plot.Title.TextStyle, f.Plot.Title.Text, f.Width-2*legendGap)
	sx, sy := scaleOf(f.Plot, c)
	if math.Abs(sx-sy) > 1e-6*sx {
		t.Errorf("x %v and y %v data units per point", sx, sy)
	}
	if f.Plot.Y.Min > -10 || f.Plot.Y.Max < 10 || f.Plot.X.Min > -2 || f.Plot.X.Max < 2 {
		t.Errorf("region x [%v, %v] y [%v, %v] leaves out the surface's", f.Plot.X.Min, f.Plot.X.Max, f.Plot.Y.Min, f.Plot.Y.Max)
	}
}

// TestHeatmapColorScale: the heatmap had no colour scale.
func TestHeatmapColorScale(t *testing.T) {
	f := mustFigure(t, figuresOf(t, demoInput(), Options{}), "heatmap-beta1-beta2-adam")
	if f.ColorScale == nil {
		t.Fatal("no colour scale")
	}
	var h *plotter.HeatMap
	for _, p := range f.drawn {
		if hm, ok := p.(*plotter.HeatMap); ok {
			h = hm
		}
	}
	if h == nil || f.ColorScale.Min != h.Min || f.ColorScale.Max != h.Max || !(f.ColorScale.Min < f.ColorScale.Max) {
		t.Errorf("colour scale [%v, %v], heatmap %+v", f.ColorScale.Min, f.ColorScale.Max, h)
	}
	var buf bytes.Buffer
	if err := f.Render(&buf, SVG); err != nil {
		t.Fatal(err)
	}
	for _, v := range []float64{f.ColorScale.Min, f.ColorScale.Max} {
		if !strings.Contains(buf.String(), ">"+fmtMetric(v)+"</text>") {
			t.Errorf("scale end %s not labelled", fmtMetric(v))
		}
	}
}

func fewSeedsInput(seeds int) Input {
	trials := buildTrials("demo", demoConfigs()[:8], seeds) // adam only
	in := demoInput()
	in.Trials, in.Curves = trials, curvesFor(trials, 20)
	return in
}

// TestNoBoxesBelowThreeSeeds: box plots were drawn over one or two seeds.
func TestNoBoxesBelowThreeSeeds(t *testing.T) {
	for _, seeds := range []int{1, 2, 3} {
		f := mustFigure(t, figuresOf(t, fewSeedsInput(seeds), Options{}), "seed-spread")
		boxes := 0
		for _, p := range f.drawn {
			if _, ok := p.(*plotter.BoxPlot); ok {
				boxes++
			}
		}
		if want := map[bool]int{true: len(f.Series), false: 0}[seeds >= 3]; boxes != want {
			t.Errorf("%d seeds: %d boxes, want %d", seeds, boxes, want)
		}
	}
}

// TestOneSeedNoBand: "±1 sd" bands and captions were shown with one seed.
func TestOneSeedNoBand(t *testing.T) {
	figs := figuresOf(t, fewSeedsInput(1), Options{})
	for _, f := range figs {
		if strings.Contains(f.Plot.Title.Text, "sd") || strings.Contains(f.Caption, "sd") || strings.Contains(f.Plot.Title.Text, "band") {
			t.Errorf("%s: %q / %q", f.Name, f.Plot.Title.Text, f.Caption)
		}
		for _, p := range f.drawn {
			if _, ok := p.(*plotter.Polygon); ok {
				t.Errorf("%s: a band drawn over one seed", f.Name)
			}
		}
	}
	if f := mustFigure(t, figs, "curve-val_accuracy"); !strings.Contains(f.Plot.Title.Text, "one seed") {
		t.Errorf("title %q does not say one seed", f.Plot.Title.Text)
	}
}

// TestFullBatchAtTrainingSize: full batch was drawn as bs=0 (or left out).
func TestFullBatchAtTrainingSize(t *testing.T) {
	var cfgs []fixtureConfig
	for _, bs := range []float64{32, 64, 0} {
		cfgs = append(cfgs, fixtureConfig{"gd", engine.Params{"optimizer": "gd", "lr": 0.1, "batch_size": bs}, 0.9 - bs/1000, nil})
	}
	trials := buildTrials("bs", cfgs, 3)
	for i := range trials {
		if trials[i].Params["batch_size"] == 0.0 {
			trials[i].WallSeconds = 1 // the fixture's wall time is built from the batch size
		}
	}
	in := Input{Sweep: demoSweep(), Trials: trials, Curves: curvesFor(trials, 20),
		TrainSize: func(string, engine.Params) (int, error) { return 800, nil }}
	figs := figuresOf(t, in, Options{})
	f := mustFigure(t, figs, "batchsize-metric")
	var xs []float64
	for _, p := range f.drawn {
		if l, ok := p.(*plotter.Line); ok {
			for _, xy := range l.XYs {
				xs = append(xs, xy.X)
			}
		}
	}
	if !slices.Contains(xs, 800) || slices.Contains(xs, 0) {
		t.Errorf("batch sizes drawn %v, want the full batch at 800", xs)
	}
	ticks := f.Plot.X.Tick.Marker.Ticks(32, 800)
	if !slices.ContainsFunc(ticks, func(tk plot.Tick) bool { return tk.Value == 800 && tk.Label == "full" }) {
		t.Errorf("ticks %v: no full at 800", ticks)
	}
	for _, f := range figs {
		for _, s := range f.Series {
			if strings.Contains(s, "bs=0") {
				t.Errorf("%s: legend %q", f.Name, s)
			}
		}
	}
	// The text tables say "full" too (they said bs=0 and value 0); JSON
	// keeps the stored 0.
	r, err := Analyze(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tables, err := r.Tables()
	if err != nil {
		t.Fatal(err)
	}
	var text, js bytes.Buffer
	for _, tab := range tables {
		if err := tab.WriteText(&text, 200); err != nil {
			t.Fatal(err)
		}
		if err := tab.WriteJSON(&js); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(text.String(), "│ gd        │ bs=full    │") || !strings.Contains(text.String(), "│ full * │") ||
		strings.Contains(text.String(), "bs=0") || strings.Contains(text.String(), "│    0 │") {
		t.Errorf("tables do not show the full batch as full:\n%s", text.String())
	}
	if !strings.Contains(js.String(), `"batch_size": 0`) && !strings.Contains(js.String(), `"value": 0`) {
		t.Errorf("JSON lost the stored batch size 0:\n%s", js.String())
	}
}

// TestLegendNumberFormat: legends printed β1 to 16 digits and lr to 5.
func TestLegendNumberFormat(t *testing.T) {
	var cfgs []fixtureConfig
	for i, b1 := range []float64{0.1 * 9 * (1 - 1e-16), 0.95} {
		for _, lr := range []float64{0.0039810717055349725, 0.0039813} {
			cfgs = append(cfgs, fixtureConfig{"adam", engine.Params{"optimizer": "adam", "lr": lr, "batch_size": 64.0, "beta1": b1},
				0.9 - float64(i)/10 - lr, nil})
		}
	}
	trials := buildTrials("fmt", cfgs, 3)
	r, err := Analyze(context.Background(), Input{Sweep: demoSweep(), Trials: trials}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range r.Configs {
		got = append(got, r.legendLabel(c))
	}
	slices.Sort(got)
	// Both learning rates read 0.003981 at four digits, so lr takes
	// five; β1 keeps four and reads 0.9.
	want := []string{"adam lr=0.0039811 β1=0.9", "adam lr=0.0039811 β1=0.95", "adam lr=0.0039813 β1=0.9", "adam lr=0.0039813 β1=0.95"}
	if !slices.Equal(got, want) {
		t.Errorf("legends %q\nwant %q", got, want)
	}
}
