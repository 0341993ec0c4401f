package sweeps

import (
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/experiments"
	"github.com/optbench/optbench/search"
)

// universe knows, for one experiment, every parameter name and where it
// applies, so that a misplaced setting gets a message that says where it
// belongs.
type universe struct {
	optimizers, schedules []string            // registered names, sorted
	defOptimizer          string              // the experiment's default optimizer
	defSchedule           string              // and schedule
	accepted              []string            // every name valid in some branch, sorted
	common                map[string]bool     // common parameters, including those a 2-D function drops
	optOwners             map[string][]string // setting → optimizers that have it
	schedOwners           map[string][]string // setting → schedules that have it
	dataOwners            map[string][]string // data setting → experiments that have it
	modelOwners           map[string][]string // model setting (architecture) → experiments that have it
}

func newUniverse(e *experiments.Experiment) *universe {
	u := &universe{common: map[string]bool{}, optOwners: map[string][]string{},
		schedOwners: map[string][]string{}, dataOwners: map[string][]string{}, modelOwners: map[string][]string{}}
	for _, p := range experiments.CommonParams() {
		u.common[p.Name] = true
		switch p.Name {
		case "optimizer":
			u.optimizers = p.Choices
		case "schedule":
			u.schedules = p.Choices
		}
	}
	seen := map[string]bool{}
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			u.accepted = append(u.accepted, name)
		}
	}
	if len(u.optimizers) > 0 && len(u.schedules) > 0 {
		if base, err := e.Params(u.optimizers[0], u.schedules[0]); err == nil {
			for _, p := range base {
				add(p.Name)
				switch p.Name {
				case "optimizer":
					u.defOptimizer, _ = p.Default.(string)
				case "schedule":
					u.defSchedule, _ = p.Default.(string)
				}
			}
		}
	}
	for _, o := range u.optimizers {
		ps, _ := experiments.OptimizerParams(o)
		for _, p := range ps {
			u.optOwners[p.Name] = append(u.optOwners[p.Name], o)
			add(p.Name)
		}
	}
	for _, s := range u.schedules {
		ps, _ := experiments.ScheduleParams(s)
		for _, p := range ps {
			u.schedOwners[p.Name] = append(u.schedOwners[p.Name], s)
			add(p.Name)
		}
	}
	for _, x := range experiments.All() {
		for _, p := range x.DataParams {
			u.dataOwners[p.Name] = append(u.dataOwners[p.Name], x.Name)
		}
		for _, p := range x.ModelParams {
			u.modelOwners[p.Name] = append(u.modelOwners[p.Name], x.Name)
		}
	}
	slices.Sort(u.accepted)
	return u
}

// choice is one optimizer or schedule of a sweep, with the settings given
// under it.
type choice struct {
	name     string
	node     *yaml.Node // the name in the file; nil for the experiment's default
	settings []entry
}

// slot is one entry of parameters in file order: a setting, or the place
// where the optimizer or schedule section stands (its settings become grid
// axes there).
type slot struct {
	entry
	section string // "optimizer", "schedule", or "" for a setting
}

// plan is the parameters section.
type plan struct {
	slots      []slot
	optimizers []choice
	schedules  []choice
	branches   []*branch // optimizers × schedules, optimizer outermost
}

// branch is one optimizer with one schedule: the parameters valid there
// and the axes that vary.
type branch struct {
	optimizer, schedule *choice
	params              map[string]experiments.Param
	axes                []axis
	broken              bool // a setting has no usable value; the branch is not expanded
}

func (b *branch) String() string {
	return fmt.Sprintf("optimizer %s with schedule %s", b.optimizer.name, b.schedule.name)
}

// axis is one parameter's values in a branch.
type axis struct {
	name   string
	key    *yaml.Node
	points []point             // the values of a fixed value, list, choices, pow2 or space
	dist   *distribution       // set for uniform, log_uniform, int_uniform, quantized
	pow2   *search.PowersOfTwo // set for a pow2 form whose every point is valid
}

type point struct {
	value any
	at    *yaml.Node // where the value was written (the form for generated points)
}

// distribution is a continuous (or unbounded-looking) form that only
// random search can use.
type distribution struct {
	form      string
	lo, hi, q float64
	n         int // points of a quantized form
	at        *yaml.Node
}

// size is the number of values a grid takes from the axis.
func (a axis) size() int { return len(a.points) }

// parameters reads the parameters section into a plan of branches. An
// unknown optimizer or schedule is reported and left out; the plan is nil
// only when a section names none that is usable, since every later check
// depends on them.
func (c *checker) parameters(n *yaml.Node) *plan {
	p := &plan{}
	u := c.names
	ok := true
	if !isNull(n) {
		for _, e := range c.entries(n, "parameters", nil) {
			switch e.name {
			case "optimizer", "schedule":
				valid := u.optimizers
				if e.name == "schedule" {
					valid = u.schedules
				}
				choices := c.section(e, valid)
				ok = ok && len(choices) > 0
				if e.name == "optimizer" {
					p.optimizers = choices
				} else {
					p.schedules = choices
				}
				p.slots = append(p.slots, slot{e, e.name})
			default:
				p.slots = append(p.slots, slot{entry: e})
			}
		}
	}
	if !ok {
		return nil
	}
	if p.optimizers == nil {
		p.optimizers = []choice{{name: u.defOptimizer}}
	}
	if p.schedules == nil {
		p.schedules = []choice{{name: u.defSchedule}}
	}
	for i := range p.optimizers {
		for j := range p.schedules {
			b := &branch{optimizer: &p.optimizers[i], schedule: &p.schedules[j], params: map[string]experiments.Param{}}
			ps, err := c.exp.Params(b.optimizer.name, b.schedule.name)
			if err != nil {
				c.errs.at(c.paramsKey, "%v", err)
				return nil
			}
			for _, q := range ps {
				b.params[q.Name] = q
			}
			p.branches = append(p.branches, b)
		}
	}
	return p
}

// section reads an optimizer or schedule section: a name, a list of names,
// or a mapping from names to their settings. It returns the usable
// choices in file order.
func (c *checker) section(e entry, valid []string) []choice {
	kind := e.name
	var out []choice
	first := map[string]*yaml.Node{}
	add := func(name *yaml.Node, settings []entry) {
		switch {
		case !isString(name):
			c.errs.at(name, "%s: want a name, got %s", kind, describe(name))
		case !contains(valid, name.Value):
			c.errs.at(name, "%s", unknownName(kind, name.Value, valid))
		case first[name.Value] != nil:
			c.errs.at(name, "%s: %s is listed twice (first at %s)", kind, name.Value, pos(first[name.Value]))
		default:
			first[name.Value] = name
			out = append(out, choice{name: name.Value, node: name, settings: settings})
		}
	}
	v := e.val
	switch v.Kind {
	case yaml.ScalarNode:
		if isNull(v) {
			c.errs.at(e.key, "%s: no value; give a name, a list of names, or a mapping from names to settings", kind)
			return nil
		}
		add(v, nil)
	case yaml.SequenceNode:
		if len(v.Content) == 0 {
			c.errs.at(v, "%s: empty list; name at least one %s", kind, kind)
			return nil
		}
		for _, el := range v.Content {
			add(deref(el), nil)
		}
	case yaml.MappingNode:
		if len(v.Content) == 0 {
			c.errs.at(v, "%s: empty mapping; name at least one %s", kind, kind)
			return nil
		}
		for _, f := range c.entries(v, kind, nil) {
			var settings []entry
			switch {
			case isNull(f.val):
			case f.val.Kind == yaml.MappingNode:
				for _, s := range c.entries(f.val, kind+" "+f.name, nil) {
					if s.name == "optimizer" || s.name == "schedule" {
						c.errs.at(s.key, "%s %s: %s cannot be set inside a %s section", kind, f.name, s.name, kind)
						continue
					}
					settings = append(settings, s)
				}
			default:
				c.errs.at(f.val, "%s %s: want a mapping of its settings ({} for the defaults), got %s",
					kind, f.name, describe(f.val))
				continue
			}
			add(f.key, settings)
		}
	default:
		c.errs.at(v, "%s: want a name, a list of names, or a mapping from names to settings, got %s", kind, describe(v))
	}
	return out
}

// placed is a setting and the branches it covers: every branch for an
// entry of parameters, one optimizer's or schedule's branches for a
// setting written under it.
type placed struct {
	entry
	branches []*branch
}

// placements lists the settings of a plan with the branches each covers.
func (p *plan) placements() []placed {
	var out []placed
	for _, s := range p.slots {
		switch s.section {
		case "":
			out = append(out, placed{s.entry, p.branches})
		case "optimizer", "schedule":
			for i := range choicesOf(p, s.section) {
				ch := &choicesOf(p, s.section)[i]
				var covered []*branch
				for _, b := range p.branches {
					if b.optimizer == ch || b.schedule == ch {
						covered = append(covered, b)
					}
				}
				for _, e := range ch.settings {
					out = append(out, placed{e, covered})
				}
			}
		}
	}
	return out
}

func choicesOf(p *plan, section string) []choice {
	if section == "optimizer" {
		return p.optimizers
	}
	return p.schedules
}

// notApplicable explains why name does not apply in the failing branches
// and where it does. hint adds "give it under …" for sectioned files.
func (c *checker) notApplicable(name string, failing []*branch, hint bool) string {
	u := c.names
	if owners := u.optOwners[name]; len(owners) > 0 {
		var not []string
		for _, b := range failing {
			not = appendUnique(not, b.optimizer.name)
		}
		msg := fmt.Sprintf("%s does not apply to optimizer %s; it is a setting of optimizer %s",
			name, joinAnd(not), joinAnd(owners))
		if hint {
			msg += fmt.Sprintf("; give it under optimizer: {%s: {%s: …}}", owners[0], name)
		}
		return msg
	}
	if owners := u.schedOwners[name]; len(owners) > 0 {
		var not []string
		for _, b := range failing {
			not = appendUnique(not, b.schedule.name)
		}
		msg := fmt.Sprintf("%s does not apply to schedule %s; it is a setting of schedule %s",
			name, joinAnd(not), joinAnd(owners))
		if hint {
			msg += fmt.Sprintf("; give it under schedule: {%s: {%s: …}}", owners[0], name)
		}
		return msg
	}
	if u.common[name] && c.exp.Function {
		return fmt.Sprintf("%s does not apply to experiment %s, a 2-D test function; it takes optimizer, lr, "+
			"schedule, timing and the optimizer's and schedule's settings", name, c.exp.Name)
	}
	if owners := u.dataOwners[name]; len(owners) > 0 {
		return fmt.Sprintf("%s is not a parameter of experiment %s; it is a data setting of %s",
			name, c.exp.Name, joinAnd(owners))
	}
	if owners := u.modelOwners[name]; len(owners) > 0 {
		return fmt.Sprintf("%s is not a parameter of experiment %s; it is a model setting of the image experiments %s",
			name, c.exp.Name, joinAnd(owners))
	}
	return fmt.Sprintf("unknown parameter %q for experiment %s%s", name, c.exp.Name, suggest(name, u.accepted))
}

// axes builds each branch's axes from the settings that apply to it, in
// file order. Settings that do not apply everywhere they stand are
// reported once and left out.
func (c *checker) axes(p *plan, random bool) {
	dropped := map[*yaml.Node]bool{}
	for _, pl := range p.placements() {
		var failing []*branch
		for _, b := range pl.branches {
			if _, ok := b.params[pl.name]; !ok {
				failing = append(failing, b)
			}
		}
		if len(failing) > 0 {
			c.errs.at(pl.key, "%s", c.notApplicable(pl.name, failing, true))
			dropped[pl.key] = true
		}
	}
	for _, b := range p.branches {
		given := map[string]*yaml.Node{}
		use := func(e entry) {
			if dropped[e.key] {
				return
			}
			if prev, dup := given[e.name]; dup {
				c.errs.at(e.key, "%s is given twice for %s (first at %s)", e.name, b, pos(prev))
				return
			}
			given[e.name] = e.key
			a, ok := c.axis(e, b.params[e.name], random)
			if !ok {
				b.broken = true
				return
			}
			b.axes = append(b.axes, a)
		}
		for _, s := range p.slots {
			switch s.section {
			case "optimizer":
				for _, e := range b.optimizer.settings {
					use(e)
				}
			case "schedule":
				for _, e := range b.schedule.settings {
					use(e)
				}
			default:
				use(s.entry)
			}
		}
		if !c.required(b, given, c.sectionNode(b), c.where()) {
			b.broken = true
		}
	}
}

// sectionNode is where problems of a whole branch are reported: its
// schedule's name, its optimizer's, or the parameters key.
func (c *checker) sectionNode(b *branch) *yaml.Node {
	switch {
	case b.schedule.node != nil:
		return b.schedule.node
	case b.optimizer.node != nil:
		return b.optimizer.node
	case c.paramsKey != nil:
		return c.paramsKey
	}
	return c.expNode
}

// required reports parameters of b that have no usable default and are
// not given (cosine's t_max, csv's data_file): an optimizer's or
// schedule's at at, the experiment's own at expAt, so that a grid over
// several optimizers reports a missing data file once.
func (c *checker) required(b *branch, given map[string]*yaml.Node, at, expAt *yaml.Node) bool {
	ok := true
	for _, name := range slices.Sorted(maps.Keys(b.params)) {
		p := b.params[name]
		optionalList := (p.Kind == experiments.List || p.Kind == experiments.IntList) && p.Default == nil
		if given[name] != nil || optionalList || p.Check(defaultOf(p)) == nil {
			continue
		}
		owner, where := "experiment "+c.exp.Name, expAt
		switch {
		case contains(c.names.schedOwners[name], b.schedule.name):
			owner, where = "schedule "+b.schedule.name, at
		case contains(c.names.optOwners[name], b.optimizer.name):
			owner, where = "optimizer "+b.optimizer.name, at
		}
		c.errs.at(where, "%s needs %s (it has no default)", owner, name)
		ok = false
	}
	return ok
}

func defaultOf(p experiments.Param) any {
	if p.Kind == experiments.Number || p.Kind == experiments.Integer {
		return p.Spec.Default
	}
	return p.Default
}

var forms = []string{"choices", "int_uniform", "lin_space", "log_space", "log_uniform", "pow2", "quantized", "uniform"}

// axis reads one parameter's values: a fixed value, a list, or a form.
func (c *checker) axis(e entry, p experiments.Param, random bool) (axis, bool) {
	a := axis{name: e.name, key: e.key}
	v := e.val
	switch {
	case isNull(v):
		c.errs.at(e.key, "%s: no value", e.name)
		return a, false
	case p.Kind == experiments.Text && v.Kind != yaml.ScalarNode:
		c.errs.at(v, "%s: want text, got %s; %s takes one value per sweep", e.name, describe(v), e.name)
		return a, false
	case v.Kind == yaml.MappingNode && p.Kind == experiments.ArchitectureKind && !slices.ContainsFunc(forms, func(f string) bool { return hasKey(v, f) }):
		return c.points(a, []*yaml.Node{v}, p) // one architecture: {name: cnn, channels: [8, 16]}
	case v.Kind == yaml.MappingNode:
		return c.form(a, v, p, random)
	case v.Kind == yaml.SequenceNode && !isList(p):
		if len(v.Content) == 0 {
			c.errs.at(v, "%s: empty list of values", e.name)
			return a, false
		}
		if !c.short(a.name, v) {
			return a, false
		}
		return c.points(a, v.Content, p)
	}
	return c.points(a, []*yaml.Node{v}, p)
}

// short rejects a list of more values than a sweep may have
// configurations, before any is converted: a list of 10⁶ values took
// 10 s and 559 MB to convert only to be rejected by the count.
func (c *checker) short(name string, list *yaml.Node) bool {
	if len(list.Content) > MaxConfigurations {
		c.errs.at(list, "%s: %d values; a sweep has at most %d configurations", name, len(list.Content), MaxConfigurations)
		return false
	}
	return true
}

// points converts and checks listed values, dropping bad and repeated
// ones. The axis is usable when some value is left.
func (c *checker) points(a axis, nodes []*yaml.Node, p experiments.Param) (axis, bool) {
	first := map[string]*yaml.Node{}
	for _, n := range nodes {
		n = deref(n)
		v, good := c.value(p, n)
		if !good {
			continue
		}
		id := fmt.Sprintf("%T %s", v, engine.FormatValue(v))
		if prev, dup := first[id]; dup {
			c.errs.at(n, "%s: %s is listed twice (first at %s)", a.name, engine.FormatValue(v), pos(prev))
			continue
		}
		first[id] = n
		a.points = append(a.points, point{v, n})
	}
	return a, len(a.points) > 0
}

// path makes a file path written in the sweep absolute: a relative one
// is relative to the sweep file's directory, so that trials name the same
// file whatever directory optbench later runs in.
func (c *checker) path(s string) (string, error) {
	if !filepath.IsAbs(s) {
		s = filepath.Join(filepath.Dir(c.sweep.File), s)
	}
	return filepath.Abs(s)
}

func isList(p experiments.Param) bool {
	return p.Kind == experiments.IntList || p.Kind == experiments.List
}

// value converts one written value to the parameter's type and checks it
// against the parameter's range or choices.
func (c *checker) value(p experiments.Param, n *yaml.Node) (any, bool) {
	if p.Kind == experiments.ArchitectureKind {
		return c.architecture(p, n)
	}
	v, err := convert(p, n)
	if err != nil {
		c.errs.at(n, "%v", err)
		return nil, false
	}
	if s, isText := v.(string); isText && p.Kind == experiments.Text && p.Path && s != "" {
		if v, err = c.path(s); err != nil {
			c.errs.at(n, "%s: %v", p.Name, err)
			return nil, false
		}
	}
	if s, isName := v.(string); isName && p.Kind == experiments.Name && !contains(p.Choices, s) {
		c.errs.at(n, "%s: %s", p.Name, unknownName("value", s, p.Choices))
		return nil, false
	}
	if err := p.Check(v); err != nil {
		c.errs.at(n, "%v", err)
		return nil, false
	}
	return v, true
}

func convert(p experiments.Param, n *yaml.Node) (any, error) {
	switch p.Kind {
	case experiments.Number, experiments.Integer:
		if p.Name == "batch_size" && isString(n) && n.Value == "full" {
			return 0.0, nil // the whole training set
		}
		if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" && p.Spec.Min == 0 && p.Spec.Max == 1 && p.Spec.Integer {
			if n.Value == "true" {
				return 1.0, nil
			}
			return 0.0, nil
		}
		f, err := number(n)
		if err != nil {
			if p.Name == "batch_size" && isString(n) {
				return nil, fmt.Errorf("batch_size: want a number or full, got %s", describe(n))
			}
			return nil, fmt.Errorf("%s: %v", p.Name, err)
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%s: want a finite number, got %s", p.Name, n.Value)
		}
		return f, nil
	case experiments.Name:
		if !isString(n) && !(n.Kind == yaml.ScalarNode && contains(p.Choices, n.Value)) { // clamp_log: -100
			return nil, fmt.Errorf("%s: want a name, got %s", p.Name, describe(n))
		}
		return n.Value, nil
	case experiments.Text:
		if !isString(n) {
			quote := ""
			if n.Kind == yaml.ScalarNode && !isNull(n) {
				quote = fmt.Sprintf(" (to mean the text, quote it: %q)", n.Value)
			}
			return nil, fmt.Errorf("%s: want text, got %s%s", p.Name, describe(n), quote)
		}
		return n.Value, nil
	case experiments.Switch:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			return nil, fmt.Errorf("%s: want true or false, got %s", p.Name, describe(n))
		}
		return n.Value == "true", nil
	case experiments.IntList, experiments.List:
		if n.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("%s: want a list of numbers such as [16, 16], got %s", p.Name, describe(n))
		}
		if len(n.Content) > MaxPoints {
			return nil, fmt.Errorf("%s: a list of %d numbers; at most %d", p.Name, len(n.Content), MaxPoints)
		}
		out := make([]float64, 0, len(n.Content))
		for _, el := range n.Content {
			f, err := number(deref(el))
			if err != nil {
				return nil, fmt.Errorf("%s: %v", p.Name, err)
			}
			out = append(out, f)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s: unsupported kind %v", p.Name, p.Kind)
}

// form reads a mapping with one form key: {log_space: [1e-4, 1e-1, 7]}.
func (c *checker) form(a axis, m *yaml.Node, p experiments.Param, random bool) (axis, bool) {
	es := c.entriesOf(m, a.name, "form", forms)
	if len(es) != 1 {
		if len(m.Content) == 0 || len(es) > 1 {
			c.errs.at(m, "%s: give exactly one form: %s", a.name, strings.Join(forms, ", "))
		}
		return a, false
	}
	f := es[0]
	name, args := f.name, f.val
	if name == "choices" {
		if args.Kind != yaml.SequenceNode || len(args.Content) == 0 {
			c.errs.at(args, "%s: choices: want a non-empty list of values, got %s", a.name, describe(args))
			return a, false
		}
		if !c.short(a.name, args) {
			return a, false
		}
		return c.points(a, args.Content, p)
	}
	switch {
	case isList(p):
		c.errs.at(f.key, "%s takes one list as its value; to sweep it write {choices: [[16], [16, 16]]}", a.name)
		return a, false
	case p.Kind == experiments.ArchitectureKind:
		c.errs.at(f.key, "%s takes architectures; list the ones to sweep ([mlp, {name: cnn, channels: [8, 16]}]) instead of %s",
			a.name, name)
		return a, false
	case p.Kind == experiments.Name || p.Kind == experiments.Switch:
		c.errs.at(f.key, "%s takes %s; list the values to sweep ([a, b]) instead of %s",
			a.name, map[bool]string{true: "names", false: "true or false"}[p.Kind == experiments.Name], name)
		return a, false
	}
	want := 2
	shape := "[lo, hi]"
	switch name {
	case "quantized":
		want, shape = 3, "[lo, hi, q]"
	case "log_space", "lin_space":
		want, shape = 3, "[lo, hi, n]"
	}
	if args.Kind != yaml.SequenceNode || len(args.Content) != want {
		c.errs.at(args, "%s: %s takes %s, got %s", a.name, name, shape, describe(args))
		return a, false
	}
	nums := make([]float64, want)
	for i, el := range args.Content {
		el = deref(el)
		v, err := number(el)
		if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
			err = fmt.Errorf("want a finite number, got %s", el.Value)
		}
		if err != nil {
			c.errs.at(el, "%s: %s: %v", a.name, name, err)
			return a, false
		}
		nums[i] = v
	}
	lo, hi := nums[0], nums[1]
	switch name {
	case "uniform", "log_uniform", "int_uniform", "quantized":
		if !random {
			c.errs.at(f.key, "%s: %s draws at random and needs search: {method: random}; in a grid use "+
				"log_space or lin_space, or list the points", a.name, name)
			return a, false
		}
		if (name == "uniform" || name == "log_uniform") && p.Kind == experiments.Integer {
			c.errs.at(f.key, "%s is a whole number; draw it with int_uniform, quantized or pow2", a.name)
			return a, false
		}
		return c.distribution(a, f, nums, p)
	case "pow2":
		return c.pow2(a, f, lo, hi, p)
	}
	// log_space and lin_space
	n, err := whole(deref(args.Content[2]), 1, MaxPoints)
	if err != nil {
		c.errs.at(args.Content[2], "%s: %s: n (the number of points) must be 1 to %d: %v", a.name, name, MaxPoints, err)
		return a, false
	}
	if name == "log_space" && (lo <= 0 || hi <= 0) {
		msg := fmt.Sprintf("%s: log_space bounds must be positive", a.name)
		if lo == math.Trunc(lo) && hi == math.Trunc(hi) && lo < 0 && hi < 0 {
			msg += fmt.Sprintf("; they are values, not exponents: did you mean [%s, %s, %d]?",
				format(math.Pow(10, lo)), format(math.Pow(10, hi)), n)
		}
		c.errs.at(args, "%s", msg)
		return a, false
	}
	var vals []float64
	for i := range n {
		t := 0.0
		if n > 1 {
			t = float64(i) / float64(n-1)
		}
		var v float64
		switch {
		case i == 0:
			v = lo
		case i == n-1:
			v = hi
		case name == "log_space":
			v = clean(math.Exp(math.Log(lo) + t*(math.Log(hi)-math.Log(lo))))
		default:
			v = clean(lo + t*(hi-lo))
		}
		vals = append(vals, v)
	}
	return c.generated(a, f.val, vals, p)
}

// generated checks points computed from a form; problems are reported at
// the form.
func (c *checker) generated(a axis, at *yaml.Node, vals []float64, p experiments.Param) (axis, bool) {
	seen := map[float64]bool{}
	for _, v := range vals {
		if err := p.Check(v); err != nil {
			c.errs.at(at, "%v", err)
			continue
		}
		if seen[v] {
			c.errs.at(at, "%s: %s appears twice; widen the bounds or take fewer points", a.name, format(v))
			continue
		}
		seen[v] = true
		a.points = append(a.points, point{v, at})
	}
	return a, len(a.points) > 0
}

// clean rounds a computed grid point to 12 significant digits, so that
// lin_space [0, 1, 11] gives 0.3 rather than 0.30000000000000004 and
// the point prints and keys as the researcher would write it.
func clean(v float64) float64 {
	r, err := parseFloat(format12(v))
	if err != nil {
		return v
	}
	return r
}

// pow2 expands {pow2: [lo, hi]}: the powers of two from lo to hi.
func (c *checker) pow2(a axis, f entry, lo, hi float64, p experiments.Param) (axis, bool) {
	bounds := f.val.Content
	if lo == math.Trunc(lo) && hi == math.Trunc(hi) && lo >= 0 && hi <= 30 && lo <= hi &&
		(!isPow2(lo) || !isPow2(hi)) {
		c.errs.at(f.val, "%s: pow2 bounds are batch sizes, not exponents: did you mean [%s, %s]?",
			a.name, format(math.Exp2(lo)), format(math.Exp2(hi)))
		return a, false
	}
	ok := true
	for i, b := range []float64{lo, hi} {
		if !isPow2(b) {
			c.errs.at(deref(bounds[i]), "%s: pow2 bound %s is not a power of two%s", a.name, format(b), nearestPow2(b))
			ok = false
		}
	}
	if !ok {
		return a, false
	}
	if lo > hi {
		c.errs.at(f.val, "%s: pow2 bounds [%s, %s] are in the wrong order", a.name, format(lo), format(hi))
		return a, false
	}
	var vals []float64
	for v := lo; v <= hi; v *= 2 {
		vals = append(vals, v)
	}
	a, ok = c.generated(a, f.val, vals, p)
	if len(a.points) == len(vals) {
		a.pow2 = &search.PowersOfTwo{Lo: lo, Hi: hi}
	}
	return a, ok
}

func isPow2(v float64) bool {
	if v < 1 || v > 1<<62 || v != math.Trunc(v) {
		return false
	}
	n := uint64(v)
	return n&(n-1) == 0
}

func nearestPow2(v float64) string {
	if v < 1 || v > 1<<62 || math.IsNaN(v) {
		return " (1, 2, 4, 8, …)"
	}
	below := math.Exp2(math.Floor(math.Log2(v)))
	return fmt.Sprintf(" (nearest: %s or %s)", format(below), format(2*below))
}

// distribution reads uniform, log_uniform, int_uniform and quantized.
func (c *checker) distribution(a axis, f entry, nums []float64, p experiments.Param) (axis, bool) {
	d := &distribution{form: f.name, lo: nums[0], hi: nums[1], at: f.val}
	if d.lo > d.hi || (d.lo == d.hi && f.name != "int_uniform" && f.name != "quantized") {
		c.errs.at(f.val, "%s: %s needs lo < hi, got [%s, %s]", a.name, f.name, format(d.lo), format(d.hi))
		return a, false
	}
	switch f.name {
	case "log_uniform":
		if d.lo <= 0 {
			c.errs.at(f.val, "%s: log_uniform bounds must be positive, got [%s, %s]", a.name, format(d.lo), format(d.hi))
			return a, false
		}
	case "int_uniform":
		if d.lo != math.Trunc(d.lo) || d.hi != math.Trunc(d.hi) || d.hi-d.lo > 1<<52 {
			c.errs.at(f.val, "%s: int_uniform bounds must be whole numbers, got [%s, %s]", a.name, format(d.lo), format(d.hi))
			return a, false
		}
	case "quantized":
		d.q = nums[2]
		if d.q <= 0 {
			c.errs.at(f.val.Content[2], "%s: quantized step q must be positive, got %s", a.name, format(d.q))
			return a, false
		}
		n := math.Floor((d.hi-d.lo)/d.q+1e-9) + 1
		if n > MaxPoints {
			c.errs.at(f.val, "%s: quantized gives %s points; at most %d", a.name, format(n), MaxPoints)
			return a, false
		}
		d.n = int(n)
		d.hi = clean(d.lo + float64(d.n-1)*d.q) // the largest point drawn
	}
	ok := true
	for _, b := range []float64{d.lo, d.hi} {
		if err := p.Check(b); err != nil {
			c.errs.at(f.val, "%s bound: %v", f.name, err)
			ok = false
		}
	}
	a.dist = d
	return a, ok
}

// hasKey reports whether the mapping m has the key name.
func hasKey(m *yaml.Node, name string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := deref(m.Content[i]); k.Kind == yaml.ScalarNode && k.Value == name {
			return true
		}
	}
	return false
}

// architecture reads one architecture: a name, its canonical text
// ("cnn(channels=8x16,kernel=3)"), or a mapping with name and settings
// ({name: cnn, channels: [8, 16], kernel: 3}), each setting checked where
// it is written. It returns the text of the name and the settings given;
// the experiment completes the rest from its defaults when it resolves
// the trial.
func (c *checker) architecture(p experiments.Param, n *yaml.Node) (any, bool) {
	switch {
	case isString(n):
		name, given, err := experiments.ParseArchitectureSettings(n.Value)
		if err != nil {
			c.errs.at(n, "%v", err)
			return nil, false
		}
		return experiments.FormatArchitecture(name, given), true
	case n.Kind != yaml.MappingNode:
		c.errs.at(n, "%s: want an architecture (%s), or a mapping such as {name: cnn, channels: [8, 16]}, got %s",
			p.Name, strings.Join(experiments.ArchitectureNames(), ", "), describe(n))
		return nil, false
	}
	var nameNode *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := deref(n.Content[i]); k.Kind == yaml.ScalarNode && k.Value == "name" {
			nameNode = deref(n.Content[i+1])
		}
	}
	if nameNode == nil {
		c.errs.at(n, "%s: a mapping gives the architecture's name: {name: cnn, channels: [8, 16]}", p.Name)
		return nil, false
	}
	if !isString(nameNode) {
		c.errs.at(nameNode, "%s: name: want an architecture name, got %s", p.Name, describe(nameNode))
		return nil, false
	}
	specs, err := experiments.ArchitectureSettings(nameNode.Value)
	if err != nil {
		c.errs.at(nameNode, "%s: %s", p.Name, unknownName("architecture", nameNode.Value, experiments.ArchitectureNames()))
		return nil, false
	}
	valid := []string{"name"}
	for _, s := range specs {
		valid = append(valid, s.Name)
	}
	before := c.errs.count()
	given := engine.Params{}
	if len(specs) == 0 {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := deref(n.Content[i]); k.Value != "name" {
				c.errs.at(k, "%s %s: unknown setting %q; %s has no settings", p.Name, nameNode.Value, k.Value, nameNode.Value)
			}
		}
		if c.errs.count() > before {
			return nil, false
		}
	}
	for _, e := range c.entriesOf(n, p.Name+" "+nameNode.Value, "setting", valid) {
		if e.name == "name" {
			continue
		}
		spec := specs[slices.IndexFunc(specs, func(s experiments.Param) bool { return s.Name == e.name })]
		v, err := convert(spec, e.val)
		if err == nil {
			err = spec.Check(v)
		}
		if err != nil {
			c.errs.at(e.val, "%s %s: %v", p.Name, nameNode.Value, err)
			continue
		}
		given[e.name] = v
	}
	if c.errs.count() > before {
		return nil, false
	}
	return experiments.FormatArchitecture(nameNode.Value, given), true
}
