package reports

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/plot/plotter"
)

// methodsFixture is four sweeps of one problem (moons, val_accuracy,
// maximize): a random search and three search seeds of TPE, with the
// best so far, by trial index:
//
//	index        1    2    3    4     5     6     7     8
//	random       .5   .6   .6   .7    .7    .8
//	tpe seed 1   .6   .6   .7   .75   .75   .9    .9    .9
//	tpe seed 2   .4   .8   .8   .8    .85   .85
//	tpe seed 3   .7   .7   .7   .72   .9    .95   .95
//	tpe median   .6   .7   .7   .75   .85   .9    .925  .9
//	tpe band     .4–.7     …    .72–.8      .85–.95 .9–.95 (one seed: none)
func methodsFixture() []Input {
	sweep := func(name, search string, values ...float64) Input {
		in := historyInput("maximize", values...)
		in.Sweep.Name, in.Sweep.Search = name, search
		return in
	}
	return []Input{
		sweep("random-moons", "random:00000000", 0.5, 0.6, 0.55, 0.7, 0.65, 0.8),
		sweep("tpe-moons-1", "tpe:00000001", 0.6, 0.5, 0.7, 0.75, 0.7, 0.9, 0.85, 0.8),
		sweep("tpe-moons-2", "tpe:00000002", 0.4, 0.8, 0.6, 0.7, 0.85, 0.8),
		sweep("tpe-moons-3", "tpe:00000003", 0.7, 0.6, 0.65, 0.72, 0.9, 0.95, 0.6),
	}
}

func TestAcrossHistory(t *testing.T) {
	a, err := AnalyzeAcross(context.Background(), methodsFixture(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := a.History()
	if f == nil {
		t.Fatal("no history")
	}
	if want := []string{"random", "tpe (median of 3 search seeds)"}; !slices.Equal(f.Series, want) {
		t.Errorf("series %q, want %q", f.Series, want)
	}
	if !strings.Contains(f.Plot.Title.Text, "best val_accuracy so far") || !strings.Contains(f.Caption, "median") {
		t.Errorf("title %q, caption %q", f.Plot.Title.Text, f.Caption)
	}
	var lines []*plotter.Line
	var bands []*plotter.Polygon
	for _, p := range f.drawn {
		switch p := p.(type) {
		case *plotter.Line:
			lines = append(lines, p)
		case *plotter.Polygon:
			bands = append(bands, p)
		}
	}
	if len(lines) != 2 || len(bands) != 1 {
		t.Fatalf("%d lines and %d bands, want 2 and 1 (tpe's)", len(lines), len(bands))
	}
	at := func(xys plotter.XYs, x float64) float64 {
		for _, p := range xys {
			if p.X == x {
				return p.Y
			}
		}
		return math.NaN()
	}
	near := func(a, b float64) bool { return scalar.EqualWithinAbs(a, b, 1e-12) }
	for _, tc := range []struct {
		line int
		x, y float64
	}{
		{0, 1, 0.5}, {0, 3, 0.6}, {0, 6, 0.8},
		{1, 1, 0.6}, {1, 2, 0.7}, {1, 4, 0.75}, {1, 5, 0.85}, {1, 6, 0.9}, {1, 7, 0.925}, {1, 8, 0.9},
	} {
		if got := at(lines[tc.line].XYs, tc.x); !near(got, tc.y) {
			t.Errorf("line %d at index %v: %v, want %v", tc.line, tc.x, got, tc.y)
		}
	}
	for i, l := range lines {
		if l.StepStyle != plotter.PostStep {
			t.Errorf("line %d is not a post-step line", i)
		}
	}
	if n := len(lines[0].XYs); lines[0].XYs[n-1].X != 6 || len(lines[1].XYs) != 8 {
		t.Errorf("lines end at %v and %v, want the last trials, 6 and 8", lines[0].XYs[n-1], lines[1].XYs[len(lines[1].XYs)-1])
	}
	// The band is tpe's min to max over indices 1 … 7, where at least two
	// seeds have a value; at 8 only seed 1 has run.
	ring := bands[0].XYs[0]
	minX, maxX := math.Inf(1), math.Inf(-1)
	for _, p := range ring {
		minX, maxX = min(minX, p.X), max(maxX, p.X)
	}
	if minX != 1 || maxX != 7 {
		t.Errorf("band over [%v, %v], want [1, 7]", minX, maxX)
	}
	// The band's extent just right of index x, where its step holds x's
	// min and max: the horizontal edges of the ring that span x + ½.
	edges := func(x float64) (lo, hi float64) {
		lo, hi = math.Inf(1), math.Inf(-1)
		for k, p := range ring {
			q := ring[(k+1)%len(ring)]
			if p.Y == q.Y && min(p.X, q.X) < x+0.5 && max(p.X, q.X) > x+0.5 {
				lo, hi = min(lo, p.Y), max(hi, p.Y)
			}
		}
		return lo, hi
	}
	for _, tc := range []struct{ x, lo, hi float64 }{{1, 0.4, 0.7}, {4, 0.72, 0.8}, {6, 0.85, 0.95}} {
		if lo, hi := edges(tc.x); !near(lo, tc.lo) || !near(hi, tc.hi) {
			t.Errorf("band at %v: [%v, %v], want [%v, %v]", tc.x, lo, hi, tc.lo, tc.hi)
		}
	}
	// At 7, the band's last index, two seeds remain; at 8, one.
	g := a.historyGroups()[1]
	if _, lo, hi, count := g.spread(8); !near(lo[6], 0.9) || !near(hi[6], 0.95) || count[6] != 2 || count[7] != 1 {
		t.Errorf("tpe at 7: [%v, %v] over %d seeds, at 8 %d seeds; want [0.9, 0.95] over 2, then 1", lo[6], hi[6], count[6], count[7])
	}

	figs := a.Figures()
	if len(figs) != 2 || figs[1].Name != "history" {
		t.Fatalf("figures %d, want the profiles and the history", len(figs))
	}
	dir := t.TempDir()
	if _, err := a.WriteFigures(context.Background(), dir, []string{SVG}); err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "history.svg"))
	if err != nil || !strings.Contains(string(svg), "tpe (median of 3 search seeds)") {
		t.Errorf("history.svg: %v", err)
	}
	page, err := a.HTML(context.Background())
	if err != nil || !strings.Contains(string(page), "Optimization history by search method") {
		t.Errorf("page lacks the history figure: %v", err)
	}
}

// TestAcrossHistoryOtherProblems: sweeps of different problems have no
// common history.
func TestAcrossHistoryOtherProblems(t *testing.T) {
	a, err := AnalyzeAcross(context.Background(), acrossFixture(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f := a.History(); f != nil {
		t.Errorf("history drawn across problems: %q", f.Series)
	}
	in := methodsFixture()
	in[1].Sweep.Metric = "val_loss"
	if a, err = AnalyzeAcross(context.Background(), in, Options{}); err != nil {
		t.Fatal(err)
	}
	if f := a.History(); f != nil {
		t.Error("history drawn across metrics")
	}
}
