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
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"

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

// fingerprint hashes the bits of every per-epoch metric and every final
// metric of the trials, wall time aside.
func fingerprint(t *testing.T) string {
	h := sha256.New()
	put := func(f float64) { binary.Write(h, binary.LittleEndian, math.Float64bits(f)) }
	for _, tr := range numericsTrials() {
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
// The fingerprints are of linux/amd64 with FMA (the machines this project
// runs CI on): Go's math.Exp takes an FMA path there, so other machines
// compute other last bits today and the test skips on them.
func TestNumericsVersion(t *testing.T) {
	if runtime.GOARCH != "amd64" || !cpu.X86.HasFMA {
		t.Skip("fingerprints are recorded for amd64 with FMA; math.Exp rounds differently elsewhere")
	}
	path := filepath.Join("testdata", "numerics.json")
	recorded := map[string]string{}
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &recorded); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	} else if !os.IsNotExist(err) {
		t.Fatal(err)
	}
	got := fingerprint(t)
	want, ok := recorded[engine.NumericsVersion]
	switch {
	case *updateNumerics && ok && want != got:
		t.Fatalf("numerics version %s is recorded with another fingerprint: results changed, so bump engine.NumericsVersion first",
			engine.NumericsVersion)
	case *updateNumerics:
		recorded[engine.NumericsVersion] = got
		b, err := json.MarshalIndent(recorded, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o666); err != nil {
			t.Fatal(err)
		}
	case !ok:
		t.Fatalf("no fingerprint recorded for numerics version %s; record it with -update-numerics", engine.NumericsVersion)
	case want != got:
		t.Fatalf("the results of this build differ from those of numerics version %s (fingerprint %s, recorded %s): "+
			"bump engine.NumericsVersion and record the new fingerprint with -update-numerics", engine.NumericsVersion, got, want)
	}
}
