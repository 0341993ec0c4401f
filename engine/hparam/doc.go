// Package hparam describes the numeric settings (hyperparameters) that engine
// components accept: their names, defaults and allowed ranges. Sweeps use the
// descriptions to validate files before anything runs; constructors use them
// to reject bad values with a message that names the setting and its range.
//
// It is part of the engine stage and imports only the standard library.
package hparam
