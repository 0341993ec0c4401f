package reports

import (
	"context"
	"math"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

// rosenbrockInput is a sweep of three optimizers on Rosenbrock's function
// with synthetic trajectories that spiral into the minimum at (1, 1).
func rosenbrockInput(steps int) Input {
	var trials []results.TrialRecord
	rates := map[string]float64{"gd": 0.02, "momentum": 0.05, "adam": 0.1}
	for oi, opt := range []string{"gd", "momentum", "adam"} {
		for _, lr := range []float64{0.001, 0.01} {
			p := engine.Params{"optimizer": opt, "lr": lr}
			t := engine.Trial{Experiment: "rosenbrock", Params: p, Budget: engine.Budget{Epochs: steps}}
			d := math.Exp(-rates[opt]*float64(steps)) * (1 + float64(oi)) * (lr * 100)
			trials = append(trials, results.TrialRecord{Sweep: "rosen", Key: t.Key(), Experiment: "rosenbrock", Optimizer: opt,
				Params: p, Status: train.Completed, Epochs: steps + 1, WallSeconds: 0.01,
				Final: map[string]float64{"train_loss": d * d, "distance_to_minimum": d}})
		}
	}
	curves := func(ctx context.Context, keys []string) (map[string][]train.Epoch, error) {
		out := map[string][]train.Epoch{}
		for _, t := range trials {
			rate := rates[t.Optimizer]
			eps := make([]train.Epoch, steps+1)
			for i := range eps {
				r := 2.5 * math.Exp(-rate*float64(i))
				a := 2.2 + 0.15*float64(i)*(1+rate)
				x, y := 1+r*math.Cos(a), 1+0.8*r*math.Sin(a)
				nan := math.NaN()
				eps[i] = train.Epoch{Epoch: i, Values: metric.Values{metric.X: x, metric.Y: y, metric.TrainLoss: rosenbrock(x, y), metric.TrainAccuracy: nan, metric.ValLoss: nan, metric.ValAccuracy: nan, metric.LR: nan, metric.GradNorm: nan}}
			}
			out[t.Key] = eps
		}
		return out, nil
	}
	return Input{
		Sweep:  results.SweepRecord{Name: "rosen", Experiment: "rosenbrock", Metric: "distance_to_minimum", Goal: "minimize"},
		Trials: trials,
		Curves: curves,
		Surface: func(string) (*Surface, error) {
			return &Surface{Name: "Rosenbrock", Value: rosenbrock, XMin: -2, XMax: 2, YMin: -1, YMax: 3, MinX: 1, MinY: 1}, nil
		},
	}
}

func rosenbrock(x, y float64) float64 { return (1-x)*(1-x) + 100*(y-x*x)*(y-x*x) }

// moonsBoundary is a classifier whose boundary is a sine wave between two
// noisy half-moons of points.
func moonsBoundary(ctx context.Context, key string) (*Boundary, error) {
	b := &Boundary{Predict: func(x, y float64) float64 { return 1 / (1 + math.Exp(-6*(0.5*math.Sin(2*x)-y+0.25))) }}
	for i := 0; i < 100; i++ {
		a := math.Pi * float64(i) / 99
		jitter := 0.1 * math.Sin(float64(i)*7.3)
		b.Points = append(b.Points,
			LabeledPoint{X: math.Cos(a) + jitter, Y: math.Sin(a) - jitter, Label: 0},
			LabeledPoint{X: 1 - math.Cos(a) - jitter, Y: 0.5 - math.Sin(a) + jitter, Label: 1})
	}
	return b, nil
}
