package optim_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/optbench/optbench/engine/optim"
)

// vectorFile is the JSON written by testdata/torch_vectors.py and
// testdata/course_vectors.py.
type vectorFile struct {
	Params0 []float64    `json:"params0"`
	Grads   [][]float64  `json:"grads"`
	Cases   []vectorCase `json:"cases"`
}

type vectorCase struct {
	Name     string             `json:"name"`
	Settings map[string]float64 `json:"settings"`
	LR       float64            `json:"lr"`
	Torch    string             `json:"torch"` // the torch.optim call, for torch vectors
	Rule     string             `json:"rule"`  // the course rule, for course vectors
	Params   [][]float64        `json:"params"`
}

func loadVectors(t *testing.T, name string) vectorFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var f vectorFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(f.Cases) == 0 || len(f.Grads) == 0 {
		t.Fatalf("%s: no cases or no gradients", name)
	}
	return f
}

// vectorTol bounds the difference between a parameter here and in the
// reference at every step, relative to the largest magnitude that parameter
// takes along the reference trajectory (its scale).
//
// Both sides compute the same rule in float64 (unit roundoff 1.1e-16), with
// about ten roundings per parameter and step, but not always in the same
// order: torch's vectorised CPU kernels fuse multiply-adds; the course
// computes Adam as m̂/(√ŝ+ε) where torch computes m/(√s/√(1−β2^t)+ε); and
// numpy's np.power, which the course uses for β^t, may be a unit in the last
// place off where Python's ** (torch's) and powInt are correctly rounded.
// Rounding errors are relative to the magnitudes that flowed into a value,
// so a parameter that passes near zero is judged against its scale rather
// than its current size. Over 30 steps the differences stay within about
// ten roundoffs of the scale (below 1.2e-15 on the machine that recorded the
// vectors; the test log shows each case's largest). 1e-12 leaves room for
// other CPUs and libm versions, while every change of rule exercised here
// (ε inside the square root, torch's undampened first step, the NAdam fix,
// coupled against decoupled decay) moves some parameter by more than 1e-8.
const vectorTol = 1e-12

func replay(t *testing.T, f vectorFile, c vectorCase) {
	t.Helper()
	opt, err := optim.New(c.Name, c.Settings)
	if err != nil {
		t.Fatal(err)
	}
	scale := make([]float64, len(f.Params0))
	for i, p := range f.Params0 {
		scale[i] = math.Abs(p)
	}
	for _, want := range c.Params {
		for i, p := range want {
			scale[i] = math.Max(scale[i], math.Abs(p))
		}
	}

	params := append([]float64(nil), f.Params0...)
	grads := make([]float64, len(params))
	worst := 0.0
	for step, want := range c.Params {
		copy(grads, f.Grads[step])
		opt.Step(params, grads, c.LR)
		for i := range grads {
			if grads[i] != f.Grads[step][i] {
				t.Fatalf("step %d: Step changed grads[%d]", step+1, i)
			}
		}
		for i, got := range params {
			if !scalar.EqualWithinAbsOrRel(got, want[i], vectorTol*scale[i], vectorTol) {
				t.Fatalf("step %d: param %d = %.17g, want %.17g (difference %.3g of its scale %.3g)",
					step+1, i, got, want[i], math.Abs(got-want[i])/scale[i], scale[i])
			}
			worst = math.Max(worst, math.Abs(got-want[i])/scale[i])
		}
	}
	t.Logf("largest difference over %d steps: %.3g of the parameter's scale", len(c.Params), worst)
}

func caseName(c vectorCase) string {
	what := c.Torch
	if what == "" {
		what = c.Rule
	}
	return fmt.Sprintf("%s/%s", c.Name, what)
}

// TestTorchVectors replays the trajectories that torch.optim (torch
// 1.13, float64, foreach=False) computed for testdata/torch_vectors.py.
func TestTorchVectors(t *testing.T) {
	f := loadVectors(t, "torch_vectors.json")
	for _, c := range f.Cases {
		t.Run(caseName(c), func(t *testing.T) { replay(t, f, c) })
	}
}

// TestCourseVectors replays the trajectories of the DeepLearning.AI
// course's update rules, reimplemented in numpy by
// testdata/course_vectors.py.
func TestCourseVectors(t *testing.T) {
	f := loadVectors(t, "course_vectors.json")
	for _, c := range f.Cases {
		t.Run(caseName(c), func(t *testing.T) { replay(t, f, c) })
	}
}

// TestVectorsCoverEveryOptimizer keeps the vector files in step with the
// registry.
func TestVectorsCoverEveryOptimizer(t *testing.T) {
	seen := map[string]bool{}
	for _, file := range []string{"torch_vectors.json", "course_vectors.json"} {
		for _, c := range loadVectors(t, file).Cases {
			seen[c.Name] = true
		}
	}
	for _, name := range optim.Names() {
		if !seen[name] {
			t.Errorf("no test vectors for %q", name)
		}
	}
}
