package sweeps

import (
	"errors"
	"strings"
	"testing"
)

// courseCircles is the course's initialization assignment setup as a
// sweep: circles trained from seed 1, tested on 100 points from seed 2,
// no standardization, numpy seeding, three initializations.
const courseCircles = `name: course-init
experiment: circles-mlp
seeds: [3]
budget: {epochs: 15}
metric: {name: train_eval_accuracy}
parameters:
  seeding: course
  standardize: false
  val_fraction: 0
  data_seed: 1
  n_samples: 300
  noise: 0.05
  factor: 0.8
  test_seed: 2
  n_test: 100
  optimizer: gd
  lr: 0.01
  batch_size: 0
  hidden: [10, 5]
  init: [zeros, random_normal, he_normal]
`

// TestTestSetSettings: sweeps accept the course protocol's settings and
// the test set's, and the trials carry them.
func TestTestSetSettings(t *testing.T) {
	s, err := Parse("s.yaml", []byte(courseCircles))
	if err != nil {
		t.Fatal(err)
	}
	trials, err := s.Trials()
	if err != nil {
		t.Fatal(err)
	}
	if len(trials) != 3 {
		t.Fatalf("%d trials, want 3", len(trials))
	}
	for _, tr := range trials {
		for k, want := range map[string]any{"seeding": "course", "standardize": false, "test_seed": 2.0, "n_test": 100.0} {
			if got := tr.Params[k]; got != want {
				t.Errorf("trial %s: %s = %v, want %v", tr.Key(), k, got, want)
			}
		}
	}
}

// TestTestSetSettingErrors: bad values of the new settings are reported
// where they were written; ranking by a test metric is refused, since the
// test set evaluates the chosen configuration and must not choose it.
func TestTestSetSettingErrors(t *testing.T) {
	head := "name: t\nexperiment: circles-mlp\n"
	tests := []struct {
		name, src, want string
	}{
		{"seeding", head + "parameters:\n  seeding: numpy\n",
			`s.yaml:4:12: seeding: unknown value "numpy"; valid: streams, course`},
		{"standardize", head + "parameters:\n  standardize: 0\n",
			"s.yaml:4:16: standardize: want true or false"},
		{"n_test-negative", head + "parameters:\n  n_test: -5\n",
			"s.yaml:4:11: n_test = -5 is outside the allowed range [0, 1e+06]"},
		{"n_test-small", head + "parameters:\n  n_test: 1\n",
			"s.yaml:4:11: n_test: 1 examples: the generator needs at least 2 (0 = no test set)"},
		{"test_seed-alone", head + "parameters:\n  test_seed: 2\n",
			"s.yaml:4:14: test_seed: no test set to seed: set n_test (0 = no test set)"},
		{"not-for-iris", "name: t\nexperiment: iris-mlp\nparameters:\n  n_test: 50\n",
			"s.yaml:4:3: n_test is not a parameter of experiment iris-mlp; it is a data setting of"},
		{"course-seed-too-large", head + "seeds: [4294967295]\nbudget: {epochs: 10}\nparameters:\n  seeding: course\n",
			"s.yaml:3:9: seeds: seed 4294967295 is too large for experiment circles-mlp, which seeds numpy with seed+8+epoch (at most 4294967277)"},
		{"rank-by-test", head + "parameters:\n  n_test: 100\nmetric: {name: test_accuracy}\n",
			"s.yaml:5:16: metric: test_accuracy is measured on the test set, which evaluates the chosen configuration and does not choose it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(tt.src))
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Parse: got %v, want an ErrorList", err)
			}
			if !strings.Contains(list.Error(), tt.want) {
				t.Errorf("errors:\n%s\nwant one containing:\n%s", list.Error(), tt.want)
			}
		})
	}
}
