package experiments

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/data"
	"github.com/optbench/optbench/engine/nn"
)

// Tasks of the csv experiment.
const (
	Classification = "classification" // the label column holds classes
	Regression     = "regression"     // the label column holds a real target
)

func init() { register(csvExperiment()) }

// csvExperiment trains on the researcher's own CSV file (data.ReadCSV: a
// header row, then one example per row). It is the one experiment that
// does I/O: Resolve hashes the file into data_sha256, so that a trial's key
// changes with the file's content, and loading the data reads and parses
// it again and refuses to train when the content no longer has that hash.
//
// The loss follows the task and the data: binary cross-entropy with a
// sigmoid output for two classes, softmax cross-entropy for more, squared
// error for regression. Inputs are standardized with the statistics of
// the training part (of the whole set when val_fraction is 0); regression
// targets are used as they are.
func csvExperiment() *Experiment {
	return &Experiment{
		Name: "csv",
		Description: "Your own data: a CSV file with a header row (data_file; label names the label column, " +
			"default the last), 80/20 split, inputs standardized, MLP 16 ReLU; binary cross-entropy for two " +
			"classes, softmax cross-entropy for more, squared error with task: regression. The trial key " +
			"includes the file's SHA-256.",
		Metric: "val_loss", Goal: Minimize, Budget: engine.Budget{Epochs: 100},
		Defaults: engine.Params{"optimizer": "adam", "lr": 0.01, "batch_size": 32.0, "hidden": []float64{16}},
		DataParams: []Param{
			{Name: "data_file", Kind: Text, Default: "", Required: true, Path: true,
				Doc: "the CSV file; in a sweep, a relative path is relative to the sweep file's directory " +
					"(elsewhere, to the working directory)"},
			{Name: "label", Kind: Text, Default: "", Doc: "header name of the label column; empty = the last column"},
			{Name: "task", Kind: Name, Choices: []string{Classification, Regression}, Default: Classification,
				Doc: "classification (labels are classes) or regression (the label is a real target)"},
			integer("data_seed", 0, 0, 1<<32-1, "seed of the split (the same for every trial seed)"),
			num("val_fraction", 0.2, 0, 1, false, true, "share of examples held out for validation"),
			{Name: "data_sha256", Kind: Text, Default: "",
				Doc: "SHA-256 (hex) of the file's content; filled in from the file when not given, checked before training"},
		},
		loss:    csvLoss,
		resolve: resolveCSV,
		load: func(p engine.Params) (train, val, test *data.Dataset, err error) {
			train, val, err = loadCSV(p)
			return train, val, nil, err
		},
		shape: csvShape,
	}
}

func csvLoss(p engine.Params, classes int) nn.Loss {
	switch task, _ := p.String("task"); {
	case task == Regression:
		return nn.MeanSquaredError
	case classes == 2:
		return nn.BinaryCrossEntropy
	}
	return nn.SoftmaxCrossEntropy
}

// resolveCSV fills data_sha256 from the file, or checks the form of a
// given one.
func resolveCSV(p engine.Params) error {
	if sum, _ := p.String("data_sha256"); sum != "" {
		if !isSHA256(sum) {
			return &ParamError{"data_sha256", fmt.Errorf("want the 64 lowercase hexadecimal digits of a SHA-256, got %q", sum)}
		}
		return nil
	}
	file, _ := p.String("data_file")
	sum, err := fileDigest(file)
	if err != nil {
		return &ParamError{"data_file", err}
	}
	p["data_sha256"] = sum
	return nil
}

func isSHA256(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// loadCSV reads the file, checks its hash against data_sha256, parses it
// and splits it.
func loadCSV(p engine.Params) (train, val *data.Dataset, err error) {
	file, _ := p.String("data_file")
	src, err := readDataFile(file)
	if err != nil {
		return nil, nil, &ParamError{"data_file", err}
	}
	sum := sha256.Sum256(src)
	if want, _ := p.String("data_sha256"); want != "" && want != hex.EncodeToString(sum[:]) {
		return nil, nil, &ParamError{"data_sha256", fmt.Errorf(
			"data file %s changed since the trial was planned (its SHA-256 was %.12s…, is now %.12s…); "+
				"run the sweep again to plan trials on the new content", file, want, hex.EncodeToString(sum[:]))}
	}
	task, _ := p.String("task")
	label, _ := p.String("label")
	ds, err := data.ReadCSV(bytes.NewReader(src), file, data.CSVOptions{Label: label, Regression: task == Regression})
	if err != nil {
		return nil, nil, &ParamError{csvErrorParam(err, label), err}
	}
	if task == Classification {
		if err := checkClasses(ds, file, label); err != nil {
			return nil, nil, err
		}
	}
	vf := floatParam(p, "val_fraction")
	if vf == 0 {
		st := data.FitStandardizer(ds)
		return st.Apply(ds), nil, nil
	}
	train, val, err = splitStandardized(ds, uint64(intParam(p, "data_seed")), vf)
	if err == nil && val.Len() == 0 {
		err = fmt.Errorf("%v of %d examples leaves no validation examples; raise it, or set it to 0 and rank by train_loss",
			vf, ds.Len())
	}
	if err != nil {
		return nil, nil, &ParamError{"val_fraction", err}
	}
	return train, val, nil
}

// csvShapes caches what parsing a version of a data file gave, so that a
// sweep over val_fraction, data_seed or many optimizers reads and parses
// each file once. Training never uses it: loadCSV parses what it hashes.
var csvShapes = struct {
	sync.Mutex
	m map[csvShapeKey]csvParsed
}{m: map[csvShapeKey]csvParsed{}}

type csvShapeKey struct {
	file        fileID
	label, task string
}

type csvParsed struct {
	shape Shape // of the whole file
	err   error
}

// csvShape is the shape of the csv experiment's data: the file is read,
// checked against data_sha256 and parsed as loadCSV does, once per version
// of the file, and the split is counted.
func csvShape(p engine.Params) (Shape, error) {
	file, _ := p.String("data_file")
	task, _ := p.String("task")
	label, _ := p.String("label")
	sum, err := fileDigest(file)
	if err != nil {
		return Shape{}, &ParamError{"data_file", err}
	}
	if want, _ := p.String("data_sha256"); want != "" && want != sum {
		return Shape{}, &ParamError{"data_sha256", fmt.Errorf(
			"data file %s changed since the trial was planned (its SHA-256 was %.12s…, is now %.12s…); "+
				"run the sweep again to plan trials on the new content", file, want, sum)}
	}
	fi, err := os.Stat(file)
	if err != nil {
		return Shape{}, &ParamError{"data_file", readError(file, err)}
	}
	key := csvShapeKey{fileID{file, fi.Size(), fi.ModTime().UnixNano()}, label, task}
	csvShapes.Lock()
	parsed, ok := csvShapes.m[key]
	csvShapes.Unlock()
	if !ok {
		parsed = parseCSVShape(file, label, task)
		csvShapes.Lock()
		csvShapes.m[key] = parsed
		csvShapes.Unlock()
	}
	if parsed.err != nil {
		return Shape{}, parsed.err
	}
	s, err := splitShape(parsed.shape, floatParam(p, "val_fraction"))
	if err == nil && parsed.shape.Train > 0 && s.Val == 0 && floatParam(p, "val_fraction") != 0 {
		err = fmt.Errorf("%v of %d examples leaves no validation examples; raise it, or set it to 0 and rank by train_loss",
			floatParam(p, "val_fraction"), parsed.shape.Train)
	}
	if err != nil {
		return Shape{}, &ParamError{"val_fraction", err}
	}
	return s, nil
}

// parseCSVShape reads and parses a data file as loadCSV does and returns
// the shape of the whole data set.
func parseCSVShape(file, label, task string) csvParsed {
	src, err := readDataFile(file)
	if err != nil {
		return csvParsed{err: &ParamError{"data_file", err}}
	}
	ds, err := data.ReadCSV(bytes.NewReader(src), file, data.CSVOptions{Label: label, Regression: task == Regression})
	if err != nil {
		return csvParsed{err: &ParamError{csvErrorParam(err, label), err}}
	}
	if task == Classification {
		if err := checkClasses(ds, file, label); err != nil {
			return csvParsed{err: err}
		}
	}
	return csvParsed{shape: shapeOf(ds)}
}

// csvErrorParam names the parameter a ReadCSV error is about: label
// when the header lacks the named column (ReadCSV reports that on the
// header line with no column), data_file for everything else.
func csvErrorParam(err error, label string) string {
	var pe *data.ParseError
	if label != "" && errors.As(err, &pe) && pe.Column == 0 && strings.HasPrefix(pe.Err.Error(), "no column named") {
		return "label"
	}
	return "data_file"
}

// checkClasses rejects label columns that cannot be a classification
// target: a single class, or real numbers that ask for regression.
func checkClasses(ds *data.Dataset, file, label string) error {
	column := "the last column"
	if label != "" {
		column = fmt.Sprintf("column %q", label)
	}
	if ds.Classes < 2 {
		return &ParamError{"label", fmt.Errorf("%s of %s holds one class, %q; a classifier needs at least two",
			column, file, ds.ClassNames[0])}
	}
	fractional := ""
	for _, c := range ds.ClassNames {
		if _, err := strconv.ParseFloat(c, 64); err != nil {
			return nil // names, not numbers
		}
		if _, err := strconv.ParseInt(c, 10, 64); err != nil && fractional == "" {
			fractional = c
		}
	}
	if fractional != "" {
		return &ParamError{"task", fmt.Errorf("%s of %s holds numbers such as %s, not classes; for a real-valued target use task: regression",
			column, file, fractional)}
	}
	return nil
}

// readError says why a data file cannot be read, without the "open" of
// *fs.PathError.
func readError(file string, err error) error {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("no such file: %s", file)
	case errors.As(err, &pe):
		return fmt.Errorf("cannot read %s: %w", file, pe.Err)
	}
	return fmt.Errorf("cannot read %s: %w", file, err)
}

// fileID identifies a version of a file well enough to reuse its digest.
type fileID struct {
	path  string
	size  int64
	mtime int64 // Unix nanoseconds
}

// digests caches file digests, so that a sweep whose every configuration
// resolves the same file hashes it once. Training never uses the cache:
// loadCSV hashes the bytes it parses, so a file rewritten within one
// modification-time tick cannot slip through.
var digests = struct {
	sync.Mutex
	sums map[fileID]string
}{sums: map[fileID]string{}}

// openDataFile opens a data file after checking that it is a regular
// file, so that a directory, a device such as /dev/zero or a named pipe
// fails at once instead of blocking or reading forever: opening a FIFO
// blocks until a writer appears, so the check must come before os.Open.
// os.Stat follows symbolic links on purpose (a dataset is often a link
// into shared storage); the mode of what the link names is what counts.
// The opened file is checked again, in case it was replaced in between.
func openDataFile(file string) (*os.File, fs.FileInfo, error) {
	return openFile(file, csvFile)
}

// fileKind names what a data file should be and the parameter that names
// it, for messages.
type fileKind struct{ what, param string }

var csvFile = fileKind{"a CSV file", "data_file"}

// openFile is openDataFile for a file of the given kind.
func openFile(file string, kind fileKind) (*os.File, fs.FileInfo, error) {
	fi, err := os.Stat(file)
	if err != nil {
		return nil, nil, readError(file, err)
	}
	if err := regular(file, fi, kind); err != nil {
		return nil, nil, err
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, readError(file, err)
	}
	fi, err = f.Stat()
	if err != nil {
		err = readError(file, err)
	} else {
		err = regular(file, fi, kind)
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// regular rejects anything but a regular file, naming what it is.
func regular(file string, fi fs.FileInfo, kind fileKind) error {
	mode := fi.Mode()
	if mode.IsRegular() {
		return nil
	}
	what := "not a regular file"
	switch {
	case mode.IsDir():
		what = "a directory"
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	case mode&fs.ModeDevice != 0:
		what = "a device"
	}
	return fmt.Errorf("%s is %s, not %s; %s must name a regular file", file, what, kind.what, kind.param)
}

// readDataFile returns the content of a data file.
func readDataFile(file string) ([]byte, error) {
	return readFile(file, csvFile)
}

// readFile is readDataFile for a file of the given kind.
func readFile(file string, kind fileKind) ([]byte, error) {
	f, _, err := openFile(file, kind)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(f)
	if err != nil {
		return nil, readError(file, err)
	}
	return src, nil
}

// fileDigest returns the SHA-256 of the file's content in hex.
func fileDigest(file string) (string, error) {
	return fileDigestOf(file, csvFile)
}

// fileDigestOf is fileDigest for a file of the given kind.
func fileDigestOf(file string, kind fileKind) (string, error) {
	f, fi, err := openFile(file, kind)
	if err != nil {
		return "", err
	}
	defer f.Close()
	id := fileID{file, fi.Size(), fi.ModTime().UnixNano()}
	digests.Lock()
	sum, ok := digests.sums[id]
	digests.Unlock()
	if ok {
		return sum, nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", readError(file, err)
	}
	sum = hex.EncodeToString(h.Sum(nil))
	digests.Lock()
	digests.sums[id] = sum
	digests.Unlock()
	return sum, nil
}
