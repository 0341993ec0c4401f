// Package search proposes the configurations of a sweep: a search space
// (branches, one per optimizer and schedule, each with the dimensions that
// vary there) and the methods that search it, one per file (grid, random,
// list, sobol), each a [Method]; the adaptive searches, which propose
// generation by generation from what earlier generations observed
// ([Adaptive]: [TPE], [SuccessiveHalving], [Hyperband], and [Batched] for a
// method that does not learn); and the median stopping rule ([MedianRule],
// an engine.Rule). [NewSource] crosses a method's configurations with the
// seeds into trials and hands them to the executor as an engine.Source;
// [NewAdaptiveSource] does the same generation by generation.
//
// It is the stage between sweeps and engine in the flow:
//
//	sweeps (parse, validate) ──> search space ──> search (methods) ──> engine.Source ──> engine
//
// sweeps builds a [Space] from the file and drives a method while it
// validates, so that every problem is reported where it was written; a
// [Configuration] says which value of each dimension it took, so that
// sweeps can point at it. search imports the standard library, engine
// (Trial, Params, Source, Rule), engine/rng (the seeded streams of random,
// sobol and tpe search), engine/train and engine/metric (epochs, and the
// metric a rule reads); never sweeps, results, reports or cmd. It does no
// I/O and draws no randomness except from the streams it is given seeds
// for.
package search
