package experiments

import (
	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/nn"
)

// Records returns the names of the final metrics that a trial with these
// resolved parameters records, so that a sweep can reject a metric its
// trials never have (accuracy of a regression, validation loss without a
// validation split) before anything runs. Validation metrics assume the
// split is not empty.
func (e *Experiment) Records(p engine.Params) []string {
	if e.Function {
		return []string{"train_loss", "lr", "grad_norm", "x", "y", "distance_to_minimum"}
	}
	classifies := e.Loss != nn.MeanSquaredError
	if task, ok := p.String("task"); ok {
		classifies = task != Regression
	}
	vf, _ := p.Float("val_fraction")
	out := []string{"train_loss", "lr", "grad_norm", "train_eval_loss"}
	if classifies {
		out = append(out, "train_accuracy", "train_eval_accuracy", "train_correct")
	}
	if vf > 0 {
		out = append(out, "val_loss")
		if classifies {
			out = append(out, "val_accuracy", "val_correct")
		}
	}
	return out
}
