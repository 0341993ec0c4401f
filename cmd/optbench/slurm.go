package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/optbench/optbench/cluster"
	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/results"
	"github.com/optbench/optbench/sweeps"
)

// slurmState is what optbench slurm keeps in DIR between a submission
// and its resumption: the settings the scripts were written with and the
// jobs last submitted.
type slurmState struct {
	Sweep       string `json:"sweep"`
	File        string `json:"file"`
	Shards      int    `json:"shards"`
	MaxParallel int    `json:"max_parallel"`
	ArrayJob    string `json:"array_job"`
	MergeJob    string `json:"merge_job"`

	// An adaptive sweep runs generation by generation: the generation
	// last submitted, its number of shards (at most Shards), and whether
	// the last generation has been merged.
	Adaptive         bool `json:"adaptive,omitempty"`
	Generation       int  `json:"generation,omitempty"`
	GenerationShards int  `json:"generation_shards,omitempty"`
	Done             bool `json:"done,omitempty"`
}

const slurmStateFile = "optbench-slurm.json"

// cmdSlurm writes the Slurm batch scripts of a sharded sweep and submits
// them, or resumes a submission; the scripts are cluster.Slurm's, and
// Slurm's commands are run by package cluster.
func cmdSlurm(ctx context.Context, e *env, args []string) error {
	shards := e.fs.Int("shards", 0, "how many shards (array tasks) to split the sweep into (required)")
	dir := e.fs.String("dir", "", "`DIR` on storage every node sees, for the scripts, logs and databases (required)")
	partition := e.fs.String("partition", "", "Slurm partition (default: the cluster's default)")
	limit := e.fs.String("time", "", "time limit of each task in Slurm's format, e.g. 30, 2:00:00, 1-0 (default: the partition's)")
	cpus := e.fs.Int("cpus-per-task", 1, "CPUs of each task, also the trials it trains at once (run -j)")
	mem := e.fs.String("mem", "", "memory of each task, e.g. 4G (default: the cluster's)")
	maxParallel := e.fs.Int("max-parallel", 0, "tasks running at once, the array's %K (default: no limit)")
	extra := e.fs.String("extra", "", "further sbatch options for every job, space-separated, e.g. '--account=lab --qos=long'")
	grace := e.fs.Duration("grace", cluster.DefaultGrace, "how long a task's running trials may finish once Slurm tells it to stop (run --grace)")
	lead := e.fs.Duration("signal-lead", cluster.DefaultSignalLead, "how long before the time limit a task is told to stop (sbatch --signal=B:USR1@…), then requeued")
	dryRun := e.fs.Bool("dry-run", false, "print the scripts and submit nothing")
	wait := e.fs.Bool("wait", false, "follow the jobs until the merge is done, then print the leaderboard")
	poll := e.fs.Duration("poll", 10*time.Second, "with --wait, how often to ask Slurm for the jobs' state")
	resume := e.fs.Bool("resume", false, "resubmit the shards of the submission in --dir whose trials are not all finished, and the merge")
	next := e.fs.Bool("next", false, "of an adaptive sweep submitted to --dir, merge the generation just trained and submit the next (the merge job runs this)")
	pos, err := e.parse(args, -1)
	if err != nil {
		return err
	}
	usage := fmt.Sprintf("usage: optbench %s %s", e.cmd.name, e.cmd.args)
	switch {
	case *dir == "":
		return usageErrorf("slurm: --dir is required: the directory, on storage every node sees, for the scripts and databases\n%s", usage)
	case *poll < 100*time.Millisecond:
		return usageErrorf("slurm: --poll %v: want at least 100ms", *poll)
	}
	absDir, err := filepath.Abs(*dir)
	if err != nil {
		return usageErrorf("slurm: --dir %s: %v", *dir, err)
	}
	if *next {
		if len(pos) != 0 || *shards != 0 || *resume {
			return usageErrorf("slurm: --next takes the sweep from %s: give only --dir\n%s", filepath.Join(*dir, slurmStateFile), usage)
		}
		return slurmNext(ctx, e, absDir)
	}
	if *resume {
		if len(pos) != 0 || *shards != 0 {
			return usageErrorf("slurm: --resume takes the sweep and its shards from %s: give only --dir (and --wait, --poll)\n%s",
				filepath.Join(*dir, slurmStateFile), usage)
		}
		return slurmResume(ctx, e, absDir, *wait, *poll)
	}
	switch {
	case len(pos) != 1:
		return usageErrorf("slurm: want one sweep file, got %d argument(s)\n%s", len(pos), usage)
	case *shards < 1:
		return usageErrorf("slurm: --shards %d: need at least one shard\n%s", *shards, usage)
	case *maxParallel < 0:
		return usageErrorf("slurm: --max-parallel %d: want 1 or more (default: no limit)", *maxParallel)
	case *cpus < 1:
		return usageErrorf("slurm: --cpus-per-task %d: want 1 or more", *cpus)
	case *grace <= 0:
		return usageErrorf("slurm: --grace %v: want more than 0", *grace)
	}
	sw, trials, err := loadSweep(ctx, pos[0])
	if err != nil {
		return err
	}
	if !sw.IsAdaptive() && *shards > len(trials) {
		return usageErrorf("slurm: --shards %d: %s has %d trials, and a shard without one would only start a task", *shards, pos[0], len(trials))
	}
	file, err := filepath.Abs(sw.File)
	if err != nil {
		return usageErrorf("slurm: %s: %v", sw.File, err)
	}
	job := cluster.Slurm{Sweep: sw.Name, File: file, Dir: absDir, Shards: *shards, MaxParallel: *maxParallel,
		CPUsPerTask: *cpus, Partition: *partition, Time: *limit, Mem: *mem, Extra: strings.Fields(*extra),
		Grace: *grace, SignalLead: *lead, Adaptive: sw.IsAdaptive()}
	scripts, err := job.Scripts()
	if errors.Is(err, cluster.ErrInvalid) {
		return usageErrorf("slurm: %v", err)
	}
	if err != nil {
		return err
	}
	if *dryRun {
		for i, s := range scripts {
			if i > 0 {
				fmt.Fprintln(e.stdout)
			}
			fmt.Fprintf(e.stdout, "### %s\n%s", filepath.Join(absDir, s.File), s.Text)
		}
		return nil
	}
	if err := cluster.CheckSlurm(); err != nil {
		return slurmError(err)
	}
	if _, err := os.Stat(filepath.Join(absDir, slurmStateFile)); err == nil {
		return usageErrorf("slurm: %s already holds a submission (%s): resume it with optbench slurm --resume --dir %s, or choose another --dir",
			*dir, slurmStateFile, *dir)
	}
	if err := os.MkdirAll(filepath.Join(absDir, cluster.LogDir), 0o755); err != nil {
		return fmt.Errorf("slurm: %w", err)
	}
	for _, s := range scripts {
		if err := os.WriteFile(filepath.Join(absDir, s.File), s.Text, 0o755); err != nil {
			return fmt.Errorf("slurm: %w", err)
		}
	}
	st := slurmState{Sweep: sw.Name, File: file, Shards: *shards, MaxParallel: *maxParallel, Adaptive: sw.IsAdaptive()}
	if st.Adaptive {
		if err := submitGeneration(ctx, e, absDir, &st, sw, nil, 0); err != nil {
			return err
		}
	} else if err := slurmSubmit(ctx, e, absDir, &st, upTo(*shards)); err != nil {
		return err
	}
	if *wait {
		return slurmWait(ctx, e, absDir, st, *poll)
	}
	return nil
}

// upTo returns 0, 1, …, n-1.
func upTo(n int) []int {
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	return all
}

// submitGeneration proposes generation g of an adaptive sweep from the
// results in history (nil for generation 0) and submits its shards and
// the merge job that merges them and submits the next. When the sweep
// ends before g, it records that the sweep is done.
func submitGeneration(ctx context.Context, e *env, dir string, st *slurmState, sw *sweeps.Sweep, history *results.DB, g int) error {
	gen, ok, err := replayGeneration(ctx, sw, history, g)
	if err != nil {
		return err
	}
	if !ok {
		st.Done, st.ArrayJob = true, ""
		return writeSlurmState(dir, *st)
	}
	keys := map[string]bool{}
	for _, t := range gen.trials {
		keys[t.Key()] = true
	}
	n := max(1, min(st.Shards, len(keys)))
	if err := os.MkdirAll(cluster.GenerationDir(dir, g), 0o755); err != nil {
		return fmt.Errorf("slurm: %w", err)
	}
	st.Generation, st.GenerationShards = g, n
	fmt.Fprintf(e.stdout, "%s: generation %d: %d trials in %d shards\n", sw.Name, g, len(keys), n)
	return slurmSubmit(ctx, e, dir, st, upTo(n))
}

// slurmSubmit submits the array tasks of the given shards (of the
// current generation, for an adaptive sweep) and the merge job that
// depends on them, and records the jobs in dir's state file.
func slurmSubmit(ctx context.Context, e *env, dir string, st *slurmState, shards []int) error {
	var options, args []string
	if len(shards) < st.Shards || st.Adaptive {
		options = []string{"--array=" + cluster.ArrayRange(shards, st.MaxParallel)}
	}
	if st.Adaptive {
		options = append(options, "--output="+cluster.GenerationLog(dir, st.Generation))
		args = []string{strconv.Itoa(st.Generation), strconv.Itoa(st.GenerationShards)}
	}
	array, err := cluster.Submit(ctx, options, filepath.Join(dir, cluster.ShardsScript), args...)
	if err != nil {
		return slurmError(err)
	}
	st.ArrayJob, st.MergeJob = array, ""
	merge, err := cluster.Submit(ctx, []string{"--dependency=afterok:" + array}, filepath.Join(dir, cluster.MergeScript))
	if err != nil {
		// Record the array, so that --resume finds it once it has ended.
		return errors.Join(slurmError(err), writeSlurmState(dir, *st))
	}
	// One write of both jobs: --wait, reading the state as it changes,
	// never sees an array without its merge job.
	st.MergeJob = merge
	if err := writeSlurmState(dir, *st); err != nil {
		return err
	}
	total := st.Shards
	if st.Adaptive {
		total = st.GenerationShards
	}
	fmt.Fprintf(e.stdout, "%s: submitted shards %s of %d as array job %s, merged by job %s into %s\n",
		st.Sweep, cluster.ArrayRange(shards, 0), total, array, merge, filepath.Join(dir, cluster.MergedDB))
	fmt.Fprintf(e.stdout, "  logs in %s; follow with squeue -j %s,%s\n", filepath.Join(dir, cluster.LogDir), array, merge)
	return nil
}

// slurmError makes a missing Slurm an invalid-input error with a hint.
func slurmError(err error) error {
	if errors.Is(err, cluster.ErrNoSlurm) {
		return usageErrorf("slurm: %v: run it on a machine that submits Slurm jobs, or use --dry-run to see the scripts", err)
	}
	return fmt.Errorf("slurm: %w", err)
}

func writeSlurmState(dir string, st slurmState) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, slurmStateFile+".tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("slurm: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, slurmStateFile)); err != nil {
		return fmt.Errorf("slurm: %w", err)
	}
	return nil
}

func readSlurmState(dir string) (slurmState, error) {
	var st slurmState
	path := filepath.Join(dir, slurmStateFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return st, usageErrorf("slurm: %s has no submission to resume (no %s): submit with optbench slurm SWEEP --shards N --dir %s", dir, slurmStateFile, dir)
	}
	if err != nil {
		return st, fmt.Errorf("slurm: %w", err)
	}
	if err := json.Unmarshal(b, &st); err != nil || st.Sweep == "" || st.File == "" || st.Shards < 1 {
		return st, usageErrorf("slurm: %s is not optbench slurm's state file", path)
	}
	return st, nil
}

// slurmResume resubmits the shards of dir's submission whose trials are
// not all finished, and the merge. Each resubmitted task resumes its
// shard's database: finished trials are kept, not trained again.
func slurmResume(ctx context.Context, e *env, dir string, wait bool, poll time.Duration) error {
	st, err := readSlurmState(dir)
	if err != nil {
		return err
	}
	if err := cluster.CheckSlurm(); err != nil {
		return slurmError(err)
	}
	jobs, err := cluster.Jobs(ctx, st.ArrayJob)
	if err != nil {
		return slurmError(err)
	}
	for _, j := range jobs {
		if !j.Ended() {
			return usageErrorf("slurm: job %s of %s is still %s: resume once it has ended (or scancel %s)", j.ID, st.Sweep,
				strings.ToLower(j.State), st.ArrayJob)
		}
	}
	if st.Done {
		fmt.Fprintf(e.stdout, "%s: every generation is trained and merged into %s: nothing to resume\n", st.Sweep, filepath.Join(dir, cluster.MergedDB))
		return nil
	}
	// The merge job of a failed array waits forever for its dependency.
	merge, err := cluster.Jobs(ctx, st.MergeJob)
	if err != nil {
		return slurmError(err)
	}
	for _, j := range merge {
		switch {
		case j.State == "PENDING":
			if err := cluster.Cancel(ctx, st.MergeJob); err != nil {
				return slurmError(err)
			}
		case !j.Ended():
			return usageErrorf("slurm: merge job %s of %s is still %s: resume once it has ended", j.ID, st.Sweep, strings.ToLower(j.State))
		}
	}
	sw, trials, err := loadSweep(ctx, st.File)
	if err != nil {
		return err
	}
	if sw.Name != st.Sweep {
		return usageErrorf("slurm: %s now names sweep %s, not %s as when it was submitted", st.File, sw.Name, st.Sweep)
	}
	// The shards: of the sweep, or of the generation last submitted.
	count, shardDB := st.Shards, func(i int) string { return cluster.ShardDB(dir, i) }
	if st.Adaptive {
		gen, err := historyGeneration(ctx, sw, filepath.Join(dir, cluster.MergedDB), st.Generation)
		if err != nil {
			return err
		}
		trials, count = gen.trials, st.GenerationShards
		shardDB = func(i int) string { return cluster.ShardDB(cluster.GenerationDir(dir, st.Generation), i) }
	}
	var todo []int
	for i := range count {
		left, err := shardLeft(ctx, shardDB(i), sw.Name, sweeps.Shard{Index: i, Count: count}, trials)
		if err != nil {
			return err
		}
		if left > 0 {
			fmt.Fprintf(e.stdout, "%s: shard %d/%d: %d trial(s) not finished\n", sw.Name, i, count, left)
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 {
		fmt.Fprintf(e.stdout, "%s: every trial of the %d shards is finished; merging again\n", sw.Name, count)
		merge, err := cluster.Submit(ctx, nil, filepath.Join(dir, cluster.MergeScript))
		if err != nil {
			return slurmError(err)
		}
		st.MergeJob = merge
		if !st.Adaptive {
			st.ArrayJob = ""
		}
		if err := writeSlurmState(dir, st); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s: merged by job %s into %s\n", sw.Name, merge, filepath.Join(dir, cluster.MergedDB))
	} else if err := slurmSubmit(ctx, e, dir, &st, todo); err != nil {
		return err
	}
	if wait {
		return slurmWait(ctx, e, dir, st, poll)
	}
	return nil
}

// shardLeft counts the trials of shard s not finished in its database
// (all of them when it does not exist yet). Failed and interrupted
// trials are not finished: a rerun trains them again.
func shardLeft(ctx context.Context, db, sweep string, s sweeps.Shard, trials []engine.Trial) (int, error) {
	mine, _ := s.Select(trials)
	if _, err := os.Stat(db); errors.Is(err, os.ErrNotExist) {
		return len(mine), nil
	}
	store, err := results.OpenReadOnly(ctx, db)
	if err != nil {
		return 0, err
	}
	defer store.Close()
	keys := make([]string, len(mine))
	for i, t := range mine {
		keys[i] = t.Key()
	}
	outcomes, err := store.Outcomes(ctx, sweep, keys)
	if err != nil {
		return 0, err
	}
	left := 0
	for _, o := range outcomes {
		if !o.Status.Finished() {
			left++
		}
	}
	return left, nil
}

// slurmWait follows the submission's jobs until the merge job has ended,
// printing their states as they change, then the merged leaderboard.
func slurmWait(ctx context.Context, e *env, dir string, st slurmState, poll time.Duration) error {
	last := ""
	for {
		if st.Adaptive {
			var err error
			if st, err = readSlurmState(dir); err != nil {
				return err
			}
			if st.Done {
				fmt.Fprintf(e.stdout, "%s: merged into %s\n", st.Sweep, filepath.Join(dir, cluster.MergedDB))
				return runEnv(ctx, []string{"report", "--db", filepath.Join(dir, cluster.MergedDB), "--sweep", st.Sweep, "--no-html"},
					e.stdout, e.stderr, e.getenv)
			}
		}
		ids := []string{st.MergeJob}
		if st.ArrayJob != "" {
			ids = []string{st.ArrayJob, st.MergeJob}
		}
		jobs, err := cluster.Jobs(ctx, ids...)
		if err != nil {
			return stopped(ctx, slurmError(err))
		}
		var tasks, merge []cluster.Job
		for _, j := range jobs {
			if j.ArrayJob == st.ArrayJob && st.ArrayJob != "" {
				tasks = append(tasks, j)
			} else {
				merge = append(merge, j)
			}
		}
		line := "merge " + cluster.Tally(merge)
		if len(tasks) > 0 {
			line = "shards " + cluster.Tally(tasks) + "; " + line
		}
		if st.Adaptive {
			line = fmt.Sprintf("generation %d: %s", st.Generation, line)
		}
		if line != last {
			fmt.Fprintf(e.stderr, "%s: %s\n", st.Sweep, line)
			last = line
		}
		switch {
		case len(merge) == 0:
			return fmt.Errorf("slurm: Slurm no longer knows merge job %s of %s; see %s", st.MergeJob, st.Sweep,
				filepath.Join(dir, cluster.LogDir, "merge.out"))
		case merge[0].State == "COMPLETED" && st.Adaptive:
			// The merge job records the next generation before it ends.
			again, err := readSlurmState(dir)
			if err != nil {
				return err
			}
			if again.MergeJob == st.MergeJob && !again.Done {
				return fmt.Errorf("slurm: merge job %s of %s completed without submitting the next generation; see %s",
					st.MergeJob, st.Sweep, filepath.Join(dir, cluster.LogDir, "merge.out"))
			}
			continue
		case merge[0].State == "COMPLETED":
			fmt.Fprintf(e.stdout, "%s: merged into %s\n", st.Sweep, filepath.Join(dir, cluster.MergedDB))
			return runEnv(ctx, []string{"report", "--db", filepath.Join(dir, cluster.MergedDB), "--sweep", st.Sweep, "--no-html"},
				e.stdout, e.stderr, e.getenv)
		case merge[0].Ended():
			return fmt.Errorf("slurm: merge job %s of %s ended %s; see %s", st.MergeJob, st.Sweep,
				strings.ToLower(merge[0].State), filepath.Join(dir, cluster.LogDir, "merge.out"))
		case merge[0].Reason == "DependencyNeverSatisfied":
			var failed []string
			for _, t := range tasks {
				if t.Ended() && t.State != "COMPLETED" {
					failed = append(failed, fmt.Sprintf("%s %s", t.ID, strings.ToLower(t.State)))
				}
			}
			return &exitError{code: 1, msg: fmt.Sprintf("slurm: shards of %s did not all succeed (%s), so the merge cannot run; "+
				"logs in %s; optbench slurm --resume --dir %s resubmits what is missing",
				st.Sweep, strings.Join(failed, ", "), filepath.Join(dir, cluster.LogDir), dir)}
		}
		select {
		case <-ctx.Done():
			return &exitError{code: 130, msg: fmt.Sprintf("stopped following; the jobs go on (squeue -j %s)", strings.Join(ids, ","))}
		case <-time.After(poll):
		}
	}
}

// historyGeneration is generation g of an adaptive sweep, proposed from
// the results merged into history (which need not exist for generation
// 0).
func historyGeneration(ctx context.Context, sw *sweeps.Sweep, history string, g int) (generation, error) {
	var store *results.DB
	if _, err := os.Stat(history); err == nil || g > 0 {
		if store, err = results.OpenReadOnly(ctx, history); err != nil {
			return generation{}, err
		}
		defer store.Close()
	}
	gen, ok, err := replayGeneration(ctx, sw, store, g)
	if err == nil && !ok {
		err = fmt.Errorf("slurm: %s ends before generation %d", sw.Name, g)
	}
	return gen, err
}

// slurmNext is the merge job of an adaptive sweep's generation: it
// merges the generation's shards into DIR/merged.db, then proposes the
// next generation from every result so far and submits it with another
// merge job after it, or, after the last, records that the sweep is done
// and prints the leaderboard.
func slurmNext(ctx context.Context, e *env, dir string) error {
	st, err := readSlurmState(dir)
	if err != nil {
		return err
	}
	if !st.Adaptive {
		return usageErrorf("slurm: --next: the sweep in %s is not adaptive: its merge job merges it", dir)
	}
	if st.Done {
		fmt.Fprintf(e.stdout, "%s: done already\n", st.Sweep)
		return nil
	}
	sw, err := sweeps.Load(ctx, st.File)
	if err != nil {
		return err
	}
	merged := filepath.Join(dir, cluster.MergedDB)
	args := []string{"merge", "--db", merged}
	for i := range st.GenerationShards {
		args = append(args, cluster.ShardDB(cluster.GenerationDir(dir, st.Generation), i))
	}
	if err := runEnv(ctx, args, e.stdout, e.stderr, e.getenv); err != nil {
		return err
	}
	store, err := results.OpenReadOnly(ctx, merged)
	if err != nil {
		return err
	}
	err = submitGeneration(ctx, e, dir, &st, sw, store, st.Generation+1)
	store.Close()
	if err != nil {
		return err
	}
	if st.Done {
		fmt.Fprintf(e.stdout, "%s: every generation is trained and merged into %s\n", st.Sweep, merged)
		return runEnv(ctx, []string{"report", "--db", merged, "--sweep", st.Sweep, "--no-html"}, e.stdout, e.stderr, e.getenv)
	}
	return nil
}
