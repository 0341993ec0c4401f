package experiments

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/hparam"
	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/optim"
	"github.com/optbench/optbench/engine/schedule"
)

// Kind is the type of a parameter's value.
type Kind int

const (
	Number  Kind = iota // float64
	Integer             // float64 holding a whole number
	Name                // string from Choices
	Switch              // bool
	IntList             // []float64 of whole numbers ≥ 1
	List                // []float64
	Text                // string, free text such as a file path or a column name
	// ArchitectureKind is a string, an architecture's canonical text
	// (Architecture); sweep files may also write it as a mapping
	// {name: cnn, channels: [8, 16]}.
	ArchitectureKind
)

func (k Kind) String() string {
	return [...]string{"number", "integer", "name", "switch", "list of integers", "list of numbers", "text", "architecture"}[k]
}

// Param describes one parameter a trial may set.
type Param struct {
	Name    string
	Kind    Kind
	Spec    hparam.Spec // range and default for Number and Integer
	Choices []string    // valid values for Name
	Default any         // default for Name, Switch, IntList and Text
	Doc     string

	// Required (Text only) says that the empty string is not a value: the
	// parameter has no default and a trial must give it.
	Required bool
	// Path (Text only) says that the value is a file path. Sweeps resolve
	// a relative path against the sweep file's directory, so that trials
	// store an absolute one.
	Path bool
	// Optional says that the parameter enters a trial's resolved
	// parameters (and so its key) only when the trial gives it; absent, the
	// trial behaves as the default says. Settings added after trials were
	// stored are optional, so that every stored trial keeps its key.
	Optional bool
}

// Check validates v (already of the right Go type) against the parameter.
func (p Param) Check(v any) error {
	switch p.Kind {
	case Number, Integer:
		f, ok := v.(float64)
		if !ok {
			return fmt.Errorf("%s: want a number, got %s", p.Name, describe(v))
		}
		spec := p.Spec
		spec.Name = p.Name
		spec.Integer = spec.Integer || p.Kind == Integer
		return spec.Check(f)
	case Name:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: want a name, got %s", p.Name, describe(v))
		}
		for _, c := range p.Choices {
			if s == c {
				return nil
			}
		}
		return fmt.Errorf("%s: unknown value %q (valid: %s)", p.Name, s, strings.Join(p.Choices, ", "))
	case Switch:
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: want true or false, got %s", p.Name, describe(v))
		}
	case Text:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: want text, got %s", p.Name, describe(v))
		}
		if s == "" && p.Required {
			return fmt.Errorf("%s: empty; it has no default and must be given", p.Name)
		}
	case ArchitectureKind:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: want an architecture, got %s", p.Name, describe(v))
		}
		// The settings given; the experiment completes and checks the
		// whole architecture when it resolves a trial.
		if _, _, err := ParseArchitectureSettings(s); err != nil {
			return err
		}
	case IntList, List:
		l, ok := v.([]float64)
		if !ok {
			return fmt.Errorf("%s: want a list of numbers, got %s", p.Name, describe(v))
		}
		for i, n := range l {
			if p.Kind == IntList && (n < 1 || n > maxLayer || n != math.Trunc(n)) {
				return fmt.Errorf("%s[%d] = %s must be a whole number in [1, %d]", p.Name, i, engine.FormatValue(n), maxLayer)
			}
			if math.IsNaN(n) || math.IsInf(n, 0) {
				return fmt.Errorf("%s[%d] must be finite", p.Name, i)
			}
		}
	}
	return nil
}

func describe(v any) string {
	switch v := v.(type) {
	case float64:
		return "the number " + engine.FormatValue(v)
	case string:
		return fmt.Sprintf("the name %q", v)
	case bool:
		return fmt.Sprintf("%v", v)
	case []float64:
		return "a list"
	}
	return fmt.Sprintf("%T", v)
}

func num(name string, def, lo, hi float64, loOpen, hiOpen bool, doc string) Param {
	return Param{Name: name, Kind: Number, Spec: hparam.Spec{Name: name, Default: def, Min: lo, Max: hi,
		MinOpen: loOpen, MaxOpen: hiOpen}, Doc: doc}
}

func integer(name string, def, lo, hi float64, doc string) Param {
	p := num(name, def, lo, hi, false, false, doc)
	p.Kind = Integer
	return p
}

var inf = math.Inf(1)

// maxLayer bounds a hidden layer's width, so that a typo cannot ask for
// gigabytes of weights.
const maxLayer = 1 << 16

// CommonParams are the parameters every network experiment accepts,
// besides the optimizer's and the schedule's own settings.
func CommonParams() []Param {
	return []Param{
		{Name: "optimizer", Kind: Name, Choices: optim.Names(), Default: "gd", Doc: "the optimizer"},
		num("lr", 0.01, 0, inf, true, false, "initial learning rate α0"),
		integer("batch_size", 64, 0, inf, "examples per update; 0 = the whole training set"),
		{Name: "schedule", Kind: Name, Choices: schedule.Names(), Default: "constant", Doc: "learning-rate schedule"},
		{Name: "timing", Kind: Name, Choices: []string{"", "before_epoch", "after_epoch", "per_step"}, Default: "",
			Doc: "when the schedule moves; empty = the schedule's default"},
		{Name: "hidden", Kind: IntList, Default: []float64{16, 16}, Doc: "hidden layer sizes"},
		{Name: "activation", Kind: Name, Choices: hiddenActivations(), Default: "relu", Doc: "hidden activation"},
		{Name: "init", Kind: Name, Choices: nn.InitNames(), Default: "he_normal", Doc: "weight initialization"},
		num("init_scale", 0.01, 0, inf, true, false, "σ of random_normal initialization"),
		num("leaky_slope", 0.01, 0, 1, false, true, "slope of leaky_relu below 0"),
		num("keep_prob", 1, 0, 1, true, false, "inverted-dropout keep probability of hidden layers; 1 = off"),
		num("l2", 0, 0, inf, false, false, "L2 penalty λ (λ/2m·Σ‖W‖²)"),
		num("l1", 0, 0, inf, false, false, "L1 penalty λ₁ (λ₁/m·Σ|W|)"),
		{Name: "batch_norm", Kind: Switch, Default: false, Doc: "batch normalization of hidden layers"},
		integer("patience", 0, 0, inf, "early stopping: epochs without val_loss improvement; 0 = off"),
		{Name: "clamp_log", Kind: Name, Choices: []string{"-100", "none"}, Default: "-100", Optional: true,
			Doc: "floor of the logarithms of the cross-entropy losses: -100 (default, torch.nn.BCELoss's; every cost " +
				"finite) or none (the course's raw log: a saturated prediction costs +Inf, which is then a value, not " +
				"divergence; a NaN loss or a non-finite parameter still diverges)"},
		{Name: "reduction", Kind: Name, Choices: []string{"sequential", "pairwise"}, Default: "sequential", Optional: true,
			Doc: "order in which a batch's loss terms are added: sequential (default, left to right) or pairwise " +
				"(numpy's np.sum order, for experiments that follow a numpy reference such as the course notebooks: " +
				"their printed costs then have numpy's bits)"},
		{Name: "shuffle", Kind: Switch, Default: true, Optional: true,
			Doc: "true (default): reorder the training examples before every epoch; false: keep their stored order " +
				"(the course's full-batch gradient descent in the initialization notebook, which sums in that order)"},
		{Name: "record_last_batch_loss", Kind: Switch, Default: false, Optional: true,
			Doc: "record train_last_batch_loss, the cost of each epoch's last mini-batch (what the 2017 course " +
				"notebooks printed); default false"},
	}
}

func hiddenActivations() []string {
	var out []string
	for _, a := range nn.ActivationNames() {
		if a != "softmax" && a != "auto" {
			out = append(out, a)
		}
	}
	return out
}

// OptimizerParams returns the settings of the named optimizer as Params.
func OptimizerParams(name string) ([]Param, error) {
	specs, err := optim.Settings(name)
	if err != nil {
		return nil, err
	}
	return fromSpecs(specs), nil
}

// ScheduleParams returns the numeric settings of the named schedule, plus
// its list settings (boundaries, factors) for piecewise_constant.
func ScheduleParams(name string) ([]Param, error) {
	specs, err := schedule.Specs(name)
	if err != nil {
		return nil, err
	}
	out := fromSpecs(specs)
	if name == "piecewise_constant" {
		out = append(out,
			Param{Name: "boundaries", Kind: List, Doc: "epochs (or steps) at which the rate changes, increasing"},
			Param{Name: "factors", Kind: List, Doc: "multipliers of lr before the first boundary and after each (one more than boundaries)"},
			Param{Name: "values", Kind: List, Doc: "rates before the first boundary and after each, instead of factors"})
	}
	return out, nil
}

func fromSpecs(specs []hparam.Spec) []Param {
	out := make([]Param, len(specs))
	for i, s := range specs {
		k := Number
		if s.Integer {
			k = Integer
		}
		out[i] = Param{Name: s.Name, Kind: k, Spec: s, Doc: s.Doc}
	}
	return out
}

func sortedNames(ps []Param) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	sort.Strings(out)
	return out
}
