// Package engine runs trials. It defines what a trial is (an experiment,
// its resolved parameters, a seed and a budget, identified by a stable key)
// and the parallel executor that trains many trials at once and hands their
// per-epoch metrics to a Sink, which the results package implements.
//
// The subpackages hold the numerics of one trial: rng (a numpy-compatible
// random source), data, nn, optim, schedule, testfunc and train, with
// four internal packages that give a trial the same bits on every
// platform: internal/crmath (log, exp, tanh, sin, cos, pow: correctly
// rounded, or within 1 ULP where speed matters, by fixed algorithms),
// internal/glibcmath (glibc's log reproduced bit for bit, so that Gaussian
// draws are numpy's on glibc and the same on every platform),
// internal/gemm (the matrix product: AVX-512, AVX2 and pure-Go kernels
// computing the same chains of fused multiply-adds) and internal/vecmath
// (Adam's update in AVX assembly, bit-identical to its Go loop). engine and
// its subpackages import only the standard library, gonum and
// golang.org/x/sys/cpu; they do no I/O and draw no randomness from
// package-level generators.
package engine
