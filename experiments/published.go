package experiments

import "github.com/optbench/optbench/engine"

// Reference is a published table that an experiment reproduces.
type Reference struct {
	Name       string
	Experiment string
	Source     string
	Seed       uint64
	Epochs     int
	Metric     string // what Correct counts, e.g. train_correct
	Runs       []PublishedRun
}

// PublishedRun is one row of a published table.
type PublishedRun struct {
	Run     string
	Params  engine.Params
	Correct int             // examples classified correctly
	Costs   map[int]float64 // printed cost after the given epochs
}

// C2W2 is the table of DeepLearning.AI, "Improving Deep Neural Networks",
// week 2 assignment "Optimization Methods" (current version, 5000 epochs):
// correct predictions on the 300 training examples and the cost printed
// after epochs 0, 1000, …, 4000 (six decimals). testdata/c2w2_reference.py,
// the assignment's own numpy code, prints the same numbers.
var C2W2 = Reference{
	Name:       "c2w2-optimization",
	Experiment: "c2w2-moons",
	Source:     "DeepLearning.AI, Improving Deep Neural Networks, week 2, \"Optimization Methods\"",
	Seed:       3,
	Epochs:     5000,
	Metric:     "train_correct",
	Runs: []PublishedRun{
		{"GD", engine.Params{"optimizer": "gd", "lr": 0.0007},
			215, costs(0.702405, 0.668101, 0.635288, 0.600491, 0.573367)},
		{"Momentum", engine.Params{"optimizer": "momentum", "lr": 0.0007, "beta": 0.9},
			215, costs(0.702413, 0.668167, 0.635388, 0.600591, 0.573444)},
		{"Adam", engine.Params{"optimizer": "adam", "lr": 0.0007},
			283, costs(0.702166, 0.167845, 0.141316, 0.138788, 0.136066)},
		{"GD, every-epoch decay", engine.Params{"optimizer": "gd", "lr": 0.1, "schedule": "inverse_time", "decay_rate": 1.0},
			196, costs(0.701091, 0.661884, 0.658620, 0.656765, 0.655486)},
		{"GD, scheduled decay", engine.Params{"optimizer": "gd", "lr": 0.1, "schedule": "stepped_inverse_time",
			"decay_rate": 1.0, "interval": 1000.0},
			283, costs(0.701091, 0.127161, 0.120304, 0.117033, 0.117512)},
		{"Momentum, scheduled decay", engine.Params{"optimizer": "momentum", "lr": 0.1, "schedule": "stepped_inverse_time",
			"decay_rate": 1.0, "interval": 1000.0},
			286, costs(0.702226, 0.128974, 0.125965, 0.123375, 0.123218)},
		{"Adam, scheduled decay", engine.Params{"optimizer": "adam", "lr": 0.01, "schedule": "stepped_inverse_time",
			"decay_rate": 1.0, "interval": 1000.0},
			282, costs(0.699346, 0.130074, 0.129826, 0.129282, 0.128361)},
	},
}

func costs(c ...float64) map[int]float64 {
	m := make(map[int]float64, len(c))
	for i, v := range c {
		m[i*1000] = v
	}
	return m
}

// References lists the published tables optbench reproduces.
func References() []Reference { return []Reference{C2W2} }
