package experiments

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/rng"
	"github.com/optbench/optbench/engine/testfunc"
	"github.com/optbench/optbench/engine/train"
)

// Benchmark functions of hyperparameter search: experiments without an
// optimizer whose parameters x1, x2, … are the inputs of a synthetic
// function and whose metric, value (minimize), is the function there. A
// trial is one evaluation, recorded as one epoch (train_loss, the value,
// as for 2-D test functions, so that a non-finite value is a diverged
// trial) and the one final metric value.
func init() {
	objective := func(name, desc, source string, f func() testfunc.Objective) {
		register(&Experiment{
			Name: name, Description: desc, Source: source,
			Metric: "value", Goal: Minimize, Budget: engine.Budget{Epochs: 1},
			objective: f,
		})
	}
	objective("branin", "The Branin–Hoo function of x1 ∈ [−5, 10], x2 ∈ [0, 15]; minimum 0.397887. "+
		"No optimizer: a trial is one evaluation.",
		"Dixon and Szegő (1978); Surjanovic and Bingham, Virtual Library of Simulation Experiments",
		func() testfunc.Objective { return testfunc.Branin{} })
	objective("hartmann6", "The six-dimensional Hartmann function of x1 … x6 ∈ [0, 1]; minimum −3.32237. "+
		"No optimizer: a trial is one evaluation.",
		"Dixon and Szegő (1978); Surjanovic and Bingham, Virtual Library of Simulation Experiments",
		func() testfunc.Objective { return testfunc.Hartmann6{} })
	objective("quadratic_deep", "DeepOBS's 100-D quadratic ½θᵀHθ (Hessian eigenvalues 90 from U(0,1), 10 from "+
		"U(30,60), randomly rotated, from numpy seed 42) of x0 … x99 ∈ [−1, 1]; minimum 0. "+
		"No optimizer: a trial is one evaluation.",
		"DeepOBS (Schneider, Balles and Hennig, ICLR 2019), deepobs/tensorflow/testproblems/quadratic_deep.py, without its noise",
		func() testfunc.Objective { return testfunc.NewQuadraticDeep(rng.New(42)) })
}

// TakesOptimizer reports whether trials of the experiment train with an
// optimizer and schedule; a benchmark function (branin) is evaluated
// instead.
func (e *Experiment) TakesOptimizer() bool { return e.objective == nil }

// Objective returns the benchmark function of an experiment that takes no
// optimizer.
func (e *Experiment) Objective() (testfunc.Objective, error) {
	if e.objective == nil {
		return nil, fmt.Errorf("experiment %s is not a benchmark function", e.Name)
	}
	return e.objective(), nil
}

// inputNames names the inputs of f: x1, x2, … as benchmark functions are
// usually written, x0 … x99 for quadratic_deep as DeepOBS indexes θ.
func inputNames(name string, n int) []string {
	out := make([]string, n)
	first := 1
	if name == "quadratic_deep" {
		first = 0
	}
	for i := range out {
		out[i] = fmt.Sprintf("x%d", first+i)
	}
	return out
}

// inputs are the parameters of a benchmark-function experiment: one per
// input, over its range, defaulting to the range's middle.
func (e *Experiment) inputs() []Param {
	lo, hi := e.objective().Bounds()
	names := inputNames(e.Name, len(lo))
	out := make([]Param, len(lo))
	for i := range lo {
		out[i] = num(names[i], (lo[i]+hi[i])/2, lo[i], hi[i], false, false,
			fmt.Sprintf("input %d of the function", i+1))
	}
	return out
}

// evaluate is a trial of a benchmark function: one evaluation at the
// resolved parameters p.
func (e *Experiment) evaluate(ctx context.Context, p engine.Params, observe train.Observer) train.Result {
	start := time.Now()
	f := e.objective()
	params := e.inputs()
	x := make([]float64, len(params))
	for i, q := range params {
		x[i], _ = p.Float(q.Name)
	}
	if ctx.Err() != nil {
		return train.Result{Status: train.Interrupted, Reason: "interrupted: " + context.Cause(ctx).Error()}
	}
	v := f.Value(x)
	ep := train.NewEpoch(0)
	ep.Values[metric.TrainLoss] = v
	ep.Seconds = time.Since(start).Seconds()
	res := train.Result{Status: train.Completed, Epochs: 1, Last: ep}
	if observe != nil {
		observe(ep) // one epoch, the whole budget: a decision to stop changes nothing
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		res.Status, res.Reason = train.Diverged, fmt.Sprintf("value %v", v)
	}
	res.Final = []train.Metric{{Name: "value", Value: v}}
	res.Seconds = time.Since(start).Seconds()
	return res
}
