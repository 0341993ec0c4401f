package experiments

import (
	"fmt"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/data"
	"github.com/optbench/optbench/engine/nn"
)

func init() { register(idxExperiment()) }

// idxExperiment trains on the researcher's own images in IDX files, the
// format of the MNIST family (data.ReadIDX; gzip or not). Like csv it
// does I/O: Resolve hashes the files into data_sha256, so that a trial's
// key changes with their content, and loading reads, hashes and parses
// them again and refuses to train when they no longer have that hash.
// Validation images are drawn from the training files with data_seed;
// the test files, when given, are evaluated after training.
func idxExperiment() *Experiment {
	path := func(name string, required bool, doc string) Param {
		return Param{Name: name, Kind: Text, Default: "", Required: required, Path: true,
			Doc: doc + "; in a sweep, a relative path is relative to the sweep file's directory"}
	}
	return &Experiment{
		Name: "idx",
		Description: "Your own images in IDX files (the MNIST family's format, gzip or not): train_images and train_labels, " +
			"optionally test_images and test_labels; 20% of the training images held out for validation, pixels / 255 " +
			"then normalized with the training split's mean and σ, softmax MLP 128 ReLU. The trial key includes the " +
			"files' SHA-256.",
		Loss:     nn.SoftmaxCrossEntropy,
		Metric:   "val_accuracy",
		Goal:     Maximize,
		Budget:   engine.Budget{Epochs: 10},
		Defaults: engine.Params{"optimizer": "adam", "lr": 0.001, "batch_size": 64.0, "hidden": []float64{128}},
		DataParams: []Param{
			path("train_images", true, "IDX file of the training images (count×rows×columns unsigned bytes)"),
			path("train_labels", true, "IDX file of their labels (count unsigned bytes)"),
			path("test_images", false, "IDX file of test images, evaluated after training; empty = no test set"),
			path("test_labels", false, "IDX file of the test labels; given exactly when test_images is"),
			integer("classes", 10, 2, data.MaxClasses, "classes; labels are 0..classes−1"),
			integer("data_seed", 0, 0, 1<<32-1, "seed of the validation split"),
			num("val_fraction", 0.2, 0, 1, false, true, "share of the training images held out for validation"),
			nTrainParam(), nTestImagesParam(),
			normalizeParam(NormalizeGlobal),
			{Name: "data_sha256", Kind: Text, Default: "",
				Doc: "SHA-256 (hex) of the lines \"<SHA-256 of the file> <setting>\" of each file given, in the order " +
					"train_images, train_labels, test_images, test_labels; filled in from the files when not given, " +
					"checked before training"},
		},
		ModelParams: []Param{architectureParam(ArchMLP, true)},
		resolve:     func(p engine.Params) error { return resolveImageSet(p, idxFiles) },
		splits: func(p engine.Params) (bool, bool) {
			test, _ := p.String("test_images")
			return floatParam(p, "val_fraction") > 0, test != ""
		},
		load: func(p engine.Params) (train, val, test *data.Dataset, err error) {
			trainIm, testIm, err := loadImageSet(p, idxFiles, intParam(p, "classes"))
			if err != nil {
				return nil, nil, nil, err
			}
			n, vf := nTrain(p, trainIm.N), floatParam(p, "val_fraction")
			if vf > 0 && valCount(n, vf) == 0 {
				return nil, nil, nil, &ParamError{"val_fraction", noValidation(vf, n)}
			}
			return imageSplits(trainIm, testIm, p, randomHoldOut(uint64(intParam(p, "data_seed")), valCount(n, vf)))
		},
		shape: func(p engine.Params) (Shape, error) {
			vf := floatParam(p, "val_fraction")
			s, err := imageSetShape(p, idxFiles, intParam(p, "classes"), "val_fraction", func(n int) int { return valCount(n, vf) })
			if err == nil && vf > 0 && s.Val == 0 {
				err = &ParamError{"val_fraction", noValidation(vf, s.Train)}
			}
			return s, err
		},
	}
}

// noValidation says that a validation share leaves no images.
func noValidation(vf float64, n int) error {
	return fmt.Errorf("%v of %d images leaves no validation images; raise it, or set it to 0 and rank by train_loss", vf, n)
}

// nTrain is the number of training images n_train keeps of n.
func nTrain(p engine.Params, n int) int {
	if k := intParam(p, "n_train"); k > 0 {
		return min(k, n)
	}
	return n
}

// idxFiles are the idx experiment's files: its four settings.
func idxFiles(p engine.Params) (trainImages, trainLabels, testImages, testLabels imageFile, err error) {
	get := func(name string) imageFile { s, _ := p.String(name); return imageFile{name, s, name} }
	trainImages, trainLabels, testImages, testLabels = get("train_images"), get("train_labels"), get("test_images"), get("test_labels")
	switch {
	case testImages.path != "" && testLabels.path == "":
		err = &ParamError{"test_labels", fmt.Errorf("test_images is given, so test_labels must be too")}
	case testImages.path == "" && testLabels.path != "":
		err = &ParamError{"test_images", fmt.Errorf("test_labels is given, so test_images must be too")}
	}
	return
}

// imageFileSet finds the files of an image experiment from its resolved
// parameters.
type imageFileSet func(p engine.Params) (trainImages, trainLabels, testImages, testLabels imageFile, err error)

// resolveImageSet fills data_sha256 from the files, or checks the form
// of a given one.
func resolveImageSet(p engine.Params, files imageFileSet) error {
	if sum, _ := p.String("data_sha256"); sum != "" {
		if !isSHA256(sum) {
			return &ParamError{"data_sha256", fmt.Errorf("want the 64 lowercase hexadecimal digits of a SHA-256, got %q", sum)}
		}
		return nil
	}
	ti, tl, si, sl, err := files(p)
	if err != nil {
		return err
	}
	var roles, sums []string
	for _, f := range []imageFile{ti, tl, si, sl} {
		if f.path == "" {
			continue
		}
		sum, err := fileDigestOf(f.path, fileKind{"an IDX file", f.param})
		if err != nil {
			return &ParamError{f.param, err}
		}
		roles, sums = append(roles, f.role), append(sums, sum)
	}
	p["data_sha256"] = setDigest(roles, sums)
	return nil
}

// loadImageSet reads the files, checks them against data_sha256 and
// parses them.
func loadImageSet(p engine.Params, files imageFileSet, classes int) (train, test *data.Images, err error) {
	ti, tl, si, sl, err := files(p)
	if err != nil {
		return nil, nil, err
	}
	want, _ := p.String("data_sha256")
	train, test, _, err = idxSet(ti, tl, si, sl, classes, want)
	return train, test, err
}

// imageSetShape is the shape of an image experiment's data: the files
// are read, checked and parsed as loadImageSet does, once per version of
// the files, and the validation split is counted with val; valParam
// names the setting blamed when it leaves nothing to train on.
func imageSetShape(p engine.Params, files imageFileSet, classes int, valParam string, val func(n int) int) (Shape, error) {
	ti, tl, si, sl, err := files(p)
	if err != nil {
		return Shape{}, err
	}
	want, _ := p.String("data_sha256")
	var paths []string
	for _, f := range []imageFile{ti, tl, si, sl} {
		if f.path != "" {
			paths = append(paths, f.path)
		}
	}
	parsed := cachedImageShape(paths, fmt.Sprintf("%d\x00%s", classes, want), func() imageParsed {
		train, test, _, err := idxSet(ti, tl, si, sl, classes, want)
		return imageParsed{train: imagesShape(train), testImages: imagesShape(test).Train, err: err}
	})
	if parsed.err != nil {
		return Shape{}, parsed.err
	}
	s, err := trialShape(parsed.train, p, val)
	if err != nil {
		return Shape{}, &ParamError{valParam, err}
	}
	nTest := parsed.testImages
	if k := intParam(p, "n_test"); k > 0 {
		nTest = min(nTest, k)
	}
	if err := checkImageValues(s.Train+s.Val+nTest, s.Features); err != nil {
		return Shape{}, &ParamError{"n_train", err}
	}
	return s, nil
}

// MaxImageValues bounds the pixels a trial of an image experiment holds
// as float64 (training, validation and test images together): 2²⁸ values
// are 2 GiB, and a trial keeps them twice while it lays them out for the
// network. All of Fashion-MNIST is 54 880 000; an IDX file may hold up to
// 2³⁰ pixels, which would need 16 GiB.
const MaxImageValues = 1 << 28

// maxImageValues is MaxImageValues, lowered by a test.
var maxImageValues uint64 = MaxImageValues

// checkImageValues refuses a trial of more than MaxImageValues pixels.
func checkImageValues(images, features int) error {
	if n := uint64(images) * uint64(features); n > maxImageValues {
		return fmt.Errorf("%d images of %d pixels are %d values, %.1f GiB as float64, and a trial holds them twice; "+
			"at most %d values: train on part of the files with n_train and n_test", images, features, n,
			float64(n)*8/(1<<30), maxImageValues)
	}
	return nil
}
