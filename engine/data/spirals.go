package data

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/optbench/optbench/engine/internal/crmath"
	"github.com/optbench/optbench/engine/rng"
)

// Spirals returns the spiral arms of Stanford's CS231n notes ("Putting it
// together: Minimal Neural Network Case Study"), which are the classic test
// that a linear classifier fails and a small network passes. Class j of K
// has N_j points, N_j = n/K plus one for the first n mod K classes, and
// point i of class j is
//
//	ρ_i = linspace(0, 1, N_j)[i]
//	t_i = linspace(4j, 4(j+1), N_j)[i] + noise·g_i,   g = r.Randn(N_j)
//	(ρ_i·sin t_i, ρ_i·cos t_i)
//
// drawing class 0's Gaussians first. The notes use K = 3, N = 100 and
// noise 0.2, so after np.random.seed(s) their code and
// Spirals(rng.New(s), 300, 3, 0.2) agree. Rows are in class order, as in the
// notes; Split shuffles. noise 0 draws nothing.
//
// Spirals returns an error wrapping ErrBadParameter if classes < 2,
// n < classes, or noise is negative or not finite.
func Spirals(r *rng.RandomState, n, classes int, noise float64) (*Dataset, error) {
	if classes < 2 {
		return nil, fmt.Errorf("%w: spirals: classes = %d, need at least 2", ErrBadParameter, classes)
	}
	if n < classes {
		return nil, fmt.Errorf("%w: spirals: n = %d, need at least one point per class (%d)", ErrBadParameter, n, classes)
	}
	if err := checkNoise("spirals", noise); err != nil {
		return nil, err
	}
	x := make([]float64, 0, 2*n)
	labels := make([]int, 0, n)
	for j := range classes {
		count := n / classes
		if j < n%classes {
			count++
		}
		lo, hi := float64(4*j), float64(4*(j+1))
		for i := range count {
			rho := linspace(i, count, 0, 1, true)
			t := linspace(i, count, lo, hi, true)
			if noise > 0 {
				t += float64(r.NormFloat64() * noise)
			}
			x = append(x, float64(rho*crmath.Sin(t)), float64(rho*crmath.Cos(t)))
			labels = append(labels, j)
		}
	}
	return &Dataset{
		Name:     "spirals",
		X:        mat.NewDense(n, 2, x),
		Labels:   labels,
		Classes:  classes,
		Features: []string{"x1", "x2"},
	}, nil
}
