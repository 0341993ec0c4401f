package search

import (
	"reflect"
	"strings"
	"testing"
)

func TestList(t *testing.T) {
	tests := []struct {
		name    string
		space   Space
		want    []string
		wantErr string
	}{
		{
			name: "one configuration per branch, in order",
			space: Space{Branches: []Branch{
				{Optimizer: "gd", Schedule: "constant", Dimensions: []Dimension{{"lr", Points{0.5}}}},
				{Optimizer: "momentum", Schedule: "constant", Dimensions: []Dimension{
					{"beta", Points{0.95}}, {"hidden", Categorical{[]float64{8, 8}}}}},
				{Optimizer: "gd", Schedule: "constant", Dimensions: []Dimension{{"lr", Points{0.5}}}},
			}},
			want: []string{
				"0: lr=0.5 optimizer=gd schedule=constant [0]",
				"1: beta=0.95 hidden=8x8 optimizer=momentum schedule=constant [0 0]",
				"2: lr=0.5 optimizer=gd schedule=constant [0]", // repeats are the caller's to judge
			},
		},
		{
			name: "several values",
			space: Space{Branches: []Branch{{Optimizer: "gd", Schedule: "constant", Dimensions: []Dimension{
				{"lr", Points{0.5, 0.1}}}}}},
			wantErr: "configuration 1: lr has 2 values, not one value",
		},
		{
			name: "continuous",
			space: Space{Branches: []Branch{{Optimizer: "gd", Schedule: "constant", Dimensions: []Dimension{
				{"lr", Uniform{Lo: 0, Hi: 1}}}}}},
			wantErr: "lr has a continuous domain",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := NewList(&tt.space)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := proposals(t, l); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
