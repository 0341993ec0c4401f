package experiments

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

var updateNumerics = flag.Bool("update-numerics", false,
	"record the numerics fingerprint of this build under engine.NumericsVersion in testdata/numerics.json")

// numericsTrials are the trials whose bits the fingerprint covers, by
// experiment: the seven runs of the published course table (5000 epochs
// each) and a short trial of every other built-in experiment, with Adam
// and a decaying rate. Left out: experiments whose data are files outside
// the repository (csv, idx and algoperf-mnist: the user's, whose paths
// enter the trial key; fmnist-mlp, fmnist-2c2d, fmnist-cnn and
// fmnist-resnet: a Debian package that may be absent).
// digits-mlp trains the same image pipeline (data.Images, the validation
// split, normalization) on embedded data.
func numericsTrials() map[string][]engine.Trial {
	out := map[string][]engine.Trial{}
	for _, run := range C2W2.Runs {
		out[C2W2.Experiment] = append(out[C2W2.Experiment], engine.Trial{Experiment: C2W2.Experiment, Params: run.Params, Seed: C2W2.Seed,
			Budget: engine.Budget{Epochs: C2W2.Epochs}})
	}
	for _, name := range Names() {
		if x, _ := Lookup(name); name == C2W2.Experiment || !x.TakesOptimizer() {
			continue
		}
		if !fingerprinted(name) {
			continue
		}
		p := engine.Params{"optimizer": "adam", "lr": 0.01, "schedule": "exponential", "gamma": 0.9}
		if name == "digits-cnn" {
			// Its layers (conv2d, batch norm, LeakyReLU, max-pool, dense)
			// in a narrow network, so that the fingerprint stays cheap;
			// the Fashion-MNIST networks are made of the same layers.
			p["architecture"] = "cnn(channels=4x8,kernel=3,convs=1,pool=2)"
		}
		out[name] = []engine.Trial{{Experiment: name, Seed: 1, Budget: engine.Budget{Epochs: 12}, Params: p}}
	}
	return out
}

// fingerprinted reports whether an experiment's data are in the
// repository, so that a fingerprint can cover it (see numericsTrials).
func fingerprinted(name string) bool {
	switch name {
	case "csv", "idx", "algoperf-mnist", "fmnist-mlp", "fmnist-2c2d", "fmnist-cnn", "fmnist-resnet":
		return false
	}
	return true
}

// shortNumericsTrials are a quick fingerprint for slow machines (software
// FMA under GODEBUG=cpu.fma=off, arm64 under emulation), by experiment: the
// course runs for 40 epochs, two epochs of every other experiment that
// numericsTrials covers (and the evaluation of those without an optimizer),
// and, under "circles-mlp variants", two epochs of an MLP for each
// activation, optimizer and schedule not covered otherwise, with batch
// norm, dropout and L2.
func shortNumericsTrials() map[string][]engine.Trial {
	out := map[string][]engine.Trial{}
	for _, run := range C2W2.Runs {
		out[C2W2.Experiment] = append(out[C2W2.Experiment], engine.Trial{Experiment: C2W2.Experiment, Params: run.Params, Seed: C2W2.Seed,
			Budget: engine.Budget{Epochs: 40}})
	}
	adam := engine.Params{"optimizer": "adam", "lr": 0.01, "schedule": "exponential", "gamma": 0.9}
	for _, name := range Names() {
		if name == C2W2.Experiment || !fingerprinted(name) {
			continue
		}
		tr := engine.Trial{Experiment: name, Seed: 1, Budget: engine.Budget{Epochs: 2}}
		if x, _ := Lookup(name); x.TakesOptimizer() {
			tr.Params = adam
		}
		out[name] = []engine.Trial{tr}
	}
	const variants = "circles-mlp variants"
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
		out[variants] = append(out[variants], engine.Trial{Experiment: "circles-mlp", Seed: 2, Budget: engine.Budget{Epochs: 2}, Params: p})
	}
	return out
}

// fingerprint hashes, per entry, the bits of every per-epoch metric and
// every final metric of its trials, wall time aside.
func fingerprint(t *testing.T, trials map[string][]engine.Trial) map[string]string {
	out := map[string]string{}
	for name, trials := range trials {
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
		out[name] = hex.EncodeToString(h.Sum(nil))
	}
	return out
}

// TestNumericsVersion fails when what trials compute changes while
// engine.NumericsVersion stays the same: stored results of the old build
// would then pass for results of this one. testdata/numerics.json holds,
// for each version, the fingerprint of each experiment (fingerprint
// above), and under "<version>/short" those of shortNumericsTrials; -short
// checks only the short ones. When a change is meant to change results,
// bump engine.NumericsVersion and run
// go test ./experiments -run TestNumericsVersion -update-numerics. The
// flag adds the fingerprints of experiments not yet recorded under the
// current version (a new experiment changes no stored result, so it needs
// no bump) and refuses to overwrite a recorded one.
//
// Since numerics version 3 the fingerprint is the same on every machine:
// matrix products, exponentials and logarithms no longer depend on the
// CPU's instruction set, nor products on multiply-add fusion (see
// engine/internal/gemm and crmath). TestCrossMachine reruns this test
// (-short) under GODEBUG=cpu.avx512f=off, cpu.avx2=off and
// cpu.fma=off,cpu.avx=off, built with GOAMD64=v3, and on arm64 under
// qemu-user-static.
func TestNumericsVersion(t *testing.T) {
	path := filepath.Join("testdata", "numerics.json")
	recorded := map[string]map[string]string{}
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &recorded); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	} else if !os.IsNotExist(err) {
		t.Fatal(err)
	}
	check := []struct {
		key    string
		trials func() map[string][]engine.Trial
	}{{engine.NumericsVersion + "/short", shortNumericsTrials}}
	if !testing.Short() || *updateNumerics {
		check = append(check, struct {
			key    string
			trials func() map[string][]engine.Trial
		}{engine.NumericsVersion, numericsTrials})
	}
	write := false
	for _, c := range check {
		got := fingerprint(t, c.trials())
		want := recorded[c.key]
		var changed, missing []string
		for _, name := range slices.Sorted(maps.Keys(got)) {
			w, ok := want[name]
			switch {
			case !ok:
				missing = append(missing, name)
			case w != got[name]:
				changed = append(changed, name)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(want)) {
			if _, ok := got[name]; !ok {
				t.Errorf("numerics version %s records a fingerprint of %s, which is no longer fingerprinted", c.key, name)
			}
		}
		switch {
		case len(changed) > 0:
			t.Fatalf("the results of this build differ from those of numerics version %s for %s: "+
				"bump engine.NumericsVersion and record the new fingerprints with -update-numerics",
				c.key, strings.Join(changed, ", "))
		case len(missing) > 0 && *updateNumerics:
			if want == nil {
				want = map[string]string{}
				recorded[c.key] = want
			}
			for _, name := range missing {
				want[name] = got[name]
			}
			write = true
		case len(missing) > 0:
			t.Fatalf("no fingerprint recorded under numerics version %s for %s; record it with -update-numerics",
				c.key, strings.Join(missing, ", "))
		}
	}
	if write {
		b, err := json.MarshalIndent(recorded, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o666); err != nil {
			t.Fatal(err)
		}
	}
}
