package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/optbench/optbench/results"
)

// c2w2Sweep returns the first n trials of the c2w2-optimization sweep
// (5000 epochs each, long enough to signal a run while it trains) as a
// file in dir.
func c2w2Sweep(t *testing.T, dir string, n int) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "sweeps", "c2w2-optimization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	configs := 0
	for _, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, "  - ") {
			if configs++; configs > n {
				continue
			}
		}
		lines = append(lines, line)
	}
	return writeFile(t, dir, "c2w2.yaml", strings.Join(lines, "\n"))
}

// startRun starts the optbench binary's run of sweep into db and waits
// until it has claimed a trial: it is training.
func startRun(t *testing.T, db, sweep string, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command("optbench", append([]string{"run", "--quiet", "-j", "1", "--db", db, sweep}, args...)...)
	cmd.Env = append(os.Environ(), "OPTBENCH_DB=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if err := waitOwners(db, "c2w2-optimization", 1); err != nil {
		t.Fatal(err)
	}
	return cmd, &out, &errb
}

// exitOf waits for cmd and returns its exit status.
func exitOf(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0
}

// TestSignals sends run SIGTERM and SIGINT through the real binary.
func TestSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("trains c2w2 trials")
	}
	t.Run("SIGTERM exits 143", func(t *testing.T) {
		dir := t.TempDir()
		db := filepath.Join(dir, "r.db")
		cmd, _, stderr := startRun(t, db, c2w2Sweep(t, dir, 3), "--grace", "-1ns")
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if code := exitOf(t, cmd); code != 143 || !strings.Contains(stderr.String(), "rerun the same command to resume") {
			t.Errorf("exit %d, %s; want 143 and the resume hint", code, stderr)
		}
	})
	t.Run("SIGUSR1 exits 138", func(t *testing.T) {
		// Slurm's warning ahead of a time limit (sbatch --signal=B:USR1)
		// stops a run as SIGTERM does, instead of killing it.
		dir := t.TempDir()
		db := filepath.Join(dir, "r.db")
		cmd, stdout, stderr := startRun(t, db, c2w2Sweep(t, dir, 3), "--grace", "-1ns")
		if err := cmd.Process.Signal(syscall.SIGUSR1); err != nil {
			t.Fatal(err)
		}
		if code := exitOf(t, cmd); code != 138 || !strings.Contains(stdout.String(), "1 interrupted") {
			t.Errorf("exit %d, %s%s; want 138 and 1 interrupted", code, stdout, stderr)
		}
	})
	t.Run("signal during the last trial", func(t *testing.T) {
		// The run's only trial finishes within the grace period: every
		// trial is in, so the run succeeded (it used to exit 130).
		dir := t.TempDir()
		db := filepath.Join(dir, "r.db")
		cmd, stdout, stderr := startRun(t, db, c2w2Sweep(t, dir, 1), "--grace", "1m")
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		if code := exitOf(t, cmd); code != 0 || !strings.Contains(stdout.String(), ": 1 completed") {
			t.Errorf("exit %d, %s%s; want 0 and 1 completed", code, stdout, stderr)
		}
	})
	t.Run("second signal exits at once", func(t *testing.T) {
		dir := t.TempDir()
		db := filepath.Join(dir, "r.db")
		// Trials a hundred times the course's length (seconds each): a
		// course trial now trains in tens of milliseconds, so it could end,
		// and the run with it, between the two signals.
		sweep := c2w2Sweep(t, dir, 7)
		src, err := os.ReadFile(sweep)
		if err != nil {
			t.Fatal(err)
		}
		long := strings.Replace(string(src), "budget: {epochs: 5000}", "budget: {epochs: 500000}", 1)
		if long == string(src) {
			t.Fatal("the course sweep's budget line changed: update this test")
		}
		writeFile(t, dir, "c2w2.yaml", long)
		cmd, _, stderr := startRun(t, db, sweep, "--grace", "1h")
		start := time.Now()
		for range 2 {
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond)
		}
		code := exitOf(t, cmd)
		if code != 130 || !strings.Contains(stderr.String(), "interrupted again, exiting now") {
			t.Errorf("exit %d, %s; want 130, interrupted again", code, stderr)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("exited %v after the signals", d)
		}
		// The database is consistent: a writer's integrity check passes.
		store, err := results.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		store.Close()
	})
}
