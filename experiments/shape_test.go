package experiments

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/optbench/optbench/engine"
)

// TestShapeMatchesData: the shape planning computes from the parameters
// is the shape of the data a trial loads, for every experiment with data.
func TestShapeMatchesData(t *testing.T) {
	variants := []engine.Params{
		{},
		{"val_fraction": 0.0},
		{"val_fraction": 0.37},
		{"n_samples": 7.0},
		{"n_samples": 1001.0, "val_fraction": 0.5},
		{"classes": 7.0, "n_samples": 50.0},
		{"n_val": 0.0},
		{"n_val": 37.0, "n_train": 250.0},
		{"split": SplitStratified, "test_fraction": 0.3, "n_test": 20.0},
	}
	for _, x := range All() {
		if x.Function || !x.TakesOptimizer() {
			continue
		}
		files, ok := dataParamsIfAny(t, x.Name)
		if !ok {
			t.Logf("%s: its data set is not installed", x.Name)
			continue
		}
		for _, v := range variants {
			given := files.Clone()
			names := map[string]bool{}
			for _, d := range x.DataParams {
				names[d.Name] = true
			}
			for k, val := range v {
				if names[k] {
					given[k] = val
				}
			}
			p, err := x.Resolve(given)
			if err != nil {
				t.Fatalf("%s: Resolve(%v): %v", x.Name, given, err)
			}
			tr, val, _, err := x.load(p)
			if err != nil {
				t.Fatalf("%s %v: load: %v", x.Name, given, err)
			}
			want := shapeOf(tr)
			if val != nil {
				want.Val = val.Len()
			}
			got, err := x.shape(p)
			if got.Image != nil && got.Image.Size() != got.Features {
				t.Errorf("%s %v: image shape %v for %d features", x.Name, given, got.Image, got.Features)
			}
			got.Image = nil // loaded data are vectors
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("%s %v: shape = %+v, %v; the loaded data has %+v", x.Name, given, got, err, want)
			}
			if n, err := x.TrainSize(p); err != nil || n != want.Train {
				t.Errorf("%s %v: TrainSize = %d, %v; want %d", x.Name, given, n, err, want.Train)
			}
		}
	}
}

// TestTrainSizeDoesNotGenerate: counting a training set of 10⁶ examples
// is arithmetic. Generating it took about 0.7 s, so a sweep over 201
// sizes took 149 s to plan; 201 counts take microseconds, and 2 s leaves
// room for a slow shared machine while catching any generation.
func TestTrainSizeDoesNotGenerate(t *testing.T) {
	x := mustLookup(t, "moons-mlp")
	start := time.Now()
	for n := 500_000; n <= 1_000_000; n += 2500 {
		p, err := x.Resolve(engine.Params{"n_samples": float64(n)})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := x.TrainSize(p); err != nil || got != n*4/5 {
			t.Fatalf("TrainSize with n_samples %d = %d, %v; want %d", n, got, err, n*4/5)
		}
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("201 TrainSize calls took %v", el)
	}
}

// TestCheckModel: a model too large to train is found from the
// parameters, as Trainer would find it, without allocating it.
func TestCheckModel(t *testing.T) {
	x := mustLookup(t, "moons-mlp")
	p, err := x.Resolve(engine.Params{"hidden": []float64{65536, 65536}})
	if err != nil {
		t.Fatal(err)
	}
	err = x.CheckModel(p)
	var pe *ParamError
	want := "hidden: model: layers [2 65536 65536 1]: about 4295426050 parameters, more than the 134217728 allowed"
	if err == nil || err.Error() != want || !errors.As(err, &pe) || pe.Param != "hidden" {
		t.Errorf("CheckModel = %v, want %q", err, want)
	}
	if _, err := x.Trainer(p, 0, engine.Budget{Epochs: 1}); err == nil || !strings.Contains(err.Error(), "4295426050 parameters") {
		t.Errorf("Trainer = %v; CheckModel and Trainer disagree", err)
	}
	ok, _ := x.Resolve(engine.Params{"hidden": []float64{64, 64}})
	if err := x.CheckModel(ok); err != nil {
		t.Errorf("CheckModel of a small model: %v", err)
	}
	if err := mustLookup(t, "quadratic").CheckModel(engine.Params{}); err != nil {
		t.Errorf("CheckModel of a test function: %v", err)
	}
}
