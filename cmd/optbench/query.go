package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/experiments"
	"github.com/optbench/optbench/results"
)

// openExisting opens a database that must already exist, read-only:
// reading commands never create, migrate or otherwise write one.
func openExisting(ctx context.Context, path string) (*results.DB, error) {
	db, err := results.OpenReadOnly(ctx, path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, usageErrorf("no database at %s; 'optbench run SWEEP.yaml' creates it (or give --db / OPTBENCH_DB)", path)
	}
	return db, err
}

// notStored turns a results.ErrNotFound into a message that says where
// the thing was looked for and how to see what is there; naming what is
// not there is invalid input (exit 2).
func notStored(err error, what, db string) error {
	if errors.Is(err, results.ErrNotFound) && !errors.Is(err, results.ErrAmbiguous) {
		return usageErrorf("%s is not in %s ('optbench ls' lists the sweeps there)", what, db)
	}
	return err
}

var statusOrder = []train.Status{train.Completed, train.Pruned, train.Diverged, train.Failed, train.Interrupted}

func cmdLs(ctx context.Context, e *env, args []string) error {
	db := e.dbFlag()
	pos, err := e.parse(args, -1)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageErrorf("ls: want at most one sweep, got %d arguments\nusage: optbench ls %s", len(pos), e.cmd.args)
	}
	store, err := openExisting(ctx, db())
	if err != nil {
		return err
	}
	defer store.Close()
	if len(pos) == 1 {
		return lsSweep(ctx, e, store, pos[0], db())
	}
	sums, err := store.Sweeps(ctx)
	if err != nil {
		return err
	}
	if len(sums) == 0 {
		fmt.Fprintf(e.stdout, "no sweeps in %s\n", db())
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SWEEP\tEXPERIMENT\tTRIALS\tCOMPLETED\tPRUNED\tDIVERGED\tFAILED\tINTERRUPTED\tRUNNING\tNOT RUN\tRUNS\tUPDATED")
	for _, s := range sums {
		running, err := store.Running(ctx, s.Name)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%d", s.Name, s.Experiment, s.Trials)
		for _, st := range statusOrder {
			fmt.Fprintf(tw, "\t%d", s.Counts[st])
		}
		fmt.Fprintf(tw, "\t%d\t%d\t%d\t%s\n", len(running), s.Planned, s.Runs, s.Updated.Local().Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

// lsSweep lists the runs of one sweep with what each trained, and the
// trials being trained now with who holds them.
func lsSweep(ctx context.Context, e *env, store *results.DB, name, db string) error {
	runs, err := store.Runs(ctx, name)
	if err != nil {
		return notStored(err, "sweep "+name, db)
	}
	running, err := store.Running(ctx, name)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tHOST\tSTARTED\tFINISHED\tTRAINED\tCOMPLETED\tPRUNED\tDIVERGED\tFAILED\tINTERRUPTED\tDISCARDED")
	var total results.RunCounts
	for _, r := range runs {
		finished := "running"
		if !r.Finished.IsZero() {
			finished = r.Finished.Local().Format("15:04:05")
		} else if !slices.ContainsFunc(running, func(c results.Claim) bool { return strings.HasSuffix(c.Owner, fmt.Sprintf(":%d", r.RunID)) }) {
			finished = "—" // ended without finishing (killed), or holds nothing now
		}
		c := r.RunCounts
		host := r.Host
		if r.Shard != "" {
			host += " (shard " + r.Shard + ")"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", r.RunID, host,
			r.Started.Local().Format("2006-01-02 15:04:05"), finished, c.Trained, c.Completed, c.Pruned,
			c.Diverged, c.Failed, c.Interrupted, c.Discarded)
		total.Add(c)
	}
	fmt.Fprintf(tw, "total\t\t\t\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", total.Trained, total.Completed, total.Pruned,
		total.Diverged, total.Failed, total.Interrupted, total.Discarded)
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(running) == 0 {
		fmt.Fprintln(e.stdout, "\nno trial is being trained")
		return nil
	}
	fmt.Fprintf(e.stdout, "\n%d trial(s) being trained\n", len(running))
	tw = tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TRIAL\tOWNER\tLEASE UNTIL")
	for _, c := range running {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Key, c.Owner, c.LeaseUntil.Local().Format("15:04:05"))
	}
	return tw.Flush()
}

func cmdShow(ctx context.Context, e *env, args []string) error {
	db := e.dbFlag()
	pos, err := e.parse(args, 1)
	if err != nil {
		return err
	}
	store, err := openExisting(ctx, db())
	if err != nil {
		return err
	}
	defer store.Close()
	t, err := store.Trial(ctx, pos[0])
	if err != nil {
		if errors.Is(err, results.ErrNotFound) {
			return usageErrorf("no trial in %s has a key starting with %q ('optbench export' lists the keys)", db(), pos[0])
		}
		return err
	}
	w := e.stdout
	fmt.Fprintf(w, "trial      %s\nsweep      %s\nexperiment %s\nseed       %d\nstatus     %s\n",
		t.Key, t.Sweep, t.Experiment, t.Seed, t.Status)
	if t.Error != "" {
		fmt.Fprintf(w, "error      %s\n", strings.ReplaceAll(t.Error, "\n", "\n           "))
	}
	fmt.Fprintf(w, "epochs     %d\nwall time  %.3fs\nstarted    %s\n", t.Epochs, t.WallSeconds, t.Start.Local().Format("2006-01-02 15:04:05"))
	fmt.Fprintln(w, "\nparameters")
	for _, name := range t.Params.Names() {
		fmt.Fprintf(w, "  %-20s %s\n", name, engine.FormatValue(t.Params[name]))
	}
	fmt.Fprintln(w, "\nfinal metrics")
	names := make([]string, 0, len(t.Final))
	for name := range t.Final {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-20s %.6g\n", name, t.Final[name])
	}
	provs, err := store.Provenance(ctx, t.Sweep)
	if err != nil {
		return err
	}
	for _, p := range provs {
		if p.RunID != t.RunID {
			continue
		}
		dirty := ""
		if p.Dirty {
			dirty = " (dirty)"
		}
		fmt.Fprintf(w, "\nprovenance\n  optbench  %s %s%s\n  go        %s %s/%s GOAMD64=%s\n  cpu       %s\n  host      %s\n  command   %s\n",
			p.Version, p.Revision, dirty, p.GoVersion, p.GOOS, p.GOARCH, p.GOAMD64, p.CPU, p.Host, p.Command)
	}
	fmt.Fprintf(w, "\nconfiguration (reproduces the trial)\n  %s\n", t.Config)
	return nil
}

func cmdExport(ctx context.Context, e *env, args []string) error {
	db := e.dbFlag()
	sweep := e.fs.String("sweep", "", "export only this sweep (default: all)")
	format := e.fs.String("format", "csv", "output `format`: csv or json")
	curves := e.fs.Bool("curves", false, "export per-epoch curves (sweep,trial,epoch,metric,value)")
	stale := e.fs.Bool("include-stale", false, "also export stored trials the sweep file no longer plans (values removed, a data file changed), which report leaves out")
	if _, err := e.parse(args, 0); err != nil {
		return err
	}
	if *format != "csv" && *format != "json" {
		return usageErrorf("export: unknown format %q (valid: csv, json)", *format)
	}
	store, err := openExisting(ctx, db())
	if err != nil {
		return err
	}
	defer store.Close()
	var records []results.SweepRecord
	if *sweep != "" {
		sw, err := store.Sweep(ctx, *sweep)
		if err != nil {
			return notStored(err, "sweep "+*sweep, db())
		}
		records = append(records, sw)
	} else if !*stale {
		sums, err := store.Sweeps(ctx)
		if err != nil {
			return err
		}
		for _, s := range sums {
			sw, err := store.Sweep(ctx, s.Name)
			if err != nil {
				return err
			}
			records = append(records, sw)
		}
	}
	opt := results.ExportOptions{Sweep: *sweep, Format: *format, Curves: *curves}
	leftOut := map[string]int{}
	if !*stale {
		// The same rule as report: a sweep is what its stored file plans.
		plans := map[string]map[string]bool{}
		for _, sw := range records {
			keys, all, err := plannedKeys(sw)
			if err != nil {
				fmt.Fprintf(e.stderr, "export: the stored file of sweep %s no longer plans (%v); exporting every stored trial\n",
					sw.Name, firstLine(err.Error()))
			}
			if all {
				continue
			}
			plans[sw.Name] = make(map[string]bool, len(keys))
			for _, k := range keys {
				plans[sw.Name][k] = true
			}
		}
		opt.Keep = func(sweep, key string) bool {
			plan, ok := plans[sweep]
			if ok && !plan[key] {
				leftOut[sweep]++
				return false
			}
			return true
		}
	}
	if err := results.Export(ctx, store, e.stdout, opt); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(leftOut)) {
		what := "trial(s)"
		if *curves {
			what = "trial curve(s)"
		}
		fmt.Fprintf(e.stderr, "export: %d stored %s of sweep %s not in the current plan left out, as report does (--include-stale exports them)\n",
			leftOut[name], what, name)
	}
	return nil
}

// cmdReproduce prints a stored reproduction sweep beside the published
// table it reproduces.
func cmdReproduce(ctx context.Context, e *env, args []string) error {
	db := e.dbFlag()
	pos, err := e.parse(args, 1)
	if err != nil {
		return err
	}
	var ref *experiments.Reference
	var names []string
	for _, r := range experiments.References() {
		names = append(names, r.Name)
		if r.Name == pos[0] {
			ref = &r
		}
	}
	if ref == nil {
		return usageErrorf("reproduce: no published table %q (valid: %s)", pos[0], strings.Join(names, ", "))
	}
	store, err := openExisting(ctx, db())
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.Sweep(ctx, ref.Name); errors.Is(err, results.ErrNotFound) {
		return fmt.Errorf("sweep %s is not in %s; run it first: optbench run sweeps/%s.yaml", ref.Name, db(), ref.Name)
	}
	trials, err := store.Trials(ctx, ref.Name)
	if err != nil {
		return err
	}
	byKey := make(map[string]results.TrialRecord, len(trials))
	for _, t := range trials {
		byKey[t.Key] = t
	}
	var lookupErr error
	check, err := ref.Check(func(key string) (experiments.Stored, bool) {
		rec, ok := byKey[key]
		if !ok {
			return experiments.Stored{}, false
		}
		curves, err := store.Curves(ctx, ref.Name, []string{key})
		if err != nil {
			lookupErr = err
			return experiments.Stored{}, false
		}
		costs := make([]float64, len(curves[key]))
		for i, e := range curves[key] {
			costs[i] = e.Value(metric.TrainLoss)
		}
		return experiments.Stored{Final: rec.Final, Costs: costs}, true
	})
	if err != nil {
		return err
	}
	if lookupErr != nil {
		return lookupErr
	}
	w := e.stdout
	fmt.Fprintf(w, "%s\n%s, seed %d, %d epochs: ours beside the published value\n\n", ref.Source, ref.Experiment, ref.Seed, ref.Epochs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "run\tcorrect\t")
	if ref.TestExamples > 0 {
		fmt.Fprint(tw, "test correct\t")
	}
	for _, ep := range check.Epochs {
		fmt.Fprintf(tw, "cost@%d\t", ep)
	}
	fmt.Fprintln(tw)
	mark := func(ok bool) string {
		if ok {
			return ""
		}
		return " ✗"
	}
	for _, rc := range check.Runs {
		if !rc.Found {
			fmt.Fprintf(tw, "%s\tnot run\t\n", rc.Run.Run)
			continue
		}
		fmt.Fprintf(tw, "%s\t%v / %d%s\t", rc.Run.Run, rc.Correct, rc.Run.Correct, mark(rc.OK))
		if ref.TestExamples > 0 {
			fmt.Fprintf(tw, "%v / %d%s\t", rc.TestCorrect, rc.Run.TestCorrect, mark(rc.TestOK))
		}
		for i, ep := range check.Epochs {
			fmt.Fprintf(tw, "%.6f / %.6f%s\t", rc.Costs[i], rc.Run.Costs[ep], mark(rc.CostOK[i]))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, rc := range check.Runs {
		if rc.Run.CostTolerance != 0 {
			fmt.Fprintf(w, "\n%s: costs checked within %g, not %g: its trajectory depends on the order of floating-point sums (see experiments.%s)",
				rc.Run.Run, rc.Run.CostTolerance, experiments.CostTolerance, referenceVar(ref.Name))
		}
	}
	if check.Mismatches > 0 {
		return fmt.Errorf("reproduce: %d value(s) differ from the published table (✗)", check.Mismatches)
	}
	fmt.Fprintln(w, "\nevery value matches the published table (costs within 1e-6 unless noted, counts exact)")
	return nil
}

// referenceVar names the Go variable that documents a published table.
func referenceVar(name string) string {
	return strings.ToUpper(strings.SplitN(name, "-", 2)[0])
}
