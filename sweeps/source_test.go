package sweeps

import (
	"fmt"
	"strings"
	"testing"
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
