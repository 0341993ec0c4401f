package experiments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/train"
)

// Small datasets for the csv experiment, made by formula so that they need
// no files in testdata and no random numbers.
var (
	// twoClasses: two named classes on either side of the line x = y.
	twoClasses = table("x,y,class", 80, func(i int) string {
		x, y := wobble(i, 3), wobble(i, 7)
		class := "no"
		if x > y {
			class = "yes"
		}
		return fmt.Sprintf("%.3f,%.3f,%s", x, y, class)
	})
	// threeClasses: three clusters labelled 1, 2 and 10 (sorted
	// numerically, so 10 is the last class).
	threeClasses = table("a,b,label", 90, func(i int) string {
		class := []int{1, 2, 10}[i%3]
		return fmt.Sprintf("%.3f,%.3f,%d", float64(i%3)*2+wobble(i, 5)/2, float64(i%3)-wobble(i, 11)/2, class)
	})
	// linear: target = 2a − b + 1, with the target first, so that label
	// must name it.
	linear = table("target,a,b", 60, func(i int) string {
		a, b := wobble(i, 3), wobble(i, 13)
		return fmt.Sprintf("%.4f,%.3f,%.3f", 2*a-b+1, a, b)
	})
)

// wobble is a deterministic value in [−1, 1) that varies with i.
func wobble(i, k int) float64 { return float64((i*k+i/7)%20)/10 - 1 }

func table(header string, rows int, row func(int) string) string {
	var b strings.Builder
	b.WriteString(header + "\n")
	for i := range rows {
		b.WriteString(row(i) + "\n")
	}
	return b.String()
}

// writeCSV writes content to data.csv in a fresh directory and returns
// its path.
func writeCSV(t *testing.T, content string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "data.csv")
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func mustLookup(t *testing.T, name string) *Experiment {
	t.Helper()
	x, err := Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestCSVLossFollowsData(t *testing.T) {
	x := mustLookup(t, "csv")
	for _, tt := range []struct {
		name    string
		content string
		params  engine.Params
		loss    nn.Loss
		outputs int
	}{
		{"two-classes", twoClasses, nil, nn.BinaryCrossEntropy, 1},
		{"three-classes", threeClasses, nil, nn.SoftmaxCrossEntropy, 3},
		{"regression", linear, engine.Params{"task": Regression, "label": "target"}, nn.MeanSquaredError, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			given := engine.Params{"data_file": writeCSV(t, tt.content)}
			for k, v := range tt.params {
				given[k] = v
			}
			p, err := x.Resolve(given)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := x.Trainer(p, 1, x.Budget)
			if err != nil {
				t.Fatal(err)
			}
			if got := tr.Net.(*nn.Network).Config().Loss; got != tt.loss || tr.Net.Outputs() != tt.outputs {
				t.Errorf("loss %s with %d outputs, want %s with %d", got, tr.Net.Outputs(), tt.loss, tt.outputs)
			}
			rows := strings.Count(tt.content, "\n") - 1 // less the header
			if tr.Net.Inputs() != 2 || tr.Train.M+tr.Val.M != rows || tr.Val.M != rows/5 {
				t.Errorf("%d inputs, %d+%d examples; want 2 inputs, %d examples, a fifth for validation",
					tr.Net.Inputs(), tr.Train.M, tr.Val.M, rows)
			}
			var curve []train.Epoch
			res, err := Run(context.Background(), engine.Trial{Experiment: "csv", Params: p, Seed: 1,
				Budget: engine.Budget{Epochs: 30}}, train.Watch(func(e train.Epoch) { curve = append(curve, e) }))
			if err != nil {
				t.Fatal(err)
			}
			if first, last := curve[0].Values[metric.ValLoss], curve[len(curve)-1].Values[metric.ValLoss]; !(last < first) {
				t.Errorf("val_loss went from %v to %v: nothing was learned", first, last)
			}
			if classify := tt.loss != nn.MeanSquaredError; math.IsNaN(res.Last.Values[metric.ValAccuracy]) == classify {
				t.Errorf("val_accuracy %v; want a value exactly when the task is classification", res.Last.Values[metric.ValAccuracy])
			}
		})
	}
}

func TestCSVResolve(t *testing.T) {
	x := mustLookup(t, "csv")
	file := writeCSV(t, twoClasses)
	p, err := x.Resolve(engine.Params{"data_file": file})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(twoClasses))
	if p["data_sha256"] != hex.EncodeToString(sum[:]) {
		t.Errorf("data_sha256 = %v, want the SHA-256 of the file's content", p["data_sha256"])
	}
	if x.Metric != "val_loss" || x.Goal != Minimize || x.Budget.Epochs != 100 {
		t.Errorf("metric %s (%s), budget %+v", x.Metric, x.Goal, x.Budget)
	}
	for name, want := range map[string]any{"task": Classification, "label": "", "val_fraction": 0.2, "data_seed": 0.0,
		"optimizer": "adam", "lr": 0.01, "batch_size": 32.0} {
		if engine.FormatValue(p[name]) != engine.FormatValue(want) {
			t.Errorf("default %s = %v, want %v", name, p[name], want)
		}
	}
	if engine.FormatValue(p["hidden"]) != "16" {
		t.Errorf("default hidden = %v, want [16]", p["hidden"])
	}

	// The key follows the content: a rerun after the file changes plans
	// new trials rather than reusing stale results.
	key := engine.Trial{Experiment: "csv", Params: p}.Key()
	if err := os.WriteFile(file, []byte(twoClasses+"0.5,0.1,yes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	q, err := x.Resolve(engine.Params{"data_file": file})
	if err != nil {
		t.Fatal(err)
	}
	if q["data_sha256"] == p["data_sha256"] || (engine.Trial{Experiment: "csv", Params: q}).Key() == key {
		t.Errorf("changing the file's content kept data_sha256 %v and key %s", q["data_sha256"], key)
	}
	// A given data_sha256 is kept as it is (Run resolves stored trials).
	if r, err := x.Resolve(p); err != nil || r["data_sha256"] != p["data_sha256"] {
		t.Errorf("Resolve of resolved parameters: data_sha256 %v, %v", r["data_sha256"], err)
	}

	for _, tt := range []struct {
		params engine.Params
		param  string // of the *ParamError; "" for none
		want   string
	}{
		{engine.Params{}, "", "experiment csv needs data_file"},
		{engine.Params{"data_file": ""}, "", "data_file: empty; it has no default and must be given"},
		{engine.Params{"data_file": 3.0}, "", "data_file: want text, got the number 3"},
		{engine.Params{"data_file": filepath.Join(t.TempDir(), "nope.csv")}, "data_file", "no such file: "},
		{engine.Params{"data_file": t.TempDir()}, "data_file", "is a directory, not a CSV file"},
		{engine.Params{"data_file": os.DevNull}, "data_file", "is a device, not a CSV file"},
		{engine.Params{"data_file": file, "data_sha256": "abc"}, "data_sha256", "want the 64 lowercase hexadecimal digits"},
		{engine.Params{"data_file": file, "task": "ranking"}, "", `task: unknown value "ranking" (valid: classification, regression)`},
	} {
		_, err := x.Resolve(tt.params)
		var pe *ParamError
		if err == nil || !strings.Contains(err.Error(), tt.want) || errors.As(err, &pe) != (tt.param != "") ||
			(pe != nil && pe.Param != tt.param) {
			t.Errorf("Resolve(%v) = %v, want %q from parameter %q", tt.params, err, tt.want, tt.param)
		}
	}
}

// TestCSVStaleHash: a stored trial whose file changed since it was
// planned fails instead of training on other data under the old key.
func TestCSVStaleHash(t *testing.T) {
	x := mustLookup(t, "csv")
	file := writeCSV(t, threeClasses)
	p, err := x.Resolve(engine.Params{"data_file": file})
	if err != nil {
		t.Fatal(err)
	}
	trial := engine.Trial{Experiment: "csv", Params: p, Seed: 0, Budget: engine.Budget{Epochs: 2}}
	if _, err := Run(context.Background(), trial, nil); err != nil {
		t.Fatalf("before the change: %v", err)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(threeClasses, ",10\n", ",2\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), trial, nil)
	want := fmt.Sprintf("data file %s changed since the trial was planned", file)
	var pe *ParamError
	if err == nil || !strings.Contains(err.Error(), want) || !errors.As(err, &pe) || pe.Param != "data_sha256" {
		t.Errorf("Run after the file changed: %v, want %q", err, want)
	}
}

// TestCSVDataErrors: problems that only the data shows come back as
// ParamErrors naming the parameter to fix.
func TestCSVDataErrors(t *testing.T) {
	x := mustLookup(t, "csv")
	for _, tt := range []struct {
		name    string
		content string
		params  engine.Params
		param   string
		want    string
	}{
		{"bad-cell", "a,b,c\n1,2,x\n3,oops,y\n", nil, "data_file", `data.csv:3:3: column "b": "oops" is not a finite number`},
		{"no-label-column", twoClasses, engine.Params{"label": "klass"}, "label", `data.csv:1: no column named "klass" (columns: "x", "y", "class")`},
		{"one-class", "a,b\n1,x\n2,x\n3,x\n4,x\n5,x\n", nil, "label", `the last column of`},
		{"real-labels", "a,b\n1,0.5\n2,1.5\n3,2\n4,2.5\n5,3\n", nil, "task", "holds numbers such as 0.5, not classes; for a real-valued target use task: regression"},
		{"names-as-target", twoClasses, engine.Params{"task": Regression}, "data_file", `column "class": "no" is not a finite number`},
		{"no-validation", "a,b\n1,x\n2,y\n", nil, "val_fraction", "0.2 of 2 examples leaves no validation examples"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			given := engine.Params{"data_file": writeCSV(t, tt.content)}
			for k, v := range tt.params {
				given[k] = v
			}
			p, err := x.Resolve(given)
			if err != nil {
				t.Fatal(err)
			}
			_, err = x.TrainSize(p)
			var pe *ParamError
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.As(err, &pe) || pe.Param != tt.param {
				t.Errorf("TrainSize: %v, want %q from parameter %s", err, tt.want, tt.param)
			}
		})
	}
}

// TestCSVRunsAreDeterministic: the same trial twice gives bit-identical
// curves, and val_fraction 0 trains on every row.
func TestCSVRunsAreDeterministic(t *testing.T) {
	x := mustLookup(t, "csv")
	p, err := x.Resolve(engine.Params{"data_file": writeCSV(t, twoClasses), "optimizer": "momentum"})
	if err != nil {
		t.Fatal(err)
	}
	run := func() []float64 {
		var losses []float64
		_, err := Run(context.Background(), engine.Trial{Experiment: "csv", Params: p, Seed: 4, Budget: engine.Budget{Epochs: 5}},
			train.Watch(func(e train.Epoch) { losses = append(losses, e.Values[metric.TrainLoss], e.Values[metric.ValLoss]) }))
		if err != nil {
			t.Fatal(err)
		}
		return losses
	}
	a, b := run(), run()
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("value %d: %v then %v", i, a[i], b[i])
		}
	}
	p["val_fraction"] = 0.0
	if n, err := x.TrainSize(p); err != nil || n != 80 {
		t.Errorf("val_fraction 0: %d training examples, %v; want all 80", n, err)
	}
}

// TestCSVNamedPipe: a FIFO as data_file is refused at once. Opening a
// FIFO blocks until a writer appears, so the check must come before the
// open; before it did, Resolve (and so plan and run) hung forever.
func TestCSVNamedPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "data.csv")
	if err := mkfifo(fifo); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	x := mustLookup(t, "csv")
	done := make(chan error, 1)
	go func() {
		_, err := x.Resolve(engine.Params{"data_file": fifo})
		done <- err
	}()
	select {
	case err := <-done:
		var pe *ParamError
		if err == nil || !strings.Contains(err.Error(), "is a named pipe (FIFO), not a CSV file") ||
			!errors.As(err, &pe) || pe.Param != "data_file" {
			t.Errorf("Resolve with a FIFO: %v, want a data_file error naming the pipe", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Resolve with a FIFO as data_file did not return within 10s")
	}
}
