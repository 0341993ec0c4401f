// Package testfunc provides two-dimensional test functions on which
// optimizers' trajectories are traced and plotted: an ill-conditioned
// quadratic bowl (the elongated contours of the momentum lectures),
// Rosenbrock's banana valley and Beale's function. Each reports its value,
// analytic gradient, a conventional starting point, its global minimum and a
// plotting window that contains both.
//
// It also holds the benchmark functions of hyperparameter search (Branin,
// Hartmann6, DeepOBS's quadratic_deep), each an [Objective] evaluated once
// per trial; quadratic_deep's Hessian is drawn from a source passed in.
//
// Values are the same bits on every platform: cos and exp come from
// engine/internal/crmath, and each product that feeds an addition is
// written float64(x*y), which rounds, so that no compiler fuses it into a
// multiply-add (arm64 does for plain x*y + z).
//
// testfunc is part of the engine stage (one trial's numerics). It imports
// only the standard library and engine/internal/crmath, and keeps no
// package-level state.
package testfunc
