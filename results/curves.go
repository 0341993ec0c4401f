package results

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	"github.com/mattn/go-sqlite3"

	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

// A curve is stored as one row per trial and metric: the metric's name
// (as package engine/metric declares it, or metric.WallTime's) and its
// values for epochs 0, 1, … packed as little-endian float64 (8 bytes per
// epoch, the exact bits: −0 and ±Inf survive, NaN is a value the epoch
// does not define). One row per (trial, epoch, metric) was measured first
// and is about six times too slow for the goal of 10 000 trials × 300
// epochs in under 5 s (BenchmarkWrite10kx300 and
// BenchmarkWrite10kx300LongRows in bench_test.go; SCHEMA.md has the
// numbers).

// driverName is the database/sql driver that Open uses: go-sqlite3 with
// the SQL function that the migration to packed curves calls.
const driverName = "sqlite3_optbench"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		return c.RegisterAggregator("optbench_pack", newPacker, true)
	}})
}

// packer is the SQL aggregate optbench_pack(epoch, value): the values
// packed as a curve row holds them, value i at epoch i, NULL and missing
// epochs as NaN. It does not depend on the order of its input rows.
type packer struct {
	values []float64
}

func newPacker() *packer { return &packer{} }

// Step adds one epoch's value: a float, an integer (a value stored
// without a fraction) or NULL (NaN, which is how a wide curve row stored
// it).
func (p *packer) Step(epoch int64, value any) error {
	if epoch < 0 || epoch > 1<<31 {
		return fmt.Errorf("optbench_pack: epoch %d out of range", epoch)
	}
	for int64(len(p.values)) <= epoch {
		p.values = append(p.values, math.NaN())
	}
	switch v := value.(type) {
	case float64:
		p.values[epoch] = v
	case int64:
		p.values[epoch] = float64(v)
	case []byte: // NULL
		if v != nil {
			return fmt.Errorf("optbench_pack: epoch %d: a blob is not a metric value", epoch)
		}
	default:
		return fmt.Errorf("optbench_pack: epoch %d: %T is not a metric value", epoch, value)
	}
	return nil
}

// Done returns the packed values.
func (p *packer) Done() []byte {
	out := make([]byte, 0, 8*len(p.values))
	for _, v := range p.values {
		out = binary.LittleEndian.AppendUint64(out, math.Float64bits(v))
	}
	return out
}

// unpack returns value i of a packed curve row, NaN beyond its end.
func unpack(packed []byte, i int) float64 {
	if 8*i+8 > len(packed) {
		return math.NaN()
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(packed[8*i:]))
}

// maxCurveRows is the most rows a curve has: the per-epoch metrics, the
// extra ones and wall time.
const maxCurveRows = int(metric.NumPerEpoch) + metric.NumExtra + 1

// insertCurveRows[n] is the INSERT statement for n curve rows.
var insertCurveRows = func() (q [maxCurveRows + 1]string) {
	for n := 1; n <= maxCurveRows; n++ {
		q[n] = `INSERT INTO curves (trial_id, metric, packed) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?,?,?),", n), ",")
	}
	return q
}()

// insertCurve stores curve, whose epochs must count from 0, in one
// statement: a row for each metric that some epoch defines, for
// train_loss (a NaN loss is a diverged epoch, a result) and for wall time.
// Statements not prepared yet are noted in missing (DB.execRows).
func (db *DB) insertCurve(ctx context.Context, tx *sql.Tx, missing map[string]bool, trialID int64, curve []train.Epoch) error {
	if len(curve) == 0 {
		return nil
	}
	for i := range curve {
		if curve[i].Epoch != i {
			return fmt.Errorf("storing curve: epoch %d at position %d; a curve counts epochs from 0", curve[i].Epoch, i)
		}
	}
	n := len(curve)
	buf := make([]byte, 0, 8*n*maxCurveRows)
	args := make([]any, 0, 3*maxCurveRows)
	for id := range metric.NumPerEpoch {
		start := len(buf)
		defined := id == metric.TrainLoss
		for i := range curve {
			v := curve[i].Values[id]
			defined = defined || !math.IsNaN(v)
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
		}
		if !defined {
			buf = buf[:start]
			continue
		}
		args = append(args, trialID, id.Name(), buf[start:len(buf):len(buf)])
	}
	for _, d := range metric.Extras() {
		start := len(buf)
		defined := false
		for i := range curve {
			v := curve[i].ExtraValue(d.Name)
			defined = defined || !math.IsNaN(v)
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
		}
		if !defined {
			buf = buf[:start]
			continue
		}
		args = append(args, trialID, d.Name, buf[start:len(buf):len(buf)])
	}
	start := len(buf)
	for i := range curve {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(curve[i].Seconds))
	}
	args = append(args, trialID, metric.WallTime.Name, buf[start:])
	if err := db.execRows(ctx, tx, missing, insertCurveRows[len(args)/3], args...); err != nil {
		return fmt.Errorf("storing curve: %w", err)
	}
	return nil
}

// readCurve calls f with each epoch of the trial's curve in order.
// Metrics that this binary does not declare are not read.
func readCurve(ctx context.Context, tx *sql.Tx, trialID int64, f func(train.Epoch) error) error {
	rows, err := tx.QueryContext(ctx, `SELECT metric, packed FROM curves WHERE trial_id = ?`, trialID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var values [metric.NumPerEpoch][]byte
	extras := map[string][]byte{}
	var seconds []byte
	n := 0
	for rows.Next() {
		var name string
		var packed []byte
		if err := rows.Scan(&name, &packed); err != nil {
			return err
		}
		if len(packed)%8 != 0 {
			return fmt.Errorf("curve of %s: %d bytes, not a whole number of float64", name, len(packed))
		}
		if name == metric.WallTime.Name {
			seconds = packed
		} else if id, ok := metric.EpochID(name); ok {
			values[id] = packed
		} else if d, ok := metric.Lookup(name); ok && d.Extra {
			extras[name] = packed
		} else {
			continue
		}
		n = max(n, len(packed)/8)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	for i := range n {
		e := train.Epoch{Epoch: i, Seconds: unpack(seconds, i)}
		for id := range e.Values {
			e.Values[id] = unpack(values[id], i)
		}
		for j, d := range metric.Extras() {
			if extras[d.Name] == nil {
				continue
			}
			if e.Extra == nil {
				e.Extra = &metric.ExtraValues{}
				for k := range e.Extra {
					e.Extra[k] = math.NaN()
				}
			}
			e.Extra[j] = unpack(extras[d.Name], i)
		}
		if err := f(e); err != nil {
			return err
		}
	}
	return nil
}
