package experiments

import (
	"fmt"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/data"
	"github.com/optbench/optbench/engine/nn"
)

// Shape is the size of a trial's data: what planning needs to check a
// batch size and a model. Experiments compute it from the parameters
// without generating the data (a sweep over n_samples up to 10⁶ would
// otherwise generate every data set only to count it).
type Shape struct {
	Train    int // training examples
	Val      int // validation examples; 0 without a validation split
	Features int // inputs per example
	Classes  int // classes of a classification; 0 for regression
	Targets  int // real-valued targets of a regression; 0 for classification
	// Image is the shape of one input example as an image, [channels,
	// height, width], for experiments whose examples are images; nil
	// otherwise. Features is its product.
	Image nn.Shape
}

// shapeOf is the shape of loaded training data.
func shapeOf(train *data.Dataset) Shape {
	m, d := train.X.Dims()
	s := Shape{Train: m, Features: d, Classes: train.Classes}
	if train.Targets != nil {
		_, s.Targets = train.Targets.Dims()
	}
	return s
}

// splitShape is the shape of a data set of n examples after holding out
// the share vf for validation, as splitStandardized splits it.
func splitShape(s Shape, vf float64) (Shape, error) {
	if vf == 0 {
		return s, nil
	}
	sizes := data.SplitSizes(s.Train, 1-vf, vf)
	if sizes[0] == 0 {
		return Shape{}, fmt.Errorf("val_fraction %v leaves no training examples", vf)
	}
	s.Train, s.Val = sizes[0], sizes[1]
	return s, nil
}

// generated returns the shape function of a generated classification
// problem whose whole data set has count's examples, features and classes.
func generated(count func(p engine.Params) (Shape, error)) func(engine.Params) (Shape, error) {
	return func(p engine.Params) (Shape, error) {
		s, err := count(p)
		if err != nil {
			return Shape{}, err
		}
		return splitShape(s, floatParam(p, "val_fraction"))
	}
}
