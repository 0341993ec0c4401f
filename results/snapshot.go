package results

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"slices"
	"strings"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

// Snapshot is what a comparison needs of one sweep's results, loaded from
// a database (DB.Snapshot) or from a baseline file (ReadBaseline): the
// same shape from either, so that a comparison does not care where its
// sides came from.
type Snapshot struct {
	// Source says where the snapshot came from, for messages:
	// "DB PATH, sweep NAME" or "baseline FILE". A baseline file does not
	// store it.
	Source     string
	Sweep      string // the sweep's name
	Experiment string
	Metric     string // the metric the sweep ranks by, e.g. val_accuracy
	Goal       string // "minimize" or "maximize"
	File       string // path of the sweep file as given
	FileSHA256 string // SHA-256 of the sweep file, hex (SweepRecord.Hash)
	// Numerics are the distinct numerics versions of the trials, sorted.
	Numerics []string
	// Provenance holds one entry per distinct build and machine among the
	// runs that trained the trials, oldest run first. Only Version,
	// Revision, Dirty, GoVersion, GOOS, GOARCH, GOAMD64, CPU and Host are
	// kept; the fields that describe one run (RunID, Command, Workers,
	// Shard, Started, Finished) are zero.
	Provenance []Provenance
	// Trials are the sweep's results, planned trials left out, sorted by
	// ConfigKey, then Seed, then Key.
	Trials []SnapshotTrial
}

// SnapshotTrial is one trial of a Snapshot.
type SnapshotTrial struct {
	Key       string // the trial key (engine.Trial.Key)
	ConfigKey string // the configuration's key without the seed (engine.Trial.ConfigKey): what seeds share
	Seed      uint64
	Status    train.Status // never Planned
	Optimizer string
	Params    engine.Params      // every resolved parameter, as engine.ParseTrial reads the stored configuration
	Final     map[string]float64 // final metrics by name; NaN where undefined
	Numerics  string             // the engine.NumericsVersion that trained it
	Epochs    int                // epochs in its curve
	Digest    string             // CurveDigest of its curve
}

// snapshotEnv returns the fields of p that a Snapshot keeps.
func snapshotEnv(p Provenance) Provenance {
	return Provenance{Version: p.Version, Revision: p.Revision, Dirty: p.Dirty, GoVersion: p.GoVersion,
		GOOS: p.GOOS, GOARCH: p.GOARCH, GOAMD64: p.GOAMD64, CPU: p.CPU, Host: p.Host}
}

// sortSnapshotTrials puts trials in Snapshot order.
func sortSnapshotTrials(trials []SnapshotTrial) {
	slices.SortFunc(trials, func(a, b SnapshotTrial) int {
		return cmp.Or(strings.Compare(a.ConfigKey, b.ConfigKey), cmp.Compare(a.Seed, b.Seed),
			strings.Compare(a.Key, b.Key))
	})
}

// snapshotNumerics returns the distinct numerics versions of trials,
// sorted.
func snapshotNumerics(trials []SnapshotTrial) []string {
	out := []string{}
	for _, t := range trials {
		out = append(out, t.Numerics)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// curveBatch is how many trials' curves Snapshot reads per query: about
// 256 × 7 rows of 2.4 kB for 300-epoch curves, a few MB held at once.
const curveBatch = 256

// Snapshot returns the results of the sweep called name, read in one
// transaction. Every curve is read, to digest it, in batches of trials;
// 10 000 trials of 300 epochs take about a second
// (BenchmarkSnapshot10k). An unknown sweep is an error wrapping
// ErrNotFound.
func (db *DB) Snapshot(ctx context.Context, name string) (*Snapshot, error) {
	var snap *Snapshot
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		s, err := sweepByName(ctx, tx, name)
		if err != nil {
			return err
		}
		snap = &Snapshot{Source: fmt.Sprintf("DB %s, sweep %s", db.path, name), Sweep: s.Name,
			Experiment: s.Experiment, Metric: s.Metric, Goal: s.Goal, File: s.File, FileSHA256: s.Hash}
		records, err := queryTrials(ctx, tx, `t.sweep_id = ?`, `t.id`, s.ID)
		if err != nil {
			return err
		}
		ids := make([]int64, len(records))
		snap.Trials = make([]SnapshotTrial, len(records))
		usedRuns := map[int64]bool{}
		for i, r := range records {
			trial, err := engine.ParseTrial(r.Config)
			if err != nil {
				return fmt.Errorf("trial %s: %w", r.Key, err)
			}
			snap.Trials[i] = SnapshotTrial{Key: r.Key, ConfigKey: trial.ConfigKey(), Seed: r.Seed, Status: r.Status,
				Optimizer: r.Optimizer, Params: r.Params, Final: r.Final, Numerics: r.Numerics}
			usedRuns[r.RunID] = true
		}
		if err := trialIDs(ctx, tx, s.ID, snap.Trials, ids); err != nil {
			return err
		}
		if err := digestCurves(ctx, tx, ids, snap.Trials); err != nil {
			return err
		}
		if snap.Provenance, err = snapshotProvenance(ctx, tx, s.ID, usedRuns); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("results: snapshot of sweep %s: %w", name, err)
	}
	sortSnapshotTrials(snap.Trials)
	snap.Numerics = snapshotNumerics(snap.Trials)
	return snap, nil
}

// trialIDs sets ids[i] to the row id of the sweep's trained trial
// trials[i].
func trialIDs(ctx context.Context, tx *sql.Tx, sweepID int64, trials []SnapshotTrial, ids []int64) error {
	index := make(map[string]int, len(trials))
	for i, t := range trials {
		index[t.Key] = i
	}
	rows, err := tx.QueryContext(ctx, `SELECT t.id, t.key FROM trials t WHERE t.sweep_id = ? AND `+trained, sweepID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return err
		}
		if i, ok := index[key]; ok {
			ids[i] = id
		}
	}
	return rows.Err()
}

// digestCurves sets Digest and Epochs of trials[i], whose row id is
// ids[i], reading curves curveBatch trials at a time.
func digestCurves(ctx context.Context, tx *sql.Tx, ids []int64, trials []SnapshotTrial) error {
	d := newCurveDigester()
	type columns struct {
		values [metric.NumPerEpoch][]byte
		n      int
	}
	batch := make(map[int64]*columns, curveBatch)
	args := make([]any, 0, curveBatch)
	for start := 0; start < len(ids); start += curveBatch {
		end := min(start+curveBatch, len(ids))
		clear(batch)
		args = args[:0]
		for _, id := range ids[start:end] {
			batch[id] = &columns{}
			args = append(args, id)
		}
		rows, err := tx.QueryContext(ctx, `SELECT trial_id, metric, packed FROM curves
WHERE metric <> '`+metric.WallTime.Name+`' AND trial_id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")+`)`,
			args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var name string
			var packed []byte
			if err := rows.Scan(&id, &name, &packed); err != nil {
				rows.Close()
				return err
			}
			c := batch[id]
			metricID, ok := metric.EpochID(name)
			if c == nil || !ok {
				continue // a metric this binary does not declare, as readCurve
			}
			if len(packed)%8 != 0 {
				rows.Close()
				return fmt.Errorf("curve of %s: %d bytes, not a whole number of float64", name, len(packed))
			}
			c.values[metricID] = packed
			c.n = max(c.n, len(packed)/8)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := start; i < end; i++ {
			c := batch[ids[i]]
			trials[i].Epochs = c.n
			trials[i].Digest = d.digest(c.n, &c.values)
		}
	}
	return nil
}

// snapshotProvenance returns the distinct environments of the runs of the
// sweep that used holds, oldest run first.
func snapshotProvenance(ctx context.Context, tx *sql.Tx, sweepID int64, used map[int64]bool) ([]Provenance, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, version, revision, dirty, go_version, goos, goarch, goamd64, cpu, host
FROM runs WHERE sweep_id = ? ORDER BY started, id`, sweepID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Provenance{}
	for rows.Next() {
		var p Provenance
		if err := rows.Scan(&p.RunID, &p.Version, &p.Revision, &p.Dirty, &p.GoVersion, &p.GOOS, &p.GOARCH,
			&p.GOAMD64, &p.CPU, &p.Host); err != nil {
			return nil, err
		}
		if !used[p.RunID] {
			continue
		}
		if p = snapshotEnv(p); !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, rows.Err()
}

// Curve returns the per-epoch metrics of the trial of the sweep called
// name whose key is key: two indexed lookups, for a comparison that looks
// for the first epoch where two trials' digests part. Undefined metrics
// are NaN; an unknown key is an error wrapping ErrNotFound.
func (db *DB) Curve(ctx context.Context, name, key string) ([]train.Epoch, error) {
	curves, err := db.Curves(ctx, name, []string{key})
	if err != nil {
		return nil, err
	}
	return curves[key], nil
}

// canonicalNaN is the bits a curve digest hashes for every NaN: those of
// math.NaN().
var canonicalNaN = math.Float64bits(math.NaN())

// CurveDigest returns the SHA-256, in hex, of a curve's reproducible
// values: everything that a rerun of the trial on any machine should
// reproduce bit for bit, and nothing else. It hashes
//
//	uint64(len(curve))
//	for each per-epoch metric id in metric.ID order
//	        that at least one epoch defines (not NaN):
//	    id.Name(), a 0 byte
//	    for each epoch e in curve order:
//	        math.Float64bits(e.Values[id])
//
// with integers as 8 little-endian bytes. Wall time (Seconds) and the
// Epoch field are not hashed. −0 and +0 differ, as do ±Inf, but every NaN
// is hashed as math.NaN()'s bits: a NaN's sign and payload vary between
// CPUs and are not kept by storage. A metric that no epoch defines
// leaves no trace, so declaring a new metric does not change the digests
// of curves that do not record it. An empty curve has a digest too.
func CurveDigest(curve []train.Epoch) string {
	var columns [metric.NumPerEpoch][]byte
	for id := range columns {
		col := make([]byte, 0, 8*len(curve))
		for i := range curve {
			col = binary.LittleEndian.AppendUint64(col, math.Float64bits(curve[i].Values[id]))
		}
		columns[id] = col
	}
	return newCurveDigester().digest(len(curve), &columns)
}

// curveDigester computes curve digests from packed columns (as the
// curves table stores them), reusing its hash and buffer.
type curveDigester struct {
	h   hash.Hash
	buf []byte
	sum []byte
}

func newCurveDigester() *curveDigester { return &curveDigester{h: sha256.New()} }

// digest returns the CurveDigest of an n-epoch curve whose metric id has
// the packed values columns[id]; values past a column's end are NaN.
func (d *curveDigester) digest(n int, columns *[metric.NumPerEpoch][]byte) string {
	d.h.Reset()
	d.buf = binary.LittleEndian.AppendUint64(d.buf[:0], uint64(n))
	d.h.Write(d.buf)
	for id := range metric.NumPerEpoch {
		col := columns[id]
		d.buf = append(d.buf[:0], id.Name()...)
		d.buf = append(d.buf, 0)
		defined := false
		for i := range n {
			bits := canonicalNaN
			if 8*i+8 <= len(col) {
				bits = binary.LittleEndian.Uint64(col[8*i:])
			}
			if math.IsNaN(math.Float64frombits(bits)) {
				bits = canonicalNaN
			} else {
				defined = true
			}
			d.buf = binary.LittleEndian.AppendUint64(d.buf, bits)
		}
		if defined {
			d.h.Write(d.buf)
		}
	}
	d.sum = d.h.Sum(d.sum[:0])
	return hex.EncodeToString(d.sum)
}
