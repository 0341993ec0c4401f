package results

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

// trainOne trains t as the executor does, with oneEpoch.
func trainOne(t engine.Trial) engine.Outcome {
	o := engine.Outcome{Trial: t, Key: t.Key(), Start: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	res, _ := oneEpoch(context.Background(), t, func(e train.Epoch) train.Decision {
		o.Curve = append(o.Curve, e)
		return train.Decision{}
	})
	o.Result, o.Status, o.End = res, res.Status, o.Start.Add(time.Millisecond)
	return o
}

// runCounts returns the counts of the sweep's runs, in the order they
// started.
func sweepRuns(t *testing.T, db *DB, name string) []RunCounts {
	t.Helper()
	runs, err := db.Runs(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(runs, func(a, b RunSummary) int { return int(a.RunID - b.RunID) })
	out := make([]RunCounts, len(runs))
	for i, r := range runs {
		out[i] = r.RunCounts
	}
	return out
}

// TestKilledBetweenCommits: a process killed while outcomes wait for the
// next batched commit loses them, and only trials that are trained again:
// they are stored as planned, not counted in the killed run, and still
// claimed by it, so that once its lease expires the next run claims and
// trains them. Every trial then has one result with its curve, and the
// runs' counts add up to the plan.
func TestKilledBetweenCommits(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	clock := &manualClock{now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	db.now = clock.Now
	sw := putSweep(t, db, "killed")
	plan := planTrials("killed", 10)
	if _, err := db.Plan(ctx, sw.ID, plan); err != nil {
		t.Fatal(err)
	}

	// The process to be killed: never closed, so it neither commits what
	// waits nor releases its claims. Its renewal stops, as the process's
	// would.
	killed, err := db.Claimer(ctx, sw.ID, startRun(t, db, sw.ID), ClaimOptions{Owner: "killed", Lease: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	killed.stopRenewal()
	rec := killed.Recorder()
	rec.Batch = Batch{Trials: 4, Wait: time.Hour} // the fourth outcome commits; the timer never fires
	var trained []string
	for range 6 {
		ts, err := killed.Next(ctx, 1)
		if err != nil || len(ts) != 1 {
			t.Fatalf("Next = %d trials, %v", len(ts), err)
		}
		o := trainOne(ts[0])
		if err := rec.Record(ctx, o); err != nil {
			t.Fatal(err)
		}
		killed.Tell(o)
		trained = append(trained, o.Key)
	}
	// SIGKILL here: outcomes 5 and 6 wait in memory and are lost.
	rec.timer.Stop()

	outcomes, err := db.Outcomes(ctx, "killed", keysOf(plan))
	if err != nil {
		t.Fatal(err)
	}
	var committed, lost []string
	for _, o := range outcomes {
		switch o.Status {
		case train.Completed:
			if len(o.Curve) != 1 || len(o.Result.Final) == 0 {
				t.Errorf("trial %s completed with %d epochs of curve and %d final metrics", o.Key, len(o.Curve), len(o.Result.Final))
			}
			committed = append(committed, o.Key)
		case Planned:
			if slices.Contains(trained, o.Key) {
				lost = append(lost, o.Key)
			}
		default:
			t.Errorf("trial %s is %s", o.Key, o.Status)
		}
	}
	if fmt.Sprint(committed) != fmt.Sprint(trained[:4]) || fmt.Sprint(lost) != fmt.Sprint(trained[4:]) {
		t.Fatalf("after the kill: committed %v, lost %v; want the first four trained committed and the last two lost", committed, lost)
	}
	running, err := db.Running(ctx, "killed")
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]bool{}
	for _, c := range running {
		if c.Owner != "killed" || c.Status != Planned {
			t.Errorf("claim %+v; want trials held by the killed run, planned", c)
		}
		held[c.Key] = true
	}
	for _, k := range lost {
		if !held[k] {
			t.Errorf("lost trial %s is not claimed by the killed run: %v", k, running)
		}
	}
	if runs := sweepRuns(t, db, "killed"); len(runs) != 1 || runs[0].Trained != 4 || runs[0].Completed != 4 {
		t.Errorf("the killed run counts %+v; want the four committed trials", runs)
	}

	clock.Add(2 * time.Hour) // the killed run's leases expire
	rerun, err := db.Claimer(ctx, sw.ID, startRun(t, db, sw.ID), ClaimOptions{Owner: "rerun", Lease: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	x := &engine.Executor{Workers: 2, Run: oneEpoch}
	p, err := x.Drive(ctx, rerun, rerun.Recorder())
	if err := errors.Join(err, rerun.Close(ctx)); err != nil {
		t.Fatal(err)
	}
	if p.Done != 6 {
		t.Errorf("the rerun trained %d trials, want the 6 not committed", p.Done)
	}
	outcomes, err = db.Outcomes(ctx, "killed", keysOf(plan))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outcomes {
		if o.Status != train.Completed || len(o.Curve) != 1 {
			t.Errorf("trial %s: %s with %d epochs of curve, want completed with one", o.Key, o.Status, len(o.Curve))
		}
	}
	runs := sweepRuns(t, db, "killed")
	if len(runs) != 2 || runs[0].Trained != 4 || runs[1].Trained != 6 || runs[1].Completed != 6 {
		t.Errorf("runs count %+v; want 4 trained by the killed run and 6 by the rerun", runs)
	}
	if running, err := db.Running(ctx, "killed"); err != nil || len(running) != 0 {
		t.Errorf("Running = %v, %v; want no claims left", running, err)
	}
}

// TestBatchWait: an outcome that waits in a batch is committed Wait after
// it was recorded, without a Flush, while the sweep goes on.
func TestBatchWait(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	sw := putSweep(t, db, "wait")
	r := db.Recorder(sw.ID, 0)
	r.Batch = Batch{Trials: 100, Wait: 20 * time.Millisecond}
	o := trainOne(planTrials("wait", 1)[0])
	if err := r.Record(ctx, o); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); ; {
		got, err := db.Outcomes(ctx, "wait", []string{o.Key})
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Status == train.Completed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the outcome is still %s a minute after it was recorded", got[0].Status)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := r.Flush(ctx); err != nil {
		t.Errorf("Flush after the timer's commit: %v", err)
	}
}

// TestBatchDiscards: outcomes that a batch's guard keeps out are counted
// and passed to OnDiscard when they are committed, as without batching,
// and Store commits what waits before its own outcome.
func TestBatchDiscards(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	sw := putSweep(t, db, "discard")
	ts := planTrials("discard", 3)
	first := db.Recorder(sw.ID, 0)
	if err := first.Record(ctx, trainOne(ts[0])); err != nil { // a finished result
		t.Fatal(err)
	}
	r := db.Recorder(sw.ID, 0)
	r.Batch = Batch{Trials: 10, Wait: time.Hour}
	var discarded []string
	r.OnDiscard = func(o engine.Outcome) { discarded = append(discarded, o.Key) }
	again := trainOne(ts[0])
	again.Status = train.Interrupted
	if err := r.Record(ctx, again); err != nil {
		t.Fatal(err)
	}
	if err := r.Record(ctx, trainOne(ts[1])); err != nil {
		t.Fatal(err)
	}
	if r.Discarded() != 0 || len(discarded) != 0 {
		t.Fatalf("discarded %v before the commit", discarded)
	}
	if err := r.Store(ctx, trainOne(ts[2])); err != nil {
		t.Fatal(err)
	}
	if r.DiscardedWith(train.Interrupted) != 1 || fmt.Sprint(discarded) != fmt.Sprint([]string{ts[0].Key()}) {
		t.Errorf("discarded %v (%d interrupted); want the interrupted outcome of %s", discarded, r.DiscardedWith(train.Interrupted), ts[0].Key())
	}
	got, err := db.Outcomes(ctx, "discard", keysOf(ts))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range got {
		if o.Status != train.Completed {
			t.Errorf("trial %s is %s, want completed", o.Key, o.Status)
		}
	}
}

// TestBatchTimerWithClaims: commits by the timer, claims of Next and
// Records interleave (a Wait shorter than a trial) and every trial of the
// plan is still stored once, with its curve, and counted once. Run with
// -race, it also checks their locking.
func TestBatchTimerWithClaims(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	sw := putSweep(t, db, "timer")
	plan := planTrials("timer", 200)
	if _, err := db.Plan(ctx, sw.ID, plan); err != nil {
		t.Fatal(err)
	}
	c, err := db.Claimer(ctx, sw.ID, startRun(t, db, sw.ID), ClaimOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := c.Recorder()
	r.Batch = Batch{Trials: 1000, Wait: 200 * time.Microsecond}
	slow := func(ctx context.Context, tr engine.Trial, observe train.Observer) (train.Result, error) {
		time.Sleep(300 * time.Microsecond)
		return oneEpoch(ctx, tr, observe)
	}
	x := &engine.Executor{Workers: 3, Run: slow}
	p, err := x.Drive(ctx, c, r)
	if err := errors.Join(err, c.Close(ctx)); err != nil {
		t.Fatal(err)
	}
	if p.Done != len(plan) {
		t.Errorf("%d trials done, want %d", p.Done, len(plan))
	}
	outcomes, err := db.Outcomes(ctx, "timer", keysOf(plan))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outcomes {
		if o.Status != train.Completed || len(o.Curve) != 1 {
			t.Errorf("trial %s: %s with %d epochs of curve, want completed with one", o.Key, o.Status, len(o.Curve))
		}
	}
	if runs := sweepRuns(t, db, "timer"); len(runs) != 1 || runs[0].Trained != len(plan) || runs[0].Completed != len(plan) {
		t.Errorf("run counts %+v, want %d trained and completed", runs, len(plan))
	}
}

// TestFailedCommitKeepsOutcomes: outcomes whose commit failed (here: its
// context was cancelled) wait for the next commit instead of being lost.
func TestFailedCommitKeepsOutcomes(t *testing.T) {
	db := openTest(t)
	sw := putSweep(t, db, "retry")
	ts := planTrials("retry", 2)
	r := db.Recorder(sw.ID, 0)
	r.Batch = Batch{Trials: 2, Wait: time.Hour}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Record(cancelled, trainOne(ts[0])); err != nil {
		t.Fatalf("first outcome of a batch of two: %v", err)
	}
	if err := r.Record(cancelled, trainOne(ts[1])); !errors.Is(err, context.Canceled) {
		t.Fatalf("committing under a cancelled context: %v, want context.Canceled", err)
	}
	if err := r.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := db.Outcomes(context.Background(), "retry", keysOf(ts))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range got {
		if o.Status != train.Completed {
			t.Errorf("trial %s is %s after the retry, want completed", o.Key, o.Status)
		}
	}
}
