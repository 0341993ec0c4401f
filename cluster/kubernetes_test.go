package cluster

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const quickstart = `# The first sweep to run.
name: quickstart
experiment: moons-mlp
seeds: 3
budget: {epochs: 50}
parameters:
  optimizer: [gd, momentum, rmsprop, adam]
  lr: [0.001, 0.01, 0.1]
`

func testJob() Kubernetes {
	return Kubernetes{Sweep: "quickstart", File: "quickstart.yaml", Source: []byte(quickstart),
		Shards: 4, Parallelism: 2, BackoffPerIndex: 3, Image: "registry.example/optbench:v1", PVC: "sweeps", CPUs: 2, Memory: "4Gi"}
}

// TestManifestsGolden: the manifests are stable text; -update rewrites
// testdata/k8s-*.yaml after a deliberate change.
func TestManifestsGolden(t *testing.T) {
	tests := []struct {
		name string
		job  Kubernetes
	}{
		{"flags", testJob()},
		{"defaults", Kubernetes{Sweep: "Adam_LR.v2", File: "adam.yaml", Source: []byte("name: Adam_LR.v2\n"), Shards: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := tt.job.Manifests()
			if err != nil {
				t.Fatal(err)
			}
			again, _ := tt.job.Manifests()
			for i, m := range ms {
				if !bytes.Equal(m.Text, again[i].Text) {
					t.Errorf("%s differs between two calls", m.File)
				}
				golden := filepath.Join("testdata", "k8s-"+tt.name+"-"+m.File)
				if *update {
					if err := os.WriteFile(golden, m.Text, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(m.Text, want) {
					t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", m.File, golden, m.Text)
				}
			}
		})
	}
}

// TestManifestsStructure parses the manifests as kubectl would read them
// and checks the fields the shards depend on.
func TestManifestsStructure(t *testing.T) {
	ms, err := testJob().Manifests()
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{ms[0].File, ms[1].File, ms[2].File}; !slices.Equal(got, []string{ConfigMapFile, ShardsFile, MergeFile}) || len(ms) != 3 {
		t.Fatalf("files %v, want configmap, shards, merge", got)
	}
	parse := func(m Manifest) map[string]any {
		var doc map[string]any
		dec := yaml.NewDecoder(bytes.NewReader(m.Text))
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("%s: %v", m.File, err)
		}
		if err := dec.Decode(new(any)); err == nil {
			t.Fatalf("%s holds more than one document", m.File)
		}
		return doc
	}
	configMap, shards, merge := parse(ms[0]), parse(ms[1]), parse(ms[2])
	names := KubernetesNames("quickstart")

	check := func(doc map[string]any, path string, want any) {
		t.Helper()
		got := lookup(t, doc, path)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: %v, want %v", path, got, want)
		}
	}
	check(configMap, "kind", "ConfigMap")
	check(configMap, "apiVersion", "v1")
	check(configMap, "metadata.name", names.ConfigMap)
	check(configMap, "data.quickstart\\.yaml", quickstart) // verbatim, comment and all

	check(shards, "apiVersion", "batch/v1")
	check(shards, "kind", "Job")
	check(shards, "metadata.name", names.Job)
	check(shards, "spec.completionMode", "Indexed")
	check(shards, "spec.completions", 4)
	check(shards, "spec.parallelism", 2)
	check(shards, "spec.backoffLimitPerIndex", 3)
	check(shards, "spec.podFailurePolicy.rules.0.action", "FailIndex")
	check(shards, "spec.podFailurePolicy.rules.0.onExitCodes.values", []any{2})
	check(shards, "spec.template.spec.restartPolicy", "Never")
	check(shards, "spec.template.spec.containers.0.image", "registry.example/optbench:v1")
	check(shards, "spec.template.spec.containers.0.command", []any{"optbench"})
	check(shards, "spec.template.spec.containers.0.args", []any{"run", "/work/quickstart.yaml",
		"--shard", "$(JOB_COMPLETION_INDEX)/4", "--db", "/results/shard-$(JOB_COMPLETION_INDEX).db", "-j", "2", "--quiet"})
	check(shards, "spec.template.spec.containers.0.resources", map[string]any{
		"requests": map[string]any{"cpu": "2", "memory": "4Gi"}, "limits": map[string]any{"cpu": "2", "memory": "4Gi"}})
	check(shards, "spec.template.spec.containers.0.env.0.name", "JOB_COMPLETION_INDEX")
	check(shards, "spec.template.spec.containers.0.env.0.valueFrom.fieldRef.fieldPath",
		"metadata.annotations['batch.kubernetes.io/job-completion-index']")
	check(shards, "spec.template.spec.containers.0.volumeMounts.0", map[string]any{"name": "sweep", "mountPath": "/work", "readOnly": true})
	check(shards, "spec.template.spec.containers.0.volumeMounts.1", map[string]any{"name": "results", "mountPath": "/results", "subPath": names.Job})
	check(shards, "spec.template.spec.volumes.0", map[string]any{"name": "sweep", "configMap": map[string]any{"name": names.ConfigMap}})
	check(shards, "spec.template.spec.volumes.1", map[string]any{"name": "results", "persistentVolumeClaim": map[string]any{"claimName": "sweeps"}})

	check(merge, "kind", "Job")
	check(merge, "metadata.name", names.Merge)
	check(merge, "spec.completions", 1)
	check(merge, "spec.template.spec.restartPolicy", "Never")
	check(merge, "spec.template.spec.containers.0.command", []any{"sh", "-c"})
	check(merge, "spec.template.spec.containers.0.args", []any{"optbench merge --db /results/merged.db /results/shard-*.db"})
	check(merge, "spec.template.spec.containers.0.volumeMounts.0", map[string]any{"name": "results", "mountPath": "/results", "subPath": names.Job})
	check(merge, "spec.template.spec.volumes.0", map[string]any{"name": "results", "persistentVolumeClaim": map[string]any{"claimName": "sweeps"}})
	if v := lookup(t, merge, "spec"); v.(map[string]any)["completionMode"] != nil {
		t.Error("the merge Job is indexed")
	}
}

// lookup follows a dotted path (list indexes as numbers, "\." for a dot
// in a key) through a parsed YAML document.
func lookup(t *testing.T, doc any, path string) any {
	t.Helper()
	v := doc
	for key := range strings.SplitSeq(strings.ReplaceAll(path, `\.`, "\x00"), ".") {
		key = strings.ReplaceAll(key, "\x00", ".")
		switch node := v.(type) {
		case map[string]any:
			v = node[key]
		case []any:
			var i int
			if _, err := fmt.Sscan(key, &i); err != nil || i >= len(node) {
				t.Fatalf("%s: no element %s", path, key)
			}
			v = node[i]
		default:
			t.Fatalf("%s: nothing at %s", path, key)
		}
	}
	return v
}

func TestKubernetesNames(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct{ sweep, job string }{
		{"quickstart", "optbench-quickstart"},
		{"adam-grid", "optbench-adam-grid"},
		{"Adam", "optbench-adam-"},   // + hash: not the objects of "adam"
		{"a.b_c", "optbench-a-b-c-"}, // + hash
		{"a-", "optbench-a-"},        // + hash: not the objects of "a"
		{long, "optbench-xxx"},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		n := KubernetesNames(tt.sweep)
		if !strings.HasPrefix(n.Job, tt.job) || len(n.Merge) > 63 || !dnsSubdomain.MatchString(n.Merge) || !dnsSubdomain.MatchString(n.ConfigMap) ||
			(tt.job != n.Job && len(n.Job) == len(tt.job)) {
			t.Errorf("KubernetesNames(%q) = %+v, want a DNS label starting %s", tt.sweep, n, tt.job)
		}
		if len(n.Job)+len("-99999") > 63 {
			t.Errorf("KubernetesNames(%q).Job = %s: too long for a pod hostname", tt.sweep, n.Job)
		}
		if other, ok := seen[n.Job]; ok {
			t.Errorf("%q and %q share %s", tt.sweep, other, n.Job)
		}
		seen[n.Job] = tt.sweep
	}
	if seen["optbench-adam"] != "" || KubernetesNames("adam").Job != "optbench-adam" {
		t.Error("adam")
	}
}

func TestManifestsInvalid(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Kubernetes)
		want   string
	}{
		{"no shards", func(k *Kubernetes) { k.Shards = 0 }, "0 shards"},
		{"parallelism above shards", func(k *Kubernetes) { k.Parallelism = 5 }, "parallelism 5: want 1…4"},
		{"negative parallelism", func(k *Kubernetes) { k.Parallelism = -1 }, "parallelism -1"},
		{"negative backoff", func(k *Kubernetes) { k.BackoffPerIndex = -1 }, "backoff per index -1"},
		{"file name", func(k *Kubernetes) { k.File = "my sweep.yaml" }, `sweep file name "my sweep.yaml"`},
		{"image", func(k *Kubernetes) { k.Image = "a b" }, `image "a b"`},
		{"claim", func(k *Kubernetes) { k.PVC = "My_Claim" }, `claim "My_Claim"`},
		{"large file", func(k *Kubernetes) { k.Source = make([]byte, 1<<20) }, "more than a ConfigMap holds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := testJob()
			tt.change(&k)
			_, err := k.Manifests()
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want ErrInvalid and %q", err, tt.want)
			}
		})
	}
}
