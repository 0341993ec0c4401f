package testfunc

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/optbench/optbench/engine/rng"
)

// TestQuadraticDeepHessian: H = Rᵀ D R with R orthogonal, so its trace is
// the sum of the eigenvalues, whose first three are numpy's
// RandomState(42).uniform(0, 1, 3) = 0.3745401188473625,
// 0.9507143064099162, 0.7319939418114051; and H is symmetric.
func TestQuadraticDeepHessian(t *testing.T) {
	r := rng.New(42)
	var sum float64
	first := []float64{0.3745401188473625, 0.9507143064099162, 0.7319939418114051}
	for i := range 100 {
		lo, hi := 0.0, 1.0
		if i >= 90 {
			lo, hi = 30, 60
		}
		e := r.Uniform(lo, hi)
		if i < 3 && e != first[i] {
			t.Errorf("eigenvalue %d = %v, want numpy's %v", i, e, first[i])
		}
		sum += e
	}
	q := NewQuadraticDeep(rng.New(42))
	const n = QuadraticDeepDim
	var trace float64
	for i := range n {
		trace += q.Hessian[i*n+i]
		for j := range i {
			if d := math.Abs(q.Hessian[i*n+j] - q.Hessian[j*n+i]); d > 1e-12 {
				t.Fatalf("H[%d][%d] − H[%d][%d] = %v", i, j, j, i, d)
			}
		}
	}
	// Rounding of 100-term sums: 1e-10 relative.
	if !scalar.EqualWithinAbsOrRel(trace, sum, 1e-10, 1e-10) {
		t.Errorf("trace %v, sum of eigenvalues %v", trace, sum)
	}
	if v := q.Value(make([]float64, n)); v != 0 {
		t.Errorf("f(0) = %v", v)
	}
}
