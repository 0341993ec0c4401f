package sweeps

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
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
				"88 bytes an epoch, and the bound keeps it under 100 MB",
		}},
		{"out-of-range", head + "parameters:\n  lr: 1e400\n", []string{
			"s.yaml:4:7: lr: 1e400 is out of the range of a float64 (magnitudes up to about 1.8e308)",
		}},
		{"unknown-tag", head + "parameters:\n  lr: !foo 0.01\n", []string{
			`s.yaml:4:7: lr: want a number, got "0.01" with the tag !foo, which optbench does not support ` +
				"(YAML tags other than !!str, !!int, !!float, !!bool, !!null, !!seq and !!map are not read)",
		}},
		{"infinite", head + "parameters:\n  lr: .inf\n", []string{
			"s.yaml:4:7: lr: want a finite number, got .inf",
		}},
		{"not-a-number", head + "parameters:\n  lr: [0.1, .nan]\n", []string{
			"s.yaml:4:13: lr: want a finite number, got .nan",
		}},
		{"repeated", head + "parameters:\n  n_samples: {lin_space: [2, 1000, 999]}\n", []string{
			"s.yaml:3:1: the default batch_size 32 is larger than the training set (2 examples); set batch_size (and 29 more like it)",
		}},
		{"escapes", head + "parameters:\n  \"a\\e[31mb\\0\\u202e\": 1\n", []string{
			`s.yaml:4:3: unknown parameter "a\x1b[31mb\x00\u202e" for experiment moons-mlp`,
		}},
		{"escapes-in-key", head + "parameters:\n  lr: 0.1\n  lr: 0.2\n  \"\\e]0;x\\a\": {\"\\0\": 1}\n", []string{
			"s.yaml:5:3: parameters: duplicate key lr (first at 4:3)",
			`s.yaml:6:3: unknown parameter "\x1b]0;x\a" for experiment moons-mlp`,
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
	if size := unsafe.Sizeof(train.Epoch{}); size != 88 || MaxEpochs*size > 100<<20 {
		t.Errorf("train.Epoch is %d bytes: %d epochs are %d MB; update MaxEpochs and its message",
			size, MaxEpochs, MaxEpochs*size>>20)
	}
	if _, err := Parse("s.yaml", []byte("name: t\nexperiment: quadratic\nbudget: {epochs: 1000000}\n")); err != nil {
		t.Errorf("MaxEpochs epochs: %v", err)
	}
}

// TestLongPathMessage: a 1 MB data_file path is cut in the message, not
// echoed whole.
func TestLongPathMessage(t *testing.T) {
	src := "name: t\nexperiment: csv\nparameters:\n  data_file: " + strings.Repeat("x", 1<<20) + "\n"
	_, err := Parse("s.yaml", []byte(src))
	if err == nil {
		t.Fatal("Parse accepted a missing data file")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "s.yaml:4:14: data_file: cannot read ") || !strings.Contains(msg, "xxx…xxx") ||
		!strings.HasSuffix(msg, ": file name too long") || len(msg) > 2000 {
		t.Errorf("message of %d bytes: %.200s", len(msg), msg)
	}
}

func TestSanitize(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain text, 3 words", "plain text, 3 words"},
		{"bell\a nul\x00 esc\x1b[0m tab\t", `bell\a nul\x00 esc\x1b[0m tab\t`},
		{"bad byte \xff here", `bad byte \xff here`},
		{"right-to-left \u202e override", `right-to-left \u202e override`},
		{"keeps \ufffd and é", "keeps \ufffd and é"},
		{strings.Repeat("y", 1500) + " z", strings.Repeat("y", 700) + "…" + strings.Repeat("y", 200) + " z"},
		{strings.Repeat("w ", 3000), strings.Repeat("w ", 2000) + "…"},
	} {
		if got := sanitize(tt.in); got != tt.want {
			t.Errorf("sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestErrInvalid: every problem of a sweep file, and a sweep file that
// cannot be read, match ErrInvalid (optbench exits 2 for them).
func TestErrInvalid(t *testing.T) {
	_, err := Parse("s.yaml", []byte("name: t\nexperiment: [x\n"))
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("Parse of a bad file: %v does not match ErrInvalid", err)
	}
	_, err = Load(context.Background(), filepath.Join(t.TempDir(), "nope.yaml"))
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v, want ErrInvalid and fs.ErrNotExist", err)
	}
	if _, err := Parse("s.yaml", []byte(head)); err != nil {
		t.Fatal(err)
	}
	if errors.Is(errors.New("trial failed"), ErrInvalid) {
		t.Error("an unrelated error matches ErrInvalid")
	}
}
