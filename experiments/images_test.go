package experiments

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/data"
)

// fakeImages makes n learnable images of rows×cols pixels: image i is of
// class i mod classes, and its pixels j ≡ class (mod classes) are bright,
// the others a dim pattern.
func fakeImages(n, rows, cols, classes int) (images, labels *data.IDX) {
	d := rows * cols
	images = &data.IDX{Dims: []int{n, rows, cols}, Data: make([]byte, n*d)}
	labels = &data.IDX{Dims: []int{n}, Data: make([]byte, n)}
	for i := range n {
		c := i % classes
		labels.Data[i] = byte(c)
		for j := range d {
			v := (i*7 + j*13) % 50
			if j%classes == c {
				v += 150
			}
			images.Data[i*d+j] = byte(v)
		}
	}
	return images, labels
}

// writeIDX writes x to dir/name, gzipped when name ends in .gz, and
// returns the path.
func writeIDX(t *testing.T, dir, name string, x *data.IDX) string {
	t.Helper()
	var b bytes.Buffer
	if strings.HasSuffix(name, ".gz") {
		zw := gzip.NewWriter(&b)
		x.WriteTo(zw)
		zw.Close()
	} else {
		x.WriteTo(&b)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// fakeMNISTDir writes MNIST's four files, n training and nTest test
// images of 28×28 (the training images gzipped, the test images not, as
// users' copies mix them), to a fresh directory.
func fakeMNISTDir(t *testing.T, n, nTest int) string {
	t.Helper()
	dir := t.TempDir()
	ti, tl := fakeImages(n, 28, 28, 10)
	si, sl := fakeImages(nTest, 28, 28, 10)
	writeIDX(t, dir, "train-images-idx3-ubyte.gz", ti)
	writeIDX(t, dir, "train-labels-idx1-ubyte.gz", tl)
	writeIDX(t, dir, "t10k-images-idx3-ubyte", si)
	writeIDX(t, dir, "t10k-labels-idx1-ubyte", sl)
	return dir
}

// idxParams writes small IDX files for the idx experiment: 300 training
// images of 6×5 in 4 classes and, with test, 80 test images.
func idxParams(t *testing.T, test bool) engine.Params {
	t.Helper()
	dir := t.TempDir()
	ti, tl := fakeImages(300, 6, 5, 4)
	p := engine.Params{"train_images": writeIDX(t, dir, "train-images.gz", ti), "train_labels": writeIDX(t, dir, "train-labels", tl),
		"classes": 4.0}
	if test {
		si, sl := fakeImages(80, 6, 5, 4)
		p["test_images"], p["test_labels"] = writeIDX(t, dir, "test-images", si), writeIDX(t, dir, "test-labels.gz", sl)
	}
	return p
}

// requireFashionMNIST skips the test when Fashion-MNIST is not installed,
// unless OPTBENCH_REQUIRE_FMNIST is set (make test sets it when it could
// install Debian's dataset-fashion-mnist), when it fails instead.
func requireFashionMNIST(t *testing.T) {
	t.Helper()
	if _, err := fashionMNISTPaths(); err != nil {
		if os.Getenv("OPTBENCH_REQUIRE_FMNIST") != "" {
			t.Fatalf("OPTBENCH_REQUIRE_FMNIST is set: %v", err)
		}
		t.Skipf("skipped: %v", err)
	}
}

// dataParams returns what an experiment that reads files needs to run
// in a test (small files, or a small subset of Fashion-MNIST), nil for
// the others. It skips the test for the Fashion-MNIST experiments without the data (see
// requireFashionMNIST).
func dataParams(t *testing.T, name string) engine.Params {
	t.Helper()
	if strings.HasPrefix(name, "fmnist-") {
		requireFashionMNIST(t)
	}
	p, _ := dataParamsIfAny(t, name)
	return p
}

// dataParamsIfAny is dataParams without skipping: ok is false for
// the Fashion-MNIST experiments without the data.
func dataParamsIfAny(t *testing.T, name string) (p engine.Params, ok bool) {
	t.Helper()
	switch name {
	case "csv":
		return engine.Params{"data_file": writeCSV(t, threeClasses)}, true
	case "idx":
		return idxParams(t, true), true
	case "algoperf-mnist":
		return engine.Params{"data_dir": fakeMNISTDir(t, 400, 100), "n_val": 100.0}, true
	case "fmnist-mlp", "fmnist-2c2d", "fmnist-cnn", "fmnist-resnet":
		_, err := fashionMNISTPaths()
		p := engine.Params{"n_train": 600.0, "n_val": 100.0, "n_test": 500.0}
		if name != "fmnist-mlp" {
			// A narrow network of the same layers keeps tests that train
			// every experiment fast; TestFashionMNISTConvSubset trains
			// the experiments' own networks.
			p["architecture"], p["batch_size"] = "cnn(channels=2,kernel=3,convs=1)", 32.0
		}
		return p, err == nil
	}
	return nil, true
}

// TestDigitsMLPAccuracy is issue 13's acceptance test: on the split of
// scikit-learn's classification example, the digits MLP reaches a test
// accuracy of at least 0.94. With all 898 training images, as
// MLPClassifier(hidden_layer_sizes=(64,), batch_size=32) trains, this
// build measured 0.9444–0.9477 over seeds 0–4, scikit-learn 1.2.1
// 0.9433–0.9477 (pixels / 16, random_state 0–4); with the default 90
// images held out for validation, 0.9410–0.9444.
func TestDigitsMLPAccuracy(t *testing.T) {
	type run struct {
		seed uint64
		nVal float64
	}
	runs := []run{{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}, {0, 90}}
	if testing.Short() {
		runs = runs[:1]
	}
	for _, r := range runs {
		t.Run(fmt.Sprintf("seed=%d/n_val=%v", r.seed, r.nVal), func(t *testing.T) {
			t.Parallel()
			res, err := Run(context.Background(), engine.Trial{Experiment: "digits-mlp", Seed: r.seed,
				Params: engine.Params{"n_val": r.nVal}, Budget: engine.Budget{Epochs: 200}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if acc := finalMetric(res.Final, "test_accuracy"); acc < 0.94 {
				t.Errorf("test accuracy %.4f, want at least 0.94", acc)
			}
		})
	}
}

func TestDigitsSplits(t *testing.T) {
	x := mustLookup(t, "digits-mlp")
	all := data.Digits()
	t.Run("sklearn example", func(t *testing.T) {
		p, err := x.Resolve(nil)
		if err != nil {
			t.Fatal(err)
		}
		tr, val, test, err := x.load(p)
		if err != nil {
			t.Fatal(err)
		}
		// train_test_split(test_size=0.5, shuffle=False): 898 and 899.
		if tr.Len() != 808 || val.Len() != 90 || test.Len() != 899 {
			t.Fatalf("sizes %d/%d/%d, want 808/90/899", tr.Len(), val.Len(), test.Len())
		}
		for i, l := range test.Labels {
			if l != int(all.Labels[898+i]) {
				t.Fatalf("test image %d has label %d, the file's image %d %d", i, l, 898+i, all.Labels[898+i])
			}
		}
		// pixels / 16, as the reference.
		if got, want := test.X.At(0, 10), float64(all.Pixels[898*64+10])/16; got != want {
			t.Errorf("test pixel 10 = %v, want %v", got, want)
		}
	})
	t.Run("stratified", func(t *testing.T) {
		p, err := x.Resolve(engine.Params{"split": SplitStratified, "n_val": 0.0, "data_seed": 5.0})
		if err != nil {
			t.Fatal(err)
		}
		tr, _, test, err := x.load(p)
		if err != nil {
			t.Fatal(err)
		}
		count := func(labels []int) []int {
			c := make([]int, 10)
			for _, l := range labels {
				c[l]++
			}
			return c
		}
		whole, a, b := count(slices.Collect(func(yield func(int) bool) {
			for _, l := range all.Labels {
				if !yield(int(l)) {
					return
				}
			}
		})), count(tr.Labels), count(test.Labels)
		for c := range 10 {
			if a[c]+b[c] != whole[c] || a[c]-b[c] > 1 || b[c]-a[c] > 1 {
				t.Errorf("class %d: %d training and %d test images of %d", c, a[c], b[c], whole[c])
			}
		}
		q, _ := x.Resolve(engine.Params{"split": SplitStratified, "n_val": 0.0, "data_seed": 6.0})
		tr2, _, _, _ := x.load(q)
		if slices.Equal(tr.X.RawMatrix().Data, tr2.X.RawMatrix().Data) {
			t.Error("data_seed 5 and 6 give the same stratified split")
		}
	})
}

func TestFashionMNISTSubset(t *testing.T) {
	requireFashionMNIST(t)
	res, err := Run(context.Background(), engine.Trial{Experiment: "fmnist-mlp", Seed: 0,
		Params: engine.Params{"n_train": 1000.0, "n_val": 200.0, "n_test": 1000.0}, Budget: engine.Budget{Epochs: 2}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Measured 0.6574 after two epochs on 800 images; chance is 0.1.
	if acc := finalMetric(res.Final, "test_accuracy"); acc < 0.5 {
		t.Errorf("test accuracy %.4f after two epochs on 800 images, want at least 0.5", acc)
	}
}

func TestFashionMNISTMissing(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(DataEnv, dir)
	x := mustLookup(t, "fmnist-mlp")
	p, err := x.Resolve(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = x.TrainSize(p)
	if !errors.Is(err, ErrDatasetMissing) || !strings.Contains(err.Error(), FashionMNISTPackage) ||
		!strings.Contains(err.Error(), filepath.Join(dir, "fashion-mnist")) {
		t.Errorf("TrainSize without the data: %v; want ErrDatasetMissing naming %s and the directory", err, FashionMNISTPackage)
	}
	if _, err := Run(context.Background(), engine.Trial{Experiment: "fmnist-mlp", Budget: engine.Budget{Epochs: 1}}, nil); !errors.Is(err, ErrDatasetMissing) {
		t.Errorf("Run without the data: %v", err)
	}

	// Files of the right names and format but other content are refused.
	sub := filepath.Join(dir, "fashion-mnist")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	ti, tl := fakeImages(100, 28, 28, 10)
	writeIDX(t, sub, "train-images-idx3-ubyte.gz", ti)
	writeIDX(t, sub, "train-labels-idx1-ubyte", tl)
	writeIDX(t, sub, "t10k-images-idx3-ubyte", ti)
	writeIDX(t, sub, "t10k-labels-idx1-ubyte", tl)
	if _, err := x.TrainSize(p); err == nil || !strings.Contains(err.Error(), "has dimensions [100 28 28], not those of Fashion-MNIST's train-images-idx3-ubyte, [60000 28 28]") {
		t.Errorf("TrainSize with other files: %v", err)
	}
	// Files of Fashion-MNIST's dimensions pass planning (which reads
	// headers only); loading checks their content.
	ti, tl = fakeImages(60000, 28, 28, 10)
	si, sl := fakeImages(10000, 28, 28, 10)
	writeIDX(t, sub, "train-images-idx3-ubyte.gz", ti)
	writeIDX(t, sub, "train-labels-idx1-ubyte", tl)
	writeIDX(t, sub, "t10k-images-idx3-ubyte", si)
	writeIDX(t, sub, "t10k-labels-idx1-ubyte", sl)
	if n, err := x.TrainSize(p); err != nil || n != 50000 {
		t.Errorf("TrainSize with files of Fashion-MNIST's dimensions: %d, %v", n, err)
	}
	if _, err := Run(context.Background(), engine.Trial{Experiment: "fmnist-mlp", Params: p, Budget: engine.Budget{Epochs: 1}}, nil); err == nil ||
		!strings.Contains(err.Error(), "is not Fashion-MNIST's train-images-idx3-ubyte: its uncompressed SHA-256 is") {
		t.Errorf("Run with other files: %v", err)
	}
}

func TestIDXExperiment(t *testing.T) {
	x := mustLookup(t, "idx")
	given := idxParams(t, true)
	p, err := x.Resolve(given)
	if err != nil {
		t.Fatal(err)
	}
	sum, _ := p.String("data_sha256")
	if !isSHA256(sum) {
		t.Fatalf("data_sha256 = %q", sum)
	}
	tr, val, test, err := x.load(p)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Len() != 240 || val.Len() != 60 || test.Len() != 80 || tr.Classes != 4 {
		t.Fatalf("sizes %d/%d/%d, %d classes", tr.Len(), val.Len(), test.Len(), tr.Classes)
	}
	// normalize: global, fitted on the training split: its pixels have mean 0.
	if nz := data.FitNormalization(tr); nz.Mean > 1e-12 || nz.Mean < -1e-12 || nz.Std < 0.999999 || nz.Std > 1.000001 {
		t.Errorf("training pixels after normalization: mean %v, σ %v", nz.Mean, nz.Std)
	}

	// The key follows the content of every file.
	key := engine.Trial{Experiment: "idx", Params: p}.Key()
	si, sl := fakeImages(81, 6, 5, 4)
	writeIDX(t, filepath.Dir(given["test_images"].(string)), "test-images", si)
	writeIDX(t, filepath.Dir(given["test_images"].(string)), "test-labels.gz", sl)
	digests.Lock()
	clear(digests.sums) // the file may be rewritten within one modification-time tick
	digests.Unlock()
	q, err := x.Resolve(given)
	if err != nil {
		t.Fatal(err)
	}
	if (engine.Trial{Experiment: "idx", Params: q}).Key() == key {
		t.Error("the trial key did not change with the test files")
	}
	if _, _, _, err := x.load(p); err == nil || !strings.Contains(err.Error(), "changed since the trial was planned") {
		t.Errorf("loading with the old data_sha256: %v", err)
	}

	for _, c := range []struct {
		change       engine.Params
		param, error string
	}{
		{engine.Params{"test_labels": ""}, "test_labels", "test_images is given, so test_labels must be too"},
		{engine.Params{"train_images": t.TempDir()}, "train_images", "is a directory, not an IDX file; train_images must name a regular file"},
		{engine.Params{"train_labels": given["train_images"]}, "train_labels", "the labels have 3 dimensions"},
		{engine.Params{"classes": 3.0}, "train_labels", "label 3 of image 3 is not one of the 3 classes"},
		{engine.Params{"test_images": writeCSV(t, "not IDX")}, "test_images", "not an IDX file"},
		{engine.Params{"val_fraction": 0.001}, "val_fraction", "leaves no validation images"},
	} {
		g := given.Clone()
		for k, v := range c.change {
			g[k] = v
		}
		p, err := x.Resolve(g)
		if err == nil {
			_, err = x.shape(p)
		}
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Param != c.param || !strings.Contains(err.Error(), c.error) {
			t.Errorf("%v: %v; want a problem of %s: %q", c.change, err, c.param, c.error)
		}
	}

	// Without test files there is no test set, and Records says so.
	noTest := idxParams(t, false)
	p, err = x.Resolve(noTest)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, test, err := x.load(p); err != nil || test != nil {
		t.Errorf("without test files: test set %v, %v", test, err)
	}
	if slices.Contains(x.Records(p), "test_accuracy") {
		t.Errorf("Records without a test set: %v", x.Records(p))
	}
}

// TestImageValuesBounded: a trial that would hold more than
// MaxImageValues pixels as float64 is refused while planning, and n_train
// lets it train on part of the files. The bound is lowered to 10⁴ values
// here (the idx files of idxParams hold 380 images of 30 pixels).
func TestImageValuesBounded(t *testing.T) {
	if err := checkImageValues(300, 1000*1000); err == nil ||
		!strings.Contains(err.Error(), "300 images of 1000000 pixels are 300000000 values, 2.2 GiB as float64") {
		t.Errorf("300 images of 1000×1000: %v", err)
	}
	if err := checkImageValues(70000, 784); err != nil {
		t.Errorf("Fashion-MNIST's 70 000 images: %v", err)
	}
	defer func(n uint64) { maxImageValues = n }(maxImageValues)
	maxImageValues = 1e4
	x := mustLookup(t, "idx")
	given := idxParams(t, true)
	p, err := x.Resolve(given)
	if err != nil {
		t.Fatal(err)
	}
	var pe *ParamError
	if _, err := x.TrainSize(p); !errors.As(err, &pe) || pe.Param != "n_train" ||
		!strings.Contains(err.Error(), "380 images of 30 pixels are 11400 values") {
		t.Errorf("TrainSize of 11 400 values: %v", err)
	}
	given["n_train"] = 250.0
	if p, err = x.Resolve(given); err != nil {
		t.Fatal(err)
	}
	if n, err := x.TrainSize(p); err != nil || n != 200 {
		t.Errorf("TrainSize with n_train 250: %d, %v", n, err)
	}
}

func TestAlgoPerfMNIST(t *testing.T) {
	x := mustLookup(t, "algoperf-mnist")
	dir := fakeMNISTDir(t, 300, 50)
	p, err := x.Resolve(engine.Params{"data_dir": dir, "n_val": 60.0})
	if err != nil {
		t.Fatal(err)
	}
	tr, val, test, err := x.load(p)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Len() != 240 || val.Len() != 60 || test.Len() != 50 {
		t.Fatalf("sizes %d/%d/%d, want 240/60/50", tr.Len(), val.Len(), test.Len())
	}
	// train[:240] trains and train[240:] validates, in order; inputs are
	// (x/255 − 0.1307)/0.3081.
	ti, tl := fakeImages(300, 28, 28, 10)
	for i, l := range val.Labels {
		if l != int(tl.Data[240+i]) {
			t.Fatalf("validation image %d has label %d, the file's image %d %d", i, l, 240+i, tl.Data[240+i])
		}
	}
	if got, want := val.X.At(0, 5), (float64(ti.Data[240*784+5])/255-0.1307)/0.3081; got != want {
		t.Errorf("validation pixel = %v, want %v", got, want)
	}

	for _, c := range []struct {
		dir, error string
	}{
		{filepath.Join(dir, "train-images-idx3-ubyte.gz"), "is not a directory"},
		{filepath.Join(dir, "absent"), "no such file"},
		{t.TempDir(), "no train-images-idx3-ubyte or train-images-idx3-ubyte.gz in"},
	} {
		_, err := x.Resolve(engine.Params{"data_dir": c.dir})
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Param != "data_dir" || !strings.Contains(err.Error(), c.error) {
			t.Errorf("data_dir %s: %v; want %q", c.dir, err, c.error)
		}
	}
}
