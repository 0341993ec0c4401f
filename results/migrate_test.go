package results

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

// TestMigrateWideCurves opens testdata/v1.db, written by the schema of
// version 1 (one wide curve row per epoch with a column per metric), and
// checks that the migrated database exports the same curves, byte for
// byte, as that version's code did (testdata/v1_curves.*, written by it
// from the same file), and gives back the same wall times
// (testdata/v1_seconds.txt: each epoch's seconds as float64 bits). The
// fixture holds a curve longer than one of the old insert batches, −0,
// ±Inf, the smallest subnormal, NaN losses and wall times, a failed trial
// without a curve and a 2-D function whose first epoch has no lr.
func TestMigrateWideCurves(t *testing.T) {
	ctx := context.Background()
	src, err := os.ReadFile(filepath.Join("testdata", "v1.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "v1.db")
	if err := os.WriteFile(path, src, 0o666); err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version int
	if err := db.read.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil || version != SchemaVersion {
		t.Fatalf("user_version %d (err %v) after Open, want %d", version, err, SchemaVersion)
	}
	for _, format := range []string{"csv", "json"} {
		t.Run(format, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("testdata", "v1_curves."+format))
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := Export(ctx, db, &got, ExportOptions{Format: format, Curves: true}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("curves exported after migration differ from version 1's export:\n%s", got.Bytes())
			}
		})
	}
	t.Run("seconds", func(t *testing.T) {
		want, err := os.ReadFile(filepath.Join("testdata", "v1_seconds.txt"))
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		for _, sweep := range []string{"classify", "function"} {
			trials, err := db.Trials(ctx, sweep)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, tr := range trials {
				keys = append(keys, tr.Key)
			}
			curves, err := db.Curves(ctx, sweep, keys)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range keys {
				fmt.Fprintf(&got, "%s/%s:", sweep, k)
				for _, e := range curves[k] {
					fmt.Fprintf(&got, " %d=%#x", e.Epoch, math.Float64bits(e.Seconds))
				}
				got.WriteString("\n")
			}
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("wall times after migration:\n%s\nwant\n%s", got.Bytes(), want)
		}
	})
}

// TestCurveBits: stored curves come back with the same bits, including
// −0, ±Inf and subnormals. NaN means undefined, so a metric that is NaN in
// every epoch is not stored and reads back as NaN; train_loss and wall
// time, always stored, keep even a NaN's payload.
func TestCurveBits(t *testing.T) {
	negz := math.Copysign(0, -1)
	payload := math.Float64frombits(0x7ff8dead00000001)
	tests := []struct {
		name  string
		value float64
	}{
		{"negative zero", negz},
		{"zero", 0},
		{"+Inf", math.Inf(1)},
		{"-Inf", math.Inf(-1)},
		{"smallest subnormal", math.SmallestNonzeroFloat64},
		{"largest", math.MaxFloat64},
		{"NaN with payload", payload},
		{"integer", 3},
	}
	ctx := context.Background()
	db := openTest(t)
	s := putSweep(t, db, "bits")
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := testOutcome("bits", float64(i+1), 1, train.Completed, 2)
			for e := range o.Curve {
				for id := range metric.NumPerEpoch {
					o.Curve[e].Values[id] = tt.value
				}
				o.Curve[e].Seconds = tt.value
			}
			record(t, db.Recorder(s.ID, 0), o)
			curves, err := db.Curves(ctx, "bits", []string{o.Key})
			if err != nil {
				t.Fatal(err)
			}
			got := curves[o.Key]
			if len(got) != len(o.Curve) {
				t.Fatalf("%d epochs, want %d", len(got), len(o.Curve))
			}
			for e := range got {
				for id := range metric.NumPerEpoch {
					v := got[e].Values[id]
					if math.IsNaN(tt.value) && id != metric.TrainLoss && math.IsNaN(v) {
						continue
					}
					if g, w := math.Float64bits(v), math.Float64bits(tt.value); g != w {
						t.Errorf("epoch %d %s: bits %#x, want %#x", e, id.Name(), g, w)
					}
				}
				if g, w := math.Float64bits(got[e].Seconds), math.Float64bits(tt.value); g != w {
					t.Errorf("epoch %d seconds: bits %#x, want %#x", e, g, w)
				}
			}
		})
	}
}

// TestCurveEpochsFromZero: a curve must count its epochs from 0 without
// gaps, since a stored row's value i is epoch i.
func TestCurveEpochsFromZero(t *testing.T) {
	db := openTest(t)
	s := putSweep(t, db, "gap")
	o := testOutcome("gap", 0.1, 1, train.Completed, 3)
	o.Curve[2].Epoch = 5
	if err := db.Recorder(s.ID, 0).Record(context.Background(), o); err == nil {
		t.Error("a curve with epochs 0, 1, 5 was stored")
	}
}
