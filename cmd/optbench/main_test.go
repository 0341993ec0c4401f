package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
