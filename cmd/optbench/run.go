package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
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
	grace := e.fs.Duration("grace", 10*time.Second, "after Ctrl-C, how long running trials may finish")
	pos, err := e.parse(args, 1)
	if err != nil {
		return err
	}
	if *workers < 1 {
		return usageErrorf("run: -j %d: need at least one worker", *workers)
	}
	sw, trials, err := loadSweep(ctx, pos[0])
	if err != nil {
		return err
	}
	if len(trials) > *maxTrials && !*yes {
		return usageErrorf("run: %s expands to %d trials, more than --max-trials %d; rerun with --yes to run them all",
			pos[0], len(trials), *maxTrials)
	}

	store, err := results.Open(ctx, db())
	if err != nil {
		return err
	}
	defer store.Close()
	rec, err := store.PutSweep(ctx, sweepRecord(sw))
	if err != nil {
		return err
	}
	done, err := store.Done(ctx, rec.ID)
	if err != nil {
		return err
	}
	todo := trials[:0:0]
	for _, t := range trials {
		if _, ok := done[t.Key()]; !ok {
			todo = append(todo, t)
		}
	}
	skipped := len(trials) - len(todo)
	if len(todo) == 0 {
		fmt.Fprintf(e.stdout, "%s: all %d trials are already in %s\n", sw.Name, len(trials), db())
		return nil
	}
	runID, err := store.StartRun(ctx, rec.ID, results.CurrentProvenance(os.Args, *workers))
	if err != nil {
		return err
	}
	if !*quiet {
		msg := fmt.Sprintf("%s: %d trials on %d workers", sw.Name, len(todo), *workers)
		if skipped > 0 {
			msg += fmt.Sprintf(" (%d already done)", skipped)
		}
		fmt.Fprintln(e.stderr, msg)
	}
	prog := newProgress(e.stderr, len(todo), *quiet, sw.Metric, sw.Goal)
	x := &engine.Executor{Workers: *workers, Run: experiments.Run, Grace: *grace, Progress: prog.update}
	p, runErr := x.Execute(ctx, todo, store.Recorder(rec.ID, runID))
	prog.finish()
	if err := store.FinishRun(context.WithoutCancel(ctx), runID); err != nil && runErr == nil {
		runErr = err
	}
	completed := p.Done - p.Failed - p.Diverged - p.Interrupted
	fmt.Fprintf(e.stdout, "%s: %d completed, %d diverged, %d failed, %d interrupted", sw.Name,
		completed, p.Diverged, p.Failed, p.Interrupted)
	if skipped > 0 {
		fmt.Fprintf(e.stdout, ", %d already done", skipped)
	}
	if left := len(todo) - p.Done; left > 0 {
		fmt.Fprintf(e.stdout, ", %d not started", left)
	}
	fmt.Fprintf(e.stdout, " (database %s)\n", db())
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

// sweepRecord is what the database keeps of a sweep. The file's path is
// stored absolute, so that a report run from another directory can plan
// the stored file again (relative data files resolve against it).
func sweepRecord(sw *sweeps.Sweep) results.SweepRecord {
	file := sw.File
	if abs, err := filepath.Abs(file); err == nil {
		file = abs
	}
	return results.SweepRecord{Name: sw.Name, Description: sw.Description, Experiment: sw.Experiment,
		Metric: sw.Metric, Goal: sw.Goal, File: file, Source: string(sw.Source)}
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
	if time.Since(p.lastLog) >= 5*time.Second || s.Done == s.Total {
		p.lastLog = time.Now()
		p.logLine(s)
	}
}

func (p *progress) logLine(s engine.Progress) {
	eta := "?"
	if s.Done > 0 && s.Done < s.Total {
		eta = (s.Elapsed / time.Duration(s.Done) * time.Duration(s.Total-s.Done)).Round(time.Second).String()
	} else if s.Done == s.Total {
		eta = "0s"
	}
	fmt.Fprintf(p.w, "%d/%d trials, %d failed, %d diverged, %s elapsed, ETA %s, best %s %s\n",
		s.Done, s.Total, s.Failed, s.Diverged, s.Elapsed.Round(time.Second), eta, p.metric, formatBest(p.best))
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
