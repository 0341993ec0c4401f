package testfunc

// Function is a differentiable function of two variables with a known
// global minimum.
type Function interface {
	Name() string
	Value(x, y float64) float64
	Gradient(x, y float64) (gx, gy float64)
	Start() (x, y float64)                    // a conventional starting point
	Minimum() (x, y float64)                  // the global minimum
	Bounds() (xmin, xmax, ymin, ymax float64) // a plotting window around start and minimum
}
