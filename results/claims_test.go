package results

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

// planTrials returns n one-epoch trials of the sweep.
func planTrials(sweep string, n int) []engine.Trial {
	ts := overheadTrials(n)
	for i := range ts {
		ts[i].Sweep = sweep
	}
	return ts
}

// manualClock is a clock that tests move by hand.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func startRun(t testing.TB, db *DB, sweepID int64) int64 {
	t.Helper()
	run, err := db.StartRun(context.Background(), sweepID, Provenance{})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func newClaimer(t testing.TB, db *DB, sweepID, runID int64, opt ClaimOptions) *Claimer {
	t.Helper()
	c, err := db.Claimer(context.Background(), sweepID, runID, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func keysOf(ts []engine.Trial) []string {
	keys := make([]string, len(ts))
	for i, t := range ts {
		keys[i] = t.Key()
	}
	return keys
}

// TestClaimConcurrent: three handles on one file, as three processes
// would have, each driving two runs of the same sweep at once, train every
// planned trial exactly once between them.
func TestClaimConcurrent(t *testing.T) {
	const handles, runsPerHandle, trials = 3, 2, 300
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	plan := planTrials("shared", trials)
	var mu sync.Mutex
	trained := map[string]int{}
	count := func(ctx context.Context, tr engine.Trial, observe train.Observer) (train.Result, error) {
		mu.Lock()
		trained[tr.Key()]++
		mu.Unlock()
		if tr.Sweep != "shared" {
			return train.Result{}, fmt.Errorf("trial of sweep %q", tr.Sweep)
		}
		return oneEpoch(ctx, tr, observe)
	}
	var wg sync.WaitGroup
	errs := make(chan error, handles*runsPerHandle)
	var runIDs sync.Map
	for range handles {
		wg.Go(func() {
			db, err := Open(ctx, path)
			if err != nil {
				errs <- err
				return
			}
			defer db.Close()
			var runs sync.WaitGroup
			for range runsPerHandle {
				runs.Go(func() {
					errs <- func() error {
						sw, err := db.PutSweep(ctx, SweepRecord{Name: "shared", Experiment: "moons-mlp", File: "/s.yaml"})
						if err != nil {
							return err
						}
						if _, err := db.Plan(ctx, sw.ID, plan); err != nil {
							return err
						}
						run, err := db.StartRun(ctx, sw.ID, Provenance{})
						if err != nil {
							return err
						}
						runIDs.Store(run, true)
						c, err := db.Claimer(ctx, sw.ID, run, ClaimOptions{})
						if err != nil {
							return err
						}
						x := &engine.Executor{Workers: 2, Run: count}
						_, err = x.Drive(ctx, c, c.Recorder())
						return errors.Join(err, c.Close(ctx), db.FinishRun(ctx, run))
					}()
				})
			}
			runs.Wait()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err) // "database is locked" would show here
		}
	}
	for _, key := range keysOf(plan) {
		if trained[key] != 1 {
			t.Errorf("trial %s trained %d times, want once", key, trained[key])
		}
	}
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	runs, err := db.Runs(ctx, "shared")
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, r := range runs {
		sum += r.Trained
		if r.Trained != r.Completed {
			t.Errorf("run %d: %+v, want only completed trials", r.RunID, r.RunCounts)
		}
	}
	if len(runs) != handles*runsPerHandle || sum != trials {
		t.Errorf("%d runs trained %d trials, want %d runs and %d trials", len(runs), sum, handles*runsPerHandle, trials)
	}
	stored, err := db.Trials(ctx, "shared")
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range stored {
		if tr.Status != train.Completed || tr.Numerics != engine.NumericsVersion {
			t.Errorf("trial %s: %s by numerics %q", tr.Key, tr.Status, tr.Numerics)
		}
	}
	if len(stored) != trials {
		t.Errorf("%d trials stored, want %d", len(stored), trials)
	}
	if running, err := db.Running(ctx, "shared"); err != nil || len(running) != 0 {
		t.Errorf("Running after the sweep = %v, %v; want none", running, err)
	}
}

// TestLeaseExpires: a claimant that dies leaves its trials to the next
// claimant once its lease expires, and not before.
func TestLeaseExpires(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	clock := &manualClock{now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	db.now = clock.Now
	sw := putSweep(t, db, "lease")
	plan := planTrials("lease", 4)
	if _, err := db.Plan(ctx, sw.ID, plan); err != nil {
		t.Fatal(err)
	}
	dead := newClaimer(t, db, sw.ID, startRun(t, db, sw.ID), ClaimOptions{Owner: "dead", Lease: time.Hour})
	got, err := dead.Next(ctx, 2)
	if err != nil || len(got) != 2 {
		t.Fatalf("first claim: %d trials, %v", len(got), err)
	}
	if want := keysOf(plan[:2]); fmt.Sprint(keysOf(got)) != fmt.Sprint(want) {
		t.Errorf("claimed %v, want the first of the plan %v", keysOf(got), want)
	}
	running, err := db.Running(ctx, "lease")
	if err != nil || len(running) != 2 || running[0].Owner != "dead" || running[0].Status != Planned ||
		!running[0].LeaseUntil.Equal(clock.Now().Add(time.Hour)) {
		t.Errorf("Running = %+v, %v; want the two trials held by dead for an hour", running, err)
	}

	live := newClaimer(t, db, sw.ID, startRun(t, db, sw.ID), ClaimOptions{Owner: "live", Lease: time.Hour})
	got, err = live.Next(ctx, 4)
	if err != nil || fmt.Sprint(keysOf(got)) != fmt.Sprint(keysOf(plan[2:])) {
		t.Fatalf("second claimant got %v, %v; want the last two %v", keysOf(got), err, keysOf(plan[2:]))
	}

	clock.Add(2 * time.Hour) // dead never renewed its lease
	late := newClaimer(t, db, sw.ID, startRun(t, db, sw.ID), ClaimOptions{Owner: "late", Lease: time.Hour})
	got, err = late.Next(ctx, 4)
	// live's leases expired too: it did not renew them on this clock.
	if err != nil || len(got) != 4 {
		t.Fatalf("after the leases expired: %v, %v; want all four trials reclaimed", keysOf(got), err)
	}
	if _, err := late.Next(ctx, 1); err != nil {
		t.Errorf("Next while trials are out = %v, want no trials and no error", err)
	}
}

// TestLeaseRenewed: a claimant keeps its trials while it trains them.
func TestLeaseRenewed(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "renew.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sw := putSweep(t, db, "renew")
	if _, err := db.Plan(ctx, sw.ID, planTrials("renew", 1)); err != nil {
		t.Fatal(err)
	}
	holder := newClaimer(t, db, sw.ID, startRun(t, db, sw.ID), ClaimOptions{Owner: "holder", Lease: 150 * time.Millisecond})
	if got, err := holder.Next(ctx, 1); err != nil || len(got) != 1 {
		t.Fatalf("claim: %d, %v", len(got), err)
	}
	time.Sleep(500 * time.Millisecond) // several leases long
	other := newClaimer(t, db, sw.ID, startRun(t, db, sw.ID), ClaimOptions{Owner: "other"})
	if got, err := other.Next(ctx, 1); !errors.Is(err, engine.ErrExhausted) {
		t.Errorf("another claimant took a renewed trial: %d trials, %v", len(got), err)
	}
	if err := holder.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := other.Next(ctx, 1); err != nil || len(got) != 1 {
		t.Errorf("after Close released it: %d trials, %v; want the trial", len(got), err)
	}
}

// TestKeepFinished reproduces two runs training the same trial: A
// completes it, then B is interrupted on it. A's result and curve stay.
func TestKeepFinished(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	sw := putSweep(t, db, "ab")
	a, b := startRun(t, db, sw.ID), startRun(t, db, sw.ID)
	completed := testOutcome("ab", 0.1, 1, train.Completed, 5)
	interrupted := testOutcome("ab", 0.1, 1, train.Interrupted, 2)
	failed := testOutcome("ab", 0.1, 1, train.Failed, 1)
	again := testOutcome("ab", 0.1, 1, train.Completed, 3)
	recA, recB := db.Recorder(sw.ID, a), db.Recorder(sw.ID, b)
	var told []train.Status
	recB.OnDiscard = func(o engine.Outcome) { told = append(told, o.Status) }
	record(t, recA, completed)
	record(t, recB, interrupted, failed, again) // Record does not stop the sweep
	if n := recB.Discarded(); n != 3 || recB.DiscardedWith(train.Completed) != 1 || recB.DiscardedWith(train.Failed) != 1 {
		t.Errorf("B discarded %d outcomes (%d completed, %d failed), want 3 (1, 1)", n,
			recB.DiscardedWith(train.Completed), recB.DiscardedWith(train.Failed))
	}
	if fmt.Sprint(told) != "[interrupted failed completed]" {
		t.Errorf("OnDiscard told %v", told)
	}
	if err := recB.Store(ctx, interrupted); !errors.Is(err, ErrDiscarded) {
		t.Errorf("Store(interrupted over completed) = %v, want ErrDiscarded", err)
	}
	trials, err := db.Trials(ctx, "ab")
	if err != nil || len(trials) != 1 {
		t.Fatalf("Trials = %d, %v", len(trials), err)
	}
	checkTrial(t, trials[0], "ab", completed)
	if trials[0].RunID != a {
		t.Errorf("trial from run %d, want A's %d", trials[0].RunID, a)
	}
	curves, err := db.Curves(ctx, "ab", []string{completed.Key})
	if err != nil || len(curves[completed.Key]) != 5 {
		t.Errorf("curve of %d epochs (%v), want A's 5", len(curves[completed.Key]), err)
	}
	runs, err := db.Runs(ctx, "ab")
	if err != nil {
		t.Fatal(err)
	}
	want := []RunCounts{{Trained: 1, Completed: 1}, {Trained: 4, Discarded: 4}}
	if len(runs) != 2 || runs[0].RunCounts != want[0] || runs[1].RunCounts != want[1] {
		t.Errorf("runs %+v, want counts %+v", runs, want)
	}
}

// TestFailedOncePerRun: a run does not retry its own failures; the next
// run retries them once.
func TestFailedOncePerRun(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "failed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sw := putSweep(t, db, "failing")
	plan := planTrials("failing", 6)
	if _, err := db.Plan(ctx, sw.ID, plan); err != nil {
		t.Fatal(err)
	}
	var trainings atomic.Int64
	failOdd := func(ctx context.Context, tr engine.Trial, observe train.Observer) (train.Result, error) {
		trainings.Add(1)
		if tr.Seed%2 == 1 {
			return train.Result{}, errors.New("odd seed")
		}
		return oneEpoch(ctx, tr, observe)
	}
	for i, want := range []int64{6, 3} {
		run := startRun(t, db, sw.ID)
		c := newClaimer(t, db, sw.ID, run, ClaimOptions{})
		trainings.Store(0)
		x := &engine.Executor{Workers: 2, Run: failOdd}
		if _, err := x.Drive(ctx, c, c.Recorder()); err != nil {
			t.Fatal(err)
		}
		if err := c.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishRun(ctx, run); err != nil {
			t.Fatal(err)
		}
		if n := trainings.Load(); n != want {
			t.Errorf("run %d trained %d trials, want %d", i+1, n, want)
		}
	}
}

// TestStale: finished trials of another numerics version are counted,
// kept by default and retrained, replacing them, on request.
func TestStale(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "stale.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sw := putSweep(t, db, "stale")
	plan := planTrials("stale", 4)
	oldRun := startRun(t, db, sw.ID)
	old := db.Recorder(sw.ID, oldRun)
	old.Numerics = "0"
	for _, tr := range plan[:2] {
		o := engine.Outcome{Trial: tr, Key: tr.Key(), Status: train.Completed, Result: train.Result{Epochs: 1}}
		record(t, old, o)
	}
	// A failed trial of the old build is not a result, stale or not.
	record(t, old, engine.Outcome{Trial: plan[2], Key: plan[2].Key(), Status: train.Failed})
	if err := db.FinishRun(ctx, oldRun); err != nil {
		t.Fatal(err)
	}

	sum, err := db.Plan(ctx, sw.ID, plan)
	if err != nil {
		t.Fatal(err)
	}
	if want := (PlanSummary{Trials: 4, Finished: 2, Stale: 2}); sum != want {
		t.Errorf("Plan = %+v, want %+v", sum, want)
	}
	stale, err := db.Stale(ctx, sw.ID, nil, "")
	if err != nil || stale.Finished != 2 || stale.Stale != 2 || fmt.Sprint(stale.Versions) != "map[0:2]" {
		t.Errorf("Stale(plan) = %+v, %v; want 2 of 2 stale, from version 0", stale, err)
	}
	stale, err = db.Stale(ctx, sw.ID, keysOf(plan[1:]), "")
	if err != nil || stale.Stale != 1 {
		t.Errorf("Stale(keys) = %+v, %v; want 1", stale, err)
	}
	stale, err = db.Stale(ctx, sw.ID, nil, "0")
	if err != nil || stale.Stale != 0 {
		t.Errorf("Stale for version 0 = %+v, %v; want none", stale, err)
	}

	drive := func(opt ClaimOptions) []string {
		t.Helper()
		var mu sync.Mutex
		var keys []string
		run := startRun(t, db, sw.ID)
		c := newClaimer(t, db, sw.ID, run, opt)
		x := &engine.Executor{Workers: 2, Run: func(ctx context.Context, tr engine.Trial, observe train.Observer) (train.Result, error) {
			mu.Lock()
			keys = append(keys, tr.Key())
			mu.Unlock()
			return oneEpoch(ctx, tr, observe)
		}}
		rec := c.Recorder()
		if _, err := x.Drive(ctx, c, rec); err != nil {
			t.Fatal(err)
		}
		if err := errors.Join(c.Close(ctx), db.FinishRun(ctx, run)); err != nil {
			t.Fatal(err)
		}
		if rec.Discarded() != 0 {
			t.Errorf("%d outcomes discarded", rec.Discarded())
		}
		return keys
	}
	// --keep-stale: the planned and the failed trial are trained.
	got := drive(ClaimOptions{})
	if len(got) != 2 || !strings.Contains(fmt.Sprint(got), plan[2].Key()) || !strings.Contains(fmt.Sprint(got), plan[3].Key()) {
		t.Errorf("keeping stale trials trained %v, want %v", got, keysOf(plan[2:]))
	}
	trials, err := db.Trials(ctx, "stale")
	if err != nil {
		t.Fatal(err)
	}
	versions := map[string]string{}
	for _, tr := range trials {
		versions[tr.Key] = tr.Numerics
	}
	if versions[plan[0].Key()] != "0" || versions[plan[3].Key()] != engine.NumericsVersion {
		t.Errorf("numerics versions %v, want 0 for the kept stale trials", versions)
	}
	// A finished outcome does not replace a stale result this run did
	// not claim.
	rec := db.Recorder(sw.ID, startRun(t, db, sw.ID))
	record(t, rec, engine.Outcome{Trial: plan[0], Key: plan[0].Key(), Status: train.Completed})
	if rec.Discarded() != 1 {
		t.Errorf("an unclaimed stale result was replaced")
	}

	// --retrain-stale: the two stale trials, and nothing else.
	got = drive(ClaimOptions{RetrainStale: true})
	if fmt.Sprint(got) != fmt.Sprint(keysOf(plan[:2])) && fmt.Sprint(got) != fmt.Sprint([]string{plan[1].Key(), plan[0].Key()}) {
		t.Errorf("retraining stale trials trained %v, want %v", got, keysOf(plan[:2]))
	}
	stale, err = db.Stale(ctx, sw.ID, nil, "")
	if err != nil || stale.Stale != 0 || stale.Finished != 4 {
		t.Errorf("after retraining: %+v, %v; want 4 finished, none stale", stale, err)
	}
	if got := drive(ClaimOptions{RetrainStale: true}); len(got) != 0 {
		t.Errorf("a third run trained %v, want nothing", got)
	}
}

// TestPlan: a plan keeps its order, its trials' results and drops planned
// trials it no longer lists; planned trials are not results.
func TestPlan(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	sw := putSweep(t, db, "plan")
	plan := planTrials("plan", 5)
	record(t, db.Recorder(sw.ID, 0), engine.Outcome{Trial: plan[4], Key: plan[4].Key(), Status: train.Completed})
	// plan[0] twice: it keeps its first place.
	sum, err := db.Plan(ctx, sw.ID, append(plan[:4:4], plan[0], plan[4]))
	if err != nil || sum != (PlanSummary{Trials: 5, Finished: 1}) {
		t.Fatalf("Plan = %+v, %v", sum, err)
	}
	if trials, err := db.Trials(ctx, "plan"); err != nil || len(trials) != 1 {
		t.Errorf("Trials = %d, %v; want only the trained trial", len(trials), err)
	} else if trials[0].Position != 5 {
		// Its index in the list given: the repeat of plan[0] keeps a place.
		t.Errorf("position %d, want 5", trials[0].Position)
	}
	if _, err := db.Trial(ctx, plan[1].Key()); !errors.Is(err, ErrNotFound) {
		t.Errorf("Trial(planned) = %v, want ErrNotFound", err)
	}
	sweeps, err := db.Sweeps(ctx)
	if err != nil || sweeps[0].Planned != 4 || sweeps[0].Trials != 1 {
		t.Errorf("Sweeps = %+v, %v; want 1 trial and 4 planned", sweeps, err)
	}
	// A smaller plan drops the planned trials it leaves out, not results.
	if sum, err := db.Plan(ctx, sw.ID, []engine.Trial{plan[3], plan[1]}); err != nil || sum.Trials != 2 {
		t.Fatalf("Plan = %+v, %v", sum, err)
	}
	sweeps, err = db.Sweeps(ctx)
	if err != nil || sweeps[0].Planned != 2 || sweeps[0].Trials != 1 {
		t.Errorf("Sweeps = %+v, %v; want 1 trial and 2 planned", sweeps, err)
	}
	if trials, err := db.Trials(ctx, "plan"); err != nil || len(trials) != 1 || trials[0].Position != -1 {
		t.Errorf("Trials = %+v, %v; want the trained trial out of the plan, at position −1", trials, err)
	}
	c := newClaimer(t, db, sw.ID, startRun(t, db, sw.ID), ClaimOptions{Lease: time.Hour})
	got, err := c.Next(ctx, 5)
	if err != nil || fmt.Sprint(keysOf(got)) != fmt.Sprint(keysOf([]engine.Trial{plan[3], plan[1]})) {
		t.Errorf("claimed %v, %v; want the plan in its order", keysOf(got), err)
	}
	for _, tr := range got {
		if tr.Sweep != "plan" {
			t.Errorf("claimed trial of sweep %q", tr.Sweep)
		}
	}
}

// TestSweepConflict: another file may not reuse a sweep's name for another
// experiment or search; the same file may change.
func TestSweepConflict(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	base := SweepRecord{Name: "lr", Experiment: "moons-mlp", File: "/a/lr.yaml", Search: "grid lr=[0.1]", Source: "a"}
	if _, err := db.PutSweep(ctx, base); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		edit     func(*SweepRecord)
		conflict bool
	}{
		{"same file, edited", func(s *SweepRecord) { s.Search, s.Source = "grid lr=[0.1, 0.2]", "b" }, false},
		{"same file, other experiment", func(s *SweepRecord) { s.Experiment = "iris-mlp" }, false},
		{"other file, same sweep", func(s *SweepRecord) { s.File = "/b/lr.yaml" }, false},
		{"other file, other experiment", func(s *SweepRecord) { s.File, s.Experiment = "/b/lr.yaml", "iris-mlp" }, true},
		{"other file, other search", func(s *SweepRecord) { s.File, s.Search = "/b/lr.yaml", "random lr" }, true},
		{"other file, no search given", func(s *SweepRecord) { s.File, s.Search = "/b/lr.yaml", "" }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := db.PutSweep(ctx, base); err != nil {
				t.Fatal(err)
			}
			s := base
			tc.edit(&s)
			_, err := db.PutSweep(ctx, s)
			if !tc.conflict {
				if err != nil {
					t.Errorf("PutSweep = %v, want it stored", err)
				}
				return
			}
			if !errors.Is(err, ErrSweepConflict) || !strings.Contains(err.Error(), base.File) ||
				!strings.Contains(err.Error(), s.File) {
				t.Errorf("PutSweep = %v, want ErrSweepConflict naming %s and %s", err, base.File, s.File)
			}
			if stored, err := db.Sweep(ctx, "lr"); err != nil || stored.File != base.File {
				t.Errorf("after the refusal the sweep is %+v, %v", stored, err)
			}
		})
	}
	// A sweep stored before searches were: any search matches.
	old := SweepRecord{Name: "old", Experiment: "moons-mlp", File: "/a/old.yaml"}
	if _, err := db.PutSweep(ctx, old); err != nil {
		t.Fatal(err)
	}
	old.File, old.Search = "/b/old.yaml", "grid"
	if got, err := db.PutSweep(ctx, old); err != nil || got.Search != "grid" {
		t.Errorf("PutSweep over an old sweep = %+v, %v", got, err)
	}
}

// TestMigrateNumerics: trials and runs stored before this schema get the
// unknown numerics version and counts from the trials they hold.
func TestMigrateNumerics(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	rawExec(t, path, migrations[0],
		fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = 1", applicationID),
		`INSERT INTO sweeps (id, name, created, updated) VALUES (1, 'old', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')`,
		`INSERT INTO runs (id, sweep_id, started) VALUES (7, 1, '2024-01-01T00:00:00Z')`,
		`INSERT INTO trials (sweep_id, key, experiment, params, seed, config, status, run_id) VALUES
			(1, 'aaaa', 'trig', '{}', 1, '{"experiment":"trig","params":{},"seed":1,"budget":{"epochs":1}}', 'completed', 7),
			(1, 'bbbb', 'trig', '{}', 2, '{"experiment":"trig","params":{},"seed":2,"budget":{"epochs":1}}', 'failed', 7)`)
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	trials, err := db.Trials(ctx, "old")
	if err != nil || len(trials) != 2 || trials[0].Numerics != NumericsUnknown {
		t.Fatalf("Trials = %+v, %v; want two of unknown numerics", trials, err)
	}
	stale, err := db.Stale(ctx, 1, []string{"aaaa", "bbbb"}, "")
	if err != nil || stale.Stale != 1 || stale.Versions[NumericsUnknown] != 1 {
		t.Errorf("Stale = %+v, %v; want the completed trial, of unknown version", stale, err)
	}
	runs, err := db.Runs(ctx, "old")
	if want := (RunCounts{Trained: 2, Completed: 1, Failed: 1}); err != nil || len(runs) != 1 || runs[0].RunCounts != want {
		t.Errorf("Runs = %+v, %v; want counts %+v", runs, err, want)
	}
}

// BenchmarkPlan stores the plan of a sweep of 100 000 trials in a new
// database, then again over itself, as a second process of the sweep does.
func BenchmarkPlan(b *testing.B) {
	const n = 100000
	ctx := context.Background()
	plan := planTrials("big", n)
	for _, again := range []bool{false, true} {
		name := "new"
		if again {
			name = "again"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				db, err := Open(ctx, filepath.Join(b.TempDir(), "plan.db"))
				if err != nil {
					b.Fatal(err)
				}
				sw, err := db.PutSweep(ctx, SweepRecord{Name: "big"})
				if err != nil {
					b.Fatal(err)
				}
				if again {
					if _, err := db.Plan(ctx, sw.ID, plan); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				if sum, err := db.Plan(ctx, sw.ID, plan); err != nil || sum.Trials != n {
					b.Fatal(sum, err)
				}
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n)/1e3, "µs/trial")
		})
	}
}
