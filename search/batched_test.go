package search

import (
	"fmt"
	"testing"
)

// TestBatched: a grid of 5 configurations in generations of 2 is 2, 2 and
// 1 configurations, the last generation saying done, and asking for a
// generation again answers the same.
func TestBatched(t *testing.T) {
	space := &Space{Branches: []Branch{{Optimizer: "adam", Dimensions: []Dimension{{Name: "lr", Domain: Points{1, 2, 3, 4, 5}}}}}}
	g, err := NewGrid(space)
	if err != nil {
		t.Fatal(err)
	}
	b := NewBatched(g, 2)
	var got []string
	for gen := 0; gen < 5; gen++ {
		ps, done, err := b.Next(gen, nil)
		if err != nil {
			t.Fatal(err)
		}
		var lrs []any
		for _, p := range ps {
			lrs = append(lrs, p.Config.Params["lr"])
		}
		got = append(got, fmt.Sprint(lrs, done))
		if done {
			break
		}
	}
	if fmt.Sprint(got) != "[[1 2] false [3 4] false [5] true]" {
		t.Errorf("generations %v", got)
	}
	if ps, _, _ := b.Next(1, nil); len(ps) != 2 || ps[0].Config.Params["lr"] != 3.0 {
		t.Errorf("generation 1 again: %v", ps)
	}
}
