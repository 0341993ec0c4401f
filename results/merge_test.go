package results

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

// shardSpec is a shard database to build: a sweep's source, its plan and
// the outcomes trained into it.
type shardSpec struct {
	source   string
	shard    string // Provenance.Shard
	numerics string // "": this build's
	plan     []engine.Outcome
	trained  []engine.Outcome
}

// buildShard writes spec into a new database at path, as optbench run
// --shard would.
func buildShard(t testing.TB, path string, spec shardSpec) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.PutSweep(ctx, SweepRecord{Name: "merge", Experiment: "trig", Metric: "val_accuracy", Goal: "maximize",
		File: "/abs/merge.yaml", Source: spec.source})
	if err != nil {
		t.Fatal(err)
	}
	trials := make([]engine.Trial, len(spec.plan))
	positions := make([]int, len(spec.plan))
	for i, o := range spec.plan {
		trials[i], positions[i] = o.Trial, 10*i
	}
	if _, err := db.PlanAt(ctx, s.ID, trials, positions); err != nil {
		t.Fatal(err)
	}
	run, err := db.StartRun(ctx, s.ID, Provenance{Host: "node-" + spec.shard, Command: "optbench run --shard " + spec.shard,
		Shard: spec.shard})
	if err != nil {
		t.Fatal(err)
	}
	r := db.Recorder(s.ID, run)
	if spec.numerics != "" {
		r.Numerics = spec.numerics
	}
	record(t, r, spec.trained...)
	if err := db.FinishRun(ctx, run); err != nil {
		t.Fatal(err)
	}
}

func mergeOutcomes() []engine.Outcome {
	var out []engine.Outcome
	for _, lr := range []float64{0.1, 1.0 / 3, 1e-3} {
		for seed := range uint64(2) {
			out = append(out, testOutcome("merge", lr, seed, train.Completed, 4))
		}
	}
	return out
}

// sameResults checks that two snapshots hold the same trials, with
// bit-identical final metrics and curves.
func sameResults(t *testing.T, got, want *Snapshot) {
	t.Helper()
	if len(got.Trials) != len(want.Trials) {
		t.Fatalf("%d trials, want %d", len(got.Trials), len(want.Trials))
	}
	for i, g := range got.Trials {
		w := want.Trials[i]
		if g.Key != w.Key || g.Status != w.Status || g.Digest != w.Digest || g.Epochs != w.Epochs || g.Numerics != w.Numerics {
			t.Errorf("trial %d: got %s %s %d epochs digest %.8s, want %s %s %d epochs digest %.8s",
				i, g.Key, g.Status, g.Epochs, g.Digest, w.Key, w.Status, w.Epochs, w.Digest)
		}
		if len(g.Final) != len(w.Final) {
			t.Errorf("trial %s: %d final metrics, want %d", g.Key, len(g.Final), len(w.Final))
		}
		for name, v := range w.Final {
			if gv := g.Final[name]; math.Float64bits(gv) != math.Float64bits(v) && !(math.IsNaN(gv) && math.IsNaN(v)) {
				t.Errorf("trial %s: final %s = %v, want %v", g.Key, name, gv, v)
			}
		}
	}
}

func mergeInto(t *testing.T, out *DB, from string, opt MergeOptions) MergeReport {
	t.Helper()
	rep, err := out.Merge(context.Background(), from, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sweeps) != 1 {
		t.Fatalf("merged %d sweeps, want 1", len(rep.Sweeps))
	}
	return rep
}

func TestMergeShards(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	all := mergeOutcomes()
	local := openTest(t)
	s := putSweep(t, local, "merge")
	record(t, local.Recorder(s.ID, 0), all...)

	const source = "name: merge\n"
	shardA, shardB := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	buildShard(t, shardA, shardSpec{source: source, shard: "0/2", plan: all[:3], trained: all[:3]})
	// Shard 1 has one trial not trained yet.
	buildShard(t, shardB, shardSpec{source: source, shard: "1/2", plan: all[3:], trained: all[3:5]})

	out, err := Open(ctx, filepath.Join(dir, "out", "merged.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	a := mergeInto(t, out, shardA, MergeOptions{})
	if m := a.Sweeps[0]; !m.New || m.Added != 3 || m.Present != 0 || m.Runs != 1 || m.Planned != 0 {
		t.Errorf("first shard: %+v, want a new sweep, 3 added, 1 run", m)
	}
	b := mergeInto(t, out, shardB, MergeOptions{})
	if m := b.Sweeps[0]; m.New || m.Added != 2 || m.Planned != 1 || m.Runs != 1 {
		t.Errorf("second shard: %+v, want 2 added, 1 planned, 1 run", m)
	}
	sums, err := out.Sweeps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 1 || sums[0].Trials != 5 || sums[0].Planned != 1 || sums[0].Runs != 2 {
		t.Fatalf("merged: %+v, want 5 results, 1 planned, 2 runs", sums)
	}

	// The shard trains its last trial; merging again adds it alone.
	shard, err := Open(ctx, shardB)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := shard.Sweep(ctx, "merge")
	if err != nil {
		t.Fatal(err)
	}
	run, err := shard.StartRun(ctx, sb.ID, Provenance{Host: "node-1/2", Command: "resumed", Shard: "1/2"})
	if err != nil {
		t.Fatal(err)
	}
	record(t, shard.Recorder(sb.ID, run), all[5])
	shard.Close()
	b = mergeInto(t, out, shardB, MergeOptions{})
	if m := b.Sweeps[0]; m.Replaced != 1 || m.Added != 0 || m.Present != 2 || m.Runs != 1 {
		t.Errorf("resumed shard: %+v, want 1 replaced (planned → completed), 2 present, 1 run", m)
	}

	got, err := out.Snapshot(ctx, "merge")
	if err != nil {
		t.Fatal(err)
	}
	want, err := local.Snapshot(ctx, "merge")
	if err != nil {
		t.Fatal(err)
	}
	sameResults(t, got, want)
	if _, err := os.Stat(shardA + "-wal"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("merge left %s-wal beside the shard it read: %v", shardA, err)
	}

	// Merging everything again adds nothing.
	for _, from := range []string{shardA, shardB} {
		m := mergeInto(t, out, from, MergeOptions{}).Sweeps[0]
		if m.Added != 0 || m.Replaced != 0 || m.Planned != 0 || m.Runs != 0 || m.Present != 3 {
			t.Errorf("merged %s twice: %+v, want 3 present and nothing else", from, m)
		}
	}
	runs, err := out.Runs(ctx, "merge")
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 3 {
		t.Errorf("%d runs, want 3 (each shard's, and the resumed one)", len(runs))
	}
	// The merged plan is the sweep's: every trial at its place in it.
	var positions string
	if err := out.read.QueryRowContext(ctx, `SELECT group_concat(position, ',') FROM (SELECT position FROM trials ORDER BY position)`).
		Scan(&positions); err != nil {
		t.Fatal(err)
	}
	if positions != "0,0,10,10,20,20" {
		t.Errorf("merged positions %s, want each shard's 0, 10, 20", positions)
	}
}

func TestMergeKeepsFinished(t *testing.T) {
	dir := t.TempDir()
	o := testOutcome("merge", 0.1, 0, train.Completed, 4)
	cut := testOutcome("merge", 0.1, 0, train.Interrupted, 2)
	const source = "name: merge\n"
	done, interrupted := filepath.Join(dir, "done.db"), filepath.Join(dir, "cut.db")
	buildShard(t, done, shardSpec{source: source, shard: "0/1", plan: []engine.Outcome{o}, trained: []engine.Outcome{o}})
	buildShard(t, interrupted, shardSpec{source: source, shard: "0/1", plan: []engine.Outcome{o}, trained: []engine.Outcome{cut}})

	out := openTest(t)
	mergeInto(t, out, interrupted, MergeOptions{})
	if m := mergeInto(t, out, done, MergeOptions{}).Sweeps[0]; m.Replaced != 1 {
		t.Errorf("finished over interrupted: %+v, want 1 replaced", m)
	}
	if m := mergeInto(t, out, interrupted, MergeOptions{}).Sweeps[0]; m.Replaced != 0 || m.Present != 1 {
		t.Errorf("interrupted over finished: %+v, want 1 present", m)
	}
	tr, err := out.Trial(context.Background(), o.Key)
	if err != nil {
		t.Fatal(err)
	}
	curve, err := out.Curve(context.Background(), "merge", o.Key)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Status != train.Completed || tr.Epochs != 4 || len(curve) != 4 {
		t.Errorf("merged trial: %s, %d epochs, curve of %d; want completed, 4, 4", tr.Status, tr.Epochs, len(curve))
	}
}

func TestMergeConflict(t *testing.T) {
	dir := t.TempDir()
	all := mergeOutcomes()
	first, other, numerics := filepath.Join(dir, "a.db"), filepath.Join(dir, "other.db"), filepath.Join(dir, "numerics.db")
	buildShard(t, first, shardSpec{source: "name: merge\n", shard: "0/2", plan: all[:3], trained: all[:3]})
	buildShard(t, other, shardSpec{source: "name: merge\n# edited\n", shard: "1/2", plan: all[3:], trained: all[3:]})
	buildShard(t, numerics, shardSpec{source: "name: merge\n", shard: "1/2", numerics: "other", plan: all[3:], trained: all[3:]})

	for _, tc := range []struct {
		shard, differs string
	}{
		{other, "sweep file sha256"},
		{numerics, "numerics version other, not " + engine.NumericsVersion},
	} {
		out := openTest(t)
		mergeInto(t, out, first, MergeOptions{})
		_, err := out.Merge(context.Background(), tc.shard, MergeOptions{})
		conflict, ok := errors.AsType[*MergeConflictError](err)
		if !ok || !errors.Is(err, ErrMergeConflict) {
			t.Fatalf("merge %s: %v, want a *MergeConflictError", tc.shard, err)
		}
		if conflict.Shard != tc.shard || len(conflict.Differs) != 1 || !strings.Contains(conflict.Differs[0], tc.differs) {
			t.Errorf("conflict %v, want shard %s differing by %q", conflict, tc.shard, tc.differs)
		}
		sums, err := out.Sweeps(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if sums[0].Trials != 3 || sums[0].Runs != 1 {
			t.Errorf("a refused shard left %d trials and %d runs, want the first shard's 3 and 1", sums[0].Trials, sums[0].Runs)
		}
		m := mergeInto(t, out, tc.shard, MergeOptions{Force: true}).Sweeps[0]
		if m.Added != 3 || len(m.Forced) != 1 {
			t.Errorf("--force: %+v, want 3 added and what differed", m)
		}
	}
}

func TestMergeRefusesItself(t *testing.T) {
	out := openTest(t)
	putSweep(t, out, "merge")
	if _, err := out.Merge(context.Background(), out.Path(), MergeOptions{}); err == nil {
		t.Error("merging a database into itself succeeded")
	}
	if _, err := out.Merge(context.Background(), filepath.Join(t.TempDir(), "missing.db"), MergeOptions{}); err == nil {
		t.Error("merging a missing file succeeded")
	}
}

// BenchmarkMerge10k merges a shard of 10 000 classifier trials of 300
// epochs (six metrics and wall time) into a new database. One op is the
// whole shard; building it is not timed.
//
//	go test -run '^$' -bench Merge10k -benchtime 1x ./results/
func BenchmarkMerge10k(b *testing.B) {
	const trials, epochs = 10000, 300
	ctx := context.Background()
	dir := b.TempDir()
	shardPath := filepath.Join(dir, "shard.db")
	shard, err := Open(ctx, shardPath)
	if err != nil {
		b.Fatal(err)
	}
	s, err := shard.PutSweep(ctx, SweepRecord{Name: "bench", Source: "name: bench\n"})
	if err != nil {
		b.Fatal(err)
	}
	run, err := shard.StartRun(ctx, s.ID, Provenance{Shard: "0/1"})
	if err != nil {
		b.Fatal(err)
	}
	recordClassifiers(b, shard.Recorder(s.ID, run), trials, epochs)
	if err := shard.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		out, err := Open(ctx, filepath.Join(dir, fmt.Sprintf("out-%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := out.Merge(ctx, shardPath, MergeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if rep.Sweeps[0].Added != trials {
			b.Fatalf("merged %+v, want %d trials added", rep.Sweeps[0], trials)
		}
		out.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e9, "s/shard")
}
