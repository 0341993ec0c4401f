package engine

import "testing"

// TestKeyed: a kept key is the computed one, and Continue, which changes
// the budget, drops it.
func TestKeyed(t *testing.T) {
	tr := Trial{Experiment: "moons-mlp", Params: Params{"lr": 0.1, "optimizer": "adam"}, Seed: 4, Budget: Budget{Epochs: 10}}
	k := tr.Keyed()
	if k.Key() != tr.Key() || k.key == "" {
		t.Fatalf("kept key %q, computed %q", k.key, tr.Key())
	}
	c := k.Continue(20)
	if c.Key() == k.Key() || c.Key() != tr.Continue(20).Key() {
		t.Errorf("continued key %s, want the key of the 20-epoch trial %s", c.Key(), tr.Continue(20).Key())
	}
}

func BenchmarkKey(b *testing.B) {
	tr := Trial{Experiment: "moons-mlp", Params: Params{"lr": 0.1, "optimizer": "adam", "beta1": 0.9, "beta2": 0.999,
		"hidden": []float64{5, 2}, "batch_size": 64.0}, Seed: 4, Budget: Budget{Epochs: 10}}
	b.Run("computed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = tr.Key()
		}
	})
	k := tr.Keyed()
	b.Run("kept", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = k.Key()
		}
	})
}
