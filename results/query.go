package results

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

// trained selects the trials t that are results: not merely planned.
const trained = `t.status <> 'planned'`

const trialColumns = `t.id, s.name, t.key, t.experiment, t.optimizer, t.seed, t.config, t.status, t.error,
	t.epochs, t.steps, t.reason, t.started, t.ended, t.wall_seconds, t.run_id, t.numerics, t.position`

// queryTrials returns the trials that where selects (with args), in the
// order order gives, with their final metrics. Planned trials are not
// results and are left out.
func queryTrials(ctx context.Context, tx *sql.Tx, where, order string, args ...any) ([]TrialRecord, error) {
	where = trained + ` AND (` + where + `)`
	rows, err := tx.QueryContext(ctx, `SELECT `+trialColumns+`
FROM trials t JOIN sweeps s ON s.id = t.sweep_id WHERE `+where+` ORDER BY `+order, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TrialRecord
	index := map[int64]int{}
	for rows.Next() {
		var t TrialRecord
		var id int64
		var seed int64
		var started, ended sql.NullString
		var wall sql.NullFloat64
		var runID, position sql.NullInt64
		if err := rows.Scan(&id, &t.Sweep, &t.Key, &t.Experiment, &t.Optimizer, &seed, &t.Config, &t.Status,
			&t.Error, &t.Epochs, &t.Steps, &t.Reason, &started, &ended, &wall, &runID, &t.Numerics, &position); err != nil {
			return nil, err
		}
		t.Seed = uint64(seed)
		t.WallSeconds = unfloat(wall)
		t.RunID = runID.Int64
		t.Position = -1
		if position.Valid {
			t.Position = int(position.Int64)
		}
		if t.Start, err = parseTime(started); err != nil {
			return nil, err
		}
		if t.End, err = parseTime(ended); err != nil {
			return nil, err
		}
		trial, err := engine.ParseTrial(t.Config)
		if err != nil {
			return nil, fmt.Errorf("trial %s: %w", t.Key, err)
		}
		t.Params = trial.Params
		t.Final = map[string]float64{}
		index[id] = len(out)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	metrics, err := tx.QueryContext(ctx, `SELECT m.trial_id, m.name, m.value FROM trial_metrics m
WHERE m.trial_id IN (SELECT t.id FROM trials t JOIN sweeps s ON s.id = t.sweep_id WHERE `+where+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer metrics.Close()
	for metrics.Next() {
		var id int64
		var name string
		var value sql.NullFloat64
		if err := metrics.Scan(&id, &name, &value); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].Final[name] = unfloat(value)
		}
	}
	return out, metrics.Err()
}

// Trials returns the trials of the sweep called name with their final
// metrics, ordered by key then seed so that reports are deterministic.
func (db *DB) Trials(ctx context.Context, name string) ([]TrialRecord, error) {
	var out []TrialRecord
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		s, err := sweepByName(ctx, tx, name)
		if err != nil {
			return err
		}
		out, err = queryTrials(ctx, tx, `t.sweep_id = ?`, `t.key, t.seed`, s.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("results: trials of sweep %s: %w", name, err)
	}
	return out, nil
}

// maxMatches bounds the matches an ambiguous prefix lists.
const maxMatches = 10

// Trial returns the trial whose key is ref or starts with it; the prefix
// must pick one trial. The same trial may be in several sweeps: ref may
// then name the sweep as "sweep/prefix". An ambiguous prefix is an error
// wrapping ErrAmbiguous that lists the matches.
func (db *DB) Trial(ctx context.Context, ref string) (TrialRecord, error) {
	sweep, prefix := "", ref
	if i := strings.LastIndexByte(ref, '/'); i >= 0 {
		sweep, prefix = ref[:i], ref[i+1:]
	}
	prefix = strings.ToLower(prefix)
	if prefix == "" {
		return TrialRecord{}, fmt.Errorf("results: trial %q: empty key", ref)
	}
	if strings.Trim(prefix, "0123456789abcdef") != "" {
		// Keys are hex; this also keeps GLOB's metacharacters out.
		return TrialRecord{}, fmt.Errorf("results: trial %q: %w (keys are hexadecimal)", ref, ErrNotFound)
	}
	where, args := trained+` AND t.key GLOB ?`, []any{prefix + "*"}
	if sweep != "" {
		where, args = where+` AND s.name = ?`, append(args, sweep)
	}
	var matches []string // sweep/key
	var trial TrialRecord
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT t.id, s.name, t.key
FROM trials t JOIN sweeps s ON s.id = t.sweep_id WHERE %s ORDER BY s.name, t.key LIMIT %d`, where, maxMatches+1),
			args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var id int64
		for rows.Next() {
			var name, key string
			if err := rows.Scan(&id, &name, &key); err != nil {
				return err
			}
			matches = append(matches, name+"/"+key)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(matches) != 1 {
			return nil
		}
		found, err := queryTrials(ctx, tx, `t.id = ?`, `t.id`, id)
		if err != nil {
			return err
		}
		trial = found[0]
		return nil
	})
	switch {
	case err != nil:
		return TrialRecord{}, fmt.Errorf("results: trial %s: %w", ref, err)
	case len(matches) == 0:
		return TrialRecord{}, fmt.Errorf("results: trial %s: %w", ref, ErrNotFound)
	case len(matches) > maxMatches:
		matches = append(matches[:maxMatches], "…")
		fallthrough
	case len(matches) > 1:
		return TrialRecord{}, fmt.Errorf("results: trial %s: %w: it matches %s", ref, ErrAmbiguous,
			strings.Join(matches, ", "))
	}
	return trial, nil
}

// Curves returns the per-epoch metrics of the given trials of the sweep
// called name, by key. Undefined metrics are NaN. A trial that stopped
// before its first epoch has an empty curve; an unknown key is an error
// wrapping ErrNotFound.
func (db *DB) Curves(ctx context.Context, name string, keys []string) (map[string][]train.Epoch, error) {
	out := make(map[string][]train.Epoch, len(keys))
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		s, err := sweepByName(ctx, tx, name)
		if err != nil {
			return err
		}
		for _, key := range keys {
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM trials t WHERE sweep_id = ? AND key = ? AND `+trained, s.ID, key).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("trial %s: %w", key, ErrNotFound)
			}
			if err != nil {
				return fmt.Errorf("trial %s: %w", key, err)
			}
			curve := []train.Epoch{}
			if err := readCurve(ctx, tx, id, func(e train.Epoch) error {
				curve = append(curve, e)
				return nil
			}); err != nil {
				return fmt.Errorf("trial %s: %w", key, err)
			}
			out[key] = curve
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("results: curves of sweep %s: %w", name, err)
	}
	return out, nil
}
