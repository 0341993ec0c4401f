package results

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/optbench/optbench/engine/train"
)

// ErrSweepConflict reports a sweep file that reuses the name of a stored
// sweep from another file with a different experiment or search: storing
// it would take over the other sweep's trials.
var ErrSweepConflict = errors.New("results: sweep name already used by another sweep file")

// SweepConflictError is the error PutSweep returns for ErrSweepConflict,
// with what a message needs.
type SweepConflictError struct {
	Name       string
	StoredFile string // the file the stored sweep came from
	File       string // the file that would take its name
	Differs    string // "a different experiment", "a different search" or both
}

func (e *SweepConflictError) Error() string {
	return fmt.Sprintf("sweep %s is stored from %s, and %s, which has the same name, has %s", e.Name, e.StoredFile,
		e.File, e.Differs)
}

func (e *SweepConflictError) Unwrap() error { return ErrSweepConflict }

// PutSweep stores s by name and returns it as stored, with its ID and
// times. A sweep of that name is updated in place, keeping its trials:
// adding values to a sweep file reuses the trials already trained. Updated
// changes only when something about the sweep did. An empty Hash is
// computed from Source; zero times mean now.
//
// A sweep stored from another file (File differs) keeps its name only if
// the experiment and the search are the same; otherwise PutSweep returns
// an error wrapping ErrSweepConflict that names both files. The same file
// with edited content is always accepted, and an empty stored File or
// Search (older databases) matches anything.
func (db *DB) PutSweep(ctx context.Context, s SweepRecord) (SweepRecord, error) {
	if s.Name == "" {
		return SweepRecord{}, errors.New("results: put sweep: empty name")
	}
	if s.Hash == "" {
		sum := sha256.Sum256([]byte(s.Source))
		s.Hash = hex.EncodeToString(sum[:])
	}
	now := db.now()
	if s.Created.IsZero() {
		s.Created = now
	}
	if s.Updated.IsZero() {
		s.Updated = now
	}
	var created, updated sql.NullString
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		// Checked under the write lock, so that two processes putting
		// different sweeps of one name cannot both pass.
		var file, experiment, search string
		err := tx.QueryRowContext(ctx, `SELECT file, experiment, search FROM sweeps WHERE name = ?`, s.Name).
			Scan(&file, &experiment, &search)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case file != "" && s.File != "" && file != s.File:
			var differ []string
			if experiment != s.Experiment {
				differ = append(differ, fmt.Sprintf("experiment %s, not %s", s.Experiment, experiment))
			}
			if search != "" && s.Search != "" && search != s.Search {
				differ = append(differ, "a different search")
			}
			if len(differ) > 0 {
				return &SweepConflictError{Name: s.Name, StoredFile: file, File: s.File, Differs: strings.Join(differ, " and ")}
			}
		}
		return tx.QueryRowContext(ctx, `
INSERT INTO sweeps (name, description, experiment, metric, goal, file, source, hash, search, created, updated)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET
	description = excluded.description, experiment = excluded.experiment,
	metric = excluded.metric, goal = excluded.goal, file = excluded.file,
	source = excluded.source, hash = excluded.hash,
	search = CASE WHEN excluded.search = '' THEN search ELSE excluded.search END,
	updated = CASE
		WHEN (description, experiment, metric, goal, file, hash) IS
			(excluded.description, excluded.experiment, excluded.metric, excluded.goal, excluded.file, excluded.hash)
			AND excluded.search IN ('', search)
		THEN updated ELSE excluded.updated END
RETURNING id, search, created, updated`,
			s.Name, s.Description, s.Experiment, s.Metric, s.Goal, s.File, s.Source, s.Hash, s.Search,
			formatTime(s.Created), formatTime(s.Updated)).Scan(&s.ID, &s.Search, &created, &updated)
	})
	if err != nil {
		return SweepRecord{}, fmt.Errorf("results: put sweep %s: %w", s.Name, err)
	}
	if s.Created, err = parseTime(created); err != nil {
		return SweepRecord{}, fmt.Errorf("results: put sweep %s: %w", s.Name, err)
	}
	if s.Updated, err = parseTime(updated); err != nil {
		return SweepRecord{}, fmt.Errorf("results: put sweep %s: %w", s.Name, err)
	}
	return s, nil
}

const sweepColumns = `id, name, description, experiment, metric, goal, file, source, hash, search, created, updated`

type scanner interface{ Scan(dest ...any) error }

func scanSweep(row scanner) (SweepRecord, error) {
	var s SweepRecord
	var created, updated sql.NullString
	if err := row.Scan(&s.ID, &s.Name, &s.Description, &s.Experiment, &s.Metric, &s.Goal, &s.File,
		&s.Source, &s.Hash, &s.Search, &created, &updated); err != nil {
		return SweepRecord{}, err
	}
	var err error
	if s.Created, err = parseTime(created); err != nil {
		return SweepRecord{}, err
	}
	if s.Updated, err = parseTime(updated); err != nil {
		return SweepRecord{}, err
	}
	return s, nil
}

// Sweep returns the sweep called name, or ErrNotFound.
func (db *DB) Sweep(ctx context.Context, name string) (SweepRecord, error) {
	var s SweepRecord
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		var err error
		s, err = sweepByName(ctx, tx, name)
		return err
	})
	if err != nil {
		return SweepRecord{}, fmt.Errorf("results: sweep %s: %w", name, err)
	}
	return s, nil
}

func sweepByName(ctx context.Context, tx *sql.Tx, name string) (SweepRecord, error) {
	s, err := scanSweep(tx.QueryRowContext(ctx, `SELECT `+sweepColumns+` FROM sweeps WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return SweepRecord{}, ErrNotFound
	}
	return s, err
}

// Sweeps returns every sweep, by name, with its trials counted by status
// and the number of planned trials not trained yet.
func (db *DB) Sweeps(ctx context.Context) ([]SweepSummary, error) {
	var out []SweepSummary
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+sweepColumns+`,
	(SELECT count(*) FROM runs WHERE runs.sweep_id = sweeps.id)
FROM sweeps ORDER BY name`)
		if err != nil {
			return err
		}
		defer rows.Close()
		index := map[int64]int{}
		for rows.Next() {
			var s SweepSummary
			var created, updated sql.NullString
			if err := rows.Scan(&s.ID, &s.Name, &s.Description, &s.Experiment, &s.Metric, &s.Goal, &s.File,
				&s.Source, &s.Hash, &s.Search, &created, &updated, &s.Runs); err != nil {
				return err
			}
			if s.Created, err = parseTime(created); err != nil {
				return err
			}
			if s.Updated, err = parseTime(updated); err != nil {
				return err
			}
			s.Counts = map[train.Status]int{}
			index[s.ID] = len(out)
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		counts, err := tx.QueryContext(ctx, `SELECT sweep_id, status, count(*) FROM trials GROUP BY sweep_id, status`)
		if err != nil {
			return err
		}
		defer counts.Close()
		for counts.Next() {
			var id int64
			var status train.Status
			var n int
			if err := counts.Scan(&id, &status, &n); err != nil {
				return err
			}
			if i, ok := index[id]; ok && status == Planned {
				out[i].Planned = n
			} else if ok {
				out[i].Counts[status] = n
				out[i].Trials += n
			}
		}
		return counts.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("results: listing sweeps: %w", err)
	}
	return out, nil
}

// StartRun records that a run of the sweep begins, with its provenance,
// and returns the run's ID for Recorder and FinishRun. A zero p.Started
// means now.
func (db *DB) StartRun(ctx context.Context, sweepID int64, p Provenance) (int64, error) {
	if p.Started.IsZero() {
		p.Started = db.now()
	}
	var id int64
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `
INSERT INTO runs (sweep_id, version, revision, dirty, go_version, goos, goarch, goamd64, cpu, host,
	command, workers, shard, started, finished)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			sweepID, p.Version, p.Revision, p.Dirty, p.GoVersion, p.GOOS, p.GOARCH, p.GOAMD64, p.CPU, p.Host,
			p.Command, p.Workers, p.Shard, formatTime(p.Started), formatTime(p.Finished)).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("results: start run of sweep %d: %w", sweepID, err)
	}
	return id, nil
}

// FinishRun records that the run ended now.
func (db *DB) FinishRun(ctx context.Context, runID int64) error {
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE runs SET finished = ? WHERE id = ?`, formatTime(db.now()), runID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("results: finish run %d: %w", runID, err)
	}
	return nil
}

// Provenance returns the runs of the sweep called name, oldest first.
func (db *DB) Provenance(ctx context.Context, name string) ([]Provenance, error) {
	runs, err := db.Runs(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("results: provenance of sweep %s: %w", name, errors.Unwrap(err))
	}
	out := make([]Provenance, len(runs))
	for i, r := range runs {
		out[i] = r.Provenance
	}
	return out, nil
}

// Runs returns the runs of the sweep called name, oldest first, with what
// each trained: for optbench ls, beside Running.
func (db *DB) Runs(ctx context.Context, name string) ([]RunSummary, error) {
	var out []RunSummary
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		s, err := sweepByName(ctx, tx, name)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `
SELECT id, version, revision, dirty, go_version, goos, goarch, goamd64, cpu, host, command, workers,
	shard, started, finished, trained, completed, pruned, diverged, failed, interrupted, discarded
FROM runs WHERE sweep_id = ? ORDER BY started, id`, s.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r RunSummary
			p, c := &r.Provenance, &r.RunCounts
			var started, finished sql.NullString
			if err := rows.Scan(&p.RunID, &p.Version, &p.Revision, &p.Dirty, &p.GoVersion, &p.GOOS, &p.GOARCH,
				&p.GOAMD64, &p.CPU, &p.Host, &p.Command, &p.Workers, &p.Shard, &started, &finished,
				&c.Trained, &c.Completed, &c.Pruned, &c.Diverged, &c.Failed, &c.Interrupted, &c.Discarded); err != nil {
				return err
			}
			if p.Started, err = parseTime(started); err != nil {
				return err
			}
			if p.Finished, err = parseTime(finished); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("results: runs of sweep %s: %w", name, err)
	}
	return out, nil
}
