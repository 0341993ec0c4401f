package reports

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

// Input is everything a report is made from. Only Sweep and Trials are
// required; the loaders may be nil, and the figures that need them are
// then left out with a warning.
type Input struct {
	Sweep      results.SweepRecord
	Trials     []results.TrialRecord // every seed of every configuration
	Provenance []results.Provenance

	// Notes are caveats the caller knows of (for example, stored trials
	// left out because the sweep file no longer plans them); the report
	// shows them first among its warnings.
	Notes []string
	// LeftOut is how many stored trials of the sweep the current plan
	// leaves out (values removed from the file, a data file that
	// changed); with no trial of the current plan stored, the report says
	// so instead of calling the sweep empty.
	LeftOut int

	// Curves loads the per-epoch metrics of the trials with the given keys.
	// A report asks only for the few trials its figures and the
	// epochs-to-target column need (each optimizer's best configuration),
	// in one call. Missing keys are allowed.
	Curves func(ctx context.Context, keys []string) (map[string][]train.Epoch, error)

	// Surface returns the 2-D test function of an experiment, to draw
	// trajectories over, or nil (and no error) when the experiment is not one.
	Surface func(experiment string) (*Surface, error)

	// Boundary returns the decision boundary of the trained trial with the
	// given key and the data it was trained on, or nil (and no error) when
	// the experiment is not a 2-D classification.
	Boundary func(ctx context.Context, key string) (*Boundary, error)

	// TrainSize returns the number of training examples of an experiment
	// with the given parameters, where a full-batch run (batch_size 0)
	// is drawn on a batch-size axis; nil leaves full-batch runs out of
	// those figures.
	TrainSize func(experiment string, p engine.Params) (int, error)
}

// Surface is a 2-D test function to contour.
type Surface struct {
	Name                   string                     // e.g. "Rosenbrock"
	Value                  func(x, y float64) float64 // the function
	XMin, XMax, YMin, YMax float64                    // the region drawn; zero means around the trajectories
	MinX, MinY             float64                    // the global minimum, marked
}

// Boundary is a trained 2-D classifier and its data.
type Boundary struct {
	Predict                func(x, y float64) float64 // probability of class 1 at (x, y)
	XMin, XMax, YMin, YMax float64                    // the region drawn; zero means around the points
	Points                 []LabeledPoint
}

// LabeledPoint is one example of a 2-D classification dataset.
type LabeledPoint struct {
	X, Y  float64
	Label int // class, from 0
}

// Band says what the shaded band around a mean curve shows.
type Band int

const (
	BandSD Band = iota // ±1 sample standard deviation over seeds
	BandCI             // the Student t confidence interval for the mean, at Options.Level
)

func (b Band) String() string {
	if b == BandCI {
		return "ci"
	}
	return "sd"
}

// ParseBand reads "sd" or "ci".
func ParseBand(s string) (Band, error) {
	switch s {
	case "sd", "":
		return BandSD, nil
	case "ci":
		return BandCI, nil
	}
	return BandSD, fmt.Errorf("%w: band %q (valid: sd, ci)", ErrOption, s)
}

// Options shape a report. The zero value is a sensible report.
type Options struct {
	// Target is the value of the sweep's metric whose first crossing by
	// the seed-mean curve the leaderboard reports as epochs to target
	// (DeepOBS's speed measure). nil leaves the column out.
	Target *float64

	// Level is the confidence level of intervals, in (0, 1); 0 means 0.95.
	Level float64

	// Band is what the learning curves' shaded band shows; default BandSD.
	Band Band

	// Smoothing is β of the bias-corrected exponentially weighted average
	// applied to each seed's learning curve before averaging, in [0, 1);
	// 0 means none.
	Smoothing float64

	// Sort orders the all-trials table by a column, named by its header or
	// one of its keys (e.g. "mean", "lr", "wall_seconds"); a leading "-"
	// sorts descending. Empty means by rank.
	Sort string

	// Width is the width of text tables in columns; 0 means 100. The
	// parameters column is truncated to fit, with a footnote saying so.
	Width int

	// Spread is how many of the best configurations the seed-spread box
	// plot shows; 0 means 8.
	Spread int

	// By is the factor whose every value gets its best configuration on
	// the leaderboard, in the learning curves and in the sensitivity
	// table: "optimizer" (the default, also for "") or any parameter of
	// the sweep, e.g. "schedule" or "batch_size".
	By string

	// Heatmap names the two parameters of the heatmap; empty means beta1
	// and beta2. It is drawn when both are swept.
	Heatmap [2]string
}

// ErrOption is wrapped by errors about invalid options.
var ErrOption = errors.New("reports: invalid option")

// ErrUnknownColumn is wrapped by errors about a column that does not exist.
var ErrUnknownColumn = errors.New("reports: unknown column")

// ByOptimizer is the default Options.By: each optimizer's best.
const ByOptimizer = "optimizer"

const (
	defaultWidth  = 100
	defaultSpread = 8
)

func (o Options) withDefaults() (Options, error) {
	if o.Level == 0 {
		o.Level = 0.95
	}
	if !(o.Level > 0 && o.Level < 1) {
		return o, fmt.Errorf("%w: level %v must be in (0, 1)", ErrOption, o.Level)
	}
	if !(o.Smoothing >= 0 && o.Smoothing < 1) {
		return o, fmt.Errorf("%w: smoothing β = %v must be in [0, 1)", ErrOption, o.Smoothing)
	}
	if o.Band != BandSD && o.Band != BandCI {
		return o, fmt.Errorf("%w: band %d", ErrOption, o.Band)
	}
	if o.Target != nil && (math.IsNaN(*o.Target) || math.IsInf(*o.Target, 0)) {
		return o, fmt.Errorf("%w: target %v must be finite", ErrOption, *o.Target)
	}
	switch {
	case o.Width == 0:
		o.Width = defaultWidth
	case o.Width < 0:
		return o, fmt.Errorf("%w: width %d must not be negative", ErrOption, o.Width)
	}
	switch {
	case o.Spread == 0:
		o.Spread = defaultSpread
	case o.Spread < 0:
		return o, fmt.Errorf("%w: spread %d must not be negative", ErrOption, o.Spread)
	}
	if o.By == "" {
		o.By = ByOptimizer
	}
	if o.Heatmap == [2]string{} {
		o.Heatmap = [2]string{"beta1", "beta2"}
	}
	return o, nil
}
