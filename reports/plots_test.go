package reports

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

func figureByName(figs []*Figure, name string) *Figure {
	for _, f := range figs {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func TestFigureStructure(t *testing.T) {
	in := demoInput()
	in.Boundary = moonsBoundary
	r, err := Analyze(context.Background(), in, Options{Smoothing: 0.6, Band: BandCI})
	if err != nil {
		t.Fatal(err)
	}
	figs, err := r.Figures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range figs {
		names = append(names, f.Name)
	}
	want := []string{"curve-train_loss", "curve-val_loss", "curve-train_accuracy", "curve-val_accuracy", "history",
		"sensitivity-lr", "batchsize-metric", "batchsize-wall", "heatmap-beta1-beta2-adam", "seed-spread", "decision-boundary"}
	if !slices.Equal(names, want) {
		t.Fatalf("figures %v\nwant %v", names, want)
	}
	// Not bs=32: 1 of its 3 seeds survived. Each led by its place on
	// the leaderboard, where sgd is marked tied with adam.
	best := []string{"#1 adam lr=0.01 bs=64 β1=0.9 β2=0.999", "#~1 sgd lr=1 bs=64"}
	for _, tc := range []struct {
		name, title, x, y string
		series            []string
		logX              bool
	}{
		{"curve-val_accuracy", "Validation accuracy per epoch (seed mean, band: 95% confidence interval, EWMA β = 0.6)",
			"epoch", "validation accuracy (fraction correct)", best, false},
		{"curve-train_loss", "Training loss per epoch (seed mean, band: 95% confidence interval, EWMA β = 0.6)",
			"epoch", "training loss (mean over the epoch's batches)", best, false},
		{"history", "Optimization history: best val_accuracy so far (maximize)", "trial index (order proposed by the search, 1 = first)",
			"val_accuracy (fraction correct)", []string{"configuration (seed mean)", "best so far"}, false},
		{"sensitivity-lr", "Final val_accuracy vs learning rate (seed mean, band: 95% confidence interval)",
			"learning rate α (log scale)", "final val_accuracy (fraction correct)", []string{"#1 adam", "#~1 sgd"}, true},
		{"batchsize-metric", "Final val_accuracy vs batch size (seed mean, band: 95% confidence interval)",
			"batch size (examples per update, log₂ scale)", "final val_accuracy (fraction correct)", []string{"#~1 sgd"}, true},
		{"batchsize-wall", "Wall time vs batch size (seed mean, band: 95% confidence interval)",
			"batch size (examples per update, log₂ scale)", "wall time per trial (s)", []string{"#~1 sgd"}, true},
		{"heatmap-beta1-beta2-adam", "val_accuracy over beta1 × beta2 (adam, seed mean)", "beta1", "beta2", nil, false},
		{"decision-boundary", "Decision boundary of the best trial", "x₁", "x₂", []string{"p = 0.5", "class 0", "class 1"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := figureByName(figs, tc.name)
			p := f.Plot
			if p.Title.Text != tc.title || p.X.Label.Text != tc.x || p.Y.Label.Text != tc.y {
				t.Errorf("title %q, x %q, y %q\nwant %q, %q, %q", p.Title.Text, p.X.Label.Text, p.Y.Label.Text, tc.title, tc.x, tc.y)
			}
			if !slices.Equal(f.Series, tc.series) {
				t.Errorf("series %q, want %q", f.Series, tc.series)
			}
			if _, isLog := p.X.Scale.(plot.LogScale); isLog != tc.logX {
				t.Errorf("log x axis = %v, want %v", isLog, tc.logX)
			}
			if f.Caption == "" {
				t.Error("no caption")
			}
		})
	}
	spread := figureByName(figs, "seed-spread")
	if len(spread.Series) != defaultSpread || !strings.HasPrefix(spread.Series[0], "#1 adam") {
		t.Errorf("seed spread series %q", spread.Series)
	}
}

// TestAdaptiveFigures: a pruned adaptive sweep gains the optimization
// history, its one swept parameter against the metric (no parallel
// coordinates for one parameter) and the pruned trials' curves, after the
// learning curves.
func TestAdaptiveFigures(t *testing.T) {
	r, err := Analyze(context.Background(), adaptiveInput(90, 27, halvingStops), Options{})
	if err != nil {
		t.Fatal(err)
	}
	figs, err := r.Figures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range figs {
		names = append(names, f.Name)
	}
	want := []string{"curve-train_loss", "curve-val_loss", "curve-train_accuracy", "curve-val_accuracy", "history",
		"param-lr", "pruned-curves", "sensitivity-lr", "seed-spread"}
	if !slices.Equal(names, want) {
		t.Fatalf("figures %v\nwant %v", names, want)
	}
}

func TestTrajectories(t *testing.T) {
	r, err := Analyze(context.Background(), rosenbrockInput(40), Options{})
	if err != nil {
		t.Fatal(err)
	}
	figs, err := r.Figures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f := figureByName(figs, "trajectories-rosenbrock")
	if f == nil {
		t.Fatal("no trajectory figure")
	}
	if want := []string{"#1 adam lr=0.001", "#2 momentum lr=0.001", "#3 gd lr=0.001", "minimum"}; !slices.Equal(f.Series, want) {
		t.Errorf("series %q, want %q", f.Series, want)
	}
	// Equal scales widen one axis about its centre; the surface's region
	// stays inside.
	if f.Plot.X.Min > -2 || f.Plot.X.Max < 2 || f.Plot.Y.Min > -1 || f.Plot.Y.Max < 3 {
		t.Errorf("bounds x [%v, %v] y [%v, %v], want the surface's within", f.Plot.X.Min, f.Plot.X.Max, f.Plot.Y.Min, f.Plot.Y.Max)
	}
	curve := figureByName(figs, "curve-train_loss")
	if curve == nil || curve.Plot.X.Label.Text != "step (0 = start)" || curve.Plot.Y.Label.Text != "f(x, y)" {
		t.Errorf("function-value curve: %+v", curve)
	}
}

func TestRenderFormats(t *testing.T) {
	in := rosenbrockInput(30)
	in.Boundary = moonsBoundary
	r, err := Analyze(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	figs, err := r.Figures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range figs {
		for _, ext := range []string{"png", "svg"} {
			path := filepath.Join(dir, f.Name+"."+ext)
			if err := SaveFigure(context.Background(), path, f); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if ext == "png" && !bytes.HasPrefix(b, []byte("\x89PNG")) || ext == "svg" && !bytes.Contains(b, []byte("<svg")) {
				t.Errorf("%s is not a %s", path, ext)
			}
		}
	}
	if err := SaveFigure(context.Background(), filepath.Join(dir, "x.gif"), figs[0]); err == nil {
		t.Error("gif accepted")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// TestFigureTieMarks checks that figures mark ties where the tables do:
// the learning curves' legend with each configuration's leaderboard
// place, the seed spread's axis and legend with its place in the table of
// every configuration, "~" where the table shows "~1", and captions that
// say which test decided it.
func TestFigureTieMarks(t *testing.T) {
	r, err := Analyze(context.Background(), demoInput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	figs, err := r.Figures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var board, all bytes.Buffer
	if err := r.Leaderboard().Write(&board, FormatText, 200); err != nil {
		t.Fatal(err)
	}
	allTable, err := r.AllTrials()
	if err != nil {
		t.Fatal(err)
	}
	if err := allTable.Write(&all, FormatText, 200); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(board.String(), "│ ~1 │ sgd") {
		t.Fatalf("the fixture's leaderboard marks no tie:\n%s", board.String())
	}
	curves := figureByName(figs, "curve-val_accuracy")
	if !slices.Contains(curves.Series, "#~1 sgd lr=1 bs=64") || !slices.Contains(curves.Series, "#1 adam lr=0.01 bs=64 β1=0.9 β2=0.999") {
		t.Errorf("curves' legend %q: want the leaderboard's places, #~1 for sgd", curves.Series)
	}
	spread := figureByName(figs, "seed-spread")
	tied := false
	for _, series := range spread.Series {
		place, label, _ := strings.Cut(series, " ")
		opt, params, _ := strings.Cut(label, " ")
		// The table's row: its place ("~1" for "#~1"), optimizer and parameters.
		row := regexp.MustCompile(`│ +` + regexp.QuoteMeta(strings.TrimPrefix(place, "#")) + ` │ ` + regexp.QuoteMeta(opt) +
			` +│ ` + regexp.QuoteMeta(params) + ` +│`)
		if !strings.HasPrefix(place, "#") || !row.MatchString(all.String()) {
			t.Errorf("seed spread's %q: no such row in the table of every configuration:\n%s", series, all.String())
		}
		tied = tied || strings.HasPrefix(place, "#~")
	}
	if !tied {
		t.Errorf("seed spread's legend %q marks no tie; the table of every configuration marks several", spread.Series)
	}
	for _, f := range []*Figure{curves, spread} {
		if !strings.Contains(f.Caption, "#~1 shares #1's place") || !strings.Contains(f.Caption, "Welch's t-test") {
			t.Errorf("%s caption does not explain the marks: %s", f.Name, f.Caption)
		}
	}
}
