// Package rng is a random source that reproduces numpy's legacy
// np.random.RandomState draw for draw: the MT19937 generator, numpy's integer
// seeding, random_sample, the polar-method Gaussian with its one cached value,
// uniform, randint, random_interval and the Fisher–Yates shuffle built on it.
// Datasets, weight initialisations and shuffles written against numpy (course
// notebooks, reference scripts) can therefore be regenerated in Go and
// compared with the published numbers.
//
// Integer and uniform outputs are bit-identical to numpy's. Gaussian outputs
// go through a logarithm, and numpy takes that from the C library; this
// package uses the engine's own, correctly rounded logarithm (see
// [RandomState.NormFloat64]) so that a seed gives the same bits on every
// platform Go runs on. The two agree to within a couple of units in the last
// place.
//
// Seeds for independent streams of one trial (data, init, shuffle, …) come
// from [Derive].
//
// rng is part of the engine stage (one trial's numerics). It imports only the
// standard library and engine/internal/crmath, and keeps no package-level
// state: every draw goes through a *RandomState that the caller owns. A
// RandomState is not safe for concurrent use.
package rng
