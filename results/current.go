package results

// CurrentPlan keeps the stored trials whose keys the sweep plans now, in
// their stored order. Values removed from a sweep file, or a data file
// that changed, leave trials in the database that a report of the file as
// it is now leaves out: leftOut counts them, notRun counts the planned
// keys with no stored trial.
func CurrentPlan(stored []TrialRecord, planned []string) (kept []TrialRecord, leftOut, notRun int) {
	keep := make(map[string]bool, len(planned))
	for _, k := range planned {
		keep[k] = true
	}
	kept = stored[:0:0]
	for _, t := range stored {
		if keep[t.Key] {
			kept = append(kept, t)
		}
	}
	return kept, len(stored) - len(kept), len(keep) - len(kept)
}
