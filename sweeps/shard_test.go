package sweeps

import (
	"context"
	"fmt"
	"testing"

	"github.com/optbench/optbench/engine"
)

// sobolFixture is a small sobol sweep; no shipped sweep uses the method.
const sobolFixture = `name: sobol-shard
experiment: moons-mlp
seeds: 2
budget: {epochs: 5}
search: {method: sobol, samples: 13, seed: 3}
parameters:
  lr: {log_uniform: [1e-4, 1e-1]}
  batch_size: [8, 64, full]
`

// TestSplitPartitionsSweeps checks that the shards of grid, random, list
// and sobol sweeps hold every trial of the sweep exactly once, and that
// the costliest shard exceeds the cheapest by at most the costliest trial
// (the bound of greedy assignment to the cheapest shard).
func TestSplitPartitionsSweeps(t *testing.T) {
	sobol, err := Parse("sobol-shard.yaml", []byte(sobolFixture))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		method string
		load   func() (*Sweep, error)
	}{
		{"grid", func() (*Sweep, error) { return Load(context.Background(), "batch-size.yaml") }},
		{"random", func() (*Sweep, error) { return Load(context.Background(), "random-adam.yaml") }},
		{"list", func() (*Sweep, error) { return Load(context.Background(), "c2w2-optimization.yaml") }},
		{"sobol", func() (*Sweep, error) { return sobol, nil }},
	} {
		s, err := tc.load()
		if err != nil {
			t.Fatal(err)
		}
		if s.Method != tc.method {
			t.Fatalf("%s: method %s, want %s", s.Name, s.Method, tc.method)
		}
		trials := mustTrials(t, s)
		for _, n := range []int{1, 2, 3, 7} {
			t.Run(fmt.Sprintf("%s/%d", tc.method, n), func(t *testing.T) {
				checkSplit(t, trials, n)
			})
		}
	}
}

func checkSplit(t *testing.T, trials []engine.Trial, n int) {
	t.Helper()
	want := map[string]bool{}
	largest := 0.0
	for _, tr := range trials {
		want[tr.Key()] = true
		largest = max(largest, TrialCost(tr))
	}
	got := map[string]int{}
	minCost, maxCost := -1.0, 0.0
	for i := range n {
		sel, positions := Shard{Index: i, Count: n}.Select(trials)
		cost := 0.0
		for j, tr := range sel {
			if j > 0 && positions[j] <= positions[j-1] {
				t.Errorf("shard %d/%d: positions %d then %d, not in plan order", i, n, positions[j-1], positions[j])
			}
			if trials[positions[j]].Key() != tr.Key() {
				t.Errorf("shard %d/%d: trial %d is not the plan's trial at position %d", i, n, j, positions[j])
			}
			if prev, ok := got[tr.Key()]; ok {
				t.Errorf("trial %s in shards %d and %d", tr.Key(), prev, i)
			}
			got[tr.Key()] = i
			cost += TrialCost(tr)
		}
		maxCost = max(maxCost, cost)
		if minCost < 0 || cost < minCost {
			minCost = cost
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d distinct trials in the shards, want the sweep's %d", len(got), len(want))
	}
	for k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("trial %s in no shard", k)
		}
	}
	if maxCost > minCost+largest {
		t.Errorf("costs: max shard %g > min shard %g + largest trial %g", maxCost, minCost, largest)
	}
}

func TestTrialCost(t *testing.T) {
	s, err := Load(context.Background(), "batch-size.yaml")
	if err != nil {
		t.Fatal(err)
	}
	costs := map[float64]float64{}
	for _, tr := range mustTrials(t, s) {
		b, _ := tr.Params.Float("batch_size")
		costs[b] = TrialCost(tr)
	}
	// moons-mlp trains on 800 examples for 20 epochs (batch-size.yaml).
	for batch, want := range map[float64]float64{1: 20 * 800, 64: 20 * 13, 512: 20 * 2, 0: 20} {
		if costs[batch] != want {
			t.Errorf("batch_size %g: cost %g, want %g", batch, costs[batch], want)
		}
	}
}

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Shard
		err  bool
	}{
		{"0/1", Shard{0, 1}, false},
		{"2/3", Shard{2, 3}, false},
		{"3/3", Shard{}, true},
		{"-1/3", Shard{}, true},
		{"0/0", Shard{}, true},
		{"1", Shard{}, true},
		{"a/b", Shard{}, true},
		{"", Shard{}, true},
	} {
		got, err := ParseShard(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func ExampleSplit() {
	s, err := Load(context.Background(), "batch-size.yaml")
	if err != nil {
		panic(err)
	}
	trials, err := s.Trials()
	if err != nil {
		panic(err)
	}
	for i, shard := range Split(trials, 3) {
		cost := 0.0
		for _, p := range shard {
			cost += TrialCost(trials[p])
		}
		fmt.Printf("shard %d/3: %d trials, %g steps\n", i, len(shard), cost)
	}
	// Output:
	// shard 0/3: 22 trials, 64080 steps
	// shard 1/3: 22 trials, 64080 steps
	// shard 2/3: 22 trials, 64080 steps
}
