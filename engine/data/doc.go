// Package data provides the datasets that trials train on: synthetic
// classification sets that reproduce scikit-learn's generators and the
// CS231n spirals, the iris data, users' own CSV files, and the two operations
// every trial applies to them, a seeded split and standardisation fitted on
// the training part.
//
// Generators draw from an *rng.RandomState, numpy's legacy generator, so
//
//	np.random.seed(3)
//	X, y = sklearn.datasets.make_moons(n_samples=300, noise=.2)
//
// and
//
//	d, err := data.Moons(rng.New(3), 300, 0.2, true)
//
// give the same labels in the same order (the same permutation) and almost
// always the same coordinates. What holds, tested against scikit-learn 1.2.1
// and numpy 1.24.2 on Debian 12 (glibc 2.36, x86-64):
//
//   - Labels and permutations are identical, and so are the Gaussian noise
//     draws (engine/rng reproduces numpy's, glibc's log included).
//   - The coordinates are bit for bit those of scikit-learn's own code with
//     np.sin and np.cos replaced by correctly rounded ones; the sin and cos
//     here (engine/internal/crmath) are correctly rounded and the same on
//     every platform.
//   - Against scikit-learn with glibc's sin and cos, which are not always
//     correctly rounded, 238 of 204 000 coordinates differ, each by at most
//     2⁻⁵² ≈ 2.2e-16 (one ULP of 1; 1 to 64 ULPs of the coordinate itself,
//     the most where a coordinate such as 1 − sin φ is small): moons and
//     circles, seeds 0, 1, 2, 3 and 42, 100 to 2000 points, noise none,
//     0.05 and 0.2 (testdata/sklearn_ulps.py; TestSklearnDifferences).
//   - numpy on a CPU with AVX-512 takes sin and cos from Intel's SVML
//     instead (errors up to 4 ULP): there, in a one-off measurement on the
//     same cases and larger ones (5000 points), about half the coordinates
//     differ, by at most 8.9e-16 (4 ULP of 1). The committed vectors are
//     glibc's (numpy's AVX-512 dispatch turned off).
//
// data is part of the engine stage (one trial's numerics). It imports only
// the standard library, gonum, engine/rng and engine/internal/crmath, keeps
// no mutable package-level state and does no I/O of its own: ReadCSV reads
// from an io.Reader its caller opened.
package data
