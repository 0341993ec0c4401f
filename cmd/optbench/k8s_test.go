package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestK8sShardContract runs what the pods of optbench k8s's manifests
// would run, read from the manifests themselves: the ConfigMap's sweep
// file mounted where the pods mount it, each shard's command with
// JOB_COMPLETION_INDEX set to its index (as the kubelet expands
// $(JOB_COMPLETION_INDEX)), every index of N, then the merge Job's shell
// command, with the volumes' paths mapped to temporary directories. The
// merged database must hold exactly a local run's results.
func TestK8sShardContract(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a sweep twice")
	}
	dir := t.TempDir()
	const shards = 3
	sweep := writeFile(t, dir, "moons.yaml", `name: moons
experiment: moons-mlp
seeds: 2
budget: {epochs: 4}
parameters:
  optimizer: [gd, adam]
  batch_size: [16, full]
  n_samples: 120
`)
	out := filepath.Join(dir, "k8s")
	if code, _, stderr := optbench(t, "k8s", sweep, "--shards", strconv.Itoa(shards), "--dir", out); code != 0 {
		t.Fatalf("k8s exited %d: %s", code, stderr)
	}
	var configMap struct {
		Data map[string]string
	}
	type pod struct {
		Spec struct {
			Template struct {
				Spec struct {
					Containers []struct {
						Command, Args []string
						Env           []struct{ Name string }
						VolumeMounts  []struct {
							Name      string
							MountPath string `yaml:"mountPath"`
						} `yaml:"volumeMounts"`
					}
				}
			}
		}
	}
	var shardJob, mergeJob pod
	for file, v := range map[string]any{"configmap.yaml": &configMap, "shards.yaml": &shardJob, "merge.yaml": &mergeJob} {
		b, err := os.ReadFile(filepath.Join(out, file))
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}

	// The volumes, as directories of this test.
	sweepDir, resultsDir := filepath.Join(dir, "work"), filepath.Join(dir, "results")
	for _, d := range []string{sweepDir, resultsDir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for key, text := range configMap.Data {
		writeFile(t, sweepDir, key, text)
	}
	shard := shardJob.Spec.Template.Spec.Containers[0]
	mounts := map[string]string{}
	for _, m := range shard.VolumeMounts {
		mounts[m.MountPath] = map[string]string{"sweep": sweepDir, "results": resultsDir}[m.Name]
	}
	local := func(arg string) string {
		for mount, d := range mounts {
			if arg == mount || strings.HasPrefix(arg, mount+"/") {
				return d + arg[len(mount):]
			}
		}
		return arg
	}
	if len(shard.Env) != 1 || shard.Env[0].Name != "JOB_COMPLETION_INDEX" || len(shard.Command) != 1 || shard.Command[0] != "optbench" {
		t.Fatalf("shard container runs %v with %v, want optbench with JOB_COMPLETION_INDEX", shard.Command, shard.Env)
	}
	for i := range shards {
		var args []string
		for _, a := range shard.Args {
			args = append(args, local(strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(i))))
		}
		code, stdout, stderr := optbench(t, args...)
		if code != 0 || !strings.Contains(stdout, "completed") {
			t.Fatalf("shard %d: optbench %s exited %d: %s%s", i, strings.Join(args, " "), code, stdout, stderr)
		}
	}

	// The merge Job's shell command, its glob expanded as sh would.
	merge := mergeJob.Spec.Template.Spec.Containers[0]
	if strings.Join(merge.Command, " ") != "sh -c" || len(merge.Args) != 1 {
		t.Fatalf("merge container runs %v %v, want sh -c and one command", merge.Command, merge.Args)
	}
	words := strings.Fields(merge.Args[0])
	if words[0] != "optbench" {
		t.Fatalf("merge command %q does not run optbench", merge.Args[0])
	}
	var args []string
	for _, w := range words[1:] {
		w = local(w)
		if strings.Contains(w, "*") {
			matches, err := filepath.Glob(w)
			if err != nil || len(matches) != shards {
				t.Fatalf("%s matches %v (%v), want the %d shard databases", w, matches, err, shards)
			}
			args = append(args, matches...)
			continue
		}
		args = append(args, w)
	}
	if code, stdout, stderr := optbench(t, args...); code != 0 {
		t.Fatalf("optbench %s exited %d: %s%s", strings.Join(args, " "), code, stdout, stderr)
	}

	localDB := filepath.Join(dir, "local.db")
	if code, _, stderr := optbench(t, "run", "--quiet", "--db", localDB, sweep); code != 0 {
		t.Fatalf("local run exited %d: %s", code, stderr)
	}
	code, stdout, stderr := optbench(t, "compare", "--exact", localDB, filepath.Join(resultsDir, "merged.db"))
	if code != 0 || !strings.Contains(stdout, "nothing changed: 4 configurations, every trial bit-identical") {
		t.Errorf("compare --exact exited %d:\n%s%s", code, stdout, stderr)
	}
}
