package data

import (
	"fmt"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mat"
)

// MaxClasses bounds the classes of an image data set: labels are bytes,
// and a label of 200 in a file of digits is more likely damage than a
// class.
const MaxClasses = 256

// Images is a labelled set of grey-scale images kept as bytes, a quarter
// of the memory of float64 (Fashion-MNIST's 60 000 training images are
// 47 MB here, 376 MB as a float64 Dataset). Dataset converts a range of
// them when a trial needs them.
type Images struct {
	Name       string
	N          int     // images
	Rows, Cols int     // pixels of each image
	Pixels     []uint8 // N×Rows×Cols, row-major
	Labels     []uint8 // class of each image, in 0..Classes−1
	Classes    int
	MaxValue   int      // the largest value a pixel may take: 255 for the MNIST family, 16 for sklearn's digits
	ClassNames []string // optional, indexed by label
}

// ImagesFromIDX pairs an IDX file of images (N×rows×cols) with one of
// labels (N), as the MNIST family ships them. classes is the number of
// classes (10 for MNIST); a label outside 0..classes−1 is an error. name
// names the pair in errors and in the result.
func ImagesFromIDX(name string, images, labels *IDX, classes int) (*Images, error) {
	if classes < 2 || classes > MaxClasses {
		return nil, fmt.Errorf("%w: %s: %d classes, need 2 to %d", ErrBadParameter, name, classes, MaxClasses)
	}
	if len(images.Dims) != 3 {
		return nil, fmt.Errorf("%s: the images have %d dimensions %v; want 3 (count, rows, columns)", name, len(images.Dims), images.Dims)
	}
	if len(labels.Dims) != 1 {
		return nil, fmt.Errorf("%s: the labels have %d dimensions %v; want 1 (count)", name, len(labels.Dims), labels.Dims)
	}
	n := images.Dims[0]
	if labels.Dims[0] != n {
		return nil, fmt.Errorf("%s: %d images but %d labels", name, n, labels.Dims[0])
	}
	if i := slices.IndexFunc(labels.Data, func(l uint8) bool { return int(l) >= classes }); i >= 0 {
		return nil, fmt.Errorf("%s: label %d of image %d is not one of the %d classes 0..%d", name, labels.Data[i], i, classes, classes-1)
	}
	return &Images{Name: name, N: n, Rows: images.Dims[1], Cols: images.Dims[2],
		Pixels: images.Data, Labels: labels.Data, Classes: classes, MaxValue: 255}, nil
}

// Head returns the first n images (all when n ≥ N), sharing storage.
func (im *Images) Head(n int) *Images {
	out := *im
	out.N = min(n, im.N)
	out.Pixels = im.Pixels[:out.N*im.Rows*im.Cols]
	out.Labels = im.Labels[:out.N]
	return &out
}

// Features returns the number of pixels of an image.
func (im *Images) Features() int { return im.Rows * im.Cols }

// Dataset returns images as a Dataset of pixel values scaled to [0, 1]
// (each divided by MaxValue), one image per row, pixels in row-major
// order and named "pixel_r_c". rows selects the images, nil meaning all
// of them in order.
func (im *Images) Dataset(rows []int) *Dataset {
	d := im.Features()
	if rows == nil {
		rows = make([]int, im.N)
		for i := range rows {
			rows[i] = i
		}
	}
	out := &Dataset{Name: im.Name, Classes: im.Classes, ClassNames: slices.Clone(im.ClassNames)}
	out.Features = make([]string, d)
	for i := range d {
		out.Features[i] = "pixel_" + strconv.Itoa(i/im.Cols) + "_" + strconv.Itoa(i%im.Cols)
	}
	if len(rows) == 0 {
		return out
	}
	x := make([]float64, len(rows)*d)
	out.Labels = make([]int, len(rows))
	scale := float64(im.MaxValue)
	for i, r := range rows {
		src, dst := im.Pixels[r*d:(r+1)*d], x[i*d:(i+1)*d]
		for j, p := range src {
			dst[j] = float64(p) / scale
		}
		out.Labels[i] = int(im.Labels[r])
	}
	out.X = mat.NewDense(len(rows), d, x)
	return out
}

// Subset returns a copy of the given images, in the order given.
func (im *Images) Subset(rows []int) *Images {
	d := im.Features()
	out := *im
	out.N = len(rows)
	out.Pixels = make([]uint8, len(rows)*d)
	out.Labels = make([]uint8, len(rows))
	for i, r := range rows {
		copy(out.Pixels[i*d:(i+1)*d], im.Pixels[r*d:(r+1)*d])
		out.Labels[i] = im.Labels[r]
	}
	out.ClassNames = slices.Clone(im.ClassNames)
	return &out
}
