package data

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// irisCSV is sklearn/datasets/data/iris.csv as Debian's python3-sklearn
// 1.2.1+dfsg-1 ships it; see README.md for provenance and licence.
//
//go:embed iris.csv
var irisCSV string

// Iris returns Fisher's iris data as scikit-learn's load_iris gives it: 150
// flowers, four measurements in centimetres, three classes of 50 (0 setosa,
// 1 versicolor, 2 virginica), in the file's order. The copy is scikit-learn's,
// which follows Fisher's paper and R; the UCI repository's copy differs in
// two points (rows 35 and 38). Each call returns a fresh Dataset.
//
// Source: R. A. Fisher, "The use of multiple measurements in taxonomic
// problems", Annals of Eugenics 7(2), 179–188 (1936), via scikit-learn
// (BSD-3-Clause); see README.md.
func Iris() *Dataset {
	d, err := parseSklearnCSV("iris", irisCSV,
		[]string{"sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"})
	if err != nil {
		panic("data: embedded iris.csv: " + err.Error()) // the file is fixed at build time; tests read it
	}
	return d
}

// parseSklearnCSV reads scikit-learn's bundled-data format: a first line
// "n_samples,n_features,class names…", then rows of n_features numbers and
// an integer class.
func parseSklearnCSV(name, text string, features []string) (*Dataset, error) {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	head := strings.Split(strings.TrimSpace(lines[0]), ",")
	if len(head) < 3 {
		return nil, fmt.Errorf("line 1: short header %q", lines[0])
	}
	m, err1 := strconv.Atoi(head[0])
	d, err2 := strconv.Atoi(head[1])
	if err1 != nil || err2 != nil || m != len(lines)-1 || d != len(features) {
		return nil, fmt.Errorf("line 1: header %q does not match %d rows of %d features", lines[0], len(lines)-1, len(features))
	}
	classes := head[2:]
	x := make([]float64, 0, m*d)
	labels := make([]int, 0, m)
	for i, line := range lines[1:] {
		fields := strings.Split(strings.TrimSpace(line), ",")
		if len(fields) != d+1 {
			return nil, fmt.Errorf("line %d: %d fields, want %d", i+2, len(fields), d+1)
		}
		for _, f := range fields[:d] {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", i+2, err)
			}
			x = append(x, v)
		}
		c, err := strconv.Atoi(fields[d])
		if err != nil || c < 0 || c >= len(classes) {
			return nil, fmt.Errorf("line %d: bad class %q", i+2, fields[d])
		}
		labels = append(labels, c)
	}
	return &Dataset{
		Name:       name,
		X:          mat.NewDense(m, d, x),
		Labels:     labels,
		Classes:    len(classes),
		ClassNames: classes,
		Features:   features,
	}, nil
}
