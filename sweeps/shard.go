package sweeps

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/experiments"
)

// Shard names one part of a sweep split into Count parts for separate
// machines (optbench run --shard Index/Count). The zero value is not a
// shard; Count 1 is the whole sweep.
type Shard struct {
	Index int // 0 ≤ Index < Count
	Count int // how many shards the sweep is split into, ≥ 1
}

// ParseShard reads a shard written "i/N", 0 ≤ i < N.
func ParseShard(s string) (Shard, error) {
	is, ns, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want i/N, shard i of N (0 ≤ i < N)", s)
	}
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	switch {
	case err1 != nil || err2 != nil:
		return Shard{}, fmt.Errorf("shard %q: want i/N with integers, shard i of N (0 ≤ i < N)", s)
	case n < 1:
		return Shard{}, fmt.Errorf("shard %q: need at least one shard (N ≥ 1)", s)
	case i < 0 || i >= n:
		return Shard{}, fmt.Errorf("shard %q: index %d is not in 0…%d", s, i, n-1)
	}
	return Shard{Index: i, Count: n}, nil
}

// String returns the shard as ParseShard reads it, "i/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// TrialCost is the expected cost of training t, in optimizer steps: its
// epochs (Budget.PruneAt when that stops it earlier) × its steps per
// epoch, capped by Budget.Steps. Steps per epoch are ⌈training examples /
// batch_size⌉ where the experiment knows its training-set size without
// generating the data (experiments.Experiment.TrainSize), 1 for a batch
// of the whole set (batch_size 0); for 2-D test functions, where an epoch
// is one step, and where the size is unknown, a trial costs its epochs.
// Wall-clock caps are not counted. The cost is at least 1, so that every
// trial weighs something in a split.
func TrialCost(t engine.Trial) float64 {
	epochs := t.Budget.Epochs
	if t.Budget.PruneAt > 0 && t.Budget.PruneAt < epochs {
		epochs = t.Budget.PruneAt
	}
	perEpoch := 1
	if e, err := experiments.Lookup(t.Experiment); err == nil {
		if n, err := e.TrainSize(t.Params); err == nil && n > 0 {
			if b, ok := t.Params.Float("batch_size"); ok && b >= 1 {
				perEpoch = int(math.Ceil(float64(n) / b))
			}
		}
	}
	steps := float64(epochs) * float64(perEpoch)
	if t.Budget.Steps > 0 {
		steps = min(steps, float64(t.Budget.Steps))
	}
	return max(steps, 1)
}

// Split assigns each of the distinct trials (by key; a trial listed again
// stays with its first listing) to one of n shards, balanced by
// TrialCost, and returns, for each shard, the indices into trials of its
// trials in plan order. The rule is greedy longest processing time: the
// trials, costliest first (ties in plan order), each go to the shard with
// the least cost so far (ties to the lowest shard). The split depends only
// on the trials and n, so every machine computes the same one; and since a
// trial joins the cheapest shard, the costliest shard exceeds the cheapest
// by at most the costliest trial.
//
// The seeds of a configuration are not kept together: they are
// independent trials, grouping them would make the units of the split
// seeds × larger and the balance that much coarser, and merge brings them
// back together.
func Split(trials []engine.Trial, n int) [][]int {
	if n < 1 {
		panic(fmt.Sprintf("sweeps: split into %d shards", n))
	}
	type costed struct {
		index int
		cost  float64
	}
	seen := make(map[string]bool, len(trials))
	order := make([]costed, 0, len(trials))
	for i, t := range trials {
		key := t.Key()
		if seen[key] {
			continue
		}
		seen[key] = true
		order = append(order, costed{i, TrialCost(t)})
	}
	slices.SortStableFunc(order, func(a, b costed) int { return cmp.Compare(b.cost, a.cost) })
	load := make([]float64, n)
	shards := make([][]int, n)
	for _, c := range order {
		least := 0
		for s := 1; s < n; s++ {
			if load[s] < load[least] {
				least = s
			}
		}
		load[least] += c.cost
		shards[least] = append(shards[least], c.index)
	}
	for _, s := range shards {
		slices.Sort(s)
	}
	return shards
}

// Select returns the trials of shard s of trials (see Split), in plan
// order, with their positions in the whole plan: a shard's database keeps
// them, so that merged shards hold the sweep's plan.
func (s Shard) Select(trials []engine.Trial) (selected []engine.Trial, positions []int) {
	positions = Split(trials, s.Count)[s.Index]
	selected = make([]engine.Trial, len(positions))
	for i, p := range positions {
		selected[i] = trials[p]
	}
	return selected, positions
}
