package search

var _ Adaptive = (*Batched)(nil)

// Batched runs a method that does not learn from results (grid, random,
// list, sobol) in generations of a fixed size, so that a rule that
// compares a trial with earlier generations (the median rule) sees the
// same trials whatever the number of workers. The configurations and their
// order are the method's.
type Batched struct {
	m          Method
	generation int
	// proposed holds every configuration drawn so far, so that Next can be
	// asked for a generation again (a resumed sweep) and answer the same.
	proposed []Proposal
	done     bool
}

// NewBatched returns m's configurations in generations of size (8 when
// size < 1). Every configuration the method proposes is kept: the method
// must propose distinct ones (sweeps resolves and checks them first).
func NewBatched(m Method, size int) *Batched {
	if size < 1 {
		size = 8
	}
	return &Batched{m: m, generation: size}
}

// Next implements Adaptive; history is not used.
func (b *Batched) Next(g int, _ []Observation) ([]Proposal, bool, error) {
	lo, hi := g*b.generation, (g+1)*b.generation
	for !b.done && len(b.proposed) < hi+1 { // one ahead, to know whether g is the last
		c, ok := b.m.Propose()
		if !ok {
			b.done = true
			break
		}
		b.m.Tell(true)
		b.proposed = append(b.proposed, Proposal{Config: c})
	}
	if lo >= len(b.proposed) {
		return nil, true, nil
	}
	hi = min(hi, len(b.proposed))
	return b.proposed[lo:hi:hi], b.done && hi == len(b.proposed), nil
}
