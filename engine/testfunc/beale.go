package testfunc

var _ Function = Beale{}

// Beale is Beale's function (E. M. L. Beale, "On an iterative method for
// finding a local minimum of a function of more than one variable", 1958):
//
//	f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²
//	minimum f(3, ½) = 0
//
// with the gradient obtained by the chain rule on the three squares. The
// start (3, 4) and window [−4.5, 4.5]² are the usual ones in optimizer
// animations: from there the path must turn into a flat, curved valley,
// while the function grows like x²y⁶ away from it.
type Beale struct{}

func (Beale) Name() string { return "beale" }

func (Beale) Value(x, y float64) float64 {
	t1, t2, t3 := beale(x, y)
	return float64(t1*t1) + float64(t2*t2) + float64(t3*t3)
}

func (Beale) Gradient(x, y float64) (gx, gy float64) {
	t1, t2, t3 := beale(x, y)
	y2 := float64(y * y) // rounded: y2 − 1 must not fuse
	gx = float64(2*t1*(y-1)) + float64(2*t2*(y2-1)) + float64(2*t3*(float64(y2*y)-1))
	gy = float64(2*t1*x) + float64(2*t2*2*x*y) + float64(2*t3*3*x*y2)
	return gx, gy
}

// beale returns the three residuals.
func beale(x, y float64) (t1, t2, t3 float64) {
	y2 := float64(y * y)
	return 1.5 - x + float64(x*y), 2.25 - x + float64(x*y2), 2.625 - x + float64(x*y2*y)
}

func (Beale) Start() (x, y float64)   { return 3, 4 }
func (Beale) Minimum() (x, y float64) { return 3, 0.5 }
func (Beale) Bounds() (xmin, xmax, ymin, ymax float64) {
	return -4.5, 4.5, -4.5, 4.5
}
