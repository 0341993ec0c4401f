// Package sweeps parses, validates and expands declarative sweep files
// (YAML) into trials.
//
// It is the first stage of the flow: sweeps/*.yaml → sweeps → search space
// → search (grid, random, list) → engine.Source → engine. It imports the
// standard library, go.yaml.in/yaml/v3 (for the line and column of every
// value), engine (Trial, Params, Budget, Source), search (the space it
// builds from the file and the methods that propose its configurations) and
// experiments (the registry that says which parameters exist, their kinds,
// ranges and defaults, and builds each configuration's schedule once, as a
// trial will). It does no I/O except reading the file in Load and, through
// experiments, the data file of a csv sweep, which is hashed and parsed
// during validation.
//
// # File format
//
//	name: moons-optimizers          # required; [A-Za-z0-9][A-Za-z0-9._-]*
//	description: …                  # optional
//	experiment: moons-mlp           # required; a registry name, or a list of them: see below
//	seeds: 5                        # a count n (seeds 0..n-1) or a list [0, 1, 7]; default 1
//	budget: {epochs: 300}           # epochs, steps, wall ("10m"); default: the experiment's
//	metric: {name: val_accuracy, goal: maximize}   # default: the experiment's
//	search: {method: grid}          # grid | random (samples: N, seed: S) | list
//	parameters:
//	  batch_size: {pow2: [32, 512]}
//	  lr: {log_space: [1e-4, 1e-1, 7]}
//	  optimizer:
//	    momentum: {beta: [0.8, 0.9, 0.99]}
//	    adam: {beta1: [0.9], beta2: [0.99, 0.999], eps: [1e-8]}
//	  schedule:
//	    inverse_time: {decay_rate: [0, 0.1, 1]}
//
// A parameter is a fixed value (lr: 0.01), a list of values
// (lr: [0.1, 0.01]), or one of the forms
//
//	{choices: [a, b]}          the listed values; the way to sweep a list-valued
//	                           parameter: hidden: {choices: [[16], [16, 16]]}
//	{log_space: [lo, hi, n]}   n points from lo to hi, evenly spaced in log scale
//	{lin_space: [lo, hi, n]}   n points from lo to hi, evenly spaced
//	{pow2: [lo, hi]}           the powers of two from lo to hi (both powers of two)
//	{uniform: [lo, hi]}        random search only
//	{log_uniform: [lo, hi]}    random search only
//	{int_uniform: [lo, hi]}    random search only; whole numbers, both ends included
//	{quantized: [lo, hi, q]}   random search only; lo, lo+q, lo+2q, … up to hi
//
// batch_size also takes full, the whole training set (stored as 0).
// Text parameters (the csv experiment's data_file and label) take one
// string; a relative data_file is resolved against the directory of the
// sweep file and stored absolute and clean.
// List-valued parameters (hidden, and piecewise_constant's boundaries and
// factors when the experiment offers them) take one list as their value.
//
// experiment may list several experiments, [moons-mlp, circles-mlp]: each
// is a problem, and the rest of the file is checked for each as if it
// named that experiment alone; the trials are each experiment's in file
// order, each with the key it has in that sweep of one experiment
// (Experiments lists them, Problems gives each one's sweep). The
// experiments must share metric and budget (the file gives them where the
// defaults differ) and the search is planned in advance: tpe and pruners
// are refused.
//
// optimizer and schedule are a name, a list of names, or a mapping from
// names to the settings swept under that name ({} or nothing for the
// defaults). A setting written directly under parameters must apply to every
// optimizer and schedule of the sweep; one that applies to only some of them
// is written under those.
//
// With search: {method: list}, the top-level configs is a list of mappings,
// each a complete configuration with flat names (optimizer, lr, schedule,
// decay_rate, …); parameters then gives fixed values that every config
// starts from and may override.
//
// # Expansion order
//
// The sweep's [Sweep.Space] holds a branch per optimizer and schedule with
// its parameters as dimensions, and search's methods expand it while sweeps
// validates each configuration. Trials come out in a fixed order:
// optimizers in file order, then schedules in file order, then the grid
// with its axes in file order and the last axis varying fastest (an
// optimizer's or schedule's settings stand where its section stands), then
// seeds, fastest of all. Random search draws from rng.New(rng.Derive(seed,
// "search")): per sample an optimizer, a schedule, then each axis in file
// order, drawing again when a configuration repeats. Every configuration is
// resolved through its experiment, defaults filled, so a trial's key does
// not depend on whether a default was written out.
//
// # Errors
//
// Parse reports every problem it finds, not just the first, as an
// ErrorList of "file:line:column: message" lines: YAML syntax (the parser
// gives only a line), unknown keys and names with the nearest valid one,
// values of the wrong type or outside their range, settings placed where
// they do not apply, grid forms that need random search, data that cannot
// be read (reported where the parameter naming it is written, with a CSV
// file's own line and column), batches larger than the training set,
// repeated seeds and values, and schedules whose settings do not fit
// together.
package sweeps
