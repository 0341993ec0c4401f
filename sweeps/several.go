package sweeps

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/experiments"
)

// MaxExperiments bounds the experiments one sweep file lists.
const MaxExperiments = 100

// experimentList returns the value of the top-level experiment key when
// it is a list (a sweep over several problems), else nil.
func experimentList(root *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := deref(root.Content[i]); k.Kind == yaml.ScalarNode && k.Value == "experiment" {
			if v := deref(root.Content[i+1]); v.Kind == yaml.SequenceNode {
				return v
			}
			return nil
		}
	}
	return nil
}

// several checks a sweep whose experiment is a list: every experiment is
// a problem, and the rest of the file is checked once for each, exactly
// as a file naming that experiment alone would be. Its trials are those
// of each experiment's sweep, experiments in file order, so each keeps
// the key it has in a sweep of that experiment alone. A problem found
// for some experiments only names them.
func (c *checker) several(root, list *yaml.Node) {
	s := c.sweep
	c.expNode = list
	var names []string
	var nodes []*yaml.Node
	first := map[string]*yaml.Node{}
	if len(list.Content) == 0 {
		c.errs.at(list, "experiment: empty list; name one experiment, or several as problems to compare optimizers across")
	}
	if len(list.Content) > MaxExperiments {
		c.errs.at(list, "experiment: %d experiments; at most %d per sweep", len(list.Content), MaxExperiments)
		return
	}
	for _, el := range list.Content {
		el = deref(el)
		if !isString(el) {
			c.errs.at(el, "experiment: want a name, got %s", describe(el))
			continue
		}
		e, err := experiments.Lookup(el.Value)
		if err != nil {
			c.errs.at(el, "%s", unknownName("experiment", el.Value, experiments.Names()))
			continue
		}
		if prev, dup := first[e.Name]; dup {
			c.errs.at(el, "experiment: %s is listed twice (first at %s)", e.Name, pos(prev))
			continue
		}
		first[e.Name] = el
		names = append(names, e.Name)
		nodes = append(nodes, el)
	}
	// Each experiment's file: the same nodes, so problems keep their
	// places, with the list replaced by that experiment's name.
	subs := make([]*Sweep, len(names))
	found := make([]ErrorList, len(names))
	for i, el := range nodes {
		one := *root
		one.Content = slices.Clone(root.Content)
		for k := 0; k+1 < len(one.Content); k += 2 {
			if deref(one.Content[k+1]) == list {
				one.Content[k+1] = el
			}
		}
		sc := &checker{errs: newProblems(c.errs.file)}
		sc.sweep = &Sweep{File: s.File, Source: s.Source, Method: Grid, Seeds: []uint64{0}}
		sc.top(&one)
		subs[i] = sc.sweep
		if err := sc.errs.err(); err != nil {
			found[i] = err.(ErrorList)
		}
	}
	c.mergeProblems(names, found)
	if len(c.errs.list) > 0 || len(names) == 0 {
		return
	}
	one := subs[0]
	for i, sub := range subs[1:] {
		if sub.Metric != one.Metric || sub.Goal != one.Goal {
			c.errs.at(list, "experiment: %s ranks by %s (%s) and %s by %s (%s) unless told: give metric: {name: …} to rank every experiment by one metric",
				names[0], one.Metric, one.Goal, names[i+1], sub.Metric, sub.Goal)
			return
		}
		if sub.Budget != one.Budget {
			c.errs.at(list, "experiment: %s and %s have different default budgets (%s, %s): give budget: {epochs: …} for all of them",
				names[0], names[i+1], budgetText(one.Budget), budgetText(sub.Budget))
			return
		}
	}
	if one.IsAdaptive() {
		c.errs.at(list, "experiment: a sweep of several experiments is planned in advance, and %s chooses trials from one problem's results: "+
			"use search grid, random, sobol or list, or one sweep per experiment", adaptiveName(one))
		return
	}
	total := 0
	for _, sub := range subs {
		total += len(sub.configs) * len(sub.Seeds)
	}
	if total > MaxTrials {
		c.errs.at(list, "%d experiments: %d trials in all; at most %d per sweep", len(names), total, MaxTrials)
		return
	}
	*s = *one
	s.Experiment = strings.Join(names, ",")
	s.Experiments = names
	s.problems = subs
}

// mergeProblems adds each experiment's problems once, naming the
// experiments it concerns unless it concerns all of them.
func (c *checker) mergeProblems(names []string, found []ErrorList) {
	type place struct {
		line, column int
		msg          string
	}
	var order []place
	who := map[place][]string{}
	for i, list := range found {
		for _, e := range list {
			p := place{e.Line, e.Column, e.Msg}
			if _, ok := who[p]; !ok {
				order = append(order, p)
			}
			who[p] = append(who[p], names[i])
		}
	}
	for _, p := range order {
		msg := p.msg
		if len(who[p]) < len(names) {
			msg = "with experiment " + strings.Join(who[p], ", ") + ": " + msg
		}
		c.errs.list = append(c.errs.list, &Error{File: c.errs.file, Line: p.line, Column: p.column, Msg: msg})
	}
}

func adaptiveName(s *Sweep) string {
	if s.Method == TPE {
		return "search method " + s.Method
	}
	return "pruner " + s.pruner.Method
}

func budgetText(b engine.Budget) string {
	var parts []string
	if b.Epochs > 0 {
		parts = append(parts, fmt.Sprintf("%d epochs", b.Epochs))
	}
	if b.Steps > 0 {
		parts = append(parts, fmt.Sprintf("%d steps", b.Steps))
	}
	if b.WallSeconds > 0 {
		parts = append(parts, fmt.Sprintf("wall %gs", b.WallSeconds))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// severalFingerprint is SearchFingerprint of a sweep of several
// experiments: its method and every experiment's space.
func (s *Sweep) severalFingerprint() string {
	var desc strings.Builder
	fmt.Fprintf(&desc, "%s samples=%d seed=%d", s.Method, s.samples, s.searchSeed)
	for i, p := range s.problems {
		fmt.Fprintf(&desc, " %s space=%#v", s.Experiments[i], p.space)
	}
	sum := sha256.Sum256([]byte(desc.String()))
	return s.Method + ":" + hex.EncodeToString(sum[:8])
}
