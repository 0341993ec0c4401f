package results

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// exportFixture stores two sweeps whose trials have different parameters,
// a failed trial without metrics, undefined and infinite values, a list
// parameter and a string that CSV must quote.
func exportFixture(t *testing.T) *DB {
	db := openTest(t)
	nan, inf := math.NaN(), math.Inf(1)
	outcome := func(params engine.Params, seed uint64, status train.Status, curve []train.Epoch, final ...train.Metric) engine.Outcome {
		trial := engine.Trial{Experiment: "trig", Params: params, Seed: seed, Budget: engine.Budget{Epochs: 2}}
		return engine.Outcome{Trial: trial, Key: trial.Key(), Status: status, Curve: curve,
			Result: train.Result{Epochs: len(curve), Final: final}}
	}
	epoch := func(i int, loss, acc, lr float64) train.Epoch {
		return train.Epoch{Epoch: i, Values: metric.Values{metric.TrainLoss: loss, metric.TrainAccuracy: acc, metric.ValLoss: nan, metric.ValAccuracy: nan, metric.LR: lr, metric.GradNorm: 0.5, metric.X: nan, metric.Y: nan}, Seconds: 123.456}
	}
	adam := putSweep(t, db, "adam-lr")
	record(t, db.Recorder(adam.ID, 0),
		outcome(engine.Params{"optimizer": "adam", "lr": 0.001, "hidden": []float64{5, 2}, "beta1": 0.9}, 1,
			train.Completed,
			[]train.Epoch{epoch(0, 0.7, 0.5, 0.001), epoch(1, 0.25, 0.875, 0.001)},
			train.Metric{Name: "train_loss", Value: 0.25}, train.Metric{Name: "lr", Value: 0.001},
			train.Metric{Name: "val_accuracy", Value: 1.0 / 3}),
		outcome(engine.Params{"optimizer": "adam", "lr": 10.0, "hidden": []float64{5, 2}, "beta1": 0.9}, 1,
			train.Diverged,
			[]train.Epoch{epoch(0, inf, nan, 10)},
			train.Metric{Name: "train_loss", Value: inf}, train.Metric{Name: "lr", Value: 10},
			train.Metric{Name: "val_accuracy", Value: nan}),
		outcome(engine.Params{"optimizer": "adam", "lr": 0.1, "hidden": []float64{5, 2}, "note": `a "quoted", comma`}, 2,
			train.Failed, nil))
	gd := putSweep(t, db, "gd-momentum")
	record(t, db.Recorder(gd.ID, 0),
		outcome(engine.Params{"optimizer": "momentum", "lr": 0.01, "beta": 0.9, "batch_norm": true}, 3,
			train.Completed,
			[]train.Epoch{{Epoch: 0, Values: metric.Values{metric.TrainLoss: 2, metric.TrainAccuracy: nan, metric.ValLoss: nan, metric.ValAccuracy: nan, metric.LR: nan, metric.GradNorm: nan, metric.X: -1.5, metric.Y: 2e-10}, Seconds: 1}},
			train.Metric{Name: "train_loss", Value: 2}, train.Metric{Name: "distance_to_minimum", Value: 1e21}))
	return db
}

func TestExport(t *testing.T) {
	ctx := context.Background()
	full, empty := exportFixture(t), openTest(t)
	for _, tc := range []struct {
		golden string
		db     *DB
		opt    ExportOptions
	}{
		{"export.csv", full, ExportOptions{}},
		{"export.json", full, ExportOptions{Format: "json"}},
		{"export_sweep.csv", full, ExportOptions{Sweep: "gd-momentum", Format: "csv"}},
		{"export_curves.csv", full, ExportOptions{Curves: true}},
		{"export_curves.json", full, ExportOptions{Curves: true, Format: "json"}},
		{"empty.csv", empty, ExportOptions{}},
		{"empty.json", empty, ExportOptions{Format: "json"}},
		{"empty_curves.csv", empty, ExportOptions{Curves: true}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Export(ctx, tc.db, &buf, tc.opt); err != nil {
				t.Fatal(err)
			}
			if tc.opt.Format == "json" && !json.Valid(buf.Bytes()) {
				t.Errorf("invalid JSON:\n%s", buf.Bytes())
			}
			path := filepath.Join("testdata", tc.golden)
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o666); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("Export(%+v) =\n%s\nwant (%s)\n%s", tc.opt, buf.Bytes(), path, want)
			}
		})
	}
}

func TestExportErrors(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	var buf bytes.Buffer
	if err := Export(ctx, db, &buf, ExportOptions{Sweep: "missing"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown sweep: %v, want ErrNotFound", err)
	}
	if err := Export(ctx, db, &buf, ExportOptions{Format: "xml"}); err == nil {
		t.Error("unknown format: no error")
	}
}
