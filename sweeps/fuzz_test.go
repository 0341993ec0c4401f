package sweeps

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/internal/fuzzlimit"
)

// within runs f under the fuzz targets' time limit (fuzzlimit.Within).
func within(t *testing.T, what string, input []byte, f func()) {
	t.Helper()
	fuzzlimit.Within(t, what, input, f)
}

// addSweepSeeds adds every sweep file the repository holds: the shipped
// sweeps, the regression sweep, this package's testdata and the sweeps of
// the command's scripts (hostile_input.txtar among them), besides those
// in testdata/fuzz.
func addSweepSeeds(f *testing.F) {
	var files []string
	for _, pattern := range []string{"*.yaml", "../regress/*.yaml", "testdata/sweeps/*.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 10 {
		f.Fatalf("found %d sweep files to seed from: %q", len(files), files)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	scripts, err := filepath.Glob("../cmd/optbench/testdata/script/*.txtar")
	if err != nil || len(scripts) == 0 {
		f.Fatalf("no command scripts to seed from: %v", err)
	}
	for _, script := range scripts {
		a, err := txtar.ParseFile(script)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range a.Files {
			if strings.HasSuffix(file.Name, ".yaml") {
				f.Add(file.Data)
			}
		}
	}
	f.Add([]byte(head + "search: {method: random, samples: 3}\nparameters:\n  lr: {quantized: [0.1, 0.5, 0.1]}\n"))
	f.Add([]byte(head + "parameters:\n  batch_size: {pow2: [1, 1]}\n  hidden: {choices: [[], [3]]}\n"))
	f.Add([]byte(head + "search: {method: list}\nconfigs:\n  - {lr: 0.1}\n  - {lr: 0.2, optimizer: adam}\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("name: \x00\x1b[31m\nexperiment: \u202equadratic\n"))
}

// FuzzParse checks the parser and validator: no input makes Parse panic
// or hang; every problem is invalid input (ErrInvalid) reported at a
// place with a message free of control characters; and a sweep Parse
// accepts is within the documented limits.
func FuzzParse(f *testing.F) {
	addSweepSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		var s *Sweep
		var err error
		within(t, "Parse", src, func() { s, err = Parse("fuzz.yaml", src) })
		if err != nil {
			checkProblems(t, src, err)
			return
		}
		switch {
		case !namePattern.MatchString(s.Name) || len(s.Name) > MaxNameLength:
			t.Fatalf("accepted sweep named %q", s.Name)
		case !slices.Contains([]string{Grid, Random, List, Sobol, TPE}, s.Method):
			t.Fatalf("accepted sweep with method %q", s.Method)
		case len(s.Seeds) < 1 || len(s.Seeds) > MaxSeeds:
			t.Fatalf("accepted sweep with %d seeds", len(s.Seeds))
		case !s.IsAdaptive() && (s.Configurations() < 1 || s.Configurations() > MaxConfigurations):
			t.Fatalf("accepted sweep with %d configurations", s.Configurations())
		case s.Configurations()*len(s.Seeds) > MaxTrials:
			t.Fatalf("accepted sweep with %d × %d trials", s.Configurations(), len(s.Seeds))
		case s.Budget.Epochs > MaxEpochs:
			t.Fatalf("accepted sweep with a budget of %d epochs", s.Budget.Epochs)
		case s.Space() == nil:
			t.Fatal("accepted sweep without a search space")
		}
	})
}

// checkProblems checks an error of Parse: invalid input, as an ErrorList
// of problems at places, each message printable as it is.
func checkProblems(t *testing.T, src []byte, err error) {
	t.Helper()
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("Parse error does not match ErrInvalid: %v", err)
	}
	var list ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("Parse error is not a non-empty ErrorList: %#v", err)
	}
	lines := strings.Count(string(src), "\n") + 1
	for _, e := range list {
		if e.File != "fuzz.yaml" || e.Line < 0 || e.Line > lines+1 || e.Column < 0 || e.Msg == "" {
			t.Fatalf("problem %#v: want fuzz.yaml, a line within the file's %d, a message", e, lines)
		}
		if !utf8.ValidString(e.Msg) || strings.ContainsFunc(e.Msg, func(r rune) bool {
			return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
		}) {
			t.Fatalf("problem message holds control characters or invalid UTF-8: %q", e.Msg)
		}
	}
}

// FuzzExpand checks expansion: a sweep Parse accepts has as many
// configurations as its search says (the product of each grid branch's
// dimensions summed over branches, random search's samples, one per
// listed config), Trials has configurations × seeds of them with the seed
// varying fastest and no key twice, and running the sweep's Search again
// proposes the same configurations in the same order.
func FuzzExpand(f *testing.F) {
	addSweepSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		var s *Sweep
		var err error
		within(t, "Parse", src, func() { s, err = Parse("fuzz.yaml", src) })
		if err != nil {
			return
		}
		if s.IsAdaptive() {
			// Proposed from results: what can be checked without training
			// is that the search can be made.
			if _, err := s.Adaptive(); err != nil {
				t.Fatalf("Adaptive: %v", err)
			}
			return
		}
		// A sweep of several experiments is one sweep per experiment.
		parts := s.Problems()
		if parts == nil {
			parts = []*Sweep{s}
		}
		want := 0
		for _, p := range parts {
			want += p.wantConfigurations()
		}
		if got := s.Configurations(); got != want {
			t.Fatalf("%s sweep: %d configurations, want %d from its space and settings", s.Method, got, want)
		}

		var trials []engine.Trial
		within(t, "Trials", src, func() { trials, err = s.Trials() })
		if err != nil || len(trials) != want*len(s.Seeds) {
			t.Fatalf("Trials: %d trials, %v; want %d configurations × %d seeds", len(trials), err, want, len(s.Seeds))
		}
		keys := make(map[string]bool, len(trials))
		for i, tr := range trials {
			if tr.Seed != s.Seeds[i%len(s.Seeds)] {
				t.Fatalf("trial %d has seed %d, want %d (seeds vary fastest)", i, tr.Seed, s.Seeds[i%len(s.Seeds)])
			}
			if keys[tr.Key()] {
				t.Fatalf("trial %d (%s) repeats an earlier trial", i, tr.Canonical())
			}
			keys[tr.Key()] = true
		}

		at := 0
		for _, part := range parts {
			m, err := part.Search()
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			var again []engine.Params
			within(t, "the sweep's Search", src, func() { again, err = part.Template().Configurations(m) })
			if err != nil || len(again) != part.wantConfigurations() {
				t.Fatalf("the sweep's Search proposes %d configurations, %v; want %d", len(again), err, part.wantConfigurations())
			}
			for i, p := range again {
				tr := trials[(at+i)*len(s.Seeds)]
				proposed := engine.Trial{Experiment: part.Experiment, Params: p}.Canonical()
				if listed := (engine.Trial{Experiment: tr.Experiment, Params: tr.Params}).Canonical(); string(proposed) != string(listed) {
					t.Fatalf("configuration %d: Search proposes %s, Trials has %s", at+i, proposed, listed)
				}
			}
			at += len(again)
		}
	})
}

// wantConfigurations is the number of configurations the sweep's search
// says it has: the product of each grid branch's dimensions summed over
// branches, random search's samples, one per listed config.
func (s *Sweep) wantConfigurations() int {
	space := s.Space()
	want := 0
	switch s.Method {
	case Grid:
		for _, b := range space.Branches {
			n := 1
			for _, d := range b.Dimensions {
				n *= d.Domain.Len()
			}
			want += n
		}
	case Random, Sobol:
		want = s.samples
	case List:
		want = len(space.Branches)
	}
	return want
}
