package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/optbench/optbench/cluster"
	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/experiments"
)

// cmdK8s writes the Kubernetes manifests of a sharded sweep; the work is
// cluster.Kubernetes's. It applies nothing: kubectl does.
func cmdK8s(ctx context.Context, e *env, args []string) error {
	shards := e.fs.Int("shards", 0, "how many shards (pods) to split the sweep into (required)")
	image := e.fs.String("image", cluster.DefaultImage, "container `image` with optbench on its PATH")
	parallelism := e.fs.Int("parallelism", 0, "pods running at once (default: all shards)")
	pvc := e.fs.String("pvc", cluster.DefaultPVC, "PersistentVolumeClaim the shard databases are written to")
	backoff := e.fs.Int("backoff-per-index", 3, "times a shard's pod is retried (resuming it) before the shard fails")
	cpus := e.fs.Int("cpus", 0, "CPUs requested and limited for each shard's pod, also the trials it trains at once (run -j) (default: none set)")
	mem := e.fs.String("mem", "", "memory requested and limited for each shard's pod, e.g. 4Gi (default: none set)")
	dir := e.fs.String("dir", "", "directory to write the manifests to (default k8s/<sweep name>)")
	dryRun := e.fs.Bool("dry-run", false, "print the manifests instead of writing them")
	pos, err := e.parse(args, 1)
	if err != nil {
		return err
	}
	switch {
	case *shards < 1:
		return usageErrorf("k8s: --shards %d: need at least one shard\nusage: optbench %s %s", *shards, e.cmd.name, e.cmd.args)
	case *parallelism < 0 || *parallelism > *shards:
		return usageErrorf("k8s: --parallelism %d: want 1…%d (at most one pod per shard)", *parallelism, *shards)
	case *backoff < 0:
		return usageErrorf("k8s: --backoff-per-index %d: want 0 or more", *backoff)
	case *cpus < 0:
		return usageErrorf("k8s: --cpus %d: want 1 or more (default: none set)", *cpus)
	}
	sw, trials, err := loadSweep(ctx, pos[0])
	if err != nil {
		return err
	}
	if sw.IsAdaptive() {
		return adaptiveShardError("k8s", pos[0], sw)
	}
	if *shards > len(trials) {
		return usageErrorf("k8s: --shards %d: %s has %d trials, and a shard without one would only start a pod", *shards, pos[0], len(trials))
	}
	if name, file := dataFile(trials); name != "" {
		return usageErrorf("k8s: %s names the file %s (%s), which the pods would not have: "+
			"only the sweep file goes into the ConfigMap", pos[0], file, name)
	}
	job := cluster.Kubernetes{Sweep: sw.Name, File: filepath.Base(sw.File), Source: sw.Source,
		Shards: *shards, Parallelism: *parallelism, BackoffPerIndex: *backoff, Image: *image, PVC: *pvc, CPUs: *cpus, Memory: *mem}
	manifests, err := job.Manifests()
	if errors.Is(err, cluster.ErrInvalid) {
		return usageErrorf("k8s: %v", err)
	}
	if err != nil {
		return err
	}
	if *dryRun {
		for i, m := range manifests {
			if i > 0 {
				fmt.Fprintln(e.stdout, "---")
			}
			fmt.Fprintf(e.stdout, "# %s\n%s", m.File, m.Text)
		}
		return nil
	}
	if *dir == "" {
		*dir = filepath.Join("k8s", sw.Name)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return fmt.Errorf("k8s: %w", err)
	}
	for _, m := range manifests {
		if err := os.WriteFile(filepath.Join(*dir, m.File), m.Text, 0o644); err != nil {
			return fmt.Errorf("k8s: %w", err)
		}
	}
	names := cluster.KubernetesNames(sw.Name)
	fmt.Fprintf(e.stdout, "%s: %d shards as Job %s, merged by Job %s; manifests in %s\n", sw.Name, *shards, names.Job, names.Merge, *dir)
	fmt.Fprintf(e.stdout, "  kubectl apply -f %s -f %s\n", filepath.Join(*dir, cluster.ConfigMapFile), filepath.Join(*dir, cluster.ShardsFile))
	fmt.Fprintf(e.stdout, "  kubectl wait --for=condition=complete --timeout=-1s job/%s && kubectl apply -f %s\n", names.Job, filepath.Join(*dir, cluster.MergeFile))
	return nil
}

// dataFile returns the first file parameter (csv's data_file) a trial
// names, and the file, or "" when the trials name none.
func dataFile(trials []engine.Trial) (param, file string) {
	for _, t := range trials {
		x, err := experiments.Lookup(t.Experiment)
		if err != nil {
			continue
		}
		for _, p := range x.DataParams {
			if v, ok := t.Params.String(p.Name); p.Path && ok && v != "" {
				return p.Name, v
			}
		}
	}
	return "", ""
}
