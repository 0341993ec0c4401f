package experiments

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/data"
	"github.com/optbench/optbench/engine/nn"
)

// FashionMNISTPackage is the Debian package that installs Fashion-MNIST's
// IDX files in FashionMNISTSystemDir.
const (
	FashionMNISTPackage   = "dataset-fashion-mnist"
	FashionMNISTSystemDir = "/usr/share/datasets/fashion-mnist"
)

// DataEnv names the environment variable that overrides where installed
// data sets are looked for: Fashion-MNIST in $OPTBENCH_DATA/fashion-mnist.
const DataEnv = "OPTBENCH_DATA"

// fashionMNISTFiles are the four files of Fashion-MNIST (Xiao, Rasul and
// Vollgraf 2017) with the SHA-256 of each file's uncompressed content, as
// Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1 ships them
// (`zcat FILE.gz | sha256sum`). The check makes the data, not the path,
// part of what a trial means: trial keys of fmnist-mlp do not name a
// directory, and files that are not Fashion-MNIST's are refused.
var fashionMNISTFiles = [4]struct{ name, sha256 string }{
	{"train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"},
	{"train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"},
	{"t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"},
	{"t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"},
}

// fashionMNISTClasses are the class names of the Fashion-MNIST README.
var fashionMNISTClasses = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}

func init() { register(fmnistMLP()) }

// fmnistMLP is Fashion-MNIST with scikit-learn's MLPClassifier of one
// hidden layer of 128 units.
//
// Source: the data set, H. Xiao, K. Rasul and R. Vollgraf,
// "Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning
// Algorithms", arXiv:1708.07747 (2017): 60 000 training and 10 000 test
// images of 28×28, ten classes. The network and optimizer are
// MLPClassifier(hidden_layer_sizes=(128,), batch_size=128, max_iter=10)
// with its defaults (Adam at 0.001, L2 alpha 1e-4, Glorot-uniform
// weights) on pixels / 255, which reached a test accuracy of 0.882 with
// scikit-learn 1.2 trained on all 60 000 images. Here n_val (default
// 10 000) of the training images are held out for validation, drawn
// with data_seed, and the official test images are evaluated after
// training (test_accuracy).
func fmnistMLP() *Experiment {
	return &Experiment{
		Name: "fmnist-mlp",
		Description: "Fashion-MNIST (Debian's dataset-fashion-mnist; 60000 training and 10000 test images of 28×28, " +
			"10 classes), 10000 training images held out for validation, pixels / 255, MLP 784-128-10 ReLU (Glorot " +
			"uniform), Adam lr 0.001, batch 128, L2 1e-4, 10 epochs (scikit-learn's MLPClassifier; its test accuracy 0.882). " +
			"Files from " + FashionMNISTSystemDir + ", or $" + DataEnv + "/fashion-mnist.",
		Source:      "Xiao, Rasul and Vollgraf, arXiv:1708.07747 (2017); scikit-learn 1.2 MLPClassifier(hidden_layer_sizes=(128,), batch_size=128, max_iter=10)",
		Loss:        nn.SoftmaxCrossEntropy,
		Metric:      "val_accuracy",
		Goal:        Maximize,
		Budget:      engine.Budget{Epochs: 10},
		Defaults:    engine.Params{"optimizer": "adam", "lr": 0.001, "batch_size": 128.0, "hidden": []float64{128}, "init": "xavier_uniform", "l2": 1e-4},
		DataParams:  fashionMNISTDataParams(),
		ModelParams: []Param{architectureParam(ArchMLP, true)},
		splits:      func(p engine.Params) (bool, bool) { return intParam(p, "n_val") > 0, true },
		load:        loadFashionMNIST,
		shape:       fashionMNISTShape,
	}
}

// fashionMNISTDataParams are the data settings of the Fashion-MNIST
// experiments.
func fashionMNISTDataParams() []Param {
	return []Param{
		integer("data_seed", 0, 0, 1<<32-1, "seed of the validation split"),
		integer("n_val", 10000, 0, 1e7, "training images held out for validation, drawn from data_seed; 0 = none"),
		nTrainParam(), nTestImagesParam(),
		normalizeParam(NormalizeScale),
	}
}

// loadFashionMNIST is the data of a Fashion-MNIST trial: n_val training
// images drawn from data_seed validate, the official test images test.
func loadFashionMNIST(p engine.Params) (train, val, test *data.Dataset, err error) {
	trainIm, testIm, err := fashionMNIST()
	if err != nil {
		return nil, nil, nil, err
	}
	return imageSplits(trainIm, testIm, p, randomHoldOut(uint64(intParam(p, "data_seed")), intParam(p, "n_val")))
}

// fashionMNISTShape is the shape of a Fashion-MNIST trial's data, from
// the files' headers.
func fashionMNISTShape(p engine.Params) (Shape, error) {
	if err := fashionMNISTHeaders(); err != nil {
		return Shape{}, err
	}
	s, err := trialShape(Shape{Train: 60000, Features: 784, Classes: 10, Image: nn.Shape{1, 28, 28}}, p, func(int) int { return intParam(p, "n_val") })
	if err != nil {
		return Shape{}, &ParamError{"n_val", err}
	}
	return s, nil
}

// fashionMNISTDims are the dimensions of the four files.
var fashionMNISTDims = [4][]int{{60000, 28, 28}, {60000}, {10000, 28, 28}, {10000}}

// fashionMNISTHeaders finds the four files and checks their dimensions
// from their headers alone: planning a sweep should not decompress 30 MB.
// Their content is checked when a trial loads them.
func fashionMNISTHeaders() error {
	paths, err := fashionMNISTPaths()
	if err != nil {
		return err
	}
	for i, path := range paths {
		f, _, err := openFile(path, fileKind{"an IDX file", "each Fashion-MNIST file"})
		if err != nil {
			return err
		}
		dims, err := data.ReadIDXHeader(f, path)
		f.Close()
		if err != nil {
			return err
		}
		if !slices.Equal(dims, fashionMNISTDims[i]) {
			return fmt.Errorf("%s has dimensions %v, not those of Fashion-MNIST's %s, %v",
				path, dims, fashionMNISTFiles[i].name, fashionMNISTDims[i])
		}
	}
	return nil
}

// FashionMNISTDir returns the directory Fashion-MNIST is read from:
// $OPTBENCH_DATA/fashion-mnist when OPTBENCH_DATA is set, otherwise where
// Debian's dataset-fashion-mnist package installs it.
func FashionMNISTDir() string {
	if dir := os.Getenv(DataEnv); dir != "" {
		return filepath.Join(dir, "fashion-mnist")
	}
	return FashionMNISTSystemDir
}

// FashionMNISTInstalled reports whether Fashion-MNIST's four files are
// where fmnist-mlp reads them (FashionMNISTDir): nil, or the error that
// says what to install or set.
func FashionMNISTInstalled() error {
	_, err := fashionMNISTPaths()
	return err
}

// fashionMNISTPaths finds the four files, each uncompressed or .gz, and
// says what to install or set when one is missing.
func fashionMNISTPaths() ([4]string, error) {
	var paths [4]string
	dir := FashionMNISTDir()
	for i, f := range fashionMNISTFiles {
		if paths[i] = findIDX(dir, f.name); paths[i] == "" {
			how := fmt.Sprintf("install Debian's %s package (apt-get install %s), or set %s to a directory whose "+
				"fashion-mnist/ subdirectory holds the four IDX files", FashionMNISTPackage, FashionMNISTPackage, DataEnv)
			if os.Getenv(DataEnv) != "" {
				how = fmt.Sprintf("%s=%s is set; put the four IDX files (gzip or not) in %s, or unset it to use Debian's %s package",
					DataEnv, os.Getenv(DataEnv), dir, FashionMNISTPackage)
			}
			return paths, &missingData{fmt.Sprintf("Fashion-MNIST not found: no %s or %s.gz in %s; %s", f.name, f.name, dir, how)}
		}
	}
	return paths, nil
}

// fashionMNISTCache keeps the last Fashion-MNIST read, checked, for the
// version of the files it was read from (path, size, modification time),
// so that a process training many trials decompresses and checks the
// 30 MB once. Images are never modified once read.
var fashionMNISTCache struct {
	sync.Mutex
	key         string
	train, test *data.Images
}

// fashionMNIST reads the training and test images and checks that they
// are Fashion-MNIST's.
func fashionMNIST() (train, test *data.Images, err error) {
	paths, err := fashionMNISTPaths()
	if err != nil {
		return nil, nil, err
	}
	var key strings.Builder
	for _, path := range paths {
		if fi, err := os.Stat(path); err == nil {
			fmt.Fprintf(&key, "%s\x00%d\x00%d\x00", path, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	fashionMNISTCache.Lock()
	defer fashionMNISTCache.Unlock()
	if fashionMNISTCache.key == key.String() {
		return fashionMNISTCache.train, fashionMNISTCache.test, nil
	}
	train, test, err = readFashionMNIST(paths)
	if err == nil {
		fashionMNISTCache.key, fashionMNISTCache.train, fashionMNISTCache.test = key.String(), train, test
	}
	return train, test, err
}

// readFashionMNIST reads the four files and checks each against its
// SHA-256.
func readFashionMNIST(paths [4]string) (train, test *data.Images, err error) {
	var parsed [4]*data.IDX
	for i, f := range fashionMNISTFiles {
		x, err := readIDXFile(imageFile{f.name, paths[i], "each Fashion-MNIST file"})
		if err != nil {
			return nil, nil, err
		}
		if sum := decodedDigest(x.idx); sum != f.sha256 {
			return nil, nil, fmt.Errorf("%s is not Fashion-MNIST's %s: its uncompressed SHA-256 is %.12s…, Fashion-MNIST's %.12s…",
				paths[i], f.name, sum, f.sha256)
		}
		parsed[i] = x.idx
	}
	if train, err = data.ImagesFromIDX("fashion-mnist", parsed[0], parsed[1], 10); err != nil {
		return nil, nil, err
	}
	if test, err = data.ImagesFromIDX("fashion-mnist test", parsed[2], parsed[3], 10); err != nil {
		return nil, nil, err
	}
	train.ClassNames, test.ClassNames = fashionMNISTClasses, fashionMNISTClasses
	return train, test, nil
}

// missingData is the error of a data set that is not installed; it is
// ErrDatasetMissing without that prefix in its message.
type missingData struct{ msg string }

func (e *missingData) Error() string { return e.msg }

func (e *missingData) Is(target error) bool { return target == ErrDatasetMissing }
