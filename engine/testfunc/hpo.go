package testfunc

import (
	"math"

	"github.com/optbench/optbench/engine/internal/crmath"
)

// Objective is a standard synthetic benchmark of hyperparameter search: a
// function of n inputs on a box, evaluated once per trial (no gradient, no
// trajectory), with a known global minimum.
type Objective interface {
	Name() string
	// Bounds returns the box: input i ranges over [lo[i], hi[i]].
	Bounds() (lo, hi []float64)
	// Value evaluates the function at x (len(x) is the dimension).
	Value(x []float64) float64
	// Minimum is the global minimum value.
	Minimum() float64
}

var (
	_ Objective = Branin{}
	_ Objective = Hartmann6{}
	_ Objective = (*QuadraticDeep)(nil)
)

// Branin is the Branin–Hoo function on x1 ∈ [−5, 10], x2 ∈ [0, 15],
//
//	f(x) = (x2 − b·x1² + c·x1 − 6)² + 10·(1 − t)·cos(x1) + 10,
//	b = 5.1/(4π²), c = 5/π, t = 1/(8π)
//
// with three global minima, f = 0.397887 at (−π, 12.275), (π, 2.275) and
// (9.42478, 2.475) (Dixon and Szegő, 1978; the form in Surjanovic and
// Bingham's Virtual Library of Simulation Experiments).
type Branin struct{}

func (Branin) Name() string { return "branin" }
func (Branin) Bounds() (lo, hi []float64) {
	return []float64{-5, 0}, []float64{10, 15}
}
func (Branin) Value(x []float64) float64 {
	const (
		b = 5.1 / (4 * math.Pi * math.Pi)
		c = 5 / math.Pi
		t = 1 / (8 * math.Pi)
	)
	u := x[1] - float64(b*x[0]*x[0]) + float64(c*x[0]) - 6
	return float64(u*u) + float64(10*(1-t)*crmath.Cos(x[0])) + 10
}
func (Branin) Minimum() float64 { return 0.39788735772973816 }

// Hartmann6 is the six-dimensional Hartmann function on [0, 1]⁶,
//
//	f(x) = −Σ_{i=1..4} α_i exp(−Σ_{j=1..6} A_ij (x_j − P_ij)²)
//
// with minimum −3.32237 at (0.20169, 0.150011, 0.476874, 0.275332,
// 0.311652, 0.6573) (Dixon and Szegő, 1978; constants from Surjanovic and
// Bingham's Virtual Library of Simulation Experiments).
type Hartmann6 struct{}

var (
	hartmannAlpha = [4]float64{1.0, 1.2, 3.0, 3.2}
	hartmannA     = [4][6]float64{
		{10, 3, 17, 3.5, 1.7, 8},
		{0.05, 10, 17, 0.1, 8, 14},
		{3, 3.5, 1.7, 10, 17, 8},
		{17, 8, 0.05, 10, 0.1, 14},
	}
	hartmannP = [4][6]float64{
		{1312e-4, 1696e-4, 5569e-4, 124e-4, 8283e-4, 5886e-4},
		{2329e-4, 4135e-4, 8307e-4, 3736e-4, 1004e-4, 9991e-4},
		{2348e-4, 1451e-4, 3522e-4, 2883e-4, 3047e-4, 6650e-4},
		{4047e-4, 8828e-4, 8732e-4, 5743e-4, 1091e-4, 381e-4},
	}
)

func (Hartmann6) Name() string { return "hartmann6" }
func (Hartmann6) Bounds() (lo, hi []float64) {
	return make([]float64, 6), []float64{1, 1, 1, 1, 1, 1}
}
func (Hartmann6) Value(x []float64) float64 {
	var f float64
	for i := range hartmannAlpha {
		var s float64
		for j := range 6 {
			d := x[j] - hartmannP[i][j]
			s += float64(hartmannA[i][j] * d * d)
		}
		f -= float64(hartmannAlpha[i] * crmath.Exp(-s))
	}
	return f
}
func (Hartmann6) Minimum() float64 { return -3.32237 }

// QuadraticDeepDim is the dimension of [QuadraticDeep].
const QuadraticDeepDim = 100

// QuadraticDeep is DeepOBS's quadratic_deep test problem without its
// noise: the 100-dimensional quadratic
//
//	f(θ) = ½ θᵀ H θ,   H = Rᵀ D R,   minimum f(0) = 0
//
// where D holds 90 eigenvalues drawn from U(0, 1) and 10 from U(30, 60)
// (the spectrum Chaudhari et al. report for deep networks), and R is a
// random rotation by the subgroup algorithm of Diaconis and Shahshahani,
// both drawn from numpy.random.RandomState(42) in that order (passed in), as
// deepobs/tensorflow/testproblems/quadratic_deep.py does (DeepOBS,
// Schneider, Balles and Hennig, ICLR 2019). DeepOBS's loss is
// ½ (θ − x)ᵀ H (θ − x) with "data" x ~ N(0, I); at x = 0, its mean, it is
// f. Here θ ranges over [−1, 1]¹⁰⁰ (DeepOBS starts at θ = 1). The
// Hessian is built once by [NewQuadraticDeep]; the products are summed
// in a fixed order, so the same bits on every platform, within rounding
// of numpy's.
type QuadraticDeep struct {
	Hessian []float64 // row-major, QuadraticDeepDim × QuadraticDeepDim
}

// Source is the random source DeepOBS draws its Hessian from: numpy's
// legacy RandomState, which engine/rng reproduces (rng.New(42) is
// DeepOBS's source).
type Source interface {
	Float64() float64     // random_sample
	NormFloat64() float64 // the legacy Gaussian
}

// NewQuadraticDeep builds DeepOBS's Hessian from r, which must be numpy's
// RandomState(42) for DeepOBS's problem: pass rng.New(42).
func NewQuadraticDeep(r Source) *QuadraticDeep {
	const n = QuadraticDeepDim
	uniform := func(lo, hi float64) float64 { return lo + float64((hi-lo)*r.Float64()) }
	eig := make([]float64, n)
	for i := range 90 {
		eig[i] = uniform(0, 1)
	}
	for i := 90; i < n; i++ {
		eig[i] = uniform(30, 60)
	}
	rot := randomRotation(r, n)
	h := make([]float64, n*n)
	for i := range n {
		for j := range n {
			var s float64
			for k := range n {
				s += float64(rot[k*n+i] * eig[k] * rot[k*n+j])
			}
			h[i*n+j] = s
		}
	}
	return &QuadraticDeep{Hessian: h}
}

// randomRotation is DeepOBS's random_rotation: starting from a 2-D
// rotation by angle 2π·u, for d = 2 … n−1 draw v ~ N(0, I_{d+1}) (numpy's
// normal, element by element), normalise it, let x = (e₁ − v)/‖e₁ − v‖,
// embed the current R as diag(1, R) = M and set R = M − 2·x·(xᵀM); the
// result is −R. Row-major.
func randomRotation(r Source, n int) []float64 {
	t := 2 * math.Pi * r.Float64()
	rot := []float64{math.Cos(t), math.Sin(t), -math.Sin(t), math.Cos(t)}
	for d := 2; d < n; d++ {
		m := d + 1
		v := make([]float64, m)
		var norm float64
		for i := range v {
			v[i] = r.NormFloat64()
			norm += float64(v[i] * v[i])
		}
		norm = math.Sqrt(norm)
		x := make([]float64, m)
		var xn float64
		for i := range v {
			e := 0.0
			if i == 0 {
				e = 1
			}
			x[i] = e - v[i]/norm
			xn += float64(x[i] * x[i])
		}
		xn = math.Sqrt(xn)
		for i := range x {
			x[i] /= xn
		}
		big := make([]float64, m*m) // diag(1, rot)
		big[0] = 1
		for i := range d {
			copy(big[(i+1)*m+1:(i+2)*m], rot[i*d:(i+1)*d])
		}
		xm := make([]float64, m) // xᵀ·big
		for j := range m {
			var s float64
			for i := range m {
				s += float64(x[i] * big[i*m+j])
			}
			xm[j] = s
		}
		rot = make([]float64, m*m)
		for i := range m {
			for j := range m {
				rot[i*m+j] = big[i*m+j] - float64(2*x[i]*xm[j])
			}
		}
	}
	for i := range rot {
		rot[i] = -rot[i]
	}
	return rot
}

func (*QuadraticDeep) Name() string { return "quadratic_deep" }
func (*QuadraticDeep) Bounds() (lo, hi []float64) {
	lo, hi = make([]float64, QuadraticDeepDim), make([]float64, QuadraticDeepDim)
	for i := range lo {
		lo[i], hi[i] = -1, 1
	}
	return lo, hi
}
func (q *QuadraticDeep) Value(x []float64) float64 {
	const n = QuadraticDeepDim
	var f float64
	for i := range n {
		var s float64
		for j := range n {
			s += float64(q.Hessian[i*n+j] * x[j])
		}
		f += float64(x[i] * s)
	}
	return f / 2
}
func (*QuadraticDeep) Minimum() float64 { return 0 }
