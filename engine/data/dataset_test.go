package data

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"

	"github.com/optbench/optbench/engine/rng"
)

// tenRows has row i = (i, 10i), label i mod 3 and target −i.
func tenRows() *Dataset {
	x := mat.NewDense(10, 2, nil)
	y := mat.NewDense(10, 1, nil)
	labels := make([]int, 10)
	for i := range 10 {
		x.SetRow(i, []float64{float64(i), float64(10 * i)})
		y.Set(i, 0, float64(-i))
		labels[i] = i % 3
	}
	return &Dataset{Name: "ten", X: x, Labels: labels, Classes: 3, Targets: y, Features: []string{"a", "b"}}
}

func TestSplit(t *testing.T) {
	// np.random.RandomState(7).permutation(10) = [8 5 0 2 1 9 7 3 6 4]
	for _, c := range []struct {
		name      string
		m         int
		fractions []float64
		want      [][]int // rows of each part
	}{
		{"three parts", 10, []float64{0.6, 0.2, 0.2}, [][]int{{8, 5, 0, 2, 1, 9}, {7, 3}, {6, 4}}},
		{"remainder part", 10, []float64{0.7}, [][]int{{8, 5, 0, 2, 1, 9, 7}, {3, 6, 4}}},
		{"sum rounds to one", 10, []float64{0.7, 0.2, 0.1}, [][]int{{8, 5, 0, 2, 1, 9, 7}, {3, 6}, {4}}},
		{"half of 5 rounds up", 5, []float64{0.5, 0.5}, nil}, // sizes checked below
		{"empty part", 2, []float64{0.1}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := tenRows().subset([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}[:c.m])
			parts := d.Split(rng.New(7), c.fractions...)
			seen := map[float64]bool{}
			for p, part := range parts {
				for i := range part.Len() {
					row := part.X.At(i, 0)
					if seen[row] {
						t.Errorf("row %v appears twice", row)
					}
					seen[row] = true
					// Labels, targets and the second column travel with the row.
					if part.X.At(i, 1) != 10*row || part.Labels[i] != int(row)%3 || part.Targets.At(i, 0) != -row {
						t.Errorf("part %d row %d = %v, label %d, target %v: mixed up", p, i, part.X.RawRowView(i), part.Labels[i], part.Targets.At(i, 0))
					}
				}
				if c.want != nil {
					var rows []int
					for i := range part.Len() {
						rows = append(rows, int(part.X.At(i, 0)))
					}
					if !slices.Equal(rows, c.want[p]) {
						t.Errorf("part %d = rows %v, want %v", p, rows, c.want[p])
					}
				}
			}
			if len(seen) != c.m {
				t.Errorf("parts hold %d distinct rows, want %d", len(seen), c.m)
			}
		})
	}

	t.Run("sizes", func(t *testing.T) {
		d := tenRows().subset([]int{0, 1, 2, 3, 4})
		parts := d.Split(rng.New(1), 0.5, 0.5)
		if parts[0].Len() != 3 || parts[1].Len() != 2 {
			t.Errorf("sizes %d, %d; want 3, 2 (round half away from zero)", parts[0].Len(), parts[1].Len())
		}
		d = tenRows().subset([]int{0, 1})
		parts = d.Split(rng.New(1), 0.1)
		if parts[0].Len() != 0 || parts[0].X != nil || parts[1].Len() != 2 {
			t.Errorf("sizes %d, %d; want 0 (nil X), 2", parts[0].Len(), parts[1].Len())
		}
	})
}

func TestValidateFractions(t *testing.T) {
	for _, c := range []struct {
		fractions []float64
		ok        bool
	}{
		{[]float64{0.8}, true},
		{[]float64{0.7, 0.2, 0.1}, true},
		{[]float64{1}, true},
		{nil, false},
		{[]float64{0}, false},
		{[]float64{-0.2, 0.5}, false},
		{[]float64{0.6, 0.6}, false},
		{[]float64{1.5}, false},
	} {
		err := ValidateFractions(c.fractions...)
		if (err == nil) != c.ok || err != nil && !errors.Is(err, ErrBadParameter) {
			t.Errorf("ValidateFractions(%v) = %v, want ok=%v", c.fractions, err, c.ok)
		}
	}
}

func TestSplitPanics(t *testing.T) {
	defer func() {
		if p, ok := recover().(string); !ok || !strings.HasPrefix(p, "data: ") {
			t.Errorf("panic = %v, want a data: message", p)
		}
	}()
	tenRows().Split(rng.New(1), 0.6, 0.6)
}

func TestStandardizer(t *testing.T) {
	t.Run("iris matches StandardScaler", func(t *testing.T) {
		s := FitStandardizer(Iris())
		// sklearn 1.2.1 StandardScaler().fit(load_iris().data): mean_, scale_.
		// numpy sums pairwise and we left to right, so allow a few ULP per
		// term over 150 terms.
		const tol = 1e-13
		wantMean := []float64{0x1.75f92c5f92c61p+2, 0x1.8756b2dbd1944p+1, 0x1.e10624dd2f1b0p+1, 0x1.33078263ab59ap+0}
		wantStd := []float64{0x1.a68de41320a1bp-1, 0x1.bcd63a8dca674p-2, 0x1.c2684e0af450fp+0, 0x1.84f66e9fb442cp-1}
		for j := range wantMean {
			if !scalar.EqualWithinAbsOrRel(s.Mean[j], wantMean[j], 0, tol) || !scalar.EqualWithinAbsOrRel(s.Std[j], wantStd[j], 0, tol) {
				t.Errorf("column %d: mean, std = %v, %v; want %v, %v", j, s.Mean[j], s.Std[j], wantMean[j], wantStd[j])
			}
		}
	})

	train := &Dataset{X: mat.NewDense(3, 2, []float64{1, 0.1, 2, 0.1, 3, 0.1}), Labels: []int{0, 1, 0}, Classes: 2}
	s := FitStandardizer(train)
	if s.Std[1] != 0 || s.Mean[1] != 0.1 {
		t.Errorf("constant column: mean, std = %v, %v; want 0.1, 0 exactly", s.Mean[1], s.Std[1])
	}
	for _, c := range []struct {
		name string
		in   []float64 // 2 columns
		want []float64
	}{
		// σ of (1, 2, 3) is √(2/3); the constant column is only centred.
		{"training part", []float64{1, 0.1, 2, 0.1, 3, 0.1}, []float64{-1.224744871391589, 0, 0, 0, 1.224744871391589, 0}},
		{"other part uses the training fit", []float64{5, 1.1}, []float64{3.674234614174767, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := &Dataset{X: mat.NewDense(len(c.in)/2, 2, slices.Clone(c.in)), Labels: make([]int, len(c.in)/2), Classes: 2}
			out := s.Apply(in)
			got := out.X.RawMatrix().Data
			for i := range got {
				// Expected values are (x − μ)/σ in exact arithmetic, printed
				// to 16 digits; the computation rounds twice.
				if !scalar.EqualWithinAbsOrRel(got[i], c.want[i], 1e-15, 1e-15) {
					t.Errorf("X[%d] = %v, want %v", i, got[i], c.want[i])
				}
			}
			if !slices.Equal(in.X.RawMatrix().Data, c.in) {
				t.Error("Apply modified its input")
			}
		})
	}

	t.Run("wrong width panics", func(t *testing.T) {
		defer func() {
			if p, ok := recover().(string); !ok || !strings.HasPrefix(p, "data: ") {
				t.Errorf("panic = %v, want a data: message", p)
			}
		}()
		s.Apply(&Dataset{X: mat.NewDense(1, 3, nil)})
	})
}

func TestIris(t *testing.T) {
	d := Iris()
	if d.Len() != 150 || d.Classes != 3 || len(d.Features) != 4 {
		t.Fatalf("Len, Classes, features = %d, %d, %d; want 150, 3, 4", d.Len(), d.Classes, len(d.Features))
	}
	if !slices.Equal(d.ClassNames, []string{"setosa", "versicolor", "virginica"}) {
		t.Errorf("ClassNames = %q", d.ClassNames)
	}
	count := make([]int, 3)
	for _, l := range d.Labels {
		count[l]++
	}
	if !slices.Equal(count, []int{50, 50, 50}) {
		t.Errorf("class sizes = %v, want 50 each", count)
	}
	for _, c := range []struct {
		row  int
		want []float64
	}{
		{0, []float64{5.1, 3.5, 1.4, 0.2}},
		{34, []float64{4.9, 3.1, 1.5, 0.2}}, // Fisher's value; UCI has 4.9,3.1,1.5,0.1
		{37, []float64{4.9, 3.6, 1.4, 0.1}}, // UCI has 4.9,3.1,1.5,0.1
		{149, []float64{5.9, 3.0, 5.1, 1.8}},
	} {
		if got := d.X.RawRowView(c.row); !slices.Equal(got, c.want) {
			t.Errorf("row %d = %v, want %v", c.row, got, c.want)
		}
	}
	d.X.Set(0, 0, -1)
	if Iris().X.At(0, 0) != 5.1 {
		t.Error("Iris returned shared storage")
	}
}
