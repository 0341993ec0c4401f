package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/experiments"
)

func cmdGradcheck(ctx context.Context, e *env, args []string) error {
	trial := e.fs.String("trial", "", "check the model of the trial with this `KEY` (a unique prefix; default: the sweep's first trial)")
	examples := e.fs.Int("examples", 64, "check on the first `N` training examples (fewer when the training set is smaller)")
	pos, err := e.parse(args, 1)
	if err != nil {
		return err
	}
	if *examples < 1 {
		return usageErrorf("gradcheck: --examples %d: want at least 1", *examples)
	}
	sw, trials, err := loadSweep(ctx, pos[0])
	if err != nil {
		return err
	}
	if len(trials) == 0 {
		return usageErrorf("gradcheck: %s plans no trials before it runs (adaptive search); check a sweep with a fixed plan", sw.Name)
	}
	t, err := pickTrial(trials, *trial)
	if err != nil {
		return err
	}
	x, err := experiments.Lookup(t.Experiment)
	if err != nil {
		return err
	}
	p, err := x.Resolve(t.Params)
	if err != nil {
		return fmt.Errorf("gradcheck: trial %s: %w", t.Key(), err)
	}
	tr, err := x.Trainer(p, t.Seed, t.Budget)
	if err != nil {
		return fmt.Errorf("gradcheck: trial %s: %w", t.Key(), err)
	}
	xs, ys, batch := firstExamples(tr.Train, *examples)
	if seq, ok := tr.Net.(*nn.Sequential); ok {
		arch, _ := p.String("architecture")
		fmt.Fprintf(e.stdout, "gradcheck: trial %s of %s (experiment %s, architecture %s), its initial parameters on the first %d training examples\n",
			t.Key(), sw.Name, t.Experiment, arch, batch)
		return gradcheck(e.stdout, nn.SequentialObjective(seq, xs, ys, batch, tr.Dropout), seq.ParamsPerLayer())
	}
	net, ok := tr.Net.(*nn.Network)
	if !ok {
		return fmt.Errorf("gradcheck: trial %s: experiment %s does not train a fully connected network", t.Key(), t.Experiment)
	}
	cfg := net.Config()
	fmt.Fprintf(e.stdout, "gradcheck: trial %s of %s (experiment %s, layers %v, %s loss), its initial parameters on the first %d training examples\n",
		t.Key(), sw.Name, t.Experiment, cfg.Layers, cfg.Loss, batch)
	err = gradcheck(e.stdout, nn.BatchObjective(net, xs, ys, batch, tr.Dropout), net.ParamsPerLayer())
	if err != nil && (cfg.Hidden == nn.ReLU || cfg.Hidden == nn.LeakyReLU) {
		// Not every failure is a bug: with zero initial biases, an example
		// whose previous layer is all inactive puts a unit exactly at
		// ReLU's kink, where ĝ is the mean of the two slopes.
		fmt.Fprintf(e.stdout, "(%s is not differentiable at 0: a layer whose inputs can all be 0 while its biases are 0 sits exactly at the kink for\n"+
			"such an example, and ĝ there is the mean of the two slopes. If only such layers fail, try other --examples before suspecting the code.)\n", cfg.Hidden)
	}
	return err
}

// pickTrial returns the first trial, or the one whose key starts with key.
func pickTrial(trials []engine.Trial, key string) (engine.Trial, error) {
	if key == "" {
		return trials[0], nil
	}
	var found []engine.Trial
	for _, t := range trials {
		if strings.HasPrefix(t.Key(), key) {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 0:
		return engine.Trial{}, usageErrorf("gradcheck: no trial of the sweep has a key starting with %q ('optbench plan' lists them)", key)
	case 1:
		return found[0], nil
	}
	return engine.Trial{}, usageErrorf("gradcheck: %d trials have a key starting with %q; give more of it", len(found), key)
}

// firstExamples returns the first n examples of s (all when it has fewer)
// in the d×B column layout the network takes.
func firstExamples(s train.Split, n int) (x, y []float64, batch int) {
	batch = min(n, s.M)
	cols := func(a []float64) []float64 {
		rows := len(a) / s.M
		out := make([]float64, 0, rows*batch)
		for r := range rows {
			out = append(out, a[r*s.M:r*s.M+batch]...)
		}
		return out
	}
	return cols(s.X), cols(s.Y), batch
}

// gradcheck runs the course's gradient check on obj, whose parameters
// come in parts of the given sizes (one per layer), prints the relative
// difference per layer and overall with the course's verdict, and fails
// with exit status 3 above nn.GradCheckThreshold.
func gradcheck(w io.Writer, obj nn.Objective, sizes []int) error {
	c := nn.CheckGradient(obj, nn.GradCheckEpsilon, sizes)
	fmt.Fprintf(w, "two-sided differences with ε = %g; difference = ‖g − ĝ‖/(‖g‖ + ‖ĝ‖)\n\n", nn.GradCheckEpsilon)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "layer\tparameters\tdifference\t")
	total := 0
	for i, d := range c.Parts {
		fmt.Fprintf(tw, "%d\t%d\t%.3g\t%s\n", i+1, sizes[i], d, mark(d))
		total += sizes[i]
	}
	fmt.Fprintf(tw, "all\t%d\t%.3g\t%s\n", total, c.Difference, mark(c.Difference))
	tw.Flush()
	fmt.Fprintln(w)
	if !c.Passed() {
		fmt.Fprintf(w, "There is a mistake in the backward propagation! difference = %.3g > %g\n", c.Difference, nn.GradCheckThreshold)
		return &exitError{code: exitFound, msg: fmt.Sprintf("gradcheck: the analytic gradient differs from the numerical one (%.3g > %g)", c.Difference, nn.GradCheckThreshold)}
	}
	fmt.Fprintf(w, "Your backward propagation works perfectly fine! difference = %.3g ≤ %g\n", c.Difference, nn.GradCheckThreshold)
	return nil
}

// mark flags a difference above the course's threshold.
func mark(d float64) string {
	if d > nn.GradCheckThreshold {
		return "mistake"
	}
	return ""
}
