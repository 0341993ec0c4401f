package search

import "fmt"

var _ Method = (*Grid)(nil)

// Grid proposes every combination of a space's values: branches in order,
// and within a branch its dimensions as an odometer, the last dimension
// varying fastest. Every domain must be finite. Grid proposes each
// configuration once whatever it is told.
type Grid struct {
	space  *Space
	branch int   // the branch being enumerated; len(Branches) when done
	index  []int // the odometer of the branch's dimensions
}

// NewGrid returns a grid over space. It fails when a dimension is
// continuous, since a grid cannot list its values.
func NewGrid(space *Space) (*Grid, error) {
	for _, b := range space.Branches {
		for _, d := range b.Dimensions {
			if d.Domain.Len() == 0 {
				return nil, fmt.Errorf("search: grid over %s with schedule %s: %s is continuous; draw it with random search",
					b.Optimizer, b.Schedule, d.Name)
			}
		}
	}
	g := &Grid{space: space}
	g.start(0)
	return g, nil
}

func (g *Grid) start(branch int) {
	g.branch = branch
	if branch < len(g.space.Branches) {
		g.index = make([]int, len(g.space.Branches[branch].Dimensions))
	}
}

// Propose returns the configuration under the odometer and advances it.
func (g *Grid) Propose() (Configuration, bool) {
	if g.branch >= len(g.space.Branches) {
		return Configuration{}, false
	}
	b := g.space.Branches[g.branch]
	c := Configuration{Branch: g.branch, Params: b.params(), Index: append([]int(nil), g.index...)}
	for i, d := range b.Dimensions {
		c.Params[d.Name] = d.Domain.At(g.index[i])
	}
	i := len(g.index) - 1
	for ; i >= 0; i-- {
		g.index[i]++
		if g.index[i] < b.Dimensions[i].Domain.Len() {
			break
		}
		g.index[i] = 0
	}
	if i < 0 {
		g.start(g.branch + 1)
	}
	return c, true
}

// Tell does nothing: a grid proposes the same configurations whatever
// becomes of them.
func (g *Grid) Tell(bool) {}
