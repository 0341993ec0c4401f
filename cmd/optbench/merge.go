package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/optbench/optbench/results"
)

// cmdMerge merges the databases of a sweep's shards (optbench run
// --shard) into one. The work is results.DB.Merge's; each shard is
// merged in its own transaction, in the order given, so a refused shard
// leaves the shards before it merged (merging again adds nothing).
func cmdMerge(ctx context.Context, e *env, args []string) error {
	db := e.dbFlag()
	force := e.fs.Bool("force", false, "merge shards of another sweep file or numerics version than the merged database's")
	shards, err := e.parse(args, -1)
	if err != nil {
		return err
	}
	if len(shards) == 0 {
		return usageErrorf("merge: name at least one shard database\nusage: optbench %s %s", e.cmd.name, e.cmd.args)
	}
	store, err := results.Open(ctx, db())
	if err != nil {
		return err
	}
	defer store.Close()
	for _, shard := range shards {
		rep, err := store.Merge(ctx, shard, results.MergeOptions{Force: *force})
		if conflict, ok := errors.AsType[*results.MergeConflictError](err); ok {
			return usageErrorf("merge: %v; nothing of it was merged (--force merges it anyway)", conflict)
		}
		if errors.Is(err, results.ErrNotResults) || errors.Is(err, results.ErrOlderSchema) ||
			errors.Is(err, results.ErrNewerSchema) || errors.Is(err, results.ErrDamaged) {
			return usageErrorf("merge: %v", err)
		}
		if err != nil {
			return err
		}
		if len(rep.Sweeps) == 0 {
			fmt.Fprintf(e.stdout, "%s: no sweeps\n", shard)
		}
		for _, m := range rep.Sweeps {
			fmt.Fprintf(e.stdout, "%s: %s: %d trials added, %d replaced, %d planned, %d already present, %d run(s) copied",
				shard, m.Sweep, m.Added, m.Replaced, m.Planned, m.Present, m.Runs)
			if len(m.Forced) > 0 {
				fmt.Fprintf(e.stdout, " (forced: %s)", strings.Join(m.Forced, " and "))
			}
			fmt.Fprintln(e.stdout)
		}
	}
	fmt.Fprintf(e.stdout, "merged %d shard database(s) into %s\n", len(shards), db())
	return nil
}
