// Package metric declares, once, every metric that trials record: its
// name, the direction that is better, whether it is recorded every epoch
// or once at the end, its unit and what it means. Sweep files are checked
// against this declaration, the results store keeps curves keyed by its
// names, and reports read goals and per-epoch accessors from it. Adding a
// metric is an edit to metric.go plus the code that computes it.
//
// It is part of the engine stage (the numerics of one trial) and imports
// only the standard library. It does no I/O.
package metric
