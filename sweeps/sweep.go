package sweeps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/optim"
	"github.com/optbench/optbench/experiments"
	"github.com/optbench/optbench/search"
)

// Limits that keep a mistyped file from exhausting memory before a single
// trial runs. A sweep beyond them should be split into several files.
const (
	MaxSeeds          = 1_000   // seeds per sweep
	MaxConfigurations = 20_000  // configurations per sweep
	MaxTrials         = 200_000 // configurations × seeds
	MaxPoints         = 10_000  // points of one log_space, lin_space or quantized axis

	// MaxEpochs bounds a trial's budget. The executor keeps a trial's
	// whole curve in memory, one train.Epoch (88 bytes) an epoch, so 10⁶
	// epochs are 88 MB (176 MB while the slice grows) per running trial:
	// far below what exhausts memory even with several workers, and far
	// above any budget the shipped experiments use (at most 5 000).
	// budget.steps caps updates and adds nothing to the curve, so it is
	// not bounded the same way.
	MaxEpochs = 1_000_000
)

// Search methods.
const (
	Grid   = "grid"   // every combination of the parameters' values
	Random = "random" // samples configurations drawn from the parameters' forms
	Sobol  = "sobol"  // samples scrambled Sobol quasi-random points of the parameters' forms
	TPE    = "tpe"    // samples configurations proposed by a Tree-structured Parzen Estimator from the results so far
	List   = "list"   // the configurations listed under configs
)

// Sweep is a parsed and validated sweep file. Its exported fields say what
// it is; Trials expands it.
type Sweep struct {
	Name        string        // [A-Za-z0-9][A-Za-z0-9._-]*, at most MaxNameLength bytes
	Description string        // free text; may be empty
	Experiment  string        // a name in the experiments registry; for several, their names joined by commas
	Experiments []string      // the experiments of a sweep of several, in file order; nil for one
	Seeds       []uint64      // trial seeds, in file order
	Budget      engine.Budget // of every trial; the experiment's unless the file sets one
	Metric      string        // what the sweep ranks by, e.g. val_accuracy
	Goal        string        // "minimize" or "maximize"
	Method      string        // Grid, Random or List
	File        string        // the path as given to Parse or Load
	Source      []byte        // the file verbatim, for provenance

	samples    int                                        // random, sobol and tpe search: configurations to draw
	searchSeed uint64                                     // random, sobol and tpe search: the search seed
	generation int                                        // proposals per generation of an adaptive search (default 8)
	startup    int                                        // tpe: random proposals before the model (default 10)
	multivar   bool                                       // tpe: multivariate
	pruner     Pruner                                     // early stopping; zero: none
	space      *search.Space                              // what the method searched
	configs    []engine.Params                            // resolved configurations, in expansion order
	resolve    func(engine.Params) (engine.Params, error) // the experiment's Resolve
	problems   []*Sweep                                   // a sweep of several experiments: each one's own
}

// Load reads and parses the sweep file at path. A missing file is one
// error that wraps fs.ErrNotExist; problems in the file are an ErrorList.
// Both match ErrInvalid.
// A cancelled ctx stops it before the file is read.
func Load(ctx context.Context, file string) (*Sweep, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	src, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &inputError{fmt.Errorf("sweeps: no sweep file %s: %w", file, fs.ErrNotExist)}
	}
	if err != nil {
		return nil, &inputError{fmt.Errorf("sweeps: read sweep file: %w", err)}
	}
	return Parse(file, src)
}

// Parse parses, validates and expands the sweep file src, whose path (for
// messages) is file. Every problem found is reported, each as
// "file:line:column: message", in an ErrorList; nothing runs until the file
// is clean.
func Parse(file string, src []byte) (*Sweep, error) {
	c := &checker{errs: newProblems(file)}
	s := &Sweep{File: file, Source: bytes.Clone(src), Method: Grid, Seeds: []uint64{0}}
	c.sweep = s
	if root := c.document(src); root != nil {
		if list := experimentList(root); list != nil {
			c.several(root, list)
		} else {
			c.top(root)
		}
	}
	if err := c.errs.err(); err != nil {
		return nil, err
	}
	return s, nil
}

// Problems returns the sweep of each experiment of a sweep of several,
// in file order, each with the Seeds and Budget s has when it is called;
// nil for a sweep of one experiment.
func (s *Sweep) Problems() []*Sweep {
	if s.problems == nil {
		return nil
	}
	out := make([]*Sweep, len(s.problems))
	for i, p := range s.problems {
		q := *p
		q.Seeds, q.Budget = s.Seeds, s.Budget
		out[i] = &q
	}
	return out
}

// Configurations returns the number of distinct configurations; the sweep
// has this many trials per seed. Those of a sweep of several experiments
// are counted for each experiment.
func (s *Sweep) Configurations() int {
	if s.problems != nil {
		n := 0
		for _, p := range s.problems {
			n += len(p.configs)
		}
		return n
	}
	return len(s.configs)
}

// Trials returns every trial of the sweep: configurations in expansion
// order (see the package documentation), each repeated for every seed with
// the seed varying fastest. Parameters are fully resolved, defaults
// included, so trial keys are stable. Trials uses Seeds and Budget as they
// are when it is called, so a command may override them.
func (s *Sweep) Trials() ([]engine.Trial, error) {
	if s.IsAdaptive() {
		return nil, nil // proposed generation by generation: see Adaptive
	}
	if s.problems != nil {
		var all []engine.Trial
		for _, p := range s.Problems() {
			trials, err := p.Trials()
			if err != nil {
				return nil, err
			}
			all = append(all, trials...)
		}
		return all, nil
	}
	if len(s.configs) == 0 {
		return nil, fmt.Errorf("sweeps: sweep %q has no configurations (make sweeps with Parse or Load)", s.Name)
	}
	if len(s.Seeds) == 0 {
		return nil, fmt.Errorf("sweeps: sweep %q has no seeds", s.Name)
	}
	return s.Template().Cross(s.configs), nil
}

// checker holds the state of one Parse.
type checker struct {
	errs  *problems
	sweep *Sweep
	exp   *experiments.Experiment
	names *universe

	expNode      *yaml.Node // the experiment's value
	paramsKey    *yaml.Node // the parameters key, for whole-configuration problems
	searchKey    *yaml.Node // the search key
	samplesVal   *yaml.Node // search.samples
	adaptiveKeys []entry    // search.generation, startup, multivariate
	prunerKey    *yaml.Node
	metricVal    *yaml.Node // metric.name
}

var topKeys = []string{"name", "description", "experiment", "seeds", "budget", "metric", "search", "pruner", "parameters", "configs"}

// namePattern is a sweep's name. Reports and exports use it as a file and
// directory name, so it starts with a letter or digit: "." and ".." (and
// hidden names) would name the current or parent directory, and path
// separators cannot occur.
var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// MaxNameLength bounds a sweep's name, well below the 255 bytes a file
// name may have on common file systems.
const MaxNameLength = 100

// syntaxLine matches the position yaml.v3 puts in its syntax errors; it
// gives a line but no column.
var syntaxLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblems are the messages of yaml.v3's parser (as opposed to its
// scanner). For these it prints the 0-based line of the mark, so one is
// added; scanner messages already count from 1.
var parserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"found undefined tag handle",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
}

// document decodes src into its top-level mapping, or reports why not.
func (c *checker) document(src []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			c.errs.at(nil, "the file is empty; a sweep needs at least name and experiment")
		} else {
			c.syntax(err, src)
		}
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == io.EOF:
	case err != nil:
		c.syntax(err, src)
		return nil
	default:
		c.errs.at(&extra, "a sweep file holds one YAML document; remove the second")
	}
	root := &doc
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		root = deref(doc.Content[0])
	}
	if root.Kind != yaml.MappingNode {
		c.errs.at(root, "a sweep file is a mapping of keys (name, experiment, parameters, …), got %s", describe(root))
		return nil
	}
	return root
}

func (c *checker) syntax(err error, src []byte) {
	msg := err.Error()
	if m := syntaxLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if contains(parserProblems, m[2]) {
			line++
		}
		c.errs.list = append(c.errs.list, &Error{File: c.errs.file, Line: line, Msg: "YAML syntax: " + m[2]})
		return
	}
	msg = "YAML syntax: " + strings.TrimPrefix(msg, "yaml: ")
	// The reader's errors (bad UTF-8, control characters) carry no
	// place; find the byte it stopped at.
	if line, col, b, ok := firstBadByte(src); ok {
		c.errs.list = append(c.errs.list, &Error{File: c.errs.file, Line: line, Column: col,
			Msg: fmt.Sprintf("%s (byte %#02x)", msg, b)})
		return
	}
	c.errs.at(nil, "%s", msg)
}

// firstBadByte returns the line and column (in characters, from 1) of the
// first byte of src that YAML does not allow: invalid UTF-8, or a
// character outside YAML's printable set (control characters other than
// tab, line feed and carriage return; a byte-order mark after the start).
func firstBadByte(src []byte) (line, col int, b byte, ok bool) {
	line, col = 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		switch {
		case r == utf8.RuneError && size <= 1, !yamlPrintable(r) && !(r == 0xfeff && i == 0):
			return line, col, src[i], true
		case r == '\n':
			line, col = line+1, 1
		default:
			col++
		}
		i += size
	}
	return 0, 0, 0, false
}

// yamlPrintable reports whether YAML 1.1 allows r in a stream (the
// printable set of yaml.v3's reader).
func yamlPrintable(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r', r == 0x85:
		return true
	case r >= 0x20 && r <= 0x7e, r >= 0xa0 && r <= 0xd7ff, r >= 0x10000 && r <= 0x10ffff:
		return true
	case r >= 0xe000 && r <= 0xfffd:
		return r != 0xfeff
	}
	return false
}

// top checks the top-level keys, then plans and expands the parameters.
func (c *checker) top(root *yaml.Node) {
	s := c.sweep
	keys := map[string]entry{}
	for _, e := range c.entries(root, "", topKeys) {
		keys[e.name] = e
	}
	if e, ok := keys["name"]; ok {
		// Any scalar will do (name: 2024 is a number to YAML), as long as
		// it is a plain identifier.
		switch {
		case e.val.Kind != yaml.ScalarNode || !namePattern.MatchString(e.val.Value):
			c.errs.at(e.val, "name: want a letter or digit, then letters, digits, '.', '_' and '-', got %s", describe(e.val))
		case len(e.val.Value) > MaxNameLength:
			c.errs.at(e.val, "name: %d characters; at most %d", len(e.val.Value), MaxNameLength)
		}
		s.Name = e.val.Value
	} else {
		c.errs.at(root, "missing name: every sweep needs a name ([A-Za-z0-9][A-Za-z0-9._-]*)")
	}
	if e, ok := keys["description"]; ok {
		if isString(e.val) {
			s.Description = e.val.Value
		} else if !isNull(e.val) {
			c.errs.at(e.val, "description: want text, got %s", describe(e.val))
		}
	}
	if e, ok := keys["experiment"]; ok {
		c.experiment(e.val)
	} else {
		c.errs.at(root, "missing experiment: name one of %s", strings.Join(experiments.Names(), ", "))
	}
	c.search(keys["search"])
	var seedNodes []*yaml.Node
	if e, ok := keys["seeds"]; ok {
		seedNodes = c.seeds(e.val)
	}
	c.budget(keys["budget"])
	c.prunerSection(keys["pruner"])
	c.metric(keys["metric"])
	c.courseSeeds(seedNodes, false)

	params, configs := keys["parameters"], keys["configs"]
	c.paramsKey = params.key
	if configs.key != nil && s.Method != List {
		c.errs.at(configs.key, "configs lists configurations for search: {method: list}; this sweep's method is %s", s.Method)
	}
	if s.Method == List && configs.key == nil {
		c.errs.at(c.searchKey, "search method list needs configs: a list of configurations")
	}
	if params.key != nil && !isNull(params.val) && params.val.Kind != yaml.MappingNode {
		c.errs.at(params.val, "parameters: want a mapping of parameter names to values, got %s", describe(params.val))
		return
	}
	if c.exp == nil {
		return // parameters can only be checked against a known experiment
	}
	c.names = newUniverse(c.exp)
	p := c.parameters(params.val)
	if p == nil {
		return
	}
	switch s.Method {
	case Grid:
		c.grid(p)
	case Random:
		c.random(p)
	case Sobol:
		c.drawn(p, func(space *search.Space) (search.Method, error) {
			return search.NewSobol(space, c.sweep.samples, c.sweep.searchSeed)
		})
	case TPE:
		c.adaptive(p)
	case List:
		if configs.key != nil {
			c.list(p, configs.val)
		}
	}
	c.recorded()
	if c.exp != nil && c.exp.Seeding != experiments.Course && slices.ContainsFunc(s.configs, func(p engine.Params) bool {
		v, _ := p.String("seeding")
		return v == "course"
	}) {
		c.courseSeeds(seedNodes, true)
	}
	c.prunerFits()
	if n := len(s.configs) * len(s.Seeds); n > MaxTrials {
		c.errs.at(c.where(), "%d configurations × %d seeds = %d trials; at most %d per sweep",
			len(s.configs), len(s.Seeds), n, MaxTrials)
	}
}

func (c *checker) experiment(n *yaml.Node) {
	c.expNode = n
	if !isString(n) {
		c.errs.at(n, "experiment: want a name, got %s", describe(n))
		return
	}
	e, err := experiments.Lookup(n.Value)
	if err != nil {
		c.errs.at(n, "%s", unknownName("experiment", n.Value, experiments.Names()))
		return
	}
	c.exp = e
	c.sweep.resolve = e.Resolve
	c.sweep.Experiment = e.Name
	c.sweep.Budget = e.Budget
	c.sweep.Metric, c.sweep.Goal = e.Metric, string(e.Goal)
}

// unknownName reports a name that is not registered, with the nearest
// valid one and the whole list.
func unknownName(kind, name string, valid []string) string {
	if hint := optim.OtherName(name); kind == "optimizer" && hint != "" {
		return fmt.Sprintf("unknown optimizer %q, another framework's name: %s ('optbench optimizers' lists ours)", name, hint)
	}
	return fmt.Sprintf("unknown %s %q%s; valid: %s", kind, name, suggest(name, valid), strings.Join(valid, ", "))
}

func (c *checker) seeds(n *yaml.Node) []*yaml.Node {
	s := c.sweep
	switch {
	case isNumber(n):
		count, err := whole(n, 1, MaxSeeds)
		if err != nil {
			if f, ferr := number(n); ferr == nil && f < 1 {
				c.errs.at(n, "seeds: the count must be at least 1, got %s", n.Value)
			} else {
				c.errs.at(n, "seeds: a count of seeds: %v", err)
			}
			return nil
		}
		s.Seeds = make([]uint64, count)
		for i := range s.Seeds {
			s.Seeds[i] = uint64(i)
		}
		nodes := make([]*yaml.Node, count)
		for i := range nodes {
			nodes[i] = n
		}
		return nodes
	case n.Kind == yaml.SequenceNode:
		if len(n.Content) == 0 {
			c.errs.at(n, "seeds: empty list; give a count (seeds: 5) or at least one seed")
			return nil
		}
		if len(n.Content) > MaxSeeds {
			c.errs.at(n, "seeds: %d seeds; at most %d per sweep", len(n.Content), MaxSeeds)
			return nil
		}
		s.Seeds = s.Seeds[:0]
		var nodes []*yaml.Node
		first := map[uint64]*yaml.Node{}
		for _, el := range n.Content {
			el = deref(el)
			v, err := seed(el)
			if err != nil {
				c.errs.at(el, "seeds: %v", err)
				continue
			}
			if prev, dup := first[v]; dup {
				c.errs.at(el, "seeds: seed %d is listed twice (first at %s)", v, pos(prev))
				continue
			}
			first[v] = el
			s.Seeds = append(s.Seeds, v)
			nodes = append(nodes, el)
		}
		return nodes
	}
	c.errs.at(n, "seeds: want a count (seeds: 5 for seeds 0–4) or a list of seeds ([0, 1, 7]), got %s", describe(n))
	return nil
}

// courseSeeds checks the seeds of experiments seeded the course's way
// (or of a sweep that asks for seeding: course, when course is set),
// which reseed numpy with seed+8+epoch and so need room below 2^32.
func (c *checker) courseSeeds(nodes []*yaml.Node, course bool) {
	if c.exp == nil || (c.exp.Seeding != experiments.Course && !course) {
		return
	}
	limit := uint64(1<<32 - 9 - max(c.sweep.Budget.Epochs, 0))
	for i, v := range c.sweep.Seeds {
		if v > limit && i < len(nodes) {
			c.errs.at(nodes[i], "seeds: seed %d is too large for experiment %s, which seeds numpy with seed+8+epoch (at most %d)",
				v, c.exp.Name, limit)
		}
	}
}

var budgetKeys = []string{"epochs", "steps", "wall"}

func (c *checker) budget(e entry) {
	if e.key == nil {
		return
	}
	if e.val.Kind != yaml.MappingNode {
		c.errs.at(e.val, "budget: want a mapping like {epochs: 300, wall: 10m}, got %s", describe(e.val))
		return
	}
	b := &c.sweep.Budget
	for _, f := range c.entries(e.val, "budget", budgetKeys) {
		switch f.name {
		case "epochs":
			v, err := number(f.val)
			switch {
			case err != nil:
				c.errs.at(f.val, "budget: epochs: %v", err)
			case v < 1:
				c.errs.at(f.val, "budget: epochs must be at least 1, got %s", f.val.Value)
			case v > MaxEpochs:
				c.errs.at(f.val, "budget: epochs %s is more than the %d allowed: a trial keeps its curve in memory, "+
					"88 bytes an epoch, and the bound keeps it under 100 MB", f.val.Value, MaxEpochs)
			default:
				n, err := whole(f.val, 1, MaxEpochs)
				if err != nil {
					c.errs.at(f.val, "budget: epochs: %v", err)
				}
				b.Epochs = n
			}
		case "steps":
			n, err := whole(f.val, 0, 1e15)
			if err != nil {
				c.errs.at(f.val, "budget: steps (a cap on updates, 0 for none): %v", err)
			}
			b.Steps = n
		case "wall":
			if !isString(f.val) {
				c.errs.at(f.val, "budget: wall: want a duration such as \"10m\" or \"90s\", got %s", describe(f.val))
				continue
			}
			d, err := time.ParseDuration(f.val.Value)
			if err != nil || d <= 0 {
				c.errs.at(f.val, "budget: wall: want a positive duration such as \"10m\" or \"90s\", got %q", f.val.Value)
				continue
			}
			b.WallSeconds = d.Seconds()
		}
	}
}

var metricKeys = []string{"name", "goal"}

// recorded rejects a metric that some configuration's trials never record:
// accuracy of a regression, validation loss without a validation split.
func (c *checker) recorded() {
	s := c.sweep
	if s.Metric == "" {
		return
	}
	for _, p := range s.configs {
		rec := c.exp.Records(p)
		if slices.Contains(rec, s.Metric) {
			continue
		}
		at := c.metricVal
		if at == nil {
			at = c.expNode
		}
		why := ""
		switch {
		case strings.HasPrefix(s.Metric, "val_") && !slices.Contains(rec, "val_loss"):
			why = " (they have no validation split)"
		case strings.Contains(s.Metric, "accuracy") || strings.Contains(s.Metric, "correct"):
			why = " (they do not classify)"
		}
		c.errs.at(at, "metric: some trials of %s in this sweep record no %s%s; they record %s",
			c.exp.Name, s.Metric, why, strings.Join(rec, ", "))
		return
	}
}

func (c *checker) metric(e entry) {
	if e.key == nil {
		return
	}
	if e.val.Kind != yaml.MappingNode {
		c.errs.at(e.val, "metric: want a mapping like {name: val_accuracy, goal: maximize}, got %s", describe(e.val))
		return
	}
	var nameNode, goalNode *yaml.Node
	for _, f := range c.entries(e.val, "metric", metricKeys) {
		if !isString(f.val) {
			c.errs.at(f.val, "metric: %s: want a name, got %s", f.name, describe(f.val))
			continue
		}
		if f.name == "name" {
			nameNode = f.val
			c.metricVal = f.val
		} else {
			goalNode = f.val
		}
	}
	s := c.sweep
	var info *metric.Def
	if nameNode != nil {
		var valid []string
		for _, m := range metric.All() {
			// Metrics that a setting must ask for (a test set, the last
			// batch's cost) are left out of the suggestions.
			if (c.exp == nil || m.Kinds&c.exp.Kind() != 0) && m.Needs&(metric.Test|metric.LastBatch) == 0 {
				valid = append(valid, m.Name)
			}
		}
		if d, ok := metric.Lookup(nameNode.Value); ok && d.Needs&metric.Test != 0 {
			// Selection and evaluation are separate (issue 14): the test set
			// reports on the chosen configuration and must not choose it.
			c.errs.at(nameNode, "metric: %s is measured on the test set, which evaluates the chosen configuration "+
				"and does not choose it; rank by a validation or training metric (the report shows %s beside the winner)",
				d.Name, d.Name)
			return
		}
		if !contains(valid, nameNode.Value) {
			c.errs.at(nameNode, "metric: %s", unknownName("metric", nameNode.Value, valid))
			return
		}
		d, _ := metric.Lookup(nameNode.Value)
		info = &d
		s.Metric, s.Goal = d.Name, string(d.Goal)
	}
	if info == nil {
		if d, ok := metric.Lookup(s.Metric); ok {
			info = &d // the experiment's metric, whose goal the file may restate
		}
	}
	switch {
	case goalNode != nil && goalNode.Value != "minimize" && goalNode.Value != "maximize":
		c.errs.at(goalNode, "metric: goal is minimize or maximize, got %q", goalNode.Value)
	case goalNode != nil && info != nil && info.Goal != metric.NoGoal && string(info.Goal) != goalNode.Value:
		c.errs.at(goalNode, "metric: %s is better when it is %s; goal %s would rank the worst trials first",
			info.Name, map[metric.Goal]string{metric.Minimize: "low", metric.Maximize: "high"}[info.Goal], goalNode.Value)
	case goalNode != nil:
		s.Goal = goalNode.Value
	case nameNode != nil && info.Goal == metric.NoGoal:
		c.errs.at(nameNode, "metric: %s has no natural direction; give goal: minimize or maximize", info.Name)
	}
}

var searchKeys = []string{"method", "samples", "seed", "generation", "startup", "multivariate"}

// Pruner is a sweep's early stopping (pruner: in the file).
type Pruner struct {
	Method       string // "successive_halving", "hyperband" or "median"; "" for none
	MinEpochs    int    // successive halving and hyperband: the first rung's budget (default 1)
	MaxEpochs    int    // successive halving and hyperband: the last rung's budget (default: the sweep's epochs)
	Eta          int    // successive halving and hyperband: the reduction factor (default 3)
	WarmupEpochs int    // median: epochs before the rule may stop a trial (default 0)
	Startup      int    // median: earlier trials needed before it may stop any (default 5)
}

var prunerKeys = []string{"method", "min_epochs", "max_epochs", "eta", "warmup_epochs", "startup"}

// pruner reads the pruner section.
func (c *checker) prunerSection(e entry) {
	if e.key == nil {
		return
	}
	if e.val.Kind != yaml.MappingNode {
		c.errs.at(e.val, "pruner: want a mapping like {method: hyperband, max_epochs: 81}, got %s", describe(e.val))
		return
	}
	p := Pruner{MinEpochs: 1, Eta: 3, Startup: 5}
	given := map[string]*yaml.Node{}
	for _, f := range c.entries(e.val, "pruner", prunerKeys) {
		given[f.name] = f.val
		if f.name == "method" {
			if !isString(f.val) || !contains([]string{"successive_halving", "hyperband", "median"}, f.val.Value) {
				c.errs.at(f.val, "pruner: method is successive_halving, hyperband or median, got %s", describe(f.val))
				return
			}
			p.Method = f.val.Value
			continue
		}
		lo := 1
		if f.name == "warmup_epochs" || f.name == "startup" {
			lo = 0
		}
		if f.name == "eta" {
			lo = 2
		}
		n, err := whole(f.val, float64(lo), MaxEpochs)
		if err != nil {
			c.errs.at(f.val, "pruner: %s: %v", f.name, err)
			continue
		}
		switch f.name {
		case "min_epochs":
			p.MinEpochs = n
		case "max_epochs":
			p.MaxEpochs = n
		case "eta":
			p.Eta = n
		case "warmup_epochs":
			p.WarmupEpochs = n
		case "startup":
			p.Startup = n
		}
	}
	if p.Method == "" {
		c.errs.at(e.key, "pruner: method is required (successive_halving, hyperband or median)")
		return
	}
	for name, at := range given {
		rung := name == "min_epochs" || name == "max_epochs" || name == "eta"
		if (p.Method == "median" && rung) || (p.Method != "median" && (name == "warmup_epochs" || name == "startup")) {
			c.errs.at(at, "pruner: %s does not apply to %s", name, p.Method)
		}
	}
	if p.Method != "median" {
		if p.MaxEpochs == 0 {
			p.MaxEpochs = c.sweep.Budget.Epochs
		}
		c.sweep.Budget.Epochs = p.MaxEpochs // every rung trains with the full budget's schedule
		h := search.Halving{MinEpochs: p.MinEpochs, MaxEpochs: p.MaxEpochs, Eta: p.Eta}
		if _, err := h.Rungs(); err != nil {
			c.errs.at(e.val, "pruner: %v", err)
			return
		}
	}
	c.sweep.pruner = p
	c.prunerKey = e.key
}

// prunerFits checks that the search gives successive halving or hyperband
// the configurations its brackets draw (tpe only with hyperband), and that the median rule has a
// per-epoch metric with a direction to compare.
func (c *checker) prunerFits() {
	s := c.sweep
	switch s.pruner.Method {
	case "":
		return
	case "median":
		if d, ok := metric.Lookup(s.Metric); !ok || !d.PerEpoch || d.Goal == metric.NoGoal {
			c.errs.at(c.prunerKey, "pruner: median compares the sweep's metric epoch by epoch; %s is not a per-epoch metric with a goal", s.Metric)
		}
		return
	}
	if s.Method == TPE && s.pruner.Method != "hyperband" {
		c.errs.at(c.prunerKey, "pruner: %s draws all its configurations before any result, so tpe would only draw at random; "+
			"use random or sobol, or hyperband (whose later brackets tpe proposes from the results so far)", s.pruner.Method)
		return
	}
	bs, err := s.Brackets()
	if err != nil {
		c.errs.at(c.prunerKey, "pruner: %v", err)
		return
	}
	need, _, _ := search.BracketTotals(bs)
	if have := s.prunerConfigs(); have < need {
		c.errs.at(c.prunerKey, "pruner: %s with min_epochs %d, max_epochs %d, eta %d draws %d configurations; the %s search gives %d",
			s.pruner.Method, s.pruner.MinEpochs, s.pruner.MaxEpochs, s.pruner.Eta, need, s.Method, have)
		return
	}
	if s.Method == TPE && s.space != nil {
		// tpe draws nothing until the sweep runs; what can fail now (a
		// finite space smaller than the brackets) fails here.
		if _, err := s.Adaptive(); err != nil {
			c.errs.at(c.prunerKey, "pruner: %v", err)
		}
	}
}

func (c *checker) search(e entry) {
	if e.key == nil {
		return
	}
	c.searchKey = e.key
	if e.val.Kind != yaml.MappingNode {
		c.errs.at(e.val, "search: want a mapping like {method: grid}, got %s", describe(e.val))
		return
	}
	s := c.sweep
	var seedNode *yaml.Node
	for _, f := range c.entries(e.val, "search", searchKeys) {
		switch f.name {
		case "method":
			if !isString(f.val) || !contains([]string{Grid, Random, List, Sobol, TPE}, f.val.Value) {
				c.errs.at(f.val, "search: method is grid, random, list, sobol or tpe, got %s", describe(f.val))
				continue
			}
			s.Method = f.val.Value
		case "samples":
			c.samplesVal = f.val
			n, err := whole(f.val, 1, MaxConfigurations)
			if err != nil {
				c.errs.at(f.val, "search: samples (configurations to draw, 1 to %d): %v", MaxConfigurations, err)
				continue
			}
			s.samples = n
		case "seed":
			seedNode = f.val
			v, err := seed(f.val)
			if err != nil {
				c.errs.at(f.val, "search: %v", err)
				continue
			}
			s.searchSeed = v
		case "generation", "startup":
			n, err := whole(f.val, 1, MaxConfigurations)
			if err != nil {
				c.errs.at(f.val, "search: %s: %v", f.name, err)
				continue
			}
			if f.name == "generation" {
				s.generation = n
			} else {
				s.startup = n
			}
			c.adaptiveKeys = append(c.adaptiveKeys, f)
		case "multivariate":
			if f.val.Kind != yaml.ScalarNode || (f.val.Value != "true" && f.val.Value != "false") {
				c.errs.at(f.val, "search: multivariate: want true or false, got %s", describe(f.val))
				continue
			}
			s.multivar = f.val.Value == "true"
			c.adaptiveKeys = append(c.adaptiveKeys, f)
		}
	}
	drawn := s.Method == Random || s.Method == Sobol || s.Method == TPE
	if !drawn {
		if c.samplesVal != nil {
			c.errs.at(c.samplesVal, "search: samples applies only to methods random, sobol and tpe")
		}
		if seedNode != nil {
			c.errs.at(seedNode, "search: seed applies only to methods random, sobol and tpe")
		}
	} else if c.samplesVal == nil {
		c.errs.at(e.key, "search: %s search needs samples: the number of configurations to draw", s.Method)
	}
	for _, f := range c.adaptiveKeys {
		if f.name != "generation" && s.Method != TPE {
			c.errs.at(f.key, "search: %s applies only to method tpe", f.name)
		}
	}
}
