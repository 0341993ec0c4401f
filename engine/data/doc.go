// Package data provides the datasets that trials train on: synthetic
// classification sets that reproduce scikit-learn's generators and the
// CS231n spirals, the iris data, scikit-learn's handwritten digits, images
// in IDX files (the MNIST family's format) and CSV files of pixel rows,
// users' own CSV files, and the two operations
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
// give the same labels in the same order (the same permutation) and
// coordinates within 4 ULP of each other; that is what the tests check,
// against scikit-learn 1.2.1 and numpy 1.24.2 on glibc
// (testdata/sklearn_vectors.py). The sin, cos and log used here
// (engine/internal/crmath) are correctly rounded and identical on every
// platform; numpy's come from glibc (correctly rounded all but a fraction
// of a percent of the time) or, on AVX-512 machines, from SVML with errors
// up to 4 ULP, and its Gaussians from glibc's log (see engine/rng). Against
// numpy with glibc most coordinates are bit-identical (all 600 of the
// course dataset's); against numpy's AVX-512 path about half differ, by a
// few ULP.
//
// data is part of the engine stage (one trial's numerics). It imports only
// the standard library, gonum, engine/rng and engine/internal/crmath, keeps
// no mutable package-level state and does no I/O of its own: ReadCSV,
// ReadIDX and ReadPixelCSV read from an io.Reader their caller opened
// (experiments opens the files), and the two vendored data sets are
// embedded.
package data
