package cluster

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Defaults of Slurm's settings that have one.
const (
	// DefaultGrace is how long a task's running trials may go on once it
	// is told to stop (optbench run --grace): well under Slurm's default
	// KillWait of 30 s between SIGTERM and SIGKILL.
	DefaultGrace = 20 * time.Second
	// DefaultSignalLead is how long before its time limit Slurm sends a
	// task USR1 (sbatch --signal=B:USR1@60): the task's grace (20 s), the
	// writes of what finished and the requeue fit in it with room to
	// spare. Slurm checks the lead on its own timer, so the signal may
	// come a little earlier or later than the lead says; a minute keeps
	// the grace clear of the limit either way.
	DefaultSignalLead = 60 * time.Second
	DefaultExecutable = "optbench" // the command the tasks run, looked up on their PATH
)

// Slurm script file names, in the order they are submitted, and the
// merged database's, all in Slurm.Dir.
const (
	ShardsScript = "shards.sbatch"
	MergeScript  = "merge.sbatch"
	MergedDB     = "merged.db"
	LogDir       = "logs"
)

// Slurm describes the batch scripts that run a sweep's shards as one job
// array, each task one shard into its own database in Dir, and merge them
// with a job that depends on the array. The zero value is not a job:
// Sweep, File, Dir and Shards are required; the other fields have
// defaults or are left to the cluster's.
type Slurm struct {
	Sweep string // the sweep's name (name: in the file); the jobs are named after it
	File  string // the sweep file as the tasks read it: an absolute path on storage every node sees
	Dir   string // absolute directory on storage every node sees: scripts, logs, shard databases, merged database

	Shards      int      // shards of the sweep, the array's tasks; ≥ 1
	MaxParallel int      // tasks running at once (--array=…%K); default (0) no limit of optbench's
	CPUsPerTask int      // CPUs of each task (--cpus-per-task), also its trials trained at once (run -j); default 1
	Partition   string   // --partition; default the cluster's default partition
	Time        string   // --time of each task, in Slurm's format (minutes, H:MM:SS, D-HH); default the partition's
	Mem         string   // --mem of each task (4G, 500M); default the cluster's
	Extra       []string // further sbatch options, one #SBATCH line each, in the order given
	Grace       time.Duration
	// SignalLead is how long before the time limit a task is sent USR1;
	// default DefaultSignalLead. Grace is the task's optbench run --grace;
	// default DefaultGrace.
	SignalLead time.Duration
	Executable string // the optbench command the tasks run; default DefaultExecutable

	// Adaptive sweeps (tpe, pruners) run generation by generation: the
	// array script trains one generation's shards, given as its
	// arguments (generation, shards), each proposed from the merged
	// results of the generations before it; the merge script merges the
	// generation and submits the next (optbench slurm --next).
	Adaptive bool
}

// Script is one batch script to submit.
type Script struct {
	File string // file name, without directory
	Text []byte // the script
}

// A Slurm option's value goes verbatim onto an #SBATCH line, so it must
// be one shell word without quoting.
var (
	slurmWord = regexp.MustCompile(`^[-A-Za-z0-9_.:,=+/@%]+$`)
	slurmTime = regexp.MustCompile(`^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2})$`)
	slurmMem  = regexp.MustCompile(`^\d+[KMGT]?$`)
	slurmPath = regexp.MustCompile(`^/[-A-Za-z0-9_.+/@%]*$`)
)

func (s Slurm) withDefaults() (Slurm, error) {
	if s.CPUsPerTask == 0 {
		s.CPUsPerTask = 1
	}
	if s.Grace == 0 {
		s.Grace = DefaultGrace
	}
	if s.SignalLead == 0 {
		s.SignalLead = DefaultSignalLead
	}
	if s.Executable == "" {
		s.Executable = DefaultExecutable
	}
	switch {
	case s.Sweep == "":
		return s, fmt.Errorf("%w: no sweep name", ErrInvalid)
	case s.Shards < 1:
		return s, fmt.Errorf("%w: %d shards: need at least one", ErrInvalid, s.Shards)
	case s.MaxParallel < 0:
		return s, fmt.Errorf("%w: max parallel %d: want 1 or more (0 for no limit)", ErrInvalid, s.MaxParallel)
	case s.CPUsPerTask < 1:
		return s, fmt.Errorf("%w: cpus per task %d: want 1 or more", ErrInvalid, s.CPUsPerTask)
	case !slurmPath.MatchString(s.File):
		return s, fmt.Errorf("%w: sweep file %q: want an absolute path of letters, digits and -_.+/@%% (it goes into the script unquoted)", ErrInvalid, s.File)
	case !slurmPath.MatchString(s.Dir):
		return s, fmt.Errorf("%w: directory %q: want an absolute path of letters, digits and -_.+/@%% (it goes into the script unquoted)", ErrInvalid, s.Dir)
	case s.Partition != "" && !slurmWord.MatchString(s.Partition):
		return s, fmt.Errorf("%w: partition %q: want a partition name (no spaces or quotes)", ErrInvalid, s.Partition)
	case s.Time != "" && !slurmTime.MatchString(s.Time):
		return s, fmt.Errorf("%w: time %q: want minutes, MM:SS, H:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS", ErrInvalid, s.Time)
	case s.Mem != "" && !slurmMem.MatchString(s.Mem):
		return s, fmt.Errorf("%w: mem %q: want a size such as 4G or 500M", ErrInvalid, s.Mem)
	case s.Grace < 0:
		return s, fmt.Errorf("%w: grace %v: want 0 or more", ErrInvalid, s.Grace)
	case s.SignalLead < time.Second || s.SignalLead%time.Second != 0:
		return s, fmt.Errorf("%w: signal lead %v: want whole seconds, at least 1s", ErrInvalid, s.SignalLead)
	case s.Grace >= s.SignalLead:
		return s, fmt.Errorf("%w: grace %v is not shorter than the signal lead %v: trials would still run at the time limit", ErrInvalid, s.Grace, s.SignalLead)
	case !slurmWord.MatchString(s.Executable) || strings.ContainsAny(s.Executable, "=,:%"):
		return s, fmt.Errorf("%w: executable %q: want a command name or absolute path", ErrInvalid, s.Executable)
	}
	if lim, ok := ParseSlurmTime(s.Time); ok && lim <= s.SignalLead {
		return s, fmt.Errorf("%w: time %s is not longer than the signal lead %v: the tasks would be told to stop as they start", ErrInvalid, s.Time, s.SignalLead)
	}
	for _, x := range s.Extra {
		if err := checkExtra(x); err != nil {
			return s, err
		}
	}
	return s, nil
}

// Options optbench sets itself, which --extra may not set again.
var ownOptions = []string{"array", "job-name", "output", "error", "open-mode", "requeue", "no-requeue", "signal",
	"dependency", "cpus-per-task", "partition", "time", "mem", "parsable", "wrap", "chdir"}

// checkExtra refuses an extra sbatch option that would break the
// script's line or fight an option optbench writes itself.
func checkExtra(x string) error {
	name, _, _ := strings.Cut(strings.TrimLeft(x, "-"), "=")
	switch {
	case !strings.HasPrefix(x, "-") || strings.ContainsAny(x, " \t\n'\"\\$`;&|<>()#"):
		return fmt.Errorf("%w: extra sbatch option %q: want one option such as --account=lab or --qos=long, without spaces or quotes", ErrInvalid, x)
	case len(x) == 2 && x[1] != '-':
		return fmt.Errorf("%w: extra sbatch option %q: give its value with it, as -A=lab or --account=lab", ErrInvalid, x)
	}
	for _, own := range ownOptions {
		if name == own {
			return fmt.Errorf("%w: extra sbatch option %q: optbench slurm writes --%s itself (see its flags)", ErrInvalid, x, own)
		}
	}
	return nil
}

// ParseSlurmTime reads a Slurm time limit ("minutes", "minutes:seconds",
// "hours:minutes:seconds", "days-hours", "days-hours:minutes",
// "days-hours:minutes:seconds"). It reports false for "" and anything
// else.
func ParseSlurmTime(s string) (time.Duration, bool) {
	if !slurmTime.MatchString(s) {
		return 0, false
	}
	var days int
	if d, rest, ok := strings.Cut(s, "-"); ok {
		days, _ = strconv.Atoi(d)
		parts := strings.Split(rest, ":")
		n := make([]int, 3)
		for i, p := range parts {
			n[i], _ = strconv.Atoi(p)
		}
		return time.Duration(days)*24*time.Hour + time.Duration(n[0])*time.Hour + time.Duration(n[1])*time.Minute + time.Duration(n[2])*time.Second, true
	}
	parts := strings.Split(s, ":")
	n := make([]int, len(parts))
	for i, p := range parts {
		n[i], _ = strconv.Atoi(p)
	}
	switch len(n) {
	case 1:
		return time.Duration(n[0]) * time.Minute, true
	case 2:
		return time.Duration(n[0])*time.Minute + time.Duration(n[1])*time.Second, true
	}
	return time.Duration(n[0])*time.Hour + time.Duration(n[1])*time.Minute + time.Duration(n[2])*time.Second, true
}

// JobName is the name of the sweep's jobs: "optbench-" and the sweep's
// name, with anything but letters, digits, '-', '_' and '.' as '-'.
func JobName(sweep string) string {
	return "optbench-" + strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '-'
	}, sweep)
}

// ShardDB is the database of shard i in dir.
func ShardDB(dir string, i int) string { return path.Join(dir, "shard-"+strconv.Itoa(i)+".db") }

// ArrayRange is the --array value of the given task indices, ascending:
// runs written as ranges ("0-3,5,7-8"), with "%K" when maxParallel > 0.
func ArrayRange(indices []int, maxParallel int) string {
	var parts []string
	for i := 0; i < len(indices); {
		j := i
		for j+1 < len(indices) && indices[j+1] == indices[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, strconv.Itoa(indices[i]))
		} else {
			parts = append(parts, strconv.Itoa(indices[i])+"-"+strconv.Itoa(indices[j]))
		}
		i = j + 1
	}
	r := strings.Join(parts, ",")
	if maxParallel > 0 {
		r += "%" + strconv.Itoa(maxParallel)
	}
	return r
}

// ShardCommand is the command each array task runs, with the shell's
// $shard for its index.
func (s Slurm) ShardCommand() string {
	s, _ = s.withDefaults()
	if s.Adaptive {
		return fmt.Sprintf(`%s run %s --generation "$generation" --history %s/%s --shard "$shard/$shards" --db %s/gen-"$generation"/shard-"$shard".db -j %d --grace %s --quiet`,
			s.Executable, s.File, s.Dir, MergedDB, s.Dir, s.CPUsPerTask, s.Grace)
	}
	return fmt.Sprintf(`%s run %s --shard "$shard/$shards" --db %s/shard-"$shard".db -j %d --grace %s --quiet`,
		s.Executable, s.File, s.Dir, s.CPUsPerTask, s.Grace)
}

// GenerationDir is the directory of generation g's shard databases of
// an adaptive sweep in dir.
func GenerationDir(dir string, g int) string { return path.Join(dir, "gen-"+strconv.Itoa(g)) }

// GenerationLog is the --output of generation g's array tasks.
func GenerationLog(dir string, g int) string {
	return path.Join(dir, LogDir, "gen-"+strconv.Itoa(g)+"-shard-%a.out")
}

// MergeCommand is the merge job's command: every shard's database into
// Dir/merged.db, named one by one (bash expands the braces) so that a
// missing shard is an error rather than a smaller glob.
func (s Slurm) MergeCommand() string {
	s, _ = s.withDefaults()
	if s.Adaptive {
		return fmt.Sprintf("%s slurm --next --dir %s", s.Executable, s.Dir)
	}
	shards := "shard-0.db"
	if s.Shards > 1 {
		shards = fmt.Sprintf("shard-{0..%d}.db", s.Shards-1)
	}
	return fmt.Sprintf("%s merge --db %s/%s %s/%s", s.Executable, s.Dir, MergedDB, s.Dir, shards)
}

// Scripts returns the batch scripts, in the order they are submitted:
// the job array of the shards and the merge job. The text depends only
// on s; the merge job's dependency on the array is given when it is
// submitted (sbatch --dependency=afterok:ID), since the array's id is
// known only then.
func (s Slurm) Scripts() ([]Script, error) {
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	name := JobName(s.Sweep)
	all := make([]int, s.Shards)
	for i := range all {
		all[i] = i
	}
	common := func(b *strings.Builder) {
		if s.Partition != "" {
			fmt.Fprintf(b, "#SBATCH --partition=%s\n", s.Partition)
		}
		for _, x := range s.Extra {
			fmt.Fprintf(b, "#SBATCH %s\n", x)
		}
	}

	vars := fmt.Sprintf("shard=$SLURM_ARRAY_TASK_ID shards=%d", s.Shards)
	genNote := ""
	if s.Adaptive {
		vars = "generation=$1 shards=$2 shard=$SLURM_ARRAY_TASK_ID"
		genNote = "generation $generation, "
	}
	var sh strings.Builder
	if s.Adaptive {
		fmt.Fprintf(&sh, `#!/bin/bash
# One generation of adaptive sweep %s, in at most %d shards, one array
# task each%s, written by optbench slurm. Its arguments are the generation
# g and its number of shards n; task i proposes generation g from the
# results of the generations before it in %s/%s (as a local run
# proposes it) and trains shard i/n of it into %s/gen-<g>/shard-<i>.db,
# a database of its own. Rerunning a task resumes its shard: what is
# stored is never trained again.
#
# Submit (merge.sbatch does, for each generation):
#   sbatch --parsable --array=0-<n-1> --output=%s/%s/gen-<g>-shard-%%a.out %s/%s <g> <n>
`, s.Sweep, s.Shards, parallelNote(s.MaxParallel), s.Dir, MergedDB, s.Dir, s.Dir, LogDir, s.Dir, ShardsScript)
	} else {
		fmt.Fprintf(&sh, `#!/bin/bash
# The %d shards of sweep %s, one array task each%s, written by
# optbench slurm. Task i trains shard i/%d into %s, a database of
# its own: no two processes write one SQLite file, and nothing relies on
# file locking across machines. Rerunning a task resumes its shard: what
# is stored is never trained again.
#
# Submit: sbatch --parsable %s/%s
`, s.Shards, s.Sweep, parallelNote(s.MaxParallel), s.Shards, s.Dir+"/shard-<i>.db", s.Dir, ShardsScript)
	}
	fmt.Fprintf(&sh, `#
# Time limits and preemption: Slurm sends this script USR1 %d s before
# the time limit (--signal=B:USR1@%d); it passes the signal on, and optbench
# stops within its grace (%s), cutting the trials still running, keeps
# what finished, and exits 138; the script then requeues its own task,
# which resumes the shard. SIGTERM (preemption, scancel, the limit itself)
# reaches optbench directly, which stops the same way and exits 143; a
# preempted task is requeued by Slurm (--requeue), a cancelled one is not.
#SBATCH --job-name=%s
#SBATCH --array=%s
#SBATCH --cpus-per-task=%d
`, int(s.SignalLead/time.Second), int(s.SignalLead/time.Second), s.Grace,
		name, ArrayRange(all, s.MaxParallel), s.CPUsPerTask)
	if s.Time != "" {
		fmt.Fprintf(&sh, "#SBATCH --time=%s\n", s.Time)
	}
	if s.Mem != "" {
		fmt.Fprintf(&sh, "#SBATCH --mem=%s\n", s.Mem)
	}
	common(&sh)
	fmt.Fprintf(&sh, `#SBATCH --output=%s/%s/shard-%%a.out
#SBATCH --open-mode=append
#SBATCH --requeue
#SBATCH --signal=B:USR1@%d

%s
echo "optbench: %sshard $shard/$shards, job ${SLURM_ARRAY_JOB_ID}_$shard, restart ${SLURM_RESTART_COUNT:-0}, on $(hostname)"
pid= requeue= told= alarm=
# optbench is told once: a second signal makes it exit at once.
tell() { if [ -n "$pid" ] && [ -z "$told" ]; then told=1; kill -USR1 $pid; fi; }
trap 'requeue=1; tell' USR1
# TERM reaches optbench from Slurm itself; the script only outlives it.
trap : TERM
# Slurm 22.05 sends the warning once per job, not again after a requeue
# (seen on the test cluster), so the script also sets its own alarm from
# the time it has left (squeue %%L: [days-][hours:]minutes:seconds).
left=$(squeue -h -j "$SLURM_JOB_ID" -o %%L 2>/dev/null)
case $left in
*[0-9]:[0-9]*)
  days=0; case $left in *-*) days=${left%%%%-*}; left=${left#*-};; esac
  IFS=: read -r a b c <<<"$left"
  if [ -n "$c" ]; then secs=$(( ((10#$days*24 + 10#$a)*60 + 10#$b)*60 + 10#$c ))
  else secs=$(( (10#$days*24*60 + 10#$a)*60 + 10#$b )); fi
  if [ "$secs" -gt %d ]; then (sleep $((secs - %d)); kill -USR1 $$) & alarm=$!; fi;;
esac
%s &
pid=$!
if [ -n "$requeue" ]; then tell; fi
# wait returns early when a signal arrives: wait until optbench has exited,
# then once more for its exit status, which bash keeps.
while kill -0 $pid 2>/dev/null; do wait $pid; done
wait $pid
status=$?
if [ -n "$requeue" ] && [ "$status" != 0 ]; then
  echo "optbench: shard $shard stopped before the time limit (exit $status): requeueing it"
  scontrol requeue "${SLURM_ARRAY_JOB_ID}_$shard"
fi
if [ -n "$alarm" ]; then kill $alarm 2>/dev/null; fi
exit $status
`, s.Dir, LogDir, int(s.SignalLead/time.Second), vars, genNote, int(s.SignalLead/time.Second), int(s.SignalLead/time.Second), s.ShardCommand())

	var mg strings.Builder
	if s.Adaptive {
		fmt.Fprintf(&mg, `#!/bin/bash
# Once every task of a generation's array has succeeded, merges its shard
# databases into %s/%s, proposes the next generation of adaptive sweep
# %s from all the results so far and submits it (shards.sbatch) with
# another of this job after it; after the last generation it only merges.
# Written by optbench slurm; merging again adds nothing.
#
# Submit (optbench slurm does): sbatch --parsable --dependency=afterok:ARRAY_JOB_ID %s/%s
`, s.Dir, MergedDB, s.Sweep, s.Dir, MergeScript)
	} else {
		fmt.Fprintf(&mg, `#!/bin/bash
# Merges the %d shard databases of sweep %s into %s/%s once every
# task of the array has succeeded; written by optbench slurm. Merging
# again adds nothing, so rerunning it is safe.
#
# Submit: sbatch --parsable --dependency=afterok:ARRAY_JOB_ID %s/%s
`, s.Shards, s.Sweep, s.Dir, MergedDB, s.Dir, MergeScript)
	}
	fmt.Fprintf(&mg, `#SBATCH --job-name=%s-merge
#SBATCH --cpus-per-task=1
`, name)
	if s.Mem != "" {
		fmt.Fprintf(&mg, "#SBATCH --mem=%s\n", s.Mem)
	}
	common(&mg)
	fmt.Fprintf(&mg, `#SBATCH --output=%s/%s/merge.out
#SBATCH --open-mode=append

%s
`, s.Dir, LogDir, s.MergeCommand())

	return []Script{{ShardsScript, []byte(sh.String())}, {MergeScript, []byte(mg.String())}}, nil
}

func parallelNote(k int) string {
	if k == 0 {
		return ""
	}
	return fmt.Sprintf(" (at most %d at once)", k)
}
