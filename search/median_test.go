package search

import (
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

// stopEpoch feeds curve to r as the epochs of a trial of seed seed and
// returns the epoch it was stopped after (−1: never) and the reason.
func stopEpoch(r *MedianRule, id metric.ID, seed uint64, curve []float64) (int, string) {
	tr := engine.Trial{Experiment: "fake", Seed: seed, Budget: engine.Budget{Epochs: len(curve)}}.Keyed()
	for e, v := range curve {
		if d := r.Decide(tr, train.NewEpoch(e).With(id, v)); d.Stop {
			return e, d.Reason
		}
	}
	return -1, ""
}

func completed(curve ...float64) Observation {
	return Observation{Status: train.Completed, Curve: curve, Value: curve[len(curve)-1]}
}

// TestMedianRule on hand-made histories: the trial's best so far against
// the median, at the same epoch, of the earlier completed configurations.
func TestMedianRule(t *testing.T) {
	nan := math.NaN()
	// Medians by epoch 6, 5, 4, 3; the pruned and failed configurations
	// do not count.
	losses := []Observation{
		completed(4, 3, 2, 1), completed(6, 5, 4, 3), completed(8, 7, 6, 5),
		{Status: train.Pruned, Curve: []float64{0, 0}, Value: 0},
		{Status: train.Failed, Value: nan},
	}
	tests := []struct {
		name     string
		settings Median
		history  []Observation
		curve    []float64
		want     int // epoch stopped after; −1 never
	}{
		{name: "better than the median", settings: Median{Metric: "train_loss", Startup: 3},
			history: losses, curve: []float64{5, 4, 3, 2}, want: -1},
		{name: "worse at once", settings: Median{Metric: "train_loss", Startup: 3},
			history: losses, curve: []float64{7, 1, 1, 1}, want: 0},
		{name: "warmup", settings: Median{Metric: "train_loss", Startup: 3, WarmupEpochs: 2},
			history: losses, curve: []float64{7, 7, 7, 7}, want: 2},
		{name: "best so far, equal to the median goes on", settings: Median{Metric: "train_loss", Startup: 3},
			history: losses, curve: []float64{5, 9, 9, 9}, want: 2},
		{name: "startup not reached", settings: Median{Metric: "train_loss", Startup: 4},
			history: losses, curve: []float64{9, 9, 9, 9}, want: -1},
		{name: "startup default 5", settings: Median{Metric: "train_loss"},
			history: losses, curve: []float64{9, 9, 9, 9}, want: -1},
		{name: "no history", settings: Median{Metric: "train_loss", Startup: 1},
			curve: []float64{9, 9}, want: -1},
		{name: "beyond the reference curves", settings: Median{Metric: "train_loss", Startup: 2},
			history: []Observation{completed(2, 2), completed(3, 3)}, curve: []float64{1, 1, 100, 100}, want: -1},
		{name: "even count: mean of the middle two", settings: Median{Metric: "train_loss", Startup: 2},
			history: []Observation{completed(2, 2), completed(3, 3)}, curve: []float64{2.6, 1}, want: 0},
		{name: "even count: equal to the mean goes on", settings: Median{Metric: "train_loss", Startup: 2},
			history: []Observation{completed(2, 2), completed(3, 3)}, curve: []float64{2.5, 2.7}, want: -1},
		{name: "NaN in the trial and the reference", settings: Median{Metric: "train_loss", Startup: 3},
			history: append([]Observation{completed(nan, nan, 9)}, losses[:2]...), curve: []float64{nan, 5.5, 9}, want: 1},
		{name: "maximize", settings: Median{Metric: "val_accuracy", Startup: 2},
			history: []Observation{completed(0.5, 0.6), completed(0.7, 0.8)}, curve: []float64{0.65, 0.6}, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewMedianRule(tt.settings, tt.history)
			if err != nil {
				t.Fatal(err)
			}
			id, _ := metric.EpochID(tt.settings.Metric)
			got, reason := stopEpoch(r, id, 1, tt.curve)
			if got != tt.want {
				t.Fatalf("stopped after epoch %d (%s); want %d", got, reason, tt.want)
			}
			// The same trial again (a rerun): its running best starts over.
			if again, _ := stopEpoch(r, id, 1, tt.curve); again != got {
				t.Errorf("rerun stopped after epoch %d; first run %d", again, got)
			}
		})
	}
}

func TestMedianRuleReason(t *testing.T) {
	r, err := NewMedianRule(Median{Metric: "train_loss", Startup: 2}, []Observation{completed(1, 1), completed(3, 1)})
	if err != nil {
		t.Fatal(err)
	}
	_, reason := stopEpoch(r, metric.TrainLoss, 0, []float64{2.5})
	if want := "median rule: best train_loss 2.5 is worse than the median 2 of 2 earlier configurations"; reason != want {
		t.Errorf("reason %q; want %q", reason, want)
	}
}

func TestMedianRuleSettings(t *testing.T) {
	tests := []struct {
		settings Median
		wantErr  string
	}{
		{Median{Metric: "nope"}, `"nope" is not a per-epoch metric`},
		{Median{Metric: "train_eval_loss"}, `"train_eval_loss" is not a per-epoch metric`},
		{Median{Metric: "lr"}, "lr has no better direction"},
		{Median{Metric: "train_loss", WarmupEpochs: -1}, "warmup_epochs -1"},
	}
	for _, tt := range tests {
		t.Run(tt.settings.Metric, func(t *testing.T) {
			if _, err := NewMedianRule(tt.settings, nil); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %v; want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestMedianRuleConcurrent: trials decided at once from many goroutines,
// epochs interleaved, get the decisions each would get alone (run with
// -race to check the locking too).
func TestMedianRuleConcurrent(t *testing.T) {
	history := []Observation{completed(4, 3, 2, 1, 0), completed(6, 5, 4, 3, 2), completed(8, 7, 6, 5, 4)}
	r, err := NewMedianRule(Median{Metric: "train_loss", Startup: 3}, history)
	if err != nil {
		t.Fatal(err)
	}
	curve := func(seed int) []float64 { // some stop, at different epochs
		c := make([]float64, 5)
		for e := range c {
			c[e] = float64(seed%7) + 1 - float64(e)*float64(seed%3)/2
		}
		return c
	}
	const trials = 64
	want := make([]int, trials)
	for seed := range trials {
		want[seed], _ = stopEpoch(r, metric.TrainLoss, uint64(seed), curve(seed))
	}
	got := make([]int, trials)
	var wg sync.WaitGroup
	for seed := range trials {
		wg.Go(func() { got[seed], _ = stopEpoch(r, metric.TrainLoss, uint64(seed), curve(seed)) })
	}
	wg.Wait()
	stopped := 0
	for seed := range trials {
		if got[seed] != want[seed] {
			t.Errorf("trial %d: stopped after %d concurrently, %d alone", seed, got[seed], want[seed])
		}
		if want[seed] >= 0 {
			stopped++
		}
	}
	if stopped == 0 || stopped == trials {
		t.Errorf("%d of %d trials stopped; want some", stopped, trials)
	}
	if len(r.best) != 0 {
		t.Errorf("%d running bests kept after every trial ended", len(r.best))
	}
}
