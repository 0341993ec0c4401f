package cluster_test

import (
	"fmt"
	"strings"

	"github.com/optbench/optbench/cluster"
)

func ExampleKubernetes_Manifests() {
	job := cluster.Kubernetes{Sweep: "quickstart", File: "quickstart.yaml",
		Source: []byte("name: quickstart\n"), Shards: 4}
	ms, err := job.Manifests()
	if err != nil {
		panic(err)
	}
	for _, m := range ms {
		fmt.Println(m.File)
	}
	fmt.Println(strings.Join(job.ShardArgs(), " "))
	fmt.Println(cluster.MergeCommand())
	// Output:
	// configmap.yaml
	// shards.yaml
	// merge.yaml
	// optbench run /work/quickstart.yaml --shard $(JOB_COMPLETION_INDEX)/4 --db /results/shard-$(JOB_COMPLETION_INDEX).db --quiet
	// optbench merge --db /results/merged.db /results/shard-*.db
}
