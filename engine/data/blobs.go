package data

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/optbench/optbench/engine/rng"
)

// Blobs returns isotropic Gaussian clusters around the given centers,
// sklearn.datasets.make_blobs(n_samples=n, centers=centers,
// cluster_std=std) (scikit-learn 1.2, shuffle=True) drawn from r:
//
//	cluster c gets n/C points, plus one for the first n mod C clusters
//	cluster by cluster, row by row: x_ij = r.Normal(centers[c][j], std)
//	rows (and labels) reordered by r.Permutation(n)
//
// Label c is the index of the center. Blobs returns an error wrapping
// ErrBadParameter if n < 1, there are no centers, the centers differ in
// length or are empty or not finite, or std is negative or not finite.
func Blobs(r *rng.RandomState, n int, centers [][]float64, std float64) (*Dataset, error) {
	if err := checkCount("blobs", n); err != nil {
		return nil, err
	}
	if len(centers) == 0 {
		return nil, fmt.Errorf("%w: blobs: no centers", ErrBadParameter)
	}
	d := len(centers[0])
	for c, center := range centers {
		if len(center) == 0 || len(center) != d {
			return nil, fmt.Errorf("%w: blobs: center %d has %d coordinates, center 0 has %d", ErrBadParameter, c, len(center), d)
		}
		for _, v := range center {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: blobs: center %d is not finite", ErrBadParameter, c)
			}
		}
	}
	if !(std >= 0) || math.IsInf(std, 1) {
		return nil, fmt.Errorf("%w: blobs: std = %v, need a finite value ≥ 0", ErrBadParameter, std)
	}
	x := make([]float64, 0, n*d)
	labels := make([]int, 0, n)
	for c, center := range centers {
		count := n / len(centers)
		if c < n%len(centers) {
			count++
		}
		for range count {
			for _, mu := range center {
				x = append(x, r.Normal(mu, std))
			}
			labels = append(labels, c)
		}
	}
	perm := make([]int, n)
	r.Permutation(perm)
	x, labels = permuteRows(x, labels, d, perm)
	features := make([]string, d)
	for j := range features {
		features[j] = fmt.Sprintf("x%d", j+1)
	}
	return &Dataset{
		Name:     "blobs",
		X:        mat.NewDense(n, d, x),
		Labels:   labels,
		Classes:  len(centers),
		Features: features,
	}, nil
}
