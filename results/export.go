package results

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

// ExportOptions choose what Export writes. The zero value exports every
// sweep's trials as CSV.
type ExportOptions struct {
	Sweep  string // the sweep to export; "" = every sweep, in name order
	Format string // "csv" or "json"; "" = csv
	Curves bool   // per-epoch curves in long form instead of one row per trial
	// Keep, when set, says whether a stored trial is exported (optbench
	// export leaves out trials the sweep file no longer plans); nil keeps
	// every trial.
	Keep func(sweep, key string) bool
}

// Export writes trials or curves for analysis elsewhere (pandas, R, a
// spreadsheet).
//
// A trial row has the columns sweep, trial (its key), seed, status,
// numerics (the engine.NumericsVersion of the build that trained it, so
// results of different numerics are never mixed unnoticed), experiment,
// optimizer, then one column per parameter (the union over the
// exported trials, sorted by name; empty where a trial lacks it; values as
// engine.FormatValue renders them), then one per final metric (the union,
// sorted). The optimizer parameter is the optimizer column. A parameter
// named like a fixed column is prefixed "param_"; a final metric named
// like an earlier column (lr, most often) is prefixed "final_".
//
// A curve row is sweep, trial, epoch, metric, value: long form, the
// metrics of each epoch in train.Epoch.Metrics order, which is the
// declaration order of package engine/metric (metrics an epoch does not
// define are left out). Wall time is not exported: it is not
// reproducible.
//
// Rows are ordered by sweep name, then key and seed. CSV writes NaN and
// infinities as NaN, +Inf, -Inf; JSON, an array of objects with the same
// fields, writes numbers as numbers, non-finite ones as null, and leaves a
// missing parameter or metric out of its object.
func Export(ctx context.Context, db *DB, w io.Writer, opt ExportOptions) error {
	var enc encoder
	switch opt.Format {
	case "", "csv":
		enc = &csvEncoder{w: csv.NewWriter(w)}
	case "json":
		enc = &jsonEncoder{w: bufio.NewWriter(w)}
	default:
		return fmt.Errorf("results: export: unknown format %q (valid: csv, json)", opt.Format)
	}
	export := exportTrials
	if opt.Curves {
		export = exportCurves
	}
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		where, args := "1", []any(nil)
		if opt.Sweep != "" {
			if _, err := sweepByName(ctx, tx, opt.Sweep); err != nil {
				return fmt.Errorf("sweep %s: %w", opt.Sweep, err)
			}
			where, args = "s.name = ?", []any{opt.Sweep}
		}
		return export(ctx, tx, enc, where, args, opt.Keep)
	})
	if err == nil {
		err = enc.close()
	}
	if err != nil {
		return fmt.Errorf("results: export: %w", err)
	}
	return nil
}

const exportOrder = "s.name, t.key, t.seed"

// fixedColumns start every trial row.
var fixedColumns = []string{"sweep", "trial", "seed", "status", "numerics", "experiment", "optimizer"}

func exportTrials(ctx context.Context, tx *sql.Tx, enc encoder, where string, args []any, keep func(sweep, key string) bool) error {
	trials, err := queryTrials(ctx, tx, where, exportOrder, args...)
	if err != nil {
		return err
	}
	if keep != nil {
		trials = slices.DeleteFunc(trials, func(t TrialRecord) bool { return !keep(t.Sweep, t.Key) })
	}
	paramSet, metricSet := map[string]bool{}, map[string]bool{}
	for _, t := range trials {
		for name := range t.Params {
			paramSet[name] = name != "optimizer"
		}
		for name := range t.Final {
			metricSet[name] = true
		}
	}
	taken := map[string]bool{}
	header := append([]string(nil), fixedColumns...)
	for _, h := range header {
		taken[h] = true
	}
	unique := func(name, prefix string) string {
		for taken[name] {
			name = prefix + name
		}
		taken[name] = true
		return name
	}
	params, metrics := sortedTrue(paramSet), sortedTrue(metricSet)
	for _, p := range params {
		header = append(header, unique(p, "param_"))
	}
	for _, m := range metrics {
		header = append(header, unique(m, "final_"))
	}
	if err := enc.header(header); err != nil {
		return err
	}
	values := make([]any, len(header))
	for _, t := range trials {
		values = append(values[:0], t.Sweep, t.Key, t.Seed, string(t.Status), t.Numerics, t.Experiment, t.Optimizer)
		for _, p := range params {
			v, ok := t.Params[p]
			if !ok {
				v = nil
			}
			values = append(values, v)
		}
		for _, m := range metrics {
			v, ok := t.Final[m]
			if !ok {
				values = append(values, nil)
				continue
			}
			values = append(values, v)
		}
		if err := enc.row(values); err != nil {
			return err
		}
	}
	return nil
}

// sortedTrue returns the names set to true, sorted.
func sortedTrue(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for name, ok := range set {
		if ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func exportCurves(ctx context.Context, tx *sql.Tx, enc encoder, where string, args []any, keep func(sweep, key string) bool) error {
	rows, err := tx.QueryContext(ctx, `SELECT t.id, s.name, t.key
FROM trials t JOIN sweeps s ON s.id = t.sweep_id WHERE `+trained+` AND (`+where+`) ORDER BY `+exportOrder, args...)
	if err != nil {
		return err
	}
	type trial struct {
		id         int64
		sweep, key string
	}
	var trials []trial
	for rows.Next() {
		var t trial
		if err := rows.Scan(&t.id, &t.sweep, &t.key); err != nil {
			rows.Close()
			return err
		}
		if keep != nil && !keep(t.sweep, t.key) {
			continue
		}
		trials = append(trials, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := enc.header([]string{"sweep", "trial", "epoch", "metric", "value"}); err != nil {
		return err
	}
	values := make([]any, 5)
	for _, t := range trials {
		err := readCurve(ctx, tx, t.id, func(e train.Epoch) error {
			for _, m := range e.Metrics() {
				values = append(values[:0], t.sweep, t.key, e.Epoch, m.Name, m.Value)
				if err := enc.row(values); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("trial %s/%s: %w", t.sweep, t.key, err)
		}
	}
	return nil
}

// An encoder writes a table. Row values are nil (missing), string,
// int, uint64, bool, float64 or []float64, in header order.
type encoder interface {
	header(names []string) error
	row(values []any) error
	close() error
}

type csvEncoder struct {
	w      *csv.Writer
	record []string
}

func (e *csvEncoder) header(names []string) error { return e.w.Write(names) }

func (e *csvEncoder) row(values []any) error {
	e.record = e.record[:0]
	for _, v := range values {
		s := ""
		switch v := v.(type) {
		case nil:
		case int:
			s = strconv.Itoa(v)
		case uint64:
			s = strconv.FormatUint(v, 10)
		default:
			s = engine.FormatValue(v)
		}
		e.record = append(e.record, s)
	}
	return e.w.Write(e.record)
}

func (e *csvEncoder) close() error {
	e.w.Flush()
	return e.w.Error()
}

type jsonEncoder struct {
	w       *bufio.Writer
	names   [][]byte          // the header as JSON strings
	strings map[string][]byte // strings already encoded: keys, metric names
	scratch []byte
	rows    int
}

func (e *jsonEncoder) header(names []string) error {
	e.names = make([][]byte, len(names))
	for i, n := range names {
		e.names[i] = appendJSONString(nil, n)
	}
	e.strings = map[string][]byte{}
	return nil
}

func (e *jsonEncoder) row(values []any) error {
	if e.rows == 0 {
		e.w.WriteString("[\n{")
	} else {
		e.w.WriteString(",\n{")
	}
	e.rows++
	first := true
	for i, v := range values {
		if v == nil {
			continue
		}
		if !first {
			e.w.WriteByte(',')
		}
		first = false
		e.w.Write(e.names[i])
		e.w.WriteByte(':')
		b := e.scratch[:0]
		switch v := v.(type) {
		case string:
			b = append(b, e.jsonString(v)...)
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		case uint64:
			b = strconv.AppendUint(b, v, 10)
		case bool:
			b = strconv.AppendBool(b, v)
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				b = append(b, "null"...)
			} else {
				b = strconv.AppendFloat(b, v, 'g', -1, 64)
			}
		default:
			// Lists ("16x16") stay strings, as in CSV: pandas cannot group
			// by a column of lists.
			b = append(b, e.jsonString(engine.FormatValue(v))...)
		}
		e.w.Write(b)
		e.scratch = b
	}
	_, err := e.w.WriteString("}")
	return err
}

// jsonString returns s encoded, remembering it: the same few keys and
// metric names repeat on every row of a curve export.
func (e *jsonEncoder) jsonString(s string) []byte {
	b, ok := e.strings[s]
	if !ok {
		b = appendJSONString(nil, s)
		e.strings[s] = b
	}
	return b
}

func (e *jsonEncoder) close() error {
	if e.rows == 0 {
		e.w.WriteString("[]\n")
	} else {
		e.w.WriteString("\n]\n")
	}
	return e.w.Flush()
}

// appendJSONString appends s as a JSON string, without escaping HTML.
func appendJSONString(dst []byte, s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic("results: encoding a string as JSON: " + err.Error())
	}
	return append(dst, bytes.TrimSuffix(b.Bytes(), []byte("\n"))...)
}
