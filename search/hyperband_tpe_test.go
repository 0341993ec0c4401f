package search

import (
	"fmt"
	"hash/fnv"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/testfunc"
	"github.com/optbench/optbench/engine/train"
)

// runHyperband drives m generation by generation as the engine would,
// with value(c, epochs) the objective of configuration c trained to
// epochs, and returns the proposals of each generation and the history.
func runHyperband(t *testing.T, m Adaptive, value func(c Configuration, epochs int) float64) ([][]Proposal, []Observation) {
	t.Helper()
	var gens [][]Proposal
	var history []Observation
	for g := 0; ; g++ {
		props, done, err := m.Next(g, history)
		if err != nil {
			t.Fatalf("generation %d: %v", g, err)
		}
		gens = append(gens, props)
		for _, p := range props {
			epochs, status := p.Epochs, train.Completed
			if p.PruneAt > 0 {
				epochs, status = p.PruneAt, train.Pruned
			}
			history = append(history, Observation{Index: len(history), Proposal: p,
				Value: value(p.Config, epochs), Status: status})
		}
		if done {
			return gens, history
		}
	}
}

// lrValue is the objective of TestHalvingDeterministic: best at lr 0.01,
// lower with more epochs.
func lrValue(c Configuration, epochs int) float64 {
	lr, _ := c.Params.Float("lr")
	return math.Abs(math.Log10(lr)+2) + 1/float64(epochs)
}

// TestHyperbandTPEBrackets: with Table 1's settings, bracket s_max (all of
// generation 0) is TPE's random startup, proposals 0 … 80; each later
// bracket is drawn from the model when its generation starts (so its
// configurations are not the random draws of the same indices, and sit
// nearer the optimum); every configuration is distinct and each
// generation trains every rung of its level.
func TestHyperbandTPEBrackets(t *testing.T) {
	space := &Space{Branches: []Branch{{Optimizer: "adam", Schedule: "constant",
		Dimensions: []Dimension{{"lr", LogUniform{1e-5, 1}}}}}}
	opt := TPEOptions{Samples: 143, Seed: 5}
	hb, err := NewHyperbandTPE(Halving{MaxEpochs: 81}, space, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !slicesEqualBrackets(hb.Brackets(), Brackets(1, 81, 3)) {
		t.Errorf("Brackets() %v; want Table 1", hb.Brackets())
	}
	gens, history := runHyperband(t, hb, lrValue)

	// Generation 0 is TPE's startup: random draws from streams tpe0 … tpe80.
	startup, err := NewTPE(space, TPEOptions{Samples: 143, Seed: 5, Generation: 81, Startup: 81})
	if err != nil {
		t.Fatal(err)
	}
	random, _, err := startup.Next(0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gens[0], pruneAll(random, 81, 1)) {
		t.Errorf("generation 0 is not TPE's random startup")
	}

	// The first rung of bracket s (generation 4−s) follows the survivors
	// of the brackets before it.
	first := map[int]int{3: 27, 2: 9 + 11, 1: 3 + 3 + 5, 0: 1 + 1 + 1 + 2}
	seen := map[string]bool{}
	index := 81 // proposal index of the bracket's first configuration
	for s := 4; s >= 0; s-- {
		g := 4 - s
		var cohort []Proposal
		if s == 4 {
			cohort = gens[0]
		} else {
			cohort = gens[g][first[s]:]
		}
		for _, p := range cohort {
			key := string(engine.Trial{Params: p.Config.Params}.Canonical())
			if seen[key] {
				t.Errorf("bracket s=%d: %v drawn twice", s, p.Config.Params)
			}
			seen[key] = true
		}
		if s == 4 {
			continue
		}
		// The same indices drawn at random: what startup would give.
		atRandom, _, _ := (&TPE{space: space, opt: TPEOptions{Samples: 143, Seed: 5, Generation: 143, Startup: 143}}).Next(0, nil)
		var modelDist, randomDist float64
		for j, p := range cohort {
			lr, _ := p.Config.Params.Float("lr")
			rlr, _ := atRandom[index+j].Config.Params.Float("lr")
			modelDist += math.Abs(math.Log10(lr) + 2)
			randomDist += math.Abs(math.Log10(rlr) + 2)
		}
		t.Logf("bracket s=%d: mean |log10 lr + 2| %.3f from the model, %.3f at random",
			s, modelDist/float64(len(cohort)), randomDist/float64(len(cohort)))
		if !(modelDist < randomDist) {
			t.Errorf("bracket s=%d: the model's configurations are no nearer the optimum than random ones", s)
		}
		index += len(cohort)
	}
	if len(seen) != 143 || len(history) != 81+61+35+19+10 {
		t.Errorf("%d configurations, %d trials; want 143, 206", len(seen), len(history))
	}
}

func pruneAll(ps []Proposal, epochs, pruneAt int) []Proposal {
	out := slices.Clone(ps)
	for i := range out {
		out[i].Epochs, out[i].PruneAt = epochs, pruneAt
	}
	return out
}

// TestHyperbandTPEFit is the fitting rule: each configuration once, in
// the order drawn, at its deepest rung; good are the γ(n) best by rung,
// then value (NaN never); none (random proposals) while fewer than
// Startup configurations have a value.
func TestHyperbandTPEFit(t *testing.T) {
	space := &Space{Branches: []Branch{{Dimensions: []Dimension{{"lr", LogUniform{1e-5, 1}}}}}}
	// Eleven configurations a … k at rung 1 (c without a value); d, e and
	// f went on to rung 3, e to the last rung, 9.
	var history []Observation
	add := func(name string, pruneAt int, v float64) {
		history = append(history, Observation{Index: len(history), Value: v,
			Proposal: Proposal{Config: Configuration{Params: engine.Params{"name": name, "lr": 0.1}, Index: []int{-1}},
				Epochs: 9, PruneAt: pruneAt}})
	}
	for i, v := range []float64{5, 4, math.NaN(), 3, 2, 1, 6, 7, 8, 9, 0.5} {
		add(string(rune('a'+i)), 1, v)
	}
	add("d", 3, 2)
	add("e", 3, 1.5)
	add("f", 3, 0.5)
	add("e", 0, 0.1)
	tests := []struct {
		startup int
		goal    Goal
		good    string // the good configurations in the order drawn; "-": at random
	}{
		{1, Minimize, "e f"},  // γ(11) = 2: e at rung 9, then f, the best at rung 3
		{10, Minimize, "e f"}, // ten have a value
		{11, Minimize, "-"},   // c has none
		{1, Maximize, "d e"},  // e at rung 9, then d, the best at rung 3 for maximize
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("startup%d_goal%d", tt.startup, tt.goal), func(t *testing.T) {
			m, err := NewTPE(space, TPEOptions{Samples: 1, Startup: tt.startup, Goal: tt.goal})
			if err != nil {
				t.Fatal(err)
			}
			fit, good := m.deepest(history)
			if tt.good == "-" {
				if fit != nil || good != nil {
					t.Errorf("fitted %d observations; want none", len(fit))
				}
				return
			}
			var names, rungs, goods []string
			for i, o := range fit {
				names = append(names, o.Proposal.Config.Params["name"].(string))
				rungs = append(rungs, fmt.Sprint(rungOf(o)))
				if good[i] {
					goods = append(goods, names[i])
				}
			}
			if got := strings.Join(names, ""); got != "abcdefghijk" {
				t.Errorf("fitted %s; want each configuration once in the order drawn", got)
			}
			if got := strings.Join(rungs, " "); got != "1 1 1 3 9 3 1 1 1 1 1" {
				t.Errorf("rungs %s; want each configuration's deepest", got)
			}
			if got := strings.Join(goods, " "); got != tt.good {
				t.Errorf("good %s; want %s", got, tt.good)
			}
		})
	}
}

// TestHyperbandTPEDiscrete: in a finite space with as many configurations
// as the brackets draw, the model's repeats are drawn again and every
// configuration is drawn once; a smaller space is refused up front.
func TestHyperbandTPEDiscrete(t *testing.T) {
	values := make([]float64, 17)
	for i := range values {
		values[i] = math.Pow(10, -4+float64(i)/4)
	}
	space := &Space{Branches: []Branch{{Dimensions: []Dimension{{"lr", Points(values)}}}}}
	hb, err := NewHyperbandTPE(Halving{MaxEpochs: 9}, space, TPEOptions{Samples: 17, Startup: 2})
	if err != nil {
		t.Fatal(err)
	}
	_, history := runHyperband(t, hb, lrValue)
	seen := map[float64]bool{}
	for _, o := range history {
		lr, _ := o.Proposal.Config.Params.Float("lr")
		seen[lr] = true
	}
	if len(seen) != 17 {
		t.Errorf("%d distinct configurations; want all 17", len(seen))
	}
	small := &Space{Branches: []Branch{{Dimensions: []Dimension{{"lr", Points(values[:16])}}}}}
	if _, err := NewHyperbandTPE(Halving{MaxEpochs: 9}, small, TPEOptions{Samples: 17}); err == nil ||
		!strings.Contains(err.Error(), "the space has 16 configurations; the brackets draw 17") {
		t.Errorf("a space of 16 configurations: %v", err)
	}
}

func TestNewHyperbandTPEErrors(t *testing.T) {
	space := &Space{Branches: []Branch{{Dimensions: []Dimension{{"lr", LogUniform{1e-5, 1}}}}}}
	tests := []struct {
		h    Halving
		opt  TPEOptions
		want string
	}{
		{Halving{MaxEpochs: 9}, TPEOptions{Samples: 16}, "samples 16; the brackets draw 17 configurations"},
		{Halving{MaxEpochs: 9, Goal: Maximize}, TPEOptions{Samples: 17}, "goal"},
		{Halving{MaxEpochs: 9, Eta: 1}, TPEOptions{Samples: 17}, "eta 1"},
		{Halving{MaxEpochs: 9}, TPEOptions{Samples: 0}, "samples 0"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if _, err := NewHyperbandTPE(tt.h, space, tt.opt); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v; want one saying %q", err, tt.want)
			}
		})
	}
}

// TestHyperbandTPEBranin: on Branin with a noisy low fidelity (the value
// after e epochs is Branin plus a configuration's fixed noise scaled by
// 1/√e − 1/√27, so exact at the full budget), Hyperband with TPE proposing its brackets finds, over 10 search
// seeds, a median best full-budget value no worse than Hyperband with
// random configurations. A check of direction only: the numbers are this
// objective's, not a published table's.
func TestHyperbandTPEBranin(t *testing.T) {
	f := testfunc.Branin{}
	space := boxSpace(f)
	value := func(c Configuration, epochs int) float64 {
		h := fnv.New64a()
		h.Write(engine.Trial{Params: c.Params}.Canonical())
		noise := float64(h.Sum64()%1000)/1000 - 0.5
		return f.Value(point(f, c)) + 20*noise*(1/math.Sqrt(float64(epochs))-1/math.Sqrt(27))
	}
	h := Halving{MaxEpochs: 27}
	total, _, _ := BracketTotals(Brackets(1, 27, 3))
	best := func(history []Observation) float64 {
		b := math.Inf(1)
		for _, o := range history {
			if o.Proposal.PruneAt == 0 {
				b = min(b, o.Value)
			}
		}
		return b
	}
	var bohb, random []float64
	for seed := range uint64(10) {
		hb, err := NewHyperbandTPE(h, space, TPEOptions{Samples: total, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		_, history := runHyperband(t, hb, value)
		bohb = append(bohb, best(history))

		r, err := NewRandom(space, total, seed)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := NewHyperband(h, r)
		if err != nil {
			t.Fatal(err)
		}
		_, history = runHyperband(t, rb, value)
		random = append(random, best(history))
	}
	mb, mr := median(slices.Clone(bohb)), median(slices.Clone(random))
	t.Logf("Branin, hyperband to 27 epochs, %d configurations: median best %.4f with tpe, %.4f at random", total, mb, mr)
	if mb > mr {
		t.Errorf("hyperband with tpe: median best %.4f; worse than random's %.4f", mb, mr)
	}
}
