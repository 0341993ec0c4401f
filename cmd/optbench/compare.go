package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/reports"
	"github.com/optbench/optbench/reports/stats"
	"github.com/optbench/optbench/results"
)

func cmdCompare(ctx context.Context, e *env, args []string) error {
	sweep := e.fs.String("sweep", "", "the sweep to compare, in a database that holds several (default: the only one, or the baseline's)")
	metrics := e.fs.String("metric", "", "final metrics compared across seeds, comma-separated, or all (default: the sweep's metric)")
	test := e.fs.String("test", "welch", "two-sample test across seeds: welch or mwu (Mann–Whitney U)")
	alpha := e.fs.Float64("alpha", stats.DefaultAlpha, "significance level of the test")
	minChange := e.fs.String("min-change", "1%", "smallest change that counts as a regression or improvement (1% or 0.01)")
	exact := e.fs.Bool("exact", false, "fail (exit 3) on any change of any trial, bit for bit")
	ignore := e.fs.String("ignore", "", "parameters left out when configurations are matched, comma-separated (--ignore lr compares runs at different learning rates)")
	format := e.fs.String("format", "text", "output `format`: text, markdown or json")
	junit := e.fs.String("junit", "", "also write a JUnit XML report to `FILE`, one test case per configuration")
	pos, err := e.parse(args, 2)
	if err != nil {
		return err
	}
	opt := reports.CompareOptions{}
	var ok bool
	if opt.Stats.Test, ok = stats.ParseTest(*test); !ok {
		return usageErrorf("compare: --test %q (valid: welch, mwu)", *test)
	}
	if !(*alpha > 0 && *alpha < 1) {
		return usageErrorf("compare: --alpha %v: want a level in (0, 1)", *alpha)
	}
	opt.Stats.Alpha = *alpha
	if opt.Stats.MinChange, err = parseChange(*minChange); err != nil {
		return usageErrorf("compare: --min-change %q: %v", *minChange, err)
	}
	if opt.Stats.MinChange == 0 {
		opt.Stats.MinChange = -1 // every significant change counts
	}
	switch *format {
	case "text", "markdown", "json":
	default:
		return usageErrorf("compare: unknown format %q (valid: text, markdown, json)", *format)
	}
	base, baseCurve, closeBase, err := loadSide(ctx, pos[0], *sweep, "")
	if err != nil {
		return err
	}
	defer closeBase()
	cand, candCurve, closeCand, err := loadSide(ctx, pos[1], *sweep, base.Sweep)
	if err != nil {
		return err
	}
	defer closeCand()
	opt.BaseCurve, opt.CandidateCurve = baseCurve, candCurve
	if *ignore != "" {
		for _, name := range strings.Split(*ignore, ",") {
			opt.Ignore = append(opt.Ignore, strings.TrimSpace(name))
		}
	}
	if opt.Metrics, err = compareMetrics(*metrics, base); err != nil {
		return err
	}
	c, err := reports.CompareSnapshots(ctx, base, cand, opt)
	if err != nil {
		return usageErrorf("compare: %v", err)
	}
	switch *format {
	case "json":
		err = c.WriteJSON(e.stdout)
	case "markdown":
		err = c.Table().WriteMarkdown(e.stdout)
	default:
		// 160 columns in a pipe: wide enough for a comparison's labels in a CI log.
		err = c.Table().WriteText(e.stdout, e.textWidth(160))
	}
	if err != nil {
		return err
	}
	if *junit != "" {
		var buf bytes.Buffer
		if err := c.WriteJUnit(&buf, *exact); err != nil {
			return err
		}
		if err := writeAtomic(*junit, buf.Bytes()); err != nil {
			return err
		}
	}
	changedAtAll := c.Changed > 0 || len(c.OnlyBase) > 0 || len(c.OnlyCandidate) > 0
	switch {
	case c.Regressions > 0:
		return &exitError{code: exitFound, msg: fmt.Sprintf("compare: %d configuration(s) regressed", c.Regressions)}
	case *exact && changedAtAll:
		return &exitError{code: exitFound, msg: fmt.Sprintf("compare: results changed (--exact): %d configuration(s) with trials that differ, %d and %d on one side only",
			c.Changed, len(c.OnlyBase), len(c.OnlyCandidate))}
	}
	return nil
}

// parseChange reads "1%" or "0.01".
func parseChange(s string) (float64, error) {
	scale := 1.0
	if t, ok := strings.CutSuffix(strings.TrimSpace(s), "%"); ok {
		s, scale = t, 0.01
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v != v {
		return 0, errors.New("want a fraction (0.01) or a percentage (1%), not negative")
	}
	return v * scale, nil
}

// compareMetrics resolves --metric: the sweep's metric by default, every
// final metric of the base that has a better direction for "all".
func compareMetrics(flag string, base *results.Snapshot) ([]string, error) {
	switch flag {
	case "":
		if base.Metric == "" {
			return nil, usageErrorf("compare: %s names no metric; choose one with --metric", base.Source)
		}
		return []string{base.Metric}, nil
	case "all":
		seen := map[string]bool{}
		for _, t := range base.Trials {
			for name := range t.Final {
				if d, ok := metric.Lookup(name); ok && d.Goal != metric.NoGoal {
					seen[name] = true
				}
			}
		}
		return slices.Sorted(func(yield func(string) bool) {
			for n := range seen {
				if !yield(n) {
					return
				}
			}
		}), nil
	}
	var out []string
	for _, name := range strings.Split(flag, ",") {
		name = strings.TrimSpace(name)
		d, ok := metric.Lookup(name)
		if !ok {
			var valid []string
			for _, d := range metric.All() {
				if d.Goal != metric.NoGoal {
					valid = append(valid, d.Name)
				}
			}
			return nil, usageErrorf("compare: --metric %q is not a metric (valid: %s, all)", name, strings.Join(valid, ", "))
		}
		if d.Goal == metric.NoGoal {
			return nil, usageErrorf("compare: --metric %s has no better direction to compare by", name)
		}
		out = append(out, name)
	}
	return out, nil
}

// sqliteMagic starts every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// loadSide reads one side of a comparison: a results database (the sweep
// given, else the only one, else the one named like the other side's) or
// a baseline file.
func loadSide(ctx context.Context, path, sweep, other string) (*results.Snapshot, func(context.Context, string) ([]train.Epoch, error), func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, usageErrorf("compare: %v", err)
	}
	head := make([]byte, len(sqliteMagic))
	n, _ := io.ReadFull(f, head)
	if !bytes.Equal(head[:n], sqliteMagic) {
		defer f.Close()
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, nil, nil, err
		}
		s, err := results.ReadBaseline(bufio.NewReader(f), path)
		if err != nil {
			return nil, nil, nil, usageErrorf("compare: %s is neither an optbench database nor a baseline file: %v", path, err)
		}
		if sweep != "" && s.Sweep != sweep {
			return nil, nil, nil, usageErrorf("compare: baseline %s is of sweep %s, not %s", path, s.Sweep, sweep)
		}
		return s, nil, func() {}, nil
	}
	f.Close()
	store, err := openExisting(ctx, path)
	if err != nil {
		return nil, nil, nil, err
	}
	name := sweep
	if name == "" && other != "" {
		if _, err := store.Sweep(ctx, other); err == nil {
			name = other
		}
	}
	if name, err = onlySweep(ctx, store, name, path, "compare"); err != nil {
		store.Close()
		return nil, nil, nil, err
	}
	s, err := store.Snapshot(ctx, name)
	if err != nil {
		store.Close()
		return nil, nil, nil, notStored(err, "sweep "+name, path)
	}
	curve := func(ctx context.Context, key string) ([]train.Epoch, error) { return store.Curve(ctx, name, key) }
	return s, curve, func() { store.Close() }, nil
}

func cmdBaseline(ctx context.Context, e *env, args []string) error {
	db := e.dbFlag()
	sweep := e.fs.String("sweep", "", "the sweep to save (default: the only one in the database)")
	out := e.fs.String("out", "", "the baseline `FILE` to write (required)")
	pos, err := e.parse(args, 1)
	if err != nil {
		return err
	}
	if pos[0] != "save" {
		return usageErrorf("baseline: unknown action %q (valid: save)", pos[0])
	}
	if *out == "" {
		return usageErrorf("baseline save: --out FILE is required")
	}
	if fi, err := os.Stat(*out); err == nil && !fi.Mode().IsRegular() {
		// The rename would fail after the work, saying "file exists".
		return usageErrorf("baseline save: --out %s is not a regular file; give the baseline file's path", *out)
	}
	store, err := openExisting(ctx, db())
	if err != nil {
		return err
	}
	defer store.Close()
	name, err := onlySweep(ctx, store, *sweep, db(), "baseline save")
	if err != nil {
		return err
	}
	s, err := store.Snapshot(ctx, name)
	if err != nil {
		return notStored(err, "sweep "+name, db())
	}
	// The database keeps the sweep file's absolute path; a baseline is
	// committed and read on other machines, so it keeps the path relative
	// to where the command runs when the file is below it.
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, s.File); err == nil && filepath.IsLocal(rel) {
			s.File = filepath.ToSlash(rel)
		}
	}
	var buf bytes.Buffer
	if err := results.WriteBaseline(&buf, s); err != nil {
		return err
	}
	if err := writeAtomic(*out, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "baseline: %d trials of %s written to %s\n", len(s.Trials), name, *out)
	return nil
}

// writeAtomic writes data to path through a temporary file in the same
// directory, so a reader never sees half a file.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
