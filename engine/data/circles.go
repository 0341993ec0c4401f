package data

import (
	"fmt"

	"github.com/optbench/optbench/engine/internal/crmath"
	"github.com/optbench/optbench/engine/rng"
)

// Circles returns a small circle inside a large one,
// sklearn.datasets.make_circles (scikit-learn 1.2) drawn from r, with
// identical labels and order and coordinates within 2⁻⁵² of scikit-learn's
// on glibc (see the package documentation for what was tested):
//
//	out = n/2 (integer division), in = n − out
//	class 0, i < out: (cos θ_i, sin θ_i),                   θ = linspace(0, 2π, out, endpoint=False)
//	class 1, i < in:  (factor·cos φ_i, factor·sin φ_i),     φ = linspace(0, 2π, in, endpoint=False)
//	if shuffle: rows (and labels) reordered by r.Permutation(n)
//	if noise > 0: each coordinate, row by row, += r.Normal(0, noise)
//
// sklearn's usual call is make_circles(noise=0.05, factor=0.5). As for
// [Moons], noise 0 stands for sklearn's noise=None and draws nothing.
// Circles returns an error wrapping ErrBadParameter if n < 1, noise is
// negative or not finite, or factor is not in [0, 1).
func Circles(r *rng.RandomState, n int, noise, factor float64, shuffle bool) (*Dataset, error) {
	if err := checkCount("circles", n); err != nil {
		return nil, err
	}
	if err := checkNoise("circles", noise); err != nil {
		return nil, err
	}
	if !(factor >= 0 && factor < 1) {
		return nil, fmt.Errorf("%w: circles: factor = %v, need 0 ≤ factor < 1", ErrBadParameter, factor)
	}
	out, in := n/2, n-n/2
	x := make([]float64, 0, 2*n)
	labels := make([]int, 0, n)
	for i := range out {
		t := linspace(i, out, 0, 2*pi, false)
		x = append(x, crmath.Cos(t), crmath.Sin(t))
		labels = append(labels, 0)
	}
	for i := range in {
		t := linspace(i, in, 0, 2*pi, false)
		x = append(x, float64(crmath.Cos(t)*factor), float64(crmath.Sin(t)*factor))
		labels = append(labels, 1)
	}
	return finishTwoClass("circles", r, x, labels, noise, shuffle), nil
}
