package experiments

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

var updateNumerics = flag.Bool("update-numerics", false,
	"record the numerics fingerprint of this build under engine.NumericsVersion in testdata/numerics.json")

// numericsTrials are the trials whose bits the fingerprint covers: the
// seven runs of the published course table (5000 epochs each) and a short
// trial of every other built-in experiment, with Adam and a decaying rate.
func numericsTrials() []engine.Trial {
	var out []engine.Trial
	for _, run := range C2W2.Runs {
		out = append(out, engine.Trial{Experiment: C2W2.Experiment, Params: run.Params, Seed: C2W2.Seed,
			Budget: engine.Budget{Epochs: C2W2.Epochs}})
	}
	for _, name := range Names() {
		if x, _ := Lookup(name); name == C2W2.Experiment || name == "csv" || !x.TakesOptimizer() {
			continue
		}
		out = append(out, engine.Trial{Experiment: name, Seed: 1, Budget: engine.Budget{Epochs: 12},
			Params: engine.Params{"optimizer": "adam", "lr": 0.01, "schedule": "exponential", "gamma": 0.9}})
	}
	return out
}

// shortNumericsTrials are a quick fingerprint for slow machines (software
// FMA under GODEBUG=cpu.fma=off, arm64 under emulation): the course runs
// for 40 epochs, two epochs of every other experiment (and the evaluation
// of those without an optimizer), and two epochs of an MLP for each
// activation, optimizer and schedule not covered otherwise, with batch
// norm, dropout and L2.
func shortNumericsTrials() []engine.Trial {
	var out []engine.Trial
	for _, run := range C2W2.Runs {
		out = append(out, engine.Trial{Experiment: C2W2.Experiment, Params: run.Params, Seed: C2W2.Seed,
			Budget: engine.Budget{Epochs: 40}})
	}
	adam := engine.Params{"optimizer": "adam", "lr": 0.01, "schedule": "exponential", "gamma": 0.9}
	for _, name := range Names() {
		if name == C2W2.Experiment || name == "csv" {
			continue
		}
		tr := engine.Trial{Experiment: name, Seed: 1, Budget: engine.Budget{Epochs: 2}}
		if x, _ := Lookup(name); x.TakesOptimizer() {
			tr.Params = adam
		}
		out = append(out, tr)
	}
	for _, p := range []engine.Params{
		{"activation": "tanh", "optimizer": "nadam", "lr": 0.01, "schedule": "cosine", "t_max": 3.0, "eta_min": 0.001},
		{"activation": "elu", "optimizer": "rmsprop", "lr": 0.01, "centered": 1.0, "momentum": 0.9, "schedule": "inverse_time", "decay_rate": 0.5},
		{"activation": "leaky_relu", "optimizer": "adamw", "lr": 0.01, "weight_decay": 0.01, "batch_norm": true},
		{"activation": "sigmoid", "optimizer": "amsgrad", "lr": 0.01, "keep_prob": 0.8, "l2": 0.1},
		{"optimizer": "adamax", "lr": 0.01, "l1": 0.01},
		{"optimizer": "adagrad", "lr": 0.1},
		{"optimizer": "nesterov", "lr": 0.1, "momentum": 0.9},
		{"optimizer": "heavy_ball", "lr": 0.1, "momentum": 0.9},
	} {
		out = append(out, engine.Trial{Experiment: "circles-mlp", Seed: 2, Budget: engine.Budget{Epochs: 2}, Params: p})
	}
	return out
}

// fingerprint hashes the bits of every per-epoch metric and every final
// metric of the trials, wall time aside.
func fingerprint(t *testing.T, trials []engine.Trial) string {
	h := sha256.New()
	put := func(f float64) { binary.Write(h, binary.LittleEndian, math.Float64bits(f)) }
	for _, tr := range trials {
		var curve []train.Epoch
		res, err := Run(context.Background(), tr, train.Watch(func(e train.Epoch) { curve = append(curve, e) }))
		if err != nil {
			t.Fatalf("%s: %v", tr.Experiment, err)
		}
		h.Write([]byte(tr.Key()))
		h.Write([]byte(res.Status))
		for _, e := range curve {
			for _, v := range e.Values {
				put(v)
			}
		}
		for _, m := range res.Final {
			h.Write([]byte(m.Name))
			put(m.Value)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestNumericsVersion fails when what trials compute changes while
// engine.NumericsVersion stays the same: stored results of the old build
// would then pass for results of this one. testdata/numerics.json holds
// the fingerprint (fingerprint above) recorded for each version. When a
// change is meant to change results, bump engine.NumericsVersion and run
// go test ./experiments -run TestNumericsVersion -update-numerics; the
// flag refuses to overwrite the fingerprint of a version already recorded.
//
// Since numerics version 2 the fingerprint is the same on every machine:
// matrix products, exponentials and logarithms no longer depend on the
// CPU's instruction set, nor products on multiply-add fusion (see
// engine/internal/gemm and crmath). TestCrossMachine reruns this test
// (-short) under GODEBUG=cpu.avx512f=off, cpu.avx2=off and
// cpu.fma=off,cpu.avx=off, built with GOAMD64=v3, and on arm64 under
// qemu-user-static.
func TestNumericsVersion(t *testing.T) {
	path := filepath.Join("testdata", "numerics.json")
	recorded := map[string]string{}
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &recorded); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	} else if !os.IsNotExist(err) {
		t.Fatal(err)
	}
	// The full fingerprint is recorded under the version, the short one
	// under "<version>/short"; -short checks only the short one.
	check := []struct {
		key    string
		trials func() []engine.Trial
	}{{engine.NumericsVersion + "/short", shortNumericsTrials}}
	if !testing.Short() || *updateNumerics {
		check = append(check, struct {
			key    string
			trials func() []engine.Trial
		}{engine.NumericsVersion, numericsTrials})
	}
	changed := false
	for _, c := range check {
		got := fingerprint(t, c.trials())
		want, ok := recorded[c.key]
		switch {
		case *updateNumerics && ok && want != got:
			t.Fatalf("numerics version %s is recorded with another fingerprint: results changed, so bump engine.NumericsVersion first",
				c.key)
		case *updateNumerics:
			recorded[c.key] = got
			changed = true
		case !ok:
			t.Fatalf("no fingerprint recorded for numerics version %s; record it with -update-numerics", c.key)
		case want != got:
			t.Fatalf("the results of this build differ from those of numerics version %s (fingerprint %s, recorded %s): "+
				"bump engine.NumericsVersion and record the new fingerprint with -update-numerics", c.key, got, want)
		}
	}
	if changed {
		b, err := json.MarshalIndent(recorded, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o666); err != nil {
			t.Fatal(err)
		}
	}
}
