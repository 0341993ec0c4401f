package data

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// MaxColumns bounds the columns of a CSV file. 100 000 inputs feeding
// a hidden layer of 1 024 units is already about 10⁸ weights, near
// nn.MaxParams (2²⁷), so no wider file trains a useful network here; the
// bound turns a runaway header (a file that is not CSV, or one long line)
// into one clear error instead of minutes of parsing.
const MaxColumns = 100_000

// CSVOptions says how ReadCSV interprets a file. The zero value reads a
// classification dataset whose last column is the label.
type CSVOptions struct {
	// Label is the header name of the column holding the class, or the
	// target when Regression is set. Default: the last column.
	Label string
	// Regression reads the label column as a real-valued target into
	// Dataset.Targets instead of as a class.
	Regression bool
	// Comma is the field separator. Default: ','.
	Comma rune
}

// ParseError is a problem at a place in a CSV file. Line and Column count
// from 1 (Column in bytes); either is 0 when it does not apply.
type ParseError struct {
	File   string
	Line   int
	Column int
	Err    error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// ReadCSV reads a dataset from CSV text: a header row naming the columns,
// then one example per row. Every column but the label column is a feature
// and must hold numbers; blank lines are skipped. Class labels may be any
// strings; they are mapped to 0..k−1 in sorted order, numerically if every
// label is an integer ("2" before "10"), otherwise by bytes, and kept in
// ClassNames. name (usually the file name) becomes the dataset's name and
// prefixes errors, which are *ParseError values giving file:line:column where
// they apply.
func ReadCSV(r io.Reader, name string, opt CSVOptions) (*Dataset, error) {
	cr := csv.NewReader(r)
	if opt.Comma != 0 {
		cr.Comma = opt.Comma
	}
	cr.FieldsPerRecord = -1 // ragged rows get our own message
	file := name
	if file == "" {
		file = "csv input"
	}
	fail := func(line, col int, format string, args ...any) error {
		return &ParseError{File: file, Line: line, Column: col, Err: fmt.Errorf(format, args...)}
	}
	read := func() ([]string, error) {
		rec, err := cr.Read()
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			return nil, &ParseError{File: file, Line: pe.Line, Column: pe.Column, Err: pe.Err}
		case err != nil && err != io.EOF:
			// The reader's own failure, or a Comma csv cannot use.
			return nil, &ParseError{File: file, Err: err}
		}
		return rec, err
	}

	header, err := read()
	if err == io.EOF {
		return nil, fail(0, 0, "empty file: no header row")
	}
	if err != nil {
		return nil, err
	}
	headerLine, _ := cr.FieldPos(0)
	if len(header) > MaxColumns {
		return nil, fail(headerLine, 0, "header has %d columns; at most %d are supported", len(header), MaxColumns)
	}
	header = slices.Clone(header)
	header[0] = strings.TrimPrefix(header[0], "\ufeff") // spreadsheet byte-order mark
	// A map keeps the duplicate check linear: comparing each name with
	// every earlier one took minutes for a header of 10⁵ columns.
	first := make(map[string]int, len(header))
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
		if j, dup := first[header[i]]; dup {
			_, col := cr.FieldPos(i)
			return nil, fail(headerLine, col, "column %d has the same name as column %d, %q", i+1, j+1, header[i])
		}
		first[header[i]] = i
	}
	if len(header) < 2 {
		return nil, fail(headerLine, 0, "header has %d column, need a feature and a label", len(header))
	}
	label := len(header) - 1
	if opt.Label != "" {
		if label = slices.Index(header, opt.Label); label < 0 {
			return nil, fail(headerLine, 0, "no column named %q (columns: %s)", opt.Label, quoteNames(header))
		}
	}
	features := slices.Delete(slices.Clone(header), label, label+1)

	var x, targets []float64
	var classes []string
	for {
		rec, err := read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, fail(line, 0, "row has %d fields, header has %d", len(rec), len(header))
		}
		for i, field := range rec {
			if i == label && !opt.Regression {
				classes = append(classes, strings.TrimSpace(field))
				continue
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(field), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				_, col := cr.FieldPos(i)
				return nil, fail(line, col, "column %q: %q is not a finite number", header[i], field)
			}
			if i == label {
				targets = append(targets, v)
			} else {
				x = append(x, v)
			}
		}
	}
	m := len(x) / len(features)
	if m == 0 {
		return nil, fail(0, 0, "no data rows after the header")
	}
	d := &Dataset{Name: name, X: mat.NewDense(m, len(features), x), Features: features}
	if opt.Regression {
		d.Targets = mat.NewDense(m, 1, targets)
	} else {
		d.Labels, d.ClassNames = encodeClasses(classes)
		d.Classes = len(d.ClassNames)
	}
	return d, nil
}

// encodeClasses maps class names to 0..k−1 in sorted order: numeric if all
// are integers, otherwise by bytes.
func encodeClasses(names []string) (labels []int, classes []string) {
	classes = slices.Clone(names)
	slices.Sort(classes)
	classes = slices.Compact(classes)
	ints := make(map[string]int64, len(classes))
	for _, c := range classes {
		v, err := strconv.ParseInt(c, 10, 64)
		if err != nil {
			ints = nil
			break
		}
		ints[c] = v
	}
	if ints != nil {
		slices.SortFunc(classes, func(a, b string) int {
			if c := cmp.Compare(ints[a], ints[b]); c != 0 {
				return c
			}
			return strings.Compare(a, b) // "1" and "01" are distinct classes
		})
	}
	index := make(map[string]int, len(classes))
	for i, c := range classes {
		index[c] = i
	}
	labels = make([]int, len(names))
	for i, n := range names {
		labels[i] = index[n]
	}
	return labels, classes
}

// quoteNames lists column names for a message, each quoted so that
// control characters in a header (terminal escape sequences, NUL) are
// shown escaped, and at most 20 of them.
func quoteNames(names []string) string {
	const most = 20
	var b strings.Builder
	for i, n := range names {
		if i == most {
			fmt.Fprintf(&b, ", … (%d more)", len(names)-most)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		if len(n) > 64 {
			n = n[:64] + "…"
		}
		b.WriteString(strconv.Quote(n))
	}
	return b.String()
}
