package metric

import "math"

// Goal is the direction in which a metric is better.
type Goal string

const (
	Minimize Goal = "minimize"
	Maximize Goal = "maximize"
	NoGoal   Goal = "" // neither direction is better (a learning rate, a coordinate)
)

// Kind is a bit set of the kinds of experiment whose trials record a
// metric.
type Kind uint8

const (
	Network    Kind = 1 << iota // a network trained on a dataset
	Function                    // an optimizer following a 2-D test function
	Evaluation                  // one evaluation of a benchmark function (branin, hartmann6), no optimizer
)

// Needs is a bit set of what a trial must have to record a metric.
type Needs uint8

const (
	Classification Needs = 1 << iota // a classification task: accuracy is defined
	Validation                       // a non-empty validation split
	Test                             // a separately generated test set (n_test > 0)
	LastBatch                        // a setting asks for the last mini-batch's cost (record_last_batch_loss)
)

// Range is the set of values a metric can take. Reports read it to keep
// a confidence interval inside it.
type Range uint8

const (
	Real        Range = iota // any real number: no bound declared
	NonNegative              // [0, ∞): losses, distances, counts, rates
	Fraction                 // [0, 1]: accuracies
)

func (r Range) String() string {
	switch r {
	case NonNegative:
		return "[0, ∞)"
	case Fraction:
		return "[0, 1]"
	}
	return "(−∞, ∞)"
}

// Def declares one metric.
type Def struct {
	Name     string // as stored, exported and written in sweep files: [a-z0-9_]+
	Goal     Goal   // the better direction; NoGoal when neither is
	Range    Range  // the values it can take; Real (the zero value) when unbounded
	PerEpoch bool   // recorded after every epoch (its last value is also a final metric); false: once per trial
	// Extra marks a per-epoch metric that a trial records only when a
	// setting asks for it. It has no ID and is not in Values: an epoch
	// holds it apart (train.Epoch.Extra), so that adding one changes
	// neither the Values nor the stored curves of trials that do not.
	Extra       bool
	Unit        string // "" when dimensionless
	Description string // one line, for help text and reports
	Kinds       Kind   // experiments whose trials record it
	Needs       Needs  // what those trials must also have
}

// RecordedBy reports whether a trial of kind k that has what has records
// the metric.
func (d Def) RecordedBy(k Kind, has Needs) bool {
	return d.Kinds&k != 0 && d.Needs&^has == 0
}

// ID indexes the per-epoch metrics, in the order of All: the index of a
// metric in an epoch's [Values].
type ID int

// The per-epoch metrics. The constants follow the order of the per-epoch
// entries of All; package init checks that they do.
const (
	TrainLoss ID = iota
	TrainAccuracy
	ValLoss
	ValAccuracy
	LR
	GradNorm
	X
	Y
	NumPerEpoch // the number of per-epoch metrics
)

// all is the declaration. Its order is the order of sweep error messages
// and of curve exports (per-epoch metrics only), so new metrics go where
// they read best, not necessarily at the end.
var all = [...]Def{
	{Name: "train_loss", Goal: Minimize, Range: NonNegative, PerEpoch: true, Kinds: Network | Function,
		Description: "summed loss over the epoch's batches / m, plus the penalty (the course's cost); the function value for 2-D test functions"},
	{Name: TrainLastBatchLoss, Goal: Minimize, Range: NonNegative, PerEpoch: true, Extra: true, Kinds: Network, Needs: LastBatch,
		Description: "mean loss of the epoch's last mini-batch plus the penalty over its size (the cost the 2017 course notebooks printed); recorded only when record_last_batch_loss is true"},
	{Name: "train_accuracy", Goal: Maximize, Range: Fraction, PerEpoch: true, Unit: "fraction", Kinds: Network, Needs: Classification,
		Description: "correct predictions during the epoch's forward passes / m"},
	{Name: "val_loss", Goal: Minimize, Range: NonNegative, PerEpoch: true, Kinds: Network, Needs: Validation,
		Description: "mean loss on the validation split after the epoch, inference mode"},
	{Name: "val_accuracy", Goal: Maximize, Range: Fraction, PerEpoch: true, Unit: "fraction", Kinds: Network, Needs: Classification | Validation,
		Description: "accuracy on the validation split after the epoch, inference mode"},
	{Name: "train_eval_loss", Goal: Minimize, Range: NonNegative, Kinds: Network,
		Description: "mean loss on the training split after training, inference mode (the course's predict)"},
	{Name: "train_eval_accuracy", Goal: Maximize, Range: Fraction, Unit: "fraction", Kinds: Network, Needs: Classification,
		Description: "accuracy on the training split after training, inference mode"},
	{Name: "train_correct", Goal: Maximize, Range: NonNegative, Unit: "examples", Kinds: Network, Needs: Classification,
		Description: "correctly classified training examples after training"},
	{Name: "val_correct", Goal: Maximize, Range: NonNegative, Unit: "examples", Kinds: Network, Needs: Classification | Validation,
		Description: "correctly classified validation examples after the last epoch"},
	{Name: "test_loss", Goal: Minimize, Range: NonNegative, Kinds: Network, Needs: Test,
		Description: "mean loss on the separately generated test set after training, inference mode: for evaluation, not selection"},
	{Name: "test_accuracy", Goal: Maximize, Range: Fraction, Unit: "fraction", Kinds: Network, Needs: Classification | Test,
		Description: "accuracy on the separately generated test set after training, inference mode (the course's test accuracy)"},
	{Name: "value", Goal: Minimize, Kinds: Evaluation,
		Description: "the benchmark function's value at the trial's parameters x1, x2, …: one evaluation per trial"},
	{Name: "distance_to_minimum", Goal: Minimize, Range: NonNegative, Kinds: Function,
		Description: "Euclidean distance from the final position to the function's minimum"},
	{Name: "lr", Range: NonNegative, PerEpoch: true, Kinds: Network | Function,
		Description: "learning rate of the epoch's first update"},
	{Name: "grad_norm", Range: NonNegative, PerEpoch: true, Kinds: Network | Function,
		Description: "mean over the epoch's updates of the gradient's Euclidean norm"},
	{Name: "x", PerEpoch: true, Kinds: Function, Description: "first coordinate of the position after the epoch's step"},
	{Name: "y", PerEpoch: true, Kinds: Function, Description: "second coordinate of the position after the epoch's step"},
}

// WallTime is the wall time since the trial started, stored with every
// epoch of a curve under this name. It is kept apart from the metrics
// because it is not reproducible: it is not in All, an epoch's Values or
// a trial's final metrics, and no sweep ranks by it.
var WallTime = Def{Name: "seconds", PerEpoch: true, Unit: "s", Kinds: Network | Function,
	Description: "wall time since the trial started; depends on the machine"}

// TrainLastBatchLoss names the extra per-epoch metric of the last
// mini-batch's cost.
const TrainLastBatchLoss = "train_last_batch_loss"

// NumExtra is the number of extra per-epoch metrics; package init checks
// it against the declaration.
const NumExtra = 1

// ExtraValues holds one epoch's extra per-epoch metrics in the order of
// Extras; a metric the trial does not record is NaN.
type ExtraValues [NumExtra]float64

// Extras returns the declarations of the extra per-epoch metrics (those
// with Extra set), in declaration order.
func Extras() []Def {
	var out []Def
	for _, d := range all {
		if d.Extra {
			out = append(out, d)
		}
	}
	return out
}

var perEpoch [NumPerEpoch]int // ID → index in all

func init() {
	n := 0
	for i, d := range all {
		if d.PerEpoch && !d.Extra {
			if n < len(perEpoch) {
				perEpoch[n] = i
			}
			n++
		}
	}
	if len(Extras()) != NumExtra {
		panic("metric: NumExtra does not match the extra per-epoch metrics declared in all")
	}
	if n != int(NumPerEpoch) {
		panic("metric: the ID constants do not match the per-epoch metrics declared in all")
	}
}

// All returns the declared metrics in declaration order. The caller may
// modify the returned slice.
func All() []Def { return append([]Def(nil), all[:]...) }

// Lookup returns the declaration of the metric called name.
func Lookup(name string) (Def, bool) {
	for _, d := range all {
		if d.Name == name {
			return d, true
		}
	}
	return Def{}, false
}

// EpochID returns the index of the per-epoch metric called name.
func EpochID(name string) (ID, bool) {
	for id, i := range perEpoch {
		if all[i].Name == name {
			return ID(id), true
		}
	}
	return 0, false
}

// Def returns the declaration of the per-epoch metric id.
func (id ID) Def() Def { return all[perEpoch[id]] }

// Name returns the name of the per-epoch metric id.
func (id ID) Name() string { return all[perEpoch[id]].Name }

// Recorded returns the names of the metrics, per-epoch and final, that a
// trial of kind k that has what has records, in declaration order.
func Recorded(k Kind, has Needs) []string {
	var out []string
	for _, d := range all {
		if d.RecordedBy(k, has) {
			out = append(out, d.Name)
		}
	}
	return out
}

// Value is one named value, the shape of golang.org/x/perf's
// benchfmt.Value (whose Unit names what is measured): an open-ended list
// of them holds a trial's final metrics.
type Value struct {
	Name  string
	Value float64
}

// Values holds one epoch's per-epoch metrics, indexed by ID. A metric
// that does not apply is NaN.
type Values [NumPerEpoch]float64

// Undefined returns Values with every metric NaN.
func Undefined() Values {
	var v Values
	nan := math.NaN()
	for i := range v {
		v[i] = nan
	}
	return v
}

// AppendDefined appends the defined metrics of v to dst in declaration
// order, with train_loss always (a NaN loss is a diverged epoch, which
// is a result).
func (v *Values) AppendDefined(dst []Value) []Value {
	for id, x := range v {
		if !math.IsNaN(x) || ID(id) == TrainLoss {
			dst = append(dst, Value{ID(id).Name(), x})
		}
	}
	return dst
}
