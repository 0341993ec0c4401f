package sweeps

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is one problem in a sweep file, at the place it was found.
type Error struct {
	File   string // the path as given to Parse or Load
	Line   int    // from 1; 0 when the problem concerns the whole file
	Column int    // from 1; 0 when only the line is known (YAML syntax errors)
	Msg    string
}

// Error formats the problem as "file:line:column: message", leaving out
// the parts that are not known, as the Go compiler does.
func (e *Error) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.Column == 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// ErrorList is every problem found in a sweep file, in file order. Parse
// returns one, so that a researcher fixes all mistakes in one pass.
type ErrorList []*Error

// Error prints one problem per line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// problems collects the errors of one file. A grid repeats the same check
// for every branch and configuration, so identical reports are kept once.
type problems struct {
	file string
	list ErrorList
	seen map[Error]bool
}

func newProblems(file string) *problems {
	return &problems{file: file, seen: map[Error]bool{}}
}

// at records a problem at the position of n (the whole file when n is nil).
func (p *problems) at(n *yaml.Node, format string, args ...any) {
	e := Error{File: p.file, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	if p.seen[e] {
		return
	}
	p.seen[e] = true
	p.list = append(p.list, &e)
}

func (p *problems) count() int { return len(p.list) }

// err returns the problems sorted by position, or nil when there are none.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	slices.SortStableFunc(p.list, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return p.list
}
