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
	"runtime"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/cpu"

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
		switch name {
		case "csv", "idx", "algoperf-mnist", "fmnist-mlp", "fmnist-2c2d", "fmnist-cnn", "fmnist-resnet":
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

// fingerprint hashes, per experiment, the bits of every per-epoch metric
// and every final metric of its trials, wall time aside.
func fingerprint(t *testing.T) map[string]string {
	out := map[string]string{}
	for name, trials := range numericsTrials() {
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
// above). When a change is meant to change results, bump
// engine.NumericsVersion and run
// go test ./experiments -run TestNumericsVersion -update-numerics. The
// flag adds the fingerprints of experiments not yet recorded under the
// current version (a new experiment changes no stored result, so it needs
// no bump) and refuses to overwrite a recorded one.
//
// The fingerprints are of linux/amd64 with FMA (the machines this project
// runs CI on): Go's math.Exp takes an FMA path there, so other machines
// compute other last bits today and the test skips on them.
func TestNumericsVersion(t *testing.T) {
	if runtime.GOARCH != "amd64" || !cpu.X86.HasFMA {
		t.Skip("fingerprints are recorded for amd64 with FMA; math.Exp rounds differently elsewhere")
	}
	path := filepath.Join("testdata", "numerics.json")
	recorded := map[string]map[string]string{}
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &recorded); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	} else if !os.IsNotExist(err) {
		t.Fatal(err)
	}
	got := fingerprint(t)
	want := recorded[engine.NumericsVersion]
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
			t.Errorf("numerics version %s records a fingerprint of %s, which is no longer fingerprinted", engine.NumericsVersion, name)
		}
	}
	switch {
	case len(changed) > 0:
		t.Fatalf("the results of this build differ from those of numerics version %s for %s: "+
			"bump engine.NumericsVersion and record the new fingerprints with -update-numerics",
			engine.NumericsVersion, strings.Join(changed, ", "))
	case len(missing) > 0 && *updateNumerics:
		if want == nil {
			want = map[string]string{}
			recorded[engine.NumericsVersion] = want
		}
		for _, name := range missing {
			want[name] = got[name]
		}
		b, err := json.MarshalIndent(recorded, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o666); err != nil {
			t.Fatal(err)
		}
	case len(missing) > 0:
		t.Fatalf("no fingerprint recorded under numerics version %s for %s; record it with -update-numerics",
			engine.NumericsVersion, strings.Join(missing, ", "))
	}
}
