package results

import (
	"context"
	"fmt"
	"slices"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

// Outcomes returns the stored outcomes of the sweep's trials with the
// given keys, in the order of keys: status, final metrics and curve, as
// the executor recorded them, so that a search that proposes from results
// can be told them again (a resumed or shared sweep). A key with no
// stored outcome has status Planned and nothing else.
func (db *DB) Outcomes(ctx context.Context, sweep string, keys []string) ([]engine.Outcome, error) {
	stored, err := db.Trials(ctx, sweep)
	if err != nil {
		return nil, err
	}
	byKey := make(map[string]TrialRecord, len(stored))
	for _, t := range stored {
		byKey[t.Key] = t
	}
	var have []string
	for _, k := range keys {
		if _, ok := byKey[k]; ok {
			have = append(have, k)
		}
	}
	curves, err := db.Curves(ctx, sweep, have)
	if err != nil {
		return nil, err
	}
	out := make([]engine.Outcome, len(keys))
	for i, k := range keys {
		t, ok := byKey[k]
		if !ok {
			out[i] = engine.Outcome{Key: k, Status: Planned}
			continue
		}
		names := make([]string, 0, len(t.Final))
		for n := range t.Final {
			names = append(names, n)
		}
		slices.Sort(names)
		final := make([]train.Metric, len(names))
		for j, n := range names {
			final[j] = train.Metric{Name: n, Value: t.Final[n]}
		}
		out[i] = engine.Outcome{Key: k, Status: t.Status, Error: t.Error, Curve: curves[k],
			Result: train.Result{Status: t.Status, Epochs: t.Epochs, Steps: t.Steps, Reason: t.Reason, Final: final}}
	}
	if len(out) != len(keys) {
		return nil, fmt.Errorf("results: outcomes of sweep %s: %d of %d", sweep, len(out), len(keys))
	}
	return out, nil
}
