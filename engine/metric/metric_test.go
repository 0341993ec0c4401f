package metric

import (
	"math"
	"slices"
	"testing"
)

func TestIDs(t *testing.T) {
	tests := []struct {
		id   ID
		name string
	}{
		{TrainLoss, "train_loss"}, {TrainAccuracy, "train_accuracy"}, {ValLoss, "val_loss"},
		{ValAccuracy, "val_accuracy"}, {LR, "lr"}, {GradNorm, "grad_norm"}, {X, "x"}, {Y, "y"},
	}
	if len(tests) != int(NumPerEpoch) {
		t.Fatalf("%d IDs tested, %d declared", len(tests), NumPerEpoch)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.id.Name(); got != tt.name {
				t.Errorf("ID %d is %s, want %s", tt.id, got, tt.name)
			}
			if id, ok := EpochID(tt.name); !ok || id != tt.id {
				t.Errorf("EpochID(%q) = %d, %v; want %d", tt.name, id, ok, tt.id)
			}
			if d, ok := Lookup(tt.name); !ok || !d.PerEpoch {
				t.Errorf("Lookup(%q) = %+v, %v; want a per-epoch metric", tt.name, d, ok)
			}
		})
	}
	if _, ok := EpochID("train_eval_loss"); ok {
		t.Error("train_eval_loss, a final metric, has an epoch ID")
	}
	if _, ok := Lookup(WallTime.Name); ok {
		t.Error("wall time is among the metrics")
	}
}

// TestRecorded: the metrics each kind of trial records (the lists that
// experiments.Records returned before the declaration, reordered).
func TestRecorded(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		has  Needs
		want []string
	}{
		{"function", Function, 0, []string{"train_loss", "distance_to_minimum", "lr", "grad_norm", "x", "y"}},
		{"regression", Network, 0, []string{"train_loss", "train_eval_loss", "lr", "grad_norm"}},
		{"regression with validation", Network, Validation,
			[]string{"train_loss", "val_loss", "train_eval_loss", "lr", "grad_norm"}},
		{"classifier", Network, Classification,
			[]string{"train_loss", "train_accuracy", "train_eval_loss", "train_eval_accuracy", "train_correct", "lr", "grad_norm"}},
		{"classifier with validation", Network, Classification | Validation,
			[]string{"train_loss", "train_accuracy", "val_loss", "val_accuracy", "train_eval_loss", "train_eval_accuracy",
				"train_correct", "val_correct", "lr", "grad_norm"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Recorded(tt.kind, tt.has); !slices.Equal(got, tt.want) {
				t.Errorf("Recorded = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAppendDefined(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		values Values
		want   []string
	}{
		{"undefined", Undefined(), []string{"train_loss"}},
		{"function", Values{nan, nan, nan, nan, 0.1, 2, 1, -1}, []string{"train_loss", "lr", "grad_norm", "x", "y"}},
		{"classifier", Values{1, 0.5, 2, 0.25, 0.1, 3, nan, nan},
			[]string{"train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "grad_norm"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, v := range tt.values.AppendDefined(nil) {
				got = append(got, v.Name)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("AppendDefined names %v, want %v", got, tt.want)
			}
		})
	}
}

// TestExtras: train_last_batch_loss is per-epoch but has no ID (it is not
// in Values), and only trials that ask for it record it.
func TestExtras(t *testing.T) {
	ex := Extras()
	if len(ex) != NumExtra || ex[0].Name != TrainLastBatchLoss || !ex[0].PerEpoch {
		t.Fatalf("Extras() = %+v", ex)
	}
	if _, ok := EpochID(TrainLastBatchLoss); ok {
		t.Error("an extra metric has an epoch ID")
	}
	if slices.Contains(Recorded(Network, Classification), TrainLastBatchLoss) ||
		!slices.Contains(Recorded(Network, Classification|LastBatch), TrainLastBatchLoss) {
		t.Error("train_last_batch_loss recorded without being asked, or not when asked")
	}
}
