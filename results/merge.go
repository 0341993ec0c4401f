package results

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ErrMergeConflict reports a shard database whose sweep was run from
// another sweep file, or trained by another numerics version, than the
// sweep of the same name in the database it is merged into.
var ErrMergeConflict = errors.New("results: shard differs from the merged sweep")

// MergeConflictError is the error Merge returns for ErrMergeConflict.
type MergeConflictError struct {
	Shard   string   // the shard database
	Sweep   string   // the sweep's name
	Differs []string // what differs: "sweep file sha256 1a2b…, not 3c4d…", "numerics version 2, not 1"
}

func (e *MergeConflictError) Error() string {
	return fmt.Sprintf("shard %s: sweep %s has %s", e.Shard, e.Sweep, strings.Join(e.Differs, " and "))
}

func (e *MergeConflictError) Unwrap() error { return ErrMergeConflict }

// MergeOptions configure Merge. The zero value refuses conflicting shards.
type MergeOptions struct {
	// Force merges a shard whose sweep file (sweeps.hash) or numerics
	// versions differ from those of the sweep already in the database;
	// the database keeps its sweep row, and SweepMerge.Forced says what
	// differed.
	Force bool
}

// MergeReport says what Merge took from one shard database.
type MergeReport struct {
	Shard  string       // the shard database, as given
	Sweeps []SweepMerge // by sweep name
}

// SweepMerge is what Merge took of one sweep of a shard.
type SweepMerge struct {
	Sweep    string
	New      bool // the database had no sweep of that name: the shard's row was copied
	Added    int  // trials with a result the database did not have
	Replaced int  // unfinished rows (planned, failed, interrupted) replaced by the shard's result
	Planned  int  // trials the shard planned and did not train, added to the database's plan
	Present  int  // trials the database had already, finished or as far as the shard: left as they are
	Runs     int  // runs (provenance rows) copied
	Forced   []string
}

// Merge copies the sweeps of the shard database at path from into db,
// in one write transaction, and reports what it copied. A shard is what
// optbench run --shard writes: its own database, on a machine of its
// own; merging the shards of a sweep gives the database one run would
// have (the same trials, results, metrics and curves, bit for bit).
//
// Trials are matched by sweep name and trial key. A trial the database
// does not have is copied with its final metrics, curve and position in
// the plan; one it has finished (completed, pruned, diverged) is never
// replaced; one it has unfinished (planned, failed, interrupted) is
// replaced by the shard's finished result (and a planned one by any
// result). The runs that trained the shard (provenance) are copied
// unless the database has a run of the sweep with the same start, host,
// command and shard. So merging a shard twice adds nothing. Ids are the
// database's own: sweep, run and trial ids are remapped; claims are not
// copied.
//
// A shard's sweep whose file (hash) differs from the database's sweep of
// that name, or whose finished trials were trained by a numerics version
// the database's finished trials of it were not, is refused with a
// *MergeConflictError, and nothing of the shard is merged, unless
// opt.Force. Merging shards one after the other into a new database
// thus checks each against the first.
//
// The shard is attached read-only (mode=ro; immutable when no process
// has it open, so that no -wal or -shm file is created beside it): it
// must not be written during the merge.
func (db *DB) Merge(ctx context.Context, from string, opt MergeOptions) (MergeReport, error) {
	report := MergeReport{Shard: from}
	fail := func(err error) (MergeReport, error) {
		return MergeReport{Shard: from}, fmt.Errorf("results: merge %s into %s: %w", from, db.path, err)
	}
	if db.write == nil {
		return fail(errReadOnly)
	}
	// Refuse what is not a current optbench database (older schemas
	// included) with the messages a reader gives.
	shard, err := OpenReadOnly(ctx, from)
	if err != nil {
		return MergeReport{Shard: from}, err
	}
	shard.Close()
	if a, errA := os.Stat(from); errA == nil {
		if b, errB := os.Stat(db.path); errB == nil && os.SameFile(a, b) {
			return fail(errors.New("a database cannot be merged into itself"))
		}
	}
	abs, err := filepath.Abs(from)
	if err != nil {
		return fail(err)
	}
	mode := "mode=ro&immutable=1"
	if _, err := os.Stat(from + "-wal"); err == nil {
		mode = "mode=ro"
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fail(classify(err))
	}
	defer conn.Close()
	// ATTACH cannot run inside a transaction: attach, then begin.
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS shard`, fileURI(abs)+"?"+mode); err != nil {
		return fail(classify(err))
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DETACH DATABASE shard`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fail(db.explainReadonly(classify(err)))
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `
CREATE TEMP TABLE merge_runs (old_id INTEGER PRIMARY KEY, new_id INTEGER);
CREATE TEMP TABLE merge_trials (old_id INTEGER PRIMARY KEY, new_id INTEGER, action INTEGER NOT NULL)`); err != nil {
		return fail(classify(err))
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+sweepColumns+` FROM shard.sweeps ORDER BY name`)
	if err != nil {
		return fail(classify(err))
	}
	var sweeps []SweepRecord
	for rows.Next() {
		s, err := scanSweep(rows)
		if err != nil {
			rows.Close()
			return fail(err)
		}
		sweeps = append(sweeps, s)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fail(classify(err))
	}
	for _, s := range sweeps {
		m, err := mergeSweep(ctx, tx, from, s, opt)
		if err != nil {
			if _, ok := errors.AsType[*MergeConflictError](err); ok {
				return MergeReport{Shard: from}, err
			}
			return fail(fmt.Errorf("sweep %s: %w", s.Name, classify(err)))
		}
		report.Sweeps = append(report.Sweeps, m)
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE temp.merge_runs; DROP TABLE temp.merge_trials`); err != nil {
		return fail(classify(err))
	}
	if err := tx.Commit(); err != nil {
		return fail(db.explainReadonly(classify(err)))
	}
	return report, nil
}

// Merge actions of a shard's trial (merge_trials.action).
const (
	mergeKeep    = 0 // the database has it, finished or as far as the shard
	mergeAdd     = 1 // the database does not have it
	mergeReplace = 2 // the database has it unfinished, the shard further
)

// mergeTrialColumns are the columns of a trial Merge copies, besides
// sweep_id, run_id and position, which it maps.
const mergeTrialColumns = `key, experiment, optimizer, params, seed, config, status, error, reason, epochs, steps,
	started, ended, wall_seconds, numerics`

// mergeRunColumns are the columns of a run Merge copies, besides id and
// sweep_id.
const mergeRunColumns = `version, revision, dirty, go_version, goos, goarch, goamd64, cpu, host, command, workers,
	shard, started, finished, trained, completed, pruned, diverged, failed, interrupted, discarded`

// mergeSweep merges the shard's sweep s into the main database in tx.
func mergeSweep(ctx context.Context, tx *sql.Tx, from string, s SweepRecord, opt MergeOptions) (SweepMerge, error) {
	m := SweepMerge{Sweep: s.Name}
	var outID int64
	var outHash string
	err := tx.QueryRowContext(ctx, `SELECT id, hash FROM main.sweeps WHERE name = ?`, s.Name).Scan(&outID, &outHash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		m.New = true
		if err := tx.QueryRowContext(ctx, `INSERT INTO main.sweeps
	(name, description, experiment, metric, goal, file, source, hash, search, created, updated)
SELECT name, description, experiment, metric, goal, file, source, hash, search, created, updated
FROM shard.sweeps WHERE id = ? RETURNING id`, s.ID).Scan(&outID); err != nil {
			return m, fmt.Errorf("copying the sweep: %w", err)
		}
	case err != nil:
		return m, err
	default:
		if outHash != s.Hash {
			m.Forced = append(m.Forced, fmt.Sprintf("sweep file sha256 %s, not %s", short(s.Hash), short(outHash)))
		}
		shardVersions, err := finishedNumerics(ctx, tx, "shard", s.ID)
		if err != nil {
			return m, err
		}
		outVersions, err := finishedNumerics(ctx, tx, "main", outID)
		if err != nil {
			return m, err
		}
		if len(outVersions) > 0 && slices.ContainsFunc(shardVersions, func(v string) bool { return !slices.Contains(outVersions, v) }) {
			m.Forced = append(m.Forced, fmt.Sprintf("numerics version %s, not %s",
				strings.Join(shardVersions, ", "), strings.Join(outVersions, ", ")))
		}
		if len(m.Forced) > 0 && !opt.Force {
			return m, &MergeConflictError{Shard: from, Sweep: s.Name, Differs: m.Forced}
		}
	}
	if err := mergeRuns(ctx, tx, s.ID, outID, &m); err != nil {
		return m, err
	}
	if err := mergeTrials(ctx, tx, s.ID, outID, &m); err != nil {
		return m, err
	}
	return m, nil
}

// short abbreviates a hash for messages.
func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12] + "…"
	}
	return hash
}

// finishedNumerics returns the numerics versions of the finished trials
// of sweep id in schema ("main" or "shard"), sorted.
func finishedNumerics(ctx context.Context, tx *sql.Tx, schema string, id int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT numerics FROM `+schema+`.trials
WHERE sweep_id = ? AND status IN `+finishedStatuses+` ORDER BY numerics`, id)
	if err != nil {
		return nil, fmt.Errorf("numerics versions: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// mergeRuns fills temp.merge_runs with the shard's runs of the sweep and
// their ids in the main database, copying those it does not have and
// bringing the counts of those it has up to the shard's.
func mergeRuns(ctx context.Context, tx *sql.Tx, shardID, outID int64, m *SweepMerge) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM temp.merge_runs`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO temp.merge_runs (old_id, new_id)
SELECT r.id, (SELECT o.id FROM main.runs o WHERE o.sweep_id = ?2 AND o.started IS r.started AND o.host IS r.host
	AND o.command IS r.command AND o.shard IS r.shard ORDER BY o.id LIMIT 1)
FROM shard.runs r WHERE r.sweep_id = ?1`, shardID, outID); err != nil {
		return fmt.Errorf("matching runs: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE main.runs AS o SET finished = coalesce(r.finished, o.finished),
	trained = r.trained, completed = r.completed, pruned = r.pruned, diverged = r.diverged,
	failed = r.failed, interrupted = r.interrupted, discarded = r.discarded
FROM temp.merge_runs mr JOIN shard.runs r ON r.id = mr.old_id
WHERE o.id = mr.new_id AND r.trained > o.trained`); err != nil {
		return fmt.Errorf("updating runs: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO main.runs (sweep_id, `+mergeRunColumns+`)
SELECT ?, `+mergeRunColumns+` FROM shard.runs
WHERE id IN (SELECT old_id FROM temp.merge_runs WHERE new_id IS NULL) ORDER BY id`, outID)
	if err != nil {
		return fmt.Errorf("copying runs: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	m.Runs = int(n)
	if _, err := tx.ExecContext(ctx, `UPDATE temp.merge_runs SET new_id = (SELECT o.id FROM main.runs o
	JOIN shard.runs r ON o.started IS r.started AND o.host IS r.host AND o.command IS r.command AND o.shard IS r.shard
	WHERE r.id = merge_runs.old_id AND o.sweep_id = ? ORDER BY o.id LIMIT 1)
WHERE new_id IS NULL`, outID); err != nil {
		return fmt.Errorf("mapping copied runs: %w", err)
	}
	return nil
}

// mergeTrials copies the shard's trials of the sweep (see Merge), with
// their metrics and curves, counting them in m.
func mergeTrials(ctx context.Context, tx *sql.Tx, shardID, outID int64, m *SweepMerge) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM temp.merge_trials`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO temp.merge_trials (old_id, new_id, action)
SELECT s.id, o.id, CASE
	WHEN o.id IS NULL THEN ?3
	WHEN o.status NOT IN `+finishedStatuses+` AND (s.status IN `+finishedStatuses+`
		OR (o.status = 'planned' AND s.status <> 'planned')) THEN ?4
	ELSE ?5 END
FROM shard.trials s LEFT JOIN main.trials o ON o.sweep_id = ?2 AND o.key = s.key
WHERE s.sweep_id = ?1`, shardID, outID, mergeAdd, mergeReplace, mergeKeep); err != nil {
		return fmt.Errorf("matching trials: %w", err)
	}
	const mappedRun = `(SELECT mr.new_id FROM temp.merge_runs mr WHERE mr.old_id = s.run_id)`
	if _, err := tx.ExecContext(ctx, `UPDATE main.trials AS o SET
	experiment = s.experiment, optimizer = s.optimizer, params = s.params, seed = s.seed, config = s.config,
	status = s.status, error = s.error, reason = s.reason, epochs = s.epochs, steps = s.steps,
	started = s.started, ended = s.ended, wall_seconds = s.wall_seconds, numerics = s.numerics,
	run_id = `+mappedRun+`, position = coalesce(o.position, s.position), claimed_by = NULL, lease_until = NULL
FROM temp.merge_trials mt JOIN shard.trials s ON s.id = mt.old_id
WHERE mt.action = ? AND o.id = mt.new_id`, mergeReplace); err != nil {
		return fmt.Errorf("replacing unfinished trials: %w", err)
	}
	for _, table := range []string{"trial_metrics", "curves"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM main.`+table+`
WHERE trial_id IN (SELECT new_id FROM temp.merge_trials WHERE action = ?)`, mergeReplace); err != nil {
			return fmt.Errorf("replacing %s: %w", table, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO main.trials (sweep_id, run_id, position, `+mergeTrialColumns+`)
SELECT ?, `+mappedRun+`, s.position, s.`+strings.ReplaceAll(mergeTrialColumns, ", ", ", s.")+`
FROM temp.merge_trials mt JOIN shard.trials s ON s.id = mt.old_id
WHERE mt.action = ? ORDER BY s.id`, outID, mergeAdd); err != nil {
		return fmt.Errorf("copying trials: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE temp.merge_trials SET new_id = (SELECT o.id FROM main.trials o
	JOIN shard.trials s ON o.key = s.key WHERE s.id = merge_trials.old_id AND o.sweep_id = ?)
WHERE action = ?`, outID, mergeAdd); err != nil {
		return fmt.Errorf("mapping copied trials: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO main.trial_metrics (trial_id, name, value)
SELECT mt.new_id, v.name, v.value FROM temp.merge_trials mt JOIN shard.trial_metrics v ON v.trial_id = mt.old_id
WHERE mt.action IN (?, ?)`, mergeAdd, mergeReplace); err != nil {
		return fmt.Errorf("copying final metrics: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO main.curves (trial_id, metric, packed)
SELECT mt.new_id, c.metric, c.packed FROM temp.merge_trials mt JOIN shard.curves c ON c.trial_id = mt.old_id
WHERE mt.action IN (?, ?) ORDER BY mt.new_id, c.rowid`, mergeAdd, mergeReplace); err != nil {
		return fmt.Errorf("copying curves: %w", err)
	}
	return tx.QueryRowContext(ctx, `SELECT
	coalesce(sum(mt.action = ?1 AND s.status <> 'planned'), 0),
	coalesce(sum(mt.action = ?1 AND s.status = 'planned'), 0),
	coalesce(sum(mt.action = ?2), 0),
	coalesce(sum(mt.action = ?3), 0)
FROM temp.merge_trials mt JOIN shard.trials s ON s.id = mt.old_id`, mergeAdd, mergeReplace, mergeKeep).
		Scan(&m.Added, &m.Planned, &m.Replaced, &m.Present)
}
