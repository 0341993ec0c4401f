package sweeps

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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

// ErrInvalid is matched (errors.Is) by every problem of a sweep file or
// of the data it names: an ErrorList, and a sweep file that cannot be
// read. It is invalid input rather than a failure at run time, and
// optbench exits 2 for it.
var ErrInvalid = errors.New("sweeps: invalid sweep file")

// Is makes every ErrorList match ErrInvalid.
func (l ErrorList) Is(target error) bool { return target == ErrInvalid }

// inputError is a sweep file that cannot be read: the error says why and
// matches ErrInvalid besides what it wraps (fs.ErrNotExist).
type inputError struct{ err error }

func (e *inputError) Error() string   { return e.err.Error() }
func (e *inputError) Unwrap() []error { return []error{e.err, ErrInvalid} }

// Error prints one problem per line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// problems collects the errors of one file. A grid repeats the same check
// for every branch and configuration, so identical reports are kept once,
// and reports at one place that differ only in their numbers (the same
// problem for each of 198 generated values) are kept once with a count.
type problems struct {
	file  string
	list  ErrorList
	seen  map[Error]bool
	alike map[Error]*Error // the first problem of each position and shape
	more  map[*Error]int   // problems like it left out
}

func newProblems(file string) *problems {
	return &problems{file: file, seen: map[Error]bool{}, alike: map[Error]*Error{}, more: map[*Error]int{}}
}

// at records a problem at the position of n (the whole file when n is nil).
func (p *problems) at(n *yaml.Node, format string, args ...any) {
	e := Error{File: p.file, Msg: sanitize(fmt.Sprintf(format, args...))}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	if p.seen[e] {
		return
	}
	p.seen[e] = true
	shape := e
	shape.Msg = numbers.ReplaceAllString(e.Msg, "${1}#")
	if first := p.alike[shape]; first != nil {
		p.more[first]++
		return
	}
	p.alike[shape] = &e
	p.list = append(p.list, &e)
}

// numbers matches the numbers of a message, which vary between reports of
// one problem (the value, the training-set size), but not the digits of a
// name such as beta1.
var numbers = regexp.MustCompile(`(^|[^A-Za-z0-9_.])[-+]?[0-9][0-9.eE+-]*`)

// sanitize makes a message safe to print: text quoted from the input may
// hold control characters (NUL, terminal escape sequences, bidirectional
// overrides) and be very long. Control characters and invalid bytes are
// escaped as %q would; a word of more than 1 000 bytes (a 1 MB path)
// keeps its first 700 and last 200 bytes around "…", so the reason after
// it stays; a message beyond 4 000 bytes is cut with "…".
func sanitize(msg string) string {
	const longestWord, head, tail, longest = 1000, 700, 200, 4000
	var b strings.Builder
	for i, r := range msg {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(msg[i:], "\uFFFD"): // an invalid byte
			fmt.Fprintf(&b, "\\x%02x", msg[i])
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	words := strings.Split(b.String(), " ")
	for i, w := range words {
		if len(w) > longestWord {
			words[i] = w[:runeStart(w, head)] + "…" + w[runeStart(w, len(w)-tail):]
		}
	}
	out := strings.Join(words, " ")
	if len(out) > longest {
		out = out[:runeStart(out, longest)] + "…"
	}
	return out
}

// runeStart returns the start of the rune at byte i of s.
func runeStart(s string, i int) int {
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// count is the number of problems recorded, those left out as like
// another included.
func (p *problems) count() int {
	n := len(p.list)
	for _, m := range p.more {
		n += m
	}
	return n
}

// err returns the problems sorted by position, or nil when there are none.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	for e, n := range p.more {
		e.Msg += fmt.Sprintf(" (and %d more like it)", n)
		delete(p.more, e)
	}
	slices.SortStableFunc(p.list, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return p.list
}
