package search

import (
	"fmt"
	"slices"

	"github.com/optbench/optbench/engine"
)

var _ Adaptive = (*SuccessiveHalving)(nil)

// Halving is what successive halving and [Hyperband] share: the epochs of
// the rungs, the rate at which cohorts shrink, and which way the
// objective is better.
type Halving struct {
	MinEpochs int  // epochs of the lowest rung; default (0) 1
	MaxEpochs int  // epochs of the last rung, the full budget; required
	Eta       int  // η: a rung keeps the best ⌊n/η⌋ of its n configurations, the next trains η times longer; default (0) 3
	Goal      Goal // which way Observation.Value is better; default Minimize
}

func (h Halving) withDefaults() Halving {
	if h.MinEpochs == 0 {
		h.MinEpochs = 1
	}
	if h.Eta == 0 {
		h.Eta = 3
	}
	return h
}

// Rungs returns the epochs of the rung levels, lowest first:
//
//	r_k = min_epochs·η^k   for k < s
//	r_s = max_epochs       where s = max{k : min_epochs·η^k ≤ max_epochs}
//
// When max_epochs/min_epochs is a power of η, r_k = min_epochs·η^k
// throughout and these are Li et al.'s r·η^i; otherwise the last step,
// to max_epochs, is wider than η (Optuna's successive halving likewise
// puts its rungs at min_resource·η^k, a trial completing at its full
// budget).
func (h Halving) Rungs() ([]int, error) {
	h = h.withDefaults()
	switch {
	case h.MinEpochs < 1:
		return nil, fmt.Errorf("search: successive halving: min_epochs %d; want at least 1", h.MinEpochs)
	case h.MaxEpochs < h.MinEpochs:
		return nil, fmt.Errorf("search: successive halving: max_epochs %d; want at least min_epochs %d", h.MaxEpochs, h.MinEpochs)
	case h.Eta < 2:
		return nil, fmt.Errorf("search: successive halving: eta %d; want at least 2", h.Eta)
	}
	levels := []int{h.MinEpochs}
	for r := h.MinEpochs; r <= h.MaxEpochs/h.Eta; { // r·η ≤ max without overflow
		r *= h.Eta
		levels = append(levels, r)
	}
	levels[len(levels)-1] = h.MaxEpochs
	return levels, nil
}

// Bracket returns the plan of successive halving over configs
// configurations: a [Bracket] whose rung i holds ⌊configs/η^i⌋ of them at
// the epochs of rung level i. configs 0 means η^s, the fewest that leave
// one configuration at max_epochs (Hyperband's most aggressive bracket).
func (h Halving) Bracket(configs int) (Bracket, error) {
	h = h.withDefaults()
	levels, err := h.Rungs()
	if err != nil {
		return Bracket{}, err
	}
	s := len(levels) - 1
	least := pow(h.Eta, s)
	if configs == 0 {
		configs = least
	}
	if configs < least {
		return Bracket{}, fmt.Errorf("search: successive halving: %d configurations; want at least η^%d = %d, "+
			"so that one reaches max_epochs %d", configs, s, least, h.MaxEpochs)
	}
	return bracket(s, configs, h.Eta, levels[len(levels)-1-s:]), nil
}

// Bracket is one run of successive halving: its rungs in order, each a
// number of configurations trained to a number of epochs.
type Bracket struct {
	S     int // Hyperband's s: the bracket has s+1 rungs
	Rungs []Rung
}

// Rung is one step of a bracket.
type Rung struct {
	Configs int // configurations trained at this rung
	Epochs  int // to this many epochs
}

// bracket returns s+1 rungs of ⌊n/η^i⌋ configurations at the given epochs.
// The floors nest, ⌊⌊n/η^i⌋/η⌋ = ⌊n/η^(i+1)⌋, so each rung's cohort is
// the best ⌊n_i/η⌋ of the one before.
func bracket(s, n, eta int, epochs []int) Bracket {
	b := Bracket{S: s}
	for i := 0; i <= s; i++ {
		b.Rungs = append(b.Rungs, Rung{Configs: n / pow(eta, i), Epochs: epochs[i]})
	}
	return b
}

// Configs is the number of configurations the bracket draws: its first
// rung's.
func (b Bracket) Configs() int {
	if len(b.Rungs) == 0 {
		return 0
	}
	return b.Rungs[0].Configs
}

// ContinuedEpochs is the epochs the bracket would train if survivors
// continued from their rung, each rung adding only the epochs beyond the
// one before: Σ n_i·(r_i − r_(i−1)).
func (b Bracket) ContinuedEpochs() int {
	total, prev := 0, 0
	for _, r := range b.Rungs {
		total += r.Configs * (r.Epochs - prev)
		prev = r.Epochs
	}
	return total
}

// RetrainedEpochs is the epochs the bracket trains when every rung
// retrains its survivors from their seed, as optbench does: Σ n_i·r_i.
func (b Bracket) RetrainedEpochs() int {
	total := 0
	for _, r := range b.Rungs {
		total += r.Configs * r.Epochs
	}
	return total
}

// SuccessiveHalving is synchronous successive halving (Jamieson and
// Talwalkar, AISTATS 2016; the inner loop of Li et al., JMLR 2018,
// Algorithm 1) with epochs as the resource. It draws n configurations
// from a sampler and trains them in rungs, one rung a generation:
//
//	rung i (generation i):  n_i = ⌊n/η^i⌋ configurations to r_i epochs (Halving.Rungs)
//	survivors:              the best ⌊n_i/η⌋ by Observation.Value
//
// A rung decides once its whole cohort is in the history, so the
// survivors do not depend on which trial finished first. Survivors are
// the best by value in the goal's direction, NaN worst, ties going to the
// earlier proposal; they are proposed in the order they were drawn.
//
// Each rung below the last is proposed with Epochs = max_epochs and
// PruneAt = r_i: it trains with the full budget's schedule and is stopped
// as pruned after r_i epochs, so its curve is bit-identical to the first
// r_i epochs of training to max_epochs (TestContinueToLargerBudget in
// experiments checks this for every built-in experiment). The last rung is proposed with
// Epochs = max_epochs and PruneAt = 0. A survivor is retrained from its
// seed at the next rung rather than resumed (engine.Trial.Continue), so
// the epochs actually trained are those of "every rung retrains"
// (Bracket.RetrainedEpochs), not the Σ n_i·(r_i − r_(i−1)) of the paper.
type SuccessiveHalving struct {
	plan halvingPlan
}

// NewSuccessiveHalving draws configs configurations from sampler (0: η^s,
// see Halving.Bracket) and returns successive halving over them. The
// sampler is run at once, Propose then Tell, in order; a configuration
// identical as proposed to one drawn before is told not kept, so a
// sampler such as [Random] draws another (repeats that only appear once
// an experiment fills its defaults are not detected). It fails when the
// sampler proposes fewer distinct configurations than needed: a [Random]
// sampler needs samples ≥ configs.
func NewSuccessiveHalving(h Halving, configs int, sampler Method) (*SuccessiveHalving, error) {
	h = h.withDefaults()
	b, err := h.Bracket(configs)
	if err != nil {
		return nil, err
	}
	levels, _ := h.Rungs()
	drawn, err := drawConfigurations(sampler, b.Configs(), nil)
	if err != nil {
		return nil, fmt.Errorf("search: successive halving: %w", err)
	}
	return &SuccessiveHalving{plan: halvingPlan{
		name: "successive halving", levels: levels, eta: h.Eta, goal: h.Goal,
		brackets: []bracketRun{{start: 0, n: len(drawn), configs: drawn}},
	}}, nil
}

// Bracket returns the plan: rung sizes and epochs.
func (m *SuccessiveHalving) Bracket() Bracket { return m.plan.bracket(0) }

// Next proposes rung g, or says the search is done after the last rung.
func (m *SuccessiveHalving) Next(g int, history []Observation) ([]Proposal, bool, error) {
	return m.plan.next(g, history)
}

// drawConfigurations runs sampler for n configurations distinct as
// proposed, skipping those whose canonical form is in seen (and adding
// to it).
func drawConfigurations(sampler Method, n int, seen map[string]bool) ([]Configuration, error) {
	if seen == nil {
		seen = map[string]bool{}
	}
	out := make([]Configuration, 0, n)
	for len(out) < n {
		c, ok := sampler.Propose()
		if !ok {
			return nil, fmt.Errorf("the sampler proposed %d distinct configurations; want %d", len(out), n)
		}
		canonical := string(engine.Trial{Params: c.Params}.Canonical())
		if seen[canonical] {
			sampler.Tell(false)
			continue
		}
		seen[canonical] = true
		out = append(out, c)
		sampler.Tell(true)
	}
	return out, nil
}

// halvingPlan runs brackets of successive halving as generations. Rung
// level k (epochs levels[k]) is generation k: a bracket starting at level
// start trains its rung i in generation start+i, and every bracket's last
// rung is the last level. Generation k proposes, bracket by bracket in
// order, each active bracket's cohort in the order its configurations
// were drawn.
type halvingPlan struct {
	name     string // for errors
	levels   []int  // epochs of each rung level
	eta      int
	goal     Goal
	brackets []bracketRun
	// draw, when set, draws the configurations of the brackets whose
	// configs are nil, when their first generation is asked for: bracket
	// b's n from history, the observations of the generations before its
	// start, distinct from those in seen (the configurations of the
	// brackets drawn before it) and added to seen. It must be a pure
	// function of its arguments.
	draw func(b int, history []Observation, seen map[string]bool) ([]Configuration, error)
}

type bracketRun struct {
	start   int             // the level, and generation, of its first rung
	n       int             // configurations it draws
	configs []Configuration // nil: drawn by halvingPlan.draw
}

func (p *halvingPlan) bracket(b int) Bracket {
	br := p.brackets[b]
	s := len(p.levels) - 1 - br.start
	return bracket(s, br.n, p.eta, p.levels[br.start:])
}

// proposal is configuration c at rung level k.
func (p *halvingPlan) proposal(c Configuration, k int) Proposal {
	last := len(p.levels) - 1
	pr := Proposal{Config: c, Epochs: p.levels[last]}
	if k < last {
		pr.PruneAt = p.levels[k]
	}
	return pr
}

// next replays generations 0 … g−1 from history, choosing each rung's
// survivors from its observations (and drawing the configurations of the
// brackets that start there, with draw), and returns generation g. It
// keeps nothing between calls, so generation g is a function of the
// settings, the drawn configurations and history alone.
func (p *halvingPlan) next(g int, history []Observation) ([]Proposal, bool, error) {
	last := len(p.levels) - 1
	if g > last {
		return nil, true, nil
	}
	configs := make([][]Configuration, len(p.brackets))
	cohorts := make([][]int, len(p.brackets)) // indices into each bracket's configs
	seen := map[string]bool{}
	used := 0
	for k := 0; ; k++ {
		var props []Proposal
		for b, br := range p.brackets {
			if k < br.start {
				continue
			}
			if k == br.start {
				configs[b] = br.configs
				if configs[b] == nil {
					drawn, err := p.draw(b, history[:used], seen)
					if err != nil {
						return nil, false, fmt.Errorf("search: %s: generation %d: bracket s=%d: %w",
							p.name, k, last-br.start, err)
					}
					configs[b] = drawn
				}
				cohorts[b] = make([]int, len(configs[b]))
				for i := range cohorts[b] {
					cohorts[b][i] = i
				}
			}
			for _, c := range cohorts[b] {
				props = append(props, p.proposal(configs[b][c], k))
			}
		}
		if k == g {
			if used != len(history) {
				return nil, false, fmt.Errorf("search: %s: generation %d: history holds %d observations; want %d",
					p.name, g, len(history), used)
			}
			return props, g == last, nil
		}
		if used+len(props) > len(history) {
			return nil, false, fmt.Errorf("search: %s: generation %d: history holds %d observations; generation %d alone needs %d more",
				p.name, g, len(history), k, used+len(props)-len(history))
		}
		obs := history[used : used+len(props)]
		for i, o := range obs {
			if o.Index != used+i || o.Proposal.Epochs != props[i].Epochs || o.Proposal.PruneAt != props[i].PruneAt {
				return nil, false, fmt.Errorf("search: %s: observation %d (index %d, epochs %d, prune_at %d) is not proposal %d of generation %d (epochs %d, prune_at %d)",
					p.name, used+i, o.Index, o.Proposal.Epochs, o.Proposal.PruneAt, used+i, k, props[i].Epochs, props[i].PruneAt)
			}
		}
		used += len(props)
		at := 0
		for b, br := range p.brackets {
			if k < br.start {
				continue
			}
			n := len(cohorts[b])
			cohorts[b] = survivors(cohorts[b], obs[at:at+n], n/p.eta, p.goal)
			at += n
		}
	}
}

// survivors returns the best keep members of cohort by their
// observations' values (NaN worst, ties to the earlier), in cohort order.
func survivors(cohort []int, obs []Observation, keep int, goal Goal) []int {
	rank := make([]int, len(cohort)) // positions in cohort, best first
	for i := range rank {
		rank[i] = i
	}
	slices.SortStableFunc(rank, func(a, b int) int {
		switch va, vb := obs[a].Value, obs[b].Value; {
		case goal.Better(va, vb):
			return -1
		case goal.Better(vb, va):
			return 1
		}
		return 0
	})
	kept := rank[:keep]
	slices.Sort(kept)
	out := make([]int, keep)
	for i, pos := range kept {
		out[i] = cohort[pos]
	}
	return out
}

// pow returns b^e for e ≥ 0.
func pow(b, e int) int {
	out := 1
	for range e {
		out *= b
	}
	return out
}
