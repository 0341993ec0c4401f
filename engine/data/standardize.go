package data

import (
	"fmt"
	"math"
)

// Standardizer centres and scales each feature, as scikit-learn's
// StandardScaler does: fitted on the training part, applied unchanged to the
// validation and test parts so that no information leaks from them.
type Standardizer struct {
	Mean []float64 // per feature
	Std  []float64 // per feature, population standard deviation (divides by m); 0 for a constant feature
}

// FitStandardizer returns the mean and population standard deviation of
// each column of d.X. A column whose values are all equal gets its value as
// Mean and Std 0 exactly, rather than a rounding residue. It panics if d has
// no rows.
func FitStandardizer(d *Dataset) Standardizer {
	m, c := 0, 0
	if d.X != nil {
		m, c = d.X.Dims()
	}
	if m == 0 {
		panic("data: FitStandardizer: dataset has no rows")
	}
	s := Standardizer{Mean: make([]float64, c), Std: make([]float64, c)}
	for j := range c {
		first := d.X.At(0, j)
		constant := true
		sum := 0.0
		for i := range m {
			v := d.X.At(i, j)
			sum += v
			constant = constant && v == first
		}
		if constant {
			s.Mean[j] = first
			continue
		}
		mean := sum / float64(m)
		ss := 0.0
		for i := range m {
			dev := d.X.At(i, j) - mean
			ss += float64(dev * dev)
		}
		s.Mean[j] = mean
		s.Std[j] = math.Sqrt(ss / float64(m))
	}
	return s
}

// Apply returns a copy of d whose features are (x − Mean)/Std, or x − Mean
// where Std is 0. Labels and targets are copied unchanged. It panics if d has
// rows and its feature count differs from the Standardizer's.
func (s Standardizer) Apply(d *Dataset) *Dataset {
	rows := make([]int, d.Len())
	for i := range rows {
		rows[i] = i
	}
	out := d.subset(rows)
	if out.X == nil {
		return out
	}
	m, c := out.X.Dims()
	if c != len(s.Mean) || c != len(s.Std) {
		panic(fmt.Sprintf("data: Standardizer.Apply: dataset has %d features, standardizer %d", c, len(s.Mean)))
	}
	for i := range m {
		row := out.X.RawRowView(i)
		for j := range c {
			row[j] -= s.Mean[j]
			if s.Std[j] != 0 {
				row[j] /= s.Std[j]
			}
		}
	}
	return out
}

// Normalization shifts and scales every feature alike, x ↦ (x − Mean)/Std,
// as torchvision's Normalize does for a grey-scale image with one mean
// and σ over all pixels (MNIST's usual 0.1307 and 0.3081 are those of its
// training images scaled to [0, 1]).
type Normalization struct {
	Mean float64
	Std  float64 // population σ (divides by the count); 0 leaves values unscaled
}

// FitNormalization returns the mean and population standard deviation of
// all the values of d.X, summed row by row in float64. It panics if d has
// no rows.
func FitNormalization(d *Dataset) Normalization {
	if d.Len() == 0 {
		panic("data: FitNormalization: dataset has no rows")
	}
	x := d.X.RawMatrix()
	m, c := d.X.Dims()
	n := float64(m * c)
	sum := 0.0
	for i := range m {
		for _, v := range x.Data[i*x.Stride : i*x.Stride+c] {
			sum += v
		}
	}
	mean := sum / n
	ss := 0.0
	for i := range m {
		for _, v := range x.Data[i*x.Stride : i*x.Stride+c] {
			dev := v - mean
			ss += float64(dev * dev)
		}
	}
	return Normalization{Mean: mean, Std: math.Sqrt(ss / n)}
}

// ApplyInPlace normalizes d's features where they are: a data set of
// images is large (Fashion-MNIST's training part is 314 MB as float64),
// and a copy per split would double it.
func (nz Normalization) ApplyInPlace(d *Dataset) {
	if d.X == nil {
		return
	}
	x := d.X.RawMatrix()
	m, c := d.X.Dims()
	for i := range m {
		row := x.Data[i*x.Stride : i*x.Stride+c]
		for j := range row {
			row[j] -= nz.Mean
			if nz.Std != 0 {
				row[j] /= nz.Std
			}
		}
	}
}

// ApplyInPlace standardizes d's features where they are, as Apply does
// without the copy. It panics as Apply does.
func (s Standardizer) ApplyInPlace(d *Dataset) {
	if d.X == nil {
		return
	}
	m, c := d.X.Dims()
	if c != len(s.Mean) || c != len(s.Std) {
		panic(fmt.Sprintf("data: Standardizer.ApplyInPlace: dataset has %d features, standardizer %d", c, len(s.Mean)))
	}
	for i := range m {
		row := d.X.RawRowView(i)
		for j := range c {
			row[j] -= s.Mean[j]
			if s.Std[j] != 0 {
				row[j] /= s.Std[j]
			}
		}
	}
}
