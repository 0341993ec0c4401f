package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/term"
)

// exitError carries an exit status; usage errors exit 2.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

type command struct {
	name    string
	args    string // synopsis of positional arguments and flags
	summary string
	example string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what every command gets: output streams and the flag set.
type env struct {
	stdout, stderr io.Writer
	fs             *flag.FlagSet
	cmd            *command
	getenv         func(string) string
}

var commands []*command

func init() {
	commands = []*command{
		{"run", "SWEEP.yaml [--db PATH] [-j N] [--shard i/N] [--generation g --history DB] [--quiet] [--yes] [--max-trials N] [--retrain-stale | --keep-stale] [--wait=false] [--lease D]",
			"train every trial of a sweep in parallel and store the results (resumable; several processes may share one sweep)",
			"optbench run sweeps/quickstart.yaml -j 2", cmdRun},
		{"k8s", "SWEEP.yaml --shards N [--image IMG] [--parallelism K] [--pvc NAME] [--backoff-per-index B] [--cpus C] [--mem M] [--dir DIR] [--dry-run]",
			"write the Kubernetes manifests that run a sweep as N shards (an Indexed Job, the ConfigMap of its sweep file) and merge them (a second Job)",
			"optbench k8s sweeps/quickstart.yaml --shards 4 --image registry.example/optbench:v1 --dir k8s/quickstart", cmdK8s},
		{"slurm", "SWEEP.yaml --shards N --dir DIR [--partition P] [--time T] [--cpus-per-task C] [--mem M] [--max-parallel K] [--extra 'sbatch options'] [--grace D] [--signal-lead D] [--dry-run] [--wait] | --resume --dir DIR [--wait]",
			"run a sweep on Slurm as a job array of N shards and a merge job: writes the sbatch scripts into DIR and submits them (--wait follows them and prints the leaderboard; --resume resubmits the unfinished shards)",
			"optbench slurm sweeps/quickstart.yaml --shards 4 --dir /shared/optbench/quickstart --time 1:00:00 --wait", cmdSlurm},
		{"merge", "--db OUT [--force] SHARD.db…",
			"merge the databases of a sweep's shards (run --shard) into one, keeping every result, curve and run; merging again adds nothing",
			"optbench merge --db results/optbench.db shard-0.db shard-1.db shard-2.db", cmdMerge},
		{"plan", "SWEEP.yaml [--format table|csv|json]",
			"validate a sweep and list its trials without running them",
			"optbench plan sweeps/adam-grid.yaml --format csv", cmdPlan},
		{"gradcheck", "SWEEP.yaml [--trial KEY] [--examples N]",
			"check a configuration's backpropagation as the course does: two-sided differences (ε 1e-7) per layer and overall; above 2e-7 the course's \"There is a mistake in the backward propagation!\" (exit 3)",
			"optbench gradcheck sweeps/quickstart.yaml", cmdGradcheck},
		{"ls", "[SWEEP] [--db PATH]", "list stored sweeps with trial counts by status; with SWEEP, its runs and the trials being trained",
			"optbench ls quickstart", cmdLs},
		{"show", "TRIAL [--db PATH]", "show one trial's configuration, provenance and final metrics (a unique key prefix is enough)",
			"optbench show 3fa9c2", cmdShow},
		{"export", "[--sweep NAME] [--format csv|json] [--curves] [--include-stale] [--db PATH]",
			"export trial summaries or per-epoch curves of the trials the sweep file plans, as report shows them (--include-stale: every stored trial)", "optbench export --sweep quickstart --format csv", cmdExport},
		{"experiments", "", "list the registered experiments with their defaults", "optbench experiments", cmdExperiments},
		{"optimizers", "[NAME…]", "list the optimizers with their update rules and settings (defaults, allowed ranges), as sweep files are checked against them",
			"optbench optimizers adam", cmdOptimizers},
		{"schedules", "[NAME…]", "list the learning-rate schedules with their formulas and settings (defaults, allowed ranges)",
			"optbench schedules cosine", cmdSchedules},
		{"report", "[--sweep NAME] [--out DIR] [--format text|markdown|csv|json] [--tables leaderboard|all] [--tables-dir DIR] [--db PATH]",
			"print the leaderboard and write the HTML report with tables and figures",
			"optbench report --sweep quickstart", cmdReport},
		{"compare", "BASE CANDIDATE [--sweep NAME] [--metric NAME,…|all] [--test welch|mwu] [--alpha A] [--min-change C] [--exact] [--ignore PARAM,…] [--format text|markdown|json] [--junit FILE]",
			"compare two runs of a sweep (databases or baseline files): what changed bit for bit, and what got better or worse across seeds (exit 3 on a regression)",
			"optbench compare regress/baseline.jsonl results/optbench.db --exact", cmdCompare},
		{"baseline", "save [--sweep NAME] [--db PATH] --out FILE",
			"save a sweep's results as a baseline file to commit and compare against",
			"optbench baseline save --sweep regress --out regress/baseline.jsonl", cmdBaseline},
		{"verify", "[--sweep NAME] [--sample N | --trial KEY] [-j N] [--db PATH]",
			"retrain stored trials and check every per-epoch metric bit for bit (exit 3 on a mismatch)",
			"optbench verify --sweep quickstart --sample 10", cmdVerify},
		{"reproduce", "NAME [--db PATH]", "compare a stored reproduction sweep with the published table it reproduces",
			"optbench run sweeps/c2w2-optimization.yaml && optbench reproduce c2w2-optimization", cmdReproduce},
	}
	sort.Slice(commands, func(i, j int) bool { return commands[i].name < commands[j].name })
}

// run is the whole program: it parses args and runs one command.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runEnv(ctx, args, stdout, stderr, os.Getenv)
}

func runEnv(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		usage(stderr)
		return &exitError{code: 2}
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return runEnv(ctx, []string{args[1], "--help"}, stdout, stderr, getenv)
		}
		usage(stdout)
		return nil
	case "version", "--version":
		fmt.Fprintln(stdout, "optbench", version())
		return nil
	}
	for _, c := range commands {
		if c.name != name {
			continue
		}
		fs := flag.NewFlagSet("optbench "+c.name, flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		e := &env{stdout: stdout, stderr: stderr, fs: fs, cmd: c, getenv: getenv}
		if err := c.run(ctx, e, args[1:]); !errors.Is(err, errHelp) {
			return err
		}
		return nil
	}
	return usageErrorf("unknown command %q; run 'optbench help' for the list", name)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `optbench runs reproducible optimizer benchmarks: a sweep file expands into
trials, trained in parallel with fixed seeds and stored in SQLite.

Usage:
  optbench <command> [arguments]

Commands:`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, `
The database is results/optbench.db unless --db or OPTBENCH_DB says otherwise.
Run 'optbench <command> --help' for a command's flags and an example.

Exit status: 0 success; 1 a trial failed or an operation failed at run time;
2 invalid input (usage, a sweep file or the data file it names, a limit
exceeded, a database that is not optbench's or is damaged); 3 a regression
or mismatch found (compare, verify); 130 interrupted by SIGINT, 143 by
SIGTERM, 138 by SIGUSR1.`)
}

// parse parses the command's flags, which may come before or after the
// positional arguments, and returns the positional arguments. --help
// prints the command's usage and returns errHelp.
func (e *env) parse(args []string, positional int) ([]string, error) {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		if a == "-h" || a == "--help" || a == "-help" {
			e.help()
			return nil, errHelp
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := e.fs.Lookup(name)
		if f == nil {
			return nil, usageErrorf("%s: unknown flag %s\nusage: optbench %s %s", e.cmd.name, a, e.cmd.name, e.cmd.args)
		}
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			continue
		}
		if i+1 >= len(args) {
			return nil, usageErrorf("%s: flag %s needs a value", e.cmd.name, a)
		}
		i++
		flags = append(flags, args[i])
	}
	if err := e.fs.Parse(flags); err != nil {
		return nil, usageErrorf("%s: %v\nusage: optbench %s %s", e.cmd.name, err, e.cmd.name, e.cmd.args)
	}
	if positional >= 0 && len(pos) != positional {
		return nil, usageErrorf("%s: want %d argument(s), got %d\nusage: optbench %s %s",
			e.cmd.name, positional, len(pos), e.cmd.name, e.cmd.args)
	}
	return pos, nil
}

var errHelp = errors.New("help shown")

func (e *env) help() {
	w := e.stdout
	fmt.Fprintf(w, "usage: optbench %s %s\n\n%s.\n", e.cmd.name, e.cmd.args, capitalize(e.cmd.summary))
	hasFlags := false
	e.fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintln(w, "\nFlags:")
		e.fs.SetOutput(w)
		e.fs.PrintDefaults()
		e.fs.SetOutput(io.Discard)
	}
	fmt.Fprintf(w, "\nExample:\n  %s\n", e.cmd.example)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// dbFlag registers --db and returns a function giving its value, falling
// back to OPTBENCH_DB and then the default path.
func (e *env) dbFlag() func() string {
	p := e.fs.String("db", "", "SQLite database `path` (default $OPTBENCH_DB or results/optbench.db)")
	return func() string {
		if *p != "" {
			return *p
		}
		if v := e.getenv("OPTBENCH_DB"); v != "" {
			return v
		}
		return defaultDB
	}
}

const defaultDB = "results/optbench.db"

// textWidth is the width text tables are fitted to: the terminal's when
// stdout is one, else $COLUMNS when it holds a sensible width (shells set it;
// a user may set it for a pipe or a CI log), else fallback.
func (e *env) textWidth(fallback int) int {
	if f, ok := e.stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if width, _, err := term.GetSize(int(f.Fd())); err == nil && width >= minTextWidth {
			return width
		}
	}
	if width, err := strconv.Atoi(strings.TrimSpace(e.getenv("COLUMNS"))); err == nil && width >= minTextWidth {
		return width
	}
	return fallback
}

// minTextWidth is the narrowest width taken from a terminal or $COLUMNS;
// below it a table is unreadable whatever is done.
const minTextWidth = 40
