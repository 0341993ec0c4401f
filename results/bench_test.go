package results

import (
	"context"
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

// benchOutcomes returns n outcomes of distinct trials with curves of the
// given length defining four metrics (train and validation loss and
// accuracy) and wall time, as a network trial without lr or gradient
// tracking would.
func benchOutcomes(n, epochs int) []engine.Outcome {
	nan := math.NaN()
	out := make([]engine.Outcome, n)
	for i := range out {
		trial := engine.Trial{Experiment: "trig", Seed: uint64(i % 5), Budget: engine.Budget{Epochs: epochs},
			Params: engine.Params{"optimizer": "adam", "lr": 1e-4 * float64(1+i/5), "hidden": []float64{16, 16}}}
		curve := make([]train.Epoch, epochs)
		for e := range curve {
			f := float64(e + 1)
			curve[e] = train.Epoch{Epoch: e, Values: metric.Values{metric.TrainLoss: 1 / f, metric.TrainAccuracy: 1 - 1/(f+1), metric.ValLoss: 1.1 / f, metric.ValAccuracy: 1 - 1.1/(f+1), metric.LR: nan, metric.GradNorm: nan, metric.X: nan, metric.Y: nan}, Seconds: 0.01 * f}
		}
		last := curve[epochs-1]
		start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		out[i] = engine.Outcome{Trial: trial, Key: trial.Key(), Status: train.Completed, Curve: curve,
			Start: start, End: start.Add(time.Minute),
			Result: train.Result{Status: train.Completed, Epochs: epochs, Steps: 10 * epochs, Last: last,
				Final: append(last.Metrics(), train.Metric{Name: "train_eval_loss", Value: 0.01})}}
	}
	return out
}

// BenchmarkWriteCurves records a sweep of 1000 trials of 1000 epochs: one
// op is the whole sweep, the writer's time (opening the database is not
// counted). The goal is under 5 s.
//
//	go test -bench WriteCurves -benchtime 1x ./results/
func BenchmarkWriteCurves(b *testing.B) {
	const trials, epochs = 1000, 1000
	outcomes := benchOutcomes(trials, epochs)
	ctx := context.Background()
	b.ReportAllocs()
	var size int64
	for range b.N {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "bench.db")
		db, r := benchSweep(b, path)
		b.StartTimer()
		for _, o := range outcomes {
			if err := r.Record(ctx, o); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		if fi, err := os.Stat(path); err == nil {
			size = fi.Size()
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/trials/1e6, "ms/trial")
	b.ReportMetric(float64(b.N*trials*epochs)/b.Elapsed().Seconds(), "epochs/s")
	b.ReportMetric(float64(size)/1e6, "MB-on-disk")
}

// BenchmarkCurves loads the curves of three 1000-epoch trials from a
// sweep of 200, as a report comparing the best configurations does.
func BenchmarkCurves(b *testing.B) {
	const trials, epochs = 200, 1000
	outcomes := benchOutcomes(trials, epochs)
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s, err := db.PutSweep(ctx, SweepRecord{Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	r := db.Recorder(s.ID, 0)
	for _, o := range outcomes {
		if err := r.Record(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
	keys := []string{outcomes[7].Key, outcomes[70].Key, outcomes[170].Key}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		curves, err := db.Curves(ctx, "bench", keys)
		if err != nil {
			b.Fatal(err)
		}
		if len(curves[keys[0]]) != epochs {
			b.Fatalf("got %d epochs, want %d", len(curves[keys[0]]), epochs)
		}
	}
}

// benchSweep opens the database at path with an empty sweep "bench" and
// returns it with a recorder for that sweep.
func benchSweep(b *testing.B, path string) (*DB, *Recorder) {
	b.Helper()
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	s, err := db.PutSweep(ctx, SweepRecord{Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	return db, db.Recorder(s.ID, 0)
}

// recordClassifiers records trials classifier trials (classifierOutcome)
// of epochs epochs with r.
func recordClassifiers(b *testing.B, r *Recorder, trials, epochs int) {
	b.Helper()
	curve := make([]train.Epoch, epochs)
	for i := range trials {
		if err := r.Record(context.Background(), classifierOutcome(i, curve)); err != nil {
			b.Fatal(err)
		}
	}
}

// classifierOutcome returns trial i of a sweep of classifiers as the
// trainer records it: train_loss, train_accuracy, val_loss, val_accuracy,
// lr and grad_norm every epoch, plus wall time. curve is reused.
func classifierOutcome(i int, curve []train.Epoch) engine.Outcome {
	trial := engine.Trial{Experiment: "moons-mlp", Seed: uint64(i % 5), Budget: engine.Budget{Epochs: len(curve)},
		Params: engine.Params{"optimizer": "adam", "lr": 1e-4 * float64(1+i/5), "hidden": []float64{16, 16}}}
	for e := range curve {
		f := float64(e+1) + float64(i)*1e-3
		curve[e] = train.Epoch{Epoch: e, Values: metric.Undefined(), Seconds: 0.01 * f}
		curve[e].Values[metric.TrainLoss] = 1 / f
		curve[e].Values[metric.TrainAccuracy] = 1 - 1/(f+1)
		curve[e].Values[metric.ValLoss] = 1.1 / f
		curve[e].Values[metric.ValAccuracy] = 1 - 1.1/(f+1)
		curve[e].Values[metric.LR] = 1e-3 / math.Sqrt(f)
		curve[e].Values[metric.GradNorm] = 2 / f
	}
	last := curve[len(curve)-1]
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return engine.Outcome{Trial: trial, Key: trial.Key(), Status: train.Completed, Curve: curve,
		Start: start, End: start.Add(time.Minute),
		Result: train.Result{Status: train.Completed, Epochs: len(curve), Steps: 10 * len(curve), Last: last,
			Final: append(last.Metrics(), train.Metric{Name: "train_eval_loss", Value: 0.01})}}
}

// benchWrite10kx300 records 10 000 classifier trials of 300 epochs with
// store, which stores one outcome, and reports the time and the file's
// size. Curves are built as they are recorded, as the executor streams
// them, so that the benchmark does not hold 3 million epochs.
func benchWrite10kx300(b *testing.B, store func(ctx context.Context, r *Recorder, o engine.Outcome) error) {
	const trials, epochs = 10000, 300
	ctx := context.Background()
	curve := make([]train.Epoch, epochs)
	b.ReportAllocs()
	var size int64
	for range b.N {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "bench.db")
		db, r := benchSweep(b, path)
		b.StartTimer()
		for i := range trials {
			if err := store(ctx, r, classifierOutcome(i, curve)); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		if fi, err := os.Stat(path); err == nil {
			size = fi.Size()
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e9, "s/sweep")
	b.ReportMetric(float64(size)/1e6, "MB-on-disk")
}

// BenchmarkWrite10kx300 is the acceptance benchmark of the curve storage:
// 10 000 trials × 300 epochs of a classifier's six metrics and wall time
// in under 5 s. One op is the whole sweep.
//
//	go test -run '^$' -bench Write10kx300 -benchtime 1x ./results/
func BenchmarkWrite10kx300(b *testing.B) {
	benchWrite10kx300(b, func(ctx context.Context, r *Recorder, o engine.Outcome) error { return r.Record(ctx, o) })
}

// BenchmarkWrite10kx300LongRows measures the alternative that the schema
// rejected: one WITHOUT ROWID row per (trial, metric, epoch) keyed by a
// small metric id, written in batched multi-row INSERTs through a
// prepared statement in the trial's transaction. It is kept to show why
// curves are packed (see curves.go).
func BenchmarkWrite10kx300LongRows(b *testing.B) {
	const batch = 128 // rows per INSERT: 512 bound variables
	insert := func(n int) string {
		return `INSERT INTO curve_points (trial_id, metric_id, epoch, value) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?,?,?,?),", n), ",")
	}
	full := insert(batch)
	created := map[*DB]bool{}
	benchWrite10kx300(b, func(ctx context.Context, r *Recorder, o engine.Outcome) error {
		if !created[r.db] {
			created[r.db] = true
			if err := r.db.inWrite(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `CREATE TABLE curve_points (
	trial_id  INTEGER NOT NULL,
	metric_id INTEGER NOT NULL,
	epoch     INTEGER NOT NULL,
	value,
	PRIMARY KEY (trial_id, metric_id, epoch)
) WITHOUT ROWID`)
				return err
			}); err != nil {
				return err
			}
		}
		curve := o.Curve
		o.Curve = nil
		return r.db.inWrite(ctx, func(tx *sql.Tx) error {
			if _, err := r.record(ctx, tx, map[string]bool{}, &o); err != nil {
				return err
			}
			var trialID int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM trials WHERE sweep_id = ? AND key = ?`,
				r.sweepID, o.Key).Scan(&trialID); err != nil {
				return err
			}
			stmt, err := tx.PrepareContext(ctx, full)
			if err != nil {
				return err
			}
			defer stmt.Close()
			args := make([]any, 0, 4*batch)
			flush := func(stmt *sql.Stmt) error {
				var err error
				if stmt != nil {
					_, err = stmt.ExecContext(ctx, args...)
				} else if len(args) > 0 {
					_, err = tx.ExecContext(ctx, insert(len(args)/4), args...)
				}
				args = args[:0]
				return err
			}
			for id := range metric.NumPerEpoch + 1 {
				for e := range curve {
					v := curve[e].Seconds
					if id < metric.NumPerEpoch {
						v = curve[e].Values[id]
					}
					if math.IsNaN(v) {
						continue
					}
					args = append(args, trialID, int(id), e, v)
					if len(args) == 4*batch {
						if err := flush(stmt); err != nil {
							return err
						}
					}
				}
			}
			return flush(nil)
		})
	})
}
