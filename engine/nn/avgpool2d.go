package nn

import "github.com/optbench/optbench/engine/rng"

// AvgPool2D averages each K×K window of each channel
// (torch.nn.AvgPool2d with ceil_mode=False and count_include_pad=True:
// padded zeros count, so every window divides by K²):
//
//	Y[c, i, j]  = (1/K²) Σ_{u,v < K} X[c, s·i + u − p, s·j + v − p]
//	dX[c, h, w] = (1/K²) Σ over the windows that contain (h, w), of dY
//
// It has no parameters.
type AvgPool2D struct {
	Kernel  int // window height and width, ≥ 1
	Stride  int // step between windows; default Kernel
	Padding int // implicit zeros on each side, at most Kernel/2

	g     poolGeometry
	y, dx []float64
}

var _ Layer = (*AvgPool2D)(nil)

// Plan implements Layer.
func (l *AvgPool2D) Plan(in Shape) (Shape, int, error) {
	out, err := l.g.plan("avg_pool2d", in, l.Kernel, l.Stride, l.Padding)
	return out, 0, err
}

// Bind implements Layer.
func (l *AvgPool2D) Bind(params, grads []float64, maxBatch int) {
	g := &l.g
	l.y = grow(l.y, g.c*g.oh*g.ow*maxBatch)
	l.dx = grow(l.dx, g.c*g.h*g.w*maxBatch)
	g.cap = maxBatch
}

// Workspace implements Layer: the output and the input gradient.
func (l *AvgPool2D) Workspace() int { return l.g.c*l.g.oh*l.g.ow + l.g.c*l.g.h*l.g.w }

// Init implements Layer.
func (l *AvgPool2D) Init(*rng.RandomState) {}

// Forward implements Layer.
func (l *AvgPool2D) Forward(x []float64, B int, mode Mode) []float64 {
	g := &l.g
	checkBatch("avg_pool2d", x, g.c*g.h*g.w, B, g.cap)
	g.batch = B
	y := l.y[:g.c*g.oh*g.ow*B]
	clear(y)
	inv := 1 / float64(g.k*g.k)
	for c := range g.c {
		base := c * g.h * g.w
		for i := range g.oh {
			for j := range g.ow {
				h0, h1, w0, w1 := g.window(i, j)
				out := y[((c*g.oh+i)*g.ow+j)*B:][:B]
				for h := h0; h < h1; h++ {
					for w := w0; w < w1; w++ {
						src := x[(base+h*g.w+w)*B:][:B]
						for b, v := range src {
							out[b] += v
						}
					}
				}
				for b := range out {
					out[b] *= inv
				}
			}
		}
	}
	return y
}

// Backward implements Layer.
func (l *AvgPool2D) Backward(dy []float64, needDx bool) []float64 {
	if !needDx {
		return nil
	}
	g := &l.g
	B := g.batch
	dx := l.dx[:g.c*g.h*g.w*B]
	clear(dx)
	inv := 1 / float64(g.k*g.k)
	for c := range g.c {
		base := c * g.h * g.w
		for i := range g.oh {
			for j := range g.ow {
				h0, h1, w0, w1 := g.window(i, j)
				src := dy[((c*g.oh+i)*g.ow+j)*B:][:B]
				for h := h0; h < h1; h++ {
					for w := w0; w < w1; w++ {
						d := dx[(base+h*g.w+w)*B:][:B]
						for b, v := range src {
							d[b] += float64(inv * v)
						}
					}
				}
			}
		}
	}
	return dx
}
