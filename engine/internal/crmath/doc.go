// Package crmath ("correctly rounded math") provides the natural logarithm,
// sine and cosine in platform-independent, correctly rounded form: [Sin] and
// [Cos] for the sklearn-compatible generators of engine/data, and [Log], a
// reference for tests (engine/rng's Gaussians use engine/internal/glibcmath,
// glibc's own log, so that they are numpy's bit for bit on the 5×10⁵ draws
// engine/rng's tests compare).
//
// numpy takes these functions from the C library (glibc: correctly rounded
// all but a fraction of a percent of the time). Go's math package is not a
// substitute: its bits depend on the platform (assembly on amd64, pure Go
// elsewhere, and the compiler may fuse multiply-adds), and its sine and
// cosine are off by up to several ULP. The functions here evaluate in
// double-double arithmetic using only exact operations (math.FMA, error-free
// sums and products) and explicit roundings, so they return the correctly
// rounded value, which glibc also returns almost always, and the same bits
// on every platform Go runs on. A seed therefore gives the same datasets
// everywhere. What holds against numpy is measured, not assumed: see
// engine/data for the generators' coordinates against scikit-learn.
//
// crmath is part of the engine stage (one trial's numerics). It imports only
// the standard library and keeps no package-level state.
package crmath
