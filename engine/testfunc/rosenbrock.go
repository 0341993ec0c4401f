package testfunc

var _ Function = Rosenbrock{}

// Rosenbrock is Rosenbrock's valley with a = 1, b = 100 (H. H. Rosenbrock,
// "An automatic method for finding the greatest or least value of a
// function", The Computer Journal 3(3), 1960):
//
//	f(x, y) = (1 − x)² + 100·(y − x²)²
//	∇f      = (−2(1 − x) − 400·x·(y − x²), 200·(y − x²))
//	minimum f(1, 1) = 0
//
// The start (−1.2, 1) is Rosenbrock's own.
type Rosenbrock struct{}

func (Rosenbrock) Name() string { return "rosenbrock" }

func (Rosenbrock) Value(x, y float64) float64 {
	u, v := 1-x, y-float64(x*x)
	return float64(u*u) + float64(100*v*v)
}

func (Rosenbrock) Gradient(x, y float64) (gx, gy float64) {
	u, v := 1-x, y-float64(x*x)
	return float64(-2*u) - float64(400*x*v), 200 * v
}

func (Rosenbrock) Start() (x, y float64)   { return -1.2, 1 }
func (Rosenbrock) Minimum() (x, y float64) { return 1, 1 }
func (Rosenbrock) Bounds() (xmin, xmax, ymin, ymax float64) {
	return -2, 2, -1, 3
}
