package reports

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/optbench/optbench/reports/stats"
)

// paramDomain is the domain of one swept parameter as the figures of a
// search and its importance see it: the range of the values the sweep
// tried, or, for a parameter that is not a number, its categories.
type paramDomain struct {
	Name      string
	Numeric   bool
	Log       bool     // numeric, drawn and estimated on a log scale
	Low, High float64  // numeric: the smallest and largest value tried
	Choices   []string // categorical: the values tried, formatted, sorted
}

// searchMethods are the search methods whose configurations sample a
// domain rather than a grid: their parameters are drawn against the
// metric one by one, in parallel coordinates and by importance.
var searchMethods = []string{"random", "sobol", "tpe"}

// continuousMinValues is how many distinct values a numeric parameter
// must take for a sweep of another method (a list, a long grid) to count
// as searching a continuous domain.
const continuousMinValues = 8

// logParam reports whether a parameter is, by its name, one tuned on a
// log scale: the learning rate and ε.
func logParam(name string) bool {
	n := strings.ToLower(name)
	return n == "lr" || n == "eps" || n == "epsilon" || strings.Contains(n, "learning_rate")
}

// searchConfigs returns the configurations with a finite seed mean, in
// leaderboard order.
func (r *Report) searchConfigs() []*stats.Config {
	var out []*stats.Config
	for _, c := range r.Configs {
		if c.Usable() && finite(c.Metric.Mean) {
			out = append(out, c)
		}
	}
	return out
}

// searchDomains returns the domains of the swept parameters, the
// optimizer first when the sweep has several, when the sweep is a search
// (random, sobol, tpe) or has a numeric parameter with at least
// continuousMinValues values; nil otherwise.
func (r *Report) searchDomains(cs []*stats.Config) []paramDomain {
	names := slices.Clone(r.Swept)
	optimizers := map[string]bool{}
	for _, c := range cs {
		optimizers[c.Optimizer] = true
	}
	if len(optimizers) > 1 {
		names = append([]string{"optimizer"}, names...)
	}
	var out []paramDomain
	continuous := slices.Contains(searchMethods, searchMethod(r.Sweep.Search))
	for _, name := range names {
		d := paramDomain{Name: name, Numeric: true, Low: math.Inf(1), High: math.Inf(-1)}
		distinct := map[float64]bool{}
		var choices []string
		for _, c := range cs {
			s, ok := c.Values[name]
			if name == "optimizer" {
				s, ok = c.Optimizer, true
			}
			if !ok {
				continue
			}
			if !slices.Contains(choices, s) {
				choices = append(choices, s)
			}
			x, isNum := c.Params.Float(name)
			if name == "optimizer" || !isNum || !finite(x) {
				d.Numeric = false
				continue
			}
			distinct[x] = true
			d.Low, d.High = min(d.Low, x), max(d.High, x)
		}
		if len(choices) < 2 {
			continue
		}
		if d.Numeric {
			d.Log = d.Low > 0 && (logParam(name) || d.High/d.Low > math.Pow(10, logDecades)) // as a curve's y axis
			if len(distinct) >= continuousMinValues {
				continuous = true
			}
		} else {
			slices.SortFunc(choices, func(a, b string) int { return cmp.Compare(a, b) })
			d.Choices = choices
			d.Low, d.High = 0, float64(len(choices)-1)
		}
		out = append(out, d)
	}
	if !continuous {
		return nil
	}
	return out
}

// value returns the position of c on the domain: the parameter's value
// for a number, the index of its category otherwise; false when c does
// not have the parameter.
func (d paramDomain) value(c *stats.Config) (float64, bool) {
	if d.Name == "optimizer" {
		return float64(slices.Index(d.Choices, c.Optimizer)), true
	}
	if d.Numeric {
		x, ok := c.Params.Float(d.Name)
		return x, ok && finite(x)
	}
	s, ok := c.Values[d.Name]
	if !ok {
		return 0, false
	}
	i := slices.Index(d.Choices, s)
	return float64(i), i >= 0
}

// unit maps a value of the domain to [0, 1], on the log scale when the
// domain is logarithmic.
func (d paramDomain) unit(x float64) float64 {
	lo, hi := d.Low, d.High
	if d.Log {
		x, lo, hi = math.Log(x), math.Log(lo), math.Log(hi)
	}
	if hi <= lo {
		return 0.5
	}
	return (x - lo) / (hi - lo)
}

// searchTables are the tables of a search: its parameter importance.
func (r *Report) searchTables() []*Table {
	if t := r.ImportanceTable(); t != nil {
		return []*Table{t}
	}
	return nil
}

// searchFigures are the figures of a search: the metric against each
// parameter, then parallel coordinates.
func (r *Report) searchFigures() []*Figure {
	out := r.ParamScatters()
	if f := r.ParallelCoordinates(); f != nil {
		out = append(out, f)
	}
	return out
}
