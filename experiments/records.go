package experiments

import (
	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/nn"
)

// Records returns the names of the final metrics that a trial with these
// resolved parameters records, in the declaration order of package
// metric, so that a sweep can reject a metric its trials never have
// (accuracy of a regression, validation loss without a validation split)
// before anything runs. Validation metrics assume the split is not empty.
func (e *Experiment) Records(p engine.Params) []string {
	return metric.Recorded(e.Kind(), e.has(p))
}

// Kind is the kind of experiment, as package metric says which metrics
// each kind records.
func (e *Experiment) Kind() metric.Kind {
	if e.objective != nil {
		return metric.Evaluation
	}
	if e.Function {
		return metric.Function
	}
	return metric.Network
}

// has says what a trial with these resolved parameters has beyond its
// kind: a classification task, a validation split, a test set.
func (e *Experiment) has(p engine.Params) metric.Needs {
	var has metric.Needs
	classifies := e.Loss != nn.MeanSquaredError
	if task, ok := p.String("task"); ok {
		classifies = task != Regression
	}
	if classifies && !e.Function {
		has |= metric.Classification
	}
	val, test := false, false
	if e.splits != nil {
		val, test = e.splits(p)
	} else if !e.Function {
		vf, _ := p.Float("val_fraction")
		n, _ := p.Float("n_test")
		val, test = vf > 0, n > 0
	}
	if val {
		has |= metric.Validation
	}
	if test {
		has |= metric.Test
	}
	if lastBatchLoss(p) && !e.Function {
		has |= metric.LastBatch
	}
	return has
}
