package search

import "fmt"

var _ Method = (*List)(nil)

// List proposes configurations written out one by one: each branch of its
// space is one configuration, every dimension fixed to one value, and List
// proposes them in order, each once whatever it is told.
type List struct {
	space *Space
	next  int
}

// NewList returns the list of space's branches. It fails when a dimension
// has other than one value, since a listed configuration gives each
// parameter one value.
func NewList(space *Space) (*List, error) {
	for i, b := range space.Branches {
		for _, d := range b.Dimensions {
			if d.Domain.Len() != 1 {
				return nil, fmt.Errorf("search: list: configuration %d: %s has %s, not one value",
					i+1, d.Name, count(d.Domain))
			}
		}
	}
	return &List{space: space}, nil
}

func count(d Domain) string {
	if d.Len() == 0 {
		return "a continuous domain"
	}
	return fmt.Sprintf("%d values", d.Len())
}

// Propose returns the next listed configuration.
func (l *List) Propose() (Configuration, bool) {
	if l.next >= len(l.space.Branches) {
		return Configuration{}, false
	}
	b := l.space.Branches[l.next]
	c := Configuration{Branch: l.next, Params: b.params(), Index: make([]int, len(b.Dimensions))}
	for _, d := range b.Dimensions {
		c.Params[d.Name] = d.Domain.At(0)
	}
	l.next++
	return c, true
}

// Tell does nothing: a list proposes what was written whatever becomes
// of it.
func (l *List) Tell(bool) {}
