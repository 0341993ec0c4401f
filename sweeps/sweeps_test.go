package sweeps

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/experiments"
)

var update = flag.Bool("update", false, "rewrite the golden plans in testdata/plans")

// TestShippedSweeps loads, validates and expands every sweep shipped in
// this directory and compares its plan (the parameters that vary, per
// configuration, in expansion order) with testdata/plans.
func TestShippedSweeps(t *testing.T) {
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no shipped sweeps: %v", err)
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			skipWithoutData(t, file)
			s, err := Load(context.Background(), file)
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.TrimSuffix(file, ".yaml"); s.Name != want {
				t.Errorf("name %q, want the file's name %q", s.Name, want)
			}
			trials := mustTrials(t, s)
			if len(trials) == 0 {
				t.Fatal("no trials")
			}
			seen := map[string]int{}
			for i, tr := range trials {
				if tr.Sweep != s.Name {
					t.Errorf("trial %d: Sweep %q, want %q", i, tr.Sweep, s.Name)
				}
				key := tr.Key()
				if j, dup := seen[key]; dup {
					t.Errorf("trials %d and %d have the same key %s", j, i, key)
				}
				seen[key] = i
			}
			golden(t, filepath.Join("testdata", "plans", s.Name+".txt"), renderPlan(s, trials))
		})
	}
}

// renderPlan renders a sweep's expansion: a header, then one line per
// configuration with the parameters that differ between configurations
// (those a configuration does not have are left out).
func renderPlan(s *Sweep, trials []engine.Trial) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "sweep %s: experiment %s, %s search, %d configurations × %d seeds = %d trials\n",
		s.Name, s.Experiment, s.Method, s.Configurations(), len(s.Seeds), len(trials))
	fmt.Fprintf(&b, "seeds %v, budget %+v, metric %s (%s)\n", s.Seeds, s.Budget, s.Metric, s.Goal)
	configs := make([]engine.Params, 0, s.Configurations())
	for i := 0; i < len(trials); i += len(s.Seeds) {
		configs = append(configs, trials[i].Params)
	}
	union := engine.Params{}
	for _, p := range configs {
		for name := range p {
			union[name] = nil
		}
	}
	var varying []string
	for _, name := range union.Names() {
		for _, p := range configs[1:] {
			if engine.FormatValue(p[name]) != engine.FormatValue(configs[0][name]) {
				varying = append(varying, name)
				break
			}
		}
	}
	for i, p := range configs {
		fmt.Fprintf(&b, "%3d", i+1)
		if len(s.Experiments) > 0 {
			fmt.Fprintf(&b, " experiment=%s", trials[i*len(s.Seeds)].Experiment)
		}
		for _, name := range varying {
			if v, ok := p[name]; ok {
				fmt.Fprintf(&b, " %s=%s", name, engine.FormatValue(v))
			}
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("plan differs from %s (go test -update rewrites it):\n%s", path, got)
	}
}

// TestReferencesMatchPublished checks that each shipped course sweep
// (sweeps/NAME.yaml for every experiments.References entry) runs exactly
// the configurations, seed and budget of the published table it
// reproduces, with the keys that `optbench reproduce` looks up.
func TestReferencesMatchPublished(t *testing.T) {
	for _, ref := range experiments.References() {
		t.Run(ref.Name, func(t *testing.T) {
			s, err := Load(context.Background(), ref.Name+".yaml")
			if err != nil {
				t.Fatal(err)
			}
			if s.Experiment != ref.Experiment {
				t.Fatalf("experiment %s, the table's is %s", s.Experiment, ref.Experiment)
			}
			trials := mustTrials(t, s)
			if len(trials) != len(ref.Runs) || !reflect.DeepEqual(s.Seeds, []uint64{ref.Seed}) || s.Budget.Epochs != ref.Epochs {
				t.Fatalf("%d trials, seeds %v, %d epochs; the table has %d runs, seed %d, %d epochs",
					len(trials), s.Seeds, s.Budget.Epochs, len(ref.Runs), ref.Seed, ref.Epochs)
			}
			for i, run := range ref.Runs {
				want, err := ref.Trial(run)
				if err != nil {
					t.Fatalf("%s: %v", run.Run, err)
				}
				if !reflect.DeepEqual(trials[i].Params, want.Params) {
					t.Errorf("config %d (%s):\n got %v\nwant %v", i+1, run.Run, trials[i].Params, want.Params)
				}
			}
		})
	}
}

// skipWithoutData skips the test of a shipped sweep on Fashion-MNIST when
// the data set is not installed, unless OPTBENCH_REQUIRE_FMNIST is set
// (make test sets it when it could install Debian's dataset-fashion-mnist).
func skipWithoutData(t *testing.T, file string) {
	t.Helper()
	if !strings.HasPrefix(filepath.Base(file), "fmnist") {
		return
	}
	if err := experiments.FashionMNISTInstalled(); err != nil {
		if os.Getenv("OPTBENCH_REQUIRE_FMNIST") != "" {
			t.Fatalf("OPTBENCH_REQUIRE_FMNIST is set: %v", err)
		}
		t.Skipf("skipped: %v", err)
	}
}
