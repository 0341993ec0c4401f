package search

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
)

// proposals runs m to the end, keeping everything, and renders each
// proposal as "branch: name=value … [index …]".
func proposals(t *testing.T, m Method) []string {
	t.Helper()
	var out []string
	for range 10_000 {
		c, ok := m.Propose()
		if !ok {
			return out
		}
		out = append(out, render(c))
		m.Tell(true)
	}
	t.Fatal("the method did not stop")
	return nil
}

func render(c Configuration) string {
	parts := []string{fmt.Sprintf("%d:", c.Branch)}
	for _, name := range c.Params.Names() {
		parts = append(parts, name+"="+engine.FormatValue(c.Params[name]))
	}
	return strings.Join(parts, " ") + fmt.Sprintf(" %v", c.Index)
}

func TestGrid(t *testing.T) {
	tests := []struct {
		name  string
		space Space
		want  []string
	}{
		{
			name: "last dimension fastest",
			space: Space{Branches: []Branch{{Optimizer: "gd", Schedule: "constant", Dimensions: []Dimension{
				{"lr", Points{0.1, 0.01}},
				{"batch_size", PowersOfTwo{Lo: 16, Hi: 64}},
			}}}},
			want: []string{
				"0: batch_size=16 lr=0.1 optimizer=gd schedule=constant [0 0]",
				"0: batch_size=32 lr=0.1 optimizer=gd schedule=constant [0 1]",
				"0: batch_size=64 lr=0.1 optimizer=gd schedule=constant [0 2]",
				"0: batch_size=16 lr=0.01 optimizer=gd schedule=constant [1 0]",
				"0: batch_size=32 lr=0.01 optimizer=gd schedule=constant [1 1]",
				"0: batch_size=64 lr=0.01 optimizer=gd schedule=constant [1 2]",
			},
		},
		{
			name: "branches in order, each with its own dimensions",
			space: Space{Branches: []Branch{
				{Optimizer: "momentum", Schedule: "constant", Dimensions: []Dimension{
					{"beta", Quantized{Lo: 0.8, Q: 0.1, N: 2}},
					{"activation", Categorical{"relu", "tanh"}},
				}},
				{Optimizer: "gd", Schedule: "exponential", Dimensions: []Dimension{
					{"gamma", IntUniform{Lo: 1, Hi: 2}},
				}},
				{Optimizer: "adam", Schedule: "constant"},
			}},
			want: []string{
				"0: activation=relu beta=0.8 optimizer=momentum schedule=constant [0 0]",
				"0: activation=tanh beta=0.8 optimizer=momentum schedule=constant [0 1]",
				"0: activation=relu beta=0.9 optimizer=momentum schedule=constant [1 0]",
				"0: activation=tanh beta=0.9 optimizer=momentum schedule=constant [1 1]",
				"1: gamma=1 optimizer=gd schedule=exponential [0]",
				"1: gamma=2 optimizer=gd schedule=exponential [1]",
				"2: optimizer=adam schedule=constant []",
			},
		},
		{name: "empty space", space: Space{}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := NewGrid(&tt.space)
			if err != nil {
				t.Fatal(err)
			}
			if got := proposals(t, g); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if _, ok := g.Propose(); ok {
				t.Error("Propose after the end proposed again")
			}
		})
	}
}

func TestGridRejectsContinuous(t *testing.T) {
	for _, d := range []Domain{Uniform{Lo: 0, Hi: 1}, LogUniform{Lo: 1e-4, Hi: 1}} {
		space := &Space{Branches: []Branch{{Optimizer: "gd", Schedule: "constant", Dimensions: []Dimension{{"lr", d}}}}}
		if _, err := NewGrid(space); err == nil || !strings.Contains(err.Error(), "lr is continuous") {
			t.Errorf("grid over %v: error %v", d, err)
		}
	}
}
