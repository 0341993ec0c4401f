package sweeps

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/rng"
	"github.com/optbench/optbench/engine/schedule"
	"github.com/optbench/optbench/experiments"
)

// candidate is one configuration before resolution, with where each of its
// values was written.
type candidate struct {
	given   engine.Params
	origins map[string]*yaml.Node
	where   *yaml.Node // for problems of the configuration as a whole
	what    string     // names the configuration in messages ("config 3")
	b       *branch
}

// expansion accumulates resolved configurations and what is needed to
// check them: the training-set size per data setting, and the keys seen.
type expansion struct {
	configs   []engine.Params
	seen      map[string]string    // canonical configuration → its description
	trainSize map[string]trainSize // data settings → what loading them gave
}

type trainSize struct {
	n   int
	err error
}

func newExpansion() *expansion {
	return &expansion{seen: map[string]string{}, trainSize: map[string]trainSize{}}
}

func (b *branch) start(where *yaml.Node) candidate {
	cand := candidate{given: engine.Params{}, origins: map[string]*yaml.Node{}, where: where, b: b}
	if b.optimizer.node != nil {
		cand.given["optimizer"] = b.optimizer.name
		cand.origins["optimizer"] = b.optimizer.node
	}
	if b.schedule.node != nil {
		cand.given["schedule"] = b.schedule.name
		cand.origins["schedule"] = b.schedule.node
	}
	return cand
}

// grid expands every branch's axes, the last axis fastest.
func (c *checker) grid(p *plan) {
	c.axes(p, false)
	total := 0
	for _, b := range p.branches {
		n := 1
		for _, a := range b.axes {
			n = mulCap(n, a.size())
		}
		total = min(total+n, MaxConfigurations+1)
	}
	if total > MaxConfigurations {
		c.errs.at(c.where(), "the grid has more than %d configurations; split the sweep or use search: random", MaxConfigurations)
		return
	}
	x := newExpansion()
	for _, b := range p.branches {
		if b.broken {
			continue
		}
		idx := make([]int, len(b.axes))
		for {
			cand := b.start(c.where())
			for i, a := range b.axes {
				pt := a.points[idx[i]]
				cand.given[a.name] = pt.value
				cand.origins[a.name] = pt.at
			}
			c.finish(x, cand, true)
			i := len(idx) - 1
			for ; i >= 0; i-- {
				idx[i]++
				if idx[i] < b.axes[i].size() {
					break
				}
				idx[i] = 0
			}
			if i < 0 {
				break
			}
		}
	}
	c.sweep.configs = x.configs
}

// random draws samples distinct configurations from the "search" stream of
// the search seed: an optimizer, then a schedule, then each axis in file
// order. A draw that repeats an earlier configuration is drawn again.
func (c *checker) random(p *plan) {
	c.axes(p, true)
	s := c.sweep
	if s.samples == 0 {
		return
	}
	for _, b := range p.branches {
		if b.broken {
			return // draws pick branches at random; a broken one would shift the stream
		}
	}
	space := 0 // distinct configurations when every axis is discrete; -1 when unbounded
	for _, b := range p.branches {
		n := 1
		for _, a := range b.axes {
			if a.dist != nil {
				n = -1
				break
			}
			n = mulCap(n, a.size())
		}
		if n < 0 {
			space = -1
			break
		}
		space = min(space+n, MaxConfigurations+1)
	}
	if space >= 0 && s.samples > space {
		c.errs.at(c.samplesVal, "search: samples %d is more than the %d distinct configurations the parameters allow; "+
			"lower samples or use search: {method: grid}", s.samples, space)
		return
	}
	r := rng.New(rng.Derive(s.searchSeed, "search"))
	x := newExpansion()
	nOpt, nSched := len(p.optimizers), len(p.schedules)
	before := c.errs.count()
	for attempt := 0; len(x.configs) < s.samples && attempt < 100*s.samples+1000; attempt++ {
		oi, si := 0, 0
		if nOpt > 1 {
			oi = int(r.Interval(uint64(nOpt - 1)))
		}
		if nSched > 1 {
			si = int(r.Interval(uint64(nSched - 1)))
		}
		b := p.branches[oi*nSched+si]
		cand := b.start(c.searchKey)
		for _, a := range b.axes {
			cand.given[a.name], cand.origins[a.name] = draw(r, a)
		}
		if !c.finish(x, cand, false) && c.errs.count() > before {
			return
		}
	}
	if len(x.configs) < s.samples {
		c.errs.at(c.samplesVal, "search: drew only %d distinct configurations of %d; lower samples", len(x.configs), s.samples)
		return
	}
	s.configs = x.configs
}

// draw takes one value of an axis.
func draw(r *rng.RandomState, a axis) (any, *yaml.Node) {
	d := a.dist
	if d == nil {
		i := 0
		if len(a.points) > 1 {
			i = int(r.Interval(uint64(len(a.points) - 1)))
		}
		return a.points[i].value, a.points[i].at
	}
	switch d.form {
	case "uniform":
		return r.Uniform(d.lo, d.hi), d.at
	case "log_uniform":
		return math.Exp(r.Uniform(math.Log(d.lo), math.Log(d.hi))), d.at
	case "int_uniform":
		return d.lo + float64(r.Interval(uint64(d.hi-d.lo))), d.at
	}
	k := r.Interval(uint64(d.n - 1)) // quantized
	return clean(d.lo + float64(k)*d.q), d.at
}

// list reads configs: each a mapping of flat parameter names, over the
// shared values of parameters.
func (c *checker) list(p *plan, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		c.errs.at(n, "configs: want a non-empty list of configurations (mappings of parameter names to values), got %s", describe(n))
		return
	}
	shared, sharedOpt, sharedSched := c.shared(p)
	x := newExpansion()
	var cands []candidate
	for i, cn := range n.Content {
		cn = deref(cn)
		what := fmt.Sprintf("config %d", i+1)
		if cn.Kind != yaml.MappingNode || len(cn.Content) == 0 {
			c.errs.at(cn, "%s: want a mapping of parameter names to values, got %s", what, describe(cn))
			continue
		}
		own := c.entries(cn, what, nil)
		opt, sched := sharedOpt, sharedSched
		for _, e := range own {
			switch e.name {
			case "optimizer":
				opt = &choice{name: e.val.Value, node: e.val}
				if !c.choiceName("optimizer", e.val, c.names.optimizers) {
					opt = nil
				}
			case "schedule":
				sched = &choice{name: e.val.Value, node: e.val}
				if !c.choiceName("schedule", e.val, c.names.schedules) {
					sched = nil
				}
			}
		}
		if opt == nil || sched == nil {
			continue
		}
		b := &branch{optimizer: opt, schedule: sched, params: map[string]experiments.Param{}}
		ps, err := c.exp.Params(opt.name, sched.name)
		if err != nil {
			c.errs.at(cn, "%s: %v", what, err)
			continue
		}
		for _, q := range ps {
			b.params[q.Name] = q
		}
		cand := b.start(cn)
		cand.what = what
		overridden := map[string]bool{}
		for _, e := range own {
			overridden[e.name] = true
		}
		var values []entry
		for _, e := range shared {
			if !overridden[e.name] {
				values = append(values, e)
			}
		}
		for _, e := range own {
			if e.name != "optimizer" && e.name != "schedule" {
				values = append(values, e)
			}
		}
		ok := true
		for _, e := range values {
			q, applies := b.params[e.name]
			if !applies {
				msg := c.notApplicable(e.name, []*branch{b}, false)
				if !slices.Contains(own, e) {
					msg += fmt.Sprintf(" (%s at line %d inherits it from parameters)", what, cn.Line)
				}
				c.errs.at(e.key, "%s", msg)
				ok = false
				continue
			}
			v, good := c.single(e, q)
			if !good {
				ok = false
				continue
			}
			cand.given[e.name] = v
			cand.origins[e.name] = e.val
		}
		given := map[string]*yaml.Node{}
		for name, at := range cand.origins {
			given[name] = at
		}
		if !c.required(b, given, cn, cn) || !ok {
			continue
		}
		cands = append(cands, cand)
	}
	for _, cand := range cands {
		c.finish(x, cand, true)
	}
	c.sweep.configs = x.configs
}

// shared checks the parameters of a list sweep, which give one value each
// for every config to start from.
func (c *checker) shared(p *plan) (values []entry, opt, sched *choice) {
	def := func(name string) *choice { return &choice{name: name} }
	opt, sched = def(c.names.defOptimizer), def(c.names.defSchedule)
	for _, s := range p.slots {
		switch s.section {
		case "":
			values = append(values, s.entry)
		case "optimizer", "schedule":
			chs := choicesOf(p, s.section)
			if len(chs) != 1 || len(chs[0].settings) > 0 {
				c.errs.at(s.key, "with search: list, parameters may name one %s and no settings under it; "+
					"write the variations as configs", s.section)
				continue
			}
			if s.section == "optimizer" {
				opt = &chs[0]
			} else {
				sched = &chs[0]
			}
		}
	}
	return values, opt, sched
}

func (c *checker) choiceName(kind string, n *yaml.Node, valid []string) bool {
	if !isString(n) {
		c.errs.at(n, "%s: want a name, got %s", kind, describe(n))
		return false
	}
	if !contains(valid, n.Value) {
		c.errs.at(n, "%s", unknownName(kind, n.Value, valid))
		return false
	}
	return true
}

// single reads the one value a list sweep gives a parameter.
func (c *checker) single(e entry, p experiments.Param) (any, bool) {
	switch {
	case isNull(e.val):
		c.errs.at(e.key, "%s: no value", e.name)
		return nil, false
	case e.val.Kind == yaml.MappingNode || (e.val.Kind == yaml.SequenceNode && !isList(p)):
		c.errs.at(e.val, "%s: with search: list, each parameter has one value, got %s; "+
			"list each variation as its own config, or use search: {method: grid}", e.name, describe(e.val))
		return nil, false
	}
	return c.value(p, e.val)
}

// finish resolves a configuration through the experiment, checks what
// only the whole configuration shows (the schedule's own rules, the batch
// against the training set), and keeps it unless it repeats an earlier
// one. Repeats are problems when report is set; random search draws again.
func (c *checker) finish(x *expansion, cand candidate, report bool) bool {
	resolved, err := c.exp.Resolve(cand.given)
	if err != nil {
		c.configError(cand, "", err)
		return false
	}
	if !c.buildSchedule(cand, resolved) || !c.dataFits(x, cand, resolved) {
		return false
	}
	key := string(engine.Trial{Experiment: c.exp.Name, Params: resolved}.Canonical())
	desc := describeConfig(cand)
	if prev, dup := x.seen[key]; dup {
		if report {
			c.errs.at(cand.where, "%sconfiguration %s repeats %s", prefix(cand.what), desc, prev)
		}
		return false
	}
	if cand.what != "" {
		desc = fmt.Sprintf("%s (line %d)", cand.what, cand.where.Line)
	}
	x.seen[key] = desc
	x.configs = append(x.configs, resolved)
	return true
}

// configError reports a problem of a configuration: where the parameter
// it names was written when it is an experiments.ParamError (a data file
// that cannot be read, with the file's own line and column for a CSV
// error), else at the configuration with context before the message.
func (c *checker) configError(cand candidate, context string, err error) {
	var pe *experiments.ParamError
	if errors.As(err, &pe) {
		if at := cand.origins[pe.Param]; at != nil {
			c.errs.at(at, "%v", pe)
			return
		}
		context = ""
	}
	c.errs.at(cand.where, "%s%s%v", prefix(cand.what), context, err)
}

func prefix(what string) string {
	if what == "" {
		return ""
	}
	return what + ": "
}

// describeConfig lists the written values of a configuration, sorted by name.
func describeConfig(cand candidate) string {
	parts := make([]string, 0, len(cand.given))
	for _, name := range cand.given.Names() {
		parts = append(parts, name+"="+engine.FormatValue(cand.given[name]))
	}
	return "{" + strings.Join(parts, " ") + "}"
}

// buildSchedule builds the configuration's schedule as a trial will, so
// that rules between settings (cosine's eta_min against lr, timings a
// schedule does not support, piecewise lists) fail before anything runs.
func (c *checker) buildSchedule(cand candidate, p engine.Params) bool {
	name, _ := p.String("schedule")
	specs, err := schedule.Specs(name)
	if err != nil {
		c.errs.at(cand.where, "%s%v", prefix(cand.what), err)
		return false
	}
	timing, _ := p.String("timing")
	set := schedule.Settings{Values: map[string]float64{}, Lists: map[string][]float64{}, Timing: timing}
	for _, s := range specs {
		set.Values[s.Name], _ = p.Float(s.Name)
	}
	for _, list := range []string{"boundaries", "factors", "values"} {
		if l, ok := p.List(list); ok {
			set.Lists[list] = l
		}
	}
	lr, _ := p.Float("lr")
	if _, err := schedule.New(name, lr, set); err != nil {
		at := cand.origins["schedule"]
		if at == nil {
			at = cand.where
		}
		c.errs.at(at, "%s%v", prefix(cand.what), err)
		return false
	}
	return true
}

// dataFits loads the configuration's data, so that data that cannot be
// read or parsed (a csv experiment's file) fails before anything runs,
// and rejects a batch larger than the training set. Each distinct data
// setting is loaded once.
func (c *checker) dataFits(x *expansion, cand candidate, p engine.Params) bool {
	if c.exp.Function {
		return true
	}
	var id strings.Builder
	for _, d := range c.exp.DataParams {
		id.WriteString(engine.FormatValue(p[d.Name]) + "\x00")
	}
	size, known := x.trainSize[id.String()]
	if !known {
		size.n, size.err = c.exp.TrainSize(p)
		x.trainSize[id.String()] = size
	}
	if size.err != nil {
		c.configError(cand, "data settings: ", size.err)
		return false
	}
	batch, ok := p.Float("batch_size")
	if !ok || batch == 0 || batch <= float64(size.n) {
		return true
	}
	if at := cand.origins["batch_size"]; at != nil {
		c.errs.at(at, "batch_size %s is larger than the training set (%d examples); use full for the whole set",
			engine.FormatValue(batch), size.n)
	} else {
		c.errs.at(cand.where, "%sthe default batch_size %s is larger than the training set (%d examples); set batch_size",
			prefix(cand.what), engine.FormatValue(batch), size.n)
	}
	return false
}

// where is the position of problems that concern the whole grid.
func (c *checker) where() *yaml.Node {
	if c.paramsKey != nil {
		return c.paramsKey
	}
	return c.expNode
}

// mulCap multiplies counts, saturating above MaxConfigurations.
func mulCap(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > (MaxConfigurations+1)/b {
		return MaxConfigurations + 1
	}
	return min(a*b, MaxConfigurations+1)
}

func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// joinAnd writes "a", "a and b", "a, b and c".
func joinAnd(list []string) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " and " + list[len(list)-1]
}

func format12(v float64) string            { return strconv.FormatFloat(v, 'g', 12, 64) }
func parseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }
