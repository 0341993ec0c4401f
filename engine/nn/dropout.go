package nn

import (
	"fmt"

	"github.com/optbench/optbench/engine/rng"
)

// Dropout zeroes each value with probability P in training and scales the
// kept ones by 1/(1 − P) (inverted dropout, torch.nn.Dropout's p; the
// course's keep_prob is 1 − P). With a mask D of Bernoulli(1 − P) draws,
//
//	Y = X ⊙ D/(1 − P),  dX = dY ⊙ D/(1 − P)
//
// and at inference Y = X. The mask takes one uniform u per value, in the
// batch layout's order, from Mode.Dropout, keeping the value when
// u < 1 − P (numpy's rand(…) < keep_prob, as Network does). It has no
// parameters.
type Dropout struct {
	P float64 // drop probability in [0, 1)

	size, cap, batch int
	train            bool
	mask, y, dx      []float64
}

var _ Layer = (*Dropout)(nil)

// Plan implements Layer.
func (l *Dropout) Plan(in Shape) (Shape, int, error) {
	if err := in.check("dropout"); err != nil {
		return nil, 0, err
	}
	if !(l.P >= 0 && l.P < 1) {
		return nil, 0, fmt.Errorf("dropout: probability %v outside [0, 1)", l.P)
	}
	l.size = in.Size()
	return append(Shape(nil), in...), 0, nil
}

// Bind implements Layer.
func (l *Dropout) Bind(params, grads []float64, maxBatch int) {
	n := l.size * maxBatch
	l.mask, l.y, l.dx = grow(l.mask, n), grow(l.y, n), grow(l.dx, n)
	l.cap = maxBatch
}

// Workspace implements Layer: the mask, the output and the input gradient.
func (l *Dropout) Workspace() int { return 3 * l.size }

// Init implements Layer.
func (l *Dropout) Init(*rng.RandomState) {}

// Forward implements Layer.
func (l *Dropout) Forward(x []float64, B int, mode Mode) []float64 {
	checkBatch("dropout", x, l.size, B, l.cap)
	l.batch, l.train = B, mode.Train
	if !mode.Train || l.P == 0 {
		return x
	}
	n := l.size * B
	mask, y := l.mask[:n], l.y[:n]
	keep := 1 - l.P
	if !mode.Frozen {
		if mode.Dropout == nil {
			panic("nn: dropout layer without a random source")
		}
		for i := range mask {
			if mode.Dropout.Float64() < keep {
				mask[i] = 1
			} else {
				mask[i] = 0
			}
		}
	}
	for i, v := range x {
		y[i] = v * mask[i] / keep // Network's order: A·D, then /keep_prob
	}
	return y
}

// Backward implements Layer.
func (l *Dropout) Backward(dy []float64, needDx bool) []float64 {
	if !needDx {
		return nil
	}
	if !l.train || l.P == 0 {
		return dy
	}
	dx := l.dx[:len(dy)]
	keep := 1 - l.P
	for i, v := range dy {
		dx[i] = v * l.mask[i] / keep
	}
	return dx
}
