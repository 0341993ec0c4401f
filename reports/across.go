package reports

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/reports/stats"
	"github.com/optbench/optbench/results"
)

// Across compares optimizers across problems, one problem per sweep or
// per experiment of a sweep of several (Input.Problems): each
// problem's own leaderboard (each optimizer's best configuration by that
// sweep's metric and goal), the optimizers' ranks on every problem, and
// their performance profiles (Dolan and Moré, "Benchmarking optimization
// software with performance profiles", Math. Programming 91, 2002; the
// way AlgoPerf scores training algorithms, Dahl et al., "Benchmarking
// Neural Network Training Algorithms", arXiv:2306.07179, 2023, §4.3).
// When the sweeps share one experiment and metric, runs of search
// methods or search seeds on one problem, History also draws the best
// value so far of each method against the trial index.
//
// The performance ratio of optimizer s on problem p compares costs, the
// smaller the better, of each optimizer's best configuration (its seed
// mean):
//
//	r(p, s) = cost(p, s) / min over s' of cost(p, s')
//
// with the cost read from the sweep's metric and goal:
//
//	minimize:                      cost = value           (r = value/best)
//	maximize, a fraction in [0, 1]: cost = 1 − value       (the error: r = (1−value)/(1−best))
//	maximize, otherwise:           cost = 1/value         (r = best/value)
//
// The error scale for accuracies follows the convention of reporting
// error rates (Dolan and Moré's measures are costs; AlgoPerf's are
// times): on the accuracy scale every ratio of 0.95 against 0.99 is near
// 1 and τ in [1, 4] would tell nothing, while the error ratio, 5, says
// the one optimizer makes five times the errors of the other. A cost of
// 0 divides as 0/0 = 1 and c/0 = +∞. An optimizer without a value on a
// problem (absent from the sweep, or every seed lost) has r = +∞ (Dolan
// and Moré's r_M for a failure). A problem with a negative cost (a
// metric to minimize below zero) has no meaningful ratio: it is left out
// of the profiles with a warning, but keeps its ranks.
//
// The profile of s is the fraction of problems on which it is within a
// factor τ of the best:
//
//	ρ_s(τ) = |{p : r(p, s) ≤ τ}| / number of problems
//
// and its score, AlgoPerf's, the area under ρ_s over [1, r_max] with
// r_max = 4, normalized to [0, 1]:
//
//	B_s = 1/(r_max − 1) ∫_1^r_max ρ_s(τ) dτ
type Across struct {
	Problems   []*Report // one per problem (a sweep, or an experiment of a sweep of several), in the order given, each grouped by optimizer
	Optimizers []string  // every optimizer of any problem, by mean rank, then score, then name
	Warnings   []string  // caveats of the comparison; each problem keeps its own

	// Ratio[i][j] is the performance ratio of Optimizers[i] on
	// Problems[j]: ≥ 1, +Inf without a value, NaN when problem j is left
	// out of the profiles.
	Ratio [][]float64
	// Place[i][j] is the leaderboard place of Optimizers[i] on
	// Problems[j] (stats.Standings among the optimizers' bests: those not
	// significantly different from the best share place 1); 0 without a
	// value.
	Place [][]int
	Tied  [][]bool          // Tied[i][j]: shares place 1 for want of a significant difference
	Best  [][]*stats.Config // Best[i][j]: the configuration ranked, nil without a value
	Cost  []string          // per problem, how its cost is read from its metric, e.g. "1 − val_accuracy"

	// Sweep is the sweep of several experiments whose experiments are
	// the problems, when the comparison is one such sweep
	// (Input.Problems): its name, description and file head the page.
	// Nil for a comparison of several sweeps.
	Sweep *results.SweepRecord

	profiled int // problems with ratios
}

// ProfileMaxRatio is r_max, the largest τ of the profiles and the upper
// limit of the score's integral: AlgoPerf's value.
const ProfileMaxRatio = 4.0

// ProfileTaus are the τ at which the profile table reads the profiles.
var ProfileTaus = []float64{1, 1.1, 1.25, 1.5, 2, 3, 4}

// ratioSlack absorbs rounding in r ≤ τ: 0.3/0.1 is 2.9999999999999996.
const ratioSlack = 1e-12

// AnalyzeAcross analyses each problem's sweep (Analyze, by optimizer)
// and compares the optimizers across them. Options apply to every
// problem; Options.By must be the optimizer, the unit compared.
func AnalyzeAcross(ctx context.Context, problems []Input, opt Options) (*Across, error) {
	if opt.By != "" && opt.By != ByOptimizer {
		return nil, fmt.Errorf("%w: by %q: a comparison across problems compares optimizers", ErrOption, opt.By)
	}
	a := &Across{}
	seen := map[string]bool{}
	for _, in := range problems {
		if seen[in.Sweep.Name] {
			return nil, fmt.Errorf("%w: sweep %q listed twice", ErrOption, in.Sweep.Name)
		}
		seen[in.Sweep.Name] = true
		r, err := Analyze(ctx, in, opt)
		if err != nil {
			return nil, fmt.Errorf("sweep %s: %w", in.Sweep.Name, err)
		}
		a.Problems = append(a.Problems, r)
	}
	a.compare()
	return a, nil
}

// compare fills in the optimizers, their places and ratios.
func (a *Across) compare() {
	index := map[string]int{}
	for _, r := range a.Problems {
		for _, c := range r.Configs {
			if _, ok := index[c.Optimizer]; !ok {
				index[c.Optimizer] = len(a.Optimizers)
				a.Optimizers = append(a.Optimizers, c.Optimizer)
			}
		}
	}
	n, m := len(a.Optimizers), len(a.Problems)
	a.Ratio, a.Place, a.Tied, a.Best = make([][]float64, n), make([][]int, n), make([][]bool, n), make([][]*stats.Config, n)
	for i := range n {
		a.Ratio[i] = make([]float64, m)
		a.Place[i] = make([]int, m)
		a.Tied[i] = make([]bool, m)
		a.Best[i] = make([]*stats.Config, m)
	}
	a.Cost = make([]string, m)
	for j, r := range a.Problems {
		if len(r.Best) == 0 {
			a.warn("%s: no optimizer has a value of %s", r.Sweep.Name, r.Metric)
		}
		for k, c := range r.Best {
			i := index[c.Optimizer]
			a.Best[i][j] = c
			a.Place[i][j] = r.bestPlaces[k].Place
			a.Tied[i][j] = r.bestPlaces[k].Tied
		}
		cost, how := costOf(r.Metric, r.Goal)
		a.Cost[j] = how
		costs := make([]float64, n)
		best := math.Inf(1)
		negative := false
		for i := range n {
			costs[i] = math.Inf(1)
			if c := a.Best[i][j]; c != nil {
				costs[i] = cost(c.Metric.Mean)
				negative = negative || costs[i] < 0 || math.IsNaN(costs[i])
				best = min(best, costs[i])
			}
		}
		if negative {
			a.warn("%s: %s is negative for some optimizer, so ratios to the best mean nothing: left out of the performance profiles",
				r.Sweep.Name, how)
		}
		for i := range n {
			switch {
			case negative || math.IsInf(best, 1):
				a.Ratio[i][j] = math.NaN()
			case math.IsInf(costs[i], 1):
				a.Ratio[i][j] = math.Inf(1)
			case best == 0 && costs[i] == 0:
				a.Ratio[i][j] = 1
			default:
				a.Ratio[i][j] = costs[i] / best
			}
		}
		if !negative && !math.IsInf(best, 1) {
			a.profiled++
		}
	}
	a.order()
}

// order sorts the optimizers by mean rank, then score, then name.
func (a *Across) order() {
	idx := make([]int, len(a.Optimizers))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		return cmp.Or(cmp.Compare(a.meanRank(x), a.meanRank(y)), -cmp.Compare(a.Score(x), a.Score(y)),
			strings.Compare(a.Optimizers[x], a.Optimizers[y]))
	})
	opts, ratio, place, tied, best := make([]string, len(idx)), make([][]float64, len(idx)), make([][]int, len(idx)),
		make([][]bool, len(idx)), make([][]*stats.Config, len(idx))
	for to, from := range idx {
		opts[to], ratio[to], place[to], tied[to], best[to] = a.Optimizers[from], a.Ratio[from], a.Place[from], a.Tied[from], a.Best[from]
	}
	a.Optimizers, a.Ratio, a.Place, a.Tied, a.Best = opts, ratio, place, tied, best
}

// costOf returns how a problem's cost, smaller better and ≥ 0 where a
// ratio means something, is read from its metric; see Across.
func costOf(name string, g stats.Goal) (func(float64) float64, string) {
	if g == stats.Minimize {
		return func(v float64) float64 { return v }, name
	}
	if def, ok := metric.Lookup(name); ok && def.Range == metric.Fraction {
		return func(v float64) float64 { return 1 - v }, "1 − " + name
	}
	return func(v float64) float64 {
		if v <= 0 {
			return math.NaN()
		}
		return 1 / v
	}, "1/" + name
}

func (a *Across) warn(format string, args ...any) {
	a.Warnings = append(a.Warnings, fmt.Sprintf(format, args...))
}

// MeanRank is the mean place of Optimizers[i] over the problems, a
// problem without its value counting as last: the number of optimizers.
func (a *Across) MeanRank(i int) float64 { return a.meanRank(i) }

func (a *Across) meanRank(i int) float64 {
	if len(a.Problems) == 0 {
		return math.NaN()
	}
	sum := 0
	for _, p := range a.Place[i] {
		if p == 0 {
			p = len(a.Optimizers)
		}
		sum += p
	}
	return float64(sum) / float64(len(a.Problems))
}

// Profile is ρ_s(τ) of Optimizers[i]: the fraction of the problems in
// the profiles on which its ratio is at most τ; NaN when no problem is.
func (a *Across) Profile(i int, tau float64) float64 {
	if a.profiled == 0 {
		return math.NaN()
	}
	k := 0
	for _, r := range a.Ratio[i] {
		if r <= tau*(1+ratioSlack) {
			k++
		}
	}
	return float64(k) / float64(a.profiled)
}

// Score is AlgoPerf's benchmark score of Optimizers[i], the normalized
// area under its profile over [1, ProfileMaxRatio]: each problem within
// r_max contributes (r_max − r)/(r_max − 1), averaged over problems.
func (a *Across) Score(i int) float64 {
	if a.profiled == 0 {
		return math.NaN()
	}
	sum := 0.0
	for _, r := range a.Ratio[i] {
		if r <= ProfileMaxRatio*(1+ratioSlack) {
			sum += max(ProfileMaxRatio-r, 0) / (ProfileMaxRatio - 1)
		}
	}
	return sum / float64(a.profiled)
}

// Leaderboards returns each problem's leaderboard, named
// leaderboard-SWEEP and titled with the sweep.
func (a *Across) Leaderboards() []*Table {
	var out []*Table
	for _, r := range a.Problems {
		t := r.Leaderboard()
		t.Name = "leaderboard-" + r.Sweep.Name
		t.Title = r.Sweep.Name + ": " + t.Title
		out = append(out, t)
	}
	return out
}

// Tables returns every table of the comparison: the problems'
// leaderboards, the rank table and the profile table.
func (a *Across) Tables() []*Table {
	return append(a.Leaderboards(), a.RankTable(), a.ProfileTable())
}

// problemColumns names a column per problem, by its sweep.
func (a *Across) problemColumns() []Column {
	cols := make([]Column, len(a.Problems))
	for j, r := range a.Problems {
		cols[j] = Column{Name: r.Sweep.Name, Keys: []string{r.Sweep.Name}, Numeric: true}
	}
	return cols
}

// RankTable shows each optimizer's place on every problem and its mean.
func (a *Across) RankTable() *Table {
	t := &Table{Name: "ranks", Title: "Ranks across problems: each optimizer's best configuration on each problem"}
	t.Columns = append([]Column{{Name: "optimizer", Keys: []string{"optimizer"}}}, a.problemColumns()...)
	t.Columns = append(t.Columns,
		Column{Name: "mean rank", Keys: []string{"mean_rank"}, Numeric: true},
		Column{Name: "problems", Keys: []string{"problems"}, Numeric: true})
	for i, name := range a.Optimizers {
		row := []Cell{{Text: name, Values: []any{name}}}
		with := 0
		for j := range a.Problems {
			row = append(row, rankCell(a.Place[i][j], a.Tied[i][j]))
			if a.Place[i][j] > 0 {
				with++
			}
		}
		mr := a.meanRank(i)
		row = append(row,
			Cell{Text: strconv.FormatFloat(mr, 'f', 2, 64), Values: []any{mr}},
			Cell{Text: fmt.Sprintf("%d/%d", with, len(a.Problems)), Values: []any{with}})
		t.Rows = append(t.Rows, row)
	}
	t.Notes = append(t.Notes, a.Warnings...)
	var metrics []string
	for _, r := range a.Problems {
		metrics = append(metrics, fmt.Sprintf("%s by %s (%s)", r.Sweep.Name, r.Metric, r.Goal))
	}
	t.Notes = append(t.Notes,
		"ranked on each problem as its leaderboard ranks: "+strings.Join(metrics, ", "),
		fmt.Sprintf("#: a best configuration with a diverged, pruned or failed seed ranks below those without; "+
			"~ shares #1's rank: not significantly different (%s, two-sided, α = %s, ≥ 2 seeds each)",
			testName(rankTest), strconv.FormatFloat(rankAlpha, 'g', -1, 64)),
		fmt.Sprintf("mean rank: over the %d problems, a problem where the optimizer has no value (—) counting as place %d, last",
			len(a.Problems), len(a.Optimizers)))
	return t
}

// ProfileTable reads the performance profiles at ProfileTaus, with
// AlgoPerf's score.
func (a *Across) ProfileTable() *Table {
	t := &Table{Name: "performance-profile",
		Title: fmt.Sprintf("Performance profiles: fraction of the %d problems on which each optimizer is within a factor τ of the best",
			a.profiled)}
	t.Columns = []Column{{Name: "optimizer", Keys: []string{"optimizer"}}}
	for _, tau := range ProfileTaus {
		s := strconv.FormatFloat(tau, 'g', -1, 64)
		t.Columns = append(t.Columns, Column{Name: "τ=" + s, Keys: []string{"rho_" + s}, Numeric: true})
	}
	t.Columns = append(t.Columns, Column{Name: "score", Keys: []string{"score"}, Numeric: true})
	for i, name := range a.Optimizers {
		row := []Cell{{Text: name, Values: []any{name}}}
		for _, tau := range ProfileTaus {
			row = append(row, fractionCell(a.Profile(i, tau)))
		}
		row = append(row, fractionCell(a.Score(i)))
		t.Rows = append(t.Rows, row)
	}
	t.Notes = append(t.Notes, a.profileNotes()...)
	return t
}

func fractionCell(v float64) Cell {
	if math.IsNaN(v) {
		return Cell{Text: dash, Values: []any{v}}
	}
	return Cell{Text: strconv.FormatFloat(v, 'f', 3, 64), Values: []any{v}}
}

// profileNotes define the ratio and score with their sources.
func (a *Across) profileNotes() []string {
	var costs []string
	for j, r := range a.Problems {
		costs = append(costs, r.Sweep.Name+": "+a.Cost[j])
	}
	return []string{
		"ratio r = cost / best optimizer's cost on the problem, each optimizer's best configuration (seed mean); " +
			"cost = the metric to minimize, 1 − a fraction to maximize (the error), 1/value for other metrics to maximize; " +
			"no value: r = ∞. Costs: " + strings.Join(costs, ", "),
		"ratios compare seed means as they are: unlike the ranks, they do not share a place for want of a significant difference",
		"τ=x: fraction of problems with r ≤ x (Dolan & Moré, Math. Programming 91:201–213, 2002); " +
			fmt.Sprintf("score: area under the profile over τ in [1, %g] divided by %g (AlgoPerf, Dahl et al. 2023, arXiv:2306.07179)",
				ProfileMaxRatio, ProfileMaxRatio-1),
	}
}
