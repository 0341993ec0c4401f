package sweeps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/search"
)

// TestTrialKeys pins the key of every trial of every shipped sweep (this
// directory's *.yaml) and of the fixtures in testdata/sweeps, in order, in
// testdata/keys. A key names a trial's stored results, so a change in
// expansion order, in random search's draws or in how parameters are
// resolved would orphan every stored result; go test -update rewrites the
// files when such a change is meant.
func TestTrialKeys(t *testing.T) {
	shipped, err := filepath.Glob("*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fixtures, err := filepath.Glob(filepath.Join("testdata", "sweeps", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files := append(shipped, fixtures...)
	if len(shipped) == 0 || len(fixtures) == 0 {
		t.Fatalf("%d shipped sweeps and %d fixtures", len(shipped), len(fixtures))
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			skipWithoutData(t, file)
			s, err := Load(context.Background(), file)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if s.IsAdaptive() {
				fmt.Fprintf(&b, "# %s: generation 0 of a %s search\n", file, s.Method)
			} else {
				fmt.Fprintf(&b, "# %s: %d configurations × %d seeds\n", file, s.Configurations(), len(s.Seeds))
			}
			var keys []string
			for _, tr := range mustTrials(t, s) {
				key := tr.Key()
				keys = append(keys, key)
				fmt.Fprintf(&b, "%s seed=%d\n", key, tr.Seed)
			}
			name := strings.TrimSuffix(filepath.Base(file), ".yaml") + ".txt"
			golden(t, filepath.Join("testdata", "keys", name), b.Bytes())
			if s.IsAdaptive() {
				return // the keys of its first generation; the rest depend on results
			}

			src, err := s.TrialSource()
			if err != nil {
				t.Fatal(err)
			}
			if got := sourceKeys(t, src, 7); !slices.Equal(got, keys) {
				t.Errorf("TrialSource proposes other trials than Trials:\n%v\nwant\n%v", got, keys)
			}
			// The sweep's method run again over its space, configurations
			// resolved again, gives the same trials (each experiment's
			// in turn for a sweep of several).
			parts := s.Problems()
			if parts == nil {
				parts = []*Sweep{s}
			}
			var got []string
			for _, p := range parts {
				method, err := p.Search()
				if err != nil {
					t.Fatal(err)
				}
				again, err := search.NewSource(method, p.Template())
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, sourceKeys(t, again, 3)...)
			}
			if !slices.Equal(got, keys) {
				t.Errorf("search.NewSource(Search(), Template()) proposes other trials than Trials:\n%v\nwant\n%v", got, keys)
			}
		})
	}
}

// sourceKeys reads src in chunks of n until it is exhausted and returns
// the keys of its trials.
func sourceKeys(t *testing.T, src engine.Source, n int) []string {
	t.Helper()
	var keys []string
	for {
		trials, err := src.Next(context.Background(), n)
		if errors.Is(err, engine.ErrExhausted) {
			return keys
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range trials {
			keys = append(keys, tr.Key())
			src.Tell(engine.Outcome{Trial: tr})
		}
	}
}

// TestSpace checks the space a sweep exposes: a branch per optimizer and
// schedule (per config for a list), its parameters as dimensions in file
// order, each form as its domain.
func TestSpace(t *testing.T) {
	tests := []struct {
		name, src string
		want      search.Space
	}{
		{
			name: "random",
			src: `
search: {method: random, samples: 5}
parameters:
  lr: {log_uniform: [1e-4, 1e-1]}
  patience: {int_uniform: [0, 5]}
  optimizer:
    momentum: {beta: {quantized: [0.8, 0.99, 0.05]}}
    adam: {beta1: {uniform: [0.8, 0.95]}}
  batch_size: {pow2: [16, 64]}
  activation: [relu, tanh]
`,
			want: search.Space{Branches: []search.Branch{
				{Optimizer: "momentum", Schedule: "constant", Dimensions: []search.Dimension{
					{Name: "lr", Domain: search.LogUniform{Lo: 1e-4, Hi: 1e-1}},
					{Name: "patience", Domain: search.IntUniform{Lo: 0, Hi: 5}},
					{Name: "beta", Domain: search.Quantized{Lo: 0.8, Q: 0.05, N: 4}},
					{Name: "batch_size", Domain: search.PowersOfTwo{Lo: 16, Hi: 64}},
					{Name: "activation", Domain: search.Categorical{"relu", "tanh"}},
				}},
				{Optimizer: "adam", Schedule: "constant", Dimensions: []search.Dimension{
					{Name: "lr", Domain: search.LogUniform{Lo: 1e-4, Hi: 1e-1}},
					{Name: "patience", Domain: search.IntUniform{Lo: 0, Hi: 5}},
					{Name: "beta1", Domain: search.Uniform{Lo: 0.8, Hi: 0.95}},
					{Name: "batch_size", Domain: search.PowersOfTwo{Lo: 16, Hi: 64}},
					{Name: "activation", Domain: search.Categorical{"relu", "tanh"}},
				}},
			}},
		},
		{
			name: "grid",
			src: `
parameters:
  schedule:
    constant:
    exponential: {gamma: {lin_space: [0.9, 0.99, 2]}}
  hidden: {choices: [[8], [16, 16]]}
  batch_size: [16, full]
`,
			want: search.Space{Branches: []search.Branch{
				{Optimizer: "adam", Schedule: "constant", Dimensions: []search.Dimension{
					{Name: "hidden", Domain: search.Categorical{[]float64{8}, []float64{16, 16}}},
					{Name: "batch_size", Domain: search.Points{16, 0}},
				}},
				{Optimizer: "adam", Schedule: "exponential", Dimensions: []search.Dimension{
					{Name: "gamma", Domain: search.Points{0.9, 0.99}},
					{Name: "hidden", Domain: search.Categorical{[]float64{8}, []float64{16, 16}}},
					{Name: "batch_size", Domain: search.Points{16, 0}},
				}},
			}},
		},
		{
			name: "list",
			src: `
search: {method: list}
parameters:
  lr: 0.01
configs:
  - {optimizer: gd, lr: 0.5}
  - {optimizer: momentum, beta: 0.95, batch_norm: true}
`,
			want: search.Space{Branches: []search.Branch{
				{Optimizer: "gd", Schedule: "constant", Dimensions: []search.Dimension{
					{Name: "lr", Domain: search.Points{0.5}},
				}},
				{Optimizer: "momentum", Schedule: "constant", Dimensions: []search.Dimension{
					{Name: "lr", Domain: search.Points{0.01}},
					{Name: "beta", Domain: search.Points{0.95}},
					{Name: "batch_norm", Domain: search.Categorical{true}},
				}},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustParse(t, "name: s\nexperiment: moons-mlp\n"+tt.src)
			if got := s.Space(); got == nil || !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("space:\n%+v\nwant:\n%+v", got, tt.want)
			}
		})
	}
}

func TestSearchOfZeroSweep(t *testing.T) {
	if _, err := new(Sweep).Search(); err == nil {
		t.Error("Search of a zero Sweep: no error")
	}
	if _, err := new(Sweep).TrialSource(); err == nil {
		t.Error("TrialSource of a zero Sweep: no error")
	}
}

// TestSeveralExperimentsKeys checks that a sweep listing several
// experiments plans, experiment by experiment in file order, exactly the
// trials (keys, seeds, order) of the same file naming each experiment
// alone, so that a trial's key, and its stored result, does not depend on
// whether its experiment was swept with others.
func TestSeveralExperimentsKeys(t *testing.T) {
	for _, file := range []string{"problems.yaml", filepath.Join("testdata", "sweeps", "several-random.yaml")} {
		t.Run(file, func(t *testing.T) {
			s, err := Load(context.Background(), file)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Experiments) < 2 || s.Experiment != strings.Join(s.Experiments, ",") {
				t.Fatalf("Experiments %q, Experiment %q: want several, joined by commas", s.Experiments, s.Experiment)
			}
			var want []string
			configs := 0
			for _, name := range s.Experiments {
				src := bytes.Replace(s.Source, []byte("["+strings.Join(s.Experiments, ", ")+"]"), []byte(name), 1)
				one, err := Parse(file, src)
				if err != nil {
					t.Fatal(err)
				}
				if one.Experiment != name || len(one.Experiments) != 0 {
					t.Fatalf("the file with experiment %s alone parsed as %q %q", name, one.Experiment, one.Experiments)
				}
				configs += one.Configurations()
				for _, tr := range mustTrials(t, one) {
					want = append(want, fmt.Sprintf("%s %s seed=%d", tr.Key(), tr.Experiment, tr.Seed))
				}
			}
			var got []string
			for _, tr := range mustTrials(t, s) {
				got = append(got, fmt.Sprintf("%s %s seed=%d", tr.Key(), tr.Experiment, tr.Seed))
			}
			if !slices.Equal(got, want) {
				t.Errorf("trials of the sweep of several experiments:\n%s\nwant those of each alone:\n%s",
					strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if s.Configurations() != configs {
				t.Errorf("Configurations() = %d, want %d", s.Configurations(), configs)
			}
			// Seeds and budget set after parsing (run's overrides) reach
			// every experiment.
			s.Seeds = []uint64{7}
			s.Budget.Epochs = 3
			for _, tr := range mustTrials(t, s) {
				if tr.Seed != 7 || tr.Budget.Epochs != 3 {
					t.Fatalf("trial %s: seed %d, %d epochs after the sweep was set to seed 7, 3 epochs", tr.Key(), tr.Seed, tr.Budget.Epochs)
				}
			}
			if _, err := s.Search(); err == nil {
				t.Error("Search of a sweep of several experiments: no error")
			}
			if p := s.Problems(); len(p) != len(s.Experiments) || p[0].Experiment != s.Experiments[0] || p[0].Seeds[0] != 7 {
				t.Errorf("Problems() = %d sweeps, want one per experiment with the sweep's seeds", len(p))
			}
		})
	}
}
