package nn

import (
	"github.com/optbench/optbench/engine/rng"
)

// Flatten turns a C×H×W input into a vector of C·H·W (torch.nn.Flatten:
// index (c·H + h)·W + w). In the package's batch layout (Shape) that order
// is already the order of the rows, so Forward and Backward return their
// argument unchanged. It has no parameters.
type Flatten struct{ size int }

var _ Layer = (*Flatten)(nil)

// Plan implements Layer.
func (l *Flatten) Plan(in Shape) (Shape, int, error) {
	if err := in.check("flatten"); err != nil {
		return nil, 0, err
	}
	l.size = in.Size()
	return Shape{l.size}, 0, nil
}

// Bind implements Layer.
func (l *Flatten) Bind(params, grads []float64, maxBatch int) {}

// Workspace implements Layer: none.
func (l *Flatten) Workspace() int { return 0 }

// Init implements Layer.
func (l *Flatten) Init(*rng.RandomState) {}

// Forward implements Layer.
func (l *Flatten) Forward(x []float64, batch int, mode Mode) []float64 { return x }

// Backward implements Layer.
func (l *Flatten) Backward(dy []float64, needDx bool) []float64 {
	if !needDx {
		return nil
	}
	return dy
}
