package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// PixelCSVOptions describes a CSV file of images, one per row: a label
// and Rows×Cols integer pixel values in row-major order.
type PixelCSVOptions struct {
	Rows, Cols int  // pixels of an image; both at least 1
	LabelFirst bool // the label is the first field (Kaggle's MNIST CSV files); default: the last (sklearn's digits.csv)
	Header     bool // the first row names the columns and is skipped
	MaxValue   int  // the largest pixel value; default 255
	Classes    int  // labels are 0..Classes−1; default 10
}

// ReadPixelCSV reads images from CSV text: one image per row, Rows×Cols
// integer pixels in 0..MaxValue and an integer label in 0..Classes−1, the
// first or last field. Errors are *ParseError values giving
// file:line:column. Rows×Cols is bounded by MaxColumns and the whole set by
// MaxIDXBytes pixels, checked as rows arrive, so a file that never ends
// fails with a message instead of exhausting memory.
func ReadPixelCSV(r io.Reader, name string, opt PixelCSVOptions) (*Images, error) {
	file := name
	if file == "" {
		file = "csv input"
	}
	if opt.MaxValue == 0 {
		opt.MaxValue = 255
	}
	if opt.Classes == 0 {
		opt.Classes = 10
	}
	switch {
	case opt.Rows < 1 || opt.Cols < 1 || opt.Rows > MaxColumns || opt.Cols > MaxColumns || opt.Rows*opt.Cols > MaxColumns:
		return nil, fmt.Errorf("%w: %s: images of %d×%d pixels; each side at least 1 and at most %d pixels in all",
			ErrBadParameter, file, opt.Rows, opt.Cols, MaxColumns)
	case opt.MaxValue < 1 || opt.MaxValue > 255:
		return nil, fmt.Errorf("%w: %s: largest pixel value %d, need 1 to 255", ErrBadParameter, file, opt.MaxValue)
	case opt.Classes < 2 || opt.Classes > MaxClasses:
		return nil, fmt.Errorf("%w: %s: %d classes, need 2 to %d", ErrBadParameter, file, opt.Classes, MaxClasses)
	}
	d := opt.Rows * opt.Cols
	fields := d + 1
	label := fields - 1
	if opt.LabelFirst {
		label = 0
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // wrong counts get our own message
	fail := func(line, col int, format string, args ...any) error {
		return &ParseError{File: file, Line: line, Column: col, Err: fmt.Errorf(format, args...)}
	}
	im := &Images{Name: name, Rows: opt.Rows, Cols: opt.Cols, Classes: opt.Classes, MaxValue: opt.MaxValue}
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &ParseError{File: file, Line: pe.Line, Column: pe.Column, Err: pe.Err}
		}
		if err != nil {
			return nil, &ParseError{File: file, Err: err}
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != fields {
			return nil, fail(line, 0, "row has %d fields; want %d (%d×%d pixels and a label)", len(rec), fields, opt.Rows, opt.Cols)
		}
		if first && opt.Header {
			first = false
			continue
		}
		first = false
		if len(im.Pixels)+d > MaxIDXBytes {
			return nil, fail(line, 0, "more than %d pixels in all, the most read", MaxIDXBytes)
		}
		for i, f := range rec {
			v, err := strconv.Atoi(strings.TrimSpace(f))
			hi := opt.MaxValue
			if i == label {
				hi = opt.Classes - 1
			}
			if err != nil || v < 0 || v > hi {
				_, col := cr.FieldPos(i)
				what := "pixel"
				if i == label {
					what = "label"
				}
				return nil, fail(line, col, "%s %q is not an integer in 0..%d", what, f, hi)
			}
			if i == label {
				im.Labels = append(im.Labels, uint8(v))
			} else {
				im.Pixels = append(im.Pixels, uint8(v))
			}
		}
	}
	im.N = len(im.Labels)
	if im.N == 0 {
		return nil, fail(0, 0, "no images")
	}
	return im, nil
}
