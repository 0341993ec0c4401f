package cluster

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ErrInvalid is returned for settings that cannot make a valid job.
var ErrInvalid = errors.New("cluster: invalid settings")

// Defaults of Kubernetes's fields that have one.
const (
	DefaultImage = "optbench:latest"  // an image with optbench on its PATH
	DefaultPVC   = "optbench-results" // the claim the shards write to
)

// Paths inside the pods, as the commands they run name them.
const (
	SweepDir   = "/work"    // the ConfigMap holding the sweep file
	ResultsDir = "/results" // the sweep's directory on the PersistentVolumeClaim
)

// IndexVariable is the variable Kubernetes sets to a pod's completion
// index in an Indexed Job; the shard's command names it as $(…), which
// the kubelet expands from the container's environment.
const IndexVariable = "JOB_COMPLETION_INDEX"

// maxConfigMap is the most a ConfigMap may hold (etcd's 1 MiB limit).
const maxConfigMap = 1 << 20

// Kubernetes describes the objects that run a sweep's shards as one
// Indexed Job, each pod one shard into its own database on a
// PersistentVolumeClaim, and merge them with a second Job once it is
// complete. The zero value is not a job: Sweep, File, Source and Shards
// are required; the other fields have defaults.
type Kubernetes struct {
	Sweep  string // the sweep's name (name: in the file); objects are named after it
	File   string // the sweep file's base name, its key in the ConfigMap
	Source []byte // the sweep file verbatim

	Shards          int    // shards of the sweep, the Job's completions; ≥ 1
	Parallelism     int    // pods running at once; default (0) Shards
	BackoffPerIndex int    // times one shard's pod is retried before its index fails; default 0, no retry
	Image           string // container image with optbench on its PATH; default DefaultImage
	PVC             string // PersistentVolumeClaim of the results; default DefaultPVC
	CPUs            int    // CPUs requested and limited for each shard's pod, also its trials at once (run -j); default (0) none set
	Memory          string // memory requested and limited for each pod, a Kubernetes quantity (4Gi, 512Mi); default none set
}

// Manifest is one file of Kubernetes objects to apply.
type Manifest struct {
	File string // file name, without directory
	Text []byte // YAML
}

// Manifest file names, in the order they are applied.
const (
	ConfigMapFile = "configmap.yaml"
	ShardsFile    = "shards.yaml"
	MergeFile     = "merge.yaml"
)

// Names are the names of a sweep's Kubernetes objects.
type Names struct {
	Job       string // the Indexed Job of the shards; also the directory of the sweep on the claim
	Merge     string // the merge Job
	ConfigMap string // the ConfigMap holding the sweep file
}

// maxBaseName keeps every object name, and the hostname of a shard's pod
// ("<job>-<index>"), within the 63 characters of a DNS label.
const maxBaseName = 50

// KubernetesNames derives the names of a sweep's objects from its name:
// "optbench-" and the name in lower case with "." and "_" as "-". When
// that changed or shortened the name, or it ends in "-", a hash of the name follows, so
// that two sweeps never share objects (Adam and adam, a.b and a-b).
func KubernetesNames(sweep string) Names {
	base := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		}
		return '-'
	}, sweep)
	if base != sweep || len("optbench-"+base) > maxBaseName || strings.HasSuffix(base, "-") {
		sum := sha256.Sum256([]byte(sweep))
		suffix := "-" + hex.EncodeToString(sum[:4])
		base = strings.Trim(base[:min(len(base), maxBaseName-len("optbench-")-len(suffix))], "-") + suffix
	}
	base = "optbench-" + base
	return Names{Job: base, Merge: base + "-merge", ConfigMap: base + "-sweep"}
}

var (
	configMapKey = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)
	memQuantity  = regexp.MustCompile(`^[1-9][0-9]*(Ki|Mi|Gi|Ti|k|M|G|T)?$`)
	dnsSubdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
)

// withDefaults returns k with its defaults filled in, or an error
// wrapping ErrInvalid that names the field.
func (k Kubernetes) withDefaults() (Kubernetes, error) {
	if k.Parallelism == 0 {
		k.Parallelism = k.Shards
	}
	if k.Image == "" {
		k.Image = DefaultImage
	}
	if k.PVC == "" {
		k.PVC = DefaultPVC
	}
	switch {
	case k.Sweep == "":
		return k, fmt.Errorf("%w: no sweep name", ErrInvalid)
	case k.Shards < 1:
		return k, fmt.Errorf("%w: %d shards: need at least one", ErrInvalid, k.Shards)
	case k.Parallelism < 1 || k.Parallelism > k.Shards:
		return k, fmt.Errorf("%w: parallelism %d: want 1…%d, at most one pod per shard", ErrInvalid, k.Parallelism, k.Shards)
	case k.BackoffPerIndex < 0:
		return k, fmt.Errorf("%w: backoff per index %d: want 0 or more", ErrInvalid, k.BackoffPerIndex)
	case k.File == "." || k.File == ".." || !configMapKey.MatchString(k.File):
		return k, fmt.Errorf("%w: sweep file name %q: a ConfigMap key holds only letters, digits, '-', '_' and '.'", ErrInvalid, k.File)
	case len(k.Source) > maxConfigMap-len(k.File):
		return k, fmt.Errorf("%w: sweep file %s: %d bytes, more than a ConfigMap holds (1 MiB)", ErrInvalid, k.File, len(k.Source))
	case strings.ContainsAny(k.Image, " \t\n"):
		return k, fmt.Errorf("%w: image %q: no spaces in an image reference", ErrInvalid, k.Image)
	case k.CPUs < 0:
		return k, fmt.Errorf("%w: cpus %d: want 1 or more (0 for none set)", ErrInvalid, k.CPUs)
	case k.Memory != "" && !memQuantity.MatchString(k.Memory):
		return k, fmt.Errorf("%w: memory %q: want a Kubernetes quantity such as 4Gi or 512Mi", ErrInvalid, k.Memory)
	case len(k.PVC) > 253 || !dnsSubdomain.MatchString(k.PVC):
		return k, fmt.Errorf("%w: claim %q: want a Kubernetes name (lower-case letters, digits, '-' and '.')", ErrInvalid, k.PVC)
	}
	return k, nil
}

// ShardArgs is the command a shard's pod runs: optbench and its
// arguments, with $(JOB_COMPLETION_INDEX) for the index.
func (k Kubernetes) ShardArgs() []string {
	index := "$(" + IndexVariable + ")"
	args := []string{"optbench", "run", SweepDir + "/" + k.File,
		"--shard", index + "/" + strconv.Itoa(k.Shards),
		"--db", ResultsDir + "/shard-" + index + ".db"}
	if k.CPUs > 0 {
		// A container sees the node's CPUs, not its limit: -j says how
		// many trials the limit holds.
		args = append(args, "-j", strconv.Itoa(k.CPUs))
	}
	return append(args, "--quiet")
}

// MergeCommand is the shell command of the merge Job; a shell expands
// its glob.
func MergeCommand() string {
	return "optbench merge --db " + ResultsDir + "/merged.db " + ResultsDir + "/shard-*.db"
}

// Manifests returns the files to apply, in order: the ConfigMap, the
// Indexed Job of the shards and, once that Job is complete, the merge
// Job. The text depends only on k.
func (k Kubernetes) Manifests() ([]Manifest, error) {
	k, err := k.withDefaults()
	if err != nil {
		return nil, err
	}
	names := KubernetesNames(k.Sweep)
	labels := func(component string) map[string]string {
		return map[string]string{
			"app.kubernetes.io/name":      "optbench",
			"app.kubernetes.io/instance":  names.Job,
			"app.kubernetes.io/component": component,
		}
	}
	// The claim is mounted at the sweep's own directory (subPath), so
	// that sweeps sharing a claim never share shard databases.
	results := volumeMount{Name: "results", MountPath: ResultsDir, SubPath: names.Job}
	claim := volume{Name: "results", PersistentVolumeClaim: &claimSource{ClaimName: k.PVC}}

	configMap := object{APIVersion: "v1", Kind: "ConfigMap",
		Metadata: metadata{Name: names.ConfigMap, Labels: labels("sweep")},
		Data:     map[string]string{k.File: string(k.Source)}}

	args := k.ShardArgs()
	var res *resources
	if k.CPUs > 0 || k.Memory != "" {
		amounts := map[string]string{}
		if k.CPUs > 0 {
			amounts["cpu"] = strconv.Itoa(k.CPUs)
		}
		if k.Memory != "" {
			amounts["memory"] = k.Memory
		}
		// Requests equal to limits: the pod is scheduled where what it
		// may use is free.
		res = &resources{Requests: amounts, Limits: amounts}
	}
	backoff := k.BackoffPerIndex
	shards := object{APIVersion: "batch/v1", Kind: "Job",
		Metadata: metadata{Name: names.Job, Labels: labels("shards")},
		Spec: &jobSpec{
			CompletionMode:       "Indexed",
			Completions:          &k.Shards,
			Parallelism:          &k.Parallelism,
			BackoffLimitPerIndex: &backoff,
			PodFailurePolicy: &podFailurePolicy{Rules: []podFailureRule{
				// Exit 2 is invalid input (the sweep file, the database):
				// a retry would fail the same way.
				{Action: "FailIndex", OnExitCodes: &exitCodes{ContainerName: "optbench", Operator: "In", Values: []int{2}}},
				// A pod evicted or preempted did not fail: rerunning it
				// resumes the shard and costs no retry.
				{Action: "Ignore", OnPodConditions: []podCondition{{Type: "DisruptionTarget"}}},
			}},
			Template: podTemplate{
				Metadata: metadata{Labels: labels("shards")},
				Spec: podSpec{RestartPolicy: "Never",
					Containers: []container{{Name: "optbench", Image: k.Image,
						Command: args[:1], Args: args[1:], Resources: res,
						// Kubernetes sets the variable itself; naming it
						// here makes the $(…) of the arguments explicit.
						Env: []envVar{{Name: IndexVariable, ValueFrom: &envSource{FieldRef: &fieldRef{
							FieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']"}}}},
						VolumeMounts: []volumeMount{{Name: "sweep", MountPath: SweepDir, ReadOnly: true}, results},
					}},
					Volumes: []volume{{Name: "sweep", ConfigMap: &configMapSource{Name: names.ConfigMap}}, claim},
				}},
		}}

	one, retries := 1, 2
	merge := object{APIVersion: "batch/v1", Kind: "Job",
		Metadata: metadata{Name: names.Merge, Labels: labels("merge")},
		Spec: &jobSpec{Completions: &one, Parallelism: &one, BackoffLimit: &retries,
			Template: podTemplate{
				Metadata: metadata{Labels: labels("merge")},
				Spec: podSpec{RestartPolicy: "Never",
					Containers: []container{{Name: "optbench", Image: k.Image,
						Command: []string{"sh", "-c"}, Args: []string{MergeCommand()},
						VolumeMounts: []volumeMount{results}}},
					Volumes: []volume{claim},
				}},
		}}

	apply := "kubectl apply -f " + ConfigMapFile + " -f " + ShardsFile
	files := []struct {
		name, comment string
		obj           object
	}{
		{ConfigMapFile, fmt.Sprintf("The sweep file of %s, mounted at %s in every pod.\nApply: %s", k.Sweep, SweepDir, apply), configMap},
		{ShardsFile, fmt.Sprintf("The %d shards of %s, %d pods at a time, each into %s/shard-<index>.db\n"+
			"on claim %s (directory %s). Rerunning the Job resumes every shard: stored trials are kept.\nApply: %s",
			k.Shards, k.Sweep, k.Parallelism, ResultsDir, k.PVC, names.Job, apply), shards},
		{MergeFile, fmt.Sprintf("Merges the shards of %s into %s/merged.db once they are all complete:\n"+
			"kubectl wait --for=condition=complete --timeout=-1s job/%s && kubectl apply -f %s",
			k.Sweep, ResultsDir, names.Job, MergeFile), merge},
	}
	out := make([]Manifest, len(files))
	for i, f := range files {
		var b bytes.Buffer
		for line := range strings.SplitSeq(f.comment, "\n") {
			b.WriteString("# " + line + "\n")
		}
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(f.obj); err != nil {
			panic("cluster: " + err.Error()) // plain structs always encode
		}
		if err := enc.Close(); err != nil {
			panic("cluster: " + err.Error())
		}
		out[i] = Manifest{File: f.name, Text: b.Bytes()}
	}
	return out, nil
}

// The Kubernetes API's objects, as much of them as the manifests use, in
// the order kubectl prints their fields.
type (
	object struct {
		APIVersion string            `yaml:"apiVersion"`
		Kind       string            `yaml:"kind"`
		Metadata   metadata          `yaml:"metadata"`
		Data       map[string]string `yaml:"data,omitempty"`
		Spec       *jobSpec          `yaml:"spec,omitempty"`
	}
	metadata struct {
		Name   string            `yaml:"name,omitempty"`
		Labels map[string]string `yaml:"labels,omitempty"`
	}
	jobSpec struct {
		CompletionMode       string            `yaml:"completionMode,omitempty"`
		Completions          *int              `yaml:"completions,omitempty"`
		Parallelism          *int              `yaml:"parallelism,omitempty"`
		BackoffLimit         *int              `yaml:"backoffLimit,omitempty"`
		BackoffLimitPerIndex *int              `yaml:"backoffLimitPerIndex,omitempty"`
		PodFailurePolicy     *podFailurePolicy `yaml:"podFailurePolicy,omitempty"`
		Template             podTemplate       `yaml:"template"`
	}
	podFailurePolicy struct {
		Rules []podFailureRule `yaml:"rules"`
	}
	podFailureRule struct {
		Action          string         `yaml:"action"`
		OnExitCodes     *exitCodes     `yaml:"onExitCodes,omitempty"`
		OnPodConditions []podCondition `yaml:"onPodConditions,omitempty"`
	}
	exitCodes struct {
		ContainerName string `yaml:"containerName"`
		Operator      string `yaml:"operator"`
		Values        []int  `yaml:"values,flow"`
	}
	podCondition struct {
		Type string `yaml:"type"`
	}
	podTemplate struct {
		Metadata metadata `yaml:"metadata"`
		Spec     podSpec  `yaml:"spec"`
	}
	podSpec struct {
		RestartPolicy string      `yaml:"restartPolicy"`
		Containers    []container `yaml:"containers"`
		Volumes       []volume    `yaml:"volumes"`
	}
	container struct {
		Name         string        `yaml:"name"`
		Image        string        `yaml:"image"`
		Command      []string      `yaml:"command"`
		Args         []string      `yaml:"args"`
		Env          []envVar      `yaml:"env,omitempty"`
		Resources    *resources    `yaml:"resources,omitempty"`
		VolumeMounts []volumeMount `yaml:"volumeMounts"`
	}
	resources struct {
		Requests map[string]string `yaml:"requests,omitempty"`
		Limits   map[string]string `yaml:"limits,omitempty"`
	}
	envVar struct {
		Name      string     `yaml:"name"`
		ValueFrom *envSource `yaml:"valueFrom,omitempty"`
	}
	envSource struct {
		FieldRef *fieldRef `yaml:"fieldRef"`
	}
	fieldRef struct {
		FieldPath string `yaml:"fieldPath"`
	}
	volumeMount struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
		SubPath   string `yaml:"subPath,omitempty"`
		ReadOnly  bool   `yaml:"readOnly,omitempty"`
	}
	volume struct {
		Name                  string           `yaml:"name"`
		ConfigMap             *configMapSource `yaml:"configMap,omitempty"`
		PersistentVolumeClaim *claimSource     `yaml:"persistentVolumeClaim,omitempty"`
	}
	configMapSource struct {
		Name string `yaml:"name"`
	}
	claimSource struct {
		ClaimName string `yaml:"claimName"`
	}
)
