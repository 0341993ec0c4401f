package engine

import (
	"bytes"
	"testing"
)

func TestTrialKeyStable(t *testing.T) {
	tr := Trial{Sweep: "s", Experiment: "moons-mlp", Seed: 3, Budget: Budget{Epochs: 10},
		Params: Params{"optimizer": "adam", "lr": 0.001, "hidden": []float64{16, 16}, "batch_norm": false}}
	// The canonical form and key are part of the database format: they must
	// never change for the same configuration. The key was computed with
	// `printf '%s' "$canonical" | sha256sum | cut -c1-16`.
	const canonical = `{"experiment":"moons-mlp","params":{"batch_norm":false,"hidden":[16,16],"lr":0.001,"optimizer":"adam"},"seed":3,"budget":{"epochs":10}}`
	const want = "6700b507362992f5"
	if got := string(tr.Canonical()); got != canonical {
		t.Errorf("Canonical() =\n%s\nwant\n%s", got, canonical)
	}
	got := tr.Key()
	if len(got) != 16 {
		t.Fatalf("key %q is not 16 hex digits", got)
	}
	other := tr
	other.Sweep = "another sweep"
	if other.Key() != got {
		t.Error("the sweep name changed the key")
	}
	other.Params = tr.Params.Clone()
	other.Params["lr"] = 0.0010000000000000002
	if other.Key() == got {
		t.Error("a different learning rate gave the same key")
	}
	if got != want {
		t.Errorf("Key() = %s, want %s (the canonical form changed)", got, want)
	}
}

func TestParseTrialRoundTrip(t *testing.T) {
	tr := Trial{Experiment: "c2w2-moons", Seed: 3, Budget: Budget{Epochs: 5000, Steps: 7, WallSeconds: 1.5},
		Params: Params{"optimizer": "adam", "lr": 0.1, "hidden": []float64{5, 2}, "batch_norm": true}}
	back, err := ParseTrial(tr.Canonical())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back.Canonical(), tr.Canonical()) || back.Key() != tr.Key() {
		t.Errorf("round trip changed the trial:\n%s\n%s", tr.Canonical(), back.Canonical())
	}
	if h, _ := back.Params.Ints("hidden"); len(h) != 2 || h[0] != 5 || h[1] != 2 {
		t.Errorf("hidden = %v", h)
	}
	if _, err := ParseTrial([]byte("{")); err == nil {
		t.Error("ParseTrial accepted broken JSON")
	}
}

// TestCloneEmptyList: a configuration without hidden layers keys and
// reads back the same after Clone, as search.Template.Cross clones every
// configuration (found by sweeps.FuzzExpand).
func TestCloneEmptyList(t *testing.T) {
	tr := Trial{Experiment: "moons-mlp", Params: Params{"hidden": []float64{}}}
	clone := tr
	clone.Params = tr.Params.Clone()
	if got, want := string(clone.Canonical()), string(tr.Canonical()); got != want {
		t.Errorf("Canonical of the clone =\n%s\nwant\n%s", got, want)
	}
	back, err := ParseTrial(clone.Canonical())
	if err != nil || back.Key() != tr.Key() {
		t.Errorf("ParseTrial of the clone: key %s, %v; want %s", back.Key(), err, tr.Key())
	}
}

func TestFormatValue(t *testing.T) {
	for _, tt := range []struct {
		v    any
		want string
	}{{0.001, "0.001"}, {64.0, "64"}, {"adam", "adam"}, {true, "true"}, {[]float64{5, 2}, "5x2"}} {
		if got := FormatValue(tt.v); got != tt.want {
			t.Errorf("FormatValue(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
