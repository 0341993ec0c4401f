// Command optbench runs reproducible optimizer benchmarks: it expands a
// sweep file into trials, trains them in parallel with fixed seeds, stores
// everything in SQLite and writes comparison tables, plots and reports.
//
// Run `optbench help` for the commands.
//
// It is the wiring of the flow: sweeps (parse and expand) → engine
// (parallel executor, experiments.Run for each trial) → results (SQLite)
// → reports. main.go stays short; run(ctx, args, stdout, stderr) is the
// program, and exit codes come from typed errors (usage 2).
package main
