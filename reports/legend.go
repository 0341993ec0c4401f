package reports

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/optbench/optbench/reports/stats"
)

// legendDigits is the precision of numbers in figures: four significant
// digits (%.4g), more only where two values of a parameter would read
// the same.
const legendDigits = 4

// legendLabel names a configuration in a figure's legend: the optimizer,
// then each swept parameter as name=value in one number format
// (legendValue). Grouped by a parameter (Options.By), the label leads with
// that parameter's value, which is what tells the lines apart.
func (r *Report) legendLabel(c *stats.Config) string {
	if r.byOptimizer() {
		return r.legendLabelLedBy(c, ByOptimizer)
	}
	return r.legendLabelLedBy(c, r.Options.By)
}

// legendLabelLedBy is legendLabel led by the value of param: the
// optimizer's name (param "optimizer"), or the parameter's value followed
// by the optimizer when the sweep has several and the other swept
// parameters.
func (r *Report) legendLabelLedBy(c *stats.Config, param string) string {
	var sb strings.Builder
	if param == ByOptimizer {
		sb.WriteString(r.optimizerText(c))
	} else {
		if v, ok := c.Params[param]; ok {
			sb.WriteString(r.legendValue(param, v))
		} else {
			sb.WriteString(dash)
		}
		if r.optimizers() > 1 {
			sb.WriteString(" " + r.optimizerText(c))
		}
	}
	for _, n := range r.displayParams() {
		v, ok := c.Params[n]
		if !ok || n == param {
			continue
		}
		name := n
		if s, ok := shortNames[n]; ok {
			name = s
		}
		sb.WriteString(" " + name + "=" + r.legendValue(n, v))
	}
	return sb.String()
}

// optimizers counts the experiments and optimizers among the configurations.
func (r *Report) optimizers() int {
	seen := map[[2]string]bool{}
	for _, c := range r.Configs {
		seen[[2]string{c.Experiment, c.Optimizer}] = true
	}
	return len(seen)
}

// legendValue formats a value of param for figures: numbers with the
// fewest significant digits, from legendDigits, that keep the sweep's
// distinct values of param apart (so β1 = 0.9 reads 0.9 however it was
// computed, and two learning rates that differ in the fifth digit both
// show it); a batch size of 0, the whole training set, as "full".
func (r *Report) legendValue(param string, v any) string {
	f, ok := v.(float64)
	if !ok {
		return formatAll([]any{v})[0]
	}
	if param == "batch_size" && f == 0 {
		return "full"
	}
	return strconv.FormatFloat(f, 'g', r.digitsFor(param), 64)
}

// digitsFor returns the significant digits that tell apart every value of
// param among the report's configurations.
func (r *Report) digitsFor(param string) int {
	var vs []float64
	for _, c := range r.Configs {
		if f, ok := c.Params[param].(float64); ok {
			vs = append(vs, f)
		}
	}
	slices.Sort(vs)
	vs = slices.Compact(vs)
	for d := legendDigits; d < 17; d++ {
		if distinctAt(vs, d) {
			return d
		}
	}
	return -1
}

// distinctAt reports whether sorted, distinct vs stay distinct formatted
// with d significant digits.
func distinctAt(vs []float64, d int) bool {
	for i := 1; i < len(vs); i++ {
		if strconv.FormatFloat(vs[i-1], 'g', d, 64) == strconv.FormatFloat(vs[i], 'g', d, 64) {
			return false
		}
	}
	return true
}

// legendValues formats values of param as legendValue does, for the ticks
// of a nominal axis.
func (r *Report) legendValues(param string, vs []any) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = r.legendValue(param, v)
	}
	return out
}

// placeText is the leaderboard place of Best[k] as figures show it: "#2",
// or "#~1" where it shares #1's place for want of a significant
// difference, as the leaderboard's "~1" does.
func placeText(s stats.Standing) string {
	if s.Place <= 0 {
		return ""
	}
	if s.Tied {
		return "#~" + strconv.Itoa(s.Place)
	}
	return "#" + strconv.Itoa(s.Place)
}

// bestLabel names one of the leaderboard's configurations (r.Best) in a
// legend: its place, marked "~" where the leaderboard marks a tie, then
// legendLabel. A configuration not on the leaderboard, or a leaderboard
// of one, has no place to show.
func (r *Report) bestLabel(c *stats.Config) string {
	if k := slices.Index(r.Best, c); k >= 0 && len(r.Best) > 1 && r.bestPlaces[k].Place > 0 {
		return placeText(r.bestPlaces[k]) + " " + r.legendLabel(c)
	}
	return r.legendLabel(c)
}

// bestTextPlaced is bestText led by the configuration's leaderboard
// place, as bestLabel leads legendLabel: the line of a group in the
// sensitivity and batch-size figures.
func (r *Report) bestTextPlaced(c *stats.Config) string {
	if k := slices.Index(r.Best, c); k >= 0 && len(r.Best) > 1 && r.bestPlaces[k].Place > 0 {
		return placeText(r.bestPlaces[k]) + " " + r.bestText(c)
	}
	return r.bestText(c)
}

// configPlaceText is the place of c in the table of every configuration
// as figures show it: "#3", or "#~1" where it shares #1's place.
func (r *Report) configPlaceText(c *stats.Config) string {
	return placeText(stats.Standing{Place: r.Rank(c), Tied: r.Tied(c)})
}

// placeCaption explains the places a figure shows, in table (the
// leaderboard, or the table of every configuration), when it shows them:
// with a tie among them (tied), the tables' rule, with its test and α.
func (r *Report) placeCaption(shown, tied bool, table string) string {
	switch {
	case !shown:
		return ""
	case !tied:
		return fmt.Sprintf(" #: the place in %s.", table)
	}
	return fmt.Sprintf(" #: the place in %s; #~1 shares #1's place, %s not significantly different (%s, two-sided, α = %s).",
		table, r.Metric, testName(rankTest), strconv.FormatFloat(rankAlpha, 'g', -1, 64))
}

// bestTied reports whether the leaderboard marks a tie.
func (r *Report) bestTied() bool {
	return slices.ContainsFunc(r.bestPlaces, func(s stats.Standing) bool { return s.Tied })
}
