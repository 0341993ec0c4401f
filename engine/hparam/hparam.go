package hparam

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
)

// Spec describes one numeric setting.
type Spec struct {
	Name    string  // as written in sweep files, e.g. "beta1"
	Default float64 // used when the setting is not given
	Min     float64 // lower bound; -Inf for none
	Max     float64 // upper bound; +Inf for none
	MinOpen bool    // Min itself is not allowed
	MaxOpen bool    // Max itself is not allowed
	Integer bool    // the value must be a whole number
	Doc     string  // one line for help text
}

// Range renders the allowed range in interval notation, e.g. "[0, 1)".
func (s Spec) Range() string {
	lo, hi := "[", "]"
	if s.MinOpen || math.IsInf(s.Min, -1) {
		lo = "("
	}
	if s.MaxOpen || math.IsInf(s.Max, 1) {
		hi = ")"
	}
	return lo + format(s.Min) + ", " + format(s.Max) + hi
}

func format(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "-∞"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Check reports whether v is allowed, with an error that names the setting
// and its range.
func (s Spec) Check(v float64) error {
	ok := !math.IsNaN(v)
	if ok && (v < s.Min || (s.MinOpen && v == s.Min)) {
		ok = false
	}
	if ok && (v > s.Max || (s.MaxOpen && v == s.Max)) {
		ok = false
	}
	if !ok {
		return fmt.Errorf("%s = %s is outside the allowed range %s", s.Name, format(v), s.Range())
	}
	if s.Integer && v != math.Trunc(v) {
		return fmt.Errorf("%s = %s must be a whole number", s.Name, format(v))
	}
	return nil
}

// Resolve fills defaults for every spec missing from given, checks every
// value, and rejects names that no spec describes. The owner names the
// component in messages ("adam", "inverse_time"). The result is a new map.
func Resolve(owner string, specs []Spec, given map[string]float64) (map[string]float64, error) {
	out := make(map[string]float64, len(specs))
	known := make(map[string]bool, len(specs))
	for _, s := range specs {
		known[s.Name] = true
		v, ok := given[s.Name]
		if !ok {
			v = s.Default
		}
		if err := s.Check(v); err != nil {
			return nil, fmt.Errorf("%s: %w", owner, err)
		}
		out[s.Name] = v
	}
	for _, name := range slices.Sorted(maps.Keys(given)) {
		if !known[name] {
			return nil, fmt.Errorf("%s: unknown setting %q (valid: %s)", owner, name, names(specs))
		}
	}
	return out, nil
}

func names(specs []Spec) string {
	if len(specs) == 0 {
		return "none"
	}
	s := ""
	for i, sp := range specs {
		if i > 0 {
			s += ", "
		}
		s += sp.Name
	}
	return s
}
