// Package reports turns a stored sweep into tables, figures and an HTML
// page: a leaderboard of each optimizer's best configuration with seed
// statistics, parameter sensitivity, every configuration with its seeds
// aggregated, learning curves, the optimization history and, for pruned
// sweeps, every trial's learning curve with the rungs marked, sensitivity
// and spread plots, and, for 2-D problems, trajectories over the test
// function or the decision boundary.
//
// It is the last stage of the flow: it reads what package results stored
// (records, per-epoch curves, provenance) through the Input it is given and
// writes files; it never opens the database itself. It is the only package
// that imports gonum.org/v1/plot and github.com/olekukonko/tablewriter.
//
// Statistics live in the sub-package reports/stats, kept apart from
// formatting as benchstat keeps benchmath apart from its tables. Within
// this package, analysis.go assembles the statistics into a Report;
// table*.go build and render tables; figure.go, plot*.go and one file per
// newer figure kind (history.go, pruned_curves.go) draw; html.go
// writes the page from report.html.tmpl, with the scripts report_errors.js
// and report.js and the style report.css inline, allowed by their hashes.
//
// Statistical caveats (a single seed, diverged or failed trials, an empty
// sweep) are returned as warnings beside the result and shown with it,
// never as errors.
package reports
