// Package cluster turns a sweep into the jobs of the cluster schedulers
// researchers already have, so that optbench never grows a scheduler of
// its own. Each job runs one shard of the sweep (optbench run --shard
// i/N) into its own database, and a follow-up job merges the shards
// (optbench merge).
//
// It sits beside the flow rather than in it: it reads nothing the stages
// produce, only what the command line gives it (the sweep's name and
// file, the number of shards, the scheduler's settings), and writes text
// for the scheduler. Slurm gets two batch scripts, a job array of the
// shards and a merge job that depends on it, which this package submits
// (sbatch --parsable) and follows (scontrol show job; no accounting
// needed). Kubernetes gets an Indexed Job, the ConfigMap holding the
// sweep file and the merge Job.
//
// It imports the standard library and go.yaml.in/yaml/v3 (to write the
// manifests). It is the only package besides tests that may import os/exec,
// for Slurm's own commands (sbatch, scontrol, scancel); the Kubernetes
// part runs none: kubectl applies what it writes.
package cluster
