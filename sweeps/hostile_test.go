package sweeps

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/optbench/optbench/engine/train"
)

// TestHostile: inputs an adversarial user tried (issue 9) each get one
// clear message at the node that causes them.
func TestHostile(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // whole messages, in order
	}{
		{"model-too-large", head + "parameters:\n  hidden: [65536, 65536]\n", []string{
			"s.yaml:4:11: hidden: model: layers [2 65536 65536 1]: about 4295426050 parameters, more than the 134217728 allowed",
		}},
		{"model-too-large-one-of-two", head + "parameters:\n  hidden: {choices: [[16], [65536, 65536]]}\n", []string{
			"s.yaml:4:28: hidden: model: layers [2 65536 65536 1]: about 4295426050 parameters, more than the 134217728 allowed",
		}},
		{"list-too-long", head + "parameters:\n  lr: [" + strings.Repeat("0.1, ", MaxConfigurations) + "0.1]\n", []string{
			"s.yaml:4:7: lr: 20001 values; a sweep has at most 20000 configurations",
		}},
		{"choices-too-long", head + "parameters:\n  lr: {choices: [" + strings.Repeat("0.1, ", MaxConfigurations) + "0.1]}\n", []string{
			"s.yaml:4:17: lr: 20001 values; a sweep has at most 20000 configurations",
		}},
		{"configs-too-long", head + "search: {method: list}\nconfigs: [" + strings.Repeat("{lr: 0.1}, ", MaxConfigurations) + "{lr: 0.1}]\n", []string{
			"s.yaml:4:10: configs: 20001 configurations; at most 20000 per sweep",
		}},
		{"hidden-too-long", head + "parameters:\n  hidden: [" + strings.Repeat("1, ", MaxPoints) + "1]\n", []string{
			"s.yaml:4:11: hidden: a list of 10001 numbers; at most 10000",
		}},
		{"name-dot", "name: .\nexperiment: moons-mlp\n", []string{
			`s.yaml:1:7: name: want a letter or digit, then letters, digits, '.', '_' and '-', got "."`,
		}},
		{"name-dotdot", "name: ..\nexperiment: moons-mlp\n", []string{
			`s.yaml:1:7: name: want a letter or digit, then letters, digits, '.', '_' and '-', got ".."`,
		}},
		{"name-path", "name: a/../b\nexperiment: moons-mlp\n", []string{
			`s.yaml:1:7: name: want a letter or digit, then letters, digits, '.', '_' and '-', got "a/../b"`,
		}},
		{"name-hidden", "name: -rf\nexperiment: moons-mlp\n", []string{
			`s.yaml:1:7: name: want a letter or digit, then letters, digits, '.', '_' and '-', got "-rf"`,
		}},
		{"name-long", "name: " + strings.Repeat("a", 101) + "\nexperiment: moons-mlp\n", []string{
			"s.yaml:1:7: name: 101 characters; at most 100",
		}},
		{"epochs-too-many", "name: t\nexperiment: quadratic\nbudget: {epochs: 1000000000}\n", []string{
			"s.yaml:3:18: budget: epochs 1000000000 is more than the 1000000 allowed: a trial keeps its curve in memory, " +
				"80 bytes an epoch, and the bound keeps it under 100 MB",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(tt.src))
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Parse: %v, want an ErrorList", err)
			}
			if got := strings.Split(list.Error(), "\n"); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", list, strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestPlanDoesNotGenerate: planning 201 data set sizes up to 10⁶ counts
// them instead of generating each (149 s before). 5 s leaves room for a
// slow shared machine; the count itself takes milliseconds.
func TestPlanDoesNotGenerate(t *testing.T) {
	src := head + "parameters:\n  n_samples: {lin_space: [500000, 1000000, 201]}\n"
	start := time.Now()
	s, err := Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("planning took %v", el)
	}
	if s.Configurations() != 201 {
		t.Errorf("%d configurations, want 201", s.Configurations())
	}
}

// TestMaxEpochsCurve: the message's figures follow train.Epoch; if the
// struct grows, MaxEpochs and the message need a second look.
func TestMaxEpochsCurve(t *testing.T) {
	if size := unsafe.Sizeof(train.Epoch{}); size != 80 || MaxEpochs*size > 100<<20 {
		t.Errorf("train.Epoch is %d bytes: %d epochs are %d MB; update MaxEpochs and its message",
			size, MaxEpochs, MaxEpochs*size>>20)
	}
	if _, err := Parse("s.yaml", []byte("name: t\nexperiment: quadratic\nbudget: {epochs: 1000000}\n")); err != nil {
		t.Errorf("MaxEpochs epochs: %v", err)
	}
}
