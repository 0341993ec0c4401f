package experiments

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

// TestEveryExperimentRuns trains each registered experiment briefly with
// its defaults and checks that it learns something and reports its metric.
func TestEveryExperimentRuns(t *testing.T) {
	for _, x := range All() {
		t.Run(x.Name, func(t *testing.T) {
			budget := engine.Budget{Epochs: 5}
			if x.Function {
				budget.Epochs = 50
			}
			if !x.TakesOptimizer() {
				budget.Epochs = 1 // one evaluation
			}
			params := dataParams(t, x.Name)
			var curve []train.Epoch
			res, err := Run(context.Background(), engine.Trial{Experiment: x.Name, Params: params, Seed: 1, Budget: budget},
				train.Watch(func(e train.Epoch) { curve = append(curve, e) }))
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != train.Completed || len(curve) != res.Epochs {
				t.Fatalf("status %s with %d of %d epochs", res.Status, len(curve), res.Epochs)
			}
			if first, last := curve[0].Values[metric.TrainLoss], curve[len(curve)-1].Values[metric.TrainLoss]; x.TakesOptimizer() && !(last < first) {
				t.Errorf("loss went from %v to %v: nothing was learned", first, last)
			}
			// Records must name exactly the final metrics a trial has.
			p, err := x.Resolve(params)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, m := range res.Final {
				got[m.Name] = true
			}
			want := x.Records(p)
			for _, name := range want {
				if !got[name] {
					t.Errorf("Records says %s, but the trial's final metrics lack it: %v", name, res.Final)
				}
			}
			if len(got) != len(want) {
				t.Errorf("final metrics %v, Records %v", res.Final, want)
			}
			if !slices.Contains(want, x.Metric) {
				t.Errorf("the experiment's metric %s is not among what it records: %v", x.Metric, want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	x, err := Lookup("moons-mlp")
	if err != nil {
		t.Fatal(err)
	}
	p, err := x.Resolve(engine.Params{"optimizer": "adam", "beta1": 0.8})
	if err != nil {
		t.Fatal(err)
	}
	if p["beta1"] != 0.8 || p["beta2"] != 0.999 || p["lr"] != 0.01 || p["schedule"] != "constant" {
		t.Errorf("resolved %v", p)
	}
	for _, tt := range []struct {
		params engine.Params
		want   string
	}{
		{engine.Params{"optimizer": "momentum", "beta1": 0.9}, `parameter "beta1" does not apply to experiment moons-mlp with optimizer momentum`},
		{engine.Params{"optimizer": "adam", "betta1": 0.9}, `(did you mean "beta1"?)`},
		{engine.Params{"optimizer": "adam", "beta2": 1.0}, "beta2 = 1 is outside the allowed range [0, 1)"},
		{engine.Params{"optimizer": "sgd"}, `unknown optimizer "sgd"`},
		{engine.Params{"lr": 0.0}, "lr = 0 is outside the allowed range (0, ∞)"},
		{engine.Params{"hidden": []float64{4, 0}}, "hidden[1] = 0 must be a whole number in [1, 65536]"},
		{engine.Params{"hidden": []float64{1e9}}, "hidden[0] = 1e+09 must be a whole number in [1, 65536]"},
		{engine.Params{"activation": "softmax"}, `activation: unknown value "softmax"`},
		{engine.Params{"lr": "fast"}, "lr: want a number, got the name \"fast\""},
	} {
		_, err := x.Resolve(tt.params)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Resolve(%v) = %v, want %q", tt.params, err, tt.want)
		}
	}
	if _, err := Lookup("mnist"); err == nil || !strings.Contains(err.Error(), "valid: algoperf-mnist, beale, blobs-mlp") {
		t.Errorf("Lookup(mnist) = %v", err)
	}
}

// TestRecordsMatchesTrials: for settings that change what is recorded (no
// validation split, a regression), Records names exactly the final metrics.
func TestRecordsMatchesTrials(t *testing.T) {
	for _, tt := range []struct {
		name, experiment string
		params           engine.Params
		absent           string
	}{
		{"no validation split", "moons-mlp", engine.Params{"val_fraction": 0.0, "n_samples": 200.0}, "val_loss"},
		{"course setup", "c2w2-moons", nil, "val_accuracy"},
		{"regression", "csv", engine.Params{"task": Regression, "label": "target"}, "train_accuracy"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x, err := Lookup(tt.experiment)
			if err != nil {
				t.Fatal(err)
			}
			params := tt.params
			if tt.experiment == "csv" {
				params = params.Clone()
				params["data_file"] = writeCSV(t, linear)
			}
			p, err := x.Resolve(params)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Run(context.Background(), engine.Trial{Experiment: tt.experiment, Params: p, Seed: 3,
				Budget: engine.Budget{Epochs: 2}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range res.Final {
				got = append(got, m.Name)
			}
			want := x.Records(p)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("final metrics %v, Records %v", got, want)
			}
			if slices.Contains(want, tt.absent) {
				t.Errorf("Records includes %s", tt.absent)
			}
		})
	}
}
