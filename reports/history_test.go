package reports

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/optbench/optbench/engine/train"
)

// historyInput is a one-seed sweep whose trials have the given values of
// val_accuracy in proposal order; NaN marks a trial that diverged.
func historyInput(goal string, values ...float64) Input {
	in := adaptiveInput(len(values), 5, nil)
	in.Sweep.Goal = goal
	for i, v := range values {
		in.Trials[i].Final["val_accuracy"] = v
		if v != v {
			in.Trials[i].Status = train.Diverged
		}
	}
	// The order of Trials is not the order proposed.
	slices.Reverse(in.Trials)
	return in
}

func TestHistory(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     Input
		values int         // configurations marked
		firstX float64     // index of the first configuration marked; 0: 1
		best   plotter.XYs // corners of the best-so-far line
		series []string
	}{
		{
			// Hand-worked: 0.8 at index 5 ties and is not an improvement;
			// the diverged last trial extends the line to index 8.
			name:   "maximize",
			in:     historyInput("maximize", 0.5, 0.7, 0.6, 0.8, 0.8, 0.75, 0.9, nan()),
			values: 7,
			best:   plotter.XYs{{X: 1, Y: 0.5}, {X: 2, Y: 0.7}, {X: 4, Y: 0.8}, {X: 7, Y: 0.9}, {X: 8, Y: 0.9}},
			series: []string{"configuration (seed mean)", "best so far (tpe)"},
		},
		{
			name:   "minimize",
			in:     historyInput("minimize", 0.5, 0.7, 0.4, 0.45, 0.3, 0.35),
			values: 6,
			best:   plotter.XYs{{X: 1, Y: 0.5}, {X: 3, Y: 0.4}, {X: 5, Y: 0.3}, {X: 6, Y: 0.3}},
			series: []string{"configuration (seed mean)", "best so far (tpe)"},
		},
		{
			// Three seeds a configuration, seeds fastest in the plan: a
			// configuration counts at its last seed, with its seed mean.
			name:   "seeds",
			in:     demoInput(),
			values: 14,
			firstX: 3,
			series: []string{"configuration (seed mean)", "best so far"},
		},
		{name: "too few configurations", in: historyInput("maximize", 0.5, 0.7, 0.6, 0.8, 0.9)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Analyze(context.Background(), tc.in, Options{})
			if err != nil {
				t.Fatal(err)
			}
			f := r.History()
			if tc.values == 0 {
				if f != nil {
					t.Fatalf("history drawn for %d configurations", len(r.Configs))
				}
				return
			}
			if f == nil {
				t.Fatal("no history")
			}
			if !slices.Equal(f.Series, tc.series) {
				t.Errorf("series %q, want %q", f.Series, tc.series)
			}
			want := "Optimization history: best val_accuracy so far (" + r.Goal.String() + ")"
			if p := f.Plot; p.Title.Text != want || p.X.Label.Text != "trial index (order proposed by the search, 1 = first)" ||
				p.Y.Label.Text != "val_accuracy (fraction correct)" {
				t.Errorf("title %q, x %q, y %q", p.Title.Text, p.X.Label.Text, p.Y.Label.Text)
			}
			if !strings.Contains(f.Caption, "trial index") || !strings.Contains(f.Caption, "last completed seed") {
				t.Errorf("caption %q", f.Caption)
			}
			values, best, outside := r.history()
			if len(values) != tc.values || outside != 0 {
				t.Errorf("%d configurations (%d outside the plan), want %d", len(values), outside, tc.values)
			}
			if firstX := max(tc.firstX, 1); values[0].X != firstX {
				t.Errorf("first configuration at index %v, want %v", values[0].X, firstX)
			}
			if tc.best != nil && !slices.Equal(best, tc.best) {
				t.Errorf("best so far %v\nwant %v", best, tc.best)
			}
			// Whatever the data, the line never gets worse, and ends at the
			// leaderboard's first.
			for i := 1; i < len(best); i++ {
				if r.Goal.Better(best[i-1].Y, best[i].Y) || best[i].X <= best[i-1].X {
					t.Errorf("best so far gets worse or goes back at corner %d: %v", i, best)
				}
			}
			if end := best[len(best)-1]; end.Y != r.Best[0].Metric.Mean || end.X != float64(len(tc.in.Trials)) {
				t.Errorf("line ends at %v; want the leaderboard's first, %v, at the last trial, %d",
					end, r.Best[0].Metric.Mean, len(tc.in.Trials))
			}
		})
	}
}

// TestHistoryOutsidePlan: configurations whose trials the current plan
// does not hold have no index; they are left out and the caption says so.
func TestHistoryOutsidePlan(t *testing.T) {
	in := historyInput("maximize", 0.5, 0.7, 0.6, 0.8, 0.8, 0.75, 0.9, 0.95)
	for i := range in.Trials {
		if in.Trials[i].Position == 7 {
			in.Trials[i].Position = -1
		}
	}
	r, err := Analyze(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := r.History()
	if f == nil {
		t.Fatal("no history")
	}
	if _, best, outside := r.history(); outside != 1 || best[len(best)-1] != (plotter.XY{X: 7, Y: 0.9}) {
		t.Errorf("%d outside the plan, line ends at %v; want 1 and (7, 0.9)", outside, best[len(best)-1])
	}
	if !strings.Contains(f.Caption, "1 configuration outside the current plan (no index) not shown") {
		t.Errorf("caption %q", f.Caption)
	}
}

// TestHistoryLogY checks that the optimization history, of one sweep and
// of several search methods, has a logarithmic y axis exactly when its
// values span more than two decades (as the learning curves' axis), and
// says so in its caption.
func TestHistoryLogY(t *testing.T) {
	wide := []float64{2, 0.9, 0.05, 0.01, 0.004, 0.003} // 2/0.003: 2.8 decades
	narrow := []float64{2, 0.9, 0.5, 0.1, 0.05, 0.03}   // 2/0.03: 1.8 decades
	for _, tc := range []struct {
		name   string
		values []float64
		log    bool
	}{{"wide", wide, true}, {"narrow", narrow, false}} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Analyze(context.Background(), historyInput("minimize", tc.values...), Options{})
			if err != nil {
				t.Fatal(err)
			}
			one := r.History()
			first := historyInput("minimize", tc.values...)
			first.Sweep.Name, first.Sweep.Search = "tpe-1", "tpe:00000001"
			second := historyInput("minimize", tc.values[1:]...)
			second.Sweep.Name, second.Sweep.Search = "random-1", "random:00000001"
			a, err := AnalyzeAcross(context.Background(), []Input{first, second}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []*Figure{one, a.History()} {
				if f == nil {
					t.Fatal("no history")
				}
				_, isLog := f.Plot.Y.Scale.(plot.LogScale)
				if isLog != tc.log || strings.Contains(f.Caption, "logarithmic") != tc.log {
					t.Errorf("%s: log y %v, caption %q; want log %v", f.Plot.Title.Text, isLog, f.Caption, tc.log)
				}
				if err := f.Render(io.Discard, "svg"); err != nil {
					t.Errorf("%s: %v", f.Plot.Title.Text, err)
				}
			}
		})
	}
}
