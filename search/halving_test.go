package search

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
)

// seqSampler proposes configurations {i: 0}, {i: 1}, … up to limit, each
// repeated once first when repeat is set, and counts what it is told.
type seqSampler struct {
	limit, next    int
	repeat         bool
	second         bool // the next proposal repeats the last
	kept, rejected int
}

func (s *seqSampler) Propose() (Configuration, bool) {
	if s.next >= s.limit {
		return Configuration{}, false
	}
	i := s.next
	if s.repeat && s.second {
		i--
	} else {
		s.next++
	}
	s.second = !s.second
	return Configuration{Params: engine.Params{"i": float64(i)}}, true
}

func (s *seqSampler) Tell(kept bool) {
	if kept {
		s.kept++
	} else {
		s.rejected++
	}
}

// observe turns proposals into the observations the generation source
// would make, numbered from first, with the value value(i) for
// configuration i.
func observe(first int, props []Proposal, value func(i int) float64) []Observation {
	out := make([]Observation, len(props))
	for j, p := range props {
		i, _ := p.Config.Params.Float("i")
		out[j] = Observation{Index: first + j, Proposal: p, Value: value(int(i))}
	}
	return out
}

func ids(props []Proposal) []int {
	out := make([]int, len(props))
	for j, p := range props {
		i, _ := p.Config.Params.Float("i")
		out[j] = int(i)
	}
	return out
}

func TestHalvingRungs(t *testing.T) {
	tests := []struct {
		h       Halving
		want    []int
		wantErr string
	}{
		{h: Halving{MaxEpochs: 81}, want: []int{1, 3, 9, 27, 81}},
		{h: Halving{MinEpochs: 2, MaxEpochs: 16, Eta: 2}, want: []int{2, 4, 8, 16}},
		{h: Halving{MinEpochs: 1, MaxEpochs: 10}, want: []int{1, 3, 10}}, // 9 → 10: the last step is wider than η
		{h: Halving{MinEpochs: 1, MaxEpochs: 26}, want: []int{1, 3, 26}},
		{h: Halving{MinEpochs: 5, MaxEpochs: 5}, want: []int{5}},
		{h: Halving{MinEpochs: 1, MaxEpochs: 2}, want: []int{2}},
		{h: Halving{}, wantErr: "max_epochs 0; want at least min_epochs 1"},
		{h: Halving{MinEpochs: -1, MaxEpochs: 9}, wantErr: "min_epochs -1"},
		{h: Halving{MaxEpochs: 9, Eta: 1}, wantErr: "eta 1; want at least 2"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("min%d_max%d_eta%d", tt.h.MinEpochs, tt.h.MaxEpochs, tt.h.Eta), func(t *testing.T) {
			got, err := tt.h.Rungs()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v; want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("rungs %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// TestHalvingBracket: cohort sizes ⌊n/η^i⌋, their epochs, and the
// budgets with survivors continuing and with every rung retrained.
func TestHalvingBracket(t *testing.T) {
	tests := []struct {
		name                 string
		h                    Halving
		configs              int
		want                 []Rung
		continued, retrained int
		wantErr              string
	}{
		{name: "derived n", h: Halving{MaxEpochs: 27}, want: []Rung{{27, 1}, {9, 3}, {3, 9}, {1, 27}},
			continued: 27 + 9*2 + 3*6 + 18, retrained: 4 * 27},
		{name: "given n", h: Halving{MaxEpochs: 27}, configs: 30, want: []Rung{{30, 1}, {10, 3}, {3, 9}, {1, 27}},
			continued: 30 + 20 + 18 + 18, retrained: 30 + 30 + 27 + 27},
		{name: "eta 2", h: Halving{MinEpochs: 2, MaxEpochs: 8, Eta: 2}, configs: 5, want: []Rung{{5, 2}, {2, 4}, {1, 8}},
			continued: 10 + 4 + 4, retrained: 10 + 8 + 8},
		{name: "one rung", h: Halving{MinEpochs: 4, MaxEpochs: 4}, configs: 3, want: []Rung{{3, 4}}, continued: 12, retrained: 12},
		{name: "too few to reach the top", h: Halving{MaxEpochs: 27}, configs: 26, wantErr: "26 configurations; want at least η^3 = 27"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.h.Bracket(tt.configs)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v; want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(b.Rungs, tt.want) || b.S != len(tt.want)-1 {
				t.Errorf("bracket s=%d %v; want %v", b.S, b.Rungs, tt.want)
			}
			if c, r := b.ContinuedEpochs(), b.RetrainedEpochs(); c != tt.continued || r != tt.retrained {
				t.Errorf("epochs %d continued, %d retrained; want %d, %d", c, r, tt.continued, tt.retrained)
			}
		})
	}
}

// TestSurvivors: the best ⌊n/η⌋ by value in the goal's direction, NaN
// worst, ties to the earlier proposal, returned in cohort order.
func TestSurvivors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		values []float64
		keep   int
		goal   Goal
		want   []int // cohort members (the cohort is 10, 11, …)
	}{
		{name: "minimize", values: []float64{3, 1, 2, 0.5, 9, 4}, keep: 2, want: []int{11, 13}},
		{name: "maximize", values: []float64{3, 1, 2, 0.5, 9, 4}, keep: 2, goal: Maximize, want: []int{14, 15}},
		{name: "ties to the earlier", values: []float64{2, 1, 1, 1, 0, 5}, keep: 3, want: []int{11, 12, 14}},
		{name: "NaN worst", values: []float64{nan, 7, nan, 8, 9, nan}, keep: 2, want: []int{11, 13}},
		{name: "NaN worst when maximizing", values: []float64{nan, 7, nan, 8, 9, nan}, keep: 2, goal: Maximize, want: []int{13, 14}},
		{name: "NaN ties to the earlier", values: []float64{nan, 1, nan, nan, nan, nan}, keep: 3, want: []int{10, 11, 12}},
		{name: "infinities", values: []float64{math.Inf(1), math.Inf(-1), 0}, keep: 1, want: []int{11}},
		{name: "keep none", values: []float64{1, 2}, keep: 0, want: []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cohort := make([]int, len(tt.values))
			obs := make([]Observation, len(tt.values))
			for i, v := range tt.values {
				cohort[i], obs[i].Value = 10+i, v
			}
			if got := survivors(cohort, obs, tt.keep, tt.goal); !slices.Equal(got, tt.want) {
				t.Errorf("survivors %v; want %v", got, tt.want)
			}
		})
	}
}

// TestSuccessiveHalvingNext runs a bracket of 9 configurations, rungs at
// 1, 3 and 9 epochs, telling it values, and checks each generation's
// cohort and budgets.
func TestSuccessiveHalvingNext(t *testing.T) {
	nan := math.NaN()
	// Rung 0 values by configuration: 8 is best, then 2, 4 and 6 tie for
	// the two places left, which go to the earlier proposals; 5 diverged.
	rung0 := []float64{5, 6, 0.5, 9, 0.5, nan, 0.5, 8, 0.1}
	rung1 := map[int]float64{2: 3, 4: 1, 8: 2}
	sh, err := NewSuccessiveHalving(Halving{MaxEpochs: 9}, 0, &seqSampler{limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cohort  []int
		pruneAt int
		done    bool
		value   func(i int) float64
	}{
		{cohort: []int{0, 1, 2, 3, 4, 5, 6, 7, 8}, pruneAt: 1, value: func(i int) float64 { return rung0[i] }},
		{cohort: []int{2, 4, 8}, pruneAt: 3, value: func(i int) float64 { return rung1[i] }},
		{cohort: []int{4}, pruneAt: 0, done: true, value: func(int) float64 { return 0 }},
	}
	var history []Observation
	for g, tt := range tests {
		props, done, err := sh.Next(g, history)
		if err != nil {
			t.Fatalf("generation %d: %v", g, err)
		}
		if got := ids(props); !slices.Equal(got, tt.cohort) || done != tt.done {
			t.Fatalf("generation %d: cohort %v done %v; want %v done %v", g, got, done, tt.cohort, tt.done)
		}
		for _, p := range props {
			if p.Epochs != 9 || p.PruneAt != tt.pruneAt {
				t.Errorf("generation %d: epochs %d prune_at %d; want 9, %d", g, p.Epochs, p.PruneAt, tt.pruneAt)
			}
		}
		history = append(history, observe(len(history), props, tt.value)...)
	}
	if props, done, err := sh.Next(len(tests), history); len(props) != 0 || !done || err != nil {
		t.Errorf("after the last rung: %d proposals, done %v, %v; want none, done", len(props), done, err)
	}
	if b := sh.Bracket(); !slices.Equal(b.Rungs, []Rung{{9, 1}, {3, 3}, {1, 9}}) {
		t.Errorf("bracket %v", b.Rungs)
	}
}

// TestHalvingHistoryChecked: a history that is not what the method
// proposed is an error, not a silent misreading.
func TestHalvingHistoryChecked(t *testing.T) {
	sh, err := NewSuccessiveHalving(Halving{MaxEpochs: 9}, 0, &seqSampler{limit: 9})
	if err != nil {
		t.Fatal(err)
	}
	props, _, _ := sh.Next(0, nil)
	good := observe(0, props, func(i int) float64 { return float64(i) })
	renumbered := slices.Clone(good)
	renumbered[3].Index = 7
	rebudgeted := slices.Clone(good)
	rebudgeted[0].Proposal.PruneAt = 3
	tests := []struct {
		name    string
		g       int
		history []Observation
		wantErr string
	}{
		{"too short", 1, good[:8], "generation 1: history holds 8 observations; generation 0 alone needs 1 more"},
		{"too long", 1, append(slices.Clone(good), good[0]), "generation 1: history holds 10 observations; want 9"},
		{"history before generation 0", 0, good, "generation 0: history holds 9 observations; want 0"},
		{"renumbered", 1, renumbered, "observation 3 (index 7"},
		{"another budget", 1, rebudgeted, "observation 0 (index 0, epochs 9, prune_at 3) is not proposal 0 of generation 0 (epochs 9, prune_at 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := sh.Next(tt.g, tt.history)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v; want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestHalvingDeterministic: the same history gives the same proposals,
// from the same method asked twice or from another made the same way.
func TestHalvingDeterministic(t *testing.T) {
	space := &Space{Branches: []Branch{{Optimizer: "adam", Schedule: "constant",
		Dimensions: []Dimension{{"lr", LogUniform{1e-4, 1}}}}}}
	methods := map[string]func() (Adaptive, error){
		"successive halving": func() (Adaptive, error) {
			r, err := NewRandom(space, 27, 7)
			if err != nil {
				return nil, err
			}
			return NewSuccessiveHalving(Halving{MaxEpochs: 27}, 0, r)
		},
		"hyperband": func() (Adaptive, error) {
			r, err := NewRandom(space, 100, 7)
			if err != nil {
				return nil, err
			}
			return NewHyperband(Halving{MaxEpochs: 27}, r)
		},
		"hyperband with tpe": func() (Adaptive, error) {
			return NewHyperbandTPE(Halving{MaxEpochs: 27}, space, TPEOptions{Samples: 49, Seed: 7, Startup: 5})
		},
	}
	for name, make := range methods {
		t.Run(name, func(t *testing.T) {
			a, err := make()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := make()
			var history []Observation
			for g := 0; ; g++ {
				pa, doneA, errA := a.Next(g, history)
				again, _, _ := a.Next(g, history)
				pb, doneB, errB := b.Next(g, history)
				if errA != nil || errB != nil {
					t.Fatal(errA, errB)
				}
				if !reflect.DeepEqual(pa, again) || !reflect.DeepEqual(pa, pb) || doneA != doneB {
					t.Fatalf("generation %d: proposals differ", g)
				}
				for j, p := range pa {
					lr, _ := p.Config.Params.Float("lr")
					// A value from the configuration and the rung, as a curve would give.
					history = append(history, Observation{Index: len(history), Proposal: p,
						Value: math.Abs(math.Log10(lr)+2) + 1/float64(p.PruneAt+1) + float64(j%2)*1e-3})
				}
				if doneA {
					break
				}
			}
		})
	}
}

// TestDrawConfigurations: a configuration that repeats one drawn before
// is told not kept and another drawn; a sampler that runs out is an
// error.
func TestDrawConfigurations(t *testing.T) {
	s := &seqSampler{limit: 20, repeat: true}
	sh, err := NewSuccessiveHalving(Halving{MaxEpochs: 9}, 0, s)
	if err != nil {
		t.Fatal(err)
	}
	props, _, _ := sh.Next(0, nil)
	if got := ids(props); !slices.Equal(got, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}) || s.kept != 9 || s.rejected != 8 {
		t.Errorf("drew %v, told %d kept and %d not; want 0 … 8, 9 and 8", got, s.kept, s.rejected)
	}
	_, err = NewSuccessiveHalving(Halving{MaxEpochs: 9}, 10, &seqSampler{limit: 6})
	if want := "search: successive halving: the sampler proposed 6 distinct configurations; want 10"; err == nil || err.Error() != want {
		t.Errorf("error %v; want %q", err, want)
	}
}
