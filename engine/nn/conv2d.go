package nn

import (
	"fmt"

	"github.com/optbench/optbench/engine/internal/gemm"

	"github.com/optbench/optbench/engine/rng"
)

// Conv2D is a two-dimensional convolution (torch.nn.Conv2d with square
// kernel, equal stride and padding on both axes, dilation 1, groups 1,
// zero padding). For an input of C×H×W, Out filters of C×K×K, stride s and
// padding p, the output is Out×H'×W' with H' = ⌊(H + 2p − K)/s⌋ + 1 (W'
// alike) and
//
//	Y[o, i, j] = b[o] + Σ_{c,u,v} W[o, c, u, v] · X[c, s·i + u − p, s·j + v − p]
//
// (cross-correlation; X is 0 outside the image). It is computed as one
// product on the package's GEMM: the batch is unfolded (im2col) into a
// matrix U of (C·K·K)×(H'·W'·B), whose row (c, u, v) holds the shifted
// input pixels of every output position and example, so that
//
//	Y  = W·U + b,  dW = dY·Uᵀ,  db = Σ_positions dY,  dX = col2im(Wᵀ·dY)
//
// where col2im adds each row of Wᵀ·dY back onto the pixels it was copied
// from. With the package's batch layout the B examples of a pixel are
// contiguous, so both unfolding directions copy runs of B values.
//
// Its parameters are W (Out×C×K×K row-major, torch's weight layout) then
// b (absent with NoBias, as before a batch norm).
type Conv2D struct {
	Out        int  // output channels, ≥ 1
	Kernel     int  // kernel height and width, ≥ 1
	Stride     int  // step between output positions; default 1
	Padding    int  // zeros added on each side, ≥ 0 and < Kernel
	NoBias     bool // leave out b (bias=False)
	WeightInit Init // weight initialization (fan in C·K·K); default He normal. b starts at 0

	c, h, w    int // input
	oh, ow     int // output height and width
	rows       int // C·K·K
	cap, batch int
	wt, dwt    []float64
	b, db      []float64
	cols       []float64 // U of the last Forward; Wᵀ·dY during Backward
	y, dx      []float64
	mm         gemm.Workspace // the products' packing buffers
}

var _ Layer = (*Conv2D)(nil)

// maxUnfolded bounds the values of one example's unfolded input (128 MiB),
// so that a mistyped kernel or image size cannot exhaust memory.
const maxUnfolded = 1 << 24

func (l *Conv2D) stride() int { return max(l.Stride, 1) }

// Plan implements Layer.
func (l *Conv2D) Plan(in Shape) (Shape, int, error) {
	c, h, w, err := in.image("conv2d")
	if err != nil {
		return nil, 0, err
	}
	k, s, p := l.Kernel, l.stride(), l.Padding
	switch {
	case l.Out < 1 || l.Out > MaxLayerSize:
		return nil, 0, fmt.Errorf("conv2d: %d output channels outside [1, %d]", l.Out, MaxLayerSize)
	case k < 1 || k > h+2*p || k > w+2*p:
		return nil, 0, fmt.Errorf("conv2d: kernel %d does not fit the padded %d×%d input", k, h+2*p, w+2*p)
	case l.Stride < 0:
		return nil, 0, fmt.Errorf("conv2d: stride %d is negative", l.Stride)
	case p < 0 || p >= k:
		return nil, 0, fmt.Errorf("conv2d: padding %d outside [0, kernel %d)", p, k)
	}
	l.c, l.h, l.w = c, h, w
	l.oh, l.ow = (h+2*p-k)/s+1, (w+2*p-k)/s+1
	l.rows = c * k * k
	if l.Out*l.oh*l.ow > MaxLayerSize || l.rows > MaxLayerSize {
		return nil, 0, fmt.Errorf("conv2d: output %d×%d×%d is larger than %d values", l.Out, l.oh, l.ow, MaxLayerSize)
	}
	if l.rows*l.oh*l.ow > maxUnfolded {
		return nil, 0, fmt.Errorf("conv2d: the unfolded input of one example, %d×%d values, is larger than %d",
			l.rows, l.oh*l.ow, maxUnfolded)
	}
	n := l.Out * l.rows
	if n > MaxParams {
		return nil, 0, fmt.Errorf("conv2d: %d weights, more than the %d parameters allowed", n, MaxParams)
	}
	if !l.NoBias {
		n += l.Out
	}
	return Shape{l.Out, l.oh, l.ow}, n, nil
}

// Bind implements Layer.
func (l *Conv2D) Bind(params, grads []float64, maxBatch int) {
	k := l.Out * l.rows
	l.wt, l.dwt = params[:k], grads[:k]
	if !l.NoBias {
		l.b, l.db = params[k:], grads[k:]
	}
	l.cols = grow(l.cols, l.rows*l.oh*l.ow*maxBatch)
	l.y = grow(l.y, l.Out*l.oh*l.ow*maxBatch)
	l.dx = grow(l.dx, l.c*l.h*l.w*maxBatch)
	l.cap = maxBatch
}

// Workspace implements Layer: the unfolded input, the output and the
// input gradient.
func (l *Conv2D) Workspace() int { return (l.rows+l.Out)*l.oh*l.ow + l.c*l.h*l.w }

// Init implements Layer.
func (l *Conv2D) Init(r *rng.RandomState) {
	l.WeightInit.fill(l.wt, l.rows, l.Out*l.Kernel*l.Kernel, 0.01, r)
	clear(l.b)
}

// Forward implements Layer.
func (l *Conv2D) Forward(x []float64, batch int, mode Mode) []float64 {
	checkBatch("conv2d", x, l.c*l.h*l.w, batch, l.cap)
	l.batch = batch
	n := l.oh * l.ow * batch
	cols := l.cols[:l.rows*n]
	l.im2col(cols, x, batch)
	y := l.y[:l.Out*n]
	l.mm.Mul(gemm.NoTrans, gemm.NoTrans, matrix(l.wt, l.Out, l.rows), matrix(cols, l.rows, n), gemm.Set, matrix(y, l.Out, n))
	if !l.NoBias {
		addRowBias(y, l.b, n)
	}
	return y
}

// im2col writes U for the batch x into cols.
func (l *Conv2D) im2col(cols, x []float64, B int) {
	k, s, p := l.Kernel, l.stride(), l.Padding
	n := l.oh * l.ow * B
	for c := range l.c {
		img := x[c*l.h*l.w*B : (c+1)*l.h*l.w*B]
		for u := range k {
			for v := range k {
				row := cols[((c*k+u)*k+v)*n : ((c*k+u)*k+v+1)*n]
				for i := range l.oh {
					hi := s*i + u - p
					dst := row[i*l.ow*B : (i+1)*l.ow*B]
					if hi < 0 || hi >= l.h {
						clear(dst)
						continue
					}
					src := img[hi*l.w*B : (hi+1)*l.w*B]
					for j := range l.ow {
						wi := s*j + v - p
						d := dst[j*B : (j+1)*B]
						if wi < 0 || wi >= l.w {
							clear(d)
						} else {
							copy(d, src[wi*B:(wi+1)*B])
						}
					}
				}
			}
		}
	}
}

// col2im adds each row of cols back onto the pixels of dx it was unfolded
// from; dx is zeroed first.
func (l *Conv2D) col2im(dx, cols []float64, B int) {
	clear(dx)
	k, s, p := l.Kernel, l.stride(), l.Padding
	n := l.oh * l.ow * B
	for c := range l.c {
		img := dx[c*l.h*l.w*B : (c+1)*l.h*l.w*B]
		for u := range k {
			for v := range k {
				row := cols[((c*k+u)*k+v)*n : ((c*k+u)*k+v+1)*n]
				for i := range l.oh {
					hi := s*i + u - p
					if hi < 0 || hi >= l.h {
						continue
					}
					src := row[i*l.ow*B : (i+1)*l.ow*B]
					dst := img[hi*l.w*B : (hi+1)*l.w*B]
					for j := range l.ow {
						wi := s*j + v - p
						if wi < 0 || wi >= l.w {
							continue
						}
						d, g := dst[wi*B:(wi+1)*B], src[j*B:(j+1)*B]
						for e := range d {
							d[e] += g[e]
						}
					}
				}
			}
		}
	}
}

// Backward implements Layer.
func (l *Conv2D) Backward(dy []float64, needDx bool) []float64 {
	B := l.batch
	n := l.oh * l.ow * B
	cols := l.cols[:l.rows*n]
	if !l.NoBias {
		rowSums(l.db, dy, l.Out, n)
	}
	l.mm.Mul(gemm.NoTrans, gemm.Trans, matrix(dy, l.Out, n), matrix(cols, l.rows, n), gemm.Set, matrix(l.dwt, l.Out, l.rows))
	if !needDx {
		return nil
	}
	// U is no longer needed: reuse its storage for Wᵀ·dY.
	l.mm.Mul(gemm.Trans, gemm.NoTrans, matrix(l.wt, l.Out, l.rows), matrix(dy, l.Out, n), gemm.Set, matrix(cols, l.rows, n))
	dx := l.dx[:l.c*l.h*l.w*B]
	l.col2im(dx, cols, B)
	return dx
}
