package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/optbench/optbench/engine/hparam"
	"github.com/optbench/optbench/engine/optim"
	"github.com/optbench/optbench/engine/schedule"
)

// cmdOptimizers lists the optimizers with their settings and update rules,
// read from the declarations sweep validation uses (optim.Settings) and
// the rule each optimizer's doc comment states (optim.Rule).
func cmdOptimizers(ctx context.Context, e *env, args []string) error {
	pos, err := e.parse(args, -1)
	if err != nil {
		return err
	}
	names, err := selectNames("optimizer", pos, optim.Names(), optim.OtherName)
	if err != nil {
		return err
	}
	for i, name := range names {
		specs, err := optim.Settings(name)
		if err != nil {
			return err
		}
		rule, err := optim.Rule(name)
		if err != nil {
			return err
		}
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		writeComponent(e.stdout, name, rule, specs)
	}
	if len(pos) == 0 {
		fmt.Fprintf(e.stdout, "\nOther frameworks' names are not accepted; they are answered with ours:\n")
		for _, n := range optim.OtherNames() {
			fmt.Fprintf(e.stdout, "  %-13s %s\n", n, optim.OtherName(n))
		}
	}
	return nil
}

// cmdSchedules lists the learning-rate schedules with their settings and
// formulas, from schedule.Specs and schedule.Rule.
func cmdSchedules(ctx context.Context, e *env, args []string) error {
	pos, err := e.parse(args, -1)
	if err != nil {
		return err
	}
	names, err := selectNames("schedule", pos, schedule.Names(), func(string) string { return "" })
	if err != nil {
		return err
	}
	for i, name := range names {
		specs, err := schedule.Specs(name)
		if err != nil {
			return err
		}
		rule, err := schedule.Rule(name)
		if err != nil {
			return err
		}
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		writeComponent(e.stdout, name, rule, specs)
	}
	return nil
}

// selectNames returns the names asked for, or all of them.
func selectNames(kind string, asked, valid []string, other func(string) string) ([]string, error) {
	if len(asked) == 0 {
		return valid, nil
	}
	for _, n := range asked {
		if !contains(valid, n) {
			if hint := other(n); hint != "" {
				return nil, usageErrorf("%ss: %q is another framework's name: %s", kind, n, hint)
			}
			return nil, usageErrorf("%ss: unknown %s %q (valid: %s)", kind, kind, n, strings.Join(valid, ", "))
		}
	}
	return asked, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// writeComponent prints a name, its rule indented, and one line per
// setting: name, default, allowed range and meaning.
func writeComponent(w io.Writer, name, rule string, specs []hparam.Spec) {
	fmt.Fprintln(w, name)
	for _, line := range strings.Split(rule, "\n") {
		fmt.Fprintf(w, "    %s\n", line)
	}
	if len(specs) == 0 {
		fmt.Fprintln(w, "  settings: none")
		return
	}
	fmt.Fprintln(w, "  settings:")
	col := 14 // the names' column: as wide as the longest (initial_accumulator)
	for _, s := range specs {
		col = max(col, len(s.Name))
	}
	for _, s := range specs {
		def := strconv.FormatFloat(s.Default, 'g', 4, 64)
		if err := s.Check(s.Default); err != nil {
			def = "required"
		}
		kind := ""
		if s.Integer {
			kind = " whole"
		}
		fmt.Fprintf(w, "    %-*s default %-9s in %s%s  %s\n", col, s.Name, def, s.Range(), kind, s.Doc)
	}
}
