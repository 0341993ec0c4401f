package nn

import (
	"fmt"

	"github.com/optbench/optbench/engine/rng"
)

// Activate applies an element-wise nonlinearity g to its input, with the
// package's activation functions (Activation):
//
//	y = g(x),  dx = dy ⊙ g′(x)
//
// ReLU (torch.nn.ReLU), LeakyReLU (torch.nn.LeakyReLU, slope for
// x ≤ 0, default 0.01), Sigmoid, Tanh, ELU (α = 1) and Identity. At a
// kink (x = 0) the derivative is torch's: 0 for ReLU, the slope for
// LeakyReLU. It has no parameters.
type Activate struct {
	Func  Activation // not Auto or Softmax (softmax belongs to the loss)
	Slope float64    // LeakyReLU's slope; default 0.01

	size, cap, batch int
	x, y, dx         []float64
	slope            float64
}

var _ Layer = (*Activate)(nil)

// Plan implements Layer.
func (l *Activate) Plan(in Shape) (Shape, int, error) {
	if err := in.check("activation"); err != nil {
		return nil, 0, err
	}
	switch l.Func {
	case ReLU, LeakyReLU, Sigmoid, Tanh, ELU, Identity:
	default:
		return nil, 0, fmt.Errorf("activation %s cannot be a layer", l.Func)
	}
	l.slope = l.Slope
	if l.slope == 0 {
		l.slope = 0.01
	}
	if err := slopeSpec.Check(l.slope); err != nil {
		return nil, 0, err
	}
	l.size = in.Size()
	return append(Shape(nil), in...), 0, nil
}

// Bind implements Layer.
func (l *Activate) Bind(params, grads []float64, maxBatch int) {
	l.y, l.dx = grow(l.y, l.size*maxBatch), grow(l.dx, l.size*maxBatch)
	l.cap = maxBatch
}

// Workspace implements Layer: the output and the input gradient.
func (l *Activate) Workspace() int { return 2 * l.size }

// Init implements Layer.
func (l *Activate) Init(*rng.RandomState) {}

// Forward implements Layer.
func (l *Activate) Forward(x []float64, B int, mode Mode) []float64 {
	checkBatch("activation", x, l.size, B, l.cap)
	l.x, l.batch = x, B
	y := l.y[:len(x)]
	activate(l.Func, y, x, l.size, B, l.slope, 1)
	return y
}

// Backward implements Layer.
func (l *Activate) Backward(dy []float64, needDx bool) []float64 {
	if !needDx {
		return nil
	}
	dx := l.dx[:len(dy)]
	copy(dx, dy)
	backprop(l.Func, dx, l.x, l.y[:len(dy)], l.slope, 1)
	return dx
}
