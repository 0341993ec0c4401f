package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/reports/stats"
	"github.com/optbench/optbench/results"
)

// snapshot builds a sweep of val_accuracy values: per optimizer (lr 0.1),
// one trial per seed with the given values.
func snapshot(name string, byOpt map[string][]float64) *results.Snapshot {
	s := &results.Snapshot{Source: name, Sweep: "s", Experiment: "moons-mlp", Metric: "val_accuracy", Goal: "maximize",
		Numerics: []string{"1"}}
	for opt, vals := range byOpt {
		for seed, v := range vals {
			p := engine.Params{"optimizer": opt, "lr": 0.1}
			tr := engine.Trial{Experiment: "moons-mlp", Params: p, Seed: uint64(seed), Budget: engine.Budget{Epochs: 5}}
			s.Trials = append(s.Trials, results.SnapshotTrial{Key: tr.Key(), ConfigKey: tr.ConfigKey(), Seed: uint64(seed),
				Status: train.Completed, Optimizer: opt, Params: p, Final: map[string]float64{"val_accuracy": v},
				Numerics: "1", Epochs: 5, Digest: strings.Repeat("a", 64)})
		}
	}
	return s
}

func compareOf(t *testing.T, base, cand *results.Snapshot, opt CompareOptions) *Comparison {
	t.Helper()
	c, err := CompareSnapshots(context.Background(), base, cand, opt)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCompareSnapshots: identical samples are no change and nothing
// changed bit for bit; a lower accuracy (the goal is maximize) is a
// regression with a negative change; a higher one an improvement; one
// seed a side is a warning, not a verdict; a configuration on one side
// only is listed; a status that got worse is a regression by itself.
func TestCompareSnapshots(t *testing.T) {
	base := snapshot("base", map[string][]float64{
		"adam": {0.90, 0.91, 0.92, 0.90, 0.91}, "gd": {0.80, 0.81, 0.79, 0.80, 0.82}, "rmsprop": {0.85},
		"momentum": {0.88, 0.87, 0.89}})

	same := compareOf(t, base, base, CompareOptions{})
	if same.Changed != 0 || same.Regressions != 0 || same.Improvements != 0 || len(same.Configs) != 4 {
		t.Fatalf("a sweep against itself: %+v", same)
	}
	if s := same.Summary(); s != "nothing changed: 4 configurations, every trial bit-identical" {
		t.Errorf("Summary() = %q", s)
	}

	cand := snapshot("cand", map[string][]float64{
		"adam":     {0.80, 0.81, 0.80, 0.79, 0.80}, // worse: regressed
		"gd":       {0.90, 0.91, 0.92, 0.90, 0.91}, // better: improved
		"rmsprop":  {0.95},                         // one seed a side: no test
		"nesterov": {0.9, 0.9},                     // only in the candidate
	})
	for i := range cand.Trials {
		cand.Trials[i].Digest = strings.Repeat("b", 64)
	}
	c := compareOf(t, base, cand, CompareOptions{})
	byLabel := map[string]*ConfigComparison{}
	for _, cfg := range c.Configs {
		byLabel[cfg.Label] = cfg
	}
	adam, gd, rms := byLabel["adam"], byLabel["gd"], byLabel["rmsprop"]
	if adam == nil || gd == nil || rms == nil {
		t.Fatalf("configurations %v", byLabel)
	}
	if m := adam.Metrics[0]; adam.Verdict != stats.Regressed || m.Change >= 0 || !(m.P < 0.05) {
		t.Errorf("adam: %v, change %v, p %v; want regressed with a negative change", adam.Verdict, m.Change, m.P)
	}
	if m := gd.Metrics[0]; gd.Verdict != stats.Improved || m.Change <= 0 {
		t.Errorf("gd: %v, change %v; want improved", gd.Verdict, m.Change)
	}
	if m := rms.Metrics[0]; rms.Verdict != stats.NoChange || len(m.Warnings) == 0 {
		t.Errorf("rmsprop with one seed a side: %v, warnings %v; want no verdict and a warning", rms.Verdict, m.Warnings)
	}
	if len(c.OnlyBase) != 1 || c.OnlyBase[0].Label != "momentum" || len(c.OnlyCandidate) != 1 || c.OnlyCandidate[0].Label != "nesterov" {
		t.Errorf("one side only: base %v, candidate %v", c.OnlyBase, c.OnlyCandidate)
	}
	if c.Regressions != 1 || c.Improvements != 1 || c.Changed != 3 {
		t.Errorf("%d regressed, %d improved, %d changed; want 1, 1, 3", c.Regressions, c.Improvements, c.Changed)
	}
	if !strings.Contains(adam.FirstDiff, "seed 0: curve digest aaaaaaaaaaaa, now bbbbbbbbbbbb") || adam.Differ != 5 {
		t.Errorf("adam changed: %d, %q", adam.Differ, adam.FirstDiff)
	}

	// A seed that diverged in the candidate is a regression by itself.
	worse := snapshot("worse", map[string][]float64{"adam": {0.90, 0.91, 0.92, 0.90, 0.91}})
	worse.Trials[2].Status = train.Diverged
	w := compareOf(t, snapshot("b", map[string][]float64{"adam": {0.90, 0.91, 0.92, 0.90, 0.91}}), worse, CompareOptions{})
	if w.Regressions != 1 || len(w.Configs[0].StatusChanges) != 1 || w.Configs[0].StatusChanges[0] != "seed 2: completed → diverged" {
		t.Errorf("a diverged seed: %d regressions, %v", w.Regressions, w.Configs[0].StatusChanges)
	}

	// Renderings: the table names the regression, JSON is one valid
	// document, JUnit has a failure for adam only.
	var text bytes.Buffer
	if err := c.Table().WriteText(&text, 160); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "regressed") || !strings.Contains(text.String(), "only in candidate: nesterov (2 trials)") {
		t.Errorf("text:\n%s", text.String())
	}
	var js bytes.Buffer
	if err := c.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Regressions int `json:"regressions"`
		Configs     []struct {
			Label   string `json:"label"`
			Verdict string `json:"verdict"`
		} `json:"configs"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || doc.Regressions != 1 || len(doc.Configs) != 3 {
		t.Errorf("JSON %v: %+v", err, doc)
	}
	var ju bytes.Buffer
	if err := c.WriteJUnit(&ju, false); err != nil {
		t.Fatal(err)
	}
	var suite struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
	}
	if err := xml.Unmarshal(ju.Bytes(), &suite); err != nil || suite.Tests != 5 || suite.Failures != 1 || suite.Skipped != 2 {
		t.Errorf("JUnit %v: %+v\n%s", err, suite, ju.String())
	}
	ju.Reset()
	if err := c.WriteJUnit(&ju, true); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(ju.Bytes(), &suite); err != nil || suite.Failures != 3 {
		t.Errorf("JUnit --exact: %d failures, want 3 (every changed configuration)", suite.Failures)
	}
}

// TestCompareIgnore: with --ignore lr, runs at another learning rate
// match as one configuration.
func TestCompareIgnore(t *testing.T) {
	base := snapshot("base", map[string][]float64{"adam": {0.90, 0.91, 0.92, 0.90, 0.91}})
	cand := snapshot("cand", map[string][]float64{"adam": {0.70, 0.71, 0.72, 0.70, 0.71}})
	for i := range cand.Trials {
		cand.Trials[i].Params = engine.Params{"optimizer": "adam", "lr": 0.001}
		cand.Trials[i].ConfigKey, cand.Trials[i].Key = "other", "other"+cand.Trials[i].Key
	}
	if c := compareOf(t, base, cand, CompareOptions{}); len(c.Configs) != 0 || len(c.OnlyBase) != 1 {
		t.Fatalf("without --ignore: %d matched", len(c.Configs))
	}
	c := compareOf(t, base, cand, CompareOptions{Ignore: []string{"lr"}})
	if len(c.Configs) != 1 || c.Regressions != 1 || c.Configs[0].Seeds != 0 || c.Configs[0].Label != "adam" {
		t.Fatalf("with --ignore lr: %d matched, %d regressed, %d seeds matched by key", len(c.Configs), c.Regressions, c.Configs[0].Seeds)
	}
}
