package reports

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

func writePage(t *testing.T, in Input, opt Options) string {
	t.Helper()
	dir := t.TempDir()
	path, err := WriteHTML(context.Background(), dir, in, opt)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "index.html") {
		t.Errorf("path %s", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHTMLContent(t *testing.T) {
	page := writePage(t, demoInput(), Options{Target: ptr(0.85)})
	for _, want := range []string{
		"<h1>demo</h1>",
		"Adam against SGD on two moons.",
		"sweeps/demo.yaml",
		"<details><summary>Sweep file sweeps/demo.yaml</summary>",
		"name: demo\nexperiment: moons\nmetric: val_accuracy\n",
		`<table class="sortable" data-table="leaderboard">`,
		`<table class="sortable" data-table="sensitivity">`,
		`<table class="sortable" data-table="trials">`,
		`id="fig-curve-val_accuracy"`,
		`<img src="data:image/svg&#43;xml;base64,`,
		"abc123 (uncommitted changes)",
		"optbench run sweeps/demo.yaml",
		"1 of 42 trials diverged",
		"Content-Security-Policy",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Nothing is fetched: no URL with a scheme other than data:, no
	// external fonts or scripts.
	for _, bad := range []string{"http://", "https://", "@import", "<link", "src=\"//"} {
		if strings.Contains(page, bad) {
			t.Errorf("page references the network: %q", bad)
		}
	}
	if n := strings.Count(page, "<tr>"); n != 1+2+1+11+1+14+1+1 {
		t.Errorf("%d table rows", n)
	}
}

func TestHTMLEscapes(t *testing.T) {
	in := demoInput()
	in.Sweep.Name = "<script>alert(1)</script>"
	in.Sweep.Description = `"><img src=x onerror=alert(2)>`
	in.Sweep.Source = "</pre><script>alert(3)</script>"
	for i := range in.Trials {
		if in.Trials[i].Optimizer == "sgd" {
			in.Trials[i].Optimizer = "<script>alert(4)</script>"
		}
	}
	page := writePage(t, in, Options{})
	for _, bad := range []string{"<script>alert", "<img src=x", "</pre><script>"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q unescaped", bad)
		}
	}
	if !strings.Contains(page, "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>") {
		t.Error("the sweep's name is not shown as text")
	}
	if !strings.Contains(page, "&lt;script&gt;alert(4)&lt;/script&gt;") {
		t.Error("the optimizer's name is not shown as text")
	}
}

func TestHTMLCaveats(t *testing.T) {
	oneSeed := demoInput()
	oneSeed.Trials = buildTrials("demo", demoConfigs()[:8], 1)
	oneSeed.Curves = curvesFor(oneSeed.Trials, 20)

	diverged := demoInput()
	for i := range diverged.Trials {
		diverged.Trials[i].Status = train.Diverged
		diverged.Trials[i].Final = map[string]float64{"train_loss": math.Inf(1)}
	}

	empty := demoInput()
	empty.Trials = nil

	for _, tc := range []struct {
		name   string
		in     Input
		status string
		says   []string
	}{
		{"one seed", oneSeed, "one-seed", []string{"1 seed: no confidence interval", "Each configuration has 1 seed"}},
		{"all diverged", diverged, "diverged", []string{"Every trial diverged (42 of 42): there is no result to rank."}},
		{"empty", empty, "empty", []string{"This sweep is empty: no trials were recorded."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := writePage(t, tc.in, Options{Target: ptr(0.5)})
			if !strings.Contains(page, `data-status="`+tc.status+`"`) {
				t.Errorf("status is not %s", tc.status)
			}
			for _, s := range tc.says {
				if !strings.Contains(page, s) {
					t.Errorf("page does not say %q", s)
				}
			}
		})
	}
	// One seed: no interval in the leaderboard, a dash instead.
	r, err := Analyze(context.Background(), oneSeed, Options{})
	if err != nil {
		t.Fatal(err)
	}
	lb := r.Leaderboard()
	if got := lb.Rows[0][4].Text; got != dash {
		t.Errorf("one seed: CI %q, want %q", got, dash)
	}
	if !strings.Contains(strings.Join(lb.Notes, "\n"), "1 seed: no confidence interval") {
		t.Errorf("one seed: notes %q", lb.Notes)
	}
}

// A failed run leaves the previous page whole and no temporary files.
func TestHTMLAtomic(t *testing.T) {
	dir := t.TempDir()
	path, err := WriteHTML(context.Background(), dir, demoInput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	in := demoInput()
	in.Curves = func(context.Context, []string) (map[string][]train.Epoch, error) {
		return nil, errors.New("database is locked")
	}
	if _, err := WriteHTML(context.Background(), dir, in, Options{}); err == nil || !strings.Contains(err.Error(), "database is locked") {
		t.Errorf("err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := WriteHTML(ctx, dir, demoInput(), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("the page changed after failed runs")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only index.html", len(entries))
	}
	// A directory that cannot be created is an error, not a panic.
	file := filepath.Join(dir, "index.html")
	if _, err := WriteHTML(context.Background(), filepath.Join(file, "sub"), demoInput(), Options{}); err == nil {
		t.Error("writing under a file succeeded")
	}
}

// Whatever the records hold, a report is produced without a panic.
func TestNoPanicOnOddInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	odd := []results.TrialRecord{
		{Key: "a", Optimizer: "adam", Params: engine.Params{"lr": 0.0, "batch_size": 0.0, "beta1": nan, "beta2": inf}, Status: train.Completed,
			Final: map[string]float64{"val_accuracy": 0.5}, WallSeconds: nan},
		{Key: "b", Optimizer: "adam", Params: engine.Params{"lr": -1.0, "batch_size": -8.0, "beta1": 0.9, "beta2": 0.99}, Status: train.Completed,
			Final: map[string]float64{"val_accuracy": inf}, WallSeconds: -1},
		{Key: "c", Optimizer: "adam", Params: engine.Params{"lr": 1e300, "batch_size": 1e300, "beta1": 0.9, "beta2": 0.999}, Status: train.Completed,
			Final: map[string]float64{"val_accuracy": -1e300}},
		{Key: "d", Optimizer: "", Params: nil, Status: "weird"},
		{Key: "e", Optimizer: "sgd", Params: engine.Params{"lr": "fast", "hidden": []float64{}, "x": true, "odd": struct{}{}}, Status: train.Completed,
			Final: map[string]float64{"val_accuracy": 0.7}},
		{Key: "f", Optimizer: "sgd", Params: engine.Params{"lr": "slow", "hidden": []float64{}, "x": false, "odd": struct{}{}}, Status: train.Completed,
			Final: nil},
		{Key: "g", Optimizer: "gd", Params: engine.Params{"lr": 0.1}, Status: train.Completed, Final: map[string]float64{"val_accuracy": 0.6}},
		{Key: "h", Optimizer: "gd", Params: engine.Params{"lr": 0.1}, Status: train.Completed, Final: map[string]float64{"val_accuracy": 0.6}},
	}
	curves := func(ctx context.Context, keys []string) (map[string][]train.Epoch, error) {
		return map[string][]train.Epoch{
			"a": {{Epoch: 0, Values: metric.Values{metric.TrainLoss: nan, metric.ValAccuracy: inf, metric.X: nan, metric.Y: nan}}},
			"c": {{Epoch: 5, Values: metric.Values{metric.TrainLoss: -inf, metric.ValAccuracy: 1e308, metric.X: inf, metric.Y: 1}}, {Epoch: -3, Values: metric.Values{metric.TrainLoss: 1, metric.X: 1, metric.Y: nan}}},
			"g": {},
			"h": nil,
		}, nil
	}
	inputs := map[string]Input{
		"odd": {Sweep: results.SweepRecord{Name: "odd\x00name", Metric: "val_accuracy", Goal: "sideways"}, Trials: odd, Curves: curves,
			Surface: func(string) (*Surface, error) {
				return &Surface{Value: func(x, y float64) float64 { panic("boom") }, XMin: 1, XMax: 1}, nil
			},
			Boundary: func(context.Context, string) (*Boundary, error) {
				return &Boundary{Predict: func(x, y float64) float64 { return nan }, Points: []LabeledPoint{{X: nan, Y: 1, Label: -1}, {X: 1, Y: 1, Label: 1 << 40}}}, nil
			}},
		"no metric": {Trials: odd},
		"nil loaders": {Sweep: results.SweepRecord{Metric: "val_accuracy"}, Trials: odd,
			Surface:  func(string) (*Surface, error) { return nil, nil },
			Boundary: func(context.Context, string) (*Boundary, error) { return nil, errors.New("cannot retrain") }},
		"rosenbrock constant": func() Input {
			in := rosenbrockInput(5)
			in.Surface = func(string) (*Surface, error) { return &Surface{Value: func(x, y float64) float64 { return 1 }}, nil }
			return in
		}(),
		"zero": {},
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			for _, opt := range []Options{{}, {Target: ptr(0.5), Smoothing: 0.9, Band: BandCI, Heatmap: [2]string{"lr", "batch_size"}, Spread: 1, Width: 10}} {
				page := writePage(t, in, opt)
				if !strings.Contains(page, "</html>") {
					t.Error("page incomplete")
				}
				r, err := Analyze(context.Background(), in, opt)
				if err != nil {
					t.Fatal(err)
				}
				tables, _ := r.Tables()
				for _, tab := range tables {
					for _, f := range Formats {
						if err := tab.Write(new(strings.Builder), f, opt.Width); err != nil {
							t.Errorf("%s %s: %v", tab.Name, f, err)
						}
					}
				}
			}
		})
	}
}
