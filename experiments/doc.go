// Package experiments is the registry of named problems: for each, the
// dataset and its split, the model, the loss, the metric and the default
// budget and parameters that a trial's parameters override. It turns a
// trial into a configured engine/train run.
//
// It sits beside the engine in the flow (sweeps validate against it; the
// command line hands its Run to the executor) and imports the engine
// packages, gonum and the standard library. It does no I/O: datasets are
// generated or embedded.
package experiments
