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

// Planned is the status of a stored trial of a plan that no run has
// trained yet. Planned trials are not results: Trials, Trial, Curves,
// Export and the counts of Sweeps leave them out.
const Planned train.Status = "planned"

// NumericsUnknown is the numerics version of trials stored before
// versions were recorded.
const NumericsUnknown = "unknown"

// PlanSummary describes a stored plan.
type PlanSummary struct {
	Trials   int // distinct trials in the plan
	Finished int // of which have a finished result (completed, pruned, diverged), of any numerics version
	Stale    int // of the finished, trained by another numerics version than this build's
}

// planBatch is how many trials one INSERT of Plan carries (× 8 bound
// values, far below SQLite's 32766). BenchmarkPlan stores 100 000 trials
// in about the same time with 64 to 256; one row per statement is
// several times slower.
const planBatch = 128

const planColumns = 8

// insertPlan returns the statement that stores n trials of a plan: new
// trials as planned, and the new position of trials already stored.
func insertPlan(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO trials (sweep_id, key, experiment, optimizer, params, seed, config, position, status, numerics)
VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?,'planned','')")
	}
	b.WriteString(` ON CONFLICT (sweep_id, key) DO UPDATE SET position = excluded.position`)
	return b.String()
}

var insertPlanBatch = insertPlan(planBatch)

// Plan stores trials as the plan of the sweep sweepID, in one write
// transaction: their order (a trial listed twice keeps its first place),
// and a row with status Planned for each trial not stored yet. Trials
// already stored keep their results; stored trials the plan no longer
// lists leave the plan (their results stay), and those of them that
// were only planned, and are not being trained, are deleted. Every
// process of a sweep may call Plan with the same trials; the last call
// wins. It returns what the plan holds, with NumericsVersion of this build
// to count stale results.
func (db *DB) Plan(ctx context.Context, sweepID int64, trials []engine.Trial) (PlanSummary, error) {
	return db.PlanAt(ctx, sweepID, trials, nil)
}

// PlanAt is Plan with the trials' positions given: positions[i] is the
// place of trials[i] in the whole sweep's plan (nil: i). A shard of a
// sweep (optbench run --shard) stores its trials at their places in the
// sweep, so that merged shards hold the sweep's plan (Merge). Positions
// must increase, as the trials' order in the plan.
func (db *DB) PlanAt(ctx context.Context, sweepID int64, trials []engine.Trial, positions []int) (PlanSummary, error) {
	if positions != nil && len(positions) != len(trials) {
		panic(fmt.Sprintf("results: %d positions for %d trials", len(positions), len(trials)))
	}
	var sum PlanSummary
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE trials SET position = NULL
WHERE sweep_id = ? AND position IS NOT NULL`, sweepID); err != nil {
			return fmt.Errorf("clearing the old plan: %w", err)
		}
		if err := insertPlanned(ctx, tx, sweepID, trials, positions); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM trials
WHERE sweep_id = ? AND position IS NULL AND status = 'planned' AND (claimed_by IS NULL OR lease_until < ?)`,
			sweepID, formatTime(db.now())); err != nil {
			return fmt.Errorf("dropping trials no longer planned: %w", err)
		}
		return tx.QueryRowContext(ctx, `SELECT count(*),
	coalesce(sum(status IN `+finishedStatuses+`), 0),
	coalesce(sum(status IN `+finishedStatuses+` AND numerics <> ?), 0)
FROM trials WHERE sweep_id = ? AND position IS NOT NULL`, engine.NumericsVersion, sweepID).
			Scan(&sum.Trials, &sum.Finished, &sum.Stale)
	})
	if err != nil {
		return PlanSummary{}, fmt.Errorf("results: plan of sweep %d: %w", sweepID, err)
	}
	return sum, nil
}

// insertPlanned stores trials in batches of planBatch, at positions
// (nil: their index).
func insertPlanned(ctx context.Context, tx *sql.Tx, sweepID int64, trials []engine.Trial, positions []int) error {
	stmt, err := tx.PrepareContext(ctx, insertPlanBatch)
	if err != nil {
		return fmt.Errorf("storing the plan: %w", err)
	}
	defer stmt.Close()
	seen := make(map[string]bool, len(trials))
	args := make([]any, 0, planColumns*planBatch)
	rows := 0
	flush := func() error {
		if rows == 0 {
			return nil
		}
		var err error
		if rows == planBatch {
			_, err = stmt.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insertPlan(rows), args...)
		}
		args, rows = args[:0], 0
		return err
	}
	for i, t := range trials {
		config := t.Canonical()
		key := t.Key()
		if seen[key] {
			continue
		}
		seen[key] = true
		var canonical struct{ Params json.RawMessage }
		if err := json.Unmarshal(config, &canonical); err != nil {
			return fmt.Errorf("trial %s: reading canonical configuration: %w", key, err)
		}
		optimizer, _ := t.Params.String("optimizer")
		position := i
		if positions != nil {
			position = positions[i]
		}
		args = append(args, sweepID, key, t.Experiment, optimizer, string(canonical.Params), int64(t.Seed),
			string(config), position)
		if rows++; rows == planBatch {
			if err := flush(); err != nil {
				return fmt.Errorf("storing the plan from trial %d: %w", i+1-planBatch, err)
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("storing the end of the plan: %w", err)
	}
	return nil
}

// StaleSummary counts the finished results of a plan by the numerics
// version that trained them.
type StaleSummary struct {
	Finished int            // finished trials (completed, pruned, diverged)
	Stale    int            // of which trained by another numerics version
	Versions map[string]int // stale trials by version; NumericsUnknown for trials from before versions were stored
}

// Stale counts the finished trials among keys of the sweep sweepID (nil
// keys: the stored plan, see Plan) that another numerics version than
// current trained (current "" means this build's engine.NumericsVersion).
// With --keep-stale they stay results, marked by TrialRecord.Numerics;
// with --retrain-stale a Claimer trains them again
// (ClaimOptions.RetrainStale).
func (db *DB) Stale(ctx context.Context, sweepID int64, keys []string, current string) (StaleSummary, error) {
	if current == "" {
		current = engine.NumericsVersion
	}
	where, args := `position IS NOT NULL`, []any{sweepID}
	if keys != nil {
		list, err := json.Marshal(keys)
		if err != nil {
			return StaleSummary{}, fmt.Errorf("results: stale trials of sweep %d: %w", sweepID, err)
		}
		where, args = `key IN (SELECT value FROM json_each(?))`, append(args, string(list))
	}
	sum := StaleSummary{Versions: map[string]int{}}
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT numerics, count(*) FROM trials
WHERE sweep_id = ? AND `+where+` AND status IN `+finishedStatuses+` GROUP BY numerics`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var version string
			var n int
			if err := rows.Scan(&version, &n); err != nil {
				return err
			}
			sum.Finished += n
			if version != current {
				sum.Stale += n
				sum.Versions[version] = n
			}
		}
		return rows.Err()
	})
	if err != nil {
		return StaleSummary{}, fmt.Errorf("results: stale trials of sweep %d: %w", sweepID, err)
	}
	return sum, nil
}

// Running returns the trials of the sweep called name that are being
// trained: claimed, with a lease that has not expired. They are ordered
// by owner, then plan position.
func (db *DB) Running(ctx context.Context, name string) ([]Claim, error) {
	var out []Claim
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		s, err := sweepByName(ctx, tx, name)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT key, status, claimed_by, lease_until FROM trials
WHERE sweep_id = ? AND claimed_by IS NOT NULL AND lease_until >= ?
ORDER BY claimed_by, position, key`, s.ID, formatTime(db.now()))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c Claim
			var lease sql.NullString
			if err := rows.Scan(&c.Key, &c.Status, &c.Owner, &lease); err != nil {
				return err
			}
			if c.LeaseUntil, err = parseTime(lease); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("results: running trials of sweep %s: %w", name, err)
	}
	return out, nil
}
