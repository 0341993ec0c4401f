package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"sort"
	"text/tabwriter"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/search"
	"github.com/optbench/optbench/sweeps"
)

func cmdPlan(ctx context.Context, e *env, args []string) error {
	format := e.fs.String("format", "table", "output `format`: table, csv or json")
	pos, err := e.parse(args, 1)
	if err != nil {
		return err
	}
	switch *format {
	case "table", "csv", "json":
	default:
		return usageErrorf("plan: unknown format %q (valid: table, csv, json)", *format)
	}
	sw, trials, err := loadSweep(ctx, pos[0])
	if err != nil {
		return err
	}
	if sw.IsAdaptive() {
		return planAdaptive(e, sw)
	}
	all, varying := paramColumns(trials)
	switch *format {
	case "json":
		type row struct {
			Key        string         `json:"trial"`
			Seed       uint64         `json:"seed"`
			Experiment string         `json:"experiment"`
			Params     map[string]any `json:"params"`
			Budget     engine.Budget  `json:"budget"`
		}
		out := struct {
			Sweep  string `json:"sweep"`
			Count  int    `json:"count"`
			Trials []row  `json:"trials"`
		}{Sweep: sw.Name, Count: len(trials)}
		for _, t := range trials {
			out.Trials = append(out.Trials, row{t.Key(), t.Seed, t.Experiment, t.Params, t.Budget})
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "csv":
		w := csv.NewWriter(e.stdout)
		_ = w.Write(append([]string{"sweep", "trial", "seed", "experiment", "epochs"}, all...))
		for _, t := range trials {
			rec := []string{sw.Name, t.Key(), fmt.Sprint(t.Seed), t.Experiment, fmt.Sprint(t.Budget.Epochs)}
			for _, name := range all {
				rec = append(rec, formatParam(t.Params, name))
			}
			_ = w.Write(rec)
		}
		w.Flush()
		return w.Error()
	}
	fmt.Fprintf(e.stdout, "%s: %d trials (%d configurations × %d seeds) of %s, %d epochs each\n\n",
		sw.Name, len(trials), sw.Configurations(), len(sw.Seeds), sw.Experiment, sw.Budget.Epochs)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	several := len(sw.Experiments) > 0
	fmt.Fprint(tw, "TRIAL\tSEED")
	if several {
		fmt.Fprint(tw, "\texperiment")
	}
	for _, name := range varying {
		fmt.Fprint(tw, "\t"+name)
	}
	fmt.Fprintln(tw)
	for _, t := range trials {
		fmt.Fprintf(tw, "%s\t%d", t.Key(), t.Seed)
		if several {
			fmt.Fprint(tw, "\t"+t.Experiment)
		}
		for _, name := range varying {
			fmt.Fprint(tw, "\t"+formatParam(t.Params, name))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func formatParam(p engine.Params, name string) string {
	v, ok := p[name]
	if !ok {
		return ""
	}
	return engine.FormatValue(v)
}

// paramColumns returns every parameter name used by the trials and those
// whose value differs between trials (optimizer first), both sorted.
func paramColumns(trials []engine.Trial) (all, varying []string) {
	values := map[string]map[string]bool{}
	for _, t := range trials {
		for name, v := range t.Params {
			if values[name] == nil {
				values[name] = map[string]bool{}
			}
			values[name][engine.FormatValue(v)] = true
		}
	}
	for name, vs := range values {
		all = append(all, name)
		if len(vs) > 1 || (name == "optimizer") {
			varying = append(varying, name)
		}
	}
	sort.Strings(all)
	sort.Slice(varying, func(i, j int) bool {
		if (varying[i] == "optimizer") != (varying[j] == "optimizer") {
			return varying[i] == "optimizer"
		}
		return varying[i] < varying[j]
	})
	return all, varying
}

// loadSweep reads, validates and expands a sweep file.
func loadSweep(ctx context.Context, file string) (*sweeps.Sweep, []engine.Trial, error) {
	sw, err := sweeps.Load(ctx, file)
	if err != nil {
		return nil, nil, err
	}
	trials, err := sw.Trials()
	if err != nil {
		return nil, nil, err
	}
	return sw, trials, nil
}

// planAdaptive describes a sweep whose trials are proposed from results:
// its method and generations, and the brackets of a halving pruner.
func planAdaptive(e *env, sw *sweeps.Sweep) error {
	w := e.stdout
	p := sw.Pruner()
	switch {
	case p.Method == "hyperband" || p.Method == "successive_halving":
		bs, err := sw.Brackets()
		if err != nil {
			return err
		}
		configs, continued, retrained := search.BracketTotals(bs)
		fmt.Fprintf(w, "%s: %s over %d configurations of %s from %s search, × %d seeds; min_epochs %d, max_epochs %d, eta %d\n",
			sw.Name, p.Method, configs, sw.Experiment, sw.Method, len(sw.Seeds), p.MinEpochs, p.MaxEpochs, p.Eta)
		fmt.Fprintf(w, "Each generation is a rung level; survivors are retrained from their seed to the next rung's epochs,\n"+
			"so the sweep trains %d epochs per seed (%d if survivors continued from their rung).\n\n", retrained, continued)
		fmt.Fprint(w, search.FormatBrackets(bs))
	default:
		what := sw.Method + " search"
		if p.Method == "median" {
			what += " with the median rule (warmup_epochs " + fmt.Sprint(p.WarmupEpochs) + ", startup " + fmt.Sprint(p.Startup) + ")"
		}
		fmt.Fprintf(w, "%s: %s of %s, %d seeds, %d epochs each, in generations of %d proposals:\n"+
			"generation g is proposed from the results of the generations before it, so the trials are known as it runs\n",
			sw.Name, what, sw.Experiment, len(sw.Seeds), sw.Budget.Epochs, sw.Generation())
	}
	return nil
}
