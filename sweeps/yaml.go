package sweeps

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/optbench/optbench/experiments"
)

// entry is one key and its value in a YAML mapping.
type entry struct {
	name string
	key  *yaml.Node
	val  *yaml.Node
}

// deref follows aliases to the node they name. yaml.v3 refuses aliases to
// enclosing nodes, so the chain is short; the bound guards anyway.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	return n
}

// entries returns the pairs of a mapping in file order, reporting
// duplicate keys and, when valid is not nil, keys outside it. what names
// the mapping in messages ("search", "budget"; "" for the top level).
func (c *checker) entries(n *yaml.Node, what string, valid []string) []entry {
	return c.entriesOf(n, what, "key", valid)
}

// entriesOf is entries with the noun for unknown keys ("form").
func (c *checker) entriesOf(n *yaml.Node, what, noun string, valid []string) []entry {
	if what != "" {
		what += ": "
	}
	var out []entry
	first := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		name := k.Value
		if k.Kind != yaml.ScalarNode {
			c.errs.at(k, "%sa key must be a plain name", what)
			continue
		}
		if prev, dup := first[name]; dup {
			c.errs.at(k, "%sduplicate key %s (first at %s)", what, name, pos(prev))
			continue
		}
		first[name] = k
		if valid != nil && !contains(valid, name) {
			c.errs.at(k, "%sunknown %s %q%s", what, noun, name, suggestOrList(name, valid))
			continue
		}
		out = append(out, entry{name, k, v})
	}
	return out
}

// suggest returns " (did you mean …?)" for the valid name that name
// begins (val_acc → val_accuracy) when there is one such, else for the
// nearest by edit distance, else "".
func suggest(name string, valid []string) string {
	var prefixed []string
	for _, v := range valid {
		if len(name) >= 3 && strings.HasPrefix(v, name) {
			prefixed = append(prefixed, v)
		}
	}
	if len(prefixed) == 1 {
		return fmt.Sprintf(" (did you mean %q?)", prefixed[0])
	}
	return experiments.Suggest(name, valid)
}

// suggestOrList returns the nearest valid name as "(did you mean …?)", or
// the whole list when none is near.
func suggestOrList(name string, valid []string) string {
	if s := suggest(name, valid); s != "" {
		return s
	}
	return " (valid: " + strings.Join(valid, ", ") + ")"
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// describe names what a node holds, for "want X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		if tag := n.ShortTag(); !strings.HasPrefix(tag, "!!") || n.Style&yaml.TaggedStyle != 0 && !coreTags[tag] {
			return fmt.Sprintf("%s with the tag %s, which optbench does not support (YAML tags other than "+
				"!!str, !!int, !!float, !!bool, !!null, !!seq and !!map are not read)", quote(n.Value), tag)
		}
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return n.Value
		}
		return quote(n.Value)
	}
	return "an unsupported YAML node"
}

// coreTags are the tags of YAML's core schema, which optbench reads when
// written explicitly (!!str 5); other standard tags (!!binary,
// !!timestamp, !!python/…) would have the value read as something else
// than it says.
var coreTags = map[string]bool{"!!str": true, "!!int": true, "!!float": true, "!!bool": true,
	"!!null": true, "!!seq": true, "!!map": true}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

func isNumber(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float")
}

func isString(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!str"
}

// number decodes a numeric scalar.
func number(n *yaml.Node) (float64, error) {
	// yaml.v3 resolves a plain 1e400 to a string, since it does not fit a
	// float64; say so rather than that it is not a number.
	plain := n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.TaggedStyle) == 0
	if plain || isNumber(n) {
		if _, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); errors.Is(err, strconv.ErrRange) {
			return 0, fmt.Errorf("%s is out of the range of a float64 (magnitudes up to about 1.8e308)", n.Value)
		}
	}
	if !isNumber(n) {
		return 0, fmt.Errorf("want a number, got %s", describe(n))
	}
	var f float64
	if err := n.Decode(&f); err != nil {
		return 0, fmt.Errorf("want a number, got %s", describe(n))
	}
	return f, nil
}

// quote quotes text taken from the sweep file for a message: control
// characters escaped (%q), and very long text cut with "…".
func quote(s string) string {
	const most = 200
	if len(s) > most {
		cut := most
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}

// whole decodes a whole number in [lo, hi].
func whole(n *yaml.Node, lo, hi float64) (int, error) {
	f, err := number(n)
	if err != nil {
		return 0, fmt.Errorf("want a whole number, got %s", describe(n))
	}
	if f != math.Trunc(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("want a whole number, got %s", n.Value)
	}
	if f < lo || f > hi {
		return 0, fmt.Errorf("%s is outside [%s, %s]", n.Value, format(lo), format(hi))
	}
	return int(f), nil
}

// seed decodes a trial or search seed: a whole number in [0, 2^64).
func seed(n *yaml.Node) (uint64, error) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!int" {
		var u uint64
		if err := n.Decode(&u); err == nil {
			return u, nil
		}
	}
	if f, err := number(n); err == nil && f >= 0 && f == math.Trunc(f) && f < 1<<53 {
		return uint64(f), nil
	}
	return 0, fmt.Errorf("a seed is a whole number ≥ 0, got %s", describe(n))
}

// pos writes a node's position as line:column.
func pos(n *yaml.Node) string { return fmt.Sprintf("%d:%d", n.Line, n.Column) }

func format(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
