package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/experiments"
	"github.com/optbench/optbench/results"
	"github.com/optbench/optbench/search"
	"github.com/optbench/optbench/sweeps"
)

// generationRun is what runGenerations needs besides the sweep.
type generationRun struct {
	store        *results.DB
	sweepID      int64
	runID        int64
	workers      int
	claim        results.ClaimOptions
	keepStale    bool
	grace        func(*engine.Executor)
	progress     func(engine.Progress)
	rule         func(history []search.Observation) engine.Rule // a pruner that compares with earlier generations; nil for none
	onGeneration func(g, trials int)
}

// runGenerations trains an adaptive sweep generation by generation: it
// asks the method for generation g from the stored results of the
// generations before g, stores the generation in the sweep's plan, and
// trains its trials through claims (so several processes share it, and a
// rerun after an interruption proposes the same generations again from
// what is stored and trains only what is missing). Every process waits at
// the end of a generation until all of its trials are in: a generation is
// proposed from complete results only, whatever the number of workers.
func runGenerations(ctx context.Context, sw *sweeps.Sweep, m search.Adaptive, r generationRun) (engine.Progress, int, error) {
	tmpl := sw.Template()
	runner := new(experiments.Runner) // one for all generations
	var (
		history []search.Observation
		all     []engine.Trial
		total   engine.Progress
	)
	claim := r.claim
	claim.Wait = true // a generation ends when every process's trials are in
	for g := 0; ; g++ {
		props, done, err := m.Next(g, history)
		if err != nil {
			return total, g, err
		}
		if len(props) == 0 {
			if done {
				return total, g, nil
			}
			continue
		}
		trials, err := tmpl.Trials(props)
		if err != nil {
			return total, g, err
		}
		all = append(all, trials...)
		plan, err := r.store.Plan(ctx, r.sweepID, all)
		if err != nil {
			return total, g, err
		}
		if plan.Stale > 0 && !claim.RetrainStale && !r.keepStale {
			return total, g, usageErrorf("run: %d trials of %s were trained by a build with other numerics (this build: %s): "+
				"rerun with --retrain-stale or --keep-stale", plan.Stale, sw.Name, engine.NumericsVersion)
		}
		if r.onGeneration != nil {
			r.onGeneration(g, len(trials))
		}
		claimer, err := r.store.Claimer(ctx, r.sweepID, r.runID, claim)
		if err != nil {
			return total, g, err
		}
		x := &engine.Executor{Workers: r.workers, Run: runner.Run}
		if r.progress != nil {
			before := total
			x.Progress = func(p engine.Progress) { r.progress(addProgress(before, p)) }
		}
		if r.grace != nil {
			r.grace(x)
		}
		if r.rule != nil {
			x.Rule = r.rule(history)
		}
		p, runErr := x.Drive(ctx, claimer, claimer.Recorder())
		if err := claimer.Close(context.WithoutCancel(ctx)); err != nil && runErr == nil {
			runErr = err
		}
		total = addProgress(total, p)
		if runErr != nil {
			return total, g, runErr
		}
		keys := make([]string, len(trials))
		for i, t := range trials {
			keys[i] = t.Key()
		}
		outcomes, err := r.store.Outcomes(ctx, sw.Name, keys)
		if err != nil {
			return total, g, err
		}
		for i, o := range outcomes {
			if o.Status == results.Planned || o.Status == train.Interrupted {
				return total, g, fmt.Errorf("run: generation %d of %s is not complete (trial %s is %s); rerun to continue",
					g, sw.Name, keys[i], o.Status)
			}
		}
		history = append(history, search.Observe(len(history), props, outcomes, len(tmpl.Seeds), sw.Metric)...)
		if done {
			return total, g + 1, nil
		}
	}
}

// addProgress sums the tallies of two executions.
func addProgress(a, b engine.Progress) engine.Progress {
	a.Done += b.Done
	a.Failed += b.Failed
	a.Diverged += b.Diverged
	a.Pruned += b.Pruned
	a.Interrupted += b.Interrupted
	a.Elapsed += b.Elapsed
	if b.Done > 0 {
		a.Last = b.Last
	}
	return a
}

type adaptiveFlags struct {
	workers                 int
	quiet                   bool
	grace, lease            time.Duration
	retrainStale, keepStale bool
	db                      string
}

// runAdaptive runs a sweep whose trials are proposed generation by
// generation (tpe, or a pruner) and prints what it did.
func runAdaptive(ctx context.Context, e *env, store *results.DB, rec results.SweepRecord, sw *sweeps.Sweep, f adaptiveFlags) error {
	m, err := sw.Adaptive()
	if err != nil {
		return err
	}
	runID, err := store.StartRun(ctx, rec.ID, results.CurrentProvenance(os.Args, f.workers))
	if err != nil {
		return stopped(ctx, err)
	}
	prog := newProgress(e.stderr, 0, f.quiet, sw.Metric, sw.Goal)
	r := generationRun{store: store, sweepID: rec.ID, runID: runID, workers: f.workers,
		claim:     results.ClaimOptions{RetrainStale: f.retrainStale, Lease: f.lease},
		keepStale: f.keepStale, grace: func(x *engine.Executor) { x.Grace = f.grace }, progress: prog.update,
		onGeneration: func(g, n int) {
			if !f.quiet {
				fmt.Fprintf(e.stderr, "%s: generation %d, %d trials\n", sw.Name, g, n)
			}
		}}
	if sw.Pruner().Method == "median" {
		r.rule = func(history []search.Observation) engine.Rule {
			rule, err := sw.MedianRule(history)
			if err != nil {
				return nil // checked when the sweep was parsed
			}
			return rule
		}
	}
	p, gens, runErr := runGenerations(ctx, sw, m, r)
	prog.finish()
	if err := store.FinishRun(context.WithoutCancel(ctx), runID); err != nil && runErr == nil {
		runErr = err
	}
	fmt.Fprintf(e.stdout, "%s: %d generations: %d completed, %d pruned, %d diverged, %d failed, %d interrupted (database %s)\n",
		sw.Name, gens, p.Completed(), p.Pruned, p.Diverged, p.Failed, p.Interrupted, f.db)
	return runExit(runErr, p)
}

// generation is one generation of an adaptive sweep as runGenerations
// proposes it.
type generation struct {
	index     int
	trials    []engine.Trial       // its trials, those proposed by earlier generations left out
	positions []int                // the trials' places in the sweep's plan, as a local run stores it
	last      bool                 // the method said it is the last
	history   []search.Observation // what the generations before it observed
}

// replayGeneration proposes generation g of an adaptive sweep as
// runGenerations does, from the stored outcomes of the generations before
// it in store (nil when g is 0), which must all be finished: so that
// generation by generation on a cluster (run --generation) proposes the
// same trials as a local run. It reports false when the sweep ends
// before generation g.
func replayGeneration(ctx context.Context, sw *sweeps.Sweep, store *results.DB, g int) (generation, bool, error) {
	m, err := sw.Adaptive()
	if err != nil {
		return generation{}, false, err
	}
	tmpl := sw.Template()
	var (
		history []search.Observation
		seen    = map[string]bool{}
		before  int
	)
	for i := 0; ; i++ {
		props, done, err := m.Next(i, history)
		if err != nil {
			return generation{}, false, err
		}
		if len(props) == 0 {
			if done {
				return generation{}, false, nil
			}
			continue
		}
		trials, err := tmpl.Trials(props)
		if err != nil {
			return generation{}, false, err
		}
		if i == g {
			// A local run plans every generation's trials one after the
			// other, a trial at its first place.
			gen := generation{index: g, last: done, history: history}
			for j, t := range trials {
				if !seen[t.Key()] {
					gen.trials = append(gen.trials, t)
					gen.positions = append(gen.positions, before+j)
				}
			}
			return gen, true, nil
		}
		if store == nil {
			return generation{}, false, fmt.Errorf("run: generation %d of %s needs the results of generation %d: give them with --history", g, sw.Name, i)
		}
		keys := make([]string, len(trials))
		for j, t := range trials {
			keys[j] = t.Key()
			seen[keys[j]] = true
		}
		before += len(trials)
		outcomes, err := store.Outcomes(ctx, sw.Name, keys)
		if err != nil {
			return generation{}, false, err
		}
		for j, o := range outcomes {
			if o.Status == results.Planned || o.Status == train.Interrupted {
				return generation{}, false, fmt.Errorf("run: generation %d of %s is not complete in %s (trial %s is %s): generation %d cannot be proposed yet",
					i, sw.Name, store.Path(), keys[j], o.Status, g)
			}
		}
		history = append(history, search.Observe(len(history), props, outcomes, len(tmpl.Seeds), sw.Metric)...)
		if done {
			return generation{}, false, nil
		}
	}
}
