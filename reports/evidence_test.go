package reports

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

// evidenceInput is a sweep of one configuration per optimizer with the
// given final val_accuracy per seed; NaN stands for a diverged seed.
func evidenceInput(finals map[string][]float64) Input {
	in := Input{Sweep: results.SweepRecord{Name: "evidence", Experiment: "moons", Metric: "val_accuracy", Goal: "maximize"}}
	for _, opt := range []string{"adam", "rmsprop", "momentum", "gd", "survivor"} {
		for seed, v := range finals[opt] {
			p := engine.Params{"optimizer": opt, "lr": 0.01}
			t := engine.Trial{Experiment: "moons", Params: p, Seed: uint64(seed)}
			rec := results.TrialRecord{Key: t.Key(), Experiment: "moons", Optimizer: opt, Params: p, Seed: uint64(seed),
				Status: train.Completed, WallSeconds: 1, Final: map[string]float64{"val_accuracy": v}}
			if math.IsNaN(v) {
				rec.Status, rec.Final = train.Diverged, map[string]float64{"train_loss": v}
			}
			in.Trials = append(in.Trials, rec)
		}
	}
	return in
}

// leaderboardRows returns the optimizer and rank text of each row.
func leaderboardRows(t *testing.T, in Input) (rows [][2]string, lb *Table) {
	t.Helper()
	r, err := Analyze(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	lb = r.Leaderboard()
	for _, row := range lb.Rows {
		rows = append(rows, [2]string{row[1].Text, row[0].Text})
	}
	return rows, lb
}

// Issue 14: "Adam and RMSProp both 0.9667 are shown #1 and #2". Both have
// 0.9667 ± 0.0033 over 3 seeds, as on the quickstart sweep: they share
// rank 1, and the footnote names the test and α.
func TestLeaderboardTieIsNotRanked(t *testing.T) {
	rows, lb := leaderboardRows(t, evidenceInput(map[string][]float64{
		"adam":     {0.9667, 0.9633, 0.9700},
		"rmsprop":  {0.9700, 0.9667, 0.9633},
		"momentum": {0.9333, 0.9367, 0.9300},
		"gd":       {0.8667, 0.8700, 0.8633},
	}))
	want := [][2]string{{"adam", "1"}, {"rmsprop", "~1"}, {"momentum", "3"}, {"gd", "4"}}
	if len(rows) != len(want) {
		t.Fatalf("rows %v, want %v", rows, want)
	}
	for i := range want {
		// adam and rmsprop have the same values: either may come first.
		if i < 2 && rows[i][0] != want[i][0] && rows[i][0] == want[1-i][0] && rows[i][1] == want[i][1] {
			continue
		}
		if rows[i] != want[i] {
			t.Errorf("row %d: %v, want %v", i, rows[i], want[i])
		}
	}
	notes := strings.Join(lb.Notes, "\n")
	for _, s := range []string{"~ shares #1's rank", "Welch's t-test", "α = 0.05"} {
		if !strings.Contains(notes, s) {
			t.Errorf("notes lack %q:\n%s", s, notes)
		}
	}
	if v := lb.Rows[1][0].Values[0]; v != 1 {
		t.Errorf("rmsprop's rank value %v, want 1", v)
	}
}

// Issue 14: "a configuration where 1 of 3 seeds survived ranks above
// configurations where every seed finished". It now ranks below them,
// with "2/3 diverged" beside its mean.
func TestLeaderboardSurvivorRanksBelow(t *testing.T) {
	nan := math.NaN()
	rows, lb := leaderboardRows(t, evidenceInput(map[string][]float64{
		"survivor": {0.99, nan, nan},
		"adam":     {0.95, 0.96, 0.95},
		"momentum": {0.90, 0.91, 0.92},
	}))
	if len(rows) != 3 || rows[2][0] != "survivor" || rows[2][1] != "3" {
		t.Fatalf("rows %v: want survivor last, rank 3", rows)
	}
	if got := lb.Rows[2][3].Text; !strings.Contains(got, "(2/3 diverged)") {
		t.Errorf("survivor's mean %q lacks (2/3 diverged)", got)
	}
	if got := lb.Rows[2][4].Text; got != dash {
		t.Errorf("survivor's interval %q from 1 seed, want %s", got, dash)
	}
}

// Issue 14: accuracy intervals [0.351, 1.304] and [0.3584, 1.055] with
// few seeds. The same samples' intervals stay inside [0, 1].
func TestIntervalsStayInRange(t *testing.T) {
	in := evidenceInput(map[string][]float64{
		"adam":    {0.55, 0.75, 0.82},   // Student t: [0.3586, 1.055]
		"rmsprop": {0.62, 0.8625, 0.99}, // Student t: [0.3573, 1.291]
	})
	r, err := Analyze(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := r.AllTrials()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range all.Rows {
		low, high := row[4].Values[0].(float64), row[4].Values[1].(float64)
		if !(low >= 0 && high <= 1 && low < high) {
			t.Errorf("%s: interval [%v, %v] leaves [0, 1]", row[1].Text, low, high)
		}
	}
	if notes := strings.Join(all.Notes, "\n"); !strings.Contains(notes, "logit scale") || !strings.Contains(notes, "Bland & Altman") {
		t.Errorf("notes do not name the interval's method and source:\n%s", notes)
	}
}

// Below 3 seeds: no interval, and a warning that says so.
func TestTwoSeedsNoInterval(t *testing.T) {
	rows, lb := leaderboardRows(t, evidenceInput(map[string][]float64{"adam": {0.9, 0.95}, "gd": {0.8, 0.85}}))
	if len(rows) != 2 || lb.Rows[0][4].Text != dash || lb.Rows[1][4].Text != dash {
		t.Errorf("intervals %q, %q from 2 seeds, want %s", lb.Rows[0][4].Text, lb.Rows[1][4].Text, dash)
	}
	if notes := strings.Join(lb.Notes, "\n"); !strings.Contains(notes, "fewer than 3 seeds per configuration: no confidence interval") {
		t.Errorf("no warning about 2 seeds:\n%s", notes)
	}
}
