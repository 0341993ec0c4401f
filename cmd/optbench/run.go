package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/experiments"
	"github.com/optbench/optbench/results"
	"github.com/optbench/optbench/sweeps"
)

// defaultMaxTrials is the sweep size above which run asks for --yes.
const defaultMaxTrials = 2000

func cmdRun(ctx context.Context, e *env, args []string) error {
	db := e.dbFlag()
	workers := e.fs.Int("j", runtime.NumCPU(), "trials trained at once")
	quiet := e.fs.Bool("quiet", false, "print no progress")
	yes := e.fs.Bool("yes", false, "run a sweep larger than --max-trials")
	maxTrials := e.fs.Int("max-trials", defaultMaxTrials, "largest sweep run without --yes")
	grace := e.fs.Duration("grace", 10*time.Second, "after Ctrl-C, SIGTERM or SIGUSR1, how long running trials may finish before they are cut (and trained again by a rerun)")
	retrainStale := e.fs.Bool("retrain-stale", false, "train again the trials stored by a build with other numerics")
	keepStale := e.fs.Bool("keep-stale", false, "keep the trials stored by a build with other numerics as results")
	wait := e.fs.Bool("wait", true, "when other processes hold the remaining trials, wait for them (and take over those of a process that dies)")
	lease := e.fs.Duration("lease", results.DefaultLease, "how long a claimed trial stays claimed unless renewed; a process that dies holds its trials this long")
	shardFlag := e.fs.String("shard", "", "run only shard `i/N` of the sweep's trials (0 ≤ i < N), split by expected cost; merge the shards' databases with optbench merge")
	generationFlag := e.fs.Int("generation", -1, "of an adaptive sweep, train only generation `g` (with --shard, its shard), proposed from the results of the generations before it in --history, as optbench slurm does")
	historyFlag := e.fs.String("history", "", "with --generation, the database holding the results of the generations before it (a merge of their shards)")
	pos, err := e.parse(args, 1)
	if err != nil {
		return err
	}
	switch {
	case *workers < 1:
		return usageErrorf("run: -j %d: need at least one worker", *workers)
	case *retrainStale && *keepStale:
		return usageErrorf("run: --retrain-stale and --keep-stale exclude each other")
	case *lease < time.Second:
		return usageErrorf("run: --lease %v: need at least 1s", *lease)
	}
	var shard sweeps.Shard
	if *shardFlag != "" {
		if shard, err = sweeps.ParseShard(*shardFlag); err != nil {
			return usageErrorf("run: --shard: %v", err)
		}
	}
	switch {
	case *generationFlag < -1:
		return usageErrorf("run: --generation %d: want 0 or more", *generationFlag)
	case *historyFlag != "" && *generationFlag < 0:
		return usageErrorf("run: --history is for --generation")
	}
	sw, trials, err := loadSweep(ctx, pos[0])
	if err != nil {
		return err
	}
	// A shard plans its part of the sweep at the trials' places in the
	// whole plan, so that merged shards hold the sweep's plan.
	var (
		positions []int
		rule      engine.Rule
	)
	if *generationFlag >= 0 {
		gen, ok, err := runGeneration(ctx, sw, pos[0], *generationFlag, *historyFlag)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintf(e.stdout, "%s: the sweep ends before generation %d\n", sw.Name, *generationFlag)
			return nil
		}
		trials, positions = gen.trials, gen.positions
		if sw.Pruner().Method == "median" {
			if rule, err = sw.MedianRule(gen.history); err != nil {
				return err
			}
		}
		if shard.Count > 0 {
			var picked []int
			trials, picked = shard.Select(trials)
			for i, p := range picked {
				picked[i] = positions[p]
			}
			positions = picked
		}
	} else if shard.Count > 0 {
		if sw.IsAdaptive() {
			return adaptiveShardError("run: --shard", pos[0], sw)
		}
		trials, positions = shard.Select(trials)
	}
	if len(trials) > *maxTrials && !*yes {
		return usageErrorf("run: %s expands to %d trials, more than --max-trials %d; rerun with --yes to run them all",
			pos[0], len(trials), *maxTrials)
	}

	store, err := results.Open(ctx, db())
	if err != nil {
		return stopped(ctx, err)
	}
	defer store.Close()
	rec, err := store.PutSweep(ctx, sweepRecord(sw))
	if conflict := (*results.SweepConflictError)(nil); errors.As(err, &conflict) {
		return usageErrorf("run: %v; give one of them another name (name: in the file), or use another --db", conflict)
	}
	if err != nil {
		return stopped(ctx, err)
	}
	if sw.IsAdaptive() && *generationFlag < 0 {
		return runAdaptive(ctx, e, store, rec, sw, adaptiveFlags{workers: *workers, quiet: *quiet, grace: *grace,
			retrainStale: *retrainStale, keepStale: *keepStale, lease: *lease, db: db()})
	}
	plan, err := store.PlanAt(ctx, rec.ID, trials, positions)
	if err != nil {
		return stopped(ctx, err)
	}
	if plan.Stale > 0 && !*retrainStale && !*keepStale {
		st, err := store.Stale(ctx, rec.ID, nil, "")
		if err != nil {
			return stopped(ctx, err)
		}
		return usageErrorf("run: %d of the %d trials of %s in %s were trained by a build with other numerics (%s; this build: %s): "+
			"rerun with --retrain-stale to train them again, or --keep-stale to keep them as results",
			plan.Stale, plan.Trials, sw.Name, db(), versionList(st.Versions), engine.NumericsVersion)
	}
	done := plan.Finished
	if *retrainStale {
		done -= plan.Stale
	}
	if done == plan.Trials {
		fmt.Fprintf(e.stdout, "%s: all %d trials are already in %s\n", sw.Name, plan.Trials, db())
		return nil
	}
	// Workers beyond the trials left would only be idle goroutines, and
	// enough of them take seconds to start (-j 1000000 took 11 s for one
	// trial).
	*workers = min(*workers, plan.Trials-done)
	if n, err := store.ReleaseDead(ctx, rec.ID); err != nil {
		return stopped(ctx, err)
	} else if n > 0 && !*quiet {
		fmt.Fprintf(e.stderr, "%s: taking over %d trial(s) claimed by processes that no longer run\n", sw.Name, n)
	}
	prov := results.CurrentProvenance(os.Args, *workers)
	if shard.Count > 0 {
		prov.Shard = shard.String()
	}
	runID, err := store.StartRun(ctx, rec.ID, prov)
	if err != nil {
		return stopped(ctx, err)
	}
	claimer, err := store.Claimer(ctx, rec.ID, runID, results.ClaimOptions{RetrainStale: *retrainStale, Wait: *wait, Lease: *lease})
	if err != nil {
		return stopped(ctx, err)
	}
	todo := plan.Trials - done
	if !*quiet {
		msg := fmt.Sprintf("%s: %d trials on %d workers", sw.Name, todo, *workers)
		if done > 0 {
			msg += fmt.Sprintf(" (%d already done)", done)
		}
		fmt.Fprintln(e.stderr, msg)
	}
	prog := newProgress(e.stderr, todo, *quiet, sw.Metric, sw.Goal)
	x := &engine.Executor{Workers: *workers, Run: new(experiments.Runner).Run, Grace: *grace, Progress: prog.update, Rule: rule}
	sink := claimer.Recorder()
	sink.OnDiscard = func(o engine.Outcome) {
		if o.Status == train.Failed {
			fmt.Fprintf(e.stderr, "%s: trial %s failed and keeps its stored result: %s\n", sw.Name, o.Key, firstLine(o.Error))
		}
	}
	p, runErr := x.Drive(ctx, claimer, sink)
	prog.finish()
	after := context.WithoutCancel(ctx)
	if err := errors.Join(claimer.Close(after), store.FinishRun(after, runID)); err != nil && runErr == nil {
		runErr = err
	}
	// Outcomes the store did not keep happened here but are not results:
	// a finished one because another process finished the trial first,
	// an unfinished one because the trial keeps its earlier result.
	kept := func(n int, s train.Status) int { return n - sink.DiscardedWith(s) }
	fmt.Fprintf(e.stdout, "%s: %d completed, %d pruned, %d diverged, %d failed, %d interrupted", sw.Name,
		kept(p.Completed(), train.Completed), kept(p.Pruned, train.Pruned), kept(p.Diverged, train.Diverged),
		p.Failed, p.Interrupted)
	if done > 0 {
		fmt.Fprintf(e.stdout, ", %d already done", done)
	}
	if n := sink.DiscardedWith(train.Completed) + sink.DiscardedWith(train.Pruned) + sink.DiscardedWith(train.Diverged); n > 0 {
		fmt.Fprintf(e.stdout, ", %d finished meanwhile by another process (not stored)", n)
	}
	others, notStarted, err := unfinished(after, store, sw.Name)
	if err != nil && runErr == nil {
		runErr = err
	}
	if others > 0 {
		fmt.Fprintf(e.stdout, ", %d being trained by other processes", others)
	}
	if notStarted > 0 {
		fmt.Fprintf(e.stdout, ", %d not started", notStarted)
	}
	fmt.Fprintf(e.stdout, " (database %s)\n", db())
	// A signal during the last trials that let them all finish left
	// nothing to resume: that run succeeded.
	if errors.Is(runErr, context.Canceled) && p.Interrupted == 0 && others == 0 && notStarted == 0 {
		runErr = nil
	}
	return runExit(runErr, p)
}

// runExit is how a run ends: 130 when interrupted with trials left to
// resume, the run's error, 1 when a trial failed, else success.
func runExit(runErr error, p engine.Progress) error {
	switch {
	case errors.Is(runErr, context.Canceled):
		return &exitError{code: 130, msg: "interrupted; rerun the same command to resume"}
	case runErr != nil:
		return runErr
	case p.Failed > 0:
		return &exitError{code: 1, msg: fmt.Sprintf("%d trial(s) failed; 'optbench ls' and 'optbench show KEY' give the errors", p.Failed)}
	}
	return nil
}

// runGeneration is generation g of an adaptive sweep, proposed from the
// results of the generations before it in the database history.
func runGeneration(ctx context.Context, sw *sweeps.Sweep, file string, g int, history string) (generation, bool, error) {
	if !sw.IsAdaptive() {
		return generation{}, false, usageErrorf("run: --generation: %s is not adaptive: its trials are known without results", file)
	}
	var store *results.DB
	if history != "" {
		if _, err := os.Stat(history); err == nil || g > 0 {
			var err error
			if store, err = results.OpenReadOnly(ctx, history); err != nil {
				return generation{}, false, err
			}
			defer store.Close()
		}
	}
	return replayGeneration(ctx, sw, store, g)
}

// adaptiveShardError is why an adaptive sweep cannot be sharded, for run
// --shard and the cluster commands that shard it.
func adaptiveShardError(what, file string, sw *sweeps.Sweep) error {
	how := "shard one generation at a time (--generation g --history DB, as optbench slurm does), or run it without --shard"
	if what == "k8s" {
		how = "optbench k8s does not run generations yet (optbench slurm does): run it without sharding"
	}
	return usageErrorf("%s: %s is adaptive (%s), and its trials depend on the results of earlier ones: %s", what, file, adaptiveWhat(sw), how)
}

// adaptiveWhat names what makes a sweep adaptive: its method, its pruner.
func adaptiveWhat(sw *sweeps.Sweep) string {
	var what []string
	if sw.Method == sweeps.TPE {
		what = append(what, "method "+sw.Method)
	}
	if p := sw.Pruner(); p.Method != "" {
		what = append(what, "pruner "+p.Method)
	}
	return strings.Join(what, ", ")
}

// stopped returns the exit of an interrupted run when ctx was cancelled
// (Ctrl-C before training began, while the store was busy), else err.
func stopped(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return &exitError{code: 130, msg: "interrupted before any trial started; rerun the same command"}
	}
	return err
}

// unfinished counts the trials of the sweep's plan that other processes
// are training and those that nobody has started.
func unfinished(ctx context.Context, store *results.DB, name string) (others, notStarted int, err error) {
	running, err := store.Running(ctx, name)
	if err != nil {
		return 0, 0, err
	}
	sums, err := store.Sweeps(ctx)
	if err != nil {
		return 0, 0, err
	}
	for _, s := range sums {
		if s.Name == name {
			notStarted = s.Planned
		}
	}
	for _, c := range running {
		if c.Status == results.Planned {
			notStarted--
		}
	}
	return len(running), max(notStarted, 0), nil
}

// versionList renders stale trials by numerics version, "7 of version 1".
func versionList(byVersion map[string]int) string {
	versions := slices.Sorted(maps.Keys(byVersion))
	parts := make([]string, len(versions))
	for i, v := range versions {
		parts[i] = fmt.Sprintf("%d of version %s", byVersion[v], v)
	}
	return strings.Join(parts, ", ")
}

// sweepRecord is what the database keeps of a sweep. The file's path is
// stored absolute, so that a report run from another directory can plan
// the stored file again (relative data files resolve against it).
func sweepRecord(sw *sweeps.Sweep) results.SweepRecord {
	file := sw.File
	if abs, err := filepath.Abs(file); err == nil {
		file = abs
	}
	return results.SweepRecord{Name: sw.Name, Description: sw.Description, Experiment: sw.Experiment,
		Metric: sw.Metric, Goal: sw.Goal, File: file, Source: string(sw.Source), Search: sw.SearchFingerprint()}
}

// progress shows a bar on a terminal and periodic log lines elsewhere.
type progress struct {
	w         io.Writer
	bar       *progressbar.ProgressBar
	quiet     bool
	total     int
	metric    string
	maximize  bool
	best      float64
	lastLog   time.Time
	start     time.Time
	lastState engine.Progress
}

func newProgress(w io.Writer, total int, quiet bool, metric, goal string) *progress {
	p := &progress{w: w, quiet: quiet, total: total, metric: metric, maximize: goal == "maximize",
		best: math.NaN(), start: time.Now(), lastLog: time.Now()}
	if quiet {
		return p
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("trials"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(24),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

func (p *progress) update(s engine.Progress) {
	p.lastState = s
	if v, ok := finalValue(s.Last.Result.Final, p.metric); ok && s.Last.Status == train.Completed {
		if math.IsNaN(p.best) || (p.maximize && v > p.best) || (!p.maximize && v < p.best) {
			p.best = v
		}
	}
	if p.quiet {
		return
	}
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("failed %d · best %s %s", s.Failed, p.metric, formatBest(p.best)))
		_ = p.bar.Set(s.Done)
		return
	}
	if time.Since(p.lastLog) >= 5*time.Second || s.Done == p.total {
		p.lastLog = time.Now()
		p.logLine(s)
	}
}

func (p *progress) logLine(s engine.Progress) {
	eta := "?"
	if s.Done > 0 && s.Done < p.total {
		eta = (s.Elapsed / time.Duration(s.Done) * time.Duration(p.total-s.Done)).Round(time.Second).String()
	} else if s.Done >= p.total {
		eta = "0s"
	}
	fmt.Fprintf(p.w, "%d/%d trials, %d failed, %d diverged, %s elapsed, ETA %s, best %s %s\n",
		s.Done, p.total, s.Failed, s.Diverged, s.Elapsed.Round(time.Second), eta, p.metric, formatBest(p.best))
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.w)
	}
}

func formatBest(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.4g", v)
}

func finalValue(ms []train.Metric, name string) (float64, bool) {
	for _, m := range ms {
		if m.Name == name {
			return m.Value, true
		}
	}
	return 0, false
}
