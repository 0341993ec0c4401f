// Package crmath ("correctly rounded math") provides the natural logarithm,
// sine and cosine and the other elementary functions the engine needs in
// platform-independent form: [Sin] and [Cos] for the sklearn-compatible
// generators of engine/data; [Log] (a reference for tests: engine/rng's
// Gaussians use engine/internal/glibcmath, glibc's own log, so that they are
// numpy's bit for bit on the 5×10⁵ draws engine/rng's tests compare);
// [Expm1] and [Tanh] for the ELU and tanh activations of engine/nn, [Exp]
// for the test functions of engine/testfunc, and [Pow] for NAdam's momentum
// schedule in engine/optim. [FastExp] and [FastLog] are not correctly
// rounded but within 1 ULP, the same bits everywhere too, and several times
// faster: engine/nn evaluates them once or twice per example per step
// (sigmoid, softmax, the cross-entropy losses).
//
// Accuracy, measured by TestExpAccuracy against math/big (256-bit Taylor
// series) on 3000 random arguments per range: Exp on [−708, 709] and on
// |x| < 1, Expm1 on [−40, 40] and near 0, Tanh on [−22, 22] and near 0 all
// stay within 0.5002 ULP (one Expm1 result in 18000 was not the correctly
// rounded one); Pow within 0.4988 ULP on 1000 arguments (TestPowAccuracy);
// the analysis in expReduce bounds the error by 0.51 ULP.
// FastExp within 0.76 ULP and FastLog within 0.76 ULP (TestFastAccuracy,
// 3000 random arguments per range). Log, Sin and Cos are checked bit for
// bit against mpmath's correctly rounded values (TestLog, TestTrig).
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
