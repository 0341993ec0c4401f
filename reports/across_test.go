package reports

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/plot/plotter"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

// problemInput is a one-seed sweep of each optimizer at one setting:
// values maps an optimizer to its metric, NaN for a diverged trial.
func problemInput(sweep, experiment, metricName, goal string, values map[string]float64) Input {
	in := Input{Sweep: results.SweepRecord{Name: sweep, Experiment: experiment, Metric: metricName, Goal: goal}}
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, opt := range []string{"adam", "rmsprop", "sgd"} {
		v, ok := values[opt]
		if !ok {
			continue
		}
		p := engine.Params{"optimizer": opt, "lr": 0.01}
		tr := engine.Trial{Sweep: sweep, Experiment: experiment, Params: p, Budget: engine.Budget{Epochs: 5}}
		rec := results.TrialRecord{Sweep: sweep, Key: tr.Key(), Experiment: experiment, Optimizer: opt, Params: p,
			Status: train.Completed, Epochs: 5, Start: start, End: start.Add(time.Second), WallSeconds: 1,
			Final: map[string]float64{metricName: v}, Position: len(in.Trials)}
		if math.IsNaN(v) {
			rec.Status, rec.Epochs = train.Diverged, 2
		}
		in.Trials = append(in.Trials, rec)
	}
	return in
}

// acrossFixture is three problems of three optimizers, one seed each, so
// that no two differ insignificantly and ranks follow the values:
//
//	problem   metric (goal)           adam   rmsprop  sgd       cost         ratios adam rmsprop sgd
//	moons     val_accuracy (max)      0.98   0.96     0.90      1 − value    1      2       5
//	quad      train_loss (min)        0.15   0.5      0.1       value        1.5    5       1
//	spiral    val_loss (min)          0.7    0.2      diverged  value        3.5    1       ∞
func acrossFixture() []Input {
	return []Input{
		problemInput("moons", "moons-mlp", "val_accuracy", "maximize", map[string]float64{"adam": 0.98, "rmsprop": 0.96, "sgd": 0.90}),
		problemInput("quad", "quadratic", "train_loss", "minimize", map[string]float64{"adam": 0.15, "rmsprop": 0.5, "sgd": 0.1}),
		problemInput("spiral", "spiral-mlp", "val_loss", "minimize", map[string]float64{"adam": 0.7, "rmsprop": 0.2, "sgd": math.NaN()}),
	}
}

// TestAcrossHandComputed checks ranks, ratios, profiles and scores
// against values computed by hand from the table of acrossFixture.
//
//	ranks:  adam 1 2 2 (mean 5/3), rmsprop 2 3 1 (2), sgd 3 1 — counted 3 (7/3)
//	ρ(τ) at τ = 1, 1.1, 1.25, 1.5, 2, 3, 4:
//	  adam    1/3 1/3 1/3 2/3 2/3 2/3 1
//	  rmsprop 1/3 1/3 1/3 1/3 2/3 2/3 2/3
//	  sgd     1/3 throughout (5 > 4, ∞)
//	score = Σ over r ≤ 4 of (4 − r)/3, over 3 problems:
//	  adam (3 + 2.5 + 0.5)/9 = 2/3, rmsprop (2 + 3)/9 = 5/9, sgd 3/9 = 1/3
func TestAcrossHandComputed(t *testing.T) {
	a, err := AnalyzeAcross(context.Background(), acrossFixture(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(a.Optimizers, " "); got != "adam rmsprop sgd" {
		t.Fatalf("optimizers %q, want by mean rank: adam rmsprop sgd", got)
	}
	wantPlace := [][]int{{1, 2, 2}, {2, 3, 1}, {3, 1, 0}}
	wantRatio := [][]float64{{1, 1.5, 3.5}, {2, 5, 1}, {5, 1, math.Inf(1)}}
	wantMean := []float64{5.0 / 3, 2, 7.0 / 3}
	third := 1.0 / 3
	wantRho := [][]float64{
		{third, third, third, 2 * third, 2 * third, 2 * third, 1},
		{third, third, third, third, 2 * third, 2 * third, 2 * third},
		{third, third, third, third, third, third, third},
	}
	wantScore := []float64{2.0 / 3, 5.0 / 9, 1.0 / 3}
	// The ratios are quotients of decimal values (1 − 0.96 is
	// 0.040000000000000036): equal to the hand values within rounding.
	const tol = 1e-12
	for i, name := range a.Optimizers {
		for j := range a.Problems {
			if a.Place[i][j] != wantPlace[i][j] {
				t.Errorf("%s on %s: place %d, want %d", name, a.Problems[j].Sweep.Name, a.Place[i][j], wantPlace[i][j])
			}
			if got, want := a.Ratio[i][j], wantRatio[i][j]; !(math.IsInf(want, 1) && math.IsInf(got, 1)) && !scalar.EqualWithinAbsOrRel(got, want, tol, tol) {
				t.Errorf("%s on %s: ratio %v, want %v", name, a.Problems[j].Sweep.Name, got, want)
			}
		}
		if got := a.MeanRank(i); !scalar.EqualWithinAbsOrRel(got, wantMean[i], tol, tol) {
			t.Errorf("%s: mean rank %v, want %v", name, got, wantMean[i])
		}
		for k, tau := range ProfileTaus {
			if got := a.Profile(i, tau); !scalar.EqualWithinAbsOrRel(got, wantRho[i][k], tol, tol) {
				t.Errorf("%s: ρ(%v) = %v, want %v", name, tau, got, wantRho[i][k])
			}
		}
		if got := a.Score(i); !scalar.EqualWithinAbsOrRel(got, wantScore[i], tol, tol) {
			t.Errorf("%s: score %v, want %v", name, got, wantScore[i])
		}
	}
	if want := []string{"1 − val_accuracy", "train_loss", "val_loss"}; strings.Join(a.Cost, "|") != strings.Join(want, "|") {
		t.Errorf("costs %q, want %q", a.Cost, want)
	}
}

func TestAcrossTablesGolden(t *testing.T) {
	a, err := AnalyzeAcross(context.Background(), acrossFixture(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tab := range []*Table{a.RankTable(), a.ProfileTable()} {
		for _, f := range []Format{FormatText, FormatJSON} {
			var buf bytes.Buffer
			if err := tab.Write(&buf, f, 120); err != nil {
				t.Fatal(err)
			}
			golden(t, "across-"+tab.Name+"."+fileExt[f], buf.Bytes())
		}
	}
	var names []string
	for _, tab := range a.Tables() {
		names = append(names, tab.Name)
	}
	if got, want := strings.Join(names, " "), "leaderboard-moons leaderboard-quad leaderboard-spiral ranks performance-profile"; got != want {
		t.Errorf("tables %q, want %q", got, want)
	}
}

// TestAcrossNegativeCost: a loss below zero has no meaningful ratio to
// the best; the problem keeps its ranks and leaves the profiles, with a
// warning.
func TestAcrossNegativeCost(t *testing.T) {
	in := acrossFixture()
	in = append(in, problemInput("neg", "quadratic", "value", "minimize", map[string]float64{"adam": -1, "rmsprop": 2, "sgd": 3}))
	a, err := AnalyzeAcross(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Profile(0, 1); !scalar.EqualWithinAbsOrRel(got, 1.0/3, 1e-12, 1e-12) {
		t.Errorf("adam ρ(1) = %v, want 1/3 of the 3 profiled problems", got)
	}
	if len(a.Warnings) != 1 || !strings.Contains(a.Warnings[0], "left out of the performance profiles") {
		t.Errorf("warnings %q", a.Warnings)
	}
	if a.Place[0][3] != 1 {
		t.Errorf("adam on neg: place %d, want 1", a.Place[0][3])
	}
}

// TestAcrossZeroCost: a perfect best (accuracy 1, loss 0) divides as
// 0/0 = 1 and c/0 = ∞.
func TestAcrossZeroCost(t *testing.T) {
	a, err := AnalyzeAcross(context.Background(), []Input{
		problemInput("p", "moons-mlp", "val_accuracy", "maximize", map[string]float64{"adam": 1, "rmsprop": 1, "sgd": 0.9}),
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range a.Optimizers {
		want := 1.0
		if name == "sgd" {
			want = math.Inf(1)
		}
		if a.Ratio[i][0] != want {
			t.Errorf("%s: ratio %v, want %v", name, a.Ratio[i][0], want)
		}
	}
}

func TestAcrossRejects(t *testing.T) {
	in := acrossFixture()
	if _, err := AnalyzeAcross(context.Background(), append(in, in[0]), Options{}); err == nil || !strings.Contains(err.Error(), "listed twice") {
		t.Errorf("repeated sweep: %v", err)
	}
	if _, err := AnalyzeAcross(context.Background(), in, Options{By: "lr"}); err == nil {
		t.Error("--by lr across problems: no error")
	}
}

// TestPerformanceProfileFigure checks the figure's structure: one step
// line per optimizer over τ in [1, 4], with the corners of its profile.
func TestPerformanceProfileFigure(t *testing.T) {
	a, err := AnalyzeAcross(context.Background(), acrossFixture(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := a.PerformanceProfile()
	if f == nil {
		t.Fatal("no figure")
	}
	if f.Name != "perf-profile" || strings.Join(f.Series, " ") != "adam rmsprop sgd" {
		t.Errorf("figure %s with series %q", f.Name, f.Series)
	}
	if f.Plot.X.Min != 1 || f.Plot.X.Max != ProfileMaxRatio || f.Plot.Y.Min != 0 || f.Plot.Y.Max < 1 {
		t.Errorf("axes x [%v, %v], y [%v, %v]; want x [1, 4], y from 0 past 1", f.Plot.X.Min, f.Plot.X.Max, f.Plot.Y.Min, f.Plot.Y.Max)
	}
	third := 1.0 / 3
	wantXY := [][]plotter.XY{
		{{X: 1, Y: third}, {X: 1.5, Y: 2 * third}, {X: 3.5, Y: 1}, {X: 4, Y: 1}},
		{{X: 1, Y: third}, {X: 2, Y: 2 * third}, {X: 4, Y: 2 * third}},
		{{X: 1, Y: third}, {X: 4, Y: third}},
	}
	var lines []*plotter.Line
	for _, p := range f.drawn {
		if l, ok := p.(*plotter.Line); ok {
			lines = append(lines, l)
		}
	}
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3", len(lines))
	}
	for i, l := range lines {
		if l.StepStyle != plotter.PostStep {
			t.Errorf("line %d: step style %v, want PostStep (ρ is right-continuous)", i, l.StepStyle)
		}
		if len(l.XYs) != len(wantXY[i]) {
			t.Errorf("line %d: points %v, want %v", i, l.XYs, wantXY[i])
			continue
		}
		for k, p := range l.XYs {
			if !scalar.EqualWithinAbsOrRel(p.X, wantXY[i][k].X, 1e-12, 1e-12) || !scalar.EqualWithinAbsOrRel(p.Y, wantXY[i][k].Y, 1e-12, 1e-12) {
				t.Errorf("line %d: points %v, want %v", i, l.XYs, wantXY[i])
				break
			}
		}
	}
	for i := range lines {
		for j := range i {
			if lines[i].LineStyle.Color == lines[j].LineStyle.Color && len(lines[i].LineStyle.Dashes) == len(lines[j].LineStyle.Dashes) {
				t.Errorf("lines %d and %d look alike", j, i)
			}
		}
	}
	dir := t.TempDir()
	paths, err := a.WriteFigures(context.Background(), dir, []string{SVG, PNG})
	if err != nil || len(paths) != 2 {
		t.Fatalf("WriteFigures: %v, %v", paths, err)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "perf-profile.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"adam", "rmsprop", "sgd", "Performance profiles over 3 problems"} {
		if !bytes.Contains(svg, []byte(s)) {
			t.Errorf("SVG lacks %q", s)
		}
	}
}

// TestInputProblems checks that a sweep of several experiments splits
// into one problem per experiment, in the record's order, each with its
// own trials and named by its experiment, the sweep's notes with the
// first; and that the comparison of the split is the comparison of the
// same problems given as separate sweeps.
func TestInputProblems(t *testing.T) {
	fix := acrossFixture()
	whole := Input{Sweep: results.SweepRecord{Name: "several", Experiment: "moons-mlp,quadratic", Metric: "train_loss", Goal: "minimize"},
		Notes: []string{"a note of the sweep"}, LeftOut: 2}
	moons := problemInput("several", "moons-mlp", "train_loss", "minimize", map[string]float64{"adam": 0.3, "rmsprop": 0.2, "sgd": 0.9})
	quad := fix[1]
	// Interleaved, as a store may return them.
	for i := range moons.Trials {
		whole.Trials = append(whole.Trials, quad.Trials[i], moons.Trials[i])
	}
	got := whole.Problems()
	if len(got) != 2 {
		t.Fatalf("%d problems, want 2", len(got))
	}
	for i, want := range []struct {
		name  string
		keys  []results.TrialRecord
		notes int
	}{{"moons-mlp", moons.Trials, 1}, {"quadratic", quad.Trials, 0}} {
		p := got[i]
		if p.Sweep.Name != want.name || p.Sweep.Experiment != want.name || len(p.Notes) != want.notes {
			t.Errorf("problem %d: %s of %s with %d notes, want %s with %d", i, p.Sweep.Name, p.Sweep.Experiment, len(p.Notes), want.name, want.notes)
		}
		if len(p.Trials) != len(want.keys) {
			t.Fatalf("problem %s: %d trials, want %d", want.name, len(p.Trials), len(want.keys))
		}
		for k := range p.Trials {
			if p.Trials[k].Key != want.keys[k].Key {
				t.Errorf("problem %s trial %d: %s, want %s", want.name, k, p.Trials[k].Key, want.keys[k].Key)
			}
		}
	}
	a, err := AnalyzeAcross(context.Background(), got, Options{})
	if err != nil {
		t.Fatal(err)
	}
	moons.Sweep.Name, quad.Sweep.Name = "moons-mlp", "quadratic"
	b, err := AnalyzeAcross(context.Background(), []Input{moons, quad}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ga, gb bytes.Buffer
	if err := a.RankTable().Write(&ga, FormatText, 100); err != nil {
		t.Fatal(err)
	}
	if err := b.RankTable().Write(&gb, FormatText, 100); err != nil {
		t.Fatal(err)
	}
	if ga.String() != gb.String() {
		t.Errorf("rank table of the split sweep:\n%s\nof the same problems as sweeps:\n%s", ga.String(), gb.String())
	}
	if one := fix[0].Problems(); len(one) != 1 || one[0].Sweep.Name != "moons" || len(one[0].Trials) != len(fix[0].Trials) {
		t.Errorf("a sweep of one experiment split into %d problems", len(one))
	}
}
