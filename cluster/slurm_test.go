package cluster

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func testSlurm() Slurm {
	return Slurm{Sweep: "quickstart", File: "/shared/sweeps/quickstart.yaml", Dir: "/shared/runs/quickstart",
		Shards: 4, MaxParallel: 2, CPUsPerTask: 2, Partition: "short", Time: "1:00:00", Mem: "4G",
		Extra: []string{"--account=lab", "--qos=normal"}}
}

// TestSlurmGolden: the scripts are stable text holding only what the
// fields say; -update rewrites testdata/slurm-*.sbatch after a
// deliberate change.
func TestSlurmGolden(t *testing.T) {
	tests := []struct {
		name string
		job  Slurm
	}{
		{"flags", testSlurm()},
		{"defaults", Slurm{Sweep: "Adam LR", File: "/home/me/adam.yaml", Dir: "/scratch/adam", Shards: 3}},
		{"adaptive", Slurm{Sweep: "tpe", File: "/shared/tpe.yaml", Dir: "/shared/runs/tpe", Shards: 4, MaxParallel: 2, Time: "30", Adaptive: true}},
		{"one", Slurm{Sweep: "one", File: "/s/one.yaml", Dir: "/s/one", Shards: 1, Grace: 5 * time.Second, SignalLead: 30 * time.Second, Executable: "/opt/optbench/bin/optbench"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scripts, err := tt.job.Scripts()
			if err != nil {
				t.Fatal(err)
			}
			again, _ := tt.job.Scripts()
			for i, s := range scripts {
				if string(s.Text) != string(again[i].Text) {
					t.Errorf("%s differs between two calls", s.File)
				}
				golden := filepath.Join("testdata", "slurm-"+tt.name+"-"+s.File)
				if *update {
					if err := os.WriteFile(golden, s.Text, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if string(s.Text) != string(want) {
					t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", s.File, golden, s.Text)
				}
			}
		})
	}
}

// TestSlurmDirectives checks the #SBATCH lines the tasks depend on.
func TestSlurmDirectives(t *testing.T) {
	scripts, err := testSlurm().Scripts()
	if err != nil {
		t.Fatal(err)
	}
	directives := func(text []byte) map[string]string {
		d := map[string]string{}
		for line := range strings.SplitSeq(string(text), "\n") {
			if rest, ok := strings.CutPrefix(line, "#SBATCH --"); ok {
				k, v, _ := strings.Cut(rest, "=")
				d[k] = v
			}
		}
		return d
	}
	shards, merge := directives(scripts[0].Text), directives(scripts[1].Text)
	for k, want := range map[string]string{"array": "0-3%2", "cpus-per-task": "2", "time": "1:00:00", "mem": "4G",
		"partition": "short", "requeue": "", "signal": "B:USR1@60", "account": "lab", "qos": "normal",
		"job-name": "optbench-quickstart", "output": "/shared/runs/quickstart/logs/shard-%a.out"} {
		if got, ok := shards[k]; !ok || got != want {
			t.Errorf("shards script: --%s=%q (present %v), want %q", k, got, ok, want)
		}
	}
	if _, ok := merge["array"]; ok {
		t.Error("the merge script is an array")
	}
	if merge["job-name"] != "optbench-quickstart-merge" || merge["account"] != "lab" {
		t.Errorf("merge script directives %v", merge)
	}
	if !strings.Contains(string(scripts[0].Text), "\nshard=$SLURM_ARRAY_TASK_ID shards=4\n") {
		t.Errorf("shards script does not set shards=4:\n%s", scripts[0].Text)
	}
	cmd := `optbench run /shared/sweeps/quickstart.yaml --shard "$shard/$shards" --db /shared/runs/quickstart/shard-"$shard".db -j 2 --grace 20s --quiet`
	if !strings.Contains(string(scripts[0].Text), "\n"+cmd+" &\n") {
		t.Errorf("shards script does not run %s:\n%s", cmd, scripts[0].Text)
	}
	if m := "\noptbench merge --db /shared/runs/quickstart/merged.db /shared/runs/quickstart/shard-{0..3}.db\n"; !strings.Contains(string(scripts[1].Text), m) {
		t.Errorf("merge script does not run%s", m)
	}
}

func TestSlurmInvalid(t *testing.T) {
	for _, tt := range []struct {
		name string
		edit func(*Slurm)
		want string
	}{
		{"no shards", func(s *Slurm) { s.Shards = 0 }, "need at least one"},
		{"relative dir", func(s *Slurm) { s.Dir = "runs/q" }, "directory"},
		{"space in file", func(s *Slurm) { s.File = "/a b/q.yaml" }, "sweep file"},
		{"quote in partition", func(s *Slurm) { s.Partition = "a'b" }, "partition"},
		{"bad time", func(s *Slurm) { s.Time = "1h" }, "time \"1h\""},
		{"time below lead", func(s *Slurm) { s.Time = "1" }, "not longer than the signal lead"},
		{"bad mem", func(s *Slurm) { s.Mem = "lots" }, "mem"},
		{"negative parallel", func(s *Slurm) { s.MaxParallel = -1 }, "max parallel"},
		{"grace over lead", func(s *Slurm) { s.Grace = time.Minute }, "not shorter than the signal lead"},
		{"fractional lead", func(s *Slurm) { s.SignalLead = 1500 * time.Millisecond }, "whole seconds"},
		{"extra with space", func(s *Slurm) { s.Extra = []string{"--account lab"} }, "without spaces"},
		{"extra injection", func(s *Slurm) { s.Extra = []string{"--x=$(rm)"} }, "without spaces"},
		{"extra not an option", func(s *Slurm) { s.Extra = []string{"lab"} }, "want one option"},
		{"extra sets array", func(s *Slurm) { s.Extra = []string{"--array=0-9"} }, "writes --array itself"},
		{"extra sets time", func(s *Slurm) { s.Extra = []string{"--time=5"} }, "writes --time itself"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := testSlurm()
			tt.edit(&s)
			_, err := s.Scripts()
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want ErrInvalid mentioning %q", err, tt.want)
			}
		})
	}
}

func TestParseSlurmTime(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"1": time.Minute, "90": 90 * time.Minute, "5:30": 5*time.Minute + 30*time.Second,
		"1:00:00": time.Hour, "2-0": 48 * time.Hour, "1-2:03": 26*time.Hour + 3*time.Minute,
		"1-2:03:04": 26*time.Hour + 3*time.Minute + 4*time.Second,
	} {
		if got, ok := ParseSlurmTime(in); !ok || got != want {
			t.Errorf("ParseSlurmTime(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "1h", "UNLIMITED", "-1", "1:2:3:4"} {
		if _, ok := ParseSlurmTime(in); ok {
			t.Errorf("ParseSlurmTime(%q) accepted", in)
		}
	}
}

func TestArrayRange(t *testing.T) {
	for _, tt := range []struct {
		in   []int
		k    int
		want string
	}{
		{[]int{0, 1, 2, 3}, 2, "0-3%2"},
		{[]int{0}, 0, "0"},
		{[]int{1, 3, 4, 5, 9}, 0, "1,3-5,9"},
	} {
		if got := ArrayRange(tt.in, tt.k); got != tt.want {
			t.Errorf("ArrayRange(%v, %d) = %q, want %q", tt.in, tt.k, got, tt.want)
		}
	}
}

func TestParseJobs(t *testing.T) {
	out := `JobId=12 ArrayJobId=12 ArrayTaskId=2-3%2 JobName=optbench-q JobState=PENDING Reason=JobArrayTaskLimit Dependency=(null) Restarts=0 ExitCode=0:0
JobId=13 ArrayJobId=12 ArrayTaskId=1 JobName=optbench-q JobState=RUNNING Reason=None Restarts=1 ExitCode=0:0
JobId=14 ArrayJobId=12 ArrayTaskId=0 JobName=optbench-q JobState=COMPLETED Reason=None Restarts=0 ExitCode=0:0
`
	jobs := parseJobs(out)
	if len(jobs) != 3 || jobs[0].ID != "12_0" || jobs[0].State != "COMPLETED" || !jobs[0].Ended() ||
		jobs[1].ID != "12_1" || jobs[1].Restarts != 1 || jobs[1].Ended() || jobs[2].Reason != "JobArrayTaskLimit" {
		t.Fatalf("parseJobs: %+v", jobs)
	}
	if got := Tally(jobs); got != "1 completed, 1 running, 2 pending" {
		t.Errorf("Tally = %q", got)
	}
}
