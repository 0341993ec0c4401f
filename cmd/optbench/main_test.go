package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the test alters a database behind results' back
	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/experiments"
	"github.com/optbench/optbench/results"
	"github.com/rogpeppe/go-internal/testscript"
)

// The CLI is tested end to end with testscript, the go command's own way:
// each testdata/script/*.txtar runs optbench commands in a fresh directory
// and checks their output and exit status.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"optbench": func() { os.Exit(main1()) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// waitfile FILE waits (up to a minute) until FILE exists, so a
			// script can act once a background command has got going.
			// trainas VERSION DB SWEEP.yaml trains the sweep into DB as a
			// build whose engine.NumericsVersion is VERSION would: the
			// stored trials of "another build" that stale checks catch.
			"trainas": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 3 {
					ts.Fatalf("usage: trainas VERSION DB SWEEP.yaml")
				}
				ts.Check(trainAs(args[0], ts.MkAbs(args[1]), ts.MkAbs(args[2])))
			},
			// waitowners DB SWEEP N waits (up to a minute) until N
			// processes hold claims on trials of SWEEP in DB: a script can
			// then signal one of them while it trains.
			"waitowners": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 3 {
					ts.Fatalf("usage: waitowners DB SWEEP N")
				}
				n, err := strconv.Atoi(args[2])
				ts.Check(err)
				ts.Check(waitOwners(ts.MkAbs(args[0]), args[1], n))
			},
			// waittrials DB SWEEP N waits (up to a minute) until N trials
			// of SWEEP are stored with a result.
			"waittrials": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 3 {
					ts.Fatalf("usage: waittrials DB SWEEP N")
				}
				n, err := strconv.Atoi(args[2])
				ts.Check(err)
				ts.Check(waitTrials(ts.MkAbs(args[0]), args[1], n))
			},
			// pidofrun DB SWEEP RUN VAR sets VAR to the process id of the
			// run RUN of SWEEP, read from the owner of its claims.
			"pidofrun": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 4 {
					ts.Fatalf("usage: pidofrun DB SWEEP RUN VAR")
				}
				pid, err := pidOfRun(ts.MkAbs(args[0]), args[1], args[2])
				ts.Check(err)
				ts.Setenv(args[3], strconv.Itoa(pid))
			},
			// signal PID STOP|CONT stops or resumes a process.
			"signal": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: signal PID STOP|CONT")
				}
				pid, err := strconv.Atoi(args[0])
				ts.Check(err)
				sig := map[string]syscall.Signal{"STOP": syscall.SIGSTOP, "CONT": syscall.SIGCONT}[args[1]]
				if sig == 0 {
					ts.Fatalf("signal: %s is not STOP or CONT", args[1])
				}
				ts.Check(syscall.Kill(pid, sig))
			},
			// alter DB KEYPREFIX METRIC EPOCH flips the lowest bit of one
			// stored curve value, as a bug or a disk might.
			"alter": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 4 {
					ts.Fatalf("usage: alter DB KEYPREFIX METRIC EPOCH")
				}
				epoch, err := strconv.Atoi(args[3])
				ts.Check(err)
				ts.Check(alterCurve(ts.MkAbs(args[0]), args[1], args[2], epoch))
			},
			// exits N CMD [ARGS...] runs CMD and checks that it exits with
			// status N; its output is checked as exec's is.
			"exits": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) < 2 {
					ts.Fatalf("usage: exits N CMD [ARGS...]")
				}
				want, err := strconv.Atoi(args[0])
				ts.Check(err)
				got := 0
				var ee *exec.ExitError
				if err := ts.Exec(args[1], args[2:]...); errors.As(err, &ee) {
					got = ee.ExitCode()
				} else if err != nil {
					ts.Fatalf("%s: %v", args[1], err)
				}
				if got != want {
					ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
				}
			},
			// mkfifo PATH makes a named pipe.
			"mkfifo": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: mkfifo PATH")
				}
				ts.Check(syscall.Mkfifo(ts.MkAbs(args[0]), 0o600))
			},
			// jsondoc FILE checks that FILE (or stdout, for "stdout") is
			// exactly one JSON document, as json.load needs.
			"jsondoc": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 {
					ts.Fatalf("usage: jsondoc FILE|stdout")
				}
				text := ts.ReadFile(args[0])
				dec := json.NewDecoder(strings.NewReader(text))
				var doc any
				err := dec.Decode(&doc)
				if err == nil && dec.More() {
					err = errors.New("extra data after the first document")
				}
				if err == nil {
					if _, e := dec.Token(); e != io.EOF {
						err = errors.New("extra data after the first document")
					}
				}
				switch {
				case err != nil && !neg:
					ts.Fatalf("%s is not one JSON document: %v", args[0], err)
				case err == nil && neg:
					ts.Fatalf("%s is one JSON document", args[0])
				}
			},
			// widecsv FILE N writes a CSV file whose header has N columns,
			// the last named as the first, and one data row.
			"widecsv": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: widecsv FILE N")
				}
				n, err := strconv.Atoi(args[1])
				ts.Check(err)
				var b strings.Builder
				for i := range n - 1 {
					fmt.Fprintf(&b, "c%d,", i)
				}
				b.WriteString("c0\n" + strings.Repeat("1,", n-1) + "0\n")
				ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(b.String()), 0o644))
			},
			// timed DURATION exits N CMD [ARGS...] is exits with a time
			// bound: it fails when CMD takes longer than DURATION, and
			// kills it (by process id, a child of this test started in
			// this script's directory) when it hangs. A hang or a
			// quadratic path then fails the case instead of the suite.
			"timed": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) < 4 || args[1] != "exits" {
					ts.Fatalf("usage: timed DURATION exits N CMD [ARGS...]")
				}
				limit, err := time.ParseDuration(args[0])
				ts.Check(err)
				want, err := strconv.Atoi(args[2])
				ts.Check(err)
				got, took := timedExec(ts, limit, args[3], args[4:]...)
				if took > limit {
					ts.Fatalf("%s took %v, more than %v", args[3], took.Round(time.Millisecond), limit)
				}
				if got != want {
					ts.Fatalf("%s exited with status %d, want %d", args[3], got, want)
				}
			},
			// sum FILE VAR sets VAR to the SHA-256 of FILE; samesum FILE
			// $VAR checks that FILE still has it.
			"sum": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: sum FILE VAR")
				}
				ts.Setenv(args[1], fileSum(ts, args[0]))
			},
			"samesum": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: samesum FILE SUM")
				}
				if got := fileSum(ts, args[0]); got != args[1] {
					ts.Fatalf("%s changed: SHA-256 %s, was %s", args[0], got, args[1])
				}
			},
			// genfile FILE PREFIX UNIT N [SUFFIX] writes PREFIX, UNIT N
			// times, then SUFFIX; each is Go-quoted text without its
			// quotes ("\\n", "\\x00"), so scripts can make long lines,
			// deep nesting, NUL bytes and other bytes txtar cannot hold.
			"genfile": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) < 4 || len(args) > 5 {
					ts.Fatalf("usage: genfile FILE PREFIX UNIT N [SUFFIX]")
				}
				n, err := strconv.Atoi(args[3])
				ts.Check(err)
				part := func(s string) string {
					u, err := strconv.Unquote(`"` + s + `"`)
					ts.Check(err)
					return u
				}
				b := part(args[1]) + strings.Repeat(part(args[2]), n)
				if len(args) == 5 {
					b += part(args[4])
				}
				ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(b), 0o644))
			},
			// repeatenv VAR TEXT N sets VAR to TEXT repeated N times.
			"repeatenv": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 3 {
					ts.Fatalf("usage: repeatenv VAR TEXT N")
				}
				n, err := strconv.Atoi(args[2])
				ts.Check(err)
				ts.Setenv(args[0], strings.Repeat(args[1], n))
			},
			// garbage FILE N writes N pseudo-random bytes (the same on
			// every run); at FILE OFFSET it overwrites N bytes of a file
			// in place, as a damaged disk would.
			"garbage": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) < 2 || len(args) > 3 {
					ts.Fatalf("usage: garbage FILE [OFFSET] N")
				}
				n, err := strconv.Atoi(args[len(args)-1])
				ts.Check(err)
				junk := make([]byte, n)
				src := rand.NewPCG(9, 9)
				for i := range junk {
					junk[i] = byte(src.Uint64())
				}
				if len(args) == 2 {
					ts.Check(os.WriteFile(ts.MkAbs(args[0]), junk, 0o644))
					return
				}
				off, err := strconv.ParseInt(args[1], 10, 64)
				ts.Check(err)
				f, err := os.OpenFile(ts.MkAbs(args[0]), os.O_WRONLY, 0)
				ts.Check(err)
				_, err = f.WriteAt(junk, off)
				ts.Check(errors.Join(err, f.Close()))
			},
			// truncate FILE SIZE cuts FILE to SIZE bytes.
			"truncate": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: truncate FILE SIZE")
				}
				size, err := strconv.ParseInt(args[1], 10, 64)
				ts.Check(err)
				ts.Check(os.Truncate(ts.MkAbs(args[0]), size))
			},
			// userversion DB N sets the database's PRAGMA user_version, the
			// schema version optbench reads: a file of a newer optbench.
			"userversion": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: userversion DB N")
				}
				v, err := strconv.Atoi(args[1])
				ts.Check(err)
				conn, err := sql.Open("sqlite3", ts.MkAbs(args[0]))
				ts.Check(err)
				_, err = conn.Exec(fmt.Sprintf("PRAGMA user_version = %d", v))
				ts.Check(errors.Join(err, conn.Close()))
			},
			"waitfile": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: waitfile FILE")
				}
				deadline := time.Now().Add(time.Minute)
				for {
					if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
						return
					}
					if time.Now().After(deadline) {
						ts.Fatalf("%s did not appear within a minute", args[0])
					}
					time.Sleep(10 * time.Millisecond)
				}
			},
		},
		Setup: func(env *testscript.Env) error {
			sweeps, err := filepath.Abs("../../sweeps")
			if err != nil {
				return err
			}
			env.Setenv("OPTBENCH_DB", "")
			env.Setenv("SWEEPS", sweeps)
			// Scripts match this build's numerics version as $NUMERICS, so
			// that bumping it does not mean editing them.
			env.Setenv("NUMERICS", engine.NumericsVersion)
			return nil
		},
	})
}

// trainAs runs a sweep as cmdRun does, recording numerics version version.
func trainAs(version, db, file string) error {
	ctx := context.Background()
	sw, trials, err := loadSweep(ctx, file)
	if err != nil {
		return err
	}
	store, err := results.Open(ctx, db)
	if err != nil {
		return err
	}
	defer store.Close()
	rec, err := store.PutSweep(ctx, sweepRecord(sw))
	if err != nil {
		return err
	}
	if _, err := store.Plan(ctx, rec.ID, trials); err != nil {
		return err
	}
	runID, err := store.StartRun(ctx, rec.ID, results.Provenance{Version: "as numerics " + version})
	if err != nil {
		return err
	}
	c, err := store.Claimer(ctx, rec.ID, runID, results.ClaimOptions{Numerics: version, RetrainStale: true})
	if err != nil {
		return err
	}
	x := &engine.Executor{Workers: 2, Run: experiments.Run}
	_, err = x.Drive(ctx, c, c.Recorder())
	return errors.Join(err, c.Close(ctx), store.FinishRun(ctx, runID))
}

// waitOwners polls db until n claimants hold trials of the sweep.
func waitOwners(db, sweep string, n int) error {
	ctx := context.Background()
	deadline := time.Now().Add(time.Minute)
	for ; time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(db); err != nil {
			continue
		}
		store, err := results.Open(ctx, db)
		if err != nil {
			continue
		}
		running, err := store.Running(ctx, sweep)
		store.Close()
		if err != nil {
			continue
		}
		owners := map[string]bool{}
		for _, c := range running {
			owners[c.Owner] = true
		}
		if len(owners) >= n {
			return nil
		}
	}
	return fmt.Errorf("%d processes did not claim trials of %s in %s within a minute", n, sweep, db)
}

// pidOfRun finds the process of run runID among the owners of the
// sweep's claims (host:pid:run).
func pidOfRun(db, sweep, runID string) (int, error) {
	ctx := context.Background()
	store, err := results.Open(ctx, db)
	if err != nil {
		return 0, err
	}
	defer store.Close()
	running, err := store.Running(ctx, sweep)
	if err != nil {
		return 0, err
	}
	for _, c := range running {
		parts := strings.Split(c.Owner, ":")
		if len(parts) >= 3 && parts[len(parts)-1] == runID {
			return strconv.Atoi(parts[len(parts)-2])
		}
	}
	return 0, fmt.Errorf("run %s holds no claim on %s in %s", runID, sweep, db)
}

// alterCurve flips the lowest bit of a stored curve value. It writes the
// file directly, as a bug or a disk would: package results offers no way
// to change a result, which is the point.
func alterCurve(db, prefix, name string, epoch int) error {
	conn, err := sql.Open("sqlite3", db)
	if err != nil {
		return err
	}
	defer conn.Close()
	var id int64
	var packed []byte
	err = conn.QueryRow(`SELECT c.trial_id, c.packed FROM curves c JOIN trials t ON t.id = c.trial_id
WHERE t.key LIKE ? || '%' AND c.metric = ?`, prefix, name).Scan(&id, &packed)
	if err != nil {
		return fmt.Errorf("curve %s of %s: %w", name, prefix, err)
	}
	if (epoch+1)*8 > len(packed) {
		return fmt.Errorf("curve %s of %s has %d epochs", name, prefix, len(packed)/8)
	}
	packed[epoch*8] ^= 1 // little-endian: the lowest bit of the mantissa
	_, err = conn.Exec(`UPDATE curves SET packed = ? WHERE trial_id = ? AND metric = ?`, packed, id, name)
	return err
}

// timedExec runs cmd as ts.Exec does and returns its exit status and how
// long it took. Past limit, a watchdog kills this process's children
// whose working directory is the script's: the command, which would
// otherwise hang the suite.
func timedExec(ts *testscript.TestScript, limit time.Duration, cmd string, args ...string) (int, time.Duration) {
	done := make(chan struct{})
	defer close(done)
	work := ts.Getenv("WORK")
	go func() {
		select {
		case <-done:
		case <-time.After(limit + time.Second):
			for _, pid := range childrenIn(work) {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	}()
	start := time.Now()
	err := ts.Exec(cmd, args...)
	took := time.Since(start)
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), took
	case err != nil:
		ts.Fatalf("%s: %v", cmd, err)
	}
	return 0, took
}

// childrenIn lists the processes whose parent is this one and whose
// working directory is dir (Linux; none elsewhere).
func childrenIn(dir string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) < 2 || fields[1] != strconv.Itoa(os.Getpid()) {
			continue
		}
		if cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid)); err == nil && cwd == dir {
			pids = append(pids, pid)
		}
	}
	return pids
}

// fileSum is the SHA-256 of a script's file, in hex.
func fileSum(ts *testscript.TestScript, name string) string {
	data, err := os.ReadFile(ts.MkAbs(name))
	ts.Check(err)
	return fmt.Sprintf("%x", sha256.Sum256(data))
}

// waitTrials polls db until n trials of the sweep have a result.
func waitTrials(db, sweep string, n int) error {
	ctx := context.Background()
	deadline := time.Now().Add(time.Minute)
	for ; time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(db); err != nil {
			continue
		}
		store, err := results.OpenReadOnly(ctx, db)
		if err != nil {
			continue
		}
		trials, err := store.Trials(ctx, sweep)
		store.Close()
		if err != nil {
			continue
		}
		done := 0
		for _, t := range trials {
			if t.Status.Finished() {
				done++
			}
		}
		if done >= n {
			return nil
		}
	}
	return fmt.Errorf("%d trials of %s in %s were not stored within a minute", n, sweep, db)
}
