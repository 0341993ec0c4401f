package search

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
)

// drain reads src in chunks of n until it is exhausted, rendering each
// trial as its key, seed and parameters.
func drain(t *testing.T, src engine.Source, n int) []string {
	t.Helper()
	var out []string
	for {
		trials, err := src.Next(context.Background(), n)
		if errors.Is(err, engine.ErrExhausted) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(trials) == 0 || len(trials) > n {
			t.Fatalf("Next(%d) returned %d trials", n, len(trials))
		}
		for _, tr := range trials {
			out = append(out, fmt.Sprintf("%s seed=%d %s", tr.Key(), tr.Seed, describe(tr.Params)))
			src.Tell(engine.Outcome{Trial: tr})
		}
	}
}

func TestCross(t *testing.T) {
	tmpl := Template{Sweep: "s", Experiment: "e", Seeds: []uint64{7, 3}, Budget: engine.Budget{Epochs: 5}}
	configs := []engine.Params{{"lr": 0.1, "hidden": []float64{4}}, {"lr": 0.01, "hidden": []float64{4}}}
	trials := tmpl.Cross(configs)
	var got []string
	for _, tr := range trials {
		if tr.Sweep != "s" || tr.Experiment != "e" || tr.Budget.Epochs != 5 {
			t.Errorf("trial %+v", tr)
		}
		got = append(got, fmt.Sprintf("lr=%v seed=%d", tr.Params["lr"], tr.Seed))
	}
	want := []string{"lr=0.1 seed=7", "lr=0.1 seed=3", "lr=0.01 seed=7", "lr=0.01 seed=3"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v (seeds fastest)", got, want)
	}
	trials[0].Params["hidden"].([]float64)[0] = 99
	if configs[0]["hidden"].([]float64)[0] != 4 || trials[1].Params["hidden"].([]float64)[0] != 4 {
		t.Error("trials share parameters with the configurations or each other")
	}
}

// resolveLR fills lr's default 0.01, as an experiment's Resolve would.
func resolveLR(p engine.Params) (engine.Params, error) {
	out := p.Clone()
	if _, ok := out["lr"]; !ok {
		out["lr"] = 0.01
	}
	if lr, _ := out.Float("lr"); lr > 1 {
		return nil, fmt.Errorf("lr %v is above 1", lr)
	}
	return out, nil
}

func TestNewSource(t *testing.T) {
	withDefault := &Space{Branches: []Branch{
		{Optimizer: "gd", Schedule: "constant", Dimensions: []Dimension{{"lr", Points{0.1, 0.01}}}},
		{Optimizer: "gd", Schedule: "constant"}, // lr defaults to 0.01: a repeat once resolved
	}}
	tests := []struct {
		name    string
		method  func() (Method, error)
		seeds   []uint64
		want    []string
		repeats bool // the method proposes a repeat and is told so
		wantErr string
	}{
		{
			name:    "grid drops a repeat after resolution",
			repeats: true,
			method:  func() (Method, error) { return NewGrid(withDefault) },
			seeds:   []uint64{0, 1},
			want: []string{
				"seed=0 {lr=0.1 optimizer=gd schedule=constant}", "seed=1 {lr=0.1 optimizer=gd schedule=constant}",
				"seed=0 {lr=0.01 optimizer=gd schedule=constant}", "seed=1 {lr=0.01 optimizer=gd schedule=constant}",
			},
		},
		{
			name: "random draws again for a repeat",
			method: func() (Method, error) {
				return NewRandom(&Space{Branches: []Branch{{Optimizer: "gd", Schedule: "constant",
					Dimensions: []Dimension{{"lr", Points{0.1, 0.01, 0.001}}}}}}, 3, 1)
			},
			seeds: []uint64{5},
			want: []string{
				"seed=5 {lr=0.001 optimizer=gd schedule=constant}",
				"seed=5 {lr=0.01 optimizer=gd schedule=constant}",
				"seed=5 {lr=0.1 optimizer=gd schedule=constant}",
			},
			repeats: true,
		},
		{
			name: "a configuration that does not resolve",
			method: func() (Method, error) {
				return NewList(&Space{Branches: []Branch{{Optimizer: "gd", Schedule: "constant",
					Dimensions: []Dimension{{"lr", Points{2}}}}}})
			},
			seeds:   []uint64{0},
			wantErr: "search: configuration {lr=2 optimizer=gd schedule=constant}: lr 2 is above 1",
		},
		{
			name:    "no seeds",
			method:  func() (Method, error) { return NewGrid(withDefault) },
			wantErr: "search: no trials: 2 configurations × 0 seeds",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.method()
			if err != nil {
				t.Fatal(err)
			}
			counted := &counting{Method: m}
			src, err := NewSource(counted, Template{Experiment: "e", Seeds: tt.seeds, Resolve: resolveLR})
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range drain(t, src, 3) {
				got = append(got, s[strings.Index(s, " ")+1:]) // without the key
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if counted.rejected == 0 && tt.repeats {
				t.Error("the method was never told of a repeat")
			}
			if sized, ok := src.(engine.Sized); !ok || sized.Total() != len(tt.want) {
				t.Errorf("the source does not say it has %d trials", len(tt.want))
			}
		})
	}
}

// counting counts the configurations a method is told were not kept.
type counting struct {
	Method
	rejected int
}

func (c *counting) Tell(kept bool) {
	if !kept {
		c.rejected++
	}
	c.Method.Tell(kept)
}
