package experiments

import (
	"context"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

// TestBenchmarkFunctions evaluates each benchmark experiment at its known
// minimiser (Surjanovic and Bingham's library for Branin and Hartmann6;
// θ = 0 for quadratic_deep) and checks the parameters as sweeps see them.
func TestBenchmarkFunctions(t *testing.T) {
	for _, c := range []struct {
		name   string
		params engine.Params
		want   float64
		tol    float64 // the minimiser is published to 5–6 digits
		specs  int
	}{
		{"branin", engine.Params{"x1": 3.141592653589793, "x2": 2.275}, 0.397887, 1e-6, 2},
		{"hartmann6", engine.Params{"x1": 0.20169, "x2": 0.150011, "x3": 0.476874, "x4": 0.275332, "x5": 0.311652, "x6": 0.6573},
			-3.32237, 1e-5, 6},
		{"quadratic_deep", engine.Params{}, 0, 0, 100}, // defaults: the middle of [−1, 1]
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := Lookup(c.name)
			if err != nil {
				t.Fatal(err)
			}
			if e.TakesOptimizer() || e.Metric != "value" {
				t.Errorf("TakesOptimizer %v, metric %s", e.TakesOptimizer(), e.Metric)
			}
			ps, _ := e.Params("", "")
			if len(ps) != c.specs {
				t.Errorf("%d parameters, want %d", len(ps), c.specs)
			}
			if _, err := e.Resolve(engine.Params{"optimizer": "adam"}); err == nil {
				t.Error("an optimizer was accepted")
			}
			var epochs int
			res, err := Run(context.Background(), engine.Trial{Experiment: c.name, Params: c.params, Budget: e.Budget},
				train.Watch(func(train.Epoch) { epochs++ }))
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != train.Completed || epochs != 1 || len(res.Final) != 1 || res.Final[0].Name != "value" {
				t.Fatalf("status %s, %d epochs, final %v", res.Status, epochs, res.Final)
			}
			if v := res.Final[0].Value; !scalar.EqualWithinAbsOrRel(v, c.want, c.tol, c.tol) {
				t.Errorf("value %v, want %v", v, c.want)
			}
		})
	}
}
