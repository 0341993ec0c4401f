package experiments

import (
	"fmt"
	"math"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/data"
	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/rng"
)

// Splits of the digits into training and test images, the values of
// digits-mlp's split setting.
const (
	SplitSklearnExample = "sklearn_example" // the first images train, the last test_fraction test, unshuffled
	SplitStratified     = "stratified"      // each class split in proportion, drawn from data_seed
)

func init() { register(digitsMLP()) }

// digitsMLP is scikit-learn's handwritten digits with the split of its
// classification example and the network and optimizer of MLPClassifier.
//
// Source: scikit-learn 1.2, examples/classification/plot_digits_classification.py
// (train_test_split(X, y, test_size=0.5, shuffle=False): the first 898
// images train, the last 899 test) and sklearn.neural_network.MLPClassifier
// with hidden_layer_sizes=(64,), batch_size=32 and its defaults: Adam at
// learning rate 0.001, β 0.9/0.999, ε 1e-8, L2 penalty alpha = 1e-4
// (scikit-learn's ½·alpha·‖W‖²/batch, the same as the l2 setting here),
// Glorot-uniform weights, at most 200 epochs (max_iter). Inputs are the
// pixels divided by 16: with them scikit-learn 1.2.1 reaches a test
// accuracy of 0.943–0.948 over random_state 0–4 (0.919–0.952 on raw
// pixels, 0.927–0.938 standardized). MLPClassifier trains on all 898
// images and stops when the training loss stalls; here n_val (default 90)
// of them are held out for validation, drawn with data_seed, so that a
// sweep can select by val_accuracy and report test_accuracy as an
// evaluation, and training runs the whole budget.
func digitsMLP() *Experiment {
	return &Experiment{
		Name: "digits-mlp",
		Description: "scikit-learn's handwritten digits (1797 images of 8×8, 10 classes; vendored), the split of " +
			"its classification example (first half train, second half test) or a stratified one, 90 of the training " +
			"half held out for validation, pixels / 16, MLP 64 ReLU (Glorot uniform), Adam lr 0.001, batch 32, " +
			"L2 1e-4, 200 epochs (MLPClassifier's defaults).",
		Source:   "scikit-learn 1.2: plot_digits_classification.py split; MLPClassifier(hidden_layer_sizes=(64,), batch_size=32)",
		Loss:     nn.SoftmaxCrossEntropy,
		Metric:   "val_accuracy",
		Goal:     Maximize,
		Budget:   engine.Budget{Epochs: 200},
		Defaults: engine.Params{"optimizer": "adam", "lr": 0.001, "batch_size": 32.0, "hidden": []float64{64}, "init": "xavier_uniform", "l2": 1e-4},
		DataParams: []Param{
			{Name: "split", Kind: Name, Choices: []string{SplitSklearnExample, SplitStratified}, Default: SplitSklearnExample,
				Doc: "training and test images: sklearn_example (the first images train, the last test_fraction of them " +
					"test, in the file's order, as scikit-learn's example) or stratified (every class split in " +
					"proportion, drawn from data_seed)"},
			num("test_fraction", 0.5, 0, 1, true, true, "share of the 1797 images in the test set (scikit-learn rounds it up: 899 of 1797)"),
			integer("data_seed", 0, 0, 1<<32-1, "seed of the validation split and of the stratified test split"),
			integer("n_val", 90, 0, 1796, "training images held out for validation, drawn from data_seed; 0 = none"),
			normalizeParam(NormalizeScale),
		},
		ModelParams: []Param{architectureParam(ArchMLP, true)},
		splits:      func(p engine.Params) (bool, bool) { return intParam(p, "n_val") > 0, true },
		load:        loadDigits,
		shape:       digitsShape,
	}
}

// digitsTestSize is the number of test images scikit-learn's
// train_test_split gives n images with test_size f: ⌈f·n⌉.
func digitsTestSize(n int, f float64) int { return int(math.Ceil(f * float64(n))) }

func loadDigits(p engine.Params) (train, val, test *data.Dataset, err error) {
	all := data.Digits()
	f := floatParam(p, "test_fraction")
	seed := uint64(intParam(p, "data_seed"))
	var trainIm, testIm *data.Images
	switch split, _ := p.String("split"); split {
	case SplitStratified:
		parts := data.StratifiedRows(rng.New(rng.Derive(seed, "test split")), all.Classes, all.Labels, 1-f, f)
		trainIm, testIm = all.Subset(parts[0]), all.Subset(parts[1])
	default:
		nTest := digitsTestSize(all.N, f)
		trainIm = all.Head(all.N - nTest)
		testIm = all.Subset(seq(all.N-nTest, all.N))
	}
	return imageSplits(trainIm, testIm, p, randomHoldOut(seed, intParam(p, "n_val")))
}

func digitsShape(p engine.Params) (Shape, error) {
	const n = 1797
	f := floatParam(p, "test_fraction")
	nTrain := n - digitsTestSize(n, f)
	if split, _ := p.String("split"); split == SplitStratified {
		// Counted per class, as StratifiedRows cuts them.
		nTrain = 0
		for _, count := range []int{178, 182, 177, 183, 181, 182, 181, 179, 174, 180} {
			nTrain += data.SplitSizes(count, 1-f, f)[0]
		}
	}
	nVal := intParam(p, "n_val")
	if nVal >= nTrain {
		return Shape{}, &ParamError{"n_val", fmt.Errorf("%d validation images leave none of the %d training images to train on", nVal, nTrain)}
	}
	return Shape{Train: nTrain - nVal, Val: nVal, Features: 64, Classes: 10, Image: nn.Shape{1, 8, 8}}, nil
}

// seq returns lo, lo+1, …, hi−1.
func seq(lo, hi int) []int {
	out := make([]int, hi-lo)
	for i := range out {
		out[i] = lo + i
	}
	return out
}
