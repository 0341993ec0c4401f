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

// TestConfigKey: trials that differ only in their seed share a
// configuration key, which is not any of their trial keys; another
// parameter or budget is another configuration.
func TestConfigKey(t *testing.T) {
	a := Trial{Experiment: "moons-mlp", Params: Params{"lr": 0.1}, Seed: 1, Budget: Budget{Epochs: 10}}
	b := a
	b.Seed = 2
	if a.ConfigKey() != b.ConfigKey() || a.ConfigKey() == a.Key() || a.ConfigKey() == b.Key() {
		t.Errorf("config keys %s, %s; trial keys %s, %s", a.ConfigKey(), b.ConfigKey(), a.Key(), b.Key())
	}
	c := a
	c.Params = Params{"lr": 0.2}
	if c.ConfigKey() == a.ConfigKey() || a.Continue(20).ConfigKey() == a.ConfigKey() {
		t.Error("another lr or budget has the same configuration key")
	}
	if len(a.ConfigKey()) != 16 {
		t.Errorf("config key %q is not 16 hex digits", a.ConfigKey())
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
