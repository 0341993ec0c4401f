package experiments

import (
	"fmt"
	"maps"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/data"
	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/rng"
	"github.com/optbench/optbench/engine/testfunc"
)

func init() {
	register(&Experiment{
		Name: "c2w2-moons",
		Description: "The DeepLearning.AI course's optimization setup: make_moons(300, noise 0.2) after " +
			"numpy.random.seed(3), network [2,5,2,1] ReLU/sigmoid with He initialization, mini-batches of 64 " +
			"reshuffled before epoch i with seed 11+i, 5000 epochs, accuracy on the training set.",
		Source:  "DeepLearning.AI, Improving Deep Neural Networks, week 2 assignment \"Optimization Methods\"",
		Loss:    nn.BinaryCrossEntropy,
		Metric:  "train_eval_accuracy",
		Goal:    Maximize,
		Budget:  engine.Budget{Epochs: 5000},
		Seeding: Course,
		Defaults: engine.Params{
			"optimizer": "gd", "lr": 0.0007, "batch_size": 64.0, "hidden": []float64{5, 2},
			"timing": "after_epoch",
		},
		DataParams: []Param{
			integer("data_seed", 3, 0, 1<<32-1, "numpy seed before make_moons"),
			integer("n_samples", 300, 2, 1e6, "examples"),
			num("noise", 0.2, 0, inf, false, false, "σ of the Gaussian noise"),
			{Name: "seeding", Kind: Name, Choices: []string{"course"}, Default: "course", Optional: true,
				Doc: "how the trial seed becomes random streams; this experiment always follows the course"},
			{Name: "standardize", Kind: Switch, Default: false, Optional: true,
				Doc: "this experiment never standardizes (the course); only false is accepted"},
			testSeedParam(), nTestParam(),
		},
		load: func(p engine.Params) (*data.Dataset, *data.Dataset, *data.Dataset, error) {
			seed, n, noise := intParam(p, "data_seed"), intParam(p, "n_samples"), floatParam(p, "noise")
			ds, err := data.Moons(rng.New(uint32(seed)), n, noise, true)
			if err != nil {
				return nil, nil, nil, err
			}
			var test *data.Dataset
			if nt := intParam(p, "n_test"); nt > 0 {
				test, err = data.Moons(rng.New(uint32(intParam(p, "test_seed"))), nt, noise, true)
			}
			return ds, nil, test, err
		},
		resolve: func(p engine.Params) error {
			if std, ok := p.Bool("standardize"); ok && std {
				return &ParamError{"standardize", fmt.Errorf("c2w2-moons follows the course, which does not standardize: only false is accepted")}
			}
			return checkTestSet(p, 2)
		},
		shape: func(p engine.Params) (Shape, error) {
			return Shape{Train: intParam(p, "n_samples"), Features: 2, Classes: 2}, nil
		},
	})
	register(classification("moons-mlp", "Two interleaving half circles (make_moons, 1000 points, noise 0.2), "+
		"80/20 train/validation split, standardized, MLP 16-16 ReLU.",
		nn.BinaryCrossEntropy, 100, []float64{16, 16},
		[]Param{integer("n_samples", 1000, 2, 1e6, "examples"), num("noise", 0.2, 0, inf, false, false, "σ of the noise")},
		func(r *rng.RandomState, p engine.Params) (*data.Dataset, error) {
			return data.Moons(r, intParam(p, "n_samples"), floatParam(p, "noise"), true)
		}, twoDimensional(2)))
	register(classification("circles-mlp", "A small circle inside a large one (make_circles, 1000 points, "+
		"noise 0.1, factor 0.5), 80/20 split, standardized, MLP 16-16 ReLU.",
		nn.BinaryCrossEntropy, 100, []float64{16, 16},
		[]Param{integer("n_samples", 1000, 2, 1e6, "examples"), num("noise", 0.1, 0, inf, false, false, "σ of the noise"),
			num("factor", 0.5, 0, 1, true, true, "inner radius / outer radius")},
		func(r *rng.RandomState, p engine.Params) (*data.Dataset, error) {
			return data.Circles(r, intParam(p, "n_samples"), floatParam(p, "noise"), floatParam(p, "factor"), true)
		}, twoDimensional(2)))
	register(classification("spirals-mlp", "Three interleaved spiral arms (900 points, noise 0.2), 80/20 split, "+
		"softmax MLP 32-32 ReLU.",
		nn.SoftmaxCrossEntropy, 200, []float64{32, 32},
		[]Param{integer("n_samples", 900, 3, 1e6, "examples"), integer("classes", 3, 2, 100, "spiral arms"),
			num("noise", 0.2, 0, inf, false, false, "σ of the noise")},
		func(r *rng.RandomState, p engine.Params) (*data.Dataset, error) {
			return data.Spirals(r, intParam(p, "n_samples"), intParam(p, "classes"), floatParam(p, "noise"))
		}, func(p engine.Params) (Shape, error) {
			n, k := intParam(p, "n_samples"), intParam(p, "classes")
			if n < k {
				return Shape{}, fmt.Errorf("%w: spirals: n = %d, need at least one point per class (%d)", data.ErrBadParameter, n, k)
			}
			return Shape{Train: n, Features: 2, Classes: k}, nil
		}))
	register(classification("blobs-mlp", "Three Gaussian blobs in the plane (600 points, σ 1.0), 80/20 split, "+
		"softmax MLP 16 ReLU.",
		nn.SoftmaxCrossEntropy, 50, []float64{16},
		[]Param{integer("n_samples", 600, 3, 1e6, "examples"), num("std", 1, 0, inf, true, false, "σ of each blob")},
		func(r *rng.RandomState, p engine.Params) (*data.Dataset, error) {
			return data.Blobs(r, intParam(p, "n_samples"), [][]float64{{-2, 0}, {2, 0}, {0, 3}}, floatParam(p, "std"))
		}, twoDimensional(3)))
	register(classification("iris-mlp", "Fisher's iris data (150 flowers, 4 measurements, 3 species; the copy "+
		"scikit-learn ships), 80/20 split, standardized, softmax MLP 16 ReLU.",
		nn.SoftmaxCrossEntropy, 200, []float64{16}, nil,
		func(r *rng.RandomState, p engine.Params) (*data.Dataset, error) { return data.Iris(), nil },
		func(engine.Params) (Shape, error) { return Shape{Train: 150, Features: 4, Classes: 3}, nil }))

	fn := func(name, desc string, steps int, lr float64, f func(engine.Params) testfunc.Function) {
		register(&Experiment{
			Name: name, Description: desc, Function: true,
			Metric: "train_loss", Goal: Minimize, Budget: engine.Budget{Epochs: steps},
			Defaults: engine.Params{"optimizer": "gd", "lr": lr},
			function: f,
		})
	}
	fn("quadratic", "The ill-conditioned quadratic f = 10x² + 0.5y² (condition number 20, the course's elongated "+
		"contours) from (1.5, −9); an epoch is one step.", 100, 0.09,
		func(engine.Params) testfunc.Function { return testfunc.IllConditionedQuadratic{} })
	fn("rosenbrock", "Rosenbrock's valley f = (1−x)² + 100(y−x²)² from (−1.2, 1); an epoch is one step.", 2000, 0.001,
		func(engine.Params) testfunc.Function { return testfunc.Rosenbrock{} })
	fn("beale", "Beale's function from (1, 1.5); minimum at (3, 0.5); an epoch is one step.", 2000, 0.001,
		func(engine.Params) testfunc.Function { return startAt{testfunc.Beale{}, 1, 1.5} })
}

// twoDimensional counts the points of a generated problem in the plane
// with n_samples points in k classes.
func twoDimensional(k int) func(engine.Params) (Shape, error) {
	return func(p engine.Params) (Shape, error) {
		return Shape{Train: intParam(p, "n_samples"), Features: 2, Classes: k}, nil
	}
}

// classification registers a generated or vendored classification problem
// with a validation split, standardized with the training statistics.
// count gives the size of what gen generates without generating it; the
// experiments' tests check the two agree. A generated problem (one with
// an n_samples setting) also takes the course protocol's settings:
// seeding, standardize, and a separately generated test set (test_seed,
// n_test).
func classification(name, desc string, loss nn.Loss, epochs int, hidden []float64, dataParams []Param,
	gen func(*rng.RandomState, engine.Params) (*data.Dataset, error), count func(engine.Params) (Shape, error)) *Experiment {
	minSamples := 0
	for _, p := range dataParams {
		if p.Name == "n_samples" {
			minSamples = int(p.Spec.Min)
		}
	}
	generatedData := minSamples > 0
	dataParams = append([]Param{
		integer("data_seed", 0, 0, 1<<32-1, "seed of the data and the split (the same for every trial seed)"),
		num("val_fraction", 0.2, 0, 1, false, true, "share of examples held out for validation"),
	}, dataParams...)
	if generatedData {
		dataParams = append(dataParams,
			Param{Name: "seeding", Kind: Name, Choices: []string{"streams", "course"}, Default: "streams", Optional: true,
				Doc: "streams (default): data, initialization and shuffling from independent streams derived from " +
					"data_seed and the trial seed; course: numpy-style, the data drawn after np.random.seed(data_seed), " +
					"the initialization after np.random.seed(trial seed), epoch i's permutation after np.random.seed(seed+8+i), " +
					"as c2w2-moons does"},
			Param{Name: "standardize", Kind: Switch, Default: true, Optional: true,
				Doc: "true (default): standardize the training part, the validation split and the test set with the " +
					"training part's statistics when val_fraction > 0 (without a validation split the data stay as drawn); " +
					"false: never (the course)"},
			testSeedParam(), nTestParam())
	}
	e := &Experiment{
		Name: name, Description: desc, Loss: loss,
		Metric: "val_accuracy", Goal: Maximize, Budget: engine.Budget{Epochs: epochs},
		Defaults:   engine.Params{"optimizer": "adam", "lr": 0.01, "batch_size": 32.0, "hidden": hidden},
		DataParams: dataParams,
		shape:      generated(count),
		load: func(p engine.Params) (*data.Dataset, *data.Dataset, *data.Dataset, error) {
			seed := uint64(intParam(p, "data_seed"))
			course := courseSeeded(p)
			src := rng.New(rng.Derive(seed, "data"))
			if course {
				src = rng.New(uint32(seed))
			}
			ds, err := gen(src, p)
			if err != nil {
				return nil, nil, nil, err
			}
			var test *data.Dataset
			if n := intParam(p, "n_test"); n > 0 {
				test, err = generateTest(gen, p, n, course)
				if err != nil {
					return nil, nil, nil, fmt.Errorf("test set: %w", err)
				}
			}
			vf := floatParam(p, "val_fraction")
			if vf == 0 {
				return ds, nil, test, nil
			}
			parts := ds.Split(rng.New(rng.Derive(seed, "split")), 1-vf, vf)
			if parts[0].Len() == 0 {
				return nil, nil, nil, fmt.Errorf("val_fraction %v leaves no training examples", vf)
			}
			if std, ok := p.Bool("standardize"); ok && !std {
				return parts[0], parts[1], test, nil
			}
			st := data.FitStandardizer(parts[0])
			if test != nil {
				test = st.Apply(test)
			}
			return st.Apply(parts[0]), st.Apply(parts[1]), test, nil
		},
	}
	if generatedData {
		e.resolve = func(p engine.Params) error { return checkTestSet(p, minSamples) }
	}
	return e
}

// testSeedParam and nTestParam declare the separately generated test set
// of a generated problem. Both are optional, so that trials without a
// test set keep their keys.
func testSeedParam() Param {
	p := integer("test_seed", 0, 0, 1<<32-1,
		"seed of the test set, drawn like the training set but from its own seed: np.random.seed(test_seed) "+
			"under seeding: course, else the \"test\" stream derived from it (so that test_seed = data_seed does "+
			"not replay the training draws); default 0; needs n_test")
	p.Optional = true
	return p
}

func nTestParam() Param {
	p := integer("n_test", 0, 0, 1e6, "examples of the separately generated test set, evaluated after training "+
		"(test_loss, test_accuracy); 0 = no test set (default)")
	p.Optional = true
	return p
}

// checkTestSet rejects a test set too small for the generator and a
// test_seed without a test set, which would otherwise be silently unused.
func checkTestSet(p engine.Params, minSamples int) error {
	n := intParam(p, "n_test")
	if _, seeded := p["test_seed"]; seeded && n == 0 {
		return &ParamError{"test_seed", fmt.Errorf("no test set to seed: set n_test (0 = no test set)")}
	}
	if n > 0 && n < minSamples {
		return &ParamError{"n_test", fmt.Errorf("%d examples: the generator needs at least %d (0 = no test set)", n, minSamples)}
	}
	return nil
}

// courseSeeded reports whether resolved parameters ask for the course's
// numpy-style seeding.
func courseSeeded(p engine.Params) bool {
	s, _ := p.String("seeding")
	return s == "course"
}

// generateTest draws a test set of n examples with gen, as the training
// set is drawn but from test_seed.
func generateTest(gen func(*rng.RandomState, engine.Params) (*data.Dataset, error), p engine.Params, n int, course bool) (*data.Dataset, error) {
	seed := uint64(intParam(p, "test_seed"))
	src := rng.New(rng.Derive(seed, "test"))
	if course {
		src = rng.New(uint32(seed))
	}
	tp := maps.Clone(p)
	tp["n_samples"] = float64(n)
	return gen(src, tp)
}

// splitStandardized holds out the share vf of ds for validation, drawn
// from the "split" stream of the data seed, and standardizes both parts
// with the statistics of the training part.
func splitStandardized(ds *data.Dataset, seed uint64, vf float64) (train, val *data.Dataset, err error) {
	parts := ds.Split(rng.New(rng.Derive(seed, "split")), 1-vf, vf)
	if parts[0].Len() == 0 {
		return nil, nil, fmt.Errorf("val_fraction %v leaves no training examples", vf)
	}
	st := data.FitStandardizer(parts[0])
	return st.Apply(parts[0]), st.Apply(parts[1]), nil
}

func intParam(p engine.Params, name string) int {
	v, _ := p.Float(name)
	return int(v)
}

func floatParam(p engine.Params, name string) float64 {
	v, _ := p.Float(name)
	return v
}

// startAt moves a test function's starting point: from Beale's usual
// (3, 4) the gradient is about 10⁵ and plain gradient descent diverges at
// any step size that makes progress elsewhere.
type startAt struct {
	testfunc.Function
	x, y float64
}

func (s startAt) Start() (x, y float64) { return s.x, s.y }
