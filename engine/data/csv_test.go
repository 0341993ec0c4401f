package data

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestReadCSV(t *testing.T) {
	for _, c := range []struct {
		name       string
		text       string
		opt        CSVOptions
		wantX      []float64
		wantLabels []int
		wantNames  []string
		wantTarget []float64
		features   []string
	}{
		{
			name:       "string labels, last column",
			text:       "a,b,species\n1,2,setosa\n3,4,virginica\n5,6,setosa\n",
			wantX:      []float64{1, 2, 3, 4, 5, 6},
			wantLabels: []int{0, 1, 0},
			wantNames:  []string{"setosa", "virginica"},
			features:   []string{"a", "b"},
		},
		{
			name:       "integer labels sort numerically",
			text:       "y,x\n10,0.5\n2,1e3\n-1,-2\n",
			opt:        CSVOptions{Label: "y"},
			wantX:      []float64{0.5, 1000, -2},
			wantLabels: []int{2, 1, 0},
			wantNames:  []string{"-1", "2", "10"},
			features:   []string{"x"},
		},
		{
			name:       "regression, semicolons, spaces, BOM, blank line",
			text:       "\ufeff x1 ; target ; x2\n1; 0.25 ;2\n\n3;-1;4\n",
			opt:        CSVOptions{Label: "target", Regression: true, Comma: ';'},
			wantX:      []float64{1, 2, 3, 4},
			wantTarget: []float64{0.25, -1},
			features:   []string{"x1", "x2"},
		},
		{
			name:       "quoted fields",
			text:       "\"x, first\",label\n\"1.5\",\"a b\"\n2,c\n",
			wantX:      []float64{1.5, 2},
			wantLabels: []int{0, 1},
			wantNames:  []string{"a b", "c"},
			features:   []string{"x, first"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := ReadCSV(strings.NewReader(c.text), "f.csv", c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := d.X.RawMatrix().Data; !slices.Equal(got, c.wantX) {
				t.Errorf("X = %v, want %v", got, c.wantX)
			}
			if !slices.Equal(d.Labels, c.wantLabels) || !slices.Equal(d.ClassNames, c.wantNames) || d.Classes != len(c.wantNames) {
				t.Errorf("labels, names, classes = %v, %q, %d; want %v, %q, %d", d.Labels, d.ClassNames, d.Classes, c.wantLabels, c.wantNames, len(c.wantNames))
			}
			if c.wantTarget != nil {
				if d.Targets == nil || !slices.Equal(d.Targets.RawMatrix().Data, c.wantTarget) {
					t.Errorf("Targets = %v, want %v", d.Targets, c.wantTarget)
				}
			} else if d.Targets != nil {
				t.Errorf("Targets = %v, want nil", d.Targets)
			}
			if !slices.Equal(d.Features, c.features) || d.Name != "f.csv" {
				t.Errorf("Features, Name = %q, %q; want %q, f.csv", d.Features, d.Name, c.features)
			}
		})
	}
}

func TestReadCSVErrors(t *testing.T) {
	for _, c := range []struct {
		name      string
		text      string
		opt       CSVOptions
		line, col int
		want      string // the whole message
	}{
		{"empty file", "", CSVOptions{}, 0, 0, "data.csv: empty file: no header row"},
		{"only blank lines", "\n\n", CSVOptions{}, 0, 0, "data.csv: empty file: no header row"},
		{"header only", "a,b\n", CSVOptions{}, 0, 0, "data.csv: no data rows after the header"},
		{"bad number", "a,b,y\n1,2,0\n3,x4,1\n", CSVOptions{}, 3, 3, `data.csv:3:3: column "b": "x4" is not a finite number`},
		{"empty field", "a,b,y\n1,,0\n", CSVOptions{}, 2, 3, `data.csv:2:3: column "b": "" is not a finite number`},
		{"NaN", "a,y\nNaN,0\n", CSVOptions{}, 2, 1, `data.csv:2:1: column "a": "NaN" is not a finite number`},
		{"bad target", "a,y\n1,abc\n", CSVOptions{Regression: true}, 2, 3, `data.csv:2:3: column "y": "abc" is not a finite number`},
		{"ragged row", "a,b,y\n1,2,0\n1,2\n", CSVOptions{}, 3, 0, "data.csv:3: row has 2 fields, header has 3"},
		{"no such label", "a,b\n1,2\n", CSVOptions{Label: "y"}, 1, 0, `data.csv:1: no column named "y" (columns: "a", "b")`},
		{"escape in header", "a\x1b[31m,b\x00\n1,2\n", CSVOptions{Label: "y"}, 1, 0,
			`data.csv:1: no column named "y" (columns: "a\x1b[31m", "b\x00")`},
		{"too many columns", strings.Repeat("c,", MaxColumns) + "y\n", CSVOptions{}, 1, 0,
			"data.csv:1: header has 100001 columns; at most 100000 are supported"},
		{"one column", "a\n1\n", CSVOptions{}, 1, 0, "data.csv:1: header has 1 column, need a feature and a label"},
		{"duplicate column", "a,b,a\n1,2,3\n", CSVOptions{}, 1, 5, `data.csv:1:5: column 3 has the same name as column 1, "a"`},
		{"bare quote", "a,y\n1,x\"y\n", CSVOptions{}, 2, 4, `data.csv:2:4: bare " in non-quoted-field`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(c.text), "data.csv", c.opt)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Line != c.line || pe.Column != c.col {
				t.Errorf("line, column = %d, %d; want %d, %d", pe.Line, pe.Column, c.line, c.col)
			}
			if err.Error() != c.want {
				t.Errorf("err = %q\nwant  %q", err, c.want)
			}
		})
	}
}

// wideCSV is a header of n columns whose last repeats the first (the
// duplicate check must look at every name) and one data row.
func wideCSV(n int) string {
	var b strings.Builder
	for i := range n - 1 {
		fmt.Fprintf(&b, "c%d,", i)
	}
	b.WriteString("c0\n")
	b.WriteString(strings.Repeat("1,", n-1) + "0\n")
	return b.String()
}

// TestReadCSVWideHeader: the duplicate check is linear. Comparing each
// name with every earlier one took 44 s for 80 000 columns; with a map,
// MaxColumns columns take milliseconds (BenchmarkReadCSVWideHeader), so
// 5 s leaves room for a slow shared machine and still catches a
// quadratic check.
func TestReadCSVWideHeader(t *testing.T) {
	text := wideCSV(MaxColumns)
	start := time.Now()
	_, err := ReadCSV(strings.NewReader(text), "wide.csv", CSVOptions{})
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("reading a header of %d columns took %v", MaxColumns, el)
	}
	want := fmt.Sprintf("column %d has the same name as column 1", MaxColumns)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %q", err, want)
	}
}

func BenchmarkReadCSVWideHeader(b *testing.B) {
	text := wideCSV(MaxColumns)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadCSV(strings.NewReader(text), "wide.csv", CSVOptions{}); err == nil {
			b.Fatal("want the duplicate column reported")
		}
	}
}
