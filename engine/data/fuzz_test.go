package data

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/optbench/optbench/internal/fuzzlimit"
)

// FuzzReadCSV checks that no input makes ReadCSV panic or hang, that
// every failure is a *ParseError naming the file, and that a dataset it
// reads has consistent shapes: m ≥ 1 rows of finite features, one per
// non-label column, and m labels in 0..Classes−1 of sorted, distinct
// class names, or m finite targets for a regression.
func FuzzReadCSV(f *testing.F) {
	iris, err := os.ReadFile("iris.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(iris, "", false, ',')
	f.Add(iris, "sepal_length", true, ',')
	// The data files of the command's scripts, hostile_input.txtar's
	// escape sequence in a header among them.
	scripts, err := filepath.Glob("../../cmd/optbench/testdata/script/*.txtar")
	if err != nil || len(scripts) == 0 {
		f.Fatalf("no command scripts to seed from: %v", err)
	}
	for _, script := range scripts {
		a, err := txtar.ParseFile(script)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range a.Files {
			if strings.HasSuffix(file.Name, ".csv") {
				f.Add(file.Data, "", false, ',')
			}
		}
	}
	var wide strings.Builder // 2 000 columns, the last two with one name
	for i := range 2000 {
		fmt.Fprintf(&wide, "c%d,", min(i, 1998))
	}
	wide.WriteString("y\n")
	for _, c := range []struct {
		text       string
		label      string
		regression bool
		comma      rune
	}{
		{wide.String() + strings.Repeat("1,", 2000) + "a\n", "", false, ','},
		{"a,b\x00,y\n1,2,x\n", "b\x00", false, ','},
		{"a,y\n1,\x00\n2,\x00\x00\n", "", false, ','},
		{"\"a\"\"b\",\"y\nz\"\n\"1\",\"q\"\"\"\n", "y\nz", false, ','},
		{"a,y\n1,\"unterminated\n", "", false, ','},
		{"a,y\n1,bare\"quote\n", "", false, ','},
		{"a,b,y\r\n1,2,x\r\n\r\n3,4,z\r\n", "", false, ','},
		{"a;y\r1;2\r", "", true, ';'},
		{"a,y\n1e308,1\n-1.7976931348623157e308,2\n", "", true, ','},
		{"a,y\n1e309,1\n", "", true, ','},
		{"a,y\n0x1p-1074,1\n4.9e-324,2\n", "y", true, ','},
		{"a,y\nNaN,1\n", "", false, ','},
		{"a,y\n+Inf,1\n", "", false, ','},
		{"a,y\n1_000,1\n", "", false, ','},
		{"a,y\n1,9223372036854775808\n2,-9223372036854775809\n3,01\n4,1\n", "", false, ','},
		{"\ufeffa\ty\n1\t2\n", "", false, '\t'},
		{"a,y\n1,2,3\n", "", false, ','},
		{"a,a\n1,2\n", "", false, ','},
		{"y\n1\n", "", false, ','},
		{"a,y\n", "", false, ','},
		{"", "", false, ','},
		{"a,y\n1,2\n", "", false, '"'},
		{"a,y\n1,2\n", "", false, '\n'},
		{"a\uFFFDy\n1\uFFFD2\n", "", false, '\uFFFD'},
	} {
		f.Add([]byte(c.text), c.label, c.regression, c.comma)
	}
	f.Fuzz(func(t *testing.T, src []byte, label string, regression bool, comma rune) {
		opt := CSVOptions{Label: label, Regression: regression, Comma: comma}
		var d *Dataset
		var err error
		within(t, src, func() { d, err = ReadCSV(bytes.NewReader(src), "fuzz.csv", opt) })
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "fuzz.csv" || pe.Line < 0 || pe.Column < 0 {
				t.Fatalf("ReadCSV error %#v (%v) is not a *ParseError of fuzz.csv", err, err)
			}
			return
		}
		if d == nil || d.X == nil || d.Name != "fuzz.csv" {
			t.Fatalf("ReadCSV returned %+v and no error", d)
		}
		m, n := d.X.Dims()
		switch {
		case m < 1 || n < 1 || n != len(d.Features):
			t.Fatalf("X is %d×%d with %d features %q", m, n, len(d.Features), d.Features)
		case label != "" && slices.Contains(d.Features, strings.TrimSpace(label)):
			t.Fatalf("the label column %q is among the features %q", label, d.Features)
		case slices.ContainsFunc(d.X.RawMatrix().Data, notFinite):
			t.Fatal("X holds a value that is not finite")
		}
		seen := map[string]bool{}
		for _, name := range d.Features {
			if seen[name] {
				t.Fatalf("feature %q twice in %q", name, d.Features)
			}
			seen[name] = true
		}
		if regression {
			if d.Targets == nil || d.Labels != nil || d.Classes != 0 {
				t.Fatalf("regression: Targets %v, %d labels, %d classes", d.Targets, len(d.Labels), d.Classes)
			}
			if r, c := d.Targets.Dims(); r != m || c != 1 || slices.ContainsFunc(d.Targets.RawMatrix().Data, notFinite) {
				t.Fatalf("regression of %d rows: targets %d×%d %v", m, r, c, d.Targets.RawMatrix().Data)
			}
			return
		}
		if d.Targets != nil || len(d.Labels) != m || d.Classes < 1 || d.Classes != len(d.ClassNames) {
			t.Fatalf("classification of %d rows: %d labels, %d classes, names %q, targets %v",
				m, len(d.Labels), d.Classes, d.ClassNames, d.Targets)
		}
		for i, l := range d.Labels {
			if l < 0 || l >= d.Classes {
				t.Fatalf("label %d of row %d outside 0..%d", l, i, d.Classes-1)
			}
		}
		if len(slices.Compact(slices.Clone(d.ClassNames))) != len(d.ClassNames) {
			t.Fatalf("class names repeat: %q", d.ClassNames)
		}
	})
}

func notFinite(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }

// within runs f under the fuzz targets' time limit (fuzzlimit.Within).
func within(t *testing.T, input []byte, f func()) {
	t.Helper()
	fuzzlimit.Within(t, "ReadCSV", input, f)
}

// FuzzReadIDX checks that no input makes ReadIDX panic, hang or allocate
// what a header promises rather than what arrives, that every failure is
// a *ParseError naming the file, and that a file it reads has 1 to 4
// positive dimensions holding exactly its data, and reads back the same
// after WriteTo (plain and gzipped). Pairing as images and labels
// (ImagesFromIDX) must not panic either.
func FuzzReadIDX(f *testing.F) {
	var b bytes.Buffer
	(&IDX{Dims: []int{2, 3, 2}, Data: []byte{0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255}}).WriteTo(&b)
	images := slices.Clone(b.Bytes())
	b.Reset()
	(&IDX{Dims: []int{2}, Data: []byte{1, 0}}).WriteTo(&b)
	labels := slices.Clone(b.Bytes())
	f.Add(images)
	f.Add(labels)
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(images)
	zw.Close()
	f.Add(z.Bytes())
	f.Add(z.Bytes()[:20])
	for _, seed := range [][]byte{
		nil,
		{0, 0},
		{0, 0, 8, 0},
		{0, 0, 8, 5},
		{0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0},
		{0, 0, 8, 1, 0x3f, 0xff, 0xff, 0xff},
		{0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1},
		{0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 0},
		{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff},
		append(slices.Clone(images), 9),
		[]byte("label,pixel0\n1,2\n"),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var x *IDX
		var err error
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		fuzzlimit.Within(t, "ReadIDX", src, func() { x, err = ReadIDX(bytes.NewReader(src), "fuzz.idx") })
		runtime.ReadMemStats(&after)
		// gzip may inflate an input a thousandfold; beyond that (and a
		// margin for the reader's buffers) the header was trusted.
		if n := after.TotalAlloc - before.TotalAlloc; n > uint64(2048*len(src)+4<<20) {
			t.Fatalf("ReadIDX allocated %d bytes for a %d-byte input", n, len(src))
		}
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "fuzz.idx" {
				t.Fatalf("ReadIDX error %#v (%v) is not a *ParseError of fuzz.idx", err, err)
			}
			return
		}
		size := 1
		for _, d := range x.Dims {
			if d < 1 {
				t.Fatalf("dimension %d in %v", d, x.Dims)
			}
			size *= d
		}
		if len(x.Dims) < 1 || len(x.Dims) > 4 || size != len(x.Data) || size > MaxIDXBytes {
			t.Fatalf("dimensions %v with %d bytes", x.Dims, len(x.Data))
		}
		var out bytes.Buffer
		x.WriteTo(&out)
		y, err := ReadIDX(bytes.NewReader(out.Bytes()), "again")
		if err != nil || !slices.Equal(x.Dims, y.Dims) || !bytes.Equal(x.Data, y.Data) {
			t.Fatalf("WriteTo then ReadIDX: %v, %v", y, err)
		}
		if len(x.Dims) == 3 {
			lab := &IDX{Dims: []int{x.Dims[0]}, Data: make([]byte, x.Dims[0])}
			if im, err := ImagesFromIDX("fuzz", x, lab, 10); err != nil || im.N != x.Dims[0] || im.Dataset(nil).Len() != im.N {
				t.Fatalf("ImagesFromIDX: %v", err)
			}
		}
		if len(x.Dims) == 1 {
			imgs := &IDX{Dims: []int{x.Dims[0], 1, 1}, Data: make([]byte, x.Dims[0])}
			if _, err := ImagesFromIDX("fuzz", imgs, x, 256); err != nil {
				t.Fatalf("labels in 0..255 with 256 classes: %v", err)
			}
		}
	})
}

// FuzzReadPixelCSV checks that no input makes ReadPixelCSV panic or hang,
// that every failure is a *ParseError of the file (or ErrBadParameter for
// options out of range), and that images it reads have Rows×Cols pixels
// each, within 0..MaxValue, and labels within 0..Classes−1.
func FuzzReadPixelCSV(f *testing.F) {
	digits, err := os.ReadFile("digits.csv.gz")
	if err != nil {
		f.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(digits))
	if err != nil {
		f.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(plain[:2000], 8, 8, false, false, 16)
	f.Add([]byte("label,p0,p1,p2,p3\n3,0,10,255,4\n1, 1,2,3,4\n"), 2, 2, true, true, 255)
	f.Add([]byte("1,2,3,4,5\n1,2,3\n"), 2, 2, false, false, 0)
	f.Add([]byte("1,\"2\n"), 2, 2, false, false, 0)
	f.Add([]byte("1,2,3,4,99999999999999999999\n"), 2, 2, false, false, 0)
	f.Add([]byte("1\n"), 0, 0, false, false, 0)
	f.Add([]byte("1\n"), 1<<20, 1<<20, false, false, 0)
	f.Fuzz(func(t *testing.T, src []byte, rows, cols int, labelFirst, header bool, maxValue int) {
		opt := PixelCSVOptions{Rows: rows, Cols: cols, LabelFirst: labelFirst, Header: header, MaxValue: maxValue}
		var im *Images
		var err error
		fuzzlimit.Within(t, "ReadPixelCSV", src, func() { im, err = ReadPixelCSV(bytes.NewReader(src), "fuzz.csv", opt) })
		if err != nil {
			var pe *ParseError
			if !errors.Is(err, ErrBadParameter) && (!errors.As(err, &pe) || pe.File != "fuzz.csv") {
				t.Fatalf("ReadPixelCSV error %#v (%v) is neither a *ParseError of fuzz.csv nor ErrBadParameter", err, err)
			}
			return
		}
		if im.N < 1 || im.Rows != rows || im.Cols != cols || len(im.Pixels) != im.N*rows*cols || len(im.Labels) != im.N {
			t.Fatalf("%d images of %d×%d with %d pixels and %d labels", im.N, im.Rows, im.Cols, len(im.Pixels), len(im.Labels))
		}
		for _, p := range im.Pixels {
			if int(p) > im.MaxValue {
				t.Fatalf("pixel %d above %d", p, im.MaxValue)
			}
		}
		for _, l := range im.Labels {
			if int(l) >= im.Classes {
				t.Fatalf("label %d of %d classes", l, im.Classes)
			}
		}
		if d := im.Dataset(nil); d.Len() != im.N {
			t.Fatalf("Dataset has %d rows of %d images", d.Len(), im.N)
		}
	})
}
