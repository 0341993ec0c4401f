package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/experiments"
	"github.com/optbench/optbench/reports"
	"github.com/optbench/optbench/results"
	"github.com/optbench/optbench/sweeps"
)

func cmdReport(ctx context.Context, e *env, args []string) error {
	db := e.dbFlag()
	sweep := e.fs.String("sweep", "", "the sweep to report (default: the only or most recently updated one); several, comma-separated, compare optimizers across them as problems: ranks and performance profiles")
	out := e.fs.String("out", "", "write the HTML report to `DIR` (default reports/<sweep>)")
	format := e.fs.String("format", "text", "table `format` on stdout: text, markdown, csv or json")
	target := e.fs.String("target", "", "metric value for the epochs-to-target column (DeepOBS speed)")
	band := e.fs.String("band", "sd", "band around mean curves: sd or ci")
	smooth := e.fs.Float64("smooth", 0, "β of the bias-corrected moving average applied to learning curves (0 = none)")
	sortBy := e.fs.String("sort", "", "sort the all-trials table by this column (prefix - for descending)")
	by := e.fs.String("by", "optimizer", "group the leaderboard, learning curves and sensitivity by this `FACTOR`: optimizer or any swept parameter (schedule, batch_size, …), each value's best configuration")
	tables := e.fs.String("tables", "leaderboard", "tables printed: leaderboard or all")
	noHTML := e.fs.Bool("no-html", false, "print the tables only")
	tablesDir := e.fs.String("tables-dir", "", "write each table to `DIR`/<table>.<txt|md|csv|json> instead of stdout (needed for several tables as CSV)")
	figures := e.fs.String("figures", "", "also write every figure to `DIR` as NAME.EXT (the names the HTML page uses)")
	figureFormat := e.fs.String("figure-format", "svg", "formats of --figures, comma-separated: svg, pdf, png")
	if _, err := e.parse(args, 0); err != nil {
		return err
	}
	if !(*smooth >= 0 && *smooth < 1) {
		return usageErrorf("report: --smooth %v: want β in [0, 1)", *smooth)
	}
	opt := reports.Options{Smoothing: *smooth, Sort: *sortBy, By: *by}
	var err error
	if opt.Band, err = reports.ParseBand(*band); err != nil {
		return usageErrorf("report: %v", err)
	}
	if *target != "" {
		v, err := strconv.ParseFloat(*target, 64)
		if err != nil || math.IsNaN(v) {
			return usageErrorf("report: --target %q is not a number", *target)
		}
		opt.Target = &v
	}
	figureFormats, err := reports.ParseFigureFormats(*figureFormat)
	if err != nil {
		return usageErrorf("report: --figure-format: %v", err)
	}
	tf := reports.Format(*format)
	if !slices.Contains(reports.Formats, tf) {
		return usageErrorf("report: unknown format %q (valid: text, markdown, csv, json)", *format)
	}
	if *tables != "leaderboard" && *tables != "all" {
		return usageErrorf("report: --tables %q (valid: leaderboard, all)", *tables)
	}
	if *tables == "all" && tf == reports.FormatCSV && *tablesDir == "" {
		return usageErrorf("report: several tables as CSV need a file each, since their columns differ: add --tables-dir DIR")
	}
	store, err := openExisting(ctx, db())
	if err != nil {
		return err
	}
	defer store.Close()
	if strings.Contains(*sweep, ",") {
		if *by != reports.ByOptimizer {
			return usageErrorf("report: --by %s: a comparison across sweeps compares optimizers", *by)
		}
		names := strings.Split(*sweep, ",")
		ins, err := acrossInputs(ctx, store, db(), names)
		if err != nil {
			return err
		}
		return reportAcross(ctx, e, ins, names, nil, opt, *tables == "all", tf, *tablesDir,
			*figures, figureFormats, *noHTML, *out)
	}
	name := *sweep
	if name == "" {
		sums, err := store.Sweeps(ctx)
		if err != nil {
			return err
		}
		if len(sums) == 0 {
			return fmt.Errorf("no sweeps in %s", db())
		}
		latest := sums[0]
		for _, s := range sums[1:] {
			if s.Updated.After(latest.Updated) {
				latest = s
			}
		}
		name = latest.Name
	}
	in, err := reportInput(ctx, store, name)
	if err != nil {
		return notStored(err, "sweep "+name, db())
	}
	if problems := in.Problems(); len(problems) > 1 {
		if *by != reports.ByOptimizer {
			return usageErrorf("report: --by %s: sweep %s lists several experiments, and a comparison across them compares optimizers", *by, name)
		}
		return reportAcross(ctx, e, problems, []string{name}, &in.Sweep, opt, *tables == "all", tf, *tablesDir,
			*figures, figureFormats, *noHTML, *out)
	}
	rep, err := reports.Analyze(ctx, in, opt)
	if errors.Is(err, reports.ErrOption) {
		return usageErrorf("report: %v", err)
	}
	if err != nil {
		return err
	}
	selected := []*reports.Table{rep.Leaderboard()}
	if *tables == "all" {
		if selected, err = rep.Tables(); err != nil {
			return err
		}
	}
	if err := writeTables(ctx, e, selected, tf, *tablesDir); err != nil {
		return err
	}
	// The page first: it draws the figures on the report already
	// analysed, and the figure files after it draw them again without
	// their warnings reaching the page twice.
	page := ""
	if !*noHTML {
		dir := *out
		if dir == "" {
			dir = filepath.Join("reports", name)
		}
		if page, err = rep.WriteHTML(ctx, dir); err != nil {
			return err
		}
	}
	if *figures != "" {
		paths, err := rep.WriteFigures(ctx, *figures, figureFormats)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "figures: %d files in %s\n", len(paths), *figures)
	}
	if page != "" {
		fmt.Fprintf(e.stderr, "report: %s\n", page)
	}
	return nil
}

// acrossInputs reads the named sweeps of one database as problems: a
// sweep of one experiment is one problem, a sweep of several one per
// experiment, named SWEEP.EXPERIMENT.
func acrossInputs(ctx context.Context, store *results.DB, db string, names []string) ([]reports.Input, error) {
	var ins []reports.Input
	seen := map[string]bool{}
	for i, name := range names {
		name = strings.TrimSpace(name)
		names[i] = name
		if name == "" {
			return nil, usageErrorf("report: --sweep %q: an empty sweep name", strings.Join(names, ","))
		}
		if seen[name] {
			return nil, usageErrorf("report: --sweep: %s is listed twice", name)
		}
		seen[name] = true
		in, err := reportInput(ctx, store, name)
		if err != nil {
			return nil, notStored(err, "sweep "+name, db)
		}
		problems := in.Problems()
		if len(problems) > 1 {
			for i := range problems {
				problems[i].Sweep.Name = name + "." + problems[i].Sweep.Name
			}
		}
		ins = append(ins, problems...)
	}
	return ins, nil
}

// reportAcross compares the optimizers of several problems (sweeps of
// one database, or the experiments of one sweep of several, named by
// names; sweep is the one sweep of several experiments, if that is
// what is compared): text output is the rank table and the profile table (with
// --tables all, each problem's leaderboard first); --figures writes the
// performance-profile figure.
func reportAcross(ctx context.Context, e *env, ins []reports.Input, names []string, sweep *results.SweepRecord, opt reports.Options,
	all bool, tf reports.Format, tablesDir, figures string, figureFormats []string, noHTML bool, out string) error {
	a, err := reports.AnalyzeAcross(ctx, ins, opt)
	if errors.Is(err, reports.ErrOption) {
		return usageErrorf("report: %v", err)
	}
	if err != nil {
		return err
	}
	a.Sweep = sweep
	var figs []string
	if figures != "" {
		if figs, err = a.WriteFigures(ctx, figures, figureFormats); err != nil {
			return err
		}
	}
	selected := []*reports.Table{a.RankTable(), a.ProfileTable()}
	if all {
		selected = a.Tables()
	}
	if err := writeTables(ctx, e, selected, tf, tablesDir); err != nil {
		return err
	}
	if figures != "" {
		fmt.Fprintf(e.stderr, "figures: %d files in %s\n", len(figs), figures)
	}
	if noHTML {
		return nil
	}
	dir := out
	if dir == "" {
		dir = filepath.Join("reports", strings.Join(names, "+"))
	}
	path, err := reports.WriteAcrossHTML(ctx, dir, a)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "report: %s\n", path)
	return nil
}

// writeTables prints the tables on stdout, or one file per table in dir.
// Text and Markdown tables follow one another; JSON is one document, an
// object keyed by table name when there are several; several CSV tables
// have different columns, so they need a file each.
func writeTables(ctx context.Context, e *env, tables []*reports.Table, f reports.Format, dir string) error {
	width := e.textWidth(100)
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for _, t := range tables {
			if err := ctx.Err(); err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := t.Write(&buf, f, width); err != nil {
				return err
			}
			path := filepath.Join(dir, t.Name+"."+f.FileExt())
			if err := writeAtomic(path, buf.Bytes()); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "report: %s\n", path)
		}
		return nil
	}
	switch {
	case len(tables) > 1 && f == reports.FormatJSON:
		return reports.WriteJSONTables(e.stdout, tables)
	case len(tables) > 1 && f == reports.FormatCSV:
		return usageErrorf("report: %d tables as CSV need a file each, since their columns differ: add --tables-dir DIR", len(tables))
	}
	for i, t := range tables {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		if err := t.Write(e.stdout, f, width); err != nil {
			return err
		}
	}
	return nil
}

// reportInput gathers a sweep from the database, with loaders that draw
// 2-D surfaces from the experiments registry and decision boundaries by
// retraining a trial from its stored configuration.
func reportInput(ctx context.Context, store *results.DB, name string) (reports.Input, error) {
	sw, err := store.Sweep(ctx, name)
	if err != nil {
		return reports.Input{}, err
	}
	trials, err := store.Trials(ctx, name)
	if err != nil {
		return reports.Input{}, err
	}
	prov, err := store.Provenance(ctx, name)
	if err != nil {
		return reports.Input{}, err
	}
	stored := len(trials)
	trials, notes := currentPlan(sw, trials)
	configs := map[string][]byte{}
	for _, t := range trials {
		configs[t.Key] = t.Config
	}
	return reports.Input{
		Sweep: sw, Trials: trials, Provenance: prov, Notes: notes, LeftOut: stored - len(trials),
		Curves: func(ctx context.Context, keys []string) (map[string][]train.Epoch, error) {
			return store.Curves(ctx, name, keys)
		},
		Surface: func(experiment string) (*reports.Surface, error) {
			x, err := experiments.Lookup(experiment)
			if err != nil || !x.Function {
				return nil, nil
			}
			f, err := x.TestFunction(nil)
			if err != nil {
				return nil, err
			}
			xmin, xmax, ymin, ymax := f.Bounds()
			mx, my := f.Minimum()
			return &reports.Surface{Name: f.Name(), Value: f.Value, XMin: xmin, XMax: xmax, YMin: ymin, YMax: ymax,
				MinX: mx, MinY: my}, nil
		},
		TrainSize: func(experiment string, p engine.Params) (int, error) {
			x, err := experiments.Lookup(experiment)
			if err != nil {
				return 0, err
			}
			return x.TrainSize(p)
		},
		Boundary: func(ctx context.Context, key string) (*reports.Boundary, error) {
			t, err := engine.ParseTrial(configs[key])
			if err != nil {
				return nil, err
			}
			c, err := experiments.Classifier(ctx, t)
			if err != nil || c == nil {
				return nil, err
			}
			b := &reports.Boundary{Predict: c.Predict}
			for i := range c.X {
				b.Points = append(b.Points, reports.LabeledPoint{X: c.X[i], Y: c.Y[i], Label: c.Labels[i]})
			}
			return b, nil
		},
	}, nil
}

// currentPlan keeps the stored trials that the sweep file, as last run,
// still plans: values removed from a sweep leave their trials in the
// database, but a report compares what the file asks for. When the stored
// file no longer parses (an experiment was renamed, say), every trial is
// kept and a note says why.
func currentPlan(sw results.SweepRecord, trials []results.TrialRecord) ([]results.TrialRecord, []string) {
	keys, all, err := plannedKeys(sw)
	if err != nil {
		return trials, []string{fmt.Sprintf("the stored sweep file no longer plans (%v); reporting every stored trial",
			firstLine(err.Error()))}
	}
	if all {
		return trials, nil
	}
	out, left, missing := results.CurrentPlan(trials, keys)
	var notes []string
	if left > 0 {
		notes = append(notes, fmt.Sprintf("%d stored trial(s) are not in the current plan (values removed from the "+
			"sweep file, or a data file it reads changed) and are left out", left))
	}
	if missing > 0 {
		notes = append(notes, fmt.Sprintf("%d planned trial(s) have not been run yet", missing))
	}
	return out, notes
}

// plannedKeys returns the keys of the trials the stored sweep file plans
// today, the rule report and export share. all is true when every stored
// trial belongs to the sweep: an adaptive sweep proposed them from results
// as it ran, so what is stored is the plan.
func plannedKeys(sw results.SweepRecord) (keys []string, all bool, err error) {
	parsed, err := sweeps.Parse(sw.File, []byte(sw.Source))
	var planned []engine.Trial
	if err == nil {
		planned, err = parsed.Trials()
	}
	if err != nil {
		return nil, true, err
	}
	if parsed.IsAdaptive() {
		return nil, true, nil
	}
	keys = make([]string, len(planned))
	for i, t := range planned {
		keys[i] = t.Key()
	}
	return keys, false, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
