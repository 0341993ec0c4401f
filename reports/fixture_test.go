package reports

import (
	"context"
	"math"
	"time"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

// fixture builds small synthetic sweeps whose numbers are easy to follow:
// a configuration's final metric is a fixed function of its parameters
// plus a per-seed offset, and its curves approach that value
// exponentially.

type fixtureConfig struct {
	optimizer string
	params    engine.Params
	final     float64 // val_accuracy of seed 0
	status    []train.Status
}

// seedOffset spreads seeds symmetrically: −0.01, 0, +0.01, …
func seedOffset(seed uint64) float64 { return 0.01 * (float64(seed%3) - 1) }

func demoSweep() results.SweepRecord {
	return results.SweepRecord{
		Name:        "demo",
		Description: "Adam against SGD on two moons.",
		Experiment:  "moons",
		Metric:      "val_accuracy",
		Goal:        "maximize",
		File:        "sweeps/demo.yaml",
		Source:      "name: demo\nexperiment: moons\nmetric: val_accuracy\n",
	}
}

// demoConfigs: Adam over lr × beta1 × beta2, SGD over lr × batch size,
// SGD at lr = 1 diverging in one seed and failing in another.
func demoConfigs() []fixtureConfig {
	var out []fixtureConfig
	for _, lr := range []float64{0.001, 0.01} {
		for _, b1 := range []float64{0.9, 0.95} {
			for _, b2 := range []float64{0.99, 0.999} {
				acc := 0.9 - 10*math.Abs(lr-0.01)/10 - 0.2*math.Abs(b1-0.9) - 10*math.Abs(b2-0.999)
				out = append(out, fixtureConfig{"adam", engine.Params{"optimizer": "adam", "lr": lr, "batch_size": 64.0,
					"beta1": b1, "beta2": b2, "hidden": []float64{16, 16}}, acc, nil})
			}
		}
	}
	for _, lr := range []float64{0.01, 0.1, 1} {
		for _, bs := range []float64{32, 64} {
			acc := 0.8 + 0.05*math.Log10(lr/0.01) - 0.0005*(bs-32)
			var st []train.Status
			if lr == 1 && bs == 32 {
				st = []train.Status{train.Completed, train.Diverged, train.Failed}
			}
			out = append(out, fixtureConfig{"sgd", engine.Params{"optimizer": "sgd", "lr": lr, "batch_size": bs,
				"hidden": []float64{16, 16}}, acc, st})
		}
	}
	return out
}

func buildTrials(sweep string, cfgs []fixtureConfig, seeds int) []results.TrialRecord {
	var out []results.TrialRecord
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, c := range cfgs {
		for s := 0; s < seeds; s++ {
			t := engine.Trial{Sweep: sweep, Experiment: "moons", Params: c.params, Seed: uint64(s), Budget: engine.Budget{Epochs: 20}}
			st := train.Completed
			if s < len(c.status) {
				st = c.status[s]
			}
			rec := results.TrialRecord{
				Sweep: sweep, Key: t.Key(), Experiment: "moons", Optimizer: c.optimizer, Params: c.params,
				Seed: uint64(s), Status: st, Epochs: 20, Start: start, End: start.Add(2 * time.Second),
				WallSeconds: 1 + c.params["batch_size"].(float64)/64 + 0.1*float64(s), RunID: 1,
				Position: len(out), // configuration by configuration, seeds fastest, as sweeps plan
			}
			switch st {
			case train.Completed:
				v := c.final + seedOffset(uint64(s))
				rec.Final = map[string]float64{"val_accuracy": v, "val_loss": 1 - v, "train_loss": 0.9 - v, "train_accuracy": v + 0.02}
			case train.Diverged:
				rec.Final = map[string]float64{"train_loss": math.NaN()}
				rec.Epochs = 3
			case train.Failed:
				rec.Error = "experiment moons: out of memory"
				rec.Epochs = 0
			}
			out = append(out, rec)
		}
	}
	return out
}

// curvesFor returns a loader of synthetic curves: val_accuracy rises
// toward each trial's final value, losses fall, over the given epochs.
func curvesFor(trials []results.TrialRecord, epochs int) func(context.Context, []string) (map[string][]train.Epoch, error) {
	byKey := make(map[string]results.TrialRecord, len(trials))
	for _, t := range trials {
		byKey[t.Key] = t
	}
	return func(ctx context.Context, keys []string) (map[string][]train.Epoch, error) {
		out := make(map[string][]train.Epoch, len(keys))
		for _, k := range keys {
			t, ok := byKey[k]
			if !ok {
				continue
			}
			out[k] = syntheticCurve(t.Final["val_accuracy"], epochs, float64(t.Seed))
		}
		return out, nil
	}
}

func syntheticCurve(final float64, epochs int, seed float64) []train.Epoch {
	eps := make([]train.Epoch, epochs)
	nan := math.NaN()
	for i := range eps {
		frac := 1 - math.Exp(-float64(i+1)/(float64(epochs)/5))
		acc := 0.5 + (final-0.5)*frac + 0.002*math.Sin(float64(i)+seed)
		eps[i] = train.Epoch{Epoch: i, Values: metric.Values{metric.TrainLoss: 1.2 - acc, metric.TrainAccuracy: acc + 0.02, metric.ValLoss: 1 - acc, metric.ValAccuracy: acc, metric.LR: 0.01, metric.GradNorm: 1 / float64(i+1), metric.X: nan, metric.Y: nan}, Seconds: float64(i+1) * 0.1}
	}
	return eps
}

func demoInput() Input {
	trials := buildTrials("demo", demoConfigs(), 3)
	return Input{
		Sweep:  demoSweep(),
		Trials: trials,
		Provenance: []results.Provenance{{RunID: 1, Version: "(devel)", Revision: "abc123", Dirty: true,
			GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64", GOAMD64: "v1", CPU: "Test CPU", Host: "ci",
			Command: "optbench run sweeps/demo.yaml", Workers: 2, Started: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}},
		Curves: curvesFor(trials, 20),
	}
}

func ptr[T any](v T) *T { return &v }

func nan() float64 { return math.NaN() }
