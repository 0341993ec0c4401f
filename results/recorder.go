package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

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
// engine.Sink and keeps nothing of an outcome once Record returns.
//
// A finished result (completed, pruned, diverged) is never replaced, and
// an outcome that would replace one is discarded (see Store), with one
// exception: a stale result — trained by another numerics version — that
// this run claimed to retrain (ClaimOptions.RetrainStale) is replaced by
// a finished outcome.
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
	OnDiscard func(engine.Outcome)

	mu        sync.Mutex
	discarded map[train.Status]int
	// ahead, when set, claims the next trial in the recording
	// transaction (Claimer.Recorder).
	ahead aheadClaimer
}

// aheadClaimer claims in a recording transaction, and forgets what it
// claimed if that transaction fails.
type aheadClaimer interface {
	claimAhead(ctx context.Context, tx *sql.Tx) error
	dropAhead()
}

var _ engine.Sink = (*Recorder)(nil)

// Recorder returns a sink that stores outcomes in the sweep sweepID as
// produced by the run runID (from StartRun; 0 records no run).
func (db *DB) Recorder(sweepID, runID int64) *Recorder {
	return &Recorder{db: db, sweepID: sweepID, runID: runID, Numerics: engine.NumericsVersion, Owner: Owner(runID)}
}

// ErrDiscarded is what Store returns (wrapped) for an outcome it did not
// store because the trial already has a finished result, or because
// another live claimant is training it and the outcome is not finished.
// It is not a failure of the sweep.
var ErrDiscarded = errors.New("results: outcome discarded")

// Record stores o like Store. A discarded outcome is counted (Discarded)
// and is not an error: the sweep goes on.
func (r *Recorder) Record(ctx context.Context, o engine.Outcome) error {
	err := r.Store(ctx, o)
	if errors.Is(err, ErrDiscarded) {
		r.mu.Lock()
		if r.discarded == nil {
			r.discarded = map[train.Status]int{}
		}
		r.discarded[o.Status]++
		r.mu.Unlock()
		if r.OnDiscard != nil {
			r.OnDiscard(o)
		}
		return nil
	}
	return err
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

// Store stores o in one transaction: the trial's row (replacing an earlier
// interrupted or failed outcome of the same key, or a planned row), its
// final metrics and its curve, and counts it in its run. An outcome that
// would replace a finished result is not stored, and nor is an unfinished
// outcome of a trial that another claimant holds with a live lease: Store
// then counts it as discarded in its run and returns an error wrapping
// ErrDiscarded. The check is made in the same transaction as the write.
func (r *Recorder) Store(ctx context.Context, o engine.Outcome) error {
	key := o.Key
	if key == "" {
		key = o.Trial.Key()
	}
	kept := true
	err := r.db.inWrite(ctx, func(tx *sql.Tx) error {
		err := r.record(ctx, tx, key, &o)
		if err == errKeptOut {
			kept, err = false, nil // commit the count of the discarded outcome
		}
		if err == nil && r.ahead != nil {
			err = r.ahead.claimAhead(ctx, tx)
		}
		return err
	})
	if err != nil && r.ahead != nil {
		r.ahead.dropAhead()
	}
	switch {
	case err != nil:
		return fmt.Errorf("results: record trial %s: %w", key, err)
	case !kept:
		return fmt.Errorf("results: record trial %s: %w: a %s outcome does not replace a finished result or another run's claim",
			key, ErrDiscarded, o.Status)
	}
	return nil
}

// finishedStatuses are the statuses of results a rerun keeps
// (train.Status.Finished), as an SQL list.
const finishedStatuses = `('completed', 'pruned', 'diverged')`

// countRunOutcome adds an outcome of status ?2 (or "discarded") to the
// counts of run ?1.
const countRunOutcome = `UPDATE runs SET trained = trained + 1,
	completed = completed + (?2 = 'completed'), pruned = pruned + (?2 = 'pruned'),
	diverged = diverged + (?2 = 'diverged'), failed = failed + (?2 = 'failed'),
	interrupted = interrupted + (?2 = 'interrupted'), discarded = discarded + (?2 = 'discarded')
WHERE id = ?1`

// countRun adds an outcome to the counts of run runID (0: none).
func (r *Recorder) countRun(ctx context.Context, tx *sql.Tx, status string) error {
	if r.runID == 0 {
		return nil
	}
	if _, err := tx.StmtContext(ctx, r.db.hot.countRun).ExecContext(ctx, r.runID, status); err != nil {
		return fmt.Errorf("counting the outcome in run %d: %w", r.runID, err)
	}
	return nil
}

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

// errKeptOut is what record returns for an outcome it counted in its run
// as discarded and did not store.
var errKeptOut = errors.New("outcome kept out")

func (r *Recorder) record(ctx context.Context, tx *sql.Tx, key string, o *engine.Outcome) error {
	config := o.Trial.Canonical()
	var canonical struct{ Params json.RawMessage }
	if err := json.Unmarshal(config, &canonical); err != nil {
		return fmt.Errorf("reading canonical configuration: %w", err)
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
		r.sweepID, key, o.Trial.Experiment, optimizer, string(canonical.Params), int64(o.Trial.Seed),
		string(config), string(o.Status), o.Error, o.Result.Reason, epochs, o.Result.Steps,
		formatTime(o.Start), formatTime(o.End), float(wall), runID, r.Numerics,
		r.Owner, formatTime(r.db.now())).Scan(&trialID)
	if errors.Is(err, sql.ErrNoRows) {
		if err := r.countRun(ctx, tx, "discarded"); err != nil {
			return err
		}
		return errKeptOut
	}
	if err != nil {
		return fmt.Errorf("storing trial: %w", err)
	}
	if err := r.countRun(ctx, tx, string(o.Status)); err != nil {
		return err
	}
	// An earlier outcome of the key (interrupted, failed) leaves metrics
	// and a curve that this one replaces.
	if _, err := tx.ExecContext(ctx, `DELETE FROM trial_metrics WHERE trial_id = ?`, trialID); err != nil {
		return fmt.Errorf("replacing final metrics: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM curves WHERE trial_id = ?`, trialID); err != nil {
		return fmt.Errorf("replacing curve: %w", err)
	}
	if len(o.Result.Final) > 0 {
		var q strings.Builder
		q.WriteString(`INSERT INTO trial_metrics (trial_id, name, value) VALUES `)
		args := make([]any, 0, 3*len(o.Result.Final))
		for i, m := range o.Result.Final {
			if i > 0 {
				q.WriteByte(',')
			}
			q.WriteString("(?,?,?)")
			args = append(args, trialID, m.Name, float(m.Value))
		}
		q.WriteString(` ON CONFLICT (trial_id, name) DO UPDATE SET value = excluded.value`)
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("storing final metrics: %w", err)
		}
	}
	return insertCurve(ctx, tx, trialID, o.Curve)
}
