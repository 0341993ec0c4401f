package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/experiments"
	"github.com/optbench/optbench/reports"
	"github.com/optbench/optbench/results"
)

// exitFound is the exit status of a regression or a mismatch: a finding,
// not an error of the command.
const exitFound = 3

func cmdVerify(ctx context.Context, e *env, args []string) error {
	db := e.dbFlag()
	sweep := e.fs.String("sweep", "", "the sweep whose trials are verified (default: the only one in the database)")
	sample := e.fs.Int("sample", 0, "verify `N` trials chosen deterministically from the keys (0: all)")
	trial := e.fs.String("trial", "", "verify only the trial with this `KEY` (a unique prefix)")
	workers := e.fs.Int("j", runtime.NumCPU(), "trials retrained at once")
	if _, err := e.parse(args, 0); err != nil {
		return err
	}
	switch {
	case *sample < 0:
		return usageErrorf("verify: --sample %d: want 0 (all) or more", *sample)
	case *sample > 0 && *trial != "":
		return usageErrorf("verify: --sample and --trial exclude each other")
	case *workers < 1:
		return usageErrorf("verify: -j %d: need at least one worker", *workers)
	}
	store, err := openExisting(ctx, db())
	if err != nil {
		return err
	}
	defer store.Close()
	name, err := onlySweep(ctx, store, *sweep, db(), "verify")
	if err != nil {
		return err
	}
	stored, err := store.Trials(ctx, name)
	if err != nil {
		return notStored(err, "sweep "+name, db())
	}
	picked, skipped := pickVerified(stored, *trial, *sample)
	if *trial != "" && len(picked) == 0 {
		return usageErrorf("verify: no finished trial of %s in %s has a key starting with %q", name, db(), *trial)
	}
	if len(picked) == 0 {
		fmt.Fprintf(e.stdout, "verify: %s has no finished trial to retrain\n", name)
		return nil
	}
	provs, err := store.Provenance(ctx, name)
	if err != nil {
		return err
	}
	byRun := map[int64]results.Provenance{}
	for _, p := range provs {
		byRun[p.RunID] = p
	}
	trials := make([]engine.Trial, len(picked))
	stopAt := map[string]int{}
	for i, rec := range picked {
		t, err := engine.ParseTrial(rec.Config)
		if err != nil {
			return fmt.Errorf("verify: trial %s: %w", rec.Key, err)
		}
		t.Sweep = name
		trials[i] = t.Keyed()
		if rec.Status == train.Pruned {
			stopAt[rec.Key] = rec.Epochs // a pruned trial is retrained to where it was stopped
		}
	}
	sink := &verifier{ctx: ctx, store: store, sweep: name, stored: map[string]results.TrialRecord{}}
	for _, rec := range picked {
		sink.stored[rec.Key] = rec
	}
	x := &engine.Executor{Workers: *workers, Run: new(experiments.Runner).Run, Rule: stopAtEpochs(stopAt)}
	if _, err := x.Execute(ctx, trials, sink); err != nil {
		return stopped(ctx, err)
	}
	current := results.CurrentProvenance(os.Args, *workers)
	slices.SortFunc(sink.mismatches, func(a, b mismatch) int { return strings.Compare(a.rec.Key, b.rec.Key) })
	for _, m := range sink.mismatches {
		printMismatch(e.stdout, m, byRun[m.rec.RunID], current)
	}
	fmt.Fprintf(e.stdout, "verify: %d of %d trial(s) of %s retrained: %d identical, %d differ",
		len(picked), len(picked)+skipped, name, len(picked)-len(sink.mismatches), len(sink.mismatches))
	if skipped > 0 && *trial == "" {
		fmt.Fprintf(e.stdout, " (%d not picked or not finished)", skipped)
	}
	fmt.Fprintln(e.stdout)
	if len(sink.mismatches) > 0 {
		return &exitError{code: exitFound, msg: fmt.Sprintf("verify: %d trial(s) do not reproduce bit for bit", len(sink.mismatches))}
	}
	return nil
}

// onlySweep returns name, or the database's only sweep when name is empty.
func onlySweep(ctx context.Context, store *results.DB, name, db, cmd string) (string, error) {
	if name != "" {
		if _, err := store.Sweep(ctx, name); err != nil {
			return "", notStored(err, "sweep "+name, db)
		}
		return name, nil
	}
	sums, err := store.Sweeps(ctx)
	if err != nil {
		return "", err
	}
	switch len(sums) {
	case 0:
		return "", usageErrorf("%s: no sweeps in %s", cmd, db)
	case 1:
		return sums[0].Name, nil
	}
	names := make([]string, len(sums))
	for i, s := range sums {
		names[i] = s.Name
	}
	return "", usageErrorf("%s: %s holds %d sweeps (%s); choose one with --sweep", cmd, db, len(sums), strings.Join(names, ", "))
}

// pickVerified chooses the finished trials to retrain: the one whose key
// starts with prefix, or n of them in the order of the SHA-256 of their
// keys (deterministic, and spread over the sweep), or all.
func pickVerified(stored []results.TrialRecord, prefix string, n int) (picked []results.TrialRecord, skipped int) {
	for _, t := range stored {
		if t.Status.Finished() && (prefix == "" || strings.HasPrefix(t.Key, prefix)) {
			picked = append(picked, t)
		}
	}
	if n > 0 && n < len(picked) {
		order := func(t results.TrialRecord) [32]byte { return sha256.Sum256([]byte(t.Key)) }
		slices.SortFunc(picked, func(a, b results.TrialRecord) int {
			oa, ob := order(a), order(b)
			return slices.Compare(oa[:], ob[:])
		})
		picked = picked[:n]
	}
	return picked, len(stored) - len(picked)
}

// stopAtEpochs stops the trials of the given keys after that many epochs.
type stopAtEpochs map[string]int

func (s stopAtEpochs) Decide(t engine.Trial, e train.Epoch) train.Decision {
	n, ok := s[t.Key()]
	return train.Decision{Stop: ok && e.Epoch+1 >= n, Reason: "pruned there when stored"}
}

type mismatch struct {
	rec  results.TrialRecord
	what string // where the retrained trial first differs from the stored one
}

// verifier compares each retrained trial with the stored one.
type verifier struct {
	ctx        context.Context
	store      *results.DB
	sweep      string
	stored     map[string]results.TrialRecord
	mismatches []mismatch
}

func (v *verifier) Record(_ context.Context, o engine.Outcome) error {
	rec := v.stored[o.Key]
	if o.Status != rec.Status {
		what := fmt.Sprintf("status %s, now %s", rec.Status, o.Status)
		if o.Error != "" {
			what += ": " + firstLine(o.Error)
		}
		v.mismatches = append(v.mismatches, mismatch{rec, what})
		return nil
	}
	curves, err := v.store.Curves(v.ctx, v.sweep, []string{o.Key})
	if err != nil {
		return err
	}
	if d, ok := reports.FirstDifference(curves[o.Key], o.Curve); ok {
		v.mismatches = append(v.mismatches, mismatch{rec, d.String()})
		return nil
	}
	final := make(map[string]float64, len(o.Result.Final))
	for _, m := range o.Result.Final {
		final[m.Name] = m.Value
	}
	if name, w, g, ok := reports.FinalDifference(rec.Final, final); ok {
		v.mismatches = append(v.mismatches, mismatch{rec, fmt.Sprintf("final %s: %v, now %v", name, w, g)})
	}
	return nil
}

// printMismatch names the trial, where it differs, and the build that
// stored it beside this one, so that the difference can be traced.
func printMismatch(w io.Writer, m mismatch, then, now results.Provenance) {
	build := func(p results.Provenance, numerics string) string {
		rev := p.Revision
		if rev == "" {
			rev = "unknown revision"
		}
		if p.Dirty {
			rev += " (dirty)"
		}
		return fmt.Sprintf("%s, %s %s/%s %s, %s, numerics %s", rev, p.GoVersion, p.GOOS, p.GOARCH, p.GOAMD64, p.CPU, numerics)
	}
	fmt.Fprintf(w, "trial %s differs: %s\n  stored by  %s\n  this build %s\n", m.rec.Key, m.what,
		build(then, m.rec.Numerics), build(now, engine.NumericsVersion))
}
