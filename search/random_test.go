package search

import (
	"reflect"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
)

// twoOptimizers is gd and adam with the constant schedule, lr drawn
// log-uniformly: the space of sweeps' TestRandomGolden.
func twoOptimizers() *Space {
	lr := []Dimension{{"lr", LogUniform{Lo: 1e-4, Hi: 1e-1}}}
	return &Space{Branches: []Branch{
		{Optimizer: "gd", Schedule: "constant", Dimensions: lr},
		{Optimizer: "adam", Schedule: "constant", Dimensions: lr},
	}}
}

// discrete has 2 optimizers × 2 schedules × 3 learning rates = 12
// configurations, with a categorical dimension in one branch only.
func discrete() *Space {
	lr := Dimension{"lr", Points{0.1, 0.01, 0.001}}
	return &Space{Branches: []Branch{
		{Optimizer: "gd", Schedule: "constant", Dimensions: []Dimension{lr}},
		{Optimizer: "gd", Schedule: "exponential", Dimensions: []Dimension{lr}},
		{Optimizer: "adam", Schedule: "constant", Dimensions: []Dimension{lr, {"amsgrad", Categorical{true}}}},
		{Optimizer: "adam", Schedule: "exponential", Dimensions: []Dimension{lr}},
	}}
}

func mustRandom(t *testing.T, space *Space, samples int, seed uint64) *Random {
	t.Helper()
	m, err := NewRandom(space, samples, seed)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRandomDraws pins the first draws of a stream: a change in the draw
// order would silently change every random sweep's configurations. The
// values are those sweeps drew before its search code moved here.
func TestRandomDraws(t *testing.T) {
	got := proposals(t, mustRandom(t, twoOptimizers(), 4, 1))
	want := []string{
		"0: lr=0.0018663256282638217 optimizer=gd schedule=constant [-1]",
		"0: lr=0.011539821905279806 optimizer=gd schedule=constant [-1]",
		"1: lr=0.02647581618764176 optimizer=adam schedule=constant [-1]",
		"0: lr=0.0028748177459921166 optimizer=gd schedule=constant [-1]",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("draws:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestRandomReproducible(t *testing.T) {
	tests := []struct {
		name    string
		space   func() *Space
		samples int
	}{
		{"continuous", twoOptimizers, 50},
		{"discrete", discrete, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := proposals(t, mustRandom(t, tt.space(), tt.samples, 42))
			if len(first) != tt.samples {
				t.Fatalf("%d proposals, want %d", len(first), tt.samples)
			}
			if again := proposals(t, mustRandom(t, tt.space(), tt.samples, 42)); !reflect.DeepEqual(again, first) {
				t.Error("seed 42 drew other configurations the second time")
			}
			if other := proposals(t, mustRandom(t, tt.space(), tt.samples, 43)); reflect.DeepEqual(other, first) {
				t.Error("seeds 42 and 43 drew the same configurations")
			}
		})
	}
}

// TestRandomRedraws tells the method which draws repeat, as a caller that
// keeps distinct configurations does: asking for all twelve
// configurations of the discrete space draws each once.
func TestRandomRedraws(t *testing.T) {
	m := mustRandom(t, discrete(), 12, 7)
	seen := map[string]bool{}
	draws := 0
	for {
		c, ok := m.Propose()
		if !ok {
			break
		}
		draws++
		key := render(c)
		m.Tell(!seen[key])
		seen[key] = true
		for i, d := range discrete().Branches[c.Branch].Dimensions {
			if got := d.Domain.At(c.Index[i]); !reflect.DeepEqual(got, c.Params[d.Name]) {
				t.Errorf("%s: index %d is %v, the configuration has %v", d.Name, c.Index[i], got, c.Params[d.Name])
			}
		}
	}
	if len(seen) != 12 || draws <= 12 {
		t.Errorf("%d distinct configurations in %d draws, want 12 in more than 12", len(seen), draws)
	}
}

// TestRandomGivesUp: a method never told it kept anything stops after
// MaxAttempts draws.
func TestRandomGivesUp(t *testing.T) {
	m := mustRandom(t, discrete(), 3, 0)
	draws := 0
	for {
		if _, ok := m.Propose(); !ok {
			break
		}
		draws++
		m.Tell(false)
	}
	if draws != MaxAttempts(3) {
		t.Errorf("%d draws, want %d", draws, MaxAttempts(3))
	}
}

func TestNewRandomErrors(t *testing.T) {
	notProduct := discrete()
	notProduct.Branches = notProduct.Branches[:3]
	swapped := discrete()
	swapped.Branches[1], swapped.Branches[2] = swapped.Branches[2], swapped.Branches[1]
	tests := []struct {
		name    string
		space   *Space
		samples int
		want    string
	}{
		{"no samples", discrete(), 0, "samples 0"},
		{"no branches", &Space{}, 1, "no branches"},
		{"a pair missing", notProduct, 1, "branch 4 is not optimizer adam with schedule exponential"},
		{"schedule outermost", swapped, 1, "branch 2 is not optimizer gd with schedule exponential"},
		{"an empty domain", &Space{Branches: []Branch{{Optimizer: "gd", Dimensions: []Dimension{{"lr", Points{}}}}}}, 1,
			"cannot draw lr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewRandom(tt.space, tt.samples, 0); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestRandomSourceChunks reads a random search's source in chunks of
// several sizes, as executors with different numbers of workers do: the
// trials are the same.
func TestRandomSourceChunks(t *testing.T) {
	tmpl := Template{Sweep: "s", Experiment: "e", Seeds: []uint64{0, 1, 2}, Budget: engine.Budget{Epochs: 3}}
	var want []string
	for _, chunk := range []int{1, 2, 5, 64, 1000} {
		src, err := NewSource(mustRandom(t, twoOptimizers(), 20, 9), tmpl)
		if err != nil {
			t.Fatal(err)
		}
		got := drain(t, src, chunk)
		if len(got) != 60 {
			t.Fatalf("chunks of %d: %d trials, want 20 configurations × 3 seeds", chunk, len(got))
		}
		if want == nil {
			want = got
		} else if !reflect.DeepEqual(got, want) {
			t.Errorf("chunks of %d gave other trials than chunks of 1", chunk)
		}
	}
}
