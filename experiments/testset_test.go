package experiments

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/data"
	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/rng"
	"github.com/optbench/optbench/engine/train"
)

// courseCircles is the course's initialization assignment setup on
// circles-mlp: make_circles(300, noise 0.05) after np.random.seed(1) for
// training, make_circles(100, noise 0.05) after np.random.seed(2) for the
// test set, no validation split, no standardization, [2,10,5,1],
// full-batch gradient descent at lr 0.01, He initialization after
// np.random.seed(trial seed).
func courseCircles() engine.Params {
	return engine.Params{
		"seeding": "course", "standardize": false, "val_fraction": 0.0,
		"data_seed": 1.0, "n_samples": 300.0, "noise": 0.05, "factor": 0.8,
		"test_seed": 2.0, "n_test": 100.0,
		"optimizer": "gd", "lr": 0.01, "batch_size": 0.0, "hidden": []float64{10, 5}, "init": "he_normal",
	}
}

// TestCourseCirclesTestSet: the course protocol on a generated experiment
// draws the training set from its seed and the test set from its own seed
// and size, both as the generator draws them (unstandardized), initializes
// after reseeding with the trial seed, and records test_loss and
// test_accuracy after training, in inference mode.
func TestCourseCirclesTestSet(t *testing.T) {
	x := mustLookup(t, "circles-mlp")
	p, err := x.Resolve(courseCircles())
	if err != nil {
		t.Fatal(err)
	}
	trainSet, val, test, err := x.load(p)
	if err != nil {
		t.Fatal(err)
	}
	if val != nil {
		t.Errorf("validation split of %d examples with val_fraction 0", val.Len())
	}
	// The generator seeded as numpy is (rng.New is np.random.seed), with
	// nothing between the seed and the draws.
	wantTrain, _ := data.Circles(rng.New(1), 300, 0.05, 0.8, true)
	wantTest, _ := data.Circles(rng.New(2), 100, 0.05, 0.8, true)
	for _, c := range []struct {
		name      string
		got, want *data.Dataset
	}{{"train", trainSet, wantTrain}, {"test", test, wantTest}} {
		if c.got == nil || c.got.Len() != c.want.Len() {
			t.Fatalf("%s set: %v examples, want %d", c.name, c.got, c.want.Len())
		}
		if !slices.Equal(c.got.X.RawMatrix().Data, c.want.X.RawMatrix().Data) || !slices.Equal(c.got.Labels, c.want.Labels) {
			t.Errorf("%s set differs from make_circles after np.random.seed (standardized or drawn from another stream?)", c.name)
		}
	}

	const seed = 3
	tr, err := x.Trainer(p, seed, engine.Budget{Epochs: 200})
	if err != nil {
		t.Fatal(err)
	}
	cfg := tr.Net.(*nn.Network).Config()
	want, err := nn.New(cfg, rng.New(seed))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tr.Net.Params(), want.Params()) {
		t.Error("initialization is not the draws right after np.random.seed(trial seed)")
	}
	if tr.Test == nil || tr.Test.M != 100 {
		t.Fatalf("trainer's test split %v, want 100 examples", tr.Test)
	}

	res, err := Run(context.Background(), engine.Trial{Experiment: "circles-mlp", Params: courseCircles(), Seed: seed,
		Budget: engine.Budget{Epochs: 200}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	final := map[string]float64{}
	for _, m := range res.Final {
		final[m.Name] = m.Value
	}
	loss, okLoss := final["test_loss"]
	acc, okAcc := final["test_accuracy"]
	if !okLoss || !okAcc {
		t.Fatalf("final metrics %v lack test_loss or test_accuracy", res.Final)
	}
	if !(loss >= 0) || math.IsInf(loss, 0) || acc < 0 || acc > 1 || acc*100 != math.Round(acc*100) {
		t.Errorf("test_loss %v, test_accuracy %v: want a finite loss ≥ 0 and a whole number of 100 examples", loss, acc)
	}
	// The same network evaluated again in inference mode gives the same
	// numbers: retrain deterministically and predict the test set.
	tr2, _ := x.Trainer(p, seed, engine.Budget{Epochs: 200})
	opt, sched, _ := x.optimizer(p)
	tr2.Optimizer, tr2.Schedule = opt, sched
	if _, err := tr2.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	tr2.Net.Forward(tr2.Test.X, tr2.Test.M, false, nil)
	if got := float64(tr2.Net.Correct(tr2.Test.Y)) / 100; got != acc {
		t.Errorf("test_accuracy %v, but the trained network classifies %v of the test set in inference mode", acc, got)
	}
	if rec := x.Records(p); !slices.Contains(rec, "test_accuracy") || !slices.Contains(rec, "test_loss") {
		t.Errorf("Records = %v, want the test metrics", rec)
	}
}

// TestTestSetStandardizedWithTrainingStatistics: under the default
// settings with a validation split, the test set is scaled with the
// training part's statistics, not its own.
func TestTestSetStandardizedWithTrainingStatistics(t *testing.T) {
	x := mustLookup(t, "moons-mlp")
	p, err := x.Resolve(engine.Params{"test_seed": 7.0, "n_test": 200.0})
	if err != nil {
		t.Fatal(err)
	}
	_, _, test, err := x.load(p)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := data.Moons(rng.New(rng.Derive(7, "test")), 200, 0.2, true)
	full, _ := data.Moons(rng.New(rng.Derive(0, "data")), 1000, 0.2, true)
	parts := full.Split(rng.New(rng.Derive(0, "split")), 0.8, 0.2)
	want := data.FitStandardizer(parts[0]).Apply(raw)
	if !slices.Equal(test.X.RawMatrix().Data, want.X.RawMatrix().Data) {
		t.Error("test set is not the \"test\" stream's draw scaled with the training part's statistics")
	}
}

// TestNewSettingsAbsentByDefault: trials that do not give the new settings
// resolve without them, so their keys are those they had before (the
// fingerprint of numerics_test.go and sweeps' golden keys check the
// numbers and keys themselves).
func TestNewSettingsAbsentByDefault(t *testing.T) {
	checked := 0
	for _, x := range All() {
		if x.Name == "csv" {
			continue // needs a file, and has none of the new settings
		}
		p, err := x.Resolve(engine.Params{})
		if err != nil {
			t.Fatalf("%s: %v", x.Name, err)
		}
		checked++
		for _, k := range []string{"seeding", "standardize", "test_seed", "n_test"} {
			if _, ok := p[k]; ok {
				t.Errorf("%s: resolved parameters hold %s, which was not given", x.Name, k)
			}
		}
		if rec := x.Records(p); slices.Contains(rec, "test_loss") {
			t.Errorf("%s: records test_loss without a test set", x.Name)
		}
	}
	if checked < 5 {
		t.Errorf("checked %d experiments", checked)
	}
}

func TestTestSetSettingErrors(t *testing.T) {
	tests := []struct {
		experiment string
		given      engine.Params
		param      string // of the *ParamError, "" for a plain error
		want       string
	}{
		{"circles-mlp", engine.Params{"test_seed": 2.0}, "test_seed", "no test set to seed"},
		{"circles-mlp", engine.Params{"n_test": 1.0}, "n_test", "at least 2"},
		{"spirals-mlp", engine.Params{"n_test": 2.0}, "n_test", "at least 3"},
		{"circles-mlp", engine.Params{"n_test": -1.0}, "", "outside the allowed range"},
		{"circles-mlp", engine.Params{"n_test": 2.5}, "", "n_test"},
		{"circles-mlp", engine.Params{"seeding": "numpy"}, "", `unknown value "numpy"`},
		{"circles-mlp", engine.Params{"standardize": "no"}, "", "want true or false"},
		{"c2w2-moons", engine.Params{"standardize": true}, "standardize", "only false"},
		{"iris-mlp", engine.Params{"n_test": 50.0}, "", "does not apply"},
	}
	for _, tt := range tests {
		t.Run(tt.experiment+"/"+tt.want, func(t *testing.T) {
			_, err := mustLookup(t, tt.experiment).Resolve(tt.given)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Resolve(%v) = %v, want an error containing %q", tt.given, err, tt.want)
			}
			var pe *ParamError
			if tt.param != "" && (!errors.As(err, &pe) || pe.Param != tt.param) {
				t.Errorf("error %v is not a ParamError of %s", err, tt.param)
			}
		})
	}
}

// TestC2W2TestSet: c2w2-moons takes a test set too, from np.random.seed
// (test_seed), its trials otherwise unchanged.
func TestC2W2TestSet(t *testing.T) {
	x := mustLookup(t, "c2w2-moons")
	p, err := x.Resolve(engine.Params{"test_seed": 4.0, "n_test": 100.0, "seeding": "course", "standardize": false})
	if err != nil {
		t.Fatal(err)
	}
	_, _, test, err := x.load(p)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := data.Moons(rng.New(4), 100, 0.2, true)
	if !slices.Equal(test.X.RawMatrix().Data, want.X.RawMatrix().Data) {
		t.Error("c2w2-moons test set is not make_moons after np.random.seed(test_seed)")
	}
	res, err := Run(context.Background(), engine.Trial{Experiment: "c2w2-moons", Params: p, Seed: 3,
		Budget: engine.Budget{Epochs: 2}}, nil)
	if err != nil || res.Status != train.Completed {
		t.Fatalf("run: %v, %v", res.Status, err)
	}
	if !slices.ContainsFunc(res.Final, func(m train.Metric) bool { return m.Name == "test_accuracy" }) {
		t.Errorf("final metrics %v lack test_accuracy", res.Final)
	}
}
