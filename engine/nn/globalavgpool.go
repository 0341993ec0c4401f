package nn

import (
	"github.com/optbench/optbench/engine/rng"
)

// GlobalAvgPool averages each channel of a C×H×W input over its H·W
// pixels, giving a vector of C (torch.nn.AdaptiveAvgPool2d(1) followed by
// flatten, the head of a ResNet):
//
//	Y[c] = (1/(H·W)) Σ_{h,w} X[c, h, w],  dX[c, h, w] = dY[c]/(H·W)
//
// It has no parameters.
type GlobalAvgPool struct {
	c, hw, cap, batch int
	y, dx             []float64
}

var _ Layer = (*GlobalAvgPool)(nil)

// Plan implements Layer.
func (l *GlobalAvgPool) Plan(in Shape) (Shape, int, error) {
	c, h, w, err := in.image("global_avg_pool")
	if err != nil {
		return nil, 0, err
	}
	l.c, l.hw = c, h*w
	return Shape{c}, 0, nil
}

// Bind implements Layer.
func (l *GlobalAvgPool) Bind(params, grads []float64, maxBatch int) {
	l.y = grow(l.y, l.c*maxBatch)
	l.dx = grow(l.dx, l.c*l.hw*maxBatch)
	l.cap = maxBatch
}

// Workspace implements Layer: the output and the input gradient.
func (l *GlobalAvgPool) Workspace() int { return l.c + l.c*l.hw }

// Init implements Layer.
func (l *GlobalAvgPool) Init(*rng.RandomState) {}

// Forward implements Layer.
func (l *GlobalAvgPool) Forward(x []float64, B int, mode Mode) []float64 {
	checkBatch("global_avg_pool", x, l.c*l.hw, B, l.cap)
	l.batch = B
	y := l.y[:l.c*B]
	clear(y)
	inv := 1 / float64(l.hw)
	for c := range l.c {
		out := y[c*B : (c+1)*B]
		for p := range l.hw {
			for b, v := range x[(c*l.hw+p)*B:][:B] {
				out[b] += v
			}
		}
		for b := range out {
			out[b] *= inv
		}
	}
	return y
}

// Backward implements Layer.
func (l *GlobalAvgPool) Backward(dy []float64, needDx bool) []float64 {
	if !needDx {
		return nil
	}
	B := l.batch
	dx := l.dx[:l.c*l.hw*B]
	inv := 1 / float64(l.hw)
	for c := range l.c {
		src := dy[c*B : (c+1)*B]
		for p := range l.hw {
			d := dx[(c*l.hw+p)*B:][:B]
			for b, v := range src {
				d[b] = v * inv
			}
		}
	}
	return dx
}
