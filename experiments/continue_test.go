package experiments

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

// stopAt prunes every trial after epoch n−1, as a pruner that stops a
// trial at a rung would.
type stopAt int

func (s stopAt) Decide(_ engine.Trial, e train.Epoch) train.Decision {
	return train.Decision{Stop: e.Epoch+1 >= int(s), Reason: fmt.Sprintf("rung of %d epochs", int(s))}
}

type outcomes map[string]engine.Outcome

func (s outcomes) Record(_ context.Context, o engine.Outcome) error {
	s[o.Trial.Experiment] = o
	return nil
}

// TestContinueToLargerBudget: a trial stopped at a rung (pruned after 4
// epochs) and then continued to 9 epochs — by retraining it from its seed
// with the larger budget, engine.Trial.Continue — has the curve of the
// same trial trained to 9 epochs directly, bit for bit (wall time aside),
// and its first 4 epochs are those of the stopped run. Covered: every
// built-in experiment with a schedule that changes the rate per epoch
// (cosine with warm-up) or per step, mini-batches and dropout where the
// experiment has them.
func TestContinueToLargerBudget(t *testing.T) {
	var trials []engine.Trial
	for _, name := range Names() {
		e, _ := Lookup(name)
		p := engine.Params{"optimizer": "adam", "lr": 0.01, "schedule": "cosine", "t_max": 6.0, "warmup_epochs": 2.0}
		if e.Function {
			p["lr"] = 0.05
		}
		if e.Name == "c2w2-moons" {
			p = engine.Params{"optimizer": "momentum", "lr": 0.0007, "schedule": "inverse_time", "decay_rate": 0.3}
		}
		if name == "csv" {
			continue // needs a data file; its trainer is the network trainer the others use
		}
		if files, ok := dataParamsIfAny(t, name); !ok {
			continue // fmnist-mlp without its data set
		} else {
			for k, v := range files {
				p[k] = v
			}
		}
		if !e.TakesOptimizer() {
			continue // one evaluation: nothing to stop or continue
		}
		trials = append(trials, engine.Trial{Experiment: name, Params: p, Seed: 3, Budget: engine.Budget{Epochs: 4}})
	}
	run := func(ts []engine.Trial, rule engine.Rule) outcomes {
		t.Helper()
		got := outcomes{}
		x := &engine.Executor{Workers: 2, Run: Run, Rule: rule}
		if _, err := x.Execute(context.Background(), ts, got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	var long, continued []engine.Trial
	for _, tr := range trials {
		long = append(long, tr.Continue(9))
	}
	stopped := run(long, stopAt(4))
	for _, tr := range long {
		o := stopped[tr.Experiment]
		continued = append(continued, o.Trial.Continue(9))
	}
	direct, resumed := run(long, nil), run(continued, nil)
	for _, tr := range long {
		name := tr.Experiment
		s, d, r := stopped[name], direct[name], resumed[name]
		if s.Status == train.Failed || d.Status == train.Failed {
			t.Fatalf("%s: %s", name, s.Error+d.Error)
		}
		if s.Status != train.Pruned || len(s.Curve) != 4 {
			t.Errorf("%s: stopped run is %s after %d epochs, want pruned after 4", name, s.Status, len(s.Curve))
		}
		n := 9
		if e, _ := Lookup(name); e.Function {
			n = 10 // a 2-D function's curve starts at the starting point, before the first of 9 steps
		}
		if d.Status != train.Completed || len(d.Curve) != n || len(r.Curve) != n {
			t.Fatalf("%s: direct %s with %d epochs, continued %d epochs", name, d.Status, len(d.Curve), len(r.Curve))
		}
		if r.Key != d.Key {
			t.Errorf("%s: continued trial key %s, direct %s", name, r.Key, d.Key)
		}
		// Printed with %v every float is in its shortest round-trip form,
		// so equal text is equal bits (and NaN equals NaN).
		clear := func(c []train.Epoch) string {
			c = slices.Clone(c)
			for i := range c {
				c[i].Seconds = 0
			}
			return fmt.Sprintf("%v", c)
		}
		if clear(r.Curve) != clear(d.Curve) {
			t.Errorf("%s: continued curve differs from the direct one", name)
		}
		if clear(s.Curve) != clear(d.Curve[:4]) {
			t.Errorf("%s: the stopped run's 4 epochs differ from the direct run's first 4:\n%+v\n%+v", name, clear(s.Curve), clear(d.Curve[:4]))
		}
	}
	if len(trials) < 3 {
		t.Fatalf("only %d experiments covered", len(trials))
	}
}
