package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/experiments"
)

func cmdExperiments(ctx context.Context, e *env, args []string) error {
	if _, err := e.parse(args, 0); err != nil {
		return err
	}
	w := e.stdout
	for i, x := range experiments.All() {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s\n", x.Name)
		fmt.Fprintf(w, "  %s\n", x.Description)
		if x.Source != "" {
			fmt.Fprintf(w, "  source: %s\n", x.Source)
		}
		fmt.Fprintf(w, "  metric: %s (%s); budget: %d epochs\n", x.Metric, x.Goal, x.Budget.Epochs)
		var defaults []string
		opt, _ := x.Defaults.String("optimizer")
		sched := "constant"
		params, err := x.Params(opt, sched)
		if err != nil {
			return err
		}
		for _, p := range params {
			if x.Layered() && experiments.MLPSetting(p.Name) {
				continue // its network takes none of them
			}
			if p.Name == "timing" {
				if v, _ := x.Defaults.String("timing"); v != "" {
					defaults = append(defaults, "timing="+v)
				}
				continue
			}
			var v any = p.Default
			if p.Kind == experiments.Number || p.Kind == experiments.Integer {
				v = p.Spec.Default
			}
			switch {
			case p.Required:
				defaults = append(defaults, p.Name+"=(required)")
			case p.Name == "data_sha256":
				defaults = append(defaults, p.Name+"=(computed)")
			default:
				defaults = append(defaults, p.Name+"="+engine.FormatValue(v))
			}
		}
		fmt.Fprintf(w, "  defaults: %s\n", wrap(strings.Join(defaults, " "), 70, "            "))
	}
	return nil
}

// wrap breaks s at spaces into lines of at most width, indenting
// continuation lines.
func wrap(s string, width int, indent string) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(s) {
		if i > 0 {
			if line+1+len(word) > width {
				b.WriteString("\n" + indent)
				line = 0
			} else {
				b.WriteByte(' ')
				line++
			}
		}
		b.WriteString(word)
		line += len(word)
	}
	return b.String()
}

// version is the module version and VCS revision the binary was built from.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v += " " + rev + dirty
	}
	return v + " " + info.GoVersion
}
