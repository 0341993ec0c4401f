// Package engine runs trials. It defines what a trial is (an experiment,
// its resolved parameters, a seed and a budget, identified by a stable key)
// and the parallel executor that trains many trials at once and hands their
// per-epoch metrics to a Sink, which the results package implements.
//
// The subpackages hold the numerics of one trial: rng (a numpy-compatible
// random source), data, nn, optim, schedule, testfunc and train, with
// internal/crmath (correctly rounded log, sin and cos, so that datasets
// have the same bits on every platform) and internal/glibcmath (glibc's
// log reproduced bit for bit, so that Gaussian draws are numpy's on glibc
// and the same on every platform). engine and its
// subpackages import only the standard library and gonum; they do no
// I/O and draw no randomness from package-level generators.
package engine
