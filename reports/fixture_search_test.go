package reports

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

// searchInput is a synthetic random search of n configurations, one seed
// each: lr log-uniform over [1e-4, 1] and the metric peaked at lr = 1e-2,
// beta1 uniform over [0.8, 0.99] with a small effect, and an activation
// (a category) with a smaller one; one configuration in ten diverges.
func searchInput(n int) Input {
	sw := demoSweep()
	sw.Name, sw.Search = "search", "random:0123456789abcdef"
	rng := rand.New(rand.NewPCG(14, 15))
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	var trials []results.TrialRecord
	for i := range n {
		lr := math.Pow(10, -4+4*rng.Float64())
		b1 := 0.8 + 0.19*rng.Float64()
		act := []string{"relu", "tanh"}[rng.IntN(2)]
		p := engine.Params{"optimizer": "adam", "lr": lr, "beta1": b1, "activation": act, "batch_size": 64.0}
		tr := engine.Trial{Sweep: sw.Name, Experiment: "moons", Params: p, Budget: engine.Budget{Epochs: 5}}
		acc := 0.95 - 0.05*math.Pow(math.Log10(lr)+2, 2) - 0.3*math.Abs(b1-0.9) - 0.01*float64(len(act)-4) + 0.005*rng.NormFloat64()
		rec := results.TrialRecord{Sweep: sw.Name, Key: tr.Key(), Experiment: "moons", Optimizer: "adam", Params: p,
			Status: train.Completed, Epochs: 5, Start: start, End: start.Add(time.Second), WallSeconds: 1,
			RunID: 1, Position: i, Final: map[string]float64{"val_accuracy": acc, "val_loss": 1 - acc}}
		if i%10 == 9 {
			rec.Status, rec.Final = train.Diverged, map[string]float64{}
		}
		trials = append(trials, rec)
	}
	return Input{Sweep: sw, Trials: trials}
}
