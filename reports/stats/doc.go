// Package stats aggregates trial results for reports: it groups trials
// into configurations (the trials that share everything but the seed),
// summarizes each configuration's metric over seeds with a confidence
// interval that stays in the metric's declared range (SummarizeIn:
// Student t on the logit or log scale), ranks configurations by a goal
// with lost seeds counted against them (Rank) and ties with the best found
// by Welch's t-test (Standings), slices the sweep along one or two
// parameters, averages and smooths per-epoch curves, and compares a
// candidate's samples of a metric with a base's for optbench compare
// (Compare: Welch's t-test or the Mann–Whitney U test, matching
// scipy.stats), returning each verdict with its warnings.
//
// It is the statistics half of the reports stage. It imports the standard
// library, gonum, engine (for parameters and statuses; engine/metric for
// the metrics' ranges) and results (for the records it reads); it does no
// I/O and no formatting, and it never imports gonum/plot or tablewriter:
// those belong to package reports.
package stats
