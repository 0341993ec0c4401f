package search

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

var _ Adaptive = (*Hyperband)(nil)

// Hyperband is Li et al.'s Hyperband (JMLR 18(185), 2018, Algorithm 1)
// with epochs as the resource, synchronous: brackets of successive
// halving that trade the number of configurations against the epochs
// each gets before the first cut. With R = max_epochs/min_epochs,
//
//	s_max = ⌊log_η R⌋
//	for s = s_max … 0:
//	    n = ⌈(s_max+1)/(s+1) · η^s⌉ configurations from the sampler
//	    successive halving over them, starting at r = R·η^−s:
//	    rung i trains ⌊n·η^−i⌋ of them to r·η^i (in units of min_epochs)
//
// with the rungs' epochs those of [Halving.Rungs] (exactly r·η^i when R
// is a power of η). Each bracket is a [SuccessiveHalving]: rungs below
// max_epochs are pruned trials with the full budget's schedule, and
// survivors are retrained from their seed, so the epochs trained are
// those of "every rung retrains".
//
// The brackets run interleaved, aligned by epochs: generation k holds
// every rung that trains to r_k = Halving.Rungs()[k], bracket s's rung i
// falling in generation s_max − s + i. Proposals within a generation go
// bracket by bracket, s_max first, each cohort in the order drawn. So
// there are s_max+1 generations, not one per rung, and the trials of one
// generation train about equally long: fewer workers wait at each
// generation's barrier.
//
// The sampler is either static or a model. [NewHyperband] draws every
// bracket's configurations from a [Method] when Hyperband is made,
// bracket s_max's first. [NewHyperbandTPE] draws bracket s's when its
// first generation, s_max − s, is asked for, from [TPE] fitted on the
// observations so far at the largest rung level with enough of them: a
// BOHB-like search (Falkner et al., ICML 2018), still a pure function of
// the settings, g and the history.
type Hyperband struct {
	plan halvingPlan
}

// NewHyperband draws every bracket's configurations from sampler (as
// NewSuccessiveHalving does, distinct as proposed; a [Random] sampler
// needs samples ≥ the total of BracketTotals) and returns Hyperband over
// them.
func NewHyperband(h Halving, sampler Method) (*Hyperband, error) {
	h = h.withDefaults()
	levels, err := h.Rungs()
	if err != nil {
		return nil, fmt.Errorf("search: hyperband: %w", err)
	}
	hb := &Hyperband{plan: halvingPlan{name: "hyperband", levels: levels, eta: h.Eta, goal: h.Goal}}
	seen := map[string]bool{}
	for _, b := range brackets(levels, h.Eta) {
		drawn, err := drawConfigurations(sampler, b.Configs(), seen)
		if err != nil {
			return nil, fmt.Errorf("search: hyperband: bracket s=%d: %w", b.S, err)
		}
		hb.plan.brackets = append(hb.plan.brackets, bracketRun{start: len(levels) - 1 - b.S, n: len(drawn), configs: drawn})
	}
	return hb, nil
}

// Brackets returns the plan: brackets s = s_max … 0.
func (m *Hyperband) Brackets() []Bracket {
	out := make([]Bracket, len(m.plan.brackets))
	for b := range out {
		out[b] = m.plan.bracket(b)
	}
	return out
}

// Next proposes generation g: every rung at rung level g.
func (m *Hyperband) Next(g int, history []Observation) ([]Proposal, bool, error) {
	return m.plan.next(g, history)
}

// Brackets returns Hyperband's brackets for the given settings, s = s_max
// first. It panics when the settings are invalid; Halving.Rungs says
// why. With max_epochs 81, min_epochs 1 and η 3 it is Table 1 of Li et
// al.
func Brackets(minEpochs, maxEpochs, eta int) []Bracket {
	levels, err := Halving{MinEpochs: minEpochs, MaxEpochs: maxEpochs, Eta: eta}.Rungs()
	if err != nil {
		panic(err)
	}
	return brackets(levels, eta)
}

func brackets(levels []int, eta int) []Bracket {
	sMax := len(levels) - 1
	var out []Bracket
	for s := sMax; s >= 0; s-- {
		n := ((sMax+1)*pow(eta, s) + s) / (s + 1) // ⌈(s_max+1)·η^s/(s+1)⌉
		out = append(out, bracket(s, n, eta, levels[sMax-s:]))
	}
	return out
}

// BracketTotals returns the configurations the brackets draw and the
// epochs they train when survivors continue from their rung
// (Bracket.ContinuedEpochs) and when every rung retrains, as optbench
// does (Bracket.RetrainedEpochs).
func BracketTotals(bs []Bracket) (configs, continued, retrained int) {
	for _, b := range bs {
		configs += b.Configs()
		continued += b.ContinuedEpochs()
		retrained += b.RetrainedEpochs()
	}
	return configs, continued, retrained
}

// FormatBrackets renders brackets as a table for `optbench plan`: a row a
// bracket, a column a generation (a rung level: every cell of a column
// trains to the same epochs), each cell configurations×epochs, then the
// bracket's configurations and its epochs when survivors continue and
// when every rung retrains, and a row of totals.
func FormatBrackets(bs []Bracket) string {
	levels := 0
	for _, b := range bs {
		levels = max(levels, len(b.Rungs))
	}
	rows := [][]string{{"bracket"}}
	for k := range levels {
		rows[0] = append(rows[0], fmt.Sprintf("gen %d", k))
	}
	rows[0] = append(rows[0], "configurations", "epochs (survivors continue)", "epochs (every rung retrains)")
	for _, b := range bs {
		row := []string{fmt.Sprintf("s=%d", b.S)}
		for k := range levels {
			cell := ""
			if i := k - (levels - len(b.Rungs)); i >= 0 {
				cell = fmt.Sprintf("%d×%d", b.Rungs[i].Configs, b.Rungs[i].Epochs)
			}
			row = append(row, cell)
		}
		rows = append(rows, append(row, fmt.Sprint(b.Configs()), fmt.Sprint(b.ContinuedEpochs()), fmt.Sprint(b.RetrainedEpochs())))
	}
	configs, continued, retrained := BracketTotals(bs)
	total := append(make([]string, levels+1), fmt.Sprint(configs), fmt.Sprint(continued), fmt.Sprint(retrained))
	total[0] = "total"
	rows = append(rows, total)

	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	var sb strings.Builder
	for _, row := range rows {
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			if i == 0 {
				sb.WriteString(cell + pad) // labels left, numbers right
				continue
			}
			sb.WriteString("  " + pad + cell)
		}
		sb.WriteString("\n")
	}
	return sb.String()
}
