package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

// Done returns the keys of the sweep's trials that a rerun skips, with
// their status: the finished ones (completed, pruned, diverged), whatever
// numerics version trained them. Failed and interrupted trials are trained
// again. A Claimer decides for itself and does not need Done.
func (db *DB) Done(ctx context.Context, sweepID int64) (map[string]train.Status, error) {
	done := map[string]train.Status{}
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT key, status FROM trials
WHERE sweep_id = ? AND status IN `+finishedStatuses, sweepID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var key string
			var status train.Status
			if err := rows.Scan(&key, &status); err != nil {
				return err
			}
			done[key] = status
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("results: finished trials of sweep %d: %w", sweepID, err)
	}
	return done, nil
}

// Recorder stores the outcomes of one run of a sweep. It implements
// engine.Sink and engine.Flusher.
//
// A finished result (completed, pruned, diverged) is never replaced, and
// an outcome that would replace one is discarded (see Store), with one
// exception: a stale result — trained by another numerics version — that
// this run claimed to retrain (ClaimOptions.RetrainStale) is replaced by
// a finished outcome.
//
// With Batch set, Record keeps outcomes until they are committed together
// (see Batch); Flush commits them, and engine.Executor.Drive flushes before
// it returns. Otherwise Record commits each outcome before it returns.
type Recorder struct {
	db             *DB
	sweepID, runID int64
	// Numerics is the numerics version stored with each trial; default
	// engine.NumericsVersion. Tests set it to act as another build.
	Numerics string
	// Owner is the claimant (ClaimOptions.Owner) of this run's claims:
	// its claims are released as their trials are recorded, and a stale
	// result it claimed may be replaced. Default Owner(runID).
	Owner string
	// OnDiscard, when set, is called with every outcome Record discards
	// (a failed retrain of a stale result, say, whose error is not stored).
	// With Batch, it is called when the outcome is committed, which may be
	// on the goroutine of the batch's timer; calls do not overlap.
	OnDiscard func(engine.Outcome)
	// Batch says when outcomes are committed; the zero value commits each
	// in Record. Claimer.Recorder sets DefaultBatch.
	Batch Batch

	mu        sync.Mutex
	discarded map[train.Status]int

	// commitMu orders commits and guards what waits to be committed.
	commitMu sync.Mutex
	pending  []engine.Outcome
	timer    *time.Timer // commits what waits Batch.Wait after the first
	armed    bool
	// ahead, when set, claims trials in each committing transaction
	// (Claimer.Recorder).
	ahead aheadClaimer
}

// Batch says when a Recorder commits the outcomes Record is given: once
// Trials of them wait, or Wait after the first of them was recorded,
// whichever comes first, and at Flush. A Claimer's Next that has to claim
// commits them too, in the transaction that claims. With a transaction
// per outcome (and so a claim per transaction), BenchmarkTrialOverhead's
// claims/commit=each used about three times the CPU time per trial of
// claims/commit=batch (0.30 against 0.11 ms on this project's machine).
//
// A process killed between commits loses the outcomes that wait, and
// only trials that will be trained again: their rows are as they were
// (planned, or an earlier unfinished outcome that a rerun retrains), they
// are not counted in the run, and their claims are still the dead
// process's, which ReleaseDead or the lease's expiry gives to the next
// claimant (TestKilledBetweenCommits).
type Batch struct {
	// Trials is how many waiting outcomes are committed at once. 0 or 1:
	// each outcome is committed by its Record.
	Trials int
	// Wait is the longest an outcome waits to be committed; default
	// 100 ms.
	Wait time.Duration
}

// DefaultBatch is the batching of Claimer.Recorder, which optbench run
// uses: at most 64 outcomes at once, none waiting more than 100 ms. A
// trial longer than that is committed with the claim of the next one, as
// without batching.
var DefaultBatch = Batch{Trials: 64, Wait: 100 * time.Millisecond}

func (b Batch) batched() bool { return b.Trials > 1 }

func (b Batch) wait() time.Duration {
	if b.Wait <= 0 {
		return 100 * time.Millisecond
	}
	return b.Wait
}

// aheadClaimer claims trials in a committing transaction: need of them
// for the caller and those it expects to be asked for before the next
// commit. The recorder hands what it claimed to addAhead once the
// transaction has committed.
type aheadClaimer interface {
	claimAhead(ctx context.Context, tx *sql.Tx, need int, b Batch) ([]claimedRow, error)
	addAhead(rows []claimedRow)
}

var (
	_ engine.Sink    = (*Recorder)(nil)
	_ engine.Flusher = (*Recorder)(nil)
)

// Recorder returns a sink that stores outcomes in the sweep sweepID as
// produced by the run runID (from StartRun; 0 records no run). It commits
// each outcome as it is recorded; set Batch to commit several at once.
func (db *DB) Recorder(sweepID, runID int64) *Recorder {
	return &Recorder{db: db, sweepID: sweepID, runID: runID, Numerics: engine.NumericsVersion, Owner: Owner(runID)}
}

// ErrDiscarded is what Store returns (wrapped) for an outcome it did not
// store because the trial already has a finished result, or because
// another live claimant is training it and the outcome is not finished.
// It is not a failure of the sweep.
var ErrDiscarded = errors.New("results: outcome discarded")

// Record stores o like Store, at once or with the next commit of its
// Batch. A discarded outcome is counted (Discarded) and is not an error:
// the sweep goes on. An error is a failure to commit o with the outcomes
// recorded before it; they wait on for the next commit to try again.
func (r *Recorder) Record(ctx context.Context, o engine.Outcome) error {
	r.commitMu.Lock()
	defer r.commitMu.Unlock()
	r.pending = append(r.pending, o)
	if len(r.pending) < r.Batch.Trials {
		r.arm()
		return nil
	}
	return r.commitLocked(ctx, 0)
}

// Flush commits the outcomes that wait.
func (r *Recorder) Flush(ctx context.Context) error {
	r.commitMu.Lock()
	defer r.commitMu.Unlock()
	if len(r.pending) == 0 {
		return nil
	}
	return r.commitLocked(ctx, 0)
}

// commitFor commits what waits and claims need trials for the Claimer's
// Next in the same transaction. The commit is not cancelled with ctx:
// the outcomes are those of trials that ended, as Record's are.
func (r *Recorder) commitFor(ctx context.Context, need int) error {
	r.commitMu.Lock()
	defer r.commitMu.Unlock()
	return r.commitLocked(context.WithoutCancel(ctx), need)
}

// arm starts the timer that commits what waits, unless it runs.
func (r *Recorder) arm() {
	if r.armed {
		return
	}
	r.armed = true
	if r.timer == nil {
		r.timer = time.AfterFunc(r.Batch.wait(), r.commitByTimer)
	} else {
		r.timer.Reset(r.Batch.wait())
	}
}

// commitByTimer commits what waited Batch.Wait. Nobody waits for it: after
// a failure the outcomes wait on, and the next Record, Flush or claim
// tries again and returns the error if it fails too. The timer has no
// context of its own.
func (r *Recorder) commitByTimer() {
	r.commitMu.Lock()
	defer r.commitMu.Unlock()
	r.armed = false
	if len(r.pending) > 0 {
		_ = r.commitLocked(context.Background(), 0)
	}
}

// commitLocked commits what waits (holding commitMu), claiming need
// trials in the same transaction. After a failure the outcomes wait on,
// for the next commit (Flush, Claimer.Close) to try again.
func (r *Recorder) commitLocked(ctx context.Context, need int) error {
	if r.armed {
		r.timer.Stop() // a timer that fired already finds nothing waiting, or what arrives next
		r.armed = false
	}
	batch := r.pending
	kept, err := r.commit(ctx, batch, need)
	if err != nil {
		if len(batch) == 1 {
			return fmt.Errorf("results: record trial %s: %w", keyOf(&batch[0]), err)
		}
		return fmt.Errorf("results: recording %d trials: %w", len(batch), err)
	}
	r.countDiscards(batch, kept)
	clear(batch) // keep nothing of a committed outcome
	r.pending = batch[:0]
	return nil
}

// countDiscards counts the outcomes that were not kept and calls
// OnDiscard with each.
func (r *Recorder) countDiscards(outcomes []engine.Outcome, kept []bool) {
	for i := range outcomes {
		if kept[i] {
			continue
		}
		r.mu.Lock()
		if r.discarded == nil {
			r.discarded = map[train.Status]int{}
		}
		r.discarded[outcomes[i].Status]++
		r.mu.Unlock()
		if r.OnDiscard != nil {
			r.OnDiscard(outcomes[i])
		}
	}
}

// Discarded returns the number of outcomes Record discarded.
func (r *Recorder) Discarded() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.discarded {
		n += c
	}
	return n
}

// DiscardedWith returns the number of outcomes of status s that Record
// discarded: a completed outcome of a trial that another process finished
// meanwhile, an interrupted one of a trial that already had a result.
func (r *Recorder) DiscardedWith(s train.Status) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.discarded[s]
}

// Store stores o in one transaction, with the outcomes that Record keeps
// waiting: the trial's row (replacing an earlier interrupted or failed
// outcome of the same key, or a planned row), its final metrics and its
// curve, and counts it in its run. An outcome that would replace a
// finished result is not stored, and nor is an unfinished outcome of a
// trial that another claimant holds with a live lease: Store then counts
// it as discarded in its run and returns an error wrapping ErrDiscarded.
// The check is made in the same transaction as the write.
func (r *Recorder) Store(ctx context.Context, o engine.Outcome) error {
	r.commitMu.Lock()
	defer r.commitMu.Unlock()
	if r.armed {
		r.timer.Stop()
		r.armed = false
	}
	batch := append(r.pending, o)
	kept, err := r.commit(ctx, batch, 0)
	if err != nil {
		r.pending = batch[:len(batch)-1] // they wait on, as after a failed commitLocked
		return fmt.Errorf("results: record trial %s: %w", keyOf(&o), err)
	}
	r.pending = nil
	r.countDiscards(batch[:len(batch)-1], kept)
	if !kept[len(batch)-1] {
		return fmt.Errorf("results: record trial %s: %w: a %s outcome does not replace a finished result or another run's claim",
			keyOf(&o), ErrDiscarded, o.Status)
	}
	return nil
}

func keyOf(o *engine.Outcome) string {
	if o.Key != "" {
		return o.Key
	}
	return o.Trial.Key()
}

// commit stores outcomes in one transaction, with their counts in the
// run and, with a claimer, its claims (need and those it expects to be
// asked for), and reports which outcomes were kept.
func (r *Recorder) commit(ctx context.Context, outcomes []engine.Outcome, need int) ([]bool, error) {
	kept := make([]bool, len(outcomes))
	missing := map[string]bool{}
	var claimed []claimedRow
	err := r.db.inWrite(ctx, func(tx *sql.Tx) error {
		var counts runCounts
		for i := range outcomes {
			ok, err := r.record(ctx, tx, missing, &outcomes[i])
			if err != nil {
				return fmt.Errorf("trial %s: %w", keyOf(&outcomes[i]), err)
			}
			kept[i] = ok
			status := outcomes[i].Status
			if !ok {
				status = "discarded"
			}
			counts.add(status)
		}
		if err := r.countRun(ctx, tx, &counts); err != nil {
			return err
		}
		if r.ahead != nil {
			var err error
			claimed, err = r.ahead.claimAhead(ctx, tx, need, r.Batch)
			return err
		}
		return nil
	})
	r.db.prepareRows(ctx, missing)
	if err != nil {
		return nil, err
	}
	if r.ahead != nil {
		r.ahead.addAhead(claimed)
	}
	return kept, nil
}

// finishedStatuses are the statuses of results a rerun keeps
// (train.Status.Finished), as an SQL list.
const finishedStatuses = `('completed', 'pruned', 'diverged')`

// countRunOutcomes adds outcomes to the counts of run ?1: ?2 trained, of
// which ?3 completed, ?4 pruned, ?5 diverged, ?6 failed, ?7 interrupted
// and ?8 discarded.
const countRunOutcomes = `UPDATE runs SET trained = trained + ?2,
	completed = completed + ?3, pruned = pruned + ?4, diverged = diverged + ?5,
	failed = failed + ?6, interrupted = interrupted + ?7, discarded = discarded + ?8
WHERE id = ?1`

// runCounts are the outcomes of a commit by status, for countRun.
type runCounts struct {
	trained, completed, pruned, diverged, failed, interrupted, discarded int
}

func (c *runCounts) add(s train.Status) {
	c.trained++
	switch s {
	case train.Completed:
		c.completed++
	case train.Pruned:
		c.pruned++
	case train.Diverged:
		c.diverged++
	case train.Failed:
		c.failed++
	case train.Interrupted:
		c.interrupted++
	case "discarded":
		c.discarded++
	}
}

// countRun adds counts to those of run runID (0: none).
func (r *Recorder) countRun(ctx context.Context, tx *sql.Tx, c *runCounts) error {
	if r.runID == 0 || c.trained == 0 {
		return nil
	}
	if _, err := tx.StmtContext(ctx, r.db.hot.countRun).ExecContext(ctx, r.runID, c.trained,
		c.completed, c.pruned, c.diverged, c.failed, c.interrupted, c.discarded); err != nil {
		return fmt.Errorf("counting outcomes in run %d: %w", r.runID, err)
	}
	return nil
}

// deleteTrialMetrics and deleteTrialCurve remove what an earlier outcome
// of a trial (interrupted, failed) stored, which a new one replaces.
const (
	deleteTrialMetrics = `DELETE FROM trial_metrics WHERE trial_id = ?`
	deleteTrialCurve   = `DELETE FROM curves WHERE trial_id = ?`
)

// recordTrial stores a trial's row unless a guard, the upsert's WHERE,
// keeps the stored row: then RETURNING yields nothing. A finished result
// is replaced only by a finished outcome of another numerics version
// whose claimant ?18 holds it (retraining a stale result); an unfinished
// row by any finished outcome, and by an unfinished one unless another
// claimant's lease is live at ?19.
const recordTrial = `
INSERT INTO trials (sweep_id, key, experiment, optimizer, params, seed, config, status, error, reason,
	epochs, steps, started, ended, wall_seconds, run_id, numerics)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
ON CONFLICT (sweep_id, key) DO UPDATE SET
	experiment = excluded.experiment, optimizer = excluded.optimizer, params = excluded.params,
	seed = excluded.seed, config = excluded.config, status = excluded.status, error = excluded.error,
	reason = excluded.reason, epochs = excluded.epochs, steps = excluded.steps,
	started = excluded.started, ended = excluded.ended, wall_seconds = excluded.wall_seconds,
	run_id = excluded.run_id, numerics = excluded.numerics, claimed_by = NULL, lease_until = NULL
WHERE CASE
	WHEN trials.status IN ` + finishedStatuses + ` THEN
		excluded.status IN ` + finishedStatuses + ` AND trials.numerics <> excluded.numerics
		AND trials.claimed_by IS ?18
	WHEN excluded.status IN ` + finishedStatuses + ` THEN 1
	ELSE trials.claimed_by IS NULL OR trials.claimed_by IS ?18 OR trials.lease_until < ?19
	END
RETURNING id`

// record stores o in tx and reports whether it was kept: false when the
// guard of recordTrial kept the stored row. Statements not prepared yet
// are noted in missing (DB.execRows).
func (r *Recorder) record(ctx context.Context, tx *sql.Tx, missing map[string]bool, o *engine.Outcome) (bool, error) {
	config := o.Trial.Canonical()
	var canonical struct{ Params json.RawMessage }
	if err := json.Unmarshal(config, &canonical); err != nil {
		return false, fmt.Errorf("reading canonical configuration: %w", err)
	}
	optimizer, _ := o.Trial.Params.String("optimizer")
	epochs := o.Result.Epochs
	if epochs == 0 {
		epochs = len(o.Curve) // a trial that failed part way
	}
	wall := o.Result.Seconds
	if !o.Start.IsZero() && !o.End.IsZero() {
		wall = o.End.Sub(o.Start).Seconds()
	}
	var runID any
	if r.runID != 0 {
		runID = r.runID
	}
	var trialID int64
	err := tx.StmtContext(ctx, r.db.hot.record).QueryRowContext(ctx,
		r.sweepID, keyOf(o), o.Trial.Experiment, optimizer, string(canonical.Params), int64(o.Trial.Seed),
		string(config), string(o.Status), o.Error, o.Result.Reason, epochs, o.Result.Steps,
		formatTime(o.Start), formatTime(o.End), float(wall), runID, r.Numerics,
		r.Owner, formatTime(r.db.now())).Scan(&trialID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("storing trial: %w", err)
	}
	// An earlier outcome of the key (interrupted, failed) leaves metrics
	// and a curve that this one replaces.
	if _, err := tx.StmtContext(ctx, r.db.hot.deleteMetrics).ExecContext(ctx, trialID); err != nil {
		return false, fmt.Errorf("replacing final metrics: %w", err)
	}
	if _, err := tx.StmtContext(ctx, r.db.hot.deleteCurve).ExecContext(ctx, trialID); err != nil {
		return false, fmt.Errorf("replacing curve: %w", err)
	}
	if len(o.Result.Final) > 0 {
		args := make([]any, 0, 3*len(o.Result.Final))
		for _, m := range o.Result.Final {
			args = append(args, trialID, m.Name, float(m.Value))
		}
		if err := r.db.execRows(ctx, tx, missing, insertMetrics(len(o.Result.Final)), args...); err != nil {
			return false, fmt.Errorf("storing final metrics: %w", err)
		}
	}
	if err := r.db.insertCurve(ctx, tx, missing, trialID, o.Curve); err != nil {
		return false, err
	}
	return true, nil
}

// insertMetrics returns the statement that stores n final metrics of a
// trial.
func insertMetrics(n int) string {
	return `INSERT INTO trial_metrics (trial_id, name, value) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?,?,?),", n), ",") +
		` ON CONFLICT (trial_id, name) DO UPDATE SET value = excluded.value`
}
