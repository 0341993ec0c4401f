// Package rng is a random source that reproduces numpy's legacy
// np.random.RandomState draw for draw: the MT19937 generator, numpy's integer
// seeding, random_sample, the polar-method Gaussian with its one cached value,
// uniform, randint, random_interval and the Fisher–Yates shuffle built on it.
// Datasets, weight initialisations and shuffles written against numpy (course
// notebooks, reference scripts) can therefore be regenerated in Go and
// compared with the published numbers.
//
// Integer, uniform and Gaussian outputs and permutations are bit-identical
// to numpy 1.24.2's on Debian 12 (glibc 2.36, x86-64 with FMA): the
// vectors of testdata/numpy_vectors.py over seeds 0, 1, 3, 11, 42 and
// 2³²−1, and 10⁵ randn draws for each of seeds 0, 1, 42, 1234 and 2³²−1
// (testdata/numpy_randn.py). numpy's Gaussian takes its logarithm from the
// C library; this package uses engine/internal/glibcmath, a platform-
// independent reproduction of glibc's log as x86-64 glibc computes it on
// CPUs with FMA (see [RandomState.NormFloat64]), so a seed gives the same
// bits on every platform Go runs on. glibc's log has had the same algorithm
// and table from 2.29 to 2.42, so numpy's bits on other glibc systems with
// FMA are expected to be the same; only 2.36 was tested.
//
// Seeds for independent streams of one trial (data, init, shuffle, …) come
// from [Derive].
//
// A [Permuter] draws the first permutation of many freshly seeded
// generators at once (the course reseeds before every epoch), faster and
// with the same results as a RandomState.
//
// rng is part of the engine stage (one trial's numerics). It imports only the
// standard library, engine/internal/glibcmath and golang.org/x/sys/cpu (to
// choose the AVX2 state update, which does the Go loop's 32-bit operations),
// and keeps no package-level state besides that CPU feature: every draw goes
// through a *RandomState or *Permuter that the caller owns. Neither is safe
// for concurrent use.
package rng
