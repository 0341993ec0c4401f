// Package crmath ("correctly rounded math") provides the natural logarithm,
// sine and cosine that the engine's numpy-compatible code needs: [Log] for
// the Gaussian draws of engine/rng, the random source that reproduces numpy's
// legacy RandomState, and for the losses of engine/nn; [Sin] and [Cos] for
// the sklearn-compatible generators of engine/data; and [Exp], [Expm1] and
// [Tanh] for the activations of engine/nn (sigmoid, softmax, ELU, tanh), and
// [Pow] for NAdam's momentum schedule in engine/optim.
//
// Accuracy, measured by TestExpAccuracy against math/big (256-bit Taylor
// series) on 3000 random arguments per range: Exp on [−708, 709] and on
// |x| < 1, Expm1 on [−40, 40] and near 0, Tanh on [−22, 22] and near 0 all
// stay within 0.5002 ULP (one Expm1 result in 18000 was not the correctly
// rounded one); Pow within 0.4988 ULP on 1000 arguments (TestPowAccuracy);
// the analysis in expReduce bounds the error by 0.51 ULP.
// Log, Sin and Cos are checked bit for bit against mpmath's correctly
// rounded values (TestLog, TestTrig).
//
// numpy takes these functions from the C library (glibc: correctly rounded
// all but a fraction of a percent of the time). Go's math package is not a
// substitute: its bits depend on the platform (assembly on amd64, pure Go
// elsewhere, and the compiler may fuse multiply-adds), and its sine and
// cosine are off by up to several ULP. The functions here evaluate in
// double-double arithmetic using only exact operations (math.FMA, error-free
// sums and products) and explicit roundings, so they return the correctly
// rounded value, which glibc also returns almost always, and the same bits
// on every platform Go runs on. A seed therefore gives the same draws and
// datasets everywhere, and the same as numpy's in all but rare cases.
//
// crmath is part of the engine stage (one trial's numerics). It imports only
// the standard library and keeps no package-level state.
package crmath
