package data

import (
	"gonum.org/v1/gonum/mat"

	"github.com/optbench/optbench/engine/internal/crmath"
	"github.com/optbench/optbench/engine/rng"
)

// Moons returns two interleaving half circles, sklearn.datasets.make_moons
// (scikit-learn 1.2) drawn from r, with identical labels and order and
// coordinates within 2⁻⁵² of scikit-learn's on glibc (see the package
// documentation for what was tested):
//
//	out = n/2 (integer division), in = n − out
//	class 0, i < out: (cos θ_i, sin θ_i),          θ = linspace(0, π, out)
//	class 1, i < in:  (1 − cos φ_i, 1 − sin φ_i − ½), φ = linspace(0, π, in)
//	if shuffle: rows (and labels) reordered by r.Permutation(n)
//	if noise > 0: each coordinate, row by row, += r.Normal(0, noise)
//
// With r = rng.New(3), n = 300 and noise 0.2 this is the dataset of the
// DeepLearning.AI "Optimization methods" notebook
// (np.random.seed(3); make_moons(n_samples=300, noise=.2)).
//
// noise 0 plays the part of sklearn's noise=None and draws nothing; sklearn's
// noise=0.0 would still draw 2n Gaussians and so leave a generator shared with
// later calls in a different state. Moons returns an error wrapping
// ErrBadParameter if n < 1 or noise is negative or not finite.
func Moons(r *rng.RandomState, n int, noise float64, shuffle bool) (*Dataset, error) {
	if err := checkCount("moons", n); err != nil {
		return nil, err
	}
	if err := checkNoise("moons", noise); err != nil {
		return nil, err
	}
	out, in := n/2, n-n/2
	x := make([]float64, 0, 2*n)
	labels := make([]int, 0, n)
	for i := range out {
		t := linspace(i, out, 0, pi, true)
		x = append(x, crmath.Cos(t), crmath.Sin(t))
		labels = append(labels, 0)
	}
	for i := range in {
		t := linspace(i, in, 0, pi, true)
		x = append(x, 1-crmath.Cos(t), 1-crmath.Sin(t)-0.5)
		labels = append(labels, 1)
	}
	return finishTwoClass("moons", r, x, labels, noise, shuffle), nil
}

// pi is np.pi, the float64 nearest π.
const pi = 3.141592653589793

// finishTwoClass shuffles and adds noise as make_moons and make_circles do,
// and wraps the points in a Dataset.
func finishTwoClass(name string, r *rng.RandomState, x []float64, labels []int, noise float64, shuffle bool) *Dataset {
	n := len(labels)
	if shuffle {
		perm := make([]int, n)
		r.Permutation(perm)
		x, labels = permuteRows(x, labels, 2, perm)
	}
	if noise > 0 {
		for i := range x {
			x[i] += r.Normal(0, noise)
		}
	}
	return &Dataset{
		Name:     name,
		X:        mat.NewDense(n, 2, x),
		Labels:   labels,
		Classes:  2,
		Features: []string{"x1", "x2"},
	}
}
