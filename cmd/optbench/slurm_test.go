package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/optbench/optbench/cluster"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

// TestSlurm runs sweeps through a real single-node Slurm (startSlurm):
// the jobs run the optbench on the PATH, which is this test binary
// (testscript puts it there), so that a local run here trains with the
// same code.
func TestSlurm(t *testing.T) {
	if testing.Short() {
		t.Skip("brings up Slurm and trains sweeps on it")
	}
	startSlurm(t)

	t.Run("4 shards with --wait equal a local run", func(t *testing.T) {
		dir := t.TempDir()
		sweep := writeFile(t, dir, "moons.yaml", moonsSweep)
		runs := filepath.Join(dir, "runs")
		code, stdout, stderr := optbench(t, "slurm", sweep, "--shards", "4", "--dir", runs, "--max-parallel", "2",
			"--wait", "--poll", "200ms")
		if code != 0 || !strings.Contains(stdout, "submitted shards 0-3 of 4 as array job") ||
			!strings.Contains(stdout, "Leaderboard") {
			t.Fatalf("slurm --wait exited %d:\n%s%s%s", code, stdout, stderr, logs(runs))
		}
		compareLocal(t, sweep, filepath.Join(runs, cluster.MergedDB), "6 configurations")
	})

	t.Run("tpe generation by generation equals a local run", func(t *testing.T) {
		dir := t.TempDir()
		sweep := writeFile(t, dir, "tpe.yaml", tpeSweep)
		runs := filepath.Join(dir, "runs")
		code, stdout, stderr := optbench(t, "slurm", sweep, "--shards", "2", "--dir", runs, "--wait", "--poll", "200ms")
		if code != 0 || !strings.Contains(stdout, "tpe: generation 0: 4 trials in 2 shards") || !strings.Contains(stdout, "Leaderboard") {
			t.Fatalf("slurm --wait exited %d:\n%s%s%s", code, stdout, stderr, logs(runs))
		}
		// Each generation was an array of its own, merged by the job after it.
		merges, _ := os.ReadFile(filepath.Join(runs, cluster.LogDir, "merge.out"))
		for _, want := range []string{"tpe: generation 1: 4 trials in 2 shards", "tpe: generation 2: 4 trials in 2 shards",
			"every generation is trained and merged"} {
			if !strings.Contains(string(merges), want) {
				t.Errorf("the merge jobs' log does not say %q:%s", want, logs(runs))
			}
		}
		for g := range 3 {
			for i := range 2 {
				if _, err := os.Stat(cluster.ShardDB(cluster.GenerationDir(runs, g), i)); err != nil {
					t.Errorf("generation %d shard %d: %v", g, i, err)
				}
			}
		}
		compareLocal(t, sweep, filepath.Join(runs, cluster.MergedDB), "12 configurations")
		code, stdout, stderr = optbench(t, "slurm", "--resume", "--dir", runs)
		if code != 0 || !strings.Contains(stdout, "every generation is trained and merged") {
			t.Errorf("slurm --resume of a finished sweep exited %d:\n%s%s", code, stdout, stderr)
		}
	})

	t.Run("a cancelled task is resumed", func(t *testing.T) {
		dir := t.TempDir()
		sweep := writeFile(t, dir, "slow.yaml", slowSweep)
		runs := filepath.Join(dir, "runs")
		code, stdout, stderr := optbench(t, "slurm", sweep, "--shards", "2", "--dir", runs)
		if code != 0 {
			t.Fatalf("slurm exited %d:\n%s%s", code, stdout, stderr)
		}
		st, err := readSlurmState(runs)
		if err != nil {
			t.Fatal(err)
		}
		// Cancel task 1 once it has stored a trial: mid-run.
		shard1 := cluster.ShardDB(runs, 1)
		if err := waitTrials(shard1, "slow", 1); err != nil {
			t.Fatalf("shard 1: %v%s", err, logs(runs))
		}
		if out, err := exec.Command("scancel", st.ArrayJob+"_1").CombinedOutput(); err != nil {
			t.Fatalf("scancel: %v %s", err, out)
		}
		if err := waitFor(time.Minute, func() bool {
			jobs, err := cluster.Jobs(context.Background(), st.ArrayJob)
			if err != nil {
				return false
			}
			for _, j := range jobs {
				if !j.Ended() {
					return false
				}
			}
			return true
		}); err != nil {
			t.Fatalf("the array did not end: %v", err)
		}
		before := storedRuns(t, shard1, "slow")
		total := len(before)
		if total == 0 || finished(before) == 6 {
			t.Fatalf("shard 1 had %d of 6 trials finished when cancelled: want some, not all", finished(before))
		}

		code, stdout, stderr = optbench(t, "slurm", "--resume", "--dir", runs, "--wait", "--poll", "200ms")
		if code != 0 || !strings.Contains(stdout, "shard 1/2: ") || strings.Contains(stdout, "shard 0/2: ") ||
			!strings.Contains(stdout, "submitted shards 1 of 2") {
			t.Fatalf("slurm --resume exited %d:\n%s%s%s", code, stdout, stderr, logs(runs))
		}
		// The trials finished before the cancel were not trained again.
		after := storedRuns(t, shard1, "slow")
		for key, r := range before {
			if r.status.Finished() && after[key] != r {
				t.Errorf("trial %s was %+v before the resume, %+v after: trained again", key, r, after[key])
			}
		}
		// Nothing missing or duplicated: the merged database holds the
		// sweep's 12 trials, bit-identical to a local run's.
		merged := filepath.Join(runs, cluster.MergedDB)
		if n := len(storedRuns(t, merged, "slow")); n != 12 {
			t.Errorf("merged database holds %d trials, want 12", n)
		}
		compareLocal(t, sweep, merged, "6 configurations")
	})

	t.Run("a task at its time limit is requeued and resumes", func(t *testing.T) {
		if os.Getenv("OPTBENCH_SLURM_LONG") != "1" {
			t.Skip("takes one to three minutes (Slurm's shortest time limit is a minute); OPTBENCH_SLURM_LONG=1 runs it")
		}
		dir := t.TempDir()
		sweep := writeFile(t, dir, "limit.yaml", limitSweep)
		runs := filepath.Join(dir, "runs")
		// The task's script sets its own alarm 30 s before its one-minute
		// limit (Slurm's warning signal comes only once per job): each run
		// of the task trains for about 30 s, so the 40 s or so of training
		// take two runs or more (more on a busy machine).
		code, stdout, stderr := optbench(t, "slurm", sweep, "--shards", "1", "--dir", runs,
			"--time", "1", "--signal-lead", "30s", "--grace", "10s")
		if code != 0 {
			t.Fatalf("slurm exited %d:\n%s%s", code, stdout, stderr)
		}
		st, err := readSlurmState(runs)
		if err != nil {
			t.Fatal(err)
		}
		// Watch the shard's database: the run that first stored each
		// finished trial must be the run that holds it at the end.
		shard := cluster.ShardDB(runs, 0)
		first := map[string]int64{}
		var merge []cluster.Job
		if err := waitFor(8*time.Minute, func() bool {
			if stored, err := readRuns(shard, "limit"); err == nil {
				for key, r := range stored {
					if _, ok := first[key]; !ok && r.status.Finished() {
						first[key] = r.run
					}
				}
			}
			merge, err = cluster.Jobs(context.Background(), st.MergeJob)
			return err == nil && len(merge) == 1 && merge[0].Ended()
		}); err != nil {
			t.Fatalf("the merge did not end: %v%s", err, logs(runs))
		}
		tasks, err := cluster.Jobs(context.Background(), st.ArrayJob)
		if err != nil {
			t.Fatal(err)
		}
		if merge[0].State != "COMPLETED" || len(tasks) != 1 || tasks[0].State != "COMPLETED" || tasks[0].Restarts < 1 {
			t.Fatalf("merge %+v, tasks %+v: want the task requeued at least once, then both completed%s", merge, tasks, logs(runs))
		}
		log, _ := os.ReadFile(filepath.Join(runs, cluster.LogDir, "shard-0.out"))
		if !strings.Contains(string(log), "stopped before the time limit (exit 138): requeueing it") {
			t.Errorf("the task's log does not say it was requeued:%s", logs(runs))
		}
		final := storedRuns(t, shard, "limit")
		runIDs := map[int64]bool{}
		for key, r := range final {
			runIDs[r.run] = true
			if !r.status.Finished() {
				t.Errorf("trial %s is %s", key, r.status)
			}
			if id, ok := first[key]; ok && id != r.run {
				t.Errorf("trial %s was stored by run %d, then trained again by run %d", key, id, r.run)
			}
		}
		if len(final) != 40 || len(runIDs) < 2 {
			t.Errorf("%d trials stored by %d runs; want 40 by 2 or more", len(final), len(runIDs))
		}
		if n := len(storedRuns(t, filepath.Join(runs, cluster.MergedDB), "limit")); n != 40 {
			t.Errorf("the merged database holds %d trials, want 40", n)
		}
	})
}

// limitSweep is 40 trials of about 1.4 s each (of CPU on this project's
// machine with the engine of numerics 3; 4000 epochs took a third of
// that, so few that the task finished before its alarm): more than the
// first run of the task trains in its 30 s before it is told to stop, in
// trials short enough that every run finishes some.
const limitSweep = `name: limit
experiment: moons-mlp
seeds: 5
budget: {epochs: 16000}
parameters:
  optimizer: [gd, momentum, rmsprop, adam]
  lr: 0.01
  batch_size: [16, 32]
  n_samples: 400
`

// TestSlurmNotThere: without Slurm's commands on the PATH, a submission
// is invalid input with a hint, and writes nothing.
func TestSlurmNotThere(t *testing.T) {
	dir := t.TempDir()
	sweep := writeFile(t, dir, "moons.yaml", moonsSweep)
	t.Setenv("PATH", t.TempDir())
	runs := filepath.Join(dir, "runs")
	code, _, stderr := optbench(t, "slurm", sweep, "--shards", "2", "--dir", runs)
	if code != 2 || !strings.Contains(stderr, "Slurm's commands are not on the PATH: sbatch") ||
		!strings.Contains(stderr, "use --dry-run to see the scripts") {
		t.Errorf("exit %d, %s; want 2 and the hint", code, stderr)
	}
	if _, err := os.Stat(runs); !os.IsNotExist(err) {
		t.Errorf("a failed submission wrote %s: %v", runs, err)
	}
}

// tpeSweep is an adaptive sweep of 3 generations of 4 trials, each
// proposed from the results of those before it.
const tpeSweep = `name: tpe
experiment: branin
metric: {name: value, goal: minimize}
search: {method: tpe, samples: 12, seed: 1, generation: 4, startup: 4}
parameters:
  x1: {uniform: [-5, 10]}
  x2: {uniform: [0, 15]}
`

// moonsSweep is a small sweep of 18 trials, quick to train.
const moonsSweep = `name: moons
experiment: moons-mlp
seeds: 3
budget: {epochs: 15}
parameters:
  optimizer: [gd, adam]
  lr: 0.05
  batch_size: [16, 64, full]
  n_samples: 200
`

// slowSweep is 12 trials of about a second each here: long enough to
// cancel a task in the middle of its shard.
const slowSweep = `name: slow
experiment: moons-mlp
seeds: 2
budget: {epochs: 1600}
parameters:
  optimizer: [gd, momentum, adam]
  lr: 0.01
  batch_size: [16, 32]
  n_samples: 400
`

// compareLocal runs sweep locally and checks that db holds the same
// results bit for bit (compare --exact: same trial keys, every stored
// value and per-epoch curve identical).
func compareLocal(t *testing.T, sweep, db, configs string) {
	t.Helper()
	local := filepath.Join(t.TempDir(), "local.db")
	if code, _, stderr := optbench(t, "run", "--quiet", "--db", local, sweep); code != 0 {
		t.Fatalf("local run exited %d: %s", code, stderr)
	}
	code, stdout, stderr := optbench(t, "compare", "--exact", local, db)
	if code != 0 || !strings.Contains(stdout, "nothing changed: "+configs+", every trial bit-identical") {
		t.Errorf("compare --exact local merged exited %d:\n%s%s", code, stdout, stderr)
	}
}

type storedRun struct {
	status train.Status
	run    int64
}

// storedRuns returns the status and run of each stored trial of sweep.
func storedRuns(t *testing.T, db, sweep string) map[string]storedRun {
	t.Helper()
	out, err := readRuns(db, sweep)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// readRuns is storedRuns for a database that may not be set up yet (a
// task that has just started creates its file before its tables).
func readRuns(db, sweep string) (map[string]storedRun, error) {
	ctx := context.Background()
	store, err := results.OpenReadOnly(ctx, db)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	trials, err := store.Trials(ctx, sweep)
	if err != nil {
		return nil, err
	}
	out := map[string]storedRun{}
	for _, tr := range trials {
		out[tr.Key] = storedRun{tr.Status, tr.RunID}
	}
	return out, nil
}

func finished(runs map[string]storedRun) int {
	n := 0
	for _, r := range runs {
		if r.status.Finished() {
			n++
		}
	}
	return n
}

// logs returns the jobs' logs in a submission's directory, for a
// failure's message.
func logs(dir string) string {
	var b strings.Builder
	files, _ := filepath.Glob(filepath.Join(dir, cluster.LogDir, "*"))
	for _, f := range files {
		text, _ := os.ReadFile(f)
		b.WriteString("\n--- " + f + "\n" + string(text))
	}
	return b.String()
}
