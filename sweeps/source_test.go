package sweeps

import (
	"fmt"
	"strings"
	"testing"

	"github.com/optbench/optbench/search"
)

// TestSearchFingerprint: the fingerprint depends on what is searched, not
// on seeds or budget, and is the same each time a file is parsed.
func TestSearchFingerprint(t *testing.T) {
	const base = `name: fp
experiment: moons-mlp
seeds: %s
budget: {epochs: %d}
search: {method: %s, samples: 4, seed: 1}
parameters:
  optimizer: [gd, adam]
  lr: %s
`
	fp := func(seeds string, epochs int, method, lr string) string {
		t.Helper()
		src := fmt.Sprintf(base, seeds, epochs, method, lr)
		if method == "grid" {
			src = strings.Replace(src, ", samples: 4, seed: 1", "", 1)
		}
		s, err := Parse("fp.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return s.SearchFingerprint()
	}
	a := fp("2", 5, "random", "{log_uniform: [0.001, 0.1]}")
	if a != fp("2", 5, "random", "{log_uniform: [0.001, 0.1]}") {
		t.Fatal("the same file parsed twice has two fingerprints")
	}
	if a != fp("[7, 8, 9]", 50, "random", "{log_uniform: [0.001, 0.1]}") {
		t.Error("seeds and budget changed the fingerprint")
	}
	if a == fp("2", 5, "random", "{log_uniform: [0.001, 0.2]}") {
		t.Error("another lr range has the same fingerprint")
	}
	if fp("2", 5, "grid", "[0.01, 0.1]") == fp("2", 5, "grid", "[0.01, 0.2]") {
		t.Error("another lr grid has the same fingerprint")
	}
}

// TestAdaptiveHyperbandTPE: pruner hyperband with search tpe builds
// Hyperband whose brackets tpe proposes (a BOHB-like search); samples must
// cover the brackets, and successive halving with tpe is refused.
func TestAdaptiveHyperbandTPE(t *testing.T) {
	const src = `name: bohb
experiment: moons-mlp
metric: {name: val_loss, goal: minimize}
search: {method: tpe, samples: %d, seed: 1, startup: 4}
pruner: {method: %s, min_epochs: 1, max_epochs: 9, eta: 3}
parameters:
  optimizer: [momentum, adam]
  lr: {log_uniform: [0.001, 0.3]}
`
	s, err := Parse("bohb.yaml", []byte(fmt.Sprintf(src, 17, "hyperband")))
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Adaptive()
	if err != nil {
		t.Fatal(err)
	}
	hb, ok := m.(*search.Hyperband)
	if !ok {
		t.Fatalf("Adaptive() is %T; want *search.Hyperband", m)
	}
	if got, want := search.FormatBrackets(hb.Brackets()), search.FormatBrackets(search.Brackets(1, 9, 3)); got != want {
		t.Errorf("brackets\n%s\nwant\n%s", got, want)
	}
	props, done, err := m.Next(0, nil)
	if err != nil || done || len(props) != 9 || props[0].PruneAt != 1 {
		t.Errorf("generation 0: %d proposals, done %v, %v; want 9 pruned at 1", len(props), done, err)
	}

	for _, tt := range []struct {
		samples int
		pruner  string
		want    string
	}{
		{16, "hyperband", "bohb.yaml:5:1: pruner: hyperband with min_epochs 1, max_epochs 9, eta 3 draws 17 configurations; the tpe search gives 16"},
		{17, "successive_halving", "bohb.yaml:5:1: pruner: successive_halving draws all its configurations before any result, so tpe would only draw at random"},
		{17, "hyperband", "bohb.yaml:5:1: pruner: search: hyperband: tpe: the space has 4 configurations; the brackets draw 17"},
	} {
		src := fmt.Sprintf(src, tt.samples, tt.pruner)
		if strings.Contains(tt.want, "the space has") {
			src = strings.Replace(src, "{log_uniform: [0.001, 0.3]}", "[0.01, 0.1]", 1)
		}
		_, err := Parse("bohb.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("samples %d, %s: %v; want %q", tt.samples, tt.pruner, err, tt.want)
		}
	}
}
