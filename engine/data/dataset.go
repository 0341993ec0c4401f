package data

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/optbench/optbench/engine/rng"
)

// ErrBadParameter is wrapped by the errors generators return for
// parameters out of range (a sample count below 1, negative noise, …), which
// usually come from a sweep or experiment file.
var ErrBadParameter = errors.New("data: bad parameter")

// Dataset is a table of examples, one per row of X, with either class labels
// (classification) or real targets (regression).
type Dataset struct {
	Name       string
	X          *mat.Dense // m×d, one example per row; nil when m = 0
	Labels     []int      // class of each example in 0..Classes−1; nil for regression
	Classes    int        // number of classes; 0 for regression
	ClassNames []string   // optional name of each class, indexed by label
	Targets    *mat.Dense // m×k real targets (regression); nil for classification
	Features   []string   // optional column names of X
}

// Len returns the number of examples.
func (d *Dataset) Len() int {
	if d.X == nil {
		return 0
	}
	r, _ := d.X.Dims()
	return r
}

// Split shuffles the examples once and cuts them into consecutive parts:
//
//	perm = r.Permutation(m)           (numpy: rng.permutation(m))
//	c_i  = f_1 + … + f_i              (summed left to right in float64)
//	part i holds rows perm[round(m·c_{i−1}) : round(m·c_i)], with c_0 = 0
//
// If the fractions sum to less than 1, one more part holds the remaining
// rows, so Split(r, 0.8) returns a training and a test part. Each part is a
// copy; a part with no rows has a nil X (gonum matrices cannot be empty). Rows keep their labels, targets,
// class names and feature names.
//
// Split panics if a fraction is not in (0, 1] or they sum to more than 1;
// use [ValidateFractions] on fractions read from a file.
func (d *Dataset) Split(r *rng.RandomState, fractions ...float64) []*Dataset {
	if err := ValidateFractions(fractions...); err != nil {
		panic(err.Error())
	}
	m := d.Len()
	perm := make([]int, m)
	r.Permutation(perm)

	sizes := SplitSizes(m, fractions...)
	parts := make([]*Dataset, len(sizes))
	lo := 0
	for i, n := range sizes {
		parts[i] = d.subset(perm[lo : lo+n])
		lo += n
	}
	return parts
}

// SplitSizes returns the sizes of the parts Split makes of m examples,
// without making them: planning counts a training set this way instead
// of generating it. It panics as Split does on invalid fractions.
func SplitSizes(m int, fractions ...float64) []int {
	if err := ValidateFractions(fractions...); err != nil {
		panic(err.Error())
	}
	var bounds []int
	sum := 0.0
	for _, f := range fractions {
		sum += f
		bounds = append(bounds, min(m, int(math.Round(float64(m)*sum))))
	}
	if sum < 1-fractionSlack {
		bounds = append(bounds, m)
	} else {
		bounds[len(bounds)-1] = m
	}
	sizes := make([]int, len(bounds))
	lo := 0
	for i, hi := range bounds {
		sizes[i] = hi - lo
		lo = hi
	}
	return sizes
}

// fractionSlack absorbs float64 rounding in sums such as 0.7 + 0.2 + 0.1.
const fractionSlack = 1e-9

// ValidateFractions reports whether Split accepts fractions: at least one,
// each in (0, 1], summing to at most 1.
func ValidateFractions(fractions ...float64) error {
	if len(fractions) == 0 {
		return fmt.Errorf("%w: split: no fractions", ErrBadParameter)
	}
	sum := 0.0
	for _, f := range fractions {
		if !(f > 0 && f <= 1) {
			return fmt.Errorf("%w: split: fraction %v not in (0, 1]", ErrBadParameter, f)
		}
		sum += f
	}
	if sum > 1+fractionSlack {
		return fmt.Errorf("%w: split: fractions sum to %v, more than 1", ErrBadParameter, sum)
	}
	return nil
}

// subset returns a copy of the given rows of d.
func (d *Dataset) subset(rows []int) *Dataset {
	out := &Dataset{
		Name:       d.Name,
		Classes:    d.Classes,
		ClassNames: slices.Clone(d.ClassNames),
		Features:   slices.Clone(d.Features),
	}
	if d.Labels != nil {
		out.Labels = make([]int, len(rows))
		for i, row := range rows {
			out.Labels[i] = d.Labels[row]
		}
	}
	out.X = copyRows(d.X, rows)
	out.Targets = copyRows(d.Targets, rows)
	return out
}

// copyRows returns the given rows of a as a new matrix, or nil if there are
// none or a is nil.
func copyRows(a *mat.Dense, rows []int) *mat.Dense {
	if a == nil || len(rows) == 0 {
		return nil
	}
	_, c := a.Dims()
	out := mat.NewDense(len(rows), c, nil)
	for i, row := range rows {
		out.SetRow(i, a.RawRowView(row))
	}
	return out
}

// permuteRows returns the rows of x in the order perm, with labels to match,
// as sklearn.utils.shuffle does with X[indices], y[indices].
func permuteRows(x []float64, labels []int, d int, perm []int) ([]float64, []int) {
	px := make([]float64, len(x))
	pl := make([]int, len(labels))
	for i, src := range perm {
		copy(px[i*d:(i+1)*d], x[src*d:(src+1)*d])
		pl[i] = labels[src]
	}
	return px, pl
}

// linspace returns element i of np.linspace(start, stop, num, endpoint)
// computed as numpy 1.24 does: arange(num)·step + start, step = (stop −
// start)/div with div = num−1 (endpoint) or num, and the last element set to
// stop when endpoint is true.
func linspace(i, num int, start, stop float64, endpoint bool) float64 {
	div := num
	if endpoint {
		div = num - 1
	}
	if endpoint && num > 1 && i == num-1 {
		return stop
	}
	delta := stop - start
	var y float64
	switch {
	case div > 0 && delta/float64(div) != 0:
		y = float64(float64(i) * (delta / float64(div)))
	case div > 0: // step underflows to 0; numpy divides first
		y = float64(float64(i) / float64(div) * delta)
	default:
		y = float64(float64(i) * delta)
	}
	// The conversions above round each product before it is added to
	// anything, as numpy does; without them the compiler may fuse product
	// and sum into one FMA on some platforms (the Go spec allows it). The
	// same idiom appears wherever a product meets a sum in this package.
	return y + start
}

// checkCount and checkNoise validate generator parameters.
func checkCount(gen string, n int) error {
	if n < 1 {
		return fmt.Errorf("%w: %s: n = %d, need at least 1", ErrBadParameter, gen, n)
	}
	return nil
}

func checkNoise(gen string, noise float64) error {
	if !(noise >= 0) || math.IsInf(noise, 1) {
		return fmt.Errorf("%w: %s: noise = %v, need a finite value ≥ 0", ErrBadParameter, gen, noise)
	}
	return nil
}

// StratifiedSplit cuts the examples into parts as Split does, class by
// class, so that each part holds about the same share of every class (see
// StratifiedRows for the order of draws). Each part lists its rows in
// their order in d. It panics as Split does on invalid fractions, and on a
// dataset without labels.
func (d *Dataset) StratifiedSplit(r *rng.RandomState, fractions ...float64) []*Dataset {
	if d.Labels == nil && d.Len() > 0 {
		panic("data: StratifiedSplit: dataset has no class labels")
	}
	parts := StratifiedRows(r, d.Classes, d.Labels, fractions...)
	out := make([]*Dataset, len(parts))
	for i, rows := range parts {
		out[i] = d.subset(rows)
	}
	return out
}

// StratifiedRows returns the rows of each part of a stratified split of
// examples whose classes are labels (each in 0..classes−1):
//
//	for each class c = 0, 1, …, classes−1 in turn:
//	    rows_c = the rows of class c, in order
//	    perm   = r.Permutation(len(rows_c))
//	    part i gets rows_c[perm[lo_i : lo_i + n_i]], n_i = SplitSizes(len(rows_c), fractions…)[i]
//
// and then lists each part's rows in increasing order. Part sizes are the
// sums of the per-class sizes, which may differ from SplitSizes(m, …) by
// the rounding of each class. It panics as Split does on invalid
// fractions, and on a label outside 0..classes−1.
func StratifiedRows[L int | uint8](r *rng.RandomState, classes int, labels []L, fractions ...float64) [][]int {
	if err := ValidateFractions(fractions...); err != nil {
		panic(err.Error())
	}
	byClass := make([][]int, classes)
	for row, l := range labels {
		if int(l) < 0 || int(l) >= classes {
			panic(fmt.Sprintf("data: StratifiedRows: label %d of row %d outside 0..%d", l, row, classes-1))
		}
		byClass[l] = append(byClass[l], row)
	}
	parts := make([][]int, len(SplitSizes(0, fractions...)))
	for _, rows := range byClass {
		perm := make([]int, len(rows))
		r.Permutation(perm)
		lo := 0
		for i, n := range SplitSizes(len(rows), fractions...) {
			for _, p := range perm[lo : lo+n] {
				parts[i] = append(parts[i], rows[p])
			}
			lo += n
		}
	}
	for _, rows := range parts {
		slices.Sort(rows)
	}
	return parts
}
