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

// adaptiveInput is a synthetic adaptive sweep, one seed per configuration
// as adaptive searches usually run: configuration i is proposed at plan
// position i, its final val_accuracy drifts upward with i (a search that
// learns) with a deterministic wiggle, and, with a pruner, the trials at
// positions where pruneAt gives an epoch stop there (status pruned, their
// curve the start of what the full budget would have given).
func adaptiveInput(configs, epochs int, pruneAt func(i int) int) Input {
	sw := demoSweep()
	sw.Name, sw.Search = "adaptive", "tpe:0123456789abcdef"
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	var trials []results.TrialRecord
	full := map[string][]train.Epoch{}
	for i := range configs {
		lr := 0.001 * math.Pow(1.1, float64(i))
		p := engine.Params{"optimizer": "adam", "lr": lr, "batch_size": 64.0, "hidden": []float64{16, 16}}
		tr := engine.Trial{Sweep: sw.Name, Experiment: "moons", Params: p, Budget: engine.Budget{Epochs: epochs}}
		final := 0.7 + 0.2*float64(i)/float64(configs) + 0.05*math.Sin(1.7*float64(i))
		curve := syntheticCurve(final, epochs, float64(i))
		rec := results.TrialRecord{Sweep: sw.Name, Key: tr.Key(), Experiment: "moons", Optimizer: "adam", Params: p,
			Status: train.Completed, Epochs: epochs, Start: start, End: start.Add(time.Second), WallSeconds: 1,
			RunID: 1, Position: i}
		if pruneAt != nil {
			if stop := pruneAt(i); stop > 0 {
				rec.Status, rec.Epochs, rec.Reason = train.Pruned, stop, "pruned"
				curve = curve[:stop]
			}
		}
		last := curve[len(curve)-1].Values
		rec.Final = map[string]float64{"val_accuracy": last[metric.ValAccuracy], "val_loss": 1 - last[metric.ValAccuracy]}
		full[rec.Key] = curve
		trials = append(trials, rec)
	}
	return Input{
		Sweep:  sw,
		Trials: trials,
		Curves: func(ctx context.Context, keys []string) (map[string][]train.Epoch, error) {
			out := make(map[string][]train.Epoch, len(keys))
			for _, k := range keys {
				if c, ok := full[k]; ok {
					out[k] = c
				}
			}
			return out, nil
		},
	}
}

// halvingStops prunes as successive halving with η = 3 over rungs 3 and
// 9 of 27 epochs would: two in three trials stop at epoch 3, two in three
// of the rest at epoch 9.
func halvingStops(i int) int {
	switch {
	case i%3 != 0:
		return 3
	case i%9 != 0:
		return 9
	}
	return 0
}
