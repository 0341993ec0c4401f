package data

import (
	"bytes"
	"compress/gzip"
	"errors"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/optbench/optbench/engine/rng"
)

func idxBytes(x *IDX) []byte {
	var b bytes.Buffer
	x.WriteTo(&b)
	return b.Bytes()
}

func gzipped(b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

func TestReadIDX(t *testing.T) {
	images := &IDX{Dims: []int{2, 3, 2}, Data: []byte{0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255}}
	raw := idxBytes(images)
	// The header MNIST's files have: magic 0x00000803, then big-endian sizes.
	if !bytes.Equal(raw[:16], []byte{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 2}) {
		t.Fatalf("header % x", raw[:16])
	}
	for name, src := range map[string][]byte{"plain": raw, "gzip": gzipped(raw)} {
		got, err := ReadIDX(bytes.NewReader(src), "images")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(got.Dims, images.Dims) || !bytes.Equal(got.Data, images.Data) {
			t.Errorf("%s: read %v % x", name, got.Dims, got.Data)
		}
	}

	header := func(b ...byte) []byte { return b }
	for _, c := range []struct {
		name string
		src  []byte
		want string
	}{
		{"empty", nil, "images: empty file: not an IDX file"},
		{"short magic", header(0, 0), "truncated: the file ends in the magic number"},
		{"text", []byte("label,pixel0\n"), "not an IDX file (which starts with two zero bytes)"},
		{"float elements", header(0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0), "elements of type float32 (0x0d): only unsigned bytes"},
		{"unknown type", header(0, 0, 0x42, 1), "element type 0x42 is not an IDX type"},
		{"no dimensions", header(0, 0, 8, 0), "0 dimensions: 1 to 4 are read"},
		{"too many dimensions", header(0, 0, 8, 200), "200 dimensions"},
		{"short dimensions", header(0, 0, 8, 3, 0, 0, 0, 2, 0, 0), "truncated: the file ends in dimension 2 of 3"},
		{"zero dimension", header(0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 0), "dimension 2 is 0"},
		{"huge", header(0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1), "dimensions [4294967295]… hold more than 1073741824 bytes"},
		{"huge product", header(0, 0, 8, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1), "hold more than"},
		{"truncated data", raw[:len(raw)-1], "truncated: dimensions [2 3 2] promise 12 bytes of data, the file holds 11"},
		{"promise without data", header(0, 0, 8, 1, 0x3f, 0xff, 0xff, 0xff), "promise 1073741823 bytes of data, the file holds 0"},
		{"trailing bytes", append(slices.Clone(raw), 7), "more data than dimensions [2 3 2] hold"},
		{"two files", append(slices.Clone(raw), raw...), "more data than"},
		{"broken gzip", gzipped(raw)[:20], "images: truncated"},
		{"gzip of garbage", []byte{0x1f, 0x8b, 1, 2, 3}, "images: gzip:"},
	} {
		_, err := ReadIDX(bytes.NewReader(c.src), "images")
		var pe *ParseError
		if !errors.As(err, &pe) || pe.File != "images" || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a *ParseError containing %q", c.name, err, c.want)
		}
	}
}

// TestReadIDXDoesNotTrustTheHeader: a header promising 2³⁰ − 1 bytes
// costs the bytes that arrive, not the bytes promised.
func TestReadIDXDoesNotTrustTheHeader(t *testing.T) {
	src := []byte{0, 0, 8, 1, 0x3f, 0xff, 0xff, 0xff}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ReadIDX(bytes.NewReader(src), "x")
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("no error for a header without data")
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("reading an 8-byte file allocated %d bytes", n)
	}
}

func TestReadIDXHeader(t *testing.T) {
	raw := idxBytes(&IDX{Dims: []int{3, 1, 2}, Data: make([]byte, 6)})
	for _, src := range [][]byte{raw[:16], gzipped(raw)} { // the header alone is enough
		dims, err := ReadIDXHeader(bytes.NewReader(src), "h")
		if err != nil || !slices.Equal(dims, []int{3, 1, 2}) {
			t.Errorf("ReadIDXHeader = %v, %v", dims, err)
		}
	}
	if _, err := ReadIDXHeader(bytes.NewReader(raw[:10]), "h"); err == nil || !strings.Contains(err.Error(), "h: truncated: the file ends in dimension 2 of 3") {
		t.Errorf("short header: %v", err)
	}
}

func TestImagesFromIDX(t *testing.T) {
	images := &IDX{Dims: []int{3, 2, 2}, Data: []byte{0, 255, 0, 255, 1, 2, 3, 4, 9, 9, 9, 9}}
	labels := &IDX{Dims: []int{3}, Data: []byte{0, 2, 1}}
	im, err := ImagesFromIDX("set", images, labels, 3)
	if err != nil {
		t.Fatal(err)
	}
	d := im.Dataset([]int{2, 0})
	if d.Len() != 2 || !slices.Equal(d.Labels, []int{1, 0}) || d.X.At(1, 1) != 1 || d.X.At(0, 0) != 9.0/255 ||
		d.Features[3] != "pixel_1_1" || d.Classes != 3 {
		t.Errorf("Dataset: %v %v %v", d.X, d.Labels, d.Features)
	}
	if h := im.Head(2); h.N != 2 || len(h.Pixels) != 8 || len(h.Labels) != 2 {
		t.Errorf("Head(2): %+v", h)
	}
	if s := im.Subset([]int{1}); s.N != 1 || !bytes.Equal(s.Pixels, []byte{1, 2, 3, 4}) || s.Labels[0] != 2 {
		t.Errorf("Subset: %+v", s)
	}
	for _, c := range []struct {
		images, labels *IDX
		classes        int
		want           string
	}{
		{labels, labels, 3, "the images have 1 dimensions"},
		{images, images, 3, "the labels have 3 dimensions"},
		{images, &IDX{Dims: []int{2}, Data: []byte{0, 1}}, 3, "3 images but 2 labels"},
		{images, labels, 2, "label 2 of image 1 is not one of the 2 classes 0..1"},
		{images, labels, 1, "1 classes, need 2 to 256"},
	} {
		if _, err := ImagesFromIDX("set", c.images, c.labels, c.classes); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ImagesFromIDX: %v, want %q", err, c.want)
		}
	}
}

func TestReadPixelCSV(t *testing.T) {
	// Kaggle's MNIST CSV layout: a header, the label first.
	src := "label,p0,p1,p2,p3\n3,0,10,255,4\n1, 1,2,3,4\n"
	im, err := ReadPixelCSV(strings.NewReader(src), "k.csv", PixelCSVOptions{Rows: 2, Cols: 2, LabelFirst: true, Header: true})
	if err != nil {
		t.Fatal(err)
	}
	if im.N != 2 || !bytes.Equal(im.Labels, []byte{3, 1}) || !bytes.Equal(im.Pixels, []byte{0, 10, 255, 4, 1, 2, 3, 4}) || im.MaxValue != 255 {
		t.Errorf("read %+v", im)
	}
	for _, c := range []struct {
		src  string
		opt  PixelCSVOptions
		want string
	}{
		{"1,2,3,4,5\n1,2,3\n", PixelCSVOptions{Rows: 2, Cols: 2}, "k.csv:2: row has 3 fields; want 5 (2×2 pixels and a label)"},
		{"1,2,3,4,5\n1,2,x,4,5\n", PixelCSVOptions{Rows: 2, Cols: 2}, `k.csv:2:5: pixel "x" is not an integer in 0..255`},
		{"1,2,17,4,5\n", PixelCSVOptions{Rows: 2, Cols: 2, MaxValue: 16}, `k.csv:1:5: pixel "17" is not an integer in 0..16`},
		{"1,2,3,4,10\n", PixelCSVOptions{Rows: 2, Cols: 2}, `k.csv:1:9: label "10" is not an integer in 0..9`},
		{"1,2,3,4,-1\n", PixelCSVOptions{Rows: 2, Cols: 2}, `label "-1"`},
		{"1,2,3,4,1.5\n", PixelCSVOptions{Rows: 2, Cols: 2}, `label "1.5"`},
		{"a,b,c,d,e\n", PixelCSVOptions{Rows: 2, Cols: 2, Header: true}, "k.csv: no images"},
		{"1,\"2\n", PixelCSVOptions{Rows: 2, Cols: 2}, "k.csv:1:"},
		{"1\n", PixelCSVOptions{Rows: 0, Cols: 2}, "images of 0×2 pixels"},
		{"1\n", PixelCSVOptions{Rows: 1 << 20, Cols: 1 << 20}, "at most 100000 pixels"},
	} {
		_, err := ReadPixelCSV(strings.NewReader(c.src), "k.csv", c.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadPixelCSV(%q, %+v) = %v, want %q", c.src, c.opt, err, c.want)
		}
	}
}

// TestDigits checks the vendored copy against what scikit-learn 1.2.1's
// load_digits gives: 1797 images, the class counts of its DESCR and the
// first image, digits.images[0].
func TestDigits(t *testing.T) {
	im := Digits()
	if im.N != 1797 || im.Rows != 8 || im.Cols != 8 || im.Classes != 10 || im.MaxValue != 16 {
		t.Fatalf("%d images of %d×%d, %d classes, max %d", im.N, im.Rows, im.Cols, im.Classes, im.MaxValue)
	}
	counts := make([]int, 10)
	for _, l := range im.Labels {
		counts[l]++
	}
	if want := []int{178, 182, 177, 183, 181, 182, 181, 179, 174, 180}; !slices.Equal(counts, want) {
		t.Errorf("class counts %v, want %v", counts, want)
	}
	first := []byte{0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8, 8, 0,
		0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0}
	if !bytes.Equal(im.Pixels[:64], first) || im.Labels[0] != 0 || im.Labels[1796] != 8 {
		t.Errorf("first image % d label %d, last label %d", im.Pixels[:64], im.Labels[0], im.Labels[1796])
	}
}

func TestStratifiedRows(t *testing.T) {
	labels := make([]int, 100)
	for i := range labels {
		labels[i] = min(i%7, 2) // classes of 15, 15 and 70 rows
	}
	parts := StratifiedRows(rng.New(1), 3, labels, 0.6, 0.2)
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	var all []int
	for p, rows := range parts {
		if !slices.IsSorted(rows) {
			t.Errorf("part %d is not in file order", p)
		}
		counts := make([]int, 3)
		for _, r := range rows {
			counts[labels[r]]++
		}
		// SplitSizes of 15 and 70 rows by 0.6, 0.2, rest: 9/3/3 and 42/14/14.
		want := [][]int{{9, 9, 42}, {3, 3, 14}, {3, 3, 14}}[p]
		if !slices.Equal(counts, want) {
			t.Errorf("part %d has classes %v, want %v", p, counts, want)
		}
		all = append(all, rows...)
	}
	slices.Sort(all)
	if len(slices.Compact(all)) != 100 {
		t.Error("parts overlap or miss rows")
	}
	again := StratifiedRows(rng.New(1), 3, labels, 0.6, 0.2)
	if !slices.Equal(again[0], parts[0]) {
		t.Error("the same seed gave another split")
	}
	d := tenRows()
	sp := d.StratifiedSplit(rng.New(3), 0.5)
	// Classes of 4, 3 and 3 rows: half of each rounds to 2, 2 and 2.
	if sp[0].Len() != 6 || sp[1].Len() != 4 {
		t.Errorf("StratifiedSplit of ten rows: %d and %d", sp[0].Len(), sp[1].Len())
	}
}

func TestNormalization(t *testing.T) {
	d := tenRows() // columns i and 10i, i = 0..9
	nz := FitNormalization(d)
	// Mean of all 20 values: (45 + 450)/20; σ from numpy: np.std(np.r_[x, 10*x]).
	if !scalar.EqualWithinAbsOrRel(nz.Mean, 24.75, 1e-15, 1e-15) || !scalar.EqualWithinAbsOrRel(nz.Std, 28.752173830860162, 0, 1e-14) {
		t.Errorf("FitNormalization = %+v", nz)
	}
	nz.ApplyInPlace(d)
	after := FitNormalization(d)
	if !scalar.EqualWithinAbs(after.Mean, 0, 1e-15) || !scalar.EqualWithinAbsOrRel(after.Std, 1, 1e-15, 1e-15) {
		t.Errorf("after normalizing: %+v", after)
	}
	e := tenRows()
	st := FitStandardizer(e)
	want := st.Apply(e)
	st.ApplyInPlace(e)
	if !slices.Equal(want.X.RawMatrix().Data, e.X.RawMatrix().Data) {
		t.Error("Standardizer.ApplyInPlace differs from Apply")
	}
}
