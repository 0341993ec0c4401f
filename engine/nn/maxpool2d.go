package nn

import (
	"math"

	"github.com/optbench/optbench/engine/rng"
)

// MaxPool2D takes the maximum of each K×K window of each channel
// (torch.nn.MaxPool2d, ceil_mode=False, dilation 1; padding counts as
// −∞):
//
//	Y[c, i, j] = max_{u,v < K} X[c, s·i + u − p, s·j + v − p]
//	dX[c, h, w] = Σ over the outputs whose maximum X[c, h, w] is, of dY
//
// The maximum is the first one in row-major order of the window, as
// torch's CPU kernel keeps the first of equal values. It has no
// parameters.
type MaxPool2D struct {
	Kernel  int // window height and width, ≥ 1
	Stride  int // step between windows; default Kernel
	Padding int // implicit −∞ on each side, at most Kernel/2

	g      poolGeometry
	argmax []int // input offset (pixel·B + example) of each output's maximum
	y, dx  []float64
}

var _ Layer = (*MaxPool2D)(nil)

// Plan implements Layer.
func (l *MaxPool2D) Plan(in Shape) (Shape, int, error) {
	out, err := l.g.plan("max_pool2d", in, l.Kernel, l.Stride, l.Padding)
	return out, 0, err
}

// Bind implements Layer.
func (l *MaxPool2D) Bind(params, grads []float64, maxBatch int) {
	g := &l.g
	n := g.c * g.oh * g.ow * maxBatch
	l.y = grow(l.y, n)
	if cap(l.argmax) < n {
		l.argmax = make([]int, n)
	}
	l.argmax = l.argmax[:n]
	l.dx = grow(l.dx, g.c*g.h*g.w*maxBatch)
	g.cap = maxBatch
}

// Workspace implements Layer: the output, the position of each maximum
// and the input gradient.
func (l *MaxPool2D) Workspace() int { return 2*l.g.c*l.g.oh*l.g.ow + l.g.c*l.g.h*l.g.w }

// Init implements Layer.
func (l *MaxPool2D) Init(*rng.RandomState) {}

// Forward implements Layer.
func (l *MaxPool2D) Forward(x []float64, B int, mode Mode) []float64 {
	g := &l.g
	checkBatch("max_pool2d", x, g.c*g.h*g.w, B, g.cap)
	g.batch = B
	y := l.y[:g.c*g.oh*g.ow*B]
	for c := range g.c {
		base := c * g.h * g.w
		for i := range g.oh {
			for j := range g.ow {
				h0, h1, w0, w1 := g.window(i, j)
				out := ((c*g.oh+i)*g.ow + j) * B
				for b := range B {
					best, at := math.Inf(-1), -1
					for h := h0; h < h1; h++ {
						for w := w0; w < w1; w++ {
							off := (base+h*g.w+w)*B + b
							if v := x[off]; v > best || math.IsNaN(v) {
								best, at = v, off
								if math.IsNaN(v) {
									h, w = h1, w1 // NaN wins, as in torch
								}
							}
						}
					}
					y[out+b], l.argmax[out+b] = best, at
				}
			}
		}
	}
	return y
}

// Backward implements Layer.
func (l *MaxPool2D) Backward(dy []float64, needDx bool) []float64 {
	if !needDx {
		return nil
	}
	g := &l.g
	dx := l.dx[:g.c*g.h*g.w*g.batch]
	clear(dx)
	for i, d := range dy {
		dx[l.argmax[i]] += d
	}
	return dx
}
