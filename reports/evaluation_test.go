package reports

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/optbench/optbench/engine"
)

// testSplitInput is demoInput's kind of sweep whose trials also recorded
// test_accuracy and test_loss on a separately generated test set, with
// the test set disagreeing with validation: the configuration best by
// val_accuracy is not the best on the test set.
func testSplitInput() Input {
	var cfgs []fixtureConfig
	for _, lr := range []float64{0.001, 0.01, 0.1} {
		cfgs = append(cfgs, fixtureConfig{"adam", engine.Params{"optimizer": "adam", "lr": lr, "batch_size": 32.0}, 0.9 - lr, nil})
		cfgs = append(cfgs, fixtureConfig{"gd", engine.Params{"optimizer": "gd", "lr": lr, "batch_size": 32.0}, 0.85 - lr, nil})
	}
	trials := buildTrials("course", cfgs, 3)
	for i := range trials {
		f := trials[i].Final
		lr := trials[i].Params["lr"].(float64)
		// On the test set the largest rate does best, whatever validation says.
		f["test_accuracy"] = 0.8 + lr + 0.001*float64(trials[i].Seed)
		f["test_loss"] = 1 - f["test_accuracy"]
	}
	sw := demoSweep()
	sw.Name = "course"
	return Input{Sweep: sw, Trials: trials}
}

// TestLeaderboardEvaluation: the leaderboard picks each optimizer's best
// configuration by the sweep's metric (validation) and shows the chosen
// configuration's test metric beside it, labelled as evaluation, with a
// note; the test metric changes neither the choice nor the ranks.
func TestLeaderboardEvaluation(t *testing.T) {
	r, err := Analyze(context.Background(), testSplitInput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	lb := r.Leaderboard()
	last := lb.Columns[len(lb.Columns)-1]
	if last.Name != "test_accuracy (evaluation)" {
		t.Fatalf("last column %q, want test_accuracy (evaluation)", last.Name)
	}
	for _, row := range lb.Rows {
		params := row[2].Text
		if !strings.Contains(params, "lr=0.001") {
			t.Errorf("row %s chose %q; want lr=0.001, the best by val_accuracy (the test set must not choose)", row[1].Text, params)
		}
		// lr = 0.001 on seeds 0, 1, 2: 0.801, 0.802, 0.803.
		mean := row[len(row)-1].Values[0].(float64)
		if !scalar.EqualWithinAbsOrRel(mean, 0.802, 1e-12, 1e-12) {
			t.Errorf("row %s: test mean %v, want 0.802 (the fixture's values)", row[1].Text, mean)
		}
	}
	if notes := strings.Join(lb.Notes, "\n"); !strings.Contains(notes, "evaluation, not selection") {
		t.Errorf("no note on evaluation:\n%s", notes)
	}
	var buf bytes.Buffer
	if err := lb.Write(&buf, FormatText, 140); err != nil {
		t.Fatal(err)
	}
	golden(t, "evaluation-leaderboard.txt", buf.Bytes())

	// Ranked by a loss, the evaluation is the test loss.
	in := testSplitInput()
	in.Sweep.Metric, in.Sweep.Goal = "val_loss", "minimize"
	r, err = Analyze(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	lb = r.Leaderboard()
	if got := lb.Columns[len(lb.Columns)-1].Name; got != "test_loss (evaluation)" {
		t.Errorf("ranked by val_loss: last column %q, want test_loss (evaluation)", got)
	}
}

// TestLeaderboardWithoutTestSet: trials without test metrics get no
// evaluation column (the golden leaderboards of TestTablesGolden hold the
// layout).
func TestLeaderboardWithoutTestSet(t *testing.T) {
	r, err := Analyze(context.Background(), demoInput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Leaderboard().Columns {
		if strings.Contains(c.Name, "evaluation") {
			t.Errorf("column %q without a test set", c.Name)
		}
	}
}
