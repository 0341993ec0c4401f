package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Params are a trial's resolved parameters by name: numbers are float64,
// names string, switches bool, and lists (layer sizes, schedule
// boundaries) []float64.
type Params map[string]any

// Float returns the number named name, and whether it is set.
func (p Params) Float(name string) (float64, bool) {
	v, ok := p[name].(float64)
	return v, ok
}

// String returns the string named name, and whether it is set.
func (p Params) String(name string) (string, bool) {
	v, ok := p[name].(string)
	return v, ok
}

// List returns the list named name, and whether it is set.
func (p Params) List(name string) ([]float64, bool) {
	v, ok := p[name].([]float64)
	return v, ok
}

// Ints returns the list named name as integers (truncating), and whether
// it is set.
func (p Params) Ints(name string) ([]int, bool) {
	v, ok := p[name].([]float64)
	if !ok {
		return nil, false
	}
	out := make([]int, len(v))
	for i, f := range v {
		out[i] = int(f)
	}
	return out, true
}

// Bool returns the switch named name, and whether it is set.
func (p Params) Bool(name string) (bool, bool) {
	v, ok := p[name].(bool)
	return v, ok
}

// Names returns the parameter names in sorted order.
func (p Params) Names() []string {
	names := make([]string, 0, len(p))
	for k := range p {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Clone returns a copy of p that shares no slices with it. An empty list
// stays an empty list (hidden: [] is a model without hidden layers): a nil
// one would be null in the canonical form, another key, and ParseTrial
// could not read it back.
func (p Params) Clone() Params {
	out := make(Params, len(p))
	for k, v := range p {
		if s, ok := v.([]float64); ok {
			v = slices.Clone(s)
		}
		out[k] = v
	}
	return out
}

// FormatValue renders a parameter value as it appears in tables, exports
// and keys: numbers in their shortest round-trip form, lists as "5x2".
func FormatValue(v any) string {
	switch v := v.(type) {
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case []float64:
		parts := make([]string, len(v))
		for i, f := range v {
			parts[i] = strconv.FormatFloat(f, 'g', -1, 64)
		}
		return strings.Join(parts, "x")
	}
	return fmt.Sprint(v)
}

// Budget bounds how long a trial trains.
type Budget struct {
	Epochs      int     `json:"epochs"`                 // passes over the training data (steps for 2-D functions)
	Steps       int     `json:"steps,omitempty"`        // optional cap on updates; 0 = none
	WallSeconds float64 `json:"wall_seconds,omitempty"` // optional wall-clock cap; 0 = none
	// PruneAt, when above 0, stops the trial after that many epochs with
	// status pruned: a rung of successive halving, trained with the full
	// budget's schedule. Part of the key (omitted when 0, so keys of
	// trials without it are unchanged).
	PruneAt int `json:"prune_at,omitempty"`
}

// Trial is one training run: everything needed to reproduce it.
type Trial struct {
	Sweep      string // the sweep it belongs to; not part of the key
	Experiment string // a name from the experiments registry
	Params     Params // every resolved parameter, defaults included
	Seed       uint64 // the trial seed; all randomness derives from it
	Budget     Budget

	// key is the kept key, set by Keyed; empty means Key computes it.
	key string
}

// Keyed returns t with its key computed once and kept, so that the
// executor, the store and the sources that pass it along do not hash the
// configuration again (about 18 µs a trial). Call it when the
// configuration is final: the kept key does not follow later changes to
// Params, Seed or Budget (Continue drops it).
func (t Trial) Keyed() Trial {
	t.key = t.computeKey()
	return t
}

// Continue returns the trial with a budget of epochs epochs, the rest of
// its configuration and its seed unchanged. Continuing a trial that was
// stopped (pruned at a rung, say) retrains it from its seed rather than
// keeping its state: training is deterministic and no schedule reads the
// trial's budget (cosine's period is its own t_max setting, fixed by the
// sweep, not the trial's epochs), so the continued trial's curve is
// bit-identical to one trained to that budget directly, and its first
// epochs are those of the stopped run (TestContinueToLargerBudget in
// experiments, over every built-in experiment). The key is that of the
// trial trained to the larger budget.
func (t Trial) Continue(epochs int) Trial {
	t.Budget.Epochs = epochs
	t.key = ""
	return t
}

// Canonical returns the trial's canonical configuration: JSON with sorted
// keys and shortest round-trip numbers. The key hashes it, and it is what
// the database stores, so a trial can be rebuilt from its row.
func (t Trial) Canonical() []byte {
	params := make(map[string]any, len(t.Params))
	for k, v := range t.Params {
		if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
			v = FormatValue(f) // JSON has no Inf or NaN; keep them distinct anyway
		}
		params[k] = v
	}
	b, err := json.Marshal(struct {
		Experiment string         `json:"experiment"`
		Params     map[string]any `json:"params"`
		Seed       uint64         `json:"seed"`
		Budget     Budget         `json:"budget"`
	}{t.Experiment, params, t.Seed, t.Budget})
	if err != nil {
		panic("engine: canonical trial: " + err.Error())
	}
	return b
}

// Key is the trial's stable identity: the first 16 hex digits of the
// SHA-256 of its canonical configuration.
func (t Trial) Key() string {
	if t.key != "" {
		return t.key
	}
	return t.computeKey()
}

func (t Trial) computeKey() string {
	sum := sha256.Sum256(t.Canonical())
	return hex.EncodeToString(sum[:8])
}

// ConfigKey is the identity of the trial's configuration: the first 16
// hex digits of the SHA-256 of its canonical configuration with the seed
// left out (experiment, every parameter, budget). The trials of one
// configuration differ only in their seed; comparisons match them by it.
func (t Trial) ConfigKey() string {
	t.Seed, t.key = 0, ""
	sum := sha256.Sum256(append([]byte("config\x00"), t.Canonical()...))
	return hex.EncodeToString(sum[:8])
}

// ParseTrial rebuilds a trial from its canonical configuration.
func ParseTrial(canonical []byte) (Trial, error) {
	var raw struct {
		Experiment string                     `json:"experiment"`
		Params     map[string]json.RawMessage `json:"params"`
		Seed       uint64                     `json:"seed"`
		Budget     Budget                     `json:"budget"`
	}
	if err := json.Unmarshal(canonical, &raw); err != nil {
		return Trial{}, fmt.Errorf("engine: parse trial: %w", err)
	}
	t := Trial{Experiment: raw.Experiment, Seed: raw.Seed, Budget: raw.Budget, Params: Params{}}
	for k, msg := range raw.Params {
		var v any
		if err := json.Unmarshal(msg, &v); err != nil {
			return Trial{}, fmt.Errorf("engine: parse trial parameter %s: %w", k, err)
		}
		switch v := v.(type) {
		case []any:
			list := make([]float64, len(v))
			for i, e := range v {
				f, ok := e.(float64)
				if !ok {
					return Trial{}, fmt.Errorf("engine: parse trial parameter %s: want numbers", k)
				}
				list[i] = f
			}
			t.Params[k] = list
		case float64, string, bool:
			t.Params[k] = v
		default:
			return Trial{}, fmt.Errorf("engine: parse trial parameter %s: unsupported value %v", k, v)
		}
	}
	return t, nil
}
