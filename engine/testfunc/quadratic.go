package testfunc

import (
	"fmt"
	"math"
)

var _ Function = IllConditionedQuadratic{}

// IllConditionedQuadratic is the bowl
//
//	f(x, y) = A·x² + B·y²,   ∇f = (2A·x, 2B·y),   minimum f(0, 0) = 0
//
// whose contours are ellipses stretched along y when A ≫ B. Its condition
// number is A/B: plain gradient descent with a step size near 1/A zig-zags
// across the narrow x direction while creeping along y, the picture used to
// motivate momentum, RMSprop and Adam (DeepLearning.AI, "Improving Deep
// Neural Networks", week 2). The zero value uses A = 10, B = 0.5 (condition
// number 20), starting at (1.5, −9).
type IllConditionedQuadratic struct {
	A float64 // curvature along x (half the second derivative); > 0, default 10
	B float64 // curvature along y; > 0, default 0.5
}

// Validate reports whether A and B describe a bowl: finite and not negative
// (zero means the default). Check settings read from a file with it; other
// values make Minimum wrong.
func (q IllConditionedQuadratic) Validate() error {
	for _, c := range []struct {
		name string
		v    float64
	}{{"A", q.A}, {"B", q.B}} {
		if !(c.v >= 0) || math.IsInf(c.v, 1) {
			return fmt.Errorf("testfunc: ill-conditioned quadratic: %s = %v, need a finite value > 0", c.name, c.v)
		}
	}
	return nil
}

func (q IllConditionedQuadratic) coefficients() (a, b float64) {
	a, b = q.A, q.B
	if a == 0 {
		a = 10
	}
	if b == 0 {
		b = 0.5
	}
	return a, b
}

func (IllConditionedQuadratic) Name() string { return "ill-conditioned-quadratic" }

func (q IllConditionedQuadratic) Value(x, y float64) float64 {
	a, b := q.coefficients()
	return float64(a*x*x) + float64(b*y*y)
}

func (q IllConditionedQuadratic) Gradient(x, y float64) (gx, gy float64) {
	a, b := q.coefficients()
	return 2 * a * x, 2 * b * y
}

func (IllConditionedQuadratic) Start() (x, y float64)   { return 1.5, -9 }
func (IllConditionedQuadratic) Minimum() (x, y float64) { return 0, 0 }
func (IllConditionedQuadratic) Bounds() (xmin, xmax, ymin, ymax float64) {
	return -2, 2, -10, 10
}
