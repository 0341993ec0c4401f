package cluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
)

// ErrNoSlurm is returned when a Slurm command is not on the PATH: this
// is not a machine that submits Slurm jobs.
var ErrNoSlurm = errors.New("cluster: Slurm's commands are not on the PATH")

// CheckSlurm reports ErrNoSlurm unless the commands that submit and
// follow jobs (sbatch, scontrol, scancel) are on the PATH.
func CheckSlurm() error {
	for _, name := range []string{"sbatch", "scontrol", "scancel"} {
		if _, err := exec.LookPath(name); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrNoSlurm, name, err)
		}
	}
	return nil
}

// slurmCommand runs one of Slurm's commands and returns its standard
// output; an exit status other than 0 is an error carrying its standard
// error. Slurm's commands find the cluster through SLURM_CONF or their
// default configuration, as they do for a user.
func slurmCommand(ctx context.Context, name string, args ...string) ([]byte, error) {
	if _, err := exec.LookPath(name); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNoSlurm, name, err)
	}
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return stdout.Bytes(), fmt.Errorf("cluster: %s %s: %s", name, strings.Join(args, " "), msg)
	}
	return stdout.Bytes(), nil
}

// Submit submits a batch script with sbatch --parsable, the given
// options before it (they override the script's #SBATCH lines) and the
// script's arguments after it, and returns the job's id.
func Submit(ctx context.Context, options []string, script string, args ...string) (string, error) {
	cmd := append(append(append([]string{"--parsable"}, options...), script), args...)
	out, err := slurmCommand(ctx, "sbatch", cmd...)
	if err != nil {
		return "", err
	}
	// --parsable prints "id" or "id;cluster".
	id, _, _ := strings.Cut(strings.TrimSpace(string(out)), ";")
	if _, err := strconv.Atoi(id); err != nil {
		return "", fmt.Errorf("cluster: sbatch printed %q, not a job id", out)
	}
	return id, nil
}

// Cancel cancels jobs (scancel); cancelling a job that has ended is not
// an error.
func Cancel(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := slurmCommand(ctx, "scancel", ids...)
	return err
}

// Job is the state of one job, or of one task or of the pending tasks of
// a job array, as scontrol shows it.
type Job struct {
	ID        string // the job's id, or ARRAY_TASK for an array task
	ArrayJob  string // the array's job id; "" for a job that is not a task
	ArrayTask string // the task index, or the indices of pending tasks ("0-3%2"); "" for a job that is not a task
	State     string // PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, …
	Reason    string // why it is pending or how it ended; "None" when there is nothing to say
	ExitCode  string // "status:signal"
	Restarts  int    // times it was requeued
}

// Ended reports whether the job will not run again by itself: it
// completed, failed, was cancelled or hit its limit. A requeued job is
// PENDING again.
func (j Job) Ended() bool {
	switch j.State {
	case "PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED",
		"RESIZING", "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT", "RESV_DEL_HOLD":
		return false
	}
	return true
}

// Jobs returns the state of the given jobs from scontrol show job, an
// array's tasks each on its own (its pending tasks together). A job that
// slurmctld no longer knows (it ended more than MinJobAge ago, 300 s by
// default) has no entry; without accounting its end is not known.
func Jobs(ctx context.Context, ids ...string) ([]Job, error) {
	var jobs []Job
	for _, id := range ids {
		if id == "" {
			continue // "scontrol show job" alone shows every job
		}
		out, err := slurmCommand(ctx, "scontrol", "show", "job", "--oneliner", id)
		if err != nil {
			if strings.Contains(err.Error(), "Invalid job id") {
				continue
			}
			return nil, err
		}
		jobs = append(jobs, parseJobs(string(out))...)
	}
	return jobs, nil
}

// parseJobs reads scontrol show job --oneliner: a line per job of
// space-separated Key=Value fields.
func parseJobs(out string) []Job {
	var jobs []Job
	for line := range strings.SplitSeq(out, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		fields := map[string]string{}
		for f := range strings.FieldsSeq(line) {
			if k, v, ok := strings.Cut(f, "="); ok {
				if _, seen := fields[k]; !seen {
					fields[k] = v
				}
			}
		}
		j := Job{ID: fields["JobId"], ArrayJob: fields["ArrayJobId"], ArrayTask: fields["ArrayTaskId"],
			State: fields["JobState"], Reason: fields["Reason"], ExitCode: fields["ExitCode"]}
		j.Restarts, _ = strconv.Atoi(fields["Restarts"])
		if j.ArrayJob != "" && j.ArrayTask != "" {
			j.ID = j.ArrayJob + "_" + j.ArrayTask
		}
		jobs = append(jobs, j)
	}
	slices.SortStableFunc(jobs, func(a, b Job) int { return strings.Compare(a.ID, b.ID) })
	return jobs
}

// Tally counts jobs by state, "2 running, 1 pending", states in the
// order they first appear.
func Tally(jobs []Job) string {
	var states []string
	n := map[string]int{}
	for _, j := range jobs {
		count := 1
		if j.State == "PENDING" && j.ArrayTask != "" {
			count = arrayCount(j.ArrayTask)
		}
		if n[j.State] == 0 {
			states = append(states, j.State)
		}
		n[j.State] += count
	}
	parts := make([]string, len(states))
	for i, s := range states {
		parts[i] = fmt.Sprintf("%d %s", n[s], strings.ToLower(s))
	}
	return strings.Join(parts, ", ")
}

// arrayCount counts the tasks of an ArrayTaskId such as "0-3,5%2".
func arrayCount(spec string) int {
	spec, _, _ = strings.Cut(spec, "%")
	n := 0
	for part := range strings.SplitSeq(spec, ",") {
		lo, hi, ok := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(lo)
		if !ok {
			if err1 == nil {
				n++
			}
			continue
		}
		b, err2 := strconv.Atoi(hi)
		if err1 == nil && err2 == nil && b >= a {
			n += b - a + 1
		}
	}
	return max(n, 1)
}
