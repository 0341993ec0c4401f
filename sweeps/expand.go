package sweeps

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/experiments"
	"github.com/optbench/optbench/search"
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
	trainSize map[string]trainSize // data settings → the training set's size
	model     map[string]error     // data settings and hidden → the model check's result
}

type trainSize struct {
	n   int
	err error
}

func newExpansion() *expansion {
	return &expansion{seen: map[string]string{}, trainSize: map[string]trainSize{}, model: map[string]error{}}
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

// grid checks a grid sweep's axes and size, then validates every
// configuration search.Grid proposes: branches in order, the last axis
// fastest.
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
	var kept []*branch // the space's branches
	for _, b := range p.branches {
		if !b.broken {
			kept = append(kept, b)
		}
	}
	space := spaceOf(kept)
	g, err := search.NewGrid(space)
	if err != nil {
		c.errs.at(c.where(), "%v", err) // axes has reported every form a grid cannot take
		return
	}
	x := newExpansion()
	for {
		cfg, ok := g.Propose()
		if !ok {
			break
		}
		g.Tell(c.finish(x, kept[cfg.Branch].candidate(cfg, c.where()), true))
	}
	c.sweep.space = space
	c.sweep.configs = x.configs
}

// random checks a random sweep's axes and size, then validates the
// configurations search.Random draws from the "search" stream of the
// search seed (an optimizer, then a schedule, then each axis in file
// order) until it has samples distinct ones; a repeat is drawn again.
func (c *checker) random(p *plan) {
	c.drawn(p, func(space *search.Space) (search.Method, error) {
		return search.NewRandom(space, c.sweep.samples, c.sweep.searchSeed)
	})
}

// adaptive checks the space of a search that proposes from results (tpe):
// its configurations are not known before the trials run, so the space is
// checked by drawing random configurations of it (the model's proposals
// lie in the same space), and the sweep keeps the space, not a list.
func (c *checker) adaptive(p *plan) {
	c.axes(p, true)
	for _, b := range p.branches {
		if b.broken {
			return
		}
	}
	drawn := spaceOf(p.branches)
	n := min(c.sweep.samples, 4*len(p.branches)+8)
	m, err := search.NewRandom(drawn, n, c.sweep.searchSeed)
	if err != nil {
		c.errs.at(c.searchKey, "%v", err)
		return
	}
	if _, ok := c.drawAll(p, m); ok {
		c.sweep.space = drawn
	}
}

// drawAll runs m to the end, checking and keeping each configuration it
// proposes (a repeat is told not kept and drawn again); ok is false when a
// configuration had a problem, reported at its place.
func (c *checker) drawAll(p *plan, m search.Method) (x *expansion, ok bool) {
	x = newExpansion()
	before := c.errs.count()
	for {
		cfg, more := m.Propose()
		if !more {
			return x, true
		}
		kept := c.finish(x, p.branches[cfg.Branch].candidate(cfg, c.searchKey), false)
		if !kept && c.errs.count() > before {
			return x, false
		}
		m.Tell(kept)
	}
}

// drawn expands a search that draws samples configurations with the method
// newMethod makes (random, sobol), redrawing repeats.
func (c *checker) drawn(p *plan, newMethod func(*search.Space) (search.Method, error)) {
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
	drawn := spaceOf(p.branches)
	m, err := newMethod(drawn)
	if err != nil {
		c.errs.at(c.searchKey, "%v", err) // the plan's branches are every optimizer with every schedule
		return
	}
	x, ok := c.drawAll(p, m)
	if !ok {
		return
	}
	if len(x.configs) < s.samples {
		c.errs.at(c.samplesVal, "search: drew only %d distinct configurations of %d; lower samples", len(x.configs), s.samples)
		return
	}
	s.space = drawn
	s.configs = x.configs
}

// list reads configs: each a mapping of flat parameter names, over the
// shared values of parameters. Each valid config is one branch of the
// space, and search.List proposes them in order.
func (c *checker) list(p *plan, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		c.errs.at(n, "configs: want a non-empty list of configurations (mappings of parameter names to values), got %s", describe(n))
		return
	}
	if len(n.Content) > MaxConfigurations {
		c.errs.at(n, "configs: %d configurations; at most %d per sweep", len(n.Content), MaxConfigurations)
		return
	}
	shared, sharedOpt, sharedSched := c.shared(p)
	x := newExpansion()
	var cands []candidate
	space := &search.Space{}
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
		listed := search.Branch{Optimizer: opt.name, Schedule: sched.name}
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
			listed.Dimensions = append(listed.Dimensions, search.Dimension{Name: e.name, Domain: domainOf([]any{v})})
		}
		given := map[string]*yaml.Node{}
		for name, at := range cand.origins {
			given[name] = at
		}
		if !c.required(b, given, cn, cn) || !ok {
			continue
		}
		cands = append(cands, cand)
		space.Branches = append(space.Branches, listed)
	}
	l, err := search.NewList(space)
	if err != nil {
		c.errs.at(n, "%v", err) // single has given every parameter one value
		return
	}
	for {
		cfg, ok := l.Propose()
		if !ok {
			break
		}
		// The candidate as written: the proposal with where each value
		// stands and which of optimizer and schedule were written out.
		l.Tell(c.finish(x, cands[cfg.Branch], true))
	}
	c.sweep.space = space
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
	case p.Kind == experiments.ArchitectureKind && e.val.Kind == yaml.MappingNode &&
		!slices.ContainsFunc(forms, func(f string) bool { return hasKey(e.val, f) }):
		// One architecture written as a mapping: {name: cnn, channels: [8, 16]}.
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
	if !c.exp.TakesOptimizer() {
		return true // an objective to evaluate (branin): no optimizer, no schedule
	}
	if _, err := experiments.NewSchedule(p); err != nil {
		at := cand.origins["schedule"]
		if at == nil {
			at = cand.where
		}
		c.errs.at(at, "%s%v", prefix(cand.what), err)
		return false
	}
	return true
}

// dataFits counts the configuration's training set (experiments compute
// it from the settings; only a csv experiment's file is read, so that a
// file that cannot be read or parsed fails before anything runs), rejects
// a batch larger than the training set, and checks the model as a trial
// builds it (its parameter count), without generating any data. Each
// distinct data setting is counted once.
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
	modelID := id.String() + engine.FormatValue(p["hidden"]) + "\x00" + engine.FormatValue(p["architecture"]) +
		"\x00" + engine.FormatValue(p["batch_size"])
	modelErr, known := x.model[modelID]
	if !known {
		modelErr = c.exp.CheckModel(p)
		x.model[modelID] = modelErr
	}
	if modelErr != nil {
		c.configError(cand, "", modelErr)
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

// candidate is the configuration cfg of branch b as a grid or random
// search proposed it, with where each value was written: the point's own
// node, or the form's for a drawn or generated value.
func (b *branch) candidate(cfg search.Configuration, where *yaml.Node) candidate {
	cand := b.start(where)
	for i, a := range b.axes {
		cand.given[a.name] = cfg.Params[a.name]
		if a.dist != nil {
			cand.origins[a.name] = a.dist.at
		} else {
			cand.origins[a.name] = a.points[cfg.Index[i]].at
		}
	}
	return cand
}
