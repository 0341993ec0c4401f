package train

import (
	"context"
	"fmt"
	"time"

	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/optim"
	"github.com/optbench/optbench/engine/schedule"
	"github.com/optbench/optbench/engine/testfunc"
)

// FunctionTrainer follows an optimizer over a 2-D test function, the
// picture the course uses to show why momentum damps oscillation. Each
// "epoch" is one step; epoch 0 is the starting point, before any update.
type FunctionTrainer struct {
	F         testfunc.Function
	Optimizer optim.Optimizer
	Schedule  schedule.Schedule
	Steps     int              // updates to make; at least 1
	Now       func() time.Time // nil means time.Now
}

// Run follows the trajectory, calling observe for the start and after
// every step. Divergence (a non-finite value) ends the run.
func (t *FunctionTrainer) Run(ctx context.Context, observe Observer) (Result, error) {
	if t.Steps < 1 {
		return Result{}, fmt.Errorf("%w: steps = %d must be at least 1", ErrBudget, t.Steps)
	}
	now := t.Now
	if now == nil {
		now = time.Now
	}
	start := now()
	x, y := t.F.Start()
	p, g := []float64{x, y}, make([]float64, 2)
	var res Result
	for e := 0; e <= t.Steps; e++ {
		if ctx.Err() != nil {
			res.Status, res.Reason = Interrupted, "interrupted: "+context.Cause(ctx).Error()
			break
		}
		ep := NewEpoch(e)
		if e > 0 {
			g[0], g[1] = t.F.Gradient(p[0], p[1])
			ep.Values[metric.GradNorm] = hypot(g[0], g[1])
			lr := t.Schedule.LR(e-1, e) // each step is an epoch here, counted from 0
			ep.Values[metric.LR] = lr
			t.Optimizer.Step(p, g, lr)
		}
		ep.Values[metric.X], ep.Values[metric.Y] = p[0], p[1]
		ep.Values[metric.TrainLoss] = t.F.Value(p[0], p[1])
		ep.Seconds = now().Sub(start).Seconds()
		if res.endEpoch(ep, e, p, observe, e == t.Steps, false) {
			break
		}
	}
	res.finish(now().Sub(start))
	mx, my := t.F.Minimum()
	res.Final = append(res.Last.Metrics(), Metric{Name: "distance_to_minimum", Value: hypot(p[0]-mx, p[1]-my)})
	return res, nil
}
