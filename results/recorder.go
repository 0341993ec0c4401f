package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

// Done returns the keys of the sweep's trials that a rerun skips, with
// their status: the completed and the diverged. Failed and interrupted
// trials are trained again.
func (db *DB) Done(ctx context.Context, sweepID int64) (map[string]train.Status, error) {
	done := map[string]train.Status{}
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT key, status FROM trials
WHERE sweep_id = ? AND status IN (?, ?)`, sweepID, train.Completed, train.Diverged)
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
type Recorder struct {
	db             *DB
	sweepID, runID int64
}

var _ engine.Sink = (*Recorder)(nil)

// Recorder returns a sink that stores outcomes in the sweep sweepID as
// produced by the run runID (from StartRun; 0 records no run).
func (db *DB) Recorder(sweepID, runID int64) *Recorder {
	return &Recorder{db: db, sweepID: sweepID, runID: runID}
}

// Record stores o in one transaction: the trial's row (replacing an
// earlier outcome of the same key, such as an interrupted one), its final
// metrics and its curve.
func (r *Recorder) Record(ctx context.Context, o engine.Outcome) error {
	key := o.Key
	if key == "" {
		key = o.Trial.Key()
	}
	if err := r.db.inWrite(ctx, func(tx *sql.Tx) error { return r.record(ctx, tx, key, &o) }); err != nil {
		return fmt.Errorf("results: record trial %s: %w", key, err)
	}
	return nil
}

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
	err := tx.QueryRowContext(ctx, `
INSERT INTO trials (sweep_id, key, experiment, optimizer, params, seed, config, status, error, reason,
	epochs, steps, started, ended, wall_seconds, run_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (sweep_id, key) DO UPDATE SET
	experiment = excluded.experiment, optimizer = excluded.optimizer, params = excluded.params,
	seed = excluded.seed, config = excluded.config, status = excluded.status, error = excluded.error,
	reason = excluded.reason, epochs = excluded.epochs, steps = excluded.steps,
	started = excluded.started, ended = excluded.ended, wall_seconds = excluded.wall_seconds,
	run_id = excluded.run_id, claimed_by = NULL, lease_until = NULL
RETURNING id`,
		r.sweepID, key, o.Trial.Experiment, optimizer, string(canonical.Params), int64(o.Trial.Seed),
		string(config), string(o.Status), o.Error, o.Result.Reason, epochs, o.Result.Steps,
		formatTime(o.Start), formatTime(o.End), float(wall), runID).Scan(&trialID)
	if err != nil {
		return fmt.Errorf("storing trial: %w", err)
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
