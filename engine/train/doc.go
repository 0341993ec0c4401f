// Package train runs one trial: it trains a network (or follows an
// optimizer over a 2-D test function) for a budget of epochs and reports
// per-epoch metrics through a callback.
//
// It is part of the engine stage and imports only the standard library,
// gonum and other engine packages. It does no I/O; all randomness comes
// from the sources it is given.
package train
