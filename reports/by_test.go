package reports

import (
	"bytes"
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/reports/stats"
	"github.com/optbench/optbench/results"
)

// lrDecayInput is a small sweep of the shipped lr-decay kind: one
// optimizer (momentum) at one learning rate, schedules compared, each
// with settings of its own; the constant schedule is best. Each trial's
// stored per-epoch lr follows its schedule.
func lrDecayInput() Input {
	base := func(schedule string, extra engine.Params, final float64) fixtureConfig {
		p := engine.Params{"optimizer": "momentum", "lr": 0.1, "batch_size": 64.0, "schedule": schedule}
		for k, v := range extra {
			p[k] = v
		}
		return fixtureConfig{"momentum", p, final, nil}
	}
	cfgs := []fixtureConfig{
		base("constant", nil, 0.96),
		base("inverse_time", engine.Params{"decay_rate": 0.01}, 0.955),
		base("inverse_time", engine.Params{"decay_rate": 0.1}, 0.925),
		base("exponential", engine.Params{"gamma": 0.9}, 0.905),
		base("exponential", engine.Params{"gamma": 0.97}, 0.935),
	}
	trials := buildTrials("lr-decay", cfgs, 3)
	byKey := map[string]results.TrialRecord{}
	for _, t := range trials {
		byKey[t.Key] = t
	}
	sw := demoSweep()
	sw.Name, sw.Description = "lr-decay", "learning-rate schedules compared"
	return Input{
		Sweep:  sw,
		Trials: trials,
		Curves: func(ctx context.Context, keys []string) (map[string][]train.Epoch, error) {
			out := map[string][]train.Epoch{}
			for _, k := range keys {
				t := byKey[k]
				eps := syntheticCurve(t.Final["val_accuracy"], 20, float64(t.Seed))
				for i := range eps {
					e := float64(eps[i].Epoch)
					lr := 0.1
					switch t.Params["schedule"] {
					case "inverse_time":
						lr = 0.1 / (1 + t.Params["decay_rate"].(float64)*e)
					case "exponential":
						lr = 0.1 * math.Pow(t.Params["gamma"].(float64), e)
					}
					eps[i].Values[metric.LR] = lr
				}
				out[k] = eps
			}
			return out, nil
		},
	}
}

// TestByScheduleLRDecay reproduces issue 14's complaint on a sweep of
// the lr-decay kind: grouped by optimizer, the leaderboard has one row
// and the curves show the constant schedule only; with By "schedule",
// each schedule has its best configuration's row and curves.
func TestByScheduleLRDecay(t *testing.T) {
	ctx := context.Background()
	byOpt, err := Analyze(ctx, lrDecayInput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(byOpt.Leaderboard().Rows); n != 1 {
		t.Errorf("by optimizer: %d leaderboard rows, want 1 (one optimizer)", n)
	}
	r, err := Analyze(ctx, lrDecayInput(), Options{By: "schedule"})
	if err != nil {
		t.Fatal(err)
	}
	lb := r.Leaderboard()
	var schedules []string
	for _, row := range lb.Rows {
		schedules = append(schedules, row[1].Text)
	}
	if want := []string{"constant", "inverse_time", "exponential"}; !slices.Equal(schedules, want) {
		t.Errorf("by schedule: leaderboard schedules %v, want %v (each schedule's best, best first)", schedules, want)
	}
	if lb.Columns[1].Name != "schedule" || !strings.Contains(lb.Title, "each schedule's best configuration") {
		t.Errorf("leaderboard column %q, title %q", lb.Columns[1].Name, lb.Title)
	}
	var buf bytes.Buffer
	if err := lb.Write(&buf, FormatText, 0); err != nil {
		t.Fatal(err)
	}
	golden(t, "by-schedule-leaderboard.txt", buf.Bytes())

	figs, err := r.Figures(ctx)
	if err != nil {
		t.Fatal(err)
	}
	curves := figureByName(figs, "curve-val_accuracy")
	if curves == nil {
		t.Fatal("no validation-accuracy curves")
	}
	// Each led by its place on the leaderboard, "~" where the
	// leaderboard marks a tie.
	wantSeries := []string{"#1 constant", "#~1 inverse_time decay_rate=0.01", "#3 exponential gamma=0.97"}
	if !slices.Equal(curves.Series, wantSeries) {
		t.Errorf("curves of %v, want %v", curves.Series, wantSeries)
	}
	if _, err := Analyze(ctx, lrDecayInput(), Options{By: "momentum"}); !errors.Is(err, ErrOption) {
		t.Errorf("by a parameter the sweep lacks: %v, want ErrOption", err)
	}
}

// TestLRCurves: a sweep that varies the schedule gets the stored
// per-epoch learning rate of each schedule's best configuration, whatever
// it is grouped by; a sweep without schedules gets none.
func TestLRCurves(t *testing.T) {
	ctx := context.Background()
	for _, by := range []string{"", "schedule"} {
		t.Run("by="+by, func(t *testing.T) {
			r, err := Analyze(ctx, lrDecayInput(), Options{By: by})
			if err != nil {
				t.Fatal(err)
			}
			figs, err := r.Figures(ctx)
			if err != nil {
				t.Fatal(err)
			}
			f := figureByName(figs, "lr-curves")
			if f == nil {
				t.Fatal("no lr-curves figure")
			}
			p := f.Plot
			if !strings.HasPrefix(p.Title.Text, "Learning rate per epoch") || p.X.Label.Text != "epoch" || p.Y.Label.Text != "learning rate α" {
				t.Errorf("title %q, x %q, y %q", p.Title.Text, p.X.Label.Text, p.Y.Label.Text)
			}
			want := []string{"constant", "inverse_time decay_rate=0.01", "exponential gamma=0.97"}
			if by == "schedule" {
				// The leaderboard's rows: led by their places, as the
				// learning curves' are.
				want = []string{"#1 constant", "#~1 inverse_time decay_rate=0.01", "#3 exponential gamma=0.97"}
			}
			if !slices.Equal(f.Series, want) {
				t.Errorf("series %v, want %v", f.Series, want)
			}
			if _, log := p.Y.Scale.(plot.LogScale); log {
				t.Error("log y for rates within two decades")
			}
			// The lines are the stored rates: exponential γ = 0.97 from
			// 0.1 at epoch 1 to 0.1·0.97¹⁹ at epoch 20; no band, since
			// seeds share a schedule.
			lo, hi := lineRange(f, 2)
			if !scalar.EqualWithinAbsOrRel(hi, 0.1, 1e-12, 1e-12) || !scalar.EqualWithinAbsOrRel(lo, 0.1*math.Pow(0.97, 19), 1e-12, 1e-12) {
				t.Errorf("exponential line spans [%v, %v], want [%v, 0.1]", lo, hi, 0.1*math.Pow(0.97, 19))
			}
			var svg bytes.Buffer
			if err := f.Render(&svg, SVG); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(svg.String(), "inverse_time decay_rate=0.01") {
				t.Error("the SVG does not name the inverse-time schedule")
			}
		})
	}
	r, err := Analyze(ctx, demoInput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f := r.LRCurves(); f != nil {
		t.Errorf("a sweep without schedules has an lr figure: %q", f.Plot.Title.Text)
	}
}

// lineRange returns the y range of the i-th line drawn on f.
func lineRange(f *Figure, i int) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	n := 0
	for _, p := range f.drawn {
		l, ok := p.(*plotter.Line)
		if !ok {
			continue
		}
		if n == i {
			for _, xy := range l.XYs {
				lo, hi = min(lo, xy.Y), max(hi, xy.Y)
			}
			return lo, hi
		}
		n++
	}
	return lo, hi
}

// TestSensitivityCategorical: a swept schedule is in the sensitivity
// table, each schedule with its own settings at their best.
func TestSensitivityCategorical(t *testing.T) {
	r, err := Analyze(context.Background(), lrDecayInput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tab := r.Sensitivity()
	var buf bytes.Buffer
	if err := tab.Write(&buf, FormatText, 0); err != nil {
		t.Fatal(err)
	}
	golden(t, "lr-decay-sensitivity.txt", buf.Bytes())
	var values []string
	for _, row := range tab.Rows {
		if row[0].Text == "schedule" {
			values = append(values, row[2].Text)
		}
	}
	if want := []string{"constant *", "exponential", "inverse_time"}; !slices.Equal(values, want) {
		t.Errorf("schedule rows %v, want %v", values, want)
	}
}

// adamBatchSizeInput is the case of issue 14: Adam over lr × batch size,
// where the best lr depends on the batch size. At the best configuration
// (lr = 0.001, bs = 64: 0.996) the slice over batch sizes shows 0.959 at
// bs = 16, but lr = 0.0001 at bs = 16 gives 0.994.
func adamBatchSizeInput() Input {
	acc := map[[2]float64]float64{
		{0.0001, 16}: 0.994, {0.001, 16}: 0.959, {0.01, 16}: 0.9,
		{0.0001, 64}: 0.95, {0.001, 64}: 0.996, {0.01, 64}: 0.97,
		{0.0001, 256}: 0.9, {0.001, 256}: 0.97, {0.01, 256}: 0.992,
	}
	var cfgs []fixtureConfig
	for _, lr := range []float64{0.0001, 0.001, 0.01} {
		for _, bs := range []float64{16, 64, 256} {
			cfgs = append(cfgs, fixtureConfig{"adam", engine.Params{"optimizer": "adam", "lr": lr, "batch_size": bs},
				acc[[2]float64{lr, bs}], nil})
		}
	}
	trials := buildTrials("adam-bs", cfgs, 3)
	// Seeds ±0.002 about the value rather than ±0.01, so that no seed
	// passes an accuracy of 1.
	for i := range trials {
		t := &trials[i]
		v := t.Final["val_accuracy"] - 0.8*seedOffset(t.Seed)
		t.Final = map[string]float64{"val_accuracy": v, "val_loss": 1 - v, "train_loss": 0.9 - v, "train_accuracy": v}
	}
	sw := demoSweep()
	sw.Name = "adam-bs"
	return Input{Sweep: sw, Trials: trials, Curves: curvesFor(trials, 10)}
}

// TestSensitivityProfile reproduces issue 14's complaint: Adam looked
// batch-size sensitive (0.959 at bs = 16 in the slice at the best lr)
// while its best lr for bs = 16 gives 0.994. The profile column reports
// the re-optimized value beside the slice, and where it was found.
func TestSensitivityProfile(t *testing.T) {
	r, err := Analyze(context.Background(), adamBatchSizeInput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tab := r.Sensitivity()
	var buf bytes.Buffer
	if err := tab.Write(&buf, FormatText, 0); err != nil {
		t.Fatal(err)
	}
	golden(t, "profile-sensitivity.txt", buf.Bytes())
	col := func(name string) int {
		for i, c := range tab.Columns {
			if c.Name == name {
				return i
			}
		}
		t.Fatalf("no column %q in %v", name, tab.Columns)
		return -1
	}
	slice, profile, at := col("slice mean ± sd"), col("profile mean ± sd"), col("profile at")
	found := false
	for _, row := range tab.Rows {
		if row[0].Text != "batch_size" || row[2].Text != "16" {
			continue
		}
		found = true
		// Seed offsets −0.002, 0, +0.002 average out: the means are
		// the fixture's values up to rounding.
		if m := row[slice].Values[0].(float64); !scalar.EqualWithinAbsOrRel(m, 0.959, 1e-12, 1e-12) {
			t.Errorf("slice at bs=16: %v, want 0.959", m)
		}
		if m := row[profile].Values[0].(float64); !scalar.EqualWithinAbsOrRel(m, 0.994, 1e-12, 1e-12) {
			t.Errorf("profile at bs=16: %v, want 0.994 (lr re-optimized)", m)
		}
		if got := row[at].Text; got != "lr=0.0001" {
			t.Errorf("profile at %q, want lr=0.0001", got)
		}
	}
	if !found {
		t.Fatal("no batch_size = 16 row")
	}
	notes := strings.Join(tab.Notes, "\n")
	for _, want := range []string{"slice: the other parameters held", "profile: the best configuration with the value"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

// TestProfile checks stats.Profile on the same fixture: one configuration
// per value, the best of those that take it.
func TestProfile(t *testing.T) {
	cs := stats.Rank(stats.Group(adamBatchSizeInput().Trials, "val_accuracy", 0.95), stats.Maximize)
	got := stats.Profile(cs, "batch_size", func(*stats.Config) bool { return true })
	var lrs []float64
	for _, c := range got {
		lrs = append(lrs, c.Params["lr"].(float64))
	}
	if want := []float64{0.0001, 0.001, 0.01}; !slices.Equal(lrs, want) {
		t.Errorf("best lr per batch size 16, 64, 256: %v, want %v", lrs, want)
	}
}

// TestByHint: lr-decay compares schedules with one optimizer, and its
// leaderboard by optimizer was one row with nothing saying how to rank
// the schedules (issue 14); it now points to --by schedule. A leaderboard
// of several rows, or already grouped, has no such note.
func TestByHint(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Input
		by   string
		want bool
	}{
		{"one optimizer", lrDecayInput(), "", true},
		{"by schedule", lrDecayInput(), "schedule", false},
		{"several optimizers", demoInput(), "", false},
	} {
		r, err := Analyze(context.Background(), tc.in, Options{By: tc.by})
		if err != nil {
			t.Fatal(err)
		}
		notes := strings.Join(r.Leaderboard().Notes, "\n")
		if got := strings.Contains(notes, "one optimizer, so one row: --by schedule ranks"); got != tc.want {
			t.Errorf("%s: hint %v, want %v:\n%s", tc.name, got, tc.want, notes)
		}
	}
}
