package train

import (
	"math"
	"slices"
	"testing"

	"github.com/optbench/optbench/engine/metric"
)

// TestLastBatchLoss: train_last_batch_loss is recorded only when asked
// for; with the full batch it is the epoch's cost; with mini-batches it is
// the mean loss of the last (here 200 − 3·64 = 8 examples).
func TestLastBatchLoss(t *testing.T) {
	_, plain := collect(t, newTrainer(t, 5, "gd", 0.1, Config{Epochs: 2, BatchSize: 64}))
	for _, e := range plain {
		if e.Extra != nil {
			t.Fatalf("epoch %d records %v without being asked", e.Epoch, e.Extra)
		}
		var names []string
		for _, m := range e.Metrics() {
			names = append(names, m.Name)
		}
		if slices.Contains(names, "train_last_batch_loss") {
			t.Fatalf("epoch %d lists %v", e.Epoch, names)
		}
	}
	_, full := collect(t, newTrainer(t, 5, "gd", 0.1, Config{Epochs: 3, LastBatchLoss: true}))
	for _, e := range full {
		if got, want := lastBatch(e), e.Values[metric.TrainLoss]; got != want {
			t.Errorf("full batch, epoch %d: last batch %v, epoch cost %v; want equal", e.Epoch, got, want)
		}
	}
	_, mini := collect(t, newTrainer(t, 5, "gd", 0.1, Config{Epochs: 2, BatchSize: 64, LastBatchLoss: true}))
	for i, e := range mini {
		if e.Values[metric.TrainLoss] != plain[i].Values[metric.TrainLoss] {
			t.Errorf("epoch %d: asking for the last batch changed train_loss", i)
		}
		if v := lastBatch(e); !(v > 0) || v == e.Values[metric.TrainLoss] {
			t.Errorf("epoch %d: last batch loss %v beside epoch cost %v", i, v, e.Values[metric.TrainLoss])
		}
	}
}

// TestInfiniteLoss: an infinite loss diverges by default; under
// InfiniteLoss it is a value, and only a NaN loss or a non-finite
// parameter diverges.
func TestInfiniteLoss(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	tests := []struct {
		name         string
		loss         float64
		params       []float64
		infOK, stops bool
	}{
		{"inf diverges by default", inf, []float64{1}, false, true},
		{"inf is a value", inf, []float64{1}, true, false},
		{"NaN diverges", nan, []float64{1}, true, true},
		{"non-finite parameter diverges", inf, []float64{inf}, true, true},
		{"finite goes on", 0.5, []float64{1}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res Result
			stops := res.endEpoch(NewEpoch(0).With(metric.TrainLoss, tt.loss), 1, tt.params, nil, false, tt.infOK)
			if stops != tt.stops || (stops && res.Status != Diverged) {
				t.Errorf("stops %v with status %q, want stops %v (diverged)", stops, res.Status, tt.stops)
			}
		})
	}
}

func lastBatch(e Epoch) float64 { return e.ExtraValue(metric.TrainLastBatchLoss) }
