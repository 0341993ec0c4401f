package sweeps

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
)

func mustParse(t *testing.T, src string) *Sweep {
	t.Helper()
	s, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	return s
}

func mustTrials(t *testing.T, s *Sweep) []engine.Trial {
	t.Helper()
	if s.IsAdaptive() {
		// Proposed from results as the sweep runs: the first generation
		// needs none, so it is what can be pinned before anything runs.
		m, err := s.Adaptive()
		if err != nil {
			t.Fatalf("Adaptive: %v", err)
		}
		props, _, err := m.Next(0, nil)
		if err != nil {
			t.Fatalf("generation 0: %v", err)
		}
		trials, err := s.Template().Trials(props)
		if err != nil {
			t.Fatalf("generation 0: %v", err)
		}
		return trials
	}
	trials, err := s.Trials()
	if err != nil {
		t.Fatalf("Trials: %v", err)
	}
	if want := s.Configurations() * len(s.Seeds); len(trials) != want {
		t.Fatalf("%d trials, want %d configurations × %d seeds", len(trials), s.Configurations(), len(s.Seeds))
	}
	return trials
}

// row renders the named parameters of a trial, e.g. "adam lr=0.1 seed=0".
func row(tr engine.Trial, names ...string) string {
	parts := make([]string, 0, len(names)+1)
	for _, n := range names {
		parts = append(parts, n+"="+engine.FormatValue(tr.Params[n]))
	}
	return strings.Join(append(parts, fmt.Sprintf("seed=%d", tr.Seed)), " ")
}

func TestGridOrder(t *testing.T) {
	s := mustParse(t, `
name: order
experiment: moons-mlp
seeds: [7, 3]
parameters:
  lr: [0.1, 0.01]
  optimizer:
    momentum: {beta: [0.8, 0.9]}
    gd:
  schedule:
    constant:
    exponential: {gamma: 0.9}
  batch_size: [32, full]
`)
	var got []string
	for _, tr := range mustTrials(t, s) {
		got = append(got, row(tr, "optimizer", "schedule", "lr", "beta", "gamma", "batch_size"))
	}
	// Optimizers, then schedules, in file order; then lr, the optimizer's
	// settings (where optimizer stands), the schedule's, batch_size; seeds
	// fastest, in file order.
	var want []string
	for _, opt := range []struct {
		name  string
		betas []string
	}{{"momentum", []string{"0.8", "0.9"}}, {"gd", []string{"0.9"}}} {
		for _, sched := range []struct{ name, gamma string }{{"constant", "0.95"}, {"exponential", "0.9"}} {
			for _, lr := range []string{"0.1", "0.01"} {
				for _, beta := range opt.betas {
					for _, batch := range []string{"32", "0"} {
						for _, seed := range []string{"7", "3"} {
							b := "beta=" + beta
							if opt.name == "gd" {
								b = "beta=<nil>"
							}
							g := "gamma=" + sched.gamma
							if sched.name == "constant" {
								g = "gamma=<nil>"
							}
							want = append(want, fmt.Sprintf("optimizer=%s schedule=%s lr=%s %s %s batch_size=%s seed=%s",
								opt.name, sched.name, lr, b, g, batch, seed))
						}
					}
				}
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestTrialsResolved(t *testing.T) {
	s := mustParse(t, "name: r\nexperiment: moons-mlp\nparameters:\n  lr: 0.05\n")
	trials := mustTrials(t, s)
	tr := trials[0]
	if tr.Sweep != "r" || tr.Experiment != "moons-mlp" || tr.Seed != 0 || tr.Budget.Epochs != 100 {
		t.Errorf("trial = %+v", tr)
	}
	// Defaults come from the experiment: adam, batch 32, hidden 16-16.
	for name, want := range map[string]any{"optimizer": "adam", "lr": 0.05, "batch_size": 32.0, "schedule": "constant"} {
		if got := tr.Params[name]; got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	// Writing a default out changes nothing: the key is the same.
	explicit := mustParse(t, "name: r\nexperiment: moons-mlp\nparameters:\n  lr: 0.05\n  optimizer: adam\n  batch_size: 32\n")
	if k1, k2 := tr.Key(), mustTrials(t, explicit)[0].Key(); k1 != k2 {
		t.Errorf("keys differ with defaults written out: %s, %s", k1, k2)
	}
	// Trials do not share parameter maps or slices.
	trials[0].Params["hidden"].([]float64)[0] = 99
	if again := mustTrials(t, s); again[0].Params["hidden"].([]float64)[0] == 99 {
		t.Error("Trials returned parameters shared with the sweep")
	}
}

func TestForms(t *testing.T) {
	tests := []struct {
		name, param, value string
		random             bool
		want               []string
	}{
		{"fixed", "lr", "0.01", false, []string{"0.01"}},
		{"list", "lr", "[0.1, 0.01]", false, []string{"0.1", "0.01"}},
		{"choices", "lr", "{choices: [0.1, 0.01]}", false, []string{"0.1", "0.01"}},
		{"log_space", "lr", "{log_space: [1e-4, 1e-1, 7]}", false,
			[]string{"0.0001", "0.000316227766017", "0.001", "0.00316227766017", "0.01", "0.0316227766017", "0.1"}},
		{"lin_space rounds", "l2", "{lin_space: [0, 1, 11]}", false,
			[]string{"0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"}},
		{"pow2", "batch_size", "{pow2: [1, 16]}", false, []string{"1", "2", "4", "8", "16"}},
		{"full", "batch_size", "[1, full]", false, []string{"1", "0"}},
		{"hidden is one list", "hidden", "[5, 2]", false, []string{"5x2"}},
		{"hidden choices", "hidden", "{choices: [[16], [16, 16]]}", false, []string{"16", "16x16"}},
		{"names", "activation", "[relu, tanh]", false, []string{"relu", "tanh"}},
		{"switches", "batch_norm", "[false, true]", false, []string{"false", "true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustParse(t, fmt.Sprintf("name: f\nexperiment: moons-mlp\nparameters:\n  %s: %s\n", tt.param, tt.value))
			var got []string
			for _, tr := range mustTrials(t, s) {
				got = append(got, engine.FormatValue(tr.Params[tt.param]))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s: %s gives %v, want %v", tt.param, tt.value, got, tt.want)
			}
		})
	}
}

const randomSweep = `
name: rand
experiment: moons-mlp
seeds: 2
search: {method: random, samples: 25, seed: 42}
parameters:
  lr: {log_uniform: [1e-4, 1e-1]}
  l2: {uniform: [0, 0.01]}
  patience: {int_uniform: [0, 5]}
  keep_prob: {quantized: [0.5, 1, 0.1]}
  batch_size: {pow2: [16, 128]}
  optimizer:
    adam: {beta1: [0.85, 0.9]}
    momentum:
`

// reordered is randomSweep with its top-level keys in another order and a
// comment added; the draws depend only on the parameters.
const reordered = `
search: {seed: 42, samples: 25, method: random}
seeds: 2
# same sweep
parameters:
  lr: {log_uniform: [1e-4, 1e-1]}
  l2: {uniform: [0, 0.01]}
  patience: {int_uniform: [0, 5]}
  keep_prob: {quantized: [0.5, 1, 0.1]}
  batch_size: {pow2: [16, 128]}
  optimizer:
    adam: {beta1: [0.85, 0.9]}
    momentum:
experiment: moons-mlp
name: rand
`

func keys(t *testing.T, s *Sweep) []string {
	var out []string
	for _, tr := range mustTrials(t, s) {
		out = append(out, tr.Key())
	}
	return out
}

func TestRandomReproducible(t *testing.T) {
	first := mustParse(t, randomSweep)
	if first.Configurations() != 25 {
		t.Fatalf("%d configurations, want 25", first.Configurations())
	}
	want := keys(t, first)
	for i := range 20 { // map iteration order changes from run to run
		if got := keys(t, mustParse(t, randomSweep)); !reflect.DeepEqual(got, want) {
			t.Fatalf("parse %d drew other configurations", i)
		}
	}
	if got := keys(t, mustParse(t, reordered)); !reflect.DeepEqual(got, want) {
		t.Error("reordering top-level keys changed the draws")
	}
	other := mustParse(t, strings.Replace(randomSweep, "seed: 42", "seed: 43", 1))
	if reflect.DeepEqual(keys(t, other), want) {
		t.Error("search seed 43 drew the same configurations as 42")
	}

	seen := map[string]bool{}
	optimizers := map[string]int{}
	for _, tr := range mustTrials(t, first) {
		p := tr.Params
		lr, _ := p.Float("lr")
		l2, _ := p.Float("l2")
		patience, _ := p.Float("patience")
		keep, _ := p.Float("keep_prob")
		batch, _ := p.Float("batch_size")
		opt, _ := p.String("optimizer")
		optimizers[opt]++
		switch {
		case lr < 1e-4 || lr >= 1e-1:
			t.Errorf("lr %v outside [1e-4, 1e-1)", lr)
		case l2 < 0 || l2 >= 0.01:
			t.Errorf("l2 %v outside [0, 0.01)", l2)
		case patience != float64(int(patience)) || patience < 0 || patience > 5:
			t.Errorf("patience %v", patience)
		case !strings.Contains(" 0.5 0.6 0.7 0.8 0.9 1 ", " "+engine.FormatValue(keep)+" "):
			t.Errorf("keep_prob %v is not on the 0.1 grid", keep)
		case !isPow2(batch) || batch < 16 || batch > 128:
			t.Errorf("batch_size %v", batch)
		}
		if tr.Seed == 0 {
			c := string(engine.Trial{Experiment: tr.Experiment, Params: p}.Canonical())
			if seen[c] {
				t.Errorf("configuration drawn twice: %s", c)
			}
			seen[c] = true
		}
	}
	if optimizers["adam"] == 0 || optimizers["momentum"] == 0 {
		t.Errorf("optimizers drawn: %v", optimizers)
	}
}

// TestRandomGolden pins the first draws: a change to the draw order would
// silently change every random sweep's configurations.
func TestRandomGolden(t *testing.T) {
	s := mustParse(t, `
name: g
experiment: moons-mlp
search: {method: random, samples: 4, seed: 1}
parameters:
  lr: {log_uniform: [1e-4, 1e-1]}
  optimizer: [gd, adam]
`)
	var got []string
	for _, tr := range mustTrials(t, s) {
		got = append(got, row(tr, "optimizer", "lr"))
	}
	want := []string{
		"optimizer=gd lr=0.0018663256282638217 seed=0",
		"optimizer=gd lr=0.011539821905279806 seed=0",
		"optimizer=adam lr=0.02647581618764176 seed=0",
		"optimizer=gd lr=0.0028748177459921166 seed=0",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("draws:\n%q\nwant:\n%q", got, want)
	}
}

func TestRandomDistinct(t *testing.T) {
	// Six configurations exist; asking for all six draws each once.
	s := mustParse(t, `
name: d
experiment: moons-mlp
search: {method: random, samples: 6}
parameters:
  lr: [0.1, 0.01, 0.001]
  optimizer: [gd, adam]
`)
	seen := map[string]bool{}
	for _, tr := range mustTrials(t, s) {
		seen[row(tr, "optimizer", "lr")] = true
	}
	if len(seen) != 6 {
		t.Errorf("%d distinct configurations, want 6: %v", len(seen), seen)
	}
}

func TestList(t *testing.T) {
	s := mustParse(t, `
name: l
experiment: moons-mlp
seeds: 2
search: {method: list}
parameters:
  lr: 0.01
  batch_size: 64
configs:
  - {optimizer: gd, lr: 0.5}
  - {optimizer: momentum, beta: 0.95}
  - {optimizer: adam, schedule: stepped_inverse_time, decay_rate: 1, interval: 10}
`)
	var got []string
	for _, tr := range mustTrials(t, s) {
		got = append(got, row(tr, "optimizer", "lr", "batch_size", "beta", "schedule", "interval"))
	}
	want := []string{
		"optimizer=gd lr=0.5 batch_size=64 beta=<nil> schedule=constant interval=<nil> seed=0",
		"optimizer=gd lr=0.5 batch_size=64 beta=<nil> schedule=constant interval=<nil> seed=1",
		"optimizer=momentum lr=0.01 batch_size=64 beta=0.95 schedule=constant interval=<nil> seed=0",
		"optimizer=momentum lr=0.01 batch_size=64 beta=0.95 schedule=constant interval=<nil> seed=1",
		"optimizer=adam lr=0.01 batch_size=64 beta=<nil> schedule=stepped_inverse_time interval=10 seed=0",
		"optimizer=adam lr=0.01 batch_size=64 beta=<nil> schedule=stepped_inverse_time interval=10 seed=1",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("list:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSettingsAndDefaults(t *testing.T) {
	s := mustParse(t, `
name: d
experiment: quadratic
seeds: [0, 5, 9]
budget: {epochs: 20, steps: 15, wall: 1m30s}
metric: {name: distance_to_minimum}
parameters:
  optimizer: {rmsprop: {centered: true}}
`)
	if s.Budget != (engine.Budget{Epochs: 20, Steps: 15, WallSeconds: 90}) {
		t.Errorf("budget = %+v", s.Budget)
	}
	if s.Metric != "distance_to_minimum" || s.Goal != "minimize" || s.Method != Grid {
		t.Errorf("metric %s goal %s method %s", s.Metric, s.Goal, s.Method)
	}
	if !reflect.DeepEqual(s.Seeds, []uint64{0, 5, 9}) {
		t.Errorf("seeds = %v", s.Seeds)
	}
	if c, _ := mustTrials(t, s)[0].Params.Float("centered"); c != 1 {
		t.Errorf("centered: true gave %v, want 1", c)
	}
	d := mustParse(t, "name: d\nexperiment: c2w2-moons\n")
	if d.Budget.Epochs != 5000 || d.Metric != "train_eval_accuracy" || d.Goal != "maximize" || !reflect.DeepEqual(d.Seeds, []uint64{0}) {
		t.Errorf("defaults: budget %+v metric %s goal %s seeds %v", d.Budget, d.Metric, d.Goal, d.Seeds)
	}
}

func TestLoad(t *testing.T) {
	_, err := Load(context.Background(), filepath.Join(t.TempDir(), "nope.yaml"))
	if !errors.Is(err, fs.ErrNotExist) || strings.Count(err.Error(), "\n") > 0 || !strings.Contains(err.Error(), "nope.yaml") {
		t.Errorf("Load of a missing file: %v", err)
	}
	s, err := Load(context.Background(), "quickstart.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.File != "quickstart.yaml" || len(s.Source) == 0 {
		t.Errorf("File %q, %d bytes of Source", s.File, len(s.Source))
	}
}

func TestTrialsOfZeroSweep(t *testing.T) {
	if _, err := new(Sweep).Trials(); err == nil {
		t.Error("Trials of a zero Sweep: no error")
	}
}

func TestPerOptimizerSettings(t *testing.T) {
	// Common parameters may be written under an optimizer, so that each
	// gets its own learning rates.
	s := mustParse(t, `
name: p
experiment: moons-mlp
parameters:
  optimizer:
    gd: {lr: [0.1, 0.5]}
    adam: {lr: [0.001, 0.01], beta2: 0.99}
  batch_size: 16
`)
	var got []string
	for _, tr := range mustTrials(t, s) {
		got = append(got, row(tr, "optimizer", "lr", "beta2", "batch_size"))
	}
	want := []string{
		"optimizer=gd lr=0.1 beta2=<nil> batch_size=16 seed=0",
		"optimizer=gd lr=0.5 beta2=<nil> batch_size=16 seed=0",
		"optimizer=adam lr=0.001 beta2=0.99 batch_size=16 seed=0",
		"optimizer=adam lr=0.01 beta2=0.99 batch_size=16 seed=0",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
