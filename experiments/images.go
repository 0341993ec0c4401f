package experiments

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/data"
	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/rng"
)

// Normalizations of image inputs, the values of the normalize setting.
// Every one first divides a pixel by its largest value (255, or 16 for
// the digits); the statistics of standardize and global come from the
// training split alone and are applied unchanged to the validation and
// test images.
const (
	NormalizeScale       = "scale"       // pixel / largest value, in [0, 1]
	NormalizeStandardize = "standardize" // then each pixel standardized (scikit-learn's StandardScaler)
	NormalizeGlobal      = "global"      // then (x − μ)/σ with one μ and σ over all pixels (torchvision's Normalize)
	NormalizeMNIST       = "mnist"       // then (x − 0.1307)/0.3081, MNIST's training statistics (AlgoPerf, PyTorch's MNIST example)
)

// mnistNormalization is the mean and σ of MNIST's 60 000 training images
// scaled to [0, 1], the constants AlgoPerf's MNIST workload (train_mean,
// train_stddev) and PyTorch's MNIST example normalize with.
var mnistNormalization = data.Normalization{Mean: 0.1307, Std: 0.3081}

// ErrDatasetMissing is wrapped by the error of an experiment whose data
// set is not installed (Fashion-MNIST without Debian's
// dataset-fashion-mnist package or OPTBENCH_DATA).
var ErrDatasetMissing = errors.New("experiments: data set not installed")

func normalizeParam(def string) Param {
	return Param{Name: "normalize", Kind: Name, Choices: []string{NormalizeScale, NormalizeStandardize, NormalizeGlobal, NormalizeMNIST},
		Default: def, Doc: "input normalization, each first dividing pixels by their largest value: scale (only that, " +
			"to [0, 1]), standardize (then each pixel by the mean and σ of the training split, as StandardScaler), " +
			"global (then one mean and σ over all pixels of the training split, as torchvision's Normalize), " +
			"mnist (then (x − 0.1307)/0.3081, MNIST's training statistics, as AlgoPerf)"}
}

func nTrainParam() Param {
	return integer("n_train", 0, 0, 1e7, "use only the first n_train images of the training file (before the "+
		"validation split); 0 = all. For quick runs and tests")
}

func nTestImagesParam() Param {
	return integer("n_test", 0, 0, 1e7, "use only the first n_test test images; 0 = all")
}

// imageSplits turns a problem's images into a trial's data: the first
// n_train training images, of which holdOut picks the validation rows,
// the first n_test test images (test may be nil), each converted to
// float64 and normalized as the normalize setting says, with statistics
// of the training split.
func imageSplits(trainIm, testIm *data.Images, p engine.Params,
	holdOut func(*data.Images) (trainRows, valRows []int, err error)) (train, val, test *data.Dataset, err error) {
	if n := intParam(p, "n_train"); n > 0 {
		trainIm = trainIm.Head(n)
	}
	if n := intParam(p, "n_test"); n > 0 && testIm != nil {
		testIm = testIm.Head(n)
	}
	trainRows, valRows, err := holdOut(trainIm)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(trainRows) == 0 {
		return nil, nil, nil, fmt.Errorf("the validation split leaves no training images")
	}
	nTest := 0
	if testIm != nil {
		nTest = testIm.N
	}
	if err := checkImageValues(len(trainRows)+len(valRows)+nTest, trainIm.Features()); err != nil {
		return nil, nil, nil, &ParamError{"n_train", err}
	}
	train = trainIm.Dataset(trainRows)
	if len(valRows) > 0 {
		val = trainIm.Dataset(valRows)
	}
	if testIm != nil {
		test = testIm.Dataset(nil)
	}
	var apply func(*data.Dataset)
	switch norm, _ := p.String("normalize"); norm {
	case NormalizeStandardize:
		apply = data.FitStandardizer(train).ApplyInPlace
	case NormalizeGlobal:
		apply = data.FitNormalization(train).ApplyInPlace
	case NormalizeMNIST:
		apply = mnistNormalization.ApplyInPlace
	default:
		return train, val, test, nil
	}
	for _, d := range []*data.Dataset{train, val, test} {
		if d != nil {
			apply(d)
		}
	}
	return train, val, test, nil
}

// randomHoldOut holds out count images drawn from the "split" stream of
// data_seed: a permutation of the images, the last count of it
// validation, each part in file order.
func randomHoldOut(seed uint64, count int) func(*data.Images) ([]int, []int, error) {
	return func(im *data.Images) ([]int, []int, error) {
		if count >= im.N {
			return nil, nil, fmt.Errorf("%d validation images leave none of %d to train on", count, im.N)
		}
		perm := make([]int, im.N)
		rng.New(rng.Derive(seed, "split")).Permutation(perm)
		trainRows, valRows := perm[:im.N-count], perm[im.N-count:]
		slices.Sort(trainRows)
		slices.Sort(valRows)
		return trainRows, valRows, nil
	}
}

// valCount is the number of validation images val_fraction holds out of
// n, as data.SplitSizes counts them.
func valCount(n int, vf float64) int {
	if vf == 0 || n == 0 {
		return 0
	}
	return data.SplitSizes(n, 1-vf, vf)[1]
}

// imageFile is one file of an image problem: its role (the setting that
// names it, or its name in a directory), its path, and the setting blamed
// for a problem with it (the role's, or data_dir).
type imageFile struct{ role, path, param string }

// idxFile is a parsed IDX file and the SHA-256 of its bytes as stored.
type idxFile struct {
	idx *data.IDX
	sum string
}

// readIDXFile reads and parses one IDX file (gzip or not); role names
// it in the message about a file that is not a regular file.
func readIDXFile(f imageFile) (idxFile, error) {
	src, err := readFile(f.path, fileKind{"an IDX file", f.param})
	if err != nil {
		return idxFile{}, err
	}
	sum := sha256.Sum256(src)
	x, err := data.ReadIDX(bytes.NewReader(src), f.path)
	if err != nil {
		return idxFile{}, err
	}
	return idxFile{x, hex.EncodeToString(sum[:])}, nil
}

// setDigest is the SHA-256 of a set of files: of the lines
// "<SHA-256 of the file> <role>\n", in the order given.
func setDigest(roles, sums []string) string {
	h := sha256.New()
	for i := range roles {
		fmt.Fprintf(h, "%s %s\n", sums[i], roles[i])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// idxSet reads the images and labels of a training set and, when the
// files are given, a test set. want, when not empty, is the data_sha256
// the set must have; param names the setting reported when it does not.
func idxSet(trainImages, trainLabels, testImages, testLabels imageFile, classes int, want string) (train, test *data.Images, sum string, err error) {
	files := []imageFile{trainImages, trainLabels}
	if testImages.path != "" {
		files = append(files, testImages, testLabels)
	}
	parsed := make([]idxFile, len(files))
	roles, sums := make([]string, len(files)), make([]string, len(files))
	for i, f := range files {
		if parsed[i], err = readIDXFile(f); err != nil {
			return nil, nil, "", &ParamError{f.param, err}
		}
		roles[i], sums[i] = f.role, parsed[i].sum
	}
	sum = setDigest(roles, sums)
	if want != "" && want != sum {
		return nil, nil, "", &ParamError{"data_sha256", fmt.Errorf(
			"the data files changed since the trial was planned (their SHA-256 was %.12s…, is now %.12s…); "+
				"run the sweep again to plan trials on the new content", want, sum)}
	}
	train, err = data.ImagesFromIDX(trainImages.path, parsed[0].idx, parsed[1].idx, classes)
	if err != nil {
		return nil, nil, "", &ParamError{trainLabels.param, err}
	}
	if len(parsed) == 4 {
		test, err = data.ImagesFromIDX(testImages.path, parsed[2].idx, parsed[3].idx, classes)
		if err != nil {
			return nil, nil, "", &ParamError{testLabels.param, err}
		}
		if test.Rows != train.Rows || test.Cols != train.Cols {
			return nil, nil, "", &ParamError{testImages.param, fmt.Errorf("test images of %d×%d pixels, training images of %d×%d",
				test.Rows, test.Cols, train.Rows, train.Cols)}
		}
	}
	return train, test, sum, nil
}

// imageShapes caches the shape of a set of image files per version of
// the files, so that planning a sweep reads and parses each set once.
// Training never uses it: it reads and checks the files again.
var imageShapes = struct {
	sync.Mutex
	m map[string]imageParsed
}{m: map[string]imageParsed{}}

type imageParsed struct {
	train      Shape // counts and sizes of the whole training files
	testImages int   // images in the test files; 0 without
	err        error
}

// cachedImageShape returns the shape of the training files (or the error),
// parsing them with parse once per version of the files.
func cachedImageShape(paths []string, extra string, parse func() imageParsed) imageParsed {
	var key strings.Builder
	for _, path := range paths {
		fi, err := os.Stat(path)
		if err != nil {
			return parse() // parse reports it
		}
		fmt.Fprintf(&key, "%s\x00%d\x00%d\x00", path, fi.Size(), fi.ModTime().UnixNano())
	}
	key.WriteString(extra)
	imageShapes.Lock()
	got, ok := imageShapes.m[key.String()]
	imageShapes.Unlock()
	if ok {
		return got
	}
	got = parse()
	imageShapes.Lock()
	imageShapes.m[key.String()] = got
	imageShapes.Unlock()
	return got
}

func imagesShape(im *data.Images) Shape {
	if im == nil {
		return Shape{}
	}
	return Shape{Train: im.N, Features: im.Features(), Classes: im.Classes, Image: nn.Shape{1, im.Rows, im.Cols}}
}

// trialShape is the shape of a trial's data from the whole training
// file's: the first n_train images, less the validation images.
func trialShape(whole Shape, p engine.Params, val func(n int) int) (Shape, error) {
	n := whole.Train
	if k := intParam(p, "n_train"); k > 0 {
		n = min(n, k)
	}
	v := val(n)
	if v >= n {
		return Shape{}, fmt.Errorf("%d validation images leave none of %d to train on", v, n)
	}
	return Shape{Train: n - v, Val: v, Features: whole.Features, Classes: whole.Classes, Image: whole.Image}, nil
}

// decodedDigest is the SHA-256 of an IDX file's uncompressed bytes, what
// `zcat FILE | sha256sum` prints for a .gz file.
func decodedDigest(x *data.IDX) string {
	h := sha256.New()
	x.WriteTo(h) // a hash never fails to write
	return hex.EncodeToString(h.Sum(nil))
}

// findIDX returns the path of an IDX file called name in dir, or of
// name.gz, whichever exists ("" when neither does).
func findIDX(dir, name string) string {
	for _, n := range []string{name, name + ".gz"} {
		path := dir + string(os.PathSeparator) + n
		if _, err := os.Stat(path); err == nil {
			return path
		}
	}
	return ""
}
